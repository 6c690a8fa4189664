package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// On a phone, the demo board member signs in with a code from the
// authenticator, declares no conflict, scores the application (the page
// adds up the weighted total) and votes; an admin closes the vote; the
// charity, in Spanish, sees the board's decision and nothing of its work.
func TestBrowserBoardMemberReviewsAndVotes(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.submitted("Corazones para Honduras 2027")
	id := appID(app)
	// A link longer than a phone is wide, pasted in a message, wraps.
	wantRedirect(t, ch.post(app+"/messages", url.Values{"body": {"Presupuesto: https://example.org/" + strings.Repeat("carpeta_compartida/", 12) + "presupuesto.pdf"}}), app)
	admin := s.loginAs(t, people[demoAdmin])
	sendToBoard(t, admin, app)

	// Bruno signs in with his password and a code.
	bruno := people[demoBoard]
	tab := browser.Open(t)
	browserLogin(t, tab, srv.URL, bruno)
	wantHeading(t, tab, "Two-step verification")
	fill(tab, "f-code", bruno.phone.code(t))
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, "Welcome, Bruno Board")

	// From the queue to the application: first, the declaration.
	clickAndWait(t, tab, `main a[href="/board/applications?mine=review"]`)
	wantHeading(t, tab, "Review queue")
	if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
		t.Errorf("the review queue is wider than a phone: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
	}
	clickAndWait(t, tab, `main table a[href="`+app+`"]`)
	wantHeading(t, tab, "Corazones para Honduras 2027")
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`main section.panel h2`))); got != "Conflict of interest" {
		t.Errorf("the first section of the board's page is %q", got)
	}
	tab.Do(chromedp.Click(chromedp.CSS(`input[name="conflict"][value="no"]`)))
	clickAndWait(t, tab, `#conflict button[type="submit"]`)
	waitText(t, tab, ".flash", "Your declaration is recorded.")

	// Scores: the weighted total follows them.
	for i, k := range []string{"need", "clinical_capacity", "budget", "sustainability", "track_record"} {
		score := "4"
		if i == 0 {
			score = "5"
		}
		tab.Do(chromedp.Click(chromedp.CSS(`input[name="score_` + k + `"][value="` + score + `"]`)))
	}
	waitText(t, tab, "output[data-weighted-total]", "4.20")
	tab.Do(chromedp.Click(chromedp.CSS(`input[name="recommendation"][value="approve"]`)),
		chromedp.SendKeys(chromedp.ID("f-review_comment"), "A clear need and a capable team."))
	clickAndWait(t, tab, `#review button[type="submit"]`)
	waitText(t, tab, ".flash", "Your review is saved.")
	waitText(t, tab, "#reviews", "A clear need and a capable team.")
	if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
		t.Errorf("the application page is wider than a phone: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
	}

	// The admin opens the vote; Ada votes by the router; Bruno in the browser.
	openVote(t, admin, app)
	ada := s.loginAs(t, people[demoAdminBoard])
	wantRedirect(t, ada.post("/board/applications/"+id+"/conflict", url.Values{"conflict": {"no"}}), app)
	wantRedirect(t, ada.post("/board/applications/"+id+"/ballot", url.Values{"vote": {voteIDOn(t, ada.get(app))}, "choice": {"approve"}}), app)
	tab.Do(chromedp.Navigate(srv.URL + app))
	waitText(t, tab, "#vote", "US$18,000.00")
	tab.Do(chromedp.Click(chromedp.CSS(`input[name="choice"][value="approve"]`)))
	clickAndWait(t, tab, `#vote form[action$="/ballot"] button[type="submit"]`)
	waitText(t, tab, ".flash", "Your vote is recorded.")
	waitText(t, tab, "#vote legend", "Your vote: Approve")
	t.Logf("screenshot: %s", tab.Screenshot("board-application-phone"))
	tab.AssertNoConsoleErrors()

	// Sofía, an admin who reads the portal in Spanish, closes the vote early.
	staff := people[demoAdmin]
	es := func(key string, args ...any) string { return s.cat.T("es", key, args...) }
	adminTab := browser.Open(t, browser.Desktop())
	browserLogin(t, adminTab, srv.URL, staff)
	fill(adminTab, "f-code", staff.phone.code(t))
	clickAndWait(t, adminTab, `main button[type="submit"]`)
	adminTab.Do(chromedp.Navigate(srv.URL + app))
	clickAndWait(t, adminTab, `form[action$="/vote/close"] button[type="submit"]`)
	waitText(t, adminTab, ".flash", es("flash.vote_closed"))
	waitText(t, adminTab, "#vote", es("page.board.quorum_met", "Cast", 2, "Eligible", 2, "Count", 2))
	waitText(t, adminTab, "#vote", "Bruno Board")
	t.Logf("screenshot: %s", adminTab.Screenshot("board-vote-closed-desktop"))
	adminTab.AssertNoConsoleErrors()
	if got := s.status(t, app); got != "approved" {
		t.Fatalf("after the vote the application is %s", got)
	}

	// The charity sees the decision, in Spanish, and nothing of the board's work.
	rosa := browser.Open(t, browser.AcceptLanguage("es"))
	browserLogin(t, rosa, srv.URL, ch.person(t, s))
	rosa.Do(chromedp.Navigate(srv.URL + app))
	waitText(t, rosa, ".decision", es("page.board.decision_approved", "Amount", "US$18.000,00"))
	waitText(t, rosa, ".decision", "Report within 60 days of the trip.")
	text := browser.Run(rosa, chromedp.Text(chromedp.CSS("main")))
	for _, hidden := range []string{"A clear need and a capable team.", es("page.board.conflict_title"), "Bruno Board", es("page.board.vote_title")} {
		if strings.Contains(text, hidden) {
			t.Errorf("the charity's page shows %q", hidden)
		}
	}
	if !strings.Contains(text, "Aprobada") {
		t.Errorf("the charity's page does not say the application is approved:\n%s", text)
	}
	t.Logf("screenshot: %s", rosa.Screenshot("board-decision-charity-phone"))
	rosa.AssertNoConsoleErrors()
	wantStatus(t, ch.get(app), http.StatusOK)
}
