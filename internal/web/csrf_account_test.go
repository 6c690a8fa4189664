package web

import (
	"net/http"
	"net/url"
	"testing"
)

// A forged request riding on a logged-in person's cookies, without the
// token or from another site, is refused and changes nothing: the profile
// keeps its name, and the person stays logged in here and elsewhere.
func TestForgedPostsOfALoggedInPersonAreRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	p := s.seedDemo(t)[demoApplicant]
	victim, elsewhere := s.loginAs(t, p), s.loginAs(t, p)
	token := victim.cookies[csrfCookie]
	rename := url.Values{"name": {"Hacked"}, "language": {"en"}}
	withToken := url.Values{"name": {"Hacked"}, "language": {"en"}, csrfField: {token}}

	forgeries := []struct {
		name    string
		browser *client
		form    url.Values
	}{
		{"no token", victim.clone(), rename},
		{"wrong token", victim.clone(), url.Values{"name": {"Hacked"}, "language": {"en"}, csrfField: {token + "x"}}},
		{"foreign Origin", victim.clone("Origin", "https://evil.example"), withToken},
		{"cross-site fetch", victim.clone("Sec-Fetch-Site", "cross-site"), withToken},
	}
	for _, f := range forgeries {
		for _, path := range []string{"/account/profile", "/logout", "/account/sessions/revoke-others"} {
			rec := f.browser.send(http.MethodPost, path, f.form)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s: POST %s answered %d, want 403", f.name, path, rec.Code)
			}
			mustContain(t, rec, "This form could not be accepted because it did not come from this site.")
		}
	}
	rec := victim.get("/account")
	wantStatus(t, rec, http.StatusOK) // still logged in: the logouts were refused
	mustContain(t, rec, `value="Alex Applicant"`)
	mustNotContain(t, rec, "Hacked")
	wantStatus(t, elsewhere.get("/dashboard"), http.StatusOK) // "sign out everywhere else" was refused

	// The same change from the portal's own page goes through.
	wantRedirect(t, victim.post("/account/profile", url.Values{"name": {"Alex Renamed"}, "language": {"en"}}), "/account")
	mustContain(t, victim.get("/account"), `value="Alex Renamed"`, "Saved.")
	wantRedirect(t, victim.post("/logout", nil), "/login")
	wantRedirect(t, victim.get("/account"), "/login?next=%2Faccount")
}
