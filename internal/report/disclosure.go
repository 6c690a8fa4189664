package report

import (
	"cmp"
	"math"
	"slices"
)

// What the public impact page may show. The page is a table of country ×
// year with four counts in each cell (trips, patients, surgeries, on
// bypass), each country's and each year's totals, and the grand total the
// headline quotes. PublicImpact decides every one of those figures once:
// shown exactly, or withheld. The handler and the template format what it
// returns and never add, subtract or scale a withheld number.
//
// The rule (statistical disclosure control, cell suppression):
//
//   - Primary suppression: any count below minCell is withheld, in a cell or
//     in a total. Zeros too: a zero is a small count like the others, and
//     showing zeros would tell a reader that every withheld figure is at
//     least 1 (with minCell 2 that is the exact value), and that "none of
//     the 15 patients of Peru 2026 was on bypass".
//   - Secondary (complementary) suppression: for every withheld small count,
//     there must be another table, consistent with everything shown, in
//     which that count differs. Each measure is a table with margins, that
//     is a network (country rows and year columns, totals as the edges
//     that close them), and another consistent table exists exactly when
//     the count lies on a cycle of withheld figures that can all move by
//     one: up on some, down on others, every total shown left unchanged.
//     When no such cycle exists, the cheapest shown figures that close one
//     (cheapest: the smallest counts, so cells before the large totals)
//     are withheld too. This is the classic "a row with a withheld cell
//     withholds a second cell, or its total" generalised to chains of rows
//     and columns, and to the grand total.
//   - The reader is assumed to know the rule and which withheld figures are
//     small (so their range is 0..minCell-1) and which were withheld with
//     them (minCell or more), and how the measures bound each other in a
//     cell: a trip has at least one patient, so trips ≤ patients; bypass
//     cases are open-heart operations, so bypass ≤ surgeries. A cycle
//     counts only if moving along it keeps every such bound with the
//     partner measure left at its true value; where the partner holds a
//     count still (bypass equal to surgeries), both move together on one
//     cycle. Where even that reader cannot be kept out whatever is
//     withheld (a low minCell: see box), the page's own reader, who sees
//     every withheld figure marked alike, still is. Bounds do get out (a
//     withheld bypass count is at most the shown surgeries); exact values
//     do not.
//
// What this does not give: a range of width at least some protection
// level. A withheld count may be known to lie in, say, 9..10. Bars and
// every other rendering come from the shown figures only. Measured on the
// tests' 3,000 random tables (1–6 countries × 1–4 years, many small
// counts): the headline stays in 94% of them.

// Figure is one count as a reader of the impact page sees it.
type Figure struct {
	N     int  // the count; zero when withheld
	Shown bool // false: withheld so that small counts stay private
}

// Counts are the four figures of a cell or a total.
type Counts struct {
	Trips, Patients, Surgeries, Bypass Figure
}

// ImpactCell is one country in one year.
type ImpactCell struct {
	Country string
	Year    int
	Counts
	// Bar is the patients bar's length, 0..100 of the largest shown count;
	// 0 and no bar at all when the patients are withheld.
	Bar int
}

// ImpactTotal is one country's total over the years, or one year's over
// the countries.
type ImpactTotal struct {
	Country string // set for a country's total
	Year    int    // set for a year's total
	Counts
}

// ImpactTable is the impact page's content, already safe for its reader.
type ImpactTable struct {
	Cells     []ImpactCell  // in the order given
	Countries []ImpactTotal // in order of first appearance
	Years     []ImpactTotal // in order of first appearance
	Total     Counts        // the headline
	Withheld  bool          // some figure is withheld
	// The case mix: the patients of each category (in the order given),
	// and of each age group. Never a death: mortality is not for the
	// public page.
	Mix    []MixFigure
	Groups []GroupFigure
}

// MixFigure is one category's patients as the page's reader sees them.
type MixFigure struct {
	AgeGroup, Category string
	Patients           Figure
}

// GroupFigure is one age group's patients over its categories.
type GroupFigure struct {
	AgeGroup string
	Patients Figure
}

// ExactImpact is the IPA's own view: every figure shown.
func ExactImpact(cells []Cell, mix []MixCell) ImpactTable {
	t := newGrid(cells).table(nil)
	t.Mix, t.Groups = mixTable(mix, nil, nil)
	return t
}

