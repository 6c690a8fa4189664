package account_test

import (
	"errors"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/testenv"
)

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.login(e.applicant("ana@example.org", "perfusion pumps at dawn"))
	if err := e.svc.UpdateProfile(ctx, a, account.Profile{Name: "Ana P.", Language: "fr"}); fieldError(err, "language") != "error.language.unsupported" {
		t.Fatalf("French: %v", err)
	}
	if err := e.svc.UpdateProfile(ctx, a, account.Profile{Name: "Ana P.", Language: "es", NotifyEmail: false}); err != nil {
		t.Fatal(err)
	}
	u, _ := e.svc.User(ctx, a.UserID)
	if u.Name != "Ana P." || u.Language != "es" || u.NotifyEmail {
		t.Fatalf("profile %+v", u)
	}
	if e.auditCount("account.profile_updated") != 1 {
		t.Error("not in the audit trail")
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	here, elsewhere := e.login(u), e.login(u)
	secret, _ := e.enrol(here)

	if err := e.svc.ChangePassword(ctx, here, "wrong", code(secret, e.clock.Now()), "a brand new passphrase"); fieldError(err, "current_password") == "" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := e.svc.ChangePassword(ctx, here, "perfusion pumps at dawn", "", "a brand new passphrase"); fieldError(err, "code") == "" {
		t.Fatalf("no code with TOTP on: %v", err)
	}
	if err := e.svc.ChangePassword(ctx, here, "perfusion pumps at dawn", code(secret, e.clock.Now()), "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SessionUser(ctx, here.SessionID); err != nil {
		t.Fatalf("current session ended: %v", err)
	}
	if _, err := e.svc.SessionUser(ctx, elsewhere.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("other session survived: %v", err)
	}
	e.lastMail("ana@example.org", "Your password was changed")
	if _, err := e.svc.Authenticate(ctx, web, "ana@example.org", "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if e.auditCount("account.password_changed") != 1 {
		t.Error("not in the audit trail")
	}
}

func TestChangeEmailIsConfirmedAtTheNewAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.login(e.applicant("ana@example.org", "perfusion pumps at dawn"))
	e.applicant("bea@example.org", "perfusion pumps at dusk")

	if err := e.svc.ChangeEmail(ctx, a, "wrong password", "", "ana@new.example.org"); fieldError(err, "current_password") == "" {
		t.Fatalf("wrong password: %v", err)
	}
	if err := e.svc.ChangeEmail(ctx, a, "perfusion pumps at dawn", "", "ana@new.example.org"); err != nil {
		t.Fatal(err)
	}
	token := e.token("ana@new.example.org", "Confirm your new email address")
	// Nothing changes until the link is used.
	if u, _ := e.svc.User(ctx, a.UserID); u.Email != "ana@example.org" {
		t.Fatalf("changed before confirmation: %s", u.Email)
	}
	e.clock.Add(25 * time.Hour)
	if err := e.svc.ConfirmEmailChange(ctx, web, token); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("expired link: %v", err)
	}
	e.svc.ChangeEmail(ctx, a, "perfusion pumps at dawn", "", "ana@new.example.org")
	if err := e.svc.ConfirmEmailChange(ctx, web, e.token("ana@new.example.org", "Confirm your new")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(ctx, web, "ana@new.example.org", "perfusion pumps at dawn"); err != nil {
		t.Fatalf("login with the new address: %v", err)
	}

	// A taken address answers the same; its owner is told instead.
	if err := e.svc.ChangeEmail(ctx, a, "perfusion pumps at dawn", "", "BEA@example.org"); err != nil {
		t.Fatalf("taken address: %v", err)
	}
	e.lastMail("bea@example.org", "Someone tried to use your email address")
	if e.auditCount("account.email_changed") != 1 {
		t.Error("not in the audit trail")
	}
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	testenv.Full(t, "the demo seeded twice (slow password hashing)")
	t.Parallel()
	e := newEnv(t)
	first, err := e.svc.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SeedDemo(ctx); err != nil {
		t.Fatalf("second run: %v", err)
	}
	var n int
	e.db.Get(&n, `SELECT count(*) FROM users`)
	if n != len(first) {
		t.Fatalf("%d users for %d demo accounts", n, len(first))
	}
	var admins, board, applicants int
	for _, d := range first {
		u, err := e.svc.Authenticate(ctx, web, d.Email, d.Password)
		if err != nil {
			t.Fatalf("%s: %v", d.Email, err)
		}
		switch {
		case d.Roles.Admin:
			admins++
		case d.Roles.Board:
			board++
		default:
			applicants++
		}
		if (d.TOTPSecret != "") != (d.Roles.Admin || d.Roles.Board) || u.NeedsTwoFactor() {
			t.Fatalf("%s: TOTP secret %q", d.Email, d.TOTPSecret)
		}
		if d.TOTPSecret != "" {
			if err := e.svc.VerifyCode(ctx, web, u.ID, code(d.TOTPSecret, e.clock.Now())); err != nil {
				t.Fatalf("%s: printed secret gives no valid code: %v", d.Email, err)
			}
		}
	}
	if admins == 0 || board == 0 || applicants == 0 {
		t.Fatalf("roles missing: %d admins, %d board, %d applicants", admins, board, applicants)
	}
}
