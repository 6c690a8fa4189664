package report_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"missiongrants/internal/report"
	"missiongrants/internal/testenv"
)

// The attacker of the public impact page. It reads only what the page
// shows (every cell, every country's and year's total, the headline, the
// bars) and tries to recover a withheld small count exactly, two ways:
//
//   - linear: the totals shown are equations over the withheld figures;
//     a figure is recovered when some combination of them isolates it
//     (it is a row of the reduced echelon form with a single entry);
//   - bounds: pencil and paper with everything a reader can know — a
//     listed cell has at least one trip and one patient, trips ≤ patients
//     and bypass ≤ surgeries in a cell, a count is never negative — and
//     each total shown narrowing its parts, over and over, across the
//     measures, until nothing changes. A range of one value is a
//     recovered count.
//
// The page marks every withheld figure alike. The strong attacker is also
// told which withheld figures are small (0..minCell-1) and which were
// withheld with them (minCell or more), as a reader who reruns the rule
// might work out. With a threshold as low as 3 or 5 that alone can pin a
// count (two cells of a country, each at least one trip, and a total
// below 3: both are 1) and nothing withheld helps; from the default 11 up
// it must find nothing either.

const inf = 1 << 40

// item is one figure of the page: a cell, a country's or year's total, or
// the headline.
type item struct {
	what  string
	fig   [4]report.Figure // trips, patients, surgeries, bypass
	truth [4]int
	mix   bool // of the case mix: only its patients are figures of the page
}

var measureNames = [4]string{"trips", "patients", "surgeries", "bypass"}

func figs(c report.Counts) [4]report.Figure {
	return [4]report.Figure{c.Trips, c.Patients, c.Surgeries, c.Bypass}
}

// page is the public view flattened: items, and the equations total =
// sum of parts that hold between them (indices into items).
type page struct {
	items     []item
	cells     int          // items[:cells] are the cells
	listed    map[int]bool // other items a reader knows hold at least one patient (the case mix's categories)
	equations []equation
}

type equation struct {
	total int
	parts []int
	only  int // 1+the one measure the equation holds for; 0: all four
}

func (eq equation) holds(m int) bool { return eq.only == 0 || eq.only == m+1 }

func newPage(t report.ImpactTable, truth []report.Cell, mix ...report.MixCell) page {
	p := page{listed: map[int]bool{}}
	country, year := map[string]int{}, map[int]int{}
	for k, c := range t.Cells {
		tr := truth[k]
		p.items = append(p.items, item{what: fmt.Sprintf("%s %d", c.Country, c.Year), fig: figs(c.Counts),
			truth: [4]int{tr.Trips, tr.Patients, tr.Surgeries, tr.Bypass}})
	}
	p.cells = len(p.items)
	sum := func(what string, keep func(k int) bool) int {
		it := item{what: what}
		var eq equation
		for k := range p.cells {
			if keep(k) {
				eq.parts = append(eq.parts, k)
				for m := range 4 {
					it.truth[m] += p.items[k].truth[m]
				}
			}
		}
		p.items = append(p.items, it)
		eq.total = len(p.items) - 1
		p.equations = append(p.equations, eq)
		return eq.total
	}
	var countries, years []int
	for i, c := range t.Countries {
		country[c.Country] = sum("total "+c.Country, func(k int) bool { return t.Cells[k].Country == c.Country })
		p.items[country[c.Country]].fig = figs(t.Countries[i].Counts)
		countries = append(countries, country[c.Country])
	}
	for j, y := range t.Years {
		year[y.Year] = sum(fmt.Sprint("total ", y.Year), func(k int) bool { return t.Cells[k].Year == y.Year })
		p.items[year[y.Year]].fig = figs(t.Years[j].Counts)
		years = append(years, year[y.Year])
	}
	grand := sum("headline", func(int) bool { return true })
	p.items[grand].fig = figs(t.Total)
	p.equations = append(p.equations, equation{total: grand, parts: countries}, equation{total: grand, parts: years})
	p.addMix(t, mix, grand)
	return p
}

