package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
// and counts the rest, which one link lists: the page of every trip was
// megabytes at the load tool's scale.
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
	points, beyond := strings.Count(body, "<circle"), strings.Count(body, `class="point is-beyond"`)
	if points <= pointsListed {
		t.Fatalf("%d trips drawn, want more than %d", points, pointsListed)
	}
	mustContain(t, page, s.text("en", "page.outcomes.points_within", "Count", points-beyond), `href="/board/outcomes?years=all&amp;points=all"`)
	all := board.get("/board/outcomes?years=all&points=all")
	mustNotContain(t, all, s.text("en", "page.outcomes.points_within", "Count", points-beyond))
	if rows, listed := strings.Count(all.Body.String(), "<tr"), strings.Count(body, "<tr"); rows != listed+points-beyond {
		t.Errorf("every trip: %d rows, the trips to read: %d rows, %d trips within the limits", rows, listed, points-beyond)
	}
}
