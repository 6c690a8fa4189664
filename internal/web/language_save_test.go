package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLanguageSwitchIsRememberedOnEveryPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	browser := s.client(t, "Accept-Language", "en")
	rec := browser.post("/language", url.Values{"lang": {"es"}, "next": {"/nowhere?x=1"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/nowhere?x=1" {
		t.Fatalf("redirected to %q", loc)
	}
	if browser.cookies[langCookie] != "es" {
		t.Fatalf("cookies: %v", browser.cookies)
	}
	// An English browser with the Spanish choice sees Spanish, on the home
	// page and on an error page alike.
	for _, path := range []string{"/", "/nowhere"} {
		mustContain(t, browser.get(path), `<html lang="es">`, "Idioma")
	}
	// Every page offers the switch, with a way back to where the person is.
	mustContain(t, s.client(t).get("/"), `action="/language"`, `name="next" value="/"`, `<option value="es"`, `name="csrf_token"`)
}

func TestLanguageSwitchRefusesForeignRedirectsAndUnknownLanguages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	browser := s.client(t)
	for _, next := range []string{"https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"} {
		rec := browser.post("/language", url.Values{"lang": {"en"}, "next": {next}})
		wantStatus(t, rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
	wantStatus(t, browser.post("/language", url.Values{"lang": {"de"}}), http.StatusBadRequest)
}

// Signed in, the switch changes the person's own language: their next pages
// are in it, although their profile said otherwise before.
func TestLanguageSwitchWorksWhenSignedIn(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	for _, tc := range []struct{ who, to, want string }{
		{demoApplicant, "es", "Idioma"},
		{demoAdmin, "en", "Language"}, // Spanish before
	} {
		browser := s.loginAs(t, people[tc.who])
		wantStatus(t, browser.post("/language", url.Values{"lang": {tc.to}, "next": {"/account"}}), http.StatusSeeOther)
		mustContain(t, browser.get("/account"), `<html lang="`+tc.to+`">`, tc.want)
		var saved string
		if err := s.db.Get(&saved, `SELECT language FROM users WHERE email = $1`, tc.who); err != nil || saved != tc.to {
			t.Errorf("%s's profile language is %q (%v), want %q", tc.who, saved, err, tc.to)
		}
	}
}

// Whatever a browser would make of next after its own clean-up (tabs and
// newlines dropped, "\" read as "/"), the redirect stays on this site.
func TestLocalPathRefusesWhatBrowsersTurnIntoAnotherHost(t *testing.T) {
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", "/\\/evil.example",
		" //evil.example", "/\u00a0/evil.example", "/\u200b/evil.example", "https://evil.example", "//evil.example",
		"/\x00/evil.example", "http:/evil.example", ""} {
		if got := localPath(next); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", next, got)
		}
	}
	for _, keep := range []string{"/dashboard", "/applications/7?tab=board#vote", "/board/applications?q=misi%C3%B3n"} {
		if got := localPath(keep); got != keep {
			t.Errorf("localPath(%q) = %q: a local path is kept", keep, got)
		}
	}
}

// The login page's next, as in the review: /login?next=%2F%09%2Fevil.example.
func TestLoginNextStaysOnThisSite(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	c := s.client(t, "Accept-Language", "en")
	wantStatus(t, c.get("/login?next=%2F%09%2Fevil.example"), http.StatusOK)
	p := people[demoApplicant]
	rec := c.post("/login", url.Values{"email": {p.email}, "password": {p.password}, "next": {"/\t/evil.example"}})
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || strings.Contains(loc, "evil") || !strings.HasPrefix(loc, "/") {
		t.Fatalf("login answered %d to %q", rec.Code, loc)
	}
}
