package web

import (
	"net/http"
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
		rec := s.client(t, "Accept-Language", tc.accept).get("/")
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec, tc.want...)
		if got := rec.Header().Get("Content-Language"); got != tc.lang {
			t.Errorf("Accept-Language %q: Content-Language %q, want %q", tc.accept, got, tc.lang)
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	paths := []string{"/", "/healthz", "/readyz", "/does-not-exist", s.assets.url("css/app.css")}
	for _, p := range paths {
		h := s.client(t).get(p).Header()
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
		body := s.client(t).get(p).Body.String()
		for _, bad := range []*regexp.Regexp{
			regexp.MustCompile(`<script>`), regexp.MustCompile(`<script[^>]*>[^<]+</script>`),
			regexp.MustCompile(`<style`), regexp.MustCompile(`\sstyle=`), regexp.MustCompile(`\son[a-z]+=`),
			regexp.MustCompile(`(src|href|action)="(https?:)?//`),
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
	rec := s.client(t).get(s.assets.url("css/app.css"))
	wantStatus(t, rec, http.StatusOK)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("headers: %v", rec.Header())
	}
	rec = s.client(t).get("/assets/000000000000/css/app.css")
	wantStatus(t, rec, http.StatusOK)
	if rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("a stale hash is cached: %v", rec.Header())
	}
	wantStatus(t, s.client(t).get("/assets/x/../../go.mod"), http.StatusNotFound)
}

// Signed in (back from an error page's "back home"), the home page leads
// to the person's portal, not to signing up or in again.
func TestHomePageLeadsASignedInPersonToTheirPortal(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	home := s.loginAs(t, people[demoApplicant]).get("/")
	wantStatus(t, home, http.StatusOK)
	mustContain(t, home, `<a class="button" href="/dashboard">`+s.text("en", "nav.dashboard")+`</a>`)
	mustNotContain(t, home, s.text("en", "page.home.signin_prompt"), `<a class="button" href="/signup">`)
}