// addMix adds the case mix: each category's patients, each age group's
// total of them, and the headline as the total of the age groups. The
// other three measures of these items are no figures (shown, never
// summed), but a listed category has a patient.
func (p *page) addMix(t report.ImpactTable, mix []report.MixCell, grand int) {
	if len(t.Mix) == 0 {
		return
	}
	shown := func(n int) report.Figure { return report.Figure{N: n, Shown: true} }
	var groupParts []int
	for _, g := range t.Groups {
		var parts []int
		truth := 0
		for k, m := range mix {
			if m.AgeGroup != g.AgeGroup {
				continue
			}
			p.items = append(p.items, item{what: "mix " + m.AgeGroup + " " + m.Category, mix: true,
				fig: [4]report.Figure{shown(1), t.Mix[k].Patients, shown(0), shown(0)}, truth: [4]int{1, m.Cases, 0, 0}})
			p.listed[len(p.items)-1] = true
			parts = append(parts, len(p.items)-1)
			truth += m.Cases
		}
		p.items = append(p.items, item{what: "mix " + g.AgeGroup, mix: true,
			fig: [4]report.Figure{shown(0), g.Patients, shown(0), shown(0)}, truth: [4]int{0, truth, 0, 0}})
		p.equations = append(p.equations, equation{total: len(p.items) - 1, parts: parts, only: 2})
		groupParts = append(groupParts, len(p.items)-1)
	}
	p.equations = append(p.equations, equation{total: grand, parts: groupParts, only: 2})
}

// linearLeaks names every withheld small figure that a combination of the
// shown totals isolates.
func (p page) linearLeaks(minCell int) []string {
	var leaks []string
	for m := range 4 {
		col := map[int]int{} // item → column of the withheld unknowns
		var unknowns []int
		for i, it := range p.items {
			if !it.fig[m].Shown {
				col[i] = len(unknowns)
				unknowns = append(unknowns, i)
			}
		}
		var rows [][]*big.Rat
		for _, eq := range p.equations {
			if !eq.holds(m) {
				continue
			}
			row := make([]*big.Rat, len(unknowns))
			for c := range row {
				row[c] = new(big.Rat)
			}
			add := func(i int, v int64) {
				if c, ok := col[i]; ok {
					row[c].Add(row[c], big.NewRat(v, 1))
				}
			}
			add(eq.total, 1)
			for _, part := range eq.parts {
				add(part, -1)
			}
			rows = append(rows, row)
		}
		for c, alone := range isolated(rows, len(unknowns)) {
			if it := p.items[unknowns[c]]; alone && it.truth[m] < minCell {
				leaks = append(leaks, fmt.Sprintf("%s %s = %d (linear)", it.what, measureNames[m], it.truth[m]))
			}
		}
	}
	return leaks
}

// isolated reduces rows to echelon form and reports, for each column,
// whether some combination of the rows is that column alone.
func isolated(rows [][]*big.Rat, n int) []bool {
	out := make([]bool, n)
	r := 0
	for c := 0; c < n && r < len(rows); c++ {
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		inv := new(big.Rat).Inv(rows[r][c])
		for k := range n {
			rows[r][k].Mul(rows[r][k], inv)
		}
		for i := range rows {
			if i != r && rows[i][c].Sign() != 0 {
				f := new(big.Rat).Set(rows[i][c])
				for k := range n {
					rows[i][k].Sub(rows[i][k], new(big.Rat).Mul(f, rows[r][k]))
				}
			}
		}
		r++
	}
	for i := range r {
		nonzero, at := 0, -1
		for k := range n {
			if rows[i][k].Sign() != 0 {
				nonzero, at = nonzero+1, k
			}
		}
		if nonzero == 1 {
			out[at] = true
		}
	}
	return out
}

type span struct{ lo, hi int }

