package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// A Spanish charity on a 360 px phone goes through a two-stage round: it
// writes its concept note (a mistake first), the IPA invites it, it opens
// the full proposal begun from its note, completes and sends it, and the
// board reviews it. The IPA's part goes through the router.
func TestBrowserTwoStageRoundInSpanishOnAPhone(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	round := s.twoStageRound(t, admin, false)
	ch := s.newCharity(t, "es", "Rocío")
	app := ch.startConcept(round)

	tab := browser.Open(t, browser.AcceptLanguage("es"), browser.WindowSize(360, 740, true))
	browserLogin(t, tab, srv.URL, ch.person(t, s))
	tab.Do(chromedp.Navigate(srv.URL + app + "/edit")) // the note's own page
	wantHeading(t, tab, s.text("es", "page.stages.concept.title"))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`label[for="f-trip"]`))); !strings.Contains(got, "El viaje y el hospital") {
		t.Errorf("the trip's question reads %q, not the round's words", got)
	}
	fill(tab, "f-title", "Corazones para Honduras", "f-trip", "Tegucigalpa, junio de 2027, Hospital Escuela.",
		"f-team", "Dos cirujanos, dos perfusionistas.", "f-amount", "20.000")
	// Saved as it is typed, as the full form is, and the page says so.
	waitText(t, tab, "#autosave-status", "Borrador guardado")
	testenv.Eventually(t, 20*time.Second, "the note is saved as typed", func() bool {
		var title, team string
		err := s.db.QueryRow(`SELECT concept->>'title', concept->>'team' FROM applications WHERE id = $1`, appID(app)).Scan(&title, &team)
		return err == nil && title == "Corazones para Honduras" && team == "Dos cirujanos, dos perfusionistas."
	})
	if status := pressExpecting(t, tab, `button[name="action"][value="submit"]`); status != 422 {
		t.Fatalf("a note without its need answered %d", status)
	}
	if got := browser.Run(tab, chromedp.Text(chromedp.ID("f-need-error"))); !strings.Contains(got, s.text("es", "error.field.required")) {
		t.Errorf("the error beside the need says %q", got)
	}
	if got := browser.Run(tab, chromedp.Value(chromedp.ID("f-title"))); got != "Corazones para Honduras" {
		t.Errorf("after the refusal the title holds %q", got)
	}
	wantFits(t, tab)
	fill(tab, "f-need", "Hay 300 niños en lista de espera.")
	clickAndWait(t, tab, `button[name="action"][value="submit"]`)
	wantHeading(t, tab, "Corazones para Honduras")
	waitText(t, tab, "main", s.text("es", "app.status.concept_submitted"))
	wantOnlyRefusalLogged(t, tab)

	// The IPA invites the full proposal; the charity follows the mailed link.
	due := s.today().AddDate(0, 0, 21)
	wantRedirect(t, admin.post("/board/applications/"+appID(app)+"/concept",
		url.Values{"outcome": {"invite"}, "due": {due.Format("2006-01-02")}}), app)
	m := s.waitMail(t, ch.person(t, s).email, s.text("es", "mail.stages.invited.subject", "Title", "Corazones para Honduras"), 1)
	link := mailedLinkRE.FindStringSubmatch(m.Text)
	if link == nil || link[1] != app+"/edit" {
		t.Fatalf("the invitation links to %v", link)
	}
	ch.uploadRequired(app, "2028-01-01")
	// The link opens the full proposal's task list; its parts begin from
	// the note: the trip's title, the budget's amount, the need.
	tab.Do(chromedp.Navigate(srv.URL + link[1]))
	wantFits(t, tab)
	for _, want := range []struct{ section, field, value string }{
		{"trip", "f-title", "Corazones para Honduras"},
		{"budget", "f-amount_requested", "20.000"},
		{"need", "f-narrative", "Hay 300 niños en lista de espera."},
	} {
		tab.Do(chromedp.Navigate(srv.URL + app + "/edit/" + want.section))
		if got := browser.Run(tab, chromedp.Value(chromedp.ID(want.field))); !strings.Contains(got, want.value) {
			t.Errorf("the full proposal's %s is %q, not the note's %q", want.field, got, want.value)
		}
	}
	wantFits(t, tab)
	// The rest of the form as any charity completes it (the task list in
	// the browser has its own test); then it is checked and sent here.
	values := completeApplication()
	values.Set("title", "Corazones para Honduras")
	wantRedirect(t, ch.saveDraft(app, values), app+"/edit")
	tab.Do(chromedp.Navigate(srv.URL + app + "/check"))
	waitText(t, tab, "main", "Corazones para Honduras")
	clickAndWait(t, tab, `form[action$="/submit"] button[type="submit"]`)
	wantHeading(t, tab, "Corazones para Honduras")
	waitText(t, tab, "main", s.text("es", "app.status.submitted"))
	wantOnlyRefusalLogged(t, tab)

	// Screened and reviewed as any full proposal.
	sendToBoard(t, admin, app)
	member := s.loginAs(t, people[demoBoard])
	wantRedirect(t, member.post(board(app, "/conflict"), url.Values{"conflict": {"no"}}), app)
	wantRedirect(t, member.post(board(app, "/review"), goodReview("4")), app)
	if st, stage := s.statusOf(t, app); st != "in_review" || stage != "full" {
		t.Fatalf("the reviewed proposal stands %s at %s", st, stage)
	}
}

// wantOnlyRefusalLogged fails on any console error but the browser's note
// of the one refused note (422), which the test made on purpose.
func wantOnlyRefusalLogged(t *testing.T, tab *browser.Tab) {
	t.Helper()
	for _, e := range tab.ConsoleErrors() {
		if !strings.Contains(e, "422") {
			t.Errorf("the browser's console has an error: %s", e)
		}
	}
}

// wantFits fails when the page is wider than the phone's screen.
func wantFits(t *testing.T, tab *browser.Tab) {
	t.Helper()
	if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
		t.Errorf("the page is wider than the phone: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
	}
}
