package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A charity's person signs up, confirms the address with the mailed link
// (opening it changes nothing; the button does), logs in and out; a used
// link and a stolen session cookie stop working.
func TestSignupConfirmLoginLogout(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	c := s.client(t, "Accept-Language", "en")
	p := person{name: "Grace Hopper", email: newEmail("signup"), password: goodPassword}

	mustContain(t, c.get("/signup"), "Create your account")
	c.signUp(p)
	link := s.mailedLink(t, p.email, "Confirm your email address")

	// Not confirmed yet: the login form refuses, as for a wrong password.
	rec := c.login(p)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "first confirm your address")

	page := c.openLink(link)
	mustContain(t, page, "Confirm your email address", "Confirm my address")
	wantStatus(t, c.login(p), http.StatusUnprocessableEntity) // the GET confirmed nothing

	// Confirming signs the person in: no second typing of the password.
	rec = c.press(page)
	wantRedirect(t, rec, "/dashboard")
	mustContain(t, c.get("/dashboard"), s.cat.T("en", "flash.email_confirmed_signed_in"), "Welcome, "+p.name)

	// The link works once.
	rec = c.press(c.openLink(link))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This link is not valid")

	wantRedirect(t, c.login(p), "/dashboard")
	rec = c.get("/dashboard")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, "Welcome, Grace Hopper")
	wantRedirect(t, c.get("/login"), "/dashboard")

	stolen := c.clone()
	wantRedirect(t, c.post("/logout", nil), "/login")
	mustContain(t, c.get("/login"), "You are signed out.")
	wantRedirect(t, c.get("/dashboard"), "/login?next=%2Fdashboard")
	// The session ended on the server: a copy of the old cookie is worthless.
	wantRedirect(t, stolen.get("/dashboard"), "/login?next=%2Fdashboard")
}