// boundLeaks narrows every figure's range from what the page shows and
// names each withheld small figure left with a single value. It fails the
// test if the truth ever falls outside a range (the attacker would be
// wrong, so the test would be).
func (p page) boundLeaks(t *testing.T, minCell int, strong bool) []string {
	t.Helper()
	r := make([][4]span, len(p.items))
	for i, it := range p.items {
		for m := range 4 {
			switch {
			case it.fig[m].Shown:
				r[i][m] = span{it.fig[m].N, it.fig[m].N}
			case !strong:
				r[i][m] = span{0, inf}
			case it.truth[m] < minCell:
				r[i][m] = span{0, minCell - 1}
			default:
				r[i][m] = span{minCell, inf}
			}
			if (i < p.cells || p.listed[i]) && (m == 0 || m == 1) {
				r[i][m].lo = max(r[i][m].lo, 1)
			}
		}
	}
	narrow := func(s *span, lo, hi int) bool {
		if lo > s.lo || hi < s.hi {
			s.lo, s.hi = max(s.lo, lo), min(s.hi, hi)
			return true
		}
		return false
	}
	for changed, round := true, 0; changed && round < 1000; round++ {
		changed = false
		for i := range p.items {
			if i >= p.cells && !p.listed[i] {
				continue
			}
			changed = narrow(&r[i][1], r[i][0].lo, inf) || changed // trips ≤ patients
			changed = narrow(&r[i][0], 0, r[i][1].hi) || changed
			changed = narrow(&r[i][2], r[i][3].lo, inf) || changed // bypass ≤ surgeries
			changed = narrow(&r[i][3], 0, r[i][2].hi) || changed
		}
		for _, eq := range p.equations {
			for m := range 4 {
				if !eq.holds(m) {
					continue
				}
				// The parts' sum: lo, and hi over the bounded parts with
				// how many are unbounded.
				lo, hi, open := 0, 0, 0
				for _, part := range eq.parts {
					lo += r[part][m].lo
					if r[part][m].hi >= inf {
						open++
					} else {
						hi += r[part][m].hi
					}
				}
				sumHi := hi
				if open > 0 {
					sumHi = inf
				}
				changed = narrow(&r[eq.total][m], lo, sumHi) || changed
				tot := r[eq.total][m]
				for _, part := range eq.parts {
					s := r[part][m]
					othersLo, othersHi := lo-s.lo, inf
					if open == 0 || open == 1 && s.hi >= inf {
						othersHi = hi
						if s.hi < inf {
							othersHi -= s.hi
						}
					}
					phi := inf
					if tot.hi < inf {
						phi = tot.hi - othersLo
					}
					changed = narrow(&r[part][m], max(0, tot.lo-othersHi), phi) || changed
				}
			}
		}
	}
	var leaks []string
	for i, it := range p.items {
		for m := range 4 {
			if s := r[i][m]; s.lo > it.truth[m] || s.hi < it.truth[m] {
				t.Fatalf("the attacker is wrong: %s %s = %d, narrowed to %d..%d", it.what, measureNames[m], it.truth[m], s.lo, s.hi)
			}
			if !it.fig[m].Shown && it.truth[m] < minCell && r[i][m].lo == r[i][m].hi && (!it.mix || m == 1) {
				leaks = append(leaks, fmt.Sprintf("%s %s = %d (bounds)", it.what, measureNames[m], it.truth[m]))
			}
		}
	}
	return leaks
}

// checkPage fails the test for anything the public page gives away.
func checkPage(t *testing.T, cells []report.Cell, tab report.ImpactTable, minCell int, mix ...report.MixCell) {
	t.Helper()
	p := newPage(tab, cells, mix...)
	most := 1
	for _, c := range tab.Cells {
		if c.Patients.Shown {
			most = max(most, c.Patients.N)
		}
	}
	for _, c := range tab.Cells {
		// The bars come from the shown counts alone.
		if !c.Patients.Shown && c.Bar != 0 || c.Patients.Shown && c.Bar != 100*c.Patients.N/most {
			t.Errorf("%s %d: a bar of %d for %+v", c.Country, c.Year, c.Bar, c.Patients)
		}
	}
	for _, it := range p.items {
		for m := range 4 {
			if it.mix && m != 1 {
				continue
			}
			f := it.fig[m]
			if f.Shown && f.N != it.truth[m] {
				t.Errorf("%s %s shown as %d, is %d", it.what, measureNames[m], f.N, it.truth[m])
			}
			if f.Shown && it.truth[m] < minCell {
				t.Errorf("%s %s: the small count %d is shown", it.what, measureNames[m], it.truth[m])
			}
			if !f.Shown && f.N != 0 {
				t.Errorf("%s %s: withheld but carries %d", it.what, measureNames[m], f.N)
			}
		}
	}
	leaks := append(p.linearLeaks(minCell), p.boundLeaks(t, minCell, false)...)
	if minCell >= 11 {
		leaks = append(leaks, p.boundLeaks(t, minCell, true)...)
	}
	if len(leaks) > 0 {
		t.Errorf("recovered from the public page (min %d): %v\ncells %+v\npage %+v", minCell, leaks, cells, tab)
	}
}

