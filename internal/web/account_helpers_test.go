package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"missiongrants/internal/account"
	"missiongrants/internal/job"
	"missiongrants/internal/testenv"
)

// Helpers shared by the account tests: people, their phones, their mail, and
// the pages they fill in.

// mailTimeout is how long a test waits for the job queue to deliver a mail.
const mailTimeout = 20 * time.Second

// goodPassword passes the password rules.
const goodPassword = "violet harbour lantern 42"

// person is someone with an account and what they log in with.
type person struct {
	name, email, password string
	phone                 *authenticator // nil without two-step verification
}

// newEmail is an address no other test uses: mailpit is shared by them all.
func newEmail(who string) string {
	return who + "-" + strings.ToLower(rand.Text()[:12]) + "@example.org"
}

// authenticator is a person's authenticator app. The portal accepts each
// code once, so the app gives the code of the current 30-second step, or of
// the step after the last code it gave.
type authenticator struct {
	secret string
	last   int64            // the step of the last code given
	clock  func() time.Time // the phone's time: the portal's when a test sets it; nil: the real one
}

const totpStep = 30 // seconds

func (a *authenticator) stepNow() int64 {
	now := time.Now
	if a.clock != nil {
		now = a.clock
	}
	return now().Unix() / totpStep
}

func (a *authenticator) code(t *testing.T) string {
	t.Helper()
	step := max(a.stepNow(), a.last+1)
	// The portal takes codes up to one step ahead of its clock; a code
	// further ahead has to wait for the clock.
	if step > a.stepNow()+1 {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for step > a.stepNow()+1 {
			<-tick.C
		}
	}
	a.last = step
	return codeAt(t, a.secret, step)
}

// wrongCode is a code that no step the portal accepts now gives.
func (a *authenticator) wrongCode(t *testing.T) string {
	t.Helper()
	now := a.stepNow()
	valid := map[string]bool{}
	for step := now - 2; step <= now+2; step++ {
		valid[codeAt(t, a.secret, step)] = true
	}
	for _, c := range []string{"000000", "123456", "654321", "999999"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

func codeAt(t *testing.T, secret string, step int64) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, time.Unix(step*totpStep, 0))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// seedDemo creates the demo accounts and returns them by email.
func (s *testServer) seedDemo(t *testing.T) map[string]person {
	t.Helper()
	demos, err := s.accounts.SeedDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]person{}
	for _, d := range demos {
		p := person{name: d.Name, email: d.Email, password: d.Password}
		if d.TOTPSecret != "" {
			p.phone = &authenticator{secret: d.TOTPSecret, clock: s.clock.Now}
		}
		people[d.Email] = p
	}
	return people
}

const (
	demoAdmin     = "staff@demo.missiongrants.test" // admin only, Spanish
	demoBoard     = "board@demo.missiongrants.test"
	demoApplicant = "applicant@demo.missiongrants.test"
)

// userID is the id of the account with email.
func (s *testServer) userID(t *testing.T, email string) int64 {
	t.Helper()
	users, err := s.accounts.Users(context.Background(), account.UserFilter{Search: email})
	if err != nil || len(users) != 1 {
		t.Fatalf("account %s: %v (%d found)", email, err, len(users))
	}
	return users[0].ID
}

// waitMail waits for the n-th message (1 is the first) to `to` whose subject
// contains subject.
func (s *testServer) waitMail(t *testing.T, to, subject string, n int) testenv.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), mailTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var subjects []string
	for {
		msgs, err := s.messages(ctx, to)
		if err == nil {
			subjects = subjects[:0]
			var matching []testenv.Message
			for _, m := range msgs {
				subjects = append(subjects, m.Subject)
				if strings.Contains(m.Subject, subject) {
					matching = append(matching, m)
				}
			}
			if len(matching) >= n {
				return matching[n-1]
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("mail #%d to %s about %q did not come within %v (got %q; last error %v)", n, to, subject, mailTimeout, subjects, err)
		case <-tick.C:
		}
	}
}