// A reset link sets a new password once, ends the sessions the account had,
// and stops working when used or expired.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	c := s.client(t, "Accept-Language", "en")
	p := s.signUpAndConfirm(t, c, "Reset Person")
	wantRedirect(t, c.post("/logout", nil), "/login") // who forgot a password is signed out
	elsewhere := s.loginAs(t, p)

	rec := c.post("/password/forgot", url.Values{"email": {p.email}})
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, "Check your email")
	link := s.mailedLink(t, p.email, "Choose a new password")

	page := c.get(link)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Choose a new password", `name="password"`)
	rec = c.post("/password/reset", url.Values{"token": {tokenOf(t, link)}, "password": {"short"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "at least 10 characters")
	// A refused password leaves the link working.
	rec = c.post("/password/reset", url.Values{"token": {tokenOf(t, link)}, "password": {"a brand new passphrase"}})
	wantRedirect(t, rec, "/login")
	mustContain(t, c.get("/login"), "Your password is changed. Sign in with the new one.")
	s.waitMail(t, p.email, "Your password was changed", 1)

	wantRedirect(t, elsewhere.get("/dashboard"), "/login*")
	wantStatus(t, c.login(p), http.StatusUnprocessableEntity)
	p.password = "a brand new passphrase"
	wantRedirect(t, s.client(t).login(p), "/dashboard")

	// Used: the link says so at once, with no form to fill in for nothing;
	// a post anyway is refused.
	page = c.get(link)
	wantStatus(t, page, http.StatusGone)
	mustContain(t, page, "This link is not valid: it has expired or has already been used.", `href="/password/forgot"`)
	mustNotContain(t, page, `name="password"`)
	rec = c.post("/password/reset", url.Values{"token": {tokenOf(t, link)}, "password": {"yet another passphrase"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This link is not valid: it has expired or has already been used.")

	// Expired: refused, and the password stays.
	wantStatus(t, c.post("/password/forgot", url.Values{"email": {p.email}}), http.StatusOK)
	second := linkIn(t, s.waitMail(t, p.email, "Choose a new password", 2))
	s.clock.Add(2 * time.Hour) // the link lives an hour
	rec = c.post("/password/reset", url.Values{"token": {tokenOf(t, second)}, "password": {"yet another passphrase"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This link is not valid: it has expired or has already been used.")
	wantRedirect(t, s.client(t).login(p), "/dashboard")
}

// An admin invites a board member, who sets name and password from the
// mailed link and must set up two-step verification before anything else.
func TestInvitationLeadsToTwoFactorSetup(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	admin := s.loginAs(t, s.seedDemo(t)[demoAdmin])
	mustContain(t, admin.get("/admin/users"), s.text("es", "page.admin_users.invite")) // a Spanish admin

	// Every field of the form is shown with its mistake beside it.
	rec := admin.post("/admin/users/invite", url.Values{"email": {"bea@example.org"}, "board": {"1"}, "language": {"en"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `<p class="field-error" id="f-name-error">Ingrese su nombre.</p>`, `value="bea@example.org"`)

	email, link := invite(t, s, admin, "Bea Board")
	msg := s.waitMail(t, email, "You are invited", 1)
	if want := "Sofía Staff has invited you to join IPA Mission Grants as a board member."; !strings.Contains(msg.Text, want) {
		t.Errorf("the invitation says:\n%s\nwant %q", msg.Text, want)
	}

	// The link opens in the language the admin chose for her, whatever her
	// browser prefers, with the name the admin typed.
	page := s.client(t, "Accept-Language", "es").get(link)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `<html lang="en">`, `value="Bea Board"`)

	p := person{name: "Beatriz Board", email: email, password: goodPassword}
	c := acceptInvitation(t, s, link, p)
	// Used, the link says so at once.
	used := s.client(t).get(link)
	wantStatus(t, used, http.StatusGone)
	mustNotContain(t, used, `name="password"`)
	rec = c.get("/account/two-factor")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, "Welcome! Your account is ready.", "Set up two-step verification",
		"Board members and admins must set up two-step verification before they can see applications.")
	wantRedirect(t, c.get("/dashboard"), "/account/two-factor")
	mustContain(t, c.get("/account"), "Beatriz Board")

	// The link works once.
	rec = s.client(t).post("/invitation/accept", url.Values{"token": {tokenOf(t, link)}, "name": {"Mallory"}, "password": {"mallory's passphrase"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This link is not valid")

	// Logging in again still leads to the set-up, not to the applications.
	wantRedirect(t, s.client(t).login(p), "/account/two-factor")
}

// A board member sets up two-step verification with the secret shown on the
// page; logging in then takes a code, and a wrong or replayed code is refused.
func TestTwoFactorEnrolmentAndLoginWithCode(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	admin := s.loginAs(t, s.seedDemo(t)[demoAdmin])
	email, link := invite(t, s, admin, "Teo Totp")
	p := person{name: "Teo Totp", email: email, password: goodPassword}
	c := acceptInvitation(t, s, link, p)

	phone := &authenticator{secret: secretOn(t, c.get("/account/two-factor"))}
	if again := secretOn(t, c.get("/account/two-factor")); again != phone.secret {
		t.Errorf("reloading the set-up page changed the secret from %s to %s", phone.secret, again)
	}
	rec := c.post("/account/two-factor", url.Values{"code": {phone.wrongCode(t)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This code is not valid.", `id="f-code-error"`)
	mustNotContain(t, rec, "recovery code") // there are none before set-up
	wantRedirect(t, c.get("/dashboard"), "/account/two-factor")

	rec = c.post("/account/two-factor", url.Values{"code": {phone.code(t)}})
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, "Your recovery codes")
	mustContain(t, c.get("/dashboard"), "Welcome, Teo Totp")
	wantRedirect(t, c.post("/logout", nil), "/login")

	// The password alone leads to the code page, and not further.
	b := s.atCodePage(t, p)
	mustContain(t, b.get("/login/code"), "Two-step verification")
	wantRedirect(t, b.get("/dashboard"), "/login*")
	rec = b.post("/login/code", url.Values{"code": {phone.wrongCode(t)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This code is not valid.")
	code := phone.code(t)
	wantRedirect(t, b.post("/login/code", url.Values{"code": {code}}), "/dashboard")
	mustContain(t, b.get("/dashboard"), "Welcome, Teo Totp")

	// The same code again, in another browser: refused.
	r := s.atCodePage(t, p)
	rec = r.post("/login/code", url.Values{"code": {code}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "each code works only once")
	wantRedirect(t, r.get("/dashboard"), "/login*")
}

// A recovery code signs in once in place of a code from the phone.
func TestRecoveryCodeWorksOnce(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	c := s.client(t, "Accept-Language", "en")
	p := s.signUpAndConfirm(t, c, "Rosa Recovery")
	c = s.loginAs(t, p)
	// An applicant may turn two-step verification on too.
	mustContain(t, c.get("/account"), "Two-step verification is off.")
	_, codes := c.enrolTOTP()
	mustContain(t, c.get("/account"), "Two-step verification is on")

	b := s.atCodePage(t, p)
	wantRedirect(t, b.post("/login/code", url.Values{"code": {codes[3]}}), "/dashboard")
	mustContain(t, b.get("/dashboard"), "Welcome, Rosa Recovery")

	r := s.atCodePage(t, p)
	rec := r.post("/login/code", url.Values{"code": {codes[3]}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "This code is not valid.")
	wantRedirect(t, r.get("/dashboard"), "/login*")
	// Another recovery code, typed in capitals, still works.
	wantRedirect(t, r.post("/login/code", url.Values{"code": {strings.ToUpper(codes[4])}}), "/dashboard")
}

// The language chosen on the account wins over the browser's, on pages and
// in mail.
func TestLanguageIsRememberedOnTheAccount(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	c := s.client(t, "Accept-Language", "en")
	p := s.signUpAndConfirm(t, c, "Lola Lengua")
	c = s.loginAs(t, p)
	wantRedirect(t, c.post("/account/profile", url.Values{"name": {p.name}, "language": {"es"}}), "/account")
	rec := c.get("/account")
	mustContain(t, rec, `<html lang="es">`, "Guardado.", "Mi cuenta")

	// Another English browser: the login page is English, the portal after
	// login Spanish.
	e := s.client(t, "Accept-Language", "en-US,en;q=0.9")
	mustContain(t, e.get("/login"), `<html lang="en">`, "Sign in")
	wantRedirect(t, e.login(p), "/dashboard")
	rec = e.get("/dashboard")
	mustContain(t, rec, `<html lang="es">`, "Bienvenido/a, Lola Lengua", "Mi portal")
	mustNotContain(t, rec, "Welcome")

	// Mail asked for from an English browser comes in Spanish.
	wantStatus(t, s.client(t, "Accept-Language", "en").post("/password/forgot", url.Values{"email": {p.email}}), http.StatusOK)
	msg := s.waitMail(t, p.email, "Elija una nueva contraseña", 1)
	if !strings.Contains(msg.Text, "Hola, Lola Lengua:") {
		t.Errorf("the reset mail is not in Spanish:\n%s", msg.Text)
	}
}

// An admin deactivating someone ends that person's sessions at once: their
// next request is logged out, and they cannot log in again.
func TestDeactivationEndsLiveSessions(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	applicant := people[demoApplicant]
	u := s.loginAs(t, applicant)
	mustContain(t, u.get("/dashboard"), "Welcome, Alex Applicant")

	admin := s.loginAs(t, people[demoAdmin])
	id := strconv.FormatInt(s.userID(t, applicant.email), 10)
	mustContain(t, admin.get("/admin/users?q=applicant@demo"), `href="/admin/users/`+id+`"`)
	page := admin.get("/admin/users/" + id)
	mustContain(t, page, "Alex Applicant", s.text("es", "page.admin_users.deactivate"))
	wantRedirect(t, admin.post("/admin/users/"+id+"/deactivate", nil), "/admin/users/"+id)
	mustContain(t, admin.get("/admin/users/"+id), s.text("es", "flash.deactivated"), s.text("es", "page.admin_users.reactivate"))

	rec := u.get("/dashboard")
	wantRedirect(t, rec, "/login?next=%2Fdashboard")
	mustContain(t, u.get("/login"), "Sign in")
	mustNotContain(t, u.get("/"), "Alex Applicant")
	wantStatus(t, s.client(t).login(applicant), http.StatusUnprocessableEntity)
	s.waitMail(t, applicant.email, "Your account was deactivated", 1)

	// Reactivated, the person logs in again.
	wantRedirect(t, admin.post("/admin/users/"+id+"/reactivate", nil), "/admin/users/"+id)
	wantRedirect(t, s.client(t).login(applicant), "/dashboard")
}

// The sessions list names each browser as its owner knows it, in their
// language, not by its raw User-Agent header.
func TestSessionsNameTheBrowserAndDevice(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	applicant := s.seedDemo(t)[demoApplicant]
	phone := s.client(t, "User-Agent", "Mozilla/5.0 (Linux; Android 14; SM-A146U) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")
	wantRedirect(t, phone.login(applicant), "/dashboard")
	page := phone.get("/account")
	want := s.cat.T("en", "page.account.session_on", "Browser", "Chrome", "System", "Android") + ", " + s.cat.T("en", "page.account.device.phone")
	mustContain(t, page, want)
	mustNotContain(t, page, "Mozilla/5.0", "AppleWebKit")
}

// Times are shown in the reader's zone, named: their browser's by default
// (which the pages' script keeps in a cookie), or the one they choose on
// their profile, which wins.
func TestTimesInTheReadersZone(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	applicant := s.seedDemo(t)[demoApplicant]
	c := s.client(t, "Accept-Language", "en")
	wantRedirect(t, c.login(applicant), "/dashboard")
	c.cookies[zoneCookie] = "America/Santo_Domingo"
	page := c.get("/account")
	mustContain(t, page, " AST</time>") // the session's last sighting, in the browser's zone
	mustNotContain(t, page, " UTC</time>")

	rec := c.post("/account/profile", url.Values{"name": {applicant.name}, "language": {"en"}, "time_zone": {"Mars/Olympus_Mons"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-time_zone-error"`, s.text("en", "error.time_zone.unknown"))
	wantRedirect(t, c.post("/account/profile", url.Values{"name": {applicant.name}, "language": {"en"}, "time_zone": {"America/Tegucigalpa"}}), "/account")
	page = c.get("/account")
	mustContain(t, page, `<option value="America/Tegucigalpa" selected>`, " CST</time>")
}

// A signed-in person going to the sign-up or the login page, or posting
// either form, is taken to their portal: no second account is made, and
// nobody else is signed in over them. Someone who has given their password
// and not yet their code is not signed in: the code page is theirs to
// finish, and after it the login page leads to the portal too.
func TestSignedInPersonIsTakenToThePortalFromSignupAndLogin(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	c := s.client(t, "Accept-Language", "en")
	p := s.signUpAndConfirm(t, c, "Grace Hopper")

	wantRedirect(t, c.get("/signup"), "/dashboard")
	wantRedirect(t, c.get("/login"), "/dashboard")
	second := newEmail("second")
	wantRedirect(t, c.post("/signup", url.Values{"name": {"Grace Again"}, "email": {second}, "password": {goodPassword}}), "/dashboard")
	var made int
	must(t, s.db.Get(&made, `SELECT count(*) FROM users WHERE email = $1`, second))
	if made != 0 {
		t.Fatalf("a signed-in person made a second account (%d)", made)
	}
	board := people[demoBoard]
	wantRedirect(t, c.enterPassword(board), "/dashboard")
	mustContain(t, c.get("/dashboard"), "Welcome, "+p.name) // still themselves

	// The second factor's step still works, and then the forms are gone.
	b := s.atCodePage(t, board)
	wantStatus(t, b.get("/login/code"), http.StatusOK)
	rec := b.post("/login/code", url.Values{"code": {board.phone.code(t)}})
	wantStatus(t, rec, http.StatusSeeOther)
	wantRedirect(t, b.get("/login"), "/dashboard")
	wantRedirect(t, b.get("/signup"), "/dashboard")
}
