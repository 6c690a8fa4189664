package web

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
)

// passkeyServer serves the portal at http://localhost:port with that as its
// BASE_URL: a WebAuthn relying party needs a host name (not 127.0.0.1),
// and the origin the browser reports must be BASE_URL's.
func passkeyServer(t *testing.T) (*testServer, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	s := newTestServerEnv(t, dbtest.New(t), map[string]string{"BASE_URL": base})
	srv := httptest.NewUnstartedServer(s.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return s, base
}

// virtualAuthenticator gives the tab a platform authenticator (a phone's
// fingerprint reader, as DevTools simulates it) that keeps discoverable
// passkeys and verifies its user.
func virtualAuthenticator(tab *testenv.Tab) webauthn.AuthenticatorID {
	var id webauthn.AuthenticatorID
	tab.Do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		if _, err := cdp.Call(ctx, target, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, target, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
				Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
				IsUserVerified: true, AutomaticPresenceSimulation: true,
			}})
		if err != nil {
			return err
		}
		id = res.AuthenticatorID
		return nil
	}))
	return id
}

// A board member who has no second factor yet, reading the portal in
// Spanish, adds a passkey on the profile page with the phone's (virtual)
// authenticator, signs out, and signs in again with the passkey alone;
// the sessions list says so. No inline script: the CSP would log it.
func TestBrowserBoardMemberAddsPasskeyAndSignsInWithIt(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s, base := passkeyServer(t)
	s.seedDemo(t)
	p := s.withoutTOTP(t, account.Roles{Board: true})
	// A volunteer who reads the portal in Spanish.
	if _, err := s.db.Exec(`UPDATE users SET language = 'es' WHERE email = $1`, p.email); err != nil {
		t.Fatal(err)
	}
	es := func(key string, args ...any) string { return s.cat.T("es", key, args...) }
	tab := testenv.Browser(t, testenv.AcceptLanguage("es"), testenv.Desktop())
	auth := virtualAuthenticator(tab)

	tab.Do(chromedp.Navigate(base + "/login"))
	fill(tab, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `form[action="/login"] button[type="submit"]`)
	wantHeading(t, tab, es("page.two_factor.title")) // the role needs a second factor
	clickAndWait(t, tab, `a[href="/account#passkeys"]`)
	tab.Do(chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="register"]`)))
	if testenv.Run(tab, chromedp.Evaluate[bool](`document.querySelector("#passkeys [data-passkey-unsupported]").hidden`)) != true {
		t.Error("the profile page says this browser cannot make passkeys")
	}
	fill(tab, "f-passkey_name", "Mi teléfono")
	clickAndWait(t, tab, `form[data-passkey="register"] button[type="submit"]`)
	wantHeading(t, tab, es("page.account.title"))
	if got := testenv.Run(tab, chromedp.Text(chromedp.CSS(".flash"))); got != es("flash.passkey_added") {
		t.Fatalf("after adding the passkey the page says %q", got)
	}
	if got := testenv.Run(tab, chromedp.Text(chromedp.CSS("#passkeys table tbody"))); !strings.Contains(got, "Mi teléfono") {
		t.Errorf("the passkeys list shows %q", got)
	}
	creds := testenv.Run(tab, chromedp.Action[int](func(ctx context.Context, target *chromedp.Target) (int, error) {
		res, err := cdp.Call(ctx, target, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: auth})
		if err != nil {
			return 0, err
		}
		return len(res.Credentials), nil
	}))
	if creds != 1 {
		t.Fatalf("the authenticator holds %d passkeys, want 1", creds)
	}

	clickAndWait(t, tab, `form[action="/logout"] button`)
	wantHeading(t, tab, es("page.login.title"))
	tab.Do(chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="sign_in"]`)))
	if got := testenv.Run(tab, chromedp.Text(chromedp.CSS(`form[data-passkey="sign_in"] button`))); got != es("page.passkeys.sign_in") {
		t.Errorf("the passkey button says %q", got)
	}
	clickAndWait(t, tab, `form[data-passkey="sign_in"] button[type="submit"]`)
	if loc := testenv.Run(tab, chromedp.Location()); loc != base+"/dashboard" {
		t.Fatalf("after the passkey the browser is at %s", loc)
	}
	tab.Do(chromedp.Navigate(base + "/account"))
	if got := testenv.Run(tab, chromedp.Text(chromedp.CSS(`section[aria-labelledby="sessions-h"] tbody`))); !strings.Contains(got, es("page.passkeys.method.passkey")) {
		t.Errorf("the sessions list says %q, want a session signed in by passkey", got)
	}
	tab.AssertNoConsoleErrors()
}

// A browser without WebAuthn is told, on the sign-in page, to use the
// password; it gets no passkey button that cannot work.
func TestBrowserWithoutWebAuthnIsToldSo(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s, base := passkeyServer(t)
	tab := testenv.Browser(t, testenv.AcceptLanguage("es"))
	tab.Do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `delete window.PublicKeyCredential;`})
		return err
	}), chromedp.Navigate(base+"/login"), chromedp.WaitReady(chromedp.CSS(`html.js`)))
	if got := testenv.Run(tab, chromedp.Text(chromedp.CSS(`[data-passkey-unsupported]`))); got != s.cat.T("es", "page.passkeys.unsupported_sign_in") {
		t.Errorf("the sign-in page says %q", got)
	}
	if !testenv.Run(tab, chromedp.Evaluate[bool](`document.querySelector('form[data-passkey]').hidden`)) {
		t.Error("a browser without WebAuthn is offered the passkey button")
	}
	tab.AssertNoConsoleErrors()
}
