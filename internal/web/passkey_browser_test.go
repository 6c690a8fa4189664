package web

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
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
func virtualAuthenticator(tab *browser.Tab) webauthn.AuthenticatorID {
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
	s.execElsewhere(t, "users", `UPDATE users SET language = 'es' WHERE email = $1`, p.email)
	es := func(key string, args ...any) string { return s.cat.T("es", key, args...) }
	tab := browser.Open(t, browser.AcceptLanguage("es")) // a phone
	auth := virtualAuthenticator(tab)

	tab.Do(chromedp.Navigate(base + "/login"))
	fill(tab, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `form[action="/login"] button[type="submit"]`)
	wantHeading(t, tab, es("page.two_factor.title")) // the role needs a second factor
	clickAndWait(t, tab, `a[href="/account#passkeys"]`)
	tab.Do(chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="register"]`)))
	if browser.Run(tab, chromedp.Evaluate[bool](`document.querySelector("#passkeys [data-passkey-unsupported]").hidden`)) != true {
		t.Error("the profile page says this browser cannot make passkeys")
	}
	fill(tab, "f-passkey_name", "Mi teléfono")
	clickAndWait(t, tab, `form[data-passkey="register"] button[type="submit"]`)
	wantHeading(t, tab, es("page.account.title"))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(".flash"))); got != es("flash.passkey_added") {
		t.Fatalf("after adding the passkey the page says %q", got)
	}
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS("#passkeys table tbody"))); !strings.Contains(got, "Mi teléfono") {
		t.Errorf("the passkeys list shows %q", got)
	}
	creds := browser.Run(tab, chromedp.Action[int](func(ctx context.Context, target *chromedp.Target) (int, error) {
		res, err := cdp.Call(ctx, target, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: auth})
		if err != nil {
			return 0, err
		}
		return len(res.Credentials), nil
	}))
	if creds != 1 {
		t.Fatalf("the authenticator holds %d passkeys, want 1", creds)
	}
	if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
		t.Errorf("the profile page with a passkey is wider than a phone: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
	}
	t.Logf("screenshot: %s", tab.Screenshot("passkeys-profile-phone"))

	clickAndWait(t, tab, `form[action="/logout"] button`)
	wantHeading(t, tab, es("page.login.title"))
	tab.Do(chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="sign_in"]`)))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`form[data-passkey="sign_in"] button`))); got != es("page.passkeys.sign_in") {
		t.Errorf("the passkey button says %q", got)
	}
	clickAndWait(t, tab, `form[data-passkey="sign_in"] button[type="submit"]`)
	if loc := browser.Run(tab, chromedp.Location()); loc != base+"/dashboard" {
		t.Fatalf("after the passkey the browser is at %s", loc)
	}
	tab.Do(chromedp.Navigate(base + "/account"))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`section[aria-labelledby="sessions-h"] tbody`))); !strings.Contains(got, es("page.passkeys.method.passkey")) {
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
	tab := browser.Open(t, browser.AcceptLanguage("es"))
	tab.Do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `delete window.PublicKeyCredential;`})
		return err
	}), chromedp.Navigate(base+"/login"), chromedp.WaitReady(chromedp.CSS(`button[data-no-script][hidden]`)))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`[data-passkey-unsupported]`))); got != s.cat.T("es", "page.passkeys.unsupported_sign_in") {
		t.Errorf("the sign-in page says %q", got)
	}
	if !browser.Run(tab, chromedp.Evaluate[bool](`document.querySelector('form[data-passkey]').hidden`)) {
		t.Error("a browser without WebAuthn is offered the passkey button")
	}
	tab.AssertNoConsoleErrors()
}

