package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/outcomes"
	"missiongrants/internal/seed"
	"missiongrants/internal/testenv"
)

// reportForm is a post-trip report that adds up: 5 children (3 in RACHS-1
// category 2, 2 in 3) and 3 adults.
func goodReportForm() url.Values {
	return url.Values{"infants": {"1"}, "children": {"4"}, "adults": {"3"}, "open_heart": {"6"}, "bypass": {"5"}, "interventional": {"2"},
		"deaths_discharge": {"1"}, "complications": {"1"}, "lost_follow_up": {"0"}, "narrative": {"Ocho pacientes."}, "action": {"submit"},
		"mix_child_2_cases": {"3"}, "mix_child_3_cases": {"2"}, "mix_child_3_deaths_hospital": {"1"}, "mix_adult_valve_cases": {"3"}}
}

// The case mix is checked against itself and the report's totals through
// the router, in the charity's language: each mistake beside its box and
// named in the summary, every figure kept; a death in hospital after day
// 30 is not a death at 30 days, so fewer deaths at 30 days is no mistake.
func TestReportCaseMixCheckedInBothLanguages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	type trip struct {
		lang string
		ch   *charity
		app  string
	}
	var trips []trip
	for _, c := range []struct{ lang, name string }{{"es", "Rosa"}, {"en", "Ana"}} {
		ch := s.newCharity(t, c.lang, c.name)
		app := ch.submitted("Mission " + c.lang)
		if _, err := s.db.Exec(`UPDATE applications SET status = 'approved' WHERE id = $1`, appID(app)); err != nil {
			t.Fatal(err)
		}
		trips = append(trips, trip{c.lang, ch, app})
	}
	s.clock.Set(afterTheTrip)
	for _, c := range trips {
		ch, app := c.ch, c.app
		form := goodReportForm()
		form.Set("deaths_30", "0")
		form.Set("mix_child_2_deaths_hospital", "2")
		form.Set("mix_child_2_deaths_after", "2") // 4 deaths among 3 cases
		form.Set("mix_child_3_ssi", "7")
		form.Set("mix_adult_valve_cases", "2") // 2 adults in the case mix, 3 in the report
		rec := ch.post(app+"/report", form)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		label := func(group, cat, col string) string {
			return s.text(c.lang, "page.outcomes.group."+group) + " · " + s.text(c.lang, "page.outcomes."+group+"."+cat) + " · " +
				s.text(c.lang, "page.outcomes.col."+col)
		}
		mustContain(t, rec,
			`<a href="#f-mix_child_2_deaths_after">`+label("child", "2", "deaths_after")+": "+s.text(c.lang, "error.outcomes.deaths_over_cases", "Cases", 3),
			`<a href="#f-mix_child_3_ssi">`+label("child", "3", "ssi")+": "+s.text(c.lang, "error.outcomes.over_cases", "Cases", 2),
			`<a href="#f-mix_adult">`+s.text(c.lang, "page.outcomes.group.adult")+": "+s.text(c.lang, "error.outcomes.adult_total", "Mix", 2, "Patients", 3),
			`id="f-mix_child_2_deaths_after-error"`, `aria-describedby="f-mix_child_2_deaths_after-error"`, `id="f-mix_child_3_ssi-error"`,
			`id="f-mix_adult-error"`, `name="mix_child_3_ssi" value="7"`, `name="mix_child_2_deaths_after" value="2"`)
		mustNotContain(t, rec, `href="#f-deaths_30"`, `href="#f-mix_child_2_deaths_hospital"`)
		// The children's deaths in hospital cannot outnumber the report's
		// deaths before discharge.
		form = goodReportForm()
		form.Set("deaths_discharge", "0")
		rec = ch.post(app+"/report", form)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec, `<a href="#f-mix_child">`+s.text(c.lang, "page.outcomes.group.child")+": "+
			s.text(c.lang, "error.outcomes.child_deaths_hospital", "Mix", 1, "Deaths", 0))
		form.Set("deaths_discharge", "1")
		rec = ch.post(app+"/report", form)
		if rec.Code != http.StatusSeeOther {
			b := rec.Body.String()
			if i := strings.Index(b, "error-summary"); i > 0 {
				b = b[i:min(len(b), i+1500)]
			}
			t.Fatalf("%s: status %d: %s", c.lang, rec.Code, b)
		}
		var kept int
		if err := s.db.QueryRow(`SELECT count(*) FROM report_case_mix WHERE application_id = $1`, appID(app)).Scan(&kept); err != nil || kept != 3 {
			t.Errorf("%s: %d categories kept, %v", c.lang, kept, err)
		}
		// Read back, the report shows its case mix, never a name.
		mustContain(t, ch.get(app+"/report"), s.text(c.lang, "page.outcomes.mix_title"), s.text(c.lang, "page.outcomes.child.3"))
	}
}

