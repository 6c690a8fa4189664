package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestHomePageSpeaksTheBrowsersLanguage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	cases := []struct {
		accept string
		lang   string
		want   []string
	}{
		{"en-US,en;q=0.9", "en", []string{`<html lang="en">`, "Who may apply", "What we fund", "How to apply", `href="/login"`, "cardiac surgery mission work"}},
		{"es-DO,es;q=0.9", "es", []string{`<html lang="es">`, "Quién puede solicitar", "Qué financiamos", "Cómo solicitar", `href="/login"`, "Iniciar sesión"}},
		{"", "en", []string{"Who may apply"}},
	}
	for _, tc := range cases {
		rec := s.do(t, http.MethodGet, "/", nil, "Accept-Language", tc.accept)
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec, tc.want...)
		if got := rec.Header().Get("Content-Language"); got != tc.lang {
			t.Errorf("Accept-Language %q: Content-Language %q, want %q", tc.accept, got, tc.lang)
		}
	}
}

func TestLanguageSwitchIsRememberedOnEveryPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	rec := s.do(t, http.MethodPost, "/language", url.Values{"lang": {"es"}, "next": {"/nowhere?x=1"}}, "Accept-Language", "en")
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/nowhere?x=1" {
		t.Fatalf("redirected to %q", loc)
	}
	cookie := rec.Result().Cookies()
	if len(cookie) != 1 || cookie[0].Name != "lang" || cookie[0].Value != "es" || !cookie[0].HttpOnly {
		t.Fatalf("cookies: %+v", cookie)
	}
	// An English browser with the Spanish choice sees Spanish, on the home
	// page and on an error page alike.
	for _, path := range []string{"/", "/nowhere"} {
		rec = s.do(t, http.MethodGet, path, nil, "Accept-Language", "en", "Cookie", "lang=es")
		mustContain(t, rec, `<html lang="es">`, "Idioma")
	}
	// Every page offers the switch, with a way back to where the person is.
	rec = s.do(t, http.MethodGet, "/", nil)
	mustContain(t, rec, `action="/language"`, `name="next" value="/"`, `<option value="es"`)
}

func TestLanguageSwitchRefusesForeignRedirectsAndUnknownLanguages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, next := range []string{"https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"} {
		rec := s.do(t, http.MethodPost, "/language", url.Values{"lang": {"en"}, "next": {next}})
		wantStatus(t, rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
	rec := s.do(t, http.MethodPost, "/language", url.Values{"lang": {"de"}})
	wantStatus(t, rec, http.StatusBadRequest)
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	paths := []string{"/", "/healthz", "/readyz", "/does-not-exist", s.assets.url("css/app.css")}
	for _, p := range paths {
		rec := s.do(t, http.MethodGet, p, nil)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
			!strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
		if rp := h.Get("Referrer-Policy"); rp != "same-origin" && rp != "no-referrer" && rp != "strict-origin" {
			t.Errorf("%s: Referrer-Policy %q", p, rp)
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", p)
		}
	}
}

// The pages run under a CSP without inline script or style, and load nothing
// from another host.
func TestPagesHaveNoInlineScriptStyleOrOtherHosts(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, p := range []string{"/", "/missing"} {
		body := s.do(t, http.MethodGet, p, nil).Body.String()
		for _, bad := range []*regexp.Regexp{
			regexp.MustCompile(`<script>`), regexp.MustCompile(`<script[^>]*>[^<]+</script>`),
			regexp.MustCompile(`<style`), regexp.MustCompile(`\sstyle=`), regexp.MustCompile(`\son[a-z]+=`),
			regexp.MustCompile(`(src|href)="(https?:)?//`),
		} {
			if m := bad.FindString(body); m != "" {
				t.Errorf("%s contains %q", p, m)
			}
		}
	}
}

func TestAssetsAreServedWithTheirHash(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	rec := s.do(t, http.MethodGet, s.assets.url("css/app.css"), nil)
	wantStatus(t, rec, http.StatusOK)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("headers: %v", rec.Header())
	}
	rec = s.do(t, http.MethodGet, "/assets/000000000000/css/app.css", nil)
	wantStatus(t, rec, http.StatusOK)
	if rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("a stale hash is cached: %v", rec.Header())
	}
	wantStatus(t, s.do(t, http.MethodGet, "/assets/x/../../go.mod", nil), http.StatusNotFound)
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	rec := s.do(t, http.MethodPost, "/language", url.Values{"lang": {"es"}}, "Origin", "https://evil.example", "Accept-Language", "es")
	wantStatus(t, rec, http.StatusForbidden)
	mustContain(t, rec, "no provino de este sitio")
	if len(rec.Result().Cookies()) != 0 {
		t.Fatal("a refused request still set a cookie")
	}
	rec = s.do(t, http.MethodPost, "/language", url.Values{"lang": {"es"}}, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, rec, http.StatusForbidden)
	// The same form from our own origin goes through.
	rec = s.do(t, http.MethodPost, "/language", url.Values{"lang": {"es"}}, "Origin", "http://localhost:8080", "Sec-Fetch-Site", "same-origin")
	wantStatus(t, rec, http.StatusSeeOther)
}
