package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// afterTheTrip is a day when completeApplication's trip (1-10 June 2027) is
// over and its report not yet due: tests set the portal's clock to it.
var afterTheTrip = time.Date(2027, 6, 20, 12, 0, 0, 0, time.UTC)

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
		"deaths_discharge": {"0"}, "complications": {"1"}, "lost_follow_up": {"0"}, "narrative": {"Eight patients."}, "action": {"submit"},
		"mix_child_2_cases": {"3"}, "mix_child_3_cases": {"2"}, "mix_adult_valve_cases": {"3"}}
	form["spent_line"] = []string{"9800", "15.000,5x"}
	rec := ch.post(app+"/report", form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "Enter an amount in numbers", `value="15.000,5x"`, "planned US$10,000.00", `value="7"`,
		// The summary above the form names the line; the field says it is wrong.
		`<a href="#f-spent_line_1">Spent on budget line 2: Enter an amount in numbers`, `aria-describedby="f-spent_line_1-error"`, `id="f-spent_line_1-error"`)
	form["spent_line"] = []string{"9800", "15.000,50"}
	form.Set("deaths_discharge", "1")
	form.Set("deaths_30", "0") // a death before discharge after day 30: not one at 30 days, and no mistake
	form.Set("mix_child_3_deaths_hospital", "3")
	rec = ch.post(app+"/report", form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "Bypass cases cannot be more than the open-heart operations", `value="7"`,
		`<a href="#f-mix_child_3_deaths_hospital">Children · RACHS-1 category 3 · Died in hospital: `+s.text("en", "error.outcomes.over_cases", "Cases", 2),
		`aria-describedby="f-mix_child_3_deaths_hospital-error"`, `id="f-mix_child_3_deaths_hospital-error"`, `value="3"`)
	mustNotContain(t, rec, `href="#f-deaths_30"`)
	form.Set("bypass", "5")
	form.Set("mix_child_3_deaths_hospital", "1")
	// The trip (June 2027, as the charity applied) is not over: the report
	// waits, with every figure kept.
	rec = ch.post(app+"/report", form)
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec, "The report can be sent once the trip is over.", `value="15.000,50"`, `value="5"`)
	s.clock.Set(afterTheTrip)
	wantStatus(t, ch.post(app+"/report", form), http.StatusSeeOther)
	mustContain(t, ch.get(app+"/report"), "Sent to the IPA")

	admin := s.loginAs(t, people[demoAdmin])
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/report/review", url.Values{"decision": {"accept"}}), http.StatusSeeOther)
	mustContain(t, admin.get("/impact"), s.text("es", "page.impact.lead", "Patients", 8, "Trips", 1), "Honduras",
		s.text("es", "page.outcomes.impact_mix"), `<th scope="row">`+s.text("es", "page.outcomes.child.3")+`</th><td class="num" data-label="`+s.text("es", "page.impact.patients")+`">2</td>`)

	// Private until an admin says otherwise; then small counts are hidden.
	wantStatus(t, s.client(t).get("/impact"), http.StatusNotFound)
	wantStatus(t, admin.post("/admin/impact/visibility", url.Values{"public": {"yes"}}), http.StatusSeeOther)
	public := s.client(t, "Accept-Language", "en").get("/impact")
	wantStatus(t, public, http.StatusOK)
	mustContain(t, public, "Patients served on trips funded by the IPA&#39;s donors. Total withheld so that small counts stay private.", s.text("en", "chart.impact_withheld"))
	mustNotContain(t, public, ">8<", "<rect", ">3<", ">2<", s.text("en", "page.outcomes.child.3"))
}