// randomCells is a table of 1–6 countries × 1–4 years, some cells absent,
// with counts small and large: mostly one or two trips, patients from one
// per trip to dozens, surgeries around the patients, bypass among them.
func randomCells(r *rand.Rand) []report.Cell {
	countries, years := 1+r.IntN(6), 1+r.IntN(4)
	var cells []report.Cell
	for y := range years {
		for c := range countries {
			if len(cells) > 0 && r.IntN(4) == 0 {
				continue
			}
			trips := 1 + r.IntN(3)
			if r.IntN(8) == 0 {
				trips = 1 + r.IntN(15)
			}
			patients := trips + r.IntN([]int{4, 12, 30, 60}[r.IntN(4)])
			surgeries := max(0, patients-3+r.IntN(7))
			bypass := r.IntN(surgeries + 1)
			cells = append(cells, report.Cell{Country: string(rune('A'+c)) + "X", Year: 2027 - y,
				Trips: trips, Patients: patients, Surgeries: surgeries, Bypass: bypass})
		}
	}
	return cells
}

// Thousands of random tables: no withheld small count can be recovered
// from everything the public page shows.
func TestPublicImpactWithstandsTheAttacker(t *testing.T) {
	testenv.Full(t, "thousands of random tables (slow)")
	r := rand.New(rand.NewPCG(17, 2026))
	var headline, shown, cellsSeen int
	const tables = 3000
	for range tables {
		cells := randomCells(r)
		minCell := []int{3, 5, 11, 11, 11, 20}[r.IntN(6)]
		tab := report.PublicImpact(cells, nil, minCell)
		checkPage(t, cells, tab, minCell)
		if t.Failed() {
			return
		}
		if tab.Total.Patients.Shown {
			headline++
		}
		for _, c := range tab.Cells {
			cellsSeen++
			if c.Patients.Shown {
				shown++
			}
		}
	}
	t.Logf("%d tables: the headline shown in %d; patients shown in %d of %d cells", tables, headline, shown, cellsSeen)
}

// The attacker is not toothless: on the page as it was (small counts
// hidden, every total shown) it recovers the issue's 9.
func TestDisclosureAttackerRecoversNaiveSuppression(t *testing.T) {
	cells := issueExample()
	naive := report.ExactImpact(cells, nil)
	hide := func(f *report.Figure) {
		if f.N < 11 {
			*f = report.Figure{}
		}
	}
	for k := range naive.Cells {
		hide(&naive.Cells[k].Patients)
	}
	for k := range naive.Countries {
		hide(&naive.Countries[k].Patients)
	}
	p := newPage(naive, cells)
	leaks := append(p.linearLeaks(11), p.boundLeaks(t, 11, false)...)
	if len(leaks) == 0 || leaks[0] != "GT 2026 patients = 9 (linear)" {
		t.Fatalf("the attacker missed the 9: %v", leaks)
	}
}

// issueExample: two countries, 18 and 9 patients, the same year.
func issueExample() []report.Cell {
	return []report.Cell{
		{Country: "HN", Year: 2026, Trips: 1, Patients: 18, Surgeries: 18, Bypass: 13},
		{Country: "GT", Year: 2026, Trips: 1, Patients: 9, Surgeries: 9, Bypass: 7},
	}
}

// The issue's page: 18 and "fewer than 11" beside a headline of 27. Now
// the 9 is withheld and so is whatever would give it back; no bar has a
// length from it.
func TestPublicImpactIssueExample(t *testing.T) {
	cells := issueExample()
	tab := report.PublicImpact(cells, nil, 11)
	checkPage(t, cells, tab, 11)
	gt := tab.Cells[1]
	if gt.Patients.Shown || gt.Bar != 0 {
		t.Errorf("Guatemala's 9: %+v", gt)
	}
	if tab.Cells[0].Patients.Shown && tab.Total.Patients.Shown {
		t.Errorf("18 and a headline of %d give 9 away", tab.Total.Patients.N)
	}
	if !tab.Withheld {
		t.Error("the page does not say that figures are withheld")
	}
}

// A table with no small count loses nothing, and the IPA's own view shows
// every figure.
func TestPublicImpactShowsWhatIsSafe(t *testing.T) {
	cells := []report.Cell{
		{Country: "HN", Year: 2026, Trips: 12, Patients: 40, Surgeries: 38, Bypass: 30},
		{Country: "GT", Year: 2026, Trips: 11, Patients: 20, Surgeries: 22, Bypass: 11},
	}
	tab := report.PublicImpact(cells, nil, 11)
	if tab.Withheld || tab.Total.Patients.N != 60 || tab.Cells[1].Bar != 50 || tab.Cells[0].Bar != 100 {
		t.Errorf("%+v", tab)
	}
	full := report.ExactImpact(issueExample(), nil)
	if full.Withheld || full.Total.Patients.N != 27 || full.Cells[1].Patients.N != 9 || full.Cells[1].Bar != 50 {
		t.Errorf("the IPA's view: %+v", full)
	}
}