// earlierTrip gives the charity a funded trip of 2025 whose report came
// 90 days after it (due after 60), accepted, with a case mix: 10 children
// in category 2 and 10 in 3, a death in 3: 0.38 + 0.85 = 1.23 expected.
func (s *testServer) earlierTrip(t *testing.T, ch *charity) string {
	t.Helper()
	app := ch.submitted("Earlier mission")
	for _, q := range []string{
		`UPDATE applications SET status = 'approved', trip_start = '2025-03-01', trip_end = '2025-03-10' WHERE id = $1`,
		`INSERT INTO reports (application_id, status, patients, pediatric, open_heart, bypass, interventional, deaths, submitted_at, accepted_at, created_at, updated_at)
			VALUES ($1, 'accepted', 20, 20, 20, 18, 0, 1, '2025-06-08Z', '2025-06-20Z', now(), now())`,
		`INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi)
			VALUES ($1, 'child', '2', 10, 0, 0, 0, 1, 0), ($1, 'child', '3', 10, 1, 1, 0, 0, 1)`,
	} {
		if _, err := s.db.Exec(q, appID(app)); err != nil {
			t.Fatal(err)
		}
	}
	return app
}

// On a new application from a charity that reported before, the board
// reads its history: the trip, its report late, deaths against expected
// with the interval and the caution. Not a member who declared a
// conflict, not one who has not declared, and never the charity.
func TestBoardReadsTheCharitysHistory(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	earlier := s.earlierTrip(t, ch)
	app := ch.submitted("Heart mission 2027")
	id := appID(app)
	admin := s.loginAs(t, people[demoAdmin]) // in Spanish, not on the board
	sendToBoard(t, admin, app)

	history := func(lang string) []string {
		return []string{s.text(lang, "page.outcomes.history_title"), s.text(lang, "page.outcomes.history_caution"),
			`href="` + earlier + `"`, s.text(lang, "page.outcomes.late", "Date", s.cat.Date(lang, mustDate("2025-06-08")), "Due", s.cat.Date(lang, mustDate("2025-05-09"))),
			s.text(lang, "page.outcomes.summary", "Observed", "1", "Expected", decimal(1.23, 2, lang)), s.text(lang, "page.outcomes.wide")}
	}
	mustContain(t, admin.get(app), history("es")...)

	bruno := s.loginAs(t, people[demoBoard])
	mustNotContain(t, bruno.get(app), s.text("en", "page.outcomes.history_title")) // not declared yet
	wantRedirect(t, bruno.post("/board/applications/"+id+"/conflict", url.Values{"conflict": {"yes"}, "conflict_note": {"I volunteer there."}}), app)
	mustNotContain(t, bruno.get(app), s.text("en", "page.outcomes.history_title"), s.text("en", "page.outcomes.history_caution"))

	ada := s.loginAs(t, people[demoAdminBoard])
	wantRedirect(t, ada.post("/board/applications/"+id+"/conflict", url.Values{"conflict": {"no"}}), app)
	page := ada.get(app)
	mustContain(t, page, history("en")...)
	// 1 death against 1.23 expected: 0.81, interval 0.02 to 4.53 (the
	// chi-square quantiles 0.0253 and 5.5716 over 1.23).
	mustContain(t, page, s.text("en", "page.outcomes.summary_ratio", "Ratio", "0.81", "Interval", s.text("en", "page.outcomes.interval", "Low", "0.02", "High", "4.53")))

	mustNotContain(t, ch.get(app), s.text("en", "page.outcomes.history_title"), s.text("en", "page.outcomes.history_caution"))
}