// The page: Honduras 18 patients and Guatemala "fewer than 11"
// beside a headline of 27 gave 9 by subtraction, and the bars drew 9 beside
// 18. Now the public page shows neither the 9 nor a figure it can be worked
// out from: with Guatemala's 9 withheld, Honduras's 18 is withheld too (the
// cheapest figure to withhold with it: 18 beside 27 would give 9), the
// headline of 27 stays (it no longer gives anything away), and withheld
// counts draw no bar. The IPA sees every figure.
func TestImpactPublicPageWithholdsWhatGivesASmallCountAway(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Ana")
	for _, trip := range []struct {
		country                                       string
		patients, openHeart, interventional, onBypass int
	}{{"HN", 18, 15, 3, 12}, {"GT", 9, 7, 2, 5}} {
		id := appID(ch.submitted("Heart mission " + trip.country))
		if _, err := s.db.Exec(`UPDATE applications SET status = 'approved', country = $2, trip_start = '2026-03-01', trip_end = '2026-03-10'
			WHERE id = $1`, id, trip.country); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(`INSERT INTO reports (application_id, status, patients, open_heart, interventional, bypass, accepted_at, created_at, updated_at)
			VALUES ($1, 'accepted', $2, $3, $4, $5, now(), now(), now())`, id, trip.patients, trip.openHeart, trip.interventional, trip.onBypass); err != nil {
			t.Fatal(err)
		}
	}
	admin := s.loginAs(t, people[demoAdmin])
	exact := admin.get("/impact")
	mustContain(t, exact, s.text("es", "page.impact.lead", "Patients", 27, "Trips", 2), ">18<", ">9<", `width="100"`, `width="50"`,
		// The chart's rows say their values in words, and the headline figures stand out.
		`<span class="chart-label">Honduras 2026</span>`, `<span class="chart-value">18</span>`, `<span class="chart-value">9</span>`,
		`<figcaption class="chart-title">`+s.text("es", "page.impact.chart_label")+`</figcaption>`,
		`<dt>`+s.text("es", "page.impact.patients")+`</dt><dd>27</dd>`)
	mustNotContain(t, exact, s.text("es", "page.impact.withheld"))
	wantStatus(t, admin.post("/admin/impact/visibility", url.Values{"public": {"yes"}}), http.StatusSeeOther)

	public := s.client(t, "Accept-Language", "en").get("/impact")
	wantStatus(t, public, http.StatusOK)
	page := public.Body.String()
	mustContain(t, public, "27 patients served on trips funded", "Counts below 11 are withheld",
		`<tr><th scope="row">Honduras</th><td data-label="Year">2026</td><td class="num" data-label="Trips">withheld</td><td class="num" data-label="Patients">withheld</td>`)
	for _, n := range []string{"9", "18", "2"} {
		if strings.Contains(page, ">"+n+"<") {
			t.Errorf("the public page shows %s", n)
		}
	}
	// 27 beside 18 is the 9 again.
	if strings.Contains(page, "27") && strings.Contains(page, "18<") {
		t.Error("the public page shows 27 and 18")
	}
	// No bar has a length: the 9 and the 18 draw nothing.
	if n := strings.Count(page, "<rect"); n != 0 {
		t.Errorf("%d bars drawn from withheld counts", n)
	}
	// No empty box: the chart says why it has no bars.
	mustContain(t, public, s.text("en", "chart.impact_withheld"))
	es := s.client(t, "Accept-Language", "es").get("/impact")
	mustContain(t, es, s.text("es", "page.impact.lead_trips_withheld", "Patients", 27), s.text("es", "page.impact.withheld"), s.text("es", "page.impact.suppressed", "N", 11))
}