// randomMix splits the table's patients into a case mix: children over
// RACHS-1 categories and adults over procedure groups, many of them small,
// some reports "not reported".
func randomMix(r *rand.Rand, cells []report.Cell) []report.MixCell {
	total := 0
	for _, c := range cells {
		total += c.Patients
	}
	cats := map[string][]string{"child": {"1", "2", "3", "4", "5", "6", "unclassified", "not_reported"},
		"adult": {"coronary", "valve", "combined", "other", "not_reported"}}
	counts := map[[2]string]int{}
	for range total {
		g := "child"
		if r.IntN(3) == 0 {
			g = "adult"
		}
		list := cats[g]
		// The first categories take most patients; the rest stay small.
		k := min(r.IntN(len(list)), r.IntN(len(list)), r.IntN(len(list)))
		counts[[2]string{g, list[k]}]++
	}
	var mix []report.MixCell
	for _, g := range []string{"child", "adult"} {
		for _, c := range cats[g] {
			if n := counts[[2]string{g, c}]; n > 0 {
				mix = append(mix, report.MixCell{AgeGroup: g, Category: c, Cases: n})
			}
		}
	}
	return mix
}

// The case mix joins the page: no small count of it, or of the table, can
// be recovered from everything shown together (the headline is the
// patients of both), and no death is ever among the figures.
func TestPublicImpactWithTheCaseMixWithstandsTheAttacker(t *testing.T) {
	testenv.Full(t, "a thousand random tables (slow)")
	r := rand.New(rand.NewPCG(21, 2026))
	var shown, seen, dropped int
	for range 1000 {
		cells := randomCells(r)
		mix := randomMix(r, cells)
		minCell := []int{3, 5, 11, 11, 11, 20}[r.IntN(6)]
		tab := report.PublicImpact(cells, mix, minCell)
		if len(tab.Mix) != len(mix) && len(tab.Mix) != 0 {
			t.Fatalf("%d categories of %d shown", len(tab.Mix), len(mix))
		}
		if len(tab.Mix) == 0 {
			dropped++
		}
		checkPage(t, cells, tab, minCell, mix...)
		if t.Failed() {
			return
		}
		for _, m := range tab.Mix {
			seen++
			if m.Patients.Shown {
				shown++
			}
		}
	}
	t.Logf("case mix: %d of %d categories shown; none shown in %d tables of 1000", shown, seen, dropped)
}

// A case mix with one small category beside a shown headline: the small
// one is withheld and so is another, so the headline does not give it
// back; a withheld headline withholds the whole case mix.
func TestPublicCaseMixExample(t *testing.T) {
	cells := []report.Cell{{Country: "HN", Year: 2026, Trips: 12, Patients: 60, Surgeries: 58, Bypass: 40}}
	mix := []report.MixCell{{AgeGroup: "child", Category: "2", Cases: 30}, {AgeGroup: "child", Category: "3", Cases: 20},
		{AgeGroup: "child", Category: "6", Cases: 4}, {AgeGroup: "adult", Category: "valve", Cases: 6}}
	tab := report.PublicImpact(cells, mix, 11)
	checkPage(t, cells, tab, 11, mix...)
	if tab.Mix[2].Patients.Shown || tab.Mix[3].Patients.Shown {
		t.Errorf("small categories shown: %+v", tab.Mix)
	}
	if tab.Mix[0].Patients.Shown && tab.Mix[1].Patients.Shown && tab.Groups[0].Patients.Shown {
		t.Errorf("60 − 30 − 20 − children's total gives the adults' 6 away: %+v %+v", tab.Mix, tab.Groups)
	}
	small := []report.Cell{{Country: "HN", Year: 2026, Trips: 1, Patients: 8, Surgeries: 8, Bypass: 6}}
	tab = report.PublicImpact(small, []report.MixCell{{AgeGroup: "child", Category: "2", Cases: 8}}, 11)
	if len(tab.Mix) != 0 || len(tab.Groups) != 0 {
		t.Errorf("the headline is withheld, the case mix is not: %+v", tab.Mix)
	}
	full := report.ExactImpact(cells, mix)
	if full.Mix[2].Patients.N != 4 || full.Groups[1].Patients.N != 6 {
		t.Errorf("the IPA's view: %+v %+v", full.Mix, full.Groups)
	}
}
