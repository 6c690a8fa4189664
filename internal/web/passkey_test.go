package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
)

// testOrigin is the tests' BASE_URL (config's default): the relying party
// of their passkeys.
const testOrigin = "http://localhost:8080"

// options asks for a passkey ceremony's options as passkey.js does: a POST
// with the CSRF token in its header, answered with JSON.
func (c *client) passkeyOptions(path string) []byte {
	c.t.Helper()
	rec := c.post(path, url.Values{})
	wantStatus(c.t, rec, http.StatusOK)
	if !json.Valid(rec.Body.Bytes()) {
		c.t.Fatalf("%s answered %q, not JSON", path, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// addPasskey adds a passkey named name from the profile page.
func (c *client) addPasskey(name string) *testenv.Authenticator {
	c.t.Helper()
	auth := testenv.NewAuthenticator(testOrigin)
	resp, err := auth.Register(c.passkeyOptions("/account/passkeys/options"))
	if err != nil {
		c.t.Fatal(err)
	}
	wantRedirect(c.t, c.post("/account/passkeys", url.Values{"passkey_name": {name}, "credential": {string(resp)}}), "/account")
	return auth
}

// signInWithPasskey is the sign-in page's passkey button: options, the
// authenticator's answer, and that answer posted.
func (c *client) signInWithPasskey(auth *testenv.Authenticator) (*http.Response, []byte) {
	c.t.Helper()
	resp, err := auth.Assert(c.passkeyOptions("/login/passkey/options"))
	if err != nil {
		c.t.Fatal(err)
	}
	rec := c.post("/login/passkey", url.Values{"credential": {string(resp)}})
	return rec.Result(), resp
}

// A board member with no second factor yet adds a passkey, in one portal
// process and the next (two servers on one database: the ceremony begun on
// one finishes on the other); it counts as two-factor; they sign in with it
// alone, or after the password; the sessions list says how each signed in.
func TestPasskeyTwoProcesses(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	a, b := newTestServerOn(t, pool), newTestServerOn(t, pool)
	a.seedDemo(t)
	p := a.withoutTOTP(t, account.Roles{Board: true})
	c := a.loginAs(t, p)
	wantRedirect(t, c.get("/dashboard"), "/account/two-factor")

	auth := testenv.NewAuthenticator(testOrigin)
	resp, err := auth.Register(c.passkeyOptions("/account/passkeys/options")) // begun on a
	if err != nil {
		t.Fatal(err)
	}
	c.s = b // finished on b
	wantRedirect(t, c.post("/account/passkeys", url.Values{"passkey_name": {"Teléfono de Bruna"}, "credential": {string(resp)}}), "/account")
	rec := c.get("/account")
	mustContain(t, rec, "Teléfono de Bruna", a.text("en", "flash.passkey_added"), a.text("en", "page.passkeys.method.password"))
	wantStatus(t, c.get("/dashboard"), http.StatusOK) // the passkey is their second factor
	wantRedirect(t, c.post("/logout", nil), "/login")

	// A passkey alone, begun on b and finished on a.
	d := b.client(t, "Accept-Language", "en")
	res, _ := func() (*http.Response, []byte) {
		assertion, err := auth.Assert(d.passkeyOptions("/login/passkey/options"))
		if err != nil {
			t.Fatal(err)
		}
		d.s = a
		r := d.post("/login/passkey", url.Values{"credential": {string(assertion)}})
		return r.Result(), assertion
	}()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("sign-in with a passkey alone: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	mustContain(t, d.get("/account"), a.text("en", "page.passkeys.method.passkey"))

	// The password, then the passkey: the code page offers the passkey
	// (and no code field: TOTP is off).
	e := a.client(t, "Accept-Language", "en")
	wantRedirect(t, e.enterPassword(p), "/login/code")
	rec = e.get("/login/code")
	mustContain(t, rec, a.text("en", "page.passkeys.use"), a.text("en", "page.passkeys.second_intro"))
	mustNotContain(t, rec, `name="code"`)
	assertion, err := auth.Assert(e.passkeyOptions("/login/code/passkey/options"))
	if err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, e.post("/login/code/passkey", url.Values{"credential": {string(assertion)}}), "/dashboard")
	mustContain(t, e.get("/account"), a.text("en", "page.passkeys.method.password_passkey"))

	var used int
	if err := pool.Get(&used, `SELECT count(*) FROM audit WHERE action = 'account.passkey_used'`); err != nil || used != 2 {
		t.Errorf("%d passkey uses in the audit trail (%v), want 2", used, err)
	}
}

// What the sign-in page refuses, saying so and opening no session: an
// assertion made on another site (origin), the same assertion sent again,
// and a challenge answered after it expired.
func TestPasskeyRefusedOverHTTP(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.seedDemo(t)
	p := s.withoutTOTP(t, account.Roles{Admin: true})
	auth := s.loginAs(t, p).addPasskey("YubiKey")
	refusedPage := func(c *client, rec *http.Response) {
		t.Helper()
		if rec.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", rec.StatusCode)
		}
		if c.cookies[sessionCookie] != "" {
			if r := c.get("/dashboard"); r.Code == http.StatusOK {
				t.Fatal("a refused passkey opened a session")
			}
		}
	}

	// Wrong origin.
	phish := *auth
	phish.Origin = "http://localhost:8081"
	c := s.client(t, "Accept-Language", "es")
	res, _ := c.signInWithPasskey(&phish)
	refusedPage(c, res)
	auth.Counter = phish.Counter

	// Replayed: the first use signs in, the same assertion again does not.
	c = s.client(t, "Accept-Language", "en")
	res, assertion := c.signInWithPasskey(auth)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the passkey did not sign in: %d", res.StatusCode)
	}
	again := s.client(t, "Accept-Language", "en")
	again.passkeyOptions("/login/passkey/options") // a new challenge in this browser
	rec := again.post("/login/passkey", url.Values{"credential": {string(assertion)}})
	refusedPage(again, rec.Result())
	mustContain(t, rec, s.text("en", "error.passkey.refused"))

	// Expired.
	c = s.client(t, "Accept-Language", "en")
	opts := c.passkeyOptions("/login/passkey/options")
	late, err := auth.Assert(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(10 * time.Minute)
	rec = c.post("/login/passkey", url.Values{"credential": {string(late)}})
	refusedPage(c, rec.Result())

	var reasons []string
	if err := s.db.Select(&reasons, `SELECT details->>'reason' FROM audit WHERE action = 'account.passkey_refused' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 3 || reasons[2] != "expired_challenge" {
		t.Errorf("refusals in the audit trail: %q; want three, the last expired_challenge", reasons)
	}
}

// A board member's or admin's last second factor cannot be removed from
// the profile page; with a second passkey, one can.
func TestPasskeyLastSecondFactorRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.seedDemo(t)
	for _, roles := range []account.Roles{{Board: true}, {Admin: true}} {
		p := s.withoutTOTP(t, roles)
		c := s.loginAs(t, p)
		c.addPasskey("Pixel de Bea")
		keys, err := s.accounts.ListPasskeys(t.Context(), s.userID(t, p.email))
		if err != nil || len(keys) != 1 {
			t.Fatal(keys, err)
		}
		id := strconv.FormatInt(keys[0].ID, 10)
		rec := c.post("/account/passkeys/remove", url.Values{"passkey_id": {id}, "remove_password": {p.password}})
		wantStatus(t, rec, http.StatusConflict)
		mustContain(t, rec, s.text("en", "error.account.two_factor_required"), s.text("en", "page.passkeys.last_required"))
		c.addPasskey("Laptop")
		wantRedirect(t, c.post("/account/passkeys/remove", url.Values{"passkey_id": {id}, "remove_password": {p.password}}), "/account")
		mustNotContain(t, c.get("/account"), "Pixel de Bea")
	}
}