// PublicImpact is what the public sees: counts below minCell withheld, and
// with them whatever would let one be worked out (see the rule above),
// the case mix included (see publicMix).
func PublicImpact(cells []Cell, mix []MixCell, minCell int) ImpactTable {
	t := publicImpact(cells, minCell)
	t.Mix, t.Groups = publicMix(mix, t.Total.Patients.Shown, minCell)
	for _, m := range t.Mix {
		t.Withheld = t.Withheld || !m.Patients.Shown
	}
	return t
}

// publicMix decides the case mix's figures. Its categories add up to its
// age groups, and these to the headline's patients (a report without a
// case mix counts as "not reported"), so it is a table like the others:
// age groups as rows, each category a column of one cell, and the
// headline as the grand total. The headline is the impact table's: when
// that withholds it, the whole case mix is withheld (the categories would
// give it back); when it shows it, the case mix's protection takes it as
// known (pinned: no cycle may pass through it). When the headline is
// withheld, so is the whole case mix, its categories' names included.
func publicMix(mix []MixCell, headlineShown bool, minCell int) ([]MixFigure, []GroupFigure) {
	if len(mix) == 0 {
		return nil, nil
	}
	if !headlineShown {
		return nil, nil
	}
	g := mixGrid(mix)
	n := g.network(mPatients, minCell)
	for _, strong := range []bool{true, false} {
		n.strong = strong
		protect(pinned{n, g.grandEdge()})
	}
	// Where nothing withheld keeps a small count from being worked out
	// (three categories listed, each with a patient, and a headline of
	// 3), the case mix is not shown at all, not even its categories.
	for _, strong := range []bool{true, false} {
		n.strong = strong
		for e := range n.edges {
			if n.needsHelp(e) && !canReturn(pinned{n, g.grandEdge()}, e) {
				return nil, nil
			}
		}
	}
	return mixTable(mix, g, n.hiddenFlags())
}

// mixGrid places the case mix as a grid: age groups as rows, each
// category its own column.
func mixGrid(mix []MixCell) *grid {
	cells := make([]Cell, len(mix))
	for k, m := range mix {
		// One trip at least stands behind every listed category: its
		// patients are at least one, as a reader knows.
		cells[k] = Cell{Country: m.AgeGroup, Year: k, Trips: 1, Patients: m.Cases}
	}
	return newGrid(cells)
}

// mixTable shows the case mix with hidden[edge] withheld (nil: all shown).
func mixTable(mix []MixCell, g *grid, hidden []bool) ([]MixFigure, []GroupFigure) {
	if g == nil {
		g = mixGrid(mix)
	}
	values := g.values(mPatients)
	fig := func(e int) Figure {
		if hidden != nil && hidden[e] {
			return Figure{}
		}
		return Figure{N: values[e], Shown: true}
	}
	out := make([]MixFigure, len(mix))
	for k, m := range mix {
		out[k] = MixFigure{AgeGroup: m.AgeGroup, Category: m.Category, Patients: fig(k)}
	}
	groups := make([]GroupFigure, len(g.countries))
	for i, c := range g.countries {
		groups[i] = GroupFigure{AgeGroup: c, Patients: fig(g.countryEdge(i))}
	}
	return out, groups
}

// pinned is a network one of whose figures the reader knows from
// elsewhere: it cannot move, whatever this table withholds.
type pinned struct {
	*network
	fixed int
}

func (p pinned) movable(e int, up bool) bool { return e != p.fixed && p.network.movable(e, up) }

// publicImpact is the country × year table's protection.
func publicImpact(cells []Cell, minCell int) ImpactTable {
	g := newGrid(cells)
	nets := make([]*network, len(measures))
	for m := range measures {
		nets[m] = g.network(measure(m), minCell)
	}
	// Against the reader who knows which withheld counts are small; then,
	// where that reader cannot be kept from a count whatever is withheld
	// (see box), at least against the page's reader.
	for _, strong := range []bool{true, false} {
		for _, n := range nets {
			n.strong = strong
			n.protect()
		}
		// A small count held still by its partner measure (bypass equal
		// to surgeries, trips equal to patients) moves with it.
		joint{nets[mTrips], nets[mPatients]}.protect()
		joint{nets[mSurgeries], nets[mBypass]}.protect()
	}
	hidden := make([][]bool, len(measures))
	for m := range measures {
		hidden[m] = nets[m].hiddenFlags()
	}
	return g.table(hidden)
}