// The outcomes page places every trip on the funnel plot (a titled SVG
// with labelled axes, both limits and a table of its points), per charity
// over time; admins change the reference mortality (a mistake comes back
// beside its field), which moves the expected deaths, and the change is
// audited. The public impact page never shows a death.
func TestOutcomesPageFunnelAndReference(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	earlier := s.earlierTrip(t, ch)
	board := s.loginAs(t, people[demoBoard])
	page := board.get("/board/outcomes")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `<svg viewBox="0 0 640.0 400.0" role="img" aria-labelledby="funnel-t funnel-d">`,
		`<title id="funnel-t">`+s.text("en", "page.outcomes.funnel_title")+`</title>`,
		">"+s.text("en", "page.outcomes.axis_x")+"</text>", ">"+s.text("en", "page.outcomes.axis_y")+"</text>",
		`class="limit-95"`, `class="limit-998"`, `<circle class="point"`, "Olga Heart Missions", `href="`+earlier+`"`,
		s.text("en", "page.outcomes.funnel_table"), ">1.23<", ">0.81<", s.text("en", "page.outcomes.all_years"))
	if n := strings.Count(page.Body.String(), "<circle"); n != 1 {
		t.Errorf("%d points, want the one trip", n)
	}
	mustNotContain(t, page, `action="/admin/outcomes/reference"`) // the board reads the reference, admins change it

	admin := s.loginAs(t, people[demoAdmin]) // in Spanish
	page = admin.get("/board/outcomes")
	mustContain(t, page, `action="/admin/outcomes/reference"`, `id="f-percent_3" name="percent_3" type="text" value="8,5"`,
		`id="f-percent_5" name="percent_5" type="text" value=""`)
	var jenkins string
	if err := s.db.QueryRow(`SELECT source FROM reference_mortality WHERE category = 1`).Scan(&jenkins); err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for i, v := range []string{"0,4", "3,8", "12", "19,4", "", "47,7"} {
		n := string(rune('1' + i))
		form.Set("percent_"+n, v)
		form.Set("source_"+n, jenkins)
	}
	form.Set("percent_2", "140")
	rec := admin.post("/admin/outcomes/reference", form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-percent_2-error"`, `name="percent_2" type="text" value="140"`, `name="percent_3" type="text" value="12"`)
	form.Set("percent_2", "3,8")
	form.Set("source_3", "Registro propio 2020–2025")
	wantRedirect(t, admin.post("/admin/outcomes/reference", form), "/board/outcomes#reference-h")
	// 10 × 3.8% + 10 × 12% = 1.58 expected now.
	mustContain(t, admin.get("/board/outcomes"), ">1,58<", "Registro propio 2020–2025", `name="percent_3" type="text" value="12,0"`)
	var audited int
	if err := s.db.QueryRow(`SELECT count(*) FROM audit WHERE action = 'outcomes.reference_changed'`).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("%d audit rows, want the one category changed (%v)", audited, err)
	}

	// The public impact page: patients by category, never a death or a ratio.
	wantStatus(t, admin.post("/admin/impact/visibility", url.Values{"public": {"yes"}}), http.StatusSeeOther)
	for _, lang := range []string{"en", "es"} {
		public := s.client(t, "Accept-Language", lang).get("/impact")
		wantStatus(t, public, http.StatusOK)
		mustNotContain(t, public, s.text(lang, "page.outcomes.col.observed"), s.text(lang, "page.outcomes.col.ratio"),
			s.text(lang, "page.outcomes.col.deaths_hospital"), s.text(lang, "page.outcomes.col.expected"), "Olga Heart Missions")
	}
}