// messages are the mails to `to`, oldest first: as mailpit received them,
// or in the fast tier, which has no mailpit, as the portal queued them in
// the job table (delivery is then not tested, only what was sent).
func (s *testServer) messages(ctx context.Context, to string) ([]testenv.Message, error) {
	if s.mail != nil {
		return s.mail.Messages(ctx, to)
	}
	var queued []string
	if err := s.db.SelectContext(ctx, &queued, `SELECT args::text FROM river_job
		WHERE kind = 'mail.send' AND lower(args->'message'->>'to') = lower($1) ORDER BY id`, to); err != nil {
		return nil, err
	}
	var msgs []testenv.Message
	for _, q := range queued {
		var a job.MailArgs
		if err := json.Unmarshal([]byte(q), &a); err != nil {
			return nil, err
		}
		msgs = append(msgs, testenv.Message{To: []string{a.Message.To}, Subject: a.Message.Subject, Text: a.Message.Text, HTML: a.Message.HTML})
	}
	return msgs, nil
}

// mailedLinkRE finds the portal's links in a mail's text; the test servers'
// BASE_URL is the default.
var mailedLinkRE = regexp.MustCompile(`http://localhost:8080(/[^\s"<>]*)`)

// linkIn returns the path and query of the one portal link in m with a token.
func linkIn(t *testing.T, m testenv.Message) string {
	t.Helper()
	for _, match := range mailedLinkRE.FindAllStringSubmatch(m.Text, -1) {
		if strings.Contains(match[1], "token=") {
			return match[1]
		}
	}
	t.Fatalf("no link with a token in the mail %q:\n%s", m.Subject, m.Text)
	return ""
}

// mailedLink waits for the first mail to `to` about subject and returns its link.
func (s *testServer) mailedLink(t *testing.T, to, subject string) string {
	t.Helper()
	return linkIn(t, s.waitMail(t, to, subject, 1))
}

// tokenOf is the token in an emailed link.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("no token in %q", link)
	}
	return u.Query().Get("token")
}

// invite has the (Spanish) demo admin invite a new board member through the
// people page and returns the invitee's address and the link mailed to them.
func invite(t *testing.T, s *testServer, admin *client, name string) (email, link string) {
	t.Helper()
	email = newEmail("board")
	rec := admin.post("/admin/users/invite", url.Values{"email": {email}, "name": {name}, "board": {"1"}, "language": {"en"}})
	wantRedirect(t, rec, "/admin/users")
	mustContain(t, admin.get("/admin/users"), s.text("es", "flash.invitation_sent"), email)
	return email, s.mailedLink(t, email, "You are invited to IPA Mission Grants")
}

// acceptInvitation sets the invitee's name and password from the link; they
// are logged in and sent to set up two-step verification.
func acceptInvitation(t *testing.T, s *testServer, link string, p person) *client {
	t.Helper()
	c := s.client(t, "Accept-Language", "en")
	page := c.get(link)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Join IPA Mission Grants", `name="password"`)
	rec := c.post("/invitation/accept", url.Values{"token": {tokenOf(t, link)}, "name": {p.name}, "password": {p.password}})
	wantRedirect(t, rec, "/account/two-factor")
	return c
}

// clone is another browser with this one's cookies (the same session) and
// extra headers.
func (c *client) clone(header ...string) *client {
	d := c.s.client(c.t, header...)
	for k, v := range c.header {
		if d.header.Get(k) == "" {
			d.header[k] = v
		}
	}
	for k, v := range c.cookies {
		d.cookies[k] = v
	}
	return d
}

var (
	mainRE     = regexp.MustCompile(`(?s)<main.*</main>`)
	formRE     = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	hiddenRE   = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	secretRE   = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)
	recoveryRE = regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)
)

// press submits the first form in the page's content (not the header's) as
// a person pressing its button would: its hidden fields and the CSRF token.
func (c *client) press(page *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	c.t.Helper()
	form := formRE.FindStringSubmatch(mainRE.FindString(page.Body.String()))
	if form == nil {
		c.t.Fatalf("no form on the page:\n%.1500s", page.Body.String())
	}
	values := url.Values{}
	for _, h := range hiddenRE.FindAllStringSubmatch(form[2], -1) {
		values.Set(h[1], h[2])
	}
	return c.post(form[1], values)
}

// openLink opens an emailed link: a page with a button, which changes nothing
// until pressed.
func (c *client) openLink(link string) *httptest.ResponseRecorder {
	c.t.Helper()
	page := c.get(link)
	wantStatus(c.t, page, http.StatusOK)
	return page
}

