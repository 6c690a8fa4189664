package web

import (
	"net/http"
	"net/url"
	"testing"
)

// A forged request, from another site or without the token, is refused and
// changes nothing; the same form from our own page goes through.
func TestForgedPostsAreRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	form := url.Values{"lang": {"es"}}

	browser := s.client(t, "Accept-Language", "es")
	browser.get("/")
	token := browser.cookies[csrfCookie]
	if token == "" {
		t.Fatal("no CSRF cookie given")
	}
	cases := []struct {
		name   string
		header []string
		form   url.Values
	}{
		{"no token", nil, form},
		{"wrong token", nil, url.Values{"lang": {"es"}, csrfField: {"x" + token}}},
		{"foreign Origin", []string{"Origin", "https://evil.example"}, url.Values{"lang": {"es"}, csrfField: {token}}},
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, url.Values{"lang": {"es"}, csrfField: {token}}},
	}
	for _, tc := range cases {
		forger := s.client(t, append([]string{"Accept-Language", "es"}, tc.header...)...)
		forger.cookies[csrfCookie] = token
		rec := forger.send(http.MethodPost, "/language", tc.form)
		wantStatus(t, rec, http.StatusForbidden)
		mustContain(t, rec, "no provino de este sitio")
		if forger.cookies[langCookie] != "" {
			t.Errorf("%s: a refused request still changed the language", tc.name)
		}
	}
	rec := s.client(t, "Origin", "http://localhost:8080", "Sec-Fetch-Site", "same-origin").post("/language", form)
	wantStatus(t, rec, http.StatusSeeOther)
}