// measure is one of the four counts of a cell.
type measure int

const (
	mTrips measure = iota
	mPatients
	mSurgeries
	mBypass
)

var measures = []measure{mTrips, mPatients, mSurgeries, mBypass}

func (m measure) of(c Cell) int {
	switch m {
	case mTrips:
		return c.Trips
	case mPatients:
		return c.Patients
	case mSurgeries:
		return c.Surgeries
	}
	return c.Bypass
}

func (m measure) set(f *Counts, v Figure) {
	switch m {
	case mTrips:
		f.Trips = v
	case mPatients:
		f.Patients = v
	case mSurgeries:
		f.Surgeries = v
	default:
		f.Bypass = v
	}
}

// bounds are what a reader knows of a count in a cell before any total:
// a listed cell has a trip, so a patient; and what the partner measure of
// the same cell tells: trips ≤ patients (every accepted report has a
// patient) and bypass ≤ surgeries. The partner is taken at its true value,
// so a move that keeps these bounds is one the partner allows as it
// stands. All are kept to the true value, so a cell whose data break them
// stays inside its own bounds.
func (m measure) bounds(c Cell) (own, partner [2]int) {
	own, partner = [2]int{0, unbounded}, [2]int{0, unbounded}
	switch m {
	case mTrips:
		own[0], partner[1] = 1, c.Patients
	case mPatients:
		own[0], partner[0] = 1, c.Trips
	case mSurgeries:
		partner[0] = c.Bypass
	case mBypass:
		partner[1] = c.Surgeries
	}
	v := m.of(c)
	own[0], partner[0] = min(own[0], v), min(max(own[0], partner[0]), v)
	partner[1] = max(partner[1], v)
	return own, partner
}

const unbounded = math.MaxInt / 4

// grid places cells in rows (countries) and columns (years).
type grid struct {
	cells     []Cell
	countries []string
	years     []int
	row, col  []int // each cell's row and column
}

func newGrid(cells []Cell) *grid {
	g := &grid{cells: cells}
	ci, yi := map[string]int{}, map[int]int{}
	for _, c := range cells {
		i, ok := ci[c.Country]
		if !ok {
			i = len(g.countries)
			ci[c.Country] = i
			g.countries = append(g.countries, c.Country)
		}
		j, ok := yi[c.Year]
		if !ok {
			j = len(g.years)
			yi[c.Year] = j
			g.years = append(g.years, c.Year)
		}
		g.row, g.col = append(g.row, i), append(g.col, j)
	}
	return g
}

// Edges of a measure's network, in this order: cells, country totals, year
// totals, the grand total.
func (g *grid) countryEdge(i int) int { return len(g.cells) + i }
func (g *grid) yearEdge(j int) int    { return len(g.cells) + len(g.countries) + j }
func (g *grid) grandEdge() int        { return len(g.cells) + len(g.countries) + len(g.years) }

// table builds the page's content; hidden[m][edge] withholds a figure
// (nil: the exact view).
func (g *grid) table(hidden [][]bool) ImpactTable {
	t := ImpactTable{Cells: make([]ImpactCell, len(g.cells)), Countries: make([]ImpactTotal, len(g.countries)),
		Years: make([]ImpactTotal, len(g.years))}
	for i, c := range g.countries {
		t.Countries[i].Country = c
	}
	for j, y := range g.years {
		t.Years[j].Year = y
	}
	for _, m := range measures {
		values := g.values(m)
		figure := func(e int) Figure {
			if hidden != nil && hidden[m][e] {
				t.Withheld = true
				return Figure{}
			}
			return Figure{N: values[e], Shown: true}
		}
		for k, c := range g.cells {
			t.Cells[k].Country, t.Cells[k].Year = c.Country, c.Year
			m.set(&t.Cells[k].Counts, figure(k))
		}
		for i := range g.countries {
			m.set(&t.Countries[i].Counts, figure(g.countryEdge(i)))
		}
		for j := range g.years {
			m.set(&t.Years[j].Counts, figure(g.yearEdge(j)))
		}
		m.set(&t.Total, figure(g.grandEdge()))
	}
	// The bars are drawn from the shown counts alone.
	most := 1
	for _, c := range t.Cells {
		if c.Patients.Shown {
			most = max(most, c.Patients.N)
		}
	}
	for k, c := range t.Cells {
		if c.Patients.Shown {
			t.Cells[k].Bar = 100 * c.Patients.N / most
		}
	}
	return t
}