// signUp fills in the sign-up form.
func (c *client) signUp(p person) {
	c.t.Helper()
	rec := c.post("/signup", url.Values{"name": {p.name}, "email": {p.email}, "password": {p.password}})
	wantRedirect(c.t, rec, "/signup/sent")
}

// signUpAndConfirm creates an applicant's account through the sign-up form
// and the link mailed to them, in the browser's language.
func (s *testServer) signUpAndConfirm(t *testing.T, c *client, name string) person {
	t.Helper()
	p := person{name: name, email: newEmail("applicant"), password: goodPassword}
	c.signUp(p)
	subject := s.cat.T(pageLang(c), "mail.account_confirm.subject")
	rec := c.press(c.openLink(s.mailedLink(t, p.email, subject)))
	wantRedirect(t, rec, "/dashboard")
	return p
}

// pageLang is the language a client's pages come in before login.
func pageLang(c *client) string {
	return c.s.cat.Negotiate(c.cookies[langCookie], c.header.Get("Accept-Language"))
}

// login fills in the login form and, for a person with a phone, the code
// page. It returns the last answer.
func (c *client) login(p person) *httptest.ResponseRecorder {
	c.t.Helper()
	rec := c.enterPassword(p)
	if p.phone == nil || rec.Code != http.StatusSeeOther {
		return rec
	}
	wantRedirect(c.t, rec, "/login/code")
	return c.post("/login/code", url.Values{"code": {p.phone.code(c.t)}})
}

func (c *client) enterPassword(p person) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.post("/login", url.Values{"email": {p.email}, "password": {p.password}})
}

// atCodePage is a new English browser in which p, who has two-step
// verification on, has entered the password: the portal asks for a code.
func (s *testServer) atCodePage(t *testing.T, p person) *client {
	t.Helper()
	c := s.client(t, "Accept-Language", "en")
	wantRedirect(t, c.enterPassword(p), "/login/code")
	return c
}

// loginAs is a new English browser in which p has logged in.
func (s *testServer) loginAs(t *testing.T, p person) *client {
	t.Helper()
	c := s.client(t, "Accept-Language", "en")
	rec := c.login(p)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/") || c.cookies[sessionCookie] == "" {
		t.Fatalf("login as %s: status %d, Location %q; body:\n%.800s", p.email, rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	return c
}

// enrolTOTP sets up two-step verification from the set-up page, with the
// secret shown on it, and returns the phone and the recovery codes shown.
func (c *client) enrolTOTP() (*authenticator, []string) {
	c.t.Helper()
	phone := &authenticator{secret: secretOn(c.t, c.get("/account/two-factor"))}
	rec := c.post("/account/two-factor", url.Values{"code": {phone.code(c.t)}})
	wantStatus(c.t, rec, http.StatusOK)
	var codes []string
	for _, m := range recoveryRE.FindAllStringSubmatch(rec.Body.String(), -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		c.t.Fatalf("%d recovery codes shown, want 10:\n%.1500s", len(codes), rec.Body.String())
	}
	return phone, codes
}

// secretOn reads the key shown on the two-step set-up page.
func secretOn(t *testing.T, page *httptest.ResponseRecorder) string {
	t.Helper()
	wantStatus(t, page, http.StatusOK)
	m := secretRE.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("no key on the set-up page:\n%.1500s", page.Body.String())
	}
	return m[1]
}

// wantRedirect checks a 303 to location (a prefix when it ends in "*").
func wantRedirect(t *testing.T, rec *httptest.ResponseRecorder, location string) {
	t.Helper()
	got := rec.Header().Get("Location")
	ok := got == location
	if prefix, found := strings.CutSuffix(location, "*"); found {
		ok = strings.HasPrefix(got, prefix)
	}
	if rec.Code != http.StatusSeeOther || !ok {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%.800s", rec.Code, got, location, rec.Body.String())
	}
}

// mustNotContain checks that the page does not show any of unwanted.
func mustNotContain(t *testing.T, rec *httptest.ResponseRecorder, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(rec.Body.String(), u) {
			t.Errorf("response (%d) shows %q", rec.Code, u)
		}
	}
}
