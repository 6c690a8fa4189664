package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// A person from a charity, whose browser asks for Spanish, creates an
// account, confirms the address with the link from the mail, and is signed in
// and welcomed in Spanish.
func TestBrowserSpanishSignupConfirmAndLogin(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	tab := browser.Open(t, browser.AcceptLanguage("es"))
	p := person{name: "María Corazón", email: newEmail("navegador"), password: goodPassword}
	es := func(key string, args ...any) string { return s.cat.T("es", key, args...) }

	tab.Do(chromedp.Navigate(srv.URL + "/signup"))
	wantHeading(t, tab, es("page.signup.title"))
	fill(tab, "f-name", p.name, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, es("page.signup_sent.title"))

	link := srv.URL + s.mailedLink(t, p.email, es("mail.account_confirm.subject"))
	tab.Do(chromedp.Navigate(link))
	wantHeading(t, tab, es("page.confirm_email.title"))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`main button`))); got != es("page.confirm_email.submit") {
		t.Errorf("the link's page has the button %q", got)
	}
	// Confirming signs her in: she does not type her password again.
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, es("page.dashboard.hello", "Name", p.name))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(".flash"))); got != es("flash.email_confirmed_signed_in") {
		t.Errorf("after confirming, the dashboard says %q", got)
	}
	if loc := browser.Run(tab, chromedp.Location()); loc != srv.URL+"/dashboard" {
		t.Errorf("after confirming the browser is at %s", loc)
	}
	if l := browser.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`)); l != "es" {
		t.Errorf("the dashboard's language is %q, want es", l)
	}
	tab.AssertNoConsoleErrors()
}

// A newly invited board member sets up two-step verification with the key
// shown on the page, signs out, and signs in again with a code.
func TestBrowserBoardMemberEnrolsTOTPAndLogsInWithACode(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	email, link := invite(t, s, s.loginAs(t, s.seedDemo(t)[demoAdmin]), "Bruna Board")
	p := person{name: "Bruna Board", email: email, password: goodPassword}
	tab := browser.Open(t)

	tab.Do(chromedp.Navigate(srv.URL + link))
	wantHeading(t, tab, "Join IPA Mission Grants")
	if got := browser.Run(tab, chromedp.Value(chromedp.ID("f-name"))); got != p.name { // as the admin typed it
		t.Errorf("the name field holds %q, want %q", got, p.name)
	}
	fill(tab, "f-password", p.password)
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, "Set up two-step verification")
	if !browser.Run(tab, chromedp.Evaluate[bool](`document.querySelector("img.qr").naturalWidth > 0`)) {
		t.Error("the QR code does not show")
	}
	phone := &authenticator{secret: browser.Run(tab, chromedp.Text(chromedp.CSS("code.secret")))}
	fill(tab, "f-code", phone.code(t))
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, "Your recovery codes")
	if n := browser.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("ul.codes li").length`)); n != 10 {
		t.Errorf("%d recovery codes shown, want 10", n)
	}
	clickAndWait(t, tab, `main a.button`)
	wantHeading(t, tab, "Welcome, Bruna Board")

	clickAndWait(t, tab, `header form[action="/logout"] button`)
	wantHeading(t, tab, "Sign in")
	fill(tab, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, "Two-step verification")
	fill(tab, "f-code", phone.code(t))
	clickAndWait(t, tab, `main button[type="submit"]`)
	wantHeading(t, tab, "Welcome, Bruna Board")
	tab.AssertNoConsoleErrors()
}

// fill types values into inputs, given as id, value pairs.
func fill(tab *browser.Tab, idValues ...string) {
	for i := 0; i+1 < len(idValues); i += 2 {
		tab.Do(chromedp.SendKeys(chromedp.ID(idValues[i]), idValues[i+1]))
	}
}

// clickAndWait clicks what sel finds and waits until the page it leads to
// (after any redirect) has loaded; that page must not be an error.
func clickAndWait(t *testing.T, tab *browser.Tab, sel string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 15*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("pressing %s: %v", sel, err)
	}
	if resp.Status >= http.StatusBadRequest {
		t.Fatalf("pressing %s led to %s: %d", sel, resp.URL, resp.Status)
	}
}

// wantHeading checks the page's h1.
func wantHeading(t *testing.T, tab *browser.Tab, want string) {
	t.Helper()
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS("main h1"))); got != want {
		t.Fatalf("the page's heading is %q, want %q (at %s)", got, want, browser.Run(tab, chromedp.Location()))
	}
}