// approvedWithReport is a charity (in English) whose trip was funded and is
// over, with its report sent: every figure filled, spending on each line.
func approvedWithReport(t *testing.T, s *testServer) (*charity, string) {
	t.Helper()
	ch := s.newCharity(t, "en", "Ana")
	app := ch.submitted("Heart mission 2026")
	if _, err := s.db.Exec(`UPDATE applications SET status = 'approved' WHERE id = $1`, appID(app)); err != nil {
		t.Fatal(err)
	}
	s.clock.Set(afterTheTrip)
	wantStatus(t, ch.upload(app, "outcome_report", "", "ward-photos.pdf", pdfBytes), http.StatusSeeOther)
	form := url.Values{"infants": {"1"}, "children": {"4"}, "adults": {"3"}, "open_heart": {"6"}, "bypass": {"5"}, "interventional": {"2"},
		"deaths_discharge": {"0"}, "deaths_30": {"1"}, "complications": {"2"}, "lost_follow_up": {"3"},
		"follow_up_care":   {"Cardiology clinic at Hospital Escuela sees each child at 3 months."},
		"trained_surgeons": {"7"}, "trained_perfusionists": {"9"}, "trained_nurses": {"11"}, "trained_other": {"13"},
		"spent_line": {"9800", "15.000,50"}, "spent": {"24.800,50"}, "narrative": {"Eight patients."}, "action": {"submit"},
		"mix_child_2_cases": {"3"}, "mix_child_4_cases": {"2"}, "mix_child_4_deaths_after": {"1"}, "mix_child_2_ssi": {"1"},
		"mix_adult_coronary_cases": {"3"}, "mix_adult_coronary_predicted": {"4.5"}, "adult_score": {"sts"},
		"perf_bypass_cases": {"5"}, "perf_bypass_minutes": {"95"}, "perf_clamp_minutes": {"61"}, "perf_lowest_hct": {"24.5"}}
	wantStatus(t, ch.post(app+"/report", form), http.StatusSeeOther)
	return ch, app
}

// The admin reviews the report in full before accepting it: every figure
// beside its label, each budget line's planned and spent amounts in the
// admin's language, and the outcome documents.
func TestReportReviewShowsEveryFigure(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	_, app := approvedWithReport(t, s)

	admin := s.loginAs(t, people[demoAdmin]) // in Spanish
	page := admin.get(app + "/report")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page,
		"<dt>Menores de 1 año</dt><dd>1</dd>", "<dt>De 1 a 17 años</dt><dd>4</dd>", "<dt>Adultos (18 o más)</dt><dd>3</dd>",
		"<dt>Operaciones a corazón abierto</dt><dd>6</dd>", "<dt>De ellas con circulación extracorpórea</dt><dd>5</dd>",
		"<dt>Procedimientos intervencionistas</dt><dd>2</dd>", "<dt>Muertes antes del alta</dt><dd>0</dd>",
		"<dt>Muertes a 30 días</dt><dd>1</dd>", "<dt>Complicaciones mayores</dt><dd>2</dd>", "<dt>Pacientes sin seguimiento</dt><dd>3</dd>",
		`<dt>Seguimiento organizado</dt><dd class="pre">Cardiology clinic at Hospital Escuela sees each child at 3 months.</dd>`,
		"<dt>Cirujanos</dt><dd>7</dd>", "<dt>Perfusionistas</dt><dd>9</dd>", "<dt>Enfermeras</dt><dd>11</dd>", "<dt>Otros</dt><dd>13</dd>",
		"<dt>Pasajes y traslados · Vuelos</dt>", "<dd>previsto US$10.000,00 · gastado US$9.800,00</dd>",
		"<dt>Insumos médicos y material desechable · Oxigenadores</dt>", "<dd>previsto US$15.000,50 · gastado US$15.000,50</dd>",
		"<dt>Total gastado</dt><dd>US$24.800,50</dd>", "Eight patients.",
		"Fotos y documentos de resultados", "ward-photos.pdf", `action="/admin/applications/`+appID(app)+`/report/review"`)
	// The admin reads; only the charity is offered to add documents.
	mustNotContain(t, page, "Agregar fotos o documentos")
}