// values are a measure's cells, then its totals, in edge order.
func (g *grid) values(m measure) []int {
	v := make([]int, g.grandEdge()+1)
	for k, c := range g.cells {
		n := m.of(c)
		v[k] = n
		v[g.countryEdge(g.row[k])] += n
		v[g.yearEdge(g.col[k])] += n
		v[g.grandEdge()] += n
	}
	return v
}

// network is one measure's table as a circulation: node 0 sends the grand
// total to the countries (an edge per country total), each country sends
// its cells to the years (an edge per cell), each year sends its total to
// node 1, and node 1 returns the grand total to node 0. Every way of
// changing withheld figures that leaves the shown ones as they are is a
// sum of cycles in it.
type network struct {
	edges   []edge
	minCell int
	strong  bool // the reader knows which withheld figures are small
}

type edge struct {
	from, to int
	v        int
	own      [2]int // lowest and highest value a reader allows it alone
	partner  [2]int // the same with the partner measure as it is (cells)
	hidden   bool
}

func (g *grid) network(m measure, minCell int) *network {
	n := &network{minCell: minCell}
	country := func(i int) int { return 2 + i }
	year := func(j int) int { return 2 + len(g.countries) + j }
	values := g.values(m)
	for k, c := range g.cells {
		own, partner := m.bounds(c)
		n.edges = append(n.edges, edge{from: country(g.row[k]), to: year(g.col[k]), own: own, partner: partner})
	}
	free := [2]int{0, unbounded}
	for i := range g.countries {
		n.edges = append(n.edges, edge{from: 0, to: country(i), own: free, partner: free})
	}
	for j := range g.years {
		n.edges = append(n.edges, edge{from: year(j), to: 1, own: free, partner: free})
	}
	n.edges = append(n.edges, edge{from: 1, to: 0, own: free, partner: free})
	for e := range n.edges {
		n.edges[e].v = values[e]
		n.edges[e].hidden = n.small(e) // primary suppression
	}
	return n
}

func (n *network) small(e int) bool { return n.edges[e].v < n.minCell }

// box is what a reader knows of a withheld figure: the bounds of its cell
// (with the partner measure's, unless both move); and for the strong
// reader, who reruns the rule, that a small count is below minCell and one
// withheld with it is not. That reader cannot always be kept out: with
// minCell 3, a country's two cells of one trip each and its total of 2
// (small, so at most 2) are pinned whatever else is withheld.
func (n *network) box(e int, withPartner bool) (lo, hi int) {
	b := n.edges[e].own
	if withPartner {
		b = n.edges[e].partner
	}
	if !n.strong {
		return b[0], b[1]
	}
	if n.small(e) {
		return b[0], min(b[1], n.minCell-1)
	}
	return max(b[0], n.minCell), b[1]
}

func (n *network) canMove(e int, up, withPartner bool) bool {
	lo, hi := n.box(e, withPartner)
	if up {
		return n.edges[e].v+1 <= hi
	}
	return n.edges[e].v-1 >= lo
}

// A network alone: its moves keep the partner measure's bounds.
func (n *network) arcs() []edge                { return n.edges }
func (n *network) withheld(e int) bool         { return n.edges[e].hidden }
func (n *network) withhold(e int)              { n.edges[e].hidden = true }
func (n *network) movable(e int, up bool) bool { return n.canMove(e, up, true) }
func (n *network) cost(e int) int              { return n.edges[e].v }
func (n *network) needsHelp(e int) bool        { return n.edges[e].hidden && n.small(e) }

// joint is a pair of partner measures moving together, by the same amount
// on the same cycle: the difference between them stays, so the bounds
// between them hold without being checked.
type joint struct{ a, b *network }

