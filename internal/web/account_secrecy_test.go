package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Nothing tells a stranger whether an address has an account: the sign-up,
// password-forgotten and login forms answer the same for a known and an
// unknown address; only the owner's mailbox learns of the attempt.
func TestFormsDoNotRevealWhichAddressesHaveAccounts(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	known := s.signUpAndConfirm(t, s.client(t, "Accept-Language", "en"), "Kim Known")
	unconfirmed := person{name: "Una Unconfirmed", email: newEmail("unconfirmed"), password: goodPassword}
	s.client(t).signUp(unconfirmed)

	// answer is what the stranger's browser gets back, with the address
	// typed in and the browser's own CSRF token taken out.
	answer := func(path, email string, form url.Values) string {
		t.Helper()
		form.Set("email", email)
		c := s.client(t, "Accept-Language", "en")
		rec := c.post(path, form)
		if loc := rec.Header().Get("Location"); rec.Code == http.StatusSeeOther {
			return describe(rec, email) + "\n" + describe(c.get(loc), email) // and the page it leads to
		}
		return describe(rec, email)
	}
	for _, tc := range []struct {
		path string
		form func() url.Values
	}{
		{"/signup", func() url.Values { return url.Values{"name": {"Sam Stranger"}, "password": {"stranger passphrase 7"}} }},
		{"/password/forgot", func() url.Values { return url.Values{} }},
	} {
		unknown := newEmail("unknown") // each form's own: signing up makes it known
		k, u := answer(tc.path, known.email, tc.form()), answer(tc.path, unknown, tc.form())
		if k != u {
			t.Errorf("POST %s answers a known address differently from an unknown one:\nknown:\n%s\nunknown:\n%s", tc.path, k, u)
		}
		if !strings.Contains(k, "Check your email") {
			t.Errorf("POST %s: %s", tc.path, k)
		}
	}
	// Only the owner learns of it.
	s.waitMail(t, known.email, "Someone tried to use your email address", 1)
	s.waitMail(t, known.email, "Choose a new password", 1)

	// The login form refuses an unknown address, a wrong password and an
	// unconfirmed account (even with its right password) alike.
	wrongPassword := url.Values{"password": {"not the password"}}
	wrong := answer("/login", known.email, wrongPassword)
	if !strings.Contains(wrong, "422 ") || !strings.Contains(wrong, "The email address or password is not correct") {
		t.Errorf("login with a wrong password:\n%s", wrong)
	}
	for what, got := range map[string]string{
		"an unknown address":                      answer("/login", newEmail("unknown"), wrongPassword),
		"an unconfirmed account's right password": answer("/login", unconfirmed.email, url.Values{"password": {unconfirmed.password}}),
	} {
		if got != wrong {
			t.Errorf("login with %s answers differently from a wrong password:\n%s\nwrong password:\n%s", what, got, wrong)
		}
	}
}

var csrfValueRE = regexp.MustCompile(`name="csrf_token" value="[^"]*"`)

// describe is a response as a stranger can compare it: status, headers that
// matter, cookies set and the page, with email and the CSRF token masked.
func describe(rec *httptest.ResponseRecorder, email string) string {
	var cookies []string
	for _, c := range rec.Result().Cookies() {
		cookies = append(cookies, c.Name)
	}
	slices.Sort(cookies)
	body := csrfValueRE.ReplaceAllString(rec.Body.String(), `name="csrf_token" value="…"`)
	body = strings.ReplaceAll(body, email, "EMAIL")
	return strings.Join([]string{
		strconv.Itoa(rec.Code) + " " + http.StatusText(rec.Code),
		"Location: " + rec.Header().Get("Location"),
		"Set-Cookie: " + strings.Join(cookies, ","),
		body,
	}, "\n")
}
