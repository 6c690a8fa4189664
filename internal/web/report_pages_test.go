package web

import (
	"net/http"
	"net/url"
	"testing"
)

// The charity files its report (a mistake first), the admin accepts it, and
// the impact page counts it: exact for the IPA, small counts hidden once it
// is public.
func TestReportThroughToTheImpactPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.submitted("Heart mission 2027")
	if _, err := s.db.Exec(`UPDATE applications SET status = 'approved'`); err != nil {
		t.Fatal(err)
	}
	// Photos and outcome documents go with the report; the frozen
	// application takes no other kind.
	wantStatus(t, ch.upload(app, "outcome_report", "", "fotos.pdf", pdfBytes), http.StatusSeeOther)
	wantStatus(t, ch.upload(app, "budget_sheet", "", "late.pdf", pdfBytes), http.StatusUnprocessableEntity)

	form := url.Values{"infants": {"1"}, "children": {"4"}, "adults": {"3"}, "open_heart": {"6"}, "bypass": {"7"}, "interventional": {"2"},
		"deaths_discharge": {"0"}, "complications": {"1"}, "lost_follow_up": {"0"}, "narrative": {"Eight patients."}, "action": {"submit"}}
	form["spent_line"] = []string{"9.800", "15.000,5x"}
	rec := ch.post(app+"/report", form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "Enter an amount in numbers", `value="15.000,5x"`, "planned US$10,000.00", `value="7"`,
		// The summary above the form names the line; the field says it is wrong.
		`<a href="#f-spent_line_1">Spent on budget line 2: Enter an amount in numbers`, `aria-describedby="f-spent_line_1-error"`, `id="f-spent_line_1-error"`)
	form["spent_line"] = []string{"9.800", "15.000,50"}
	form.Set("deaths_discharge", "1")
	form.Set("deaths_30", "0")
	rec = ch.post(app+"/report", form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "Bypass cases cannot be more than the open-heart operations", `value="7"`,
		`<a href="#f-deaths_30">Deaths at 30 days: Deaths at 30 days include`)
	form.Set("bypass", "5")
	form.Set("deaths_discharge", "0")
	form.Del("deaths_30")
	// The trip (June 2027, as the charity applied) is not over: the report
	// waits, with every figure kept.
	rec = ch.post(app+"/report", form)
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec, "The report can be sent once the trip is over.", `value="15.000,50"`, `value="5"`)
	if _, err := s.db.Exec(`UPDATE applications SET trip_start = '2026-03-01', trip_end = '2026-03-10'`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ch.post(app+"/report", form), http.StatusSeeOther)
	mustContain(t, ch.get(app+"/report"), "Sent to the IPA")

	admin := s.loginAs(t, people[demoAdmin])
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/report/review", url.Values{"decision": {"accept"}}), http.StatusSeeOther)
	mustContain(t, admin.get("/impact"), "8 pacientes atendidos en 1 viajes", "Honduras")

	// Private until an admin says otherwise; then small counts are hidden.
	wantStatus(t, s.client(t).get("/impact"), http.StatusNotFound)
	wantStatus(t, admin.post("/admin/impact/visibility", url.Values{"public": {"yes"}}), http.StatusSeeOther)
	public := s.client(t, "Accept-Language", "en").get("/impact")
	wantStatus(t, public, http.StatusOK)
	mustContain(t, public, "fewer than 11 patients served", "<svg")
	mustNotContain(t, public, ">8<")
}