func (j joint) arcs() []edge        { return j.a.edges }
func (j joint) withheld(e int) bool { return j.a.withheld(e) && j.b.withheld(e) }
func (j joint) withhold(e int)      { j.a.withhold(e); j.b.withhold(e) }
func (j joint) movable(e int, up bool) bool {
	return j.a.canMove(e, up, false) && j.b.canMove(e, up, false)
}

func (j joint) cost(e int) int {
	c := 0
	for _, n := range []*network{j.a, j.b} {
		if !n.withheld(e) {
			c += n.edges[e].v
		}
	}
	return c
}

// needsHelp: a small count of either that cannot move on its own.
func (j joint) needsHelp(e int) bool {
	for _, n := range []*network{j.a, j.b} {
		if n.needsHelp(e) && !canReturn(n, e) {
			return true
		}
	}
	return false
}

func (j joint) protect()    { protect(j) }
func (n *network) protect() { protect(n) }

// canReturn reports whether e can move by one with nothing more withheld.
func canReturn(t table, e int) bool {
	for _, up := range []bool{true, false} {
		if path, _ := cheapestReturn(t, e, up); path != nil && len(path) == 0 {
			return true
		}
	}
	return false
}

// table is a network of figures that move along cycles.
type table interface {
	arcs() []edge
	withheld(e int) bool
	withhold(e int)
	movable(e int, up bool) bool
	cost(e int) int // of withholding e when shown
	needsHelp(e int) bool
}

func (n *network) hiddenFlags() []bool {
	h := make([]bool, len(n.edges))
	for e := range n.edges {
		h[e] = n.edges[e].hidden
	}
	return h
}

// protect withholds, for each withheld small count in turn, the cheapest
// shown figures that let it move. Withholding more never pins a figure
// that could move, so one pass is enough.
func protect(t table) {
	for e := range t.arcs() {
		if !t.needsHelp(e) {
			continue
		}
		up, upCost := cheapestReturn(t, e, true)
		down, downCost := cheapestReturn(t, e, false)
		path := up
		if up == nil || (down != nil && downCost < upCost) {
			path = down
		}
		// No path at all: the count cannot move whatever is withheld (its
		// range is a single value, minCell 2 and a trip, which is at least
		// 1; or its partner measure holds it, which joint handles).
		for _, f := range path {
			t.withhold(f)
		}
	}
}

// cheapestReturn finds how e can move by one (up or down) with the fewest
// shown figures withheld, the smallest first: a cheapest path back from
// one end of e to the other in which a withheld figure costs nothing and a
// shown one its count. It returns the shown figures on that path (empty
// when e can move already), or nil when e cannot move that way.
func cheapestReturn(t table, e int, up bool) ([]int, int) {
	edges := t.arcs()
	if !t.movable(e, up) {
		return nil, 0
	}
	start, goal := edges[e].to, edges[e].from
	if !up {
		start, goal = goal, start
	}
	nodes := 0
	for _, f := range edges {
		nodes = max(nodes, f.from+1, f.to+1)
	}
	dist := make([]int, nodes)
	via := make([]int, nodes) // the edge that reached the node
	done := make([]bool, nodes)
	for v := range dist {
		dist[v], via[v] = unbounded, -1
	}
	dist[start] = 0
	for {
		u := -1
		for v := range dist {
			if !done[v] && dist[v] < unbounded && (u < 0 || dist[v] < dist[u]) {
				u = v
			}
		}
		if u < 0 {
			return nil, 0
		}
		if u == goal {
			break
		}
		done[u] = true
		for f, x := range edges {
			if f == e {
				continue
			}
			cost := 0
			if !t.withheld(f) {
				cost = t.cost(f)
			}
			// Along f (f rises) or against it (f falls).
			if x.from == u && t.movable(f, true) && dist[u]+cost < dist[x.to] {
				dist[x.to], via[x.to] = dist[u]+cost, f
			}
			if x.to == u && t.movable(f, false) && dist[u]+cost < dist[x.from] {
				dist[x.from], via[x.from] = dist[u]+cost, f
			}
		}
	}
	path := []int{}
	for v := goal; v != start; {
		f := via[v]
		if !t.withheld(f) {
			path = append(path, f)
		}
		if edges[f].to == v {
			v = edges[f].from
		} else {
			v = edges[f].to
		}
	}
	slices.SortFunc(path, cmp.Compare)
	return path, dist[goal]
}