// A report sent back shows the IPA's note at the top of the charity's
// report page, with when and by whom, and the note stays in the
// application's thread; back with the admin, the earlier note is beside
// the review.
func TestReportCorrectionsNoteOnTheReportPageAndInTheThread(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch, app := approvedWithReport(t, s)
	admin := s.loginAs(t, people[demoAdmin])
	note := "Please split the pediatric cases by age."
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/report/review", url.Values{"decision": {"corrections"}, "note": {note}}),
		http.StatusSeeOther)
	var reviewed time.Time
	if err := s.db.Get(&reviewed, `SELECT reviewed_at FROM reports`); err != nil {
		t.Fatal(err)
	}
	day := s.cat.Date("en", reviewed.UTC())

	page := ch.get(app + "/report")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `class="banner"`, "Corrections asked", people[demoAdmin].name+" at the IPA asked on "+day+" for these corrections:",
		note, "Correct the report below and send it again.", `name="infants"`)
	if strings.Index(page.Body.String(), note) > strings.Index(page.Body.String(), `name="infants"`) {
		t.Error("the note comes after the form: it belongs at the top")
	}
	thread := ch.get(app)
	mustContain(t, thread, "Post-trip report: corrections asked", note)

	// Sent again, the admin sees what was asked beside the review.
	wantStatus(t, ch.post(app+"/report", url.Values{"infants": {"1"}, "children": {"4"}, "adults": {"3"}, "open_heart": {"6"}, "bypass": {"5"},
		"interventional": {"2"}, "deaths_discharge": {"0"}, "complications": {"2"}, "lost_follow_up": {"3"}, "narrative": {"Eight patients."},
		"action": {"submit"}, "mix_child_2_cases": {"5"}, "mix_adult_other_cases": {"3"}}), http.StatusSeeOther)
	mustNotContain(t, ch.get(app+"/report"), `class="banner"`)
	mustContain(t, admin.get(app+"/report"), s.text("es", "page.report.corrections_before", "Name", people[demoAdmin].name, "Date", s.cat.Date("es", reviewed.UTC())), note)
}

// Outcome documents: the charity adds them once the trip is funded and
// until its report is accepted, on the page the report links to; before,
// after, and for anyone else, neither the form nor the upload.
func TestOutcomeUploadAfterApproval(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.submitted("Heart mission 2026")

	// Submitted: frozen.
	mustNotContain(t, ch.get(app+"/documents"), "Add photos or outcome documents", "Upload documents")
	rec := ch.upload(app, "outcome_report", "", "early.pdf", pdfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "Documents can only be changed while the application is a draft")

	// Approved: the report links to the form, which takes outcome documents only.
	if _, err := s.db.Exec(`UPDATE applications SET status = 'approved' WHERE id = $1`, appID(app)); err != nil {
		t.Fatal(err)
	}
	mustContain(t, ch.get(app+"/report"), "No photos or documents yet.", `href="`+app+`/documents#upload-h">Add photos or documents</a>`)
	page := ch.get(app + "/documents")
	mustContain(t, page, "Add photos or outcome documents", `<input type="hidden" name="kind" value="outcome_report">`)
	mustNotContain(t, page, `id="f-kind"`, `name="expires_on"`)
	wantStatus(t, ch.upload(app, "outcome_report", "", "ward-photos.pdf", pdfBytes), http.StatusSeeOther)
	mustContain(t, ch.get(app+"/report"), "ward-photos.pdf")
	rec = ch.upload(app, "budget_sheet", "", "new-budget.pdf", pdfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "only photos and outcome documents can be added")

	// Nobody else adds one, nor is offered to.
	other := s.newCharity(t, "en", "Mallory")
	wantStatus(t, other.upload(app, "outcome_report", "", "x.pdf", pdfBytes), http.StatusNotFound)
	admin := s.loginAs(t, people[demoAdmin])
	if rec := admin.upload(app, "outcome_report", "", "x.pdf", pdfBytes); rec.Code == http.StatusSeeOther {
		t.Error("an admin added a document to the charity's report")
	}
	mustNotContain(t, admin.get(app+"/documents"), "Agregar fotos o documentos de resultados")

	// Accepted: the report's documents are final.
	if _, err := s.db.Exec(`INSERT INTO reports (application_id, status, patients, accepted_at, created_at, updated_at)
		VALUES ($1, 'accepted', 8, now(), now(), now())`, appID(app)); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, ch.get(app+"/report"), "Add photos or documents")
	mustNotContain(t, ch.get(app+"/documents"), "Add photos or outcome documents")
	rec = ch.upload(app, "outcome_report", "", "late.pdf", pdfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "The post-trip report has been accepted")
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM documents WHERE kind = 'outcome_report'`); err != nil || n != 1 {
		t.Errorf("%d outcome documents stored, want the one accepted (%v)", n, err)
	}
}