// fetchAssertionJS are page-side helpers for TestBrowserPasskeyRefusals: they
// do what assets/js/passkey.js does, step by step, so a test can send one
// browser-made assertion twice or wait between the steps.
const fetchAssertionJS = `
window.pk = (() => {
  const token = document.querySelector("input[name=csrf_token]").value;
  const headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token};
  const bytes = s => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), c => c.charCodeAt(0));
  const text = buf => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return {
    async options() {
      const o = await (await fetch("/login/passkey/options", {method: "POST", headers, body: "csrf_token=" + encodeURIComponent(token)})).json();
      o.publicKey.challenge = bytes(o.publicKey.challenge);
      return o;
    },
    async assert(o) {
      const c = await navigator.credentials.get(o);
      return JSON.stringify({id: c.id, rawId: text(c.rawId), type: c.type, clientExtensionResults: {}, response: {
        clientDataJSON: text(c.response.clientDataJSON), authenticatorData: text(c.response.authenticatorData),
        signature: text(c.response.signature), userHandle: text(c.response.userHandle)}});
    },
    async post(cred) {
      const r = await fetch("/login/passkey", {method: "POST", headers, redirect: "manual",
        body: "csrf_token=" + encodeURIComponent(token) + "&credential=" + encodeURIComponent(cred)});
      return r.type === "opaqueredirect" ? 303 : r.status;
    },
  };
})();
true`

// What the portal refuses from a real browser and its authenticator: a
// passkey used on a page served from another origin (a phishing proxy), a
// challenge answered after it expired, and one signed assertion sent again,
// in the same ceremony or a new one. Each is in the audit trail.
func TestBrowserPasskeyRefusals(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s, base := passkeyServer(t)
	// The same portal reached at another origin, as through a proxy on
	// another address: the relying party id (localhost) still matches, so
	// the browser lets the passkey sign; the portal must refuse the origin.
	proxy := httptest.NewServer(s.Handler())
	t.Cleanup(proxy.Close)
	phish := "http://localhost:" + proxy.URL[strings.LastIndex(proxy.URL, ":")+1:]
	s.seedDemo(t)
	p := s.withoutTOTP(t, account.Roles{Admin: true})
	tab := browser.Open(t, browser.Desktop())
	virtualAuthenticator(tab)

	tab.Do(chromedp.Navigate(base + "/login"))
	fill(tab, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `form[action="/login"] button[type="submit"]`)
	tab.Do(chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="register"]`)))
	fill(tab, "f-passkey_name", "Laptop")
	clickAndWait(t, tab, `form[data-passkey="register"] button[type="submit"]`)
	clickAndWait(t, tab, `form[action="/logout"] button`)

	// Another origin: the page says the passkey was refused; no session.
	tab.Do(chromedp.Navigate(phish+"/login"), chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="sign_in"]`)),
		chromedp.Click(chromedp.CSS(`form[data-passkey="sign_in"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS(`.error-summary`))); got != s.cat.T("en", "error.passkey.refused") {
		t.Errorf("at another origin the sign-in page says %q", got)
	}

	// Expired: the challenge is fetched, and answered ten minutes later.
	tab.Do(chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`form[data-passkey="sign_in"]`)))
	browser.Run(tab, chromedp.Evaluate[bool](fetchAssertionJS))
	browser.Run(tab, chromedp.Evaluate[bool](`pk.options().then(o => (window.late = o, true))`, chromedp.EvalAwaitPromise))
	s.clock.Add(10 * time.Minute)
	if got := browser.Run(tab, chromedp.Evaluate[int](`pk.assert(late).then(pk.post)`, chromedp.EvalAwaitPromise)); got != 422 {
		t.Errorf("an expired challenge answered %d, want 422", got)
	}

	// Replayed: the first use signs in, the same assertion again does not,
	// nor in a new ceremony.
	got := browser.Run(tab, chromedp.Evaluate[[]int](`(async () => {
		const cred = await pk.assert(await pk.options());
		const first = await pk.post(cred), again = await pk.post(cred);
		await pk.options();
		return [first, again, await pk.post(cred)];
	})()`, chromedp.EvalAwaitPromise))
	if len(got) != 3 || got[0] != 303 || got[1] != 422 || got[2] != 422 {
		t.Errorf("an assertion sent three times answered %v, want [303 422 422]", got)
	}

	var reasons []string
	if err := s.db.Select(&reasons, `SELECT details->>'reason' FROM audit WHERE action = 'account.passkey_refused' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 4 || !strings.Contains(reasons[0], "origin") || reasons[1] != "expired_challenge" || reasons[2] != "no_ceremony" {
		t.Errorf("refusals in the audit trail: %q", reasons)
	}
	// The refusals are the console's only errors (no CSP violation).
	for _, e := range tab.ConsoleErrors() {
		if !strings.Contains(e, "422") || !strings.Contains(e, "/login/passkey") {
			t.Errorf("console error: %s", e)
		}
	}
}
