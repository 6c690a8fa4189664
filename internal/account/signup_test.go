package account_test

import (
	"errors"
	"strings"
	"testing"

	"missiongrants/internal/account"
)

func TestSignupConfirmAndLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, password = "ana.perez@example.org", "perfusion pumps at dawn"

	if err := e.svc.Signup(ctx, web, account.SignupInput{Name: " Ana Pérez ", Email: " " + email, Password: password, Language: "es"}); err != nil {
		t.Fatal(err)
	}
	// The mail speaks the language of the page the person signed up on.
	m := e.lastMail(email, "Confirme su dirección")
	if !strings.Contains(m.Text, "Hola, Ana Pérez:") || !strings.Contains(m.Text, "https://grants.example.org"+account.PathConfirmEmail+"?token=") {
		t.Fatalf("confirmation mail: %q", m.Text)
	}
	first := e.token(email, "Confirme")

	// Not confirmed yet: refused like a wrong password, and a fresh link is sent.
	if _, err := e.svc.Authenticate(ctx, web, email, password); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("unconfirmed login: %v", err)
	}
	if n := len(e.mails(email)); n != 2 {
		t.Fatalf("%d mails, want a second confirmation", n)
	}

	if _, err := e.svc.ConfirmEmail(ctx, web, first); err != nil {
		t.Fatalf("confirm with the first link: %v", err)
	}
	if _, err := e.svc.ConfirmEmail(ctx, web, first); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("second use of a link: %v", err)
	}
	u, err := e.svc.Authenticate(ctx, web, strings.ToUpper(email), password)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Ana Pérez" || u.Language != "es" || u.IsAdmin || u.IsBoard || u.NeedsTwoFactor() || u.EmailConfirmedAt == nil {
		t.Fatalf("user %+v", u)
	}
	for action, want := range map[string]int{"account.signup": 1, "account.email_confirmed": 1, "account.login_failed": 1} {
		if n := e.auditCount(action); n != want {
			t.Errorf("%d %s audit rows, want %d", n, action, want)
		}
	}
}

func TestSignupValidatesEachField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	err := e.svc.Signup(ctx, web, account.SignupInput{Name: "", Email: "not-an-address", Password: "qwertyuiop"})
	for field, want := range map[string]string{"name": "error.name.required", "email": "error.email.invalid", "password": "error.password.common"} {
		if got := fieldError(err, field); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	for _, bad := range []string{"ana@localhost", "Ana <ana@example.org>", "ana@@example.org", "ana@example.org."} {
		err := e.svc.Signup(ctx, web, account.SignupInput{Name: "Ana", Email: bad, Password: "perfusion pumps at dawn"})
		if fieldError(err, "email") != "error.email.invalid" {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

// Signing up with a taken address answers exactly like a new one; the owner
// is told by mail instead, and the account is untouched.
func TestDuplicateSignupRevealsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.applicant("ana@example.org", "perfusion pumps at dawn")

	err := e.svc.Signup(ctx, web, account.SignupInput{Name: "Mallory", Email: "ANA@example.org", Password: "another long password", Language: "en"})
	if err != nil {
		t.Fatalf("duplicate signup answered %v", err)
	}
	m := e.lastMail("ana@example.org", "Someone tried to use your email address")
	if !strings.Contains(m.Text, account.PathForgotPassword) || strings.Contains(m.Text, "token=") {
		t.Fatalf("account-exists mail: %q", m.Text)
	}
	var n int
	e.db.Get(&n, `SELECT count(*) FROM users`)
	if n != 1 {
		t.Fatalf("%d users", n)
	}
	if _, err := e.svc.Authenticate(ctx, web, "ana@example.org", "perfusion pumps at dawn"); err != nil {
		t.Fatalf("the owner's password changed: %v", err)
	}
	if e.auditCount("account.signup_address_taken") != 1 {
		t.Error("the attempt is not in the audit trail")
	}
}