// mustDate is a day written yyyy-mm-dd.
func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// With many trips the funnel's table lists those outside the 95% limits
// and counts the rest, which one link lists, a page at a time: the page
// of every trip was megabytes at the load tool's scale.
func TestOutcomesTableListsTheTripsToRead(t *testing.T) {
	testenv.Full(t, "seeds hundreds of trips")
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	if _, err := seed.Seed(context.Background(), s.db, seed.Options{Applications: 400}); err != nil {
		t.Fatal(err)
	}
	board := s.loginAs(t, people[demoBoard])
	page := board.get("/board/outcomes?years=all")
	wantStatus(t, page, http.StatusOK)
	body := page.Body.String()
	_, ref, err := s.outcomes.References(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	trips, err := s.outcomes.Trips(context.Background(), 0, time.Time{}, ref)
	if err != nil {
		t.Fatal(err)
	}
	f := outcomes.NewFunnel(trips)
	points, beyond := len(f.Points), 0
	for _, pt := range f.Points {
		if pt.Beyond95 {
			beyond++
		}
	}
	if points <= rowsPerPage {
		t.Fatalf("%d trips placed, want more than %d", points, rowsPerPage)
	}
	mustContain(t, page, s.text("en", "page.outcomes.points_within", "Count", points-beyond), `href="/board/outcomes?points=all&amp;years=all#funnel-h"`)
	if rows := strings.Count(body, `<a href="/applications/`); rows != min(beyond, rowsPerPage) {
		t.Errorf("%d trips listed, want the %d outside the limits (a page at most)", rows, beyond)
	}
	all := board.get("/board/outcomes?years=all&points=all")
	mustNotContain(t, all, s.text("en", "page.outcomes.points_within", "Count", points-beyond))
	pages := (points + rowsPerPage - 1) / rowsPerPage
	mustContain(t, all, s.text("en", "page.outcomes.page_of", "Page", 1, "Pages", pages),
		`href="/board/outcomes?page=2&amp;points=all&amp;years=all#funnel-h" rel="next"`)
	last := board.get("/board/outcomes?years=all&points=all&page=" + strconv.Itoa(pages))
	mustContain(t, last, s.text("en", "page.outcomes.page_of", "Page", pages, "Pages", pages))
	if rows := strings.Count(last.Body.String(), `<a href="/applications/`); rows != points-(pages-1)*rowsPerPage {
		t.Errorf("%d trips on the last page, want %d", rows, points-(pages-1)*rowsPerPage)
	}
}

// manyTrips gives the portal charities trips (each a year's worth of
// charities) that ended in the last 900 days, each with an accepted
// report and a case mix: 10 to 39 children in category 2 and a few in 3,
// a death or two now and then, three more in one trip of 29, so the
// funnel has thousands of points, hundreds outside the 95% limits.
func (s *testServer) manyTrips(t *testing.T, trips, charities int) {
	t.Helper()
	if _, err := s.db.Exec(`INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			SELECT 'Big Charity ' || lpad(k::text, 5, '0'), 'HN', 'B-' || k, (SELECT min(id) FROM users), now()
			FROM generate_series(1, $1) k`, charities); err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{
		`WITH o AS (SELECT array_agg(id ORDER BY id) AS ids FROM organizations WHERE legal_name LIKE 'Big Charity %'),
			base AS (SELECT round_id, created_by FROM applications ORDER BY id LIMIT 1)
			INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end, submitted_at, created_by)
			SELECT o.ids[1 + i % cardinality(o.ids)], base.round_id, 'approved', 1, 'Trip ' || lpad(i::text, 6, '0'), 'HN',
				current_date - (i % 900) - 9, current_date - (i % 900), now() - interval '1000 days', base.created_by
			FROM generate_series(1, $1) i, o, base`,
		`INSERT INTO reports (application_id, status, patients, pediatric, open_heart, bypass, interventional, deaths, submitted_at, accepted_at, created_at, updated_at)
			SELECT id, 'accepted', 40, 40, 30, 20, 0, 0, now(), now(), now(), now() FROM applications WHERE title LIKE 'Trip %'`,
		`INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi)
			SELECT id, 'child', '2', 10 + id % 30, d, d, 0, id % 2, 0
			FROM (SELECT id, (id % 7 = 0)::int + (id % 11 = 0)::int + 3 * (id % 29 = 0)::int AS d FROM applications WHERE title LIKE 'Trip %') a
			UNION ALL
			SELECT id, 'child', '3', 1 + id % 5, (id % 13 = 0)::int, (id % 13 = 0)::int, 0, 0, 0
			FROM applications WHERE title LIKE 'Trip %'`,
	} {
		var args []any
		if i == 0 {
			args = append(args, trips)
		}
		if _, err := s.db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
}

// At scale the outcomes page keeps a bounded weight whatever the number
// of trips and charities: the funnel groups its points, each list comes a
// page at a time, the trips and charities outside the limits first; a
// trip far beyond the 99.8% limits is named on the first page, and the
// pages of trips outside the 95% limits list each of them once.
func TestOutcomesPageStaysSmallAtScale(t *testing.T) {
	testenv.Full(t, "seeds thousands of trips")
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	outlier := ch.submitted("Outlier mission")
	// 25 children in category 2: 0.95 deaths expected, 9 died.
	for _, q := range []string{
		`UPDATE applications SET status = 'approved', trip_start = current_date - 40, trip_end = current_date - 30 WHERE id = $1`,
		`INSERT INTO reports (application_id, status, patients, pediatric, open_heart, bypass, interventional, deaths, submitted_at, accepted_at, created_at, updated_at)
			VALUES ($1, 'accepted', 25, 25, 25, 20, 0, 9, now(), now(), now(), now())`,
		`INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi)
			VALUES ($1, 'child', '2', 25, 9, 9, 0, 0, 0)`,
	} {
		if _, err := s.db.Exec(q, appID(outlier)); err != nil {
			t.Fatal(err)
		}
	}
	s.manyTrips(t, 6000, 600)
	const limit = 100 << 10
	for _, lang := range []string{"en", "es"} {
		board := s.loginAs(t, people[demoBoard])
		if lang == "es" {
			board = s.loginAs(t, people[demoAdmin]) // in Spanish
		}
		for _, u := range []string{"/board/outcomes", "/board/outcomes?years=all", "/board/outcomes?points=all", "/board/outcomes?charities=all",
			"/board/outcomes?years=all&points=all&charities=all&page=7&cpage=9"} {
			page := board.get(u)
			wantStatus(t, page, http.StatusOK)
			if n := page.Body.Len(); n > limit {
				t.Errorf("%s %s: %d KB, want under %d KB", lang, u, n>>10, limit>>10)
			} else {
				t.Logf("%s %s: %d KB", lang, u, n>>10)
			}
		}
		page := board.get("/board/outcomes")
		mustContain(t, page, `href="`+outlier+`"`, "Outlier mission", s.text(lang, "page.outcomes.beyond_998_high"), "Olga Heart Missions",
			`class="dots dots-3"`, `class="dots dots-1 is-beyond is-beyond-998"`, s.text(lang, "page.outcomes.key_dots"))
	}
	// Page after page, the trips outside the 95% limits, each once.
	_, ref, err := s.outcomes.References(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	trips, err := s.outcomes.Trips(context.Background(), 0, time.Date(s.clock.Now().Year()-recentYears+1, 1, 1, 0, 0, 0, 0, time.UTC), ref)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, pt := range outcomes.NewFunnel(trips).Points {
		if pt.Beyond95 {
			want[`href="/applications/`+strconv.FormatInt(pt.Trip.AppID, 10)+`"`] = true
		}
	}
	board := s.loginAs(t, people[demoBoard])
	seen := map[string]bool{}
	link := regexp.MustCompile(`href="/applications/\d+"`)
	for n := 1; ; n++ {
		page := board.get("/board/outcomes?page=" + strconv.Itoa(n))
		for _, l := range link.FindAllString(page.Body.String(), -1) {
			if seen[l] || !want[l] {
				t.Errorf("page %d lists %s again or within the limits", n, l)
			}
			seen[l] = true
		}
		if !strings.Contains(page.Body.String(), `href="/board/outcomes?page=`+strconv.Itoa(n+1)+`#funnel-h" rel="next"`) || n > 1000 {
			break
		}
	}
	if len(seen) != len(want) || len(want) <= rowsPerPage {
		t.Errorf("the pages list %d trips, %d lie outside the 95%% limits (want more than a page)", len(seen), len(want))
	}
}
