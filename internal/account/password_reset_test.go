package account_test

import (
	"errors"
	"testing"
	"time"

	"missiongrants/internal/account"
)

func TestPasswordResetLinkExpiresAndWorksOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email = "ana@example.org"
	u := e.applicant(email, "perfusion pumps at dawn")
	a := e.login(u)

	// An unknown address gets the same answer and no mail.
	if err := e.svc.RequestPasswordReset(ctx, web, "nobody@example.org"); err != nil {
		t.Fatal(err)
	}
	if len(e.mails("nobody@example.org")) != 0 {
		t.Fatal("mail sent to an unknown address")
	}

	if err := e.svc.RequestPasswordReset(ctx, web, email); err != nil {
		t.Fatal(err)
	}
	expired := e.token(email, "Choose a new password")
	e.clock.Add(61 * time.Minute)
	if err := e.svc.ResetPassword(ctx, web, expired, "a brand new passphrase"); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("expired link: %v", err)
	}

	if err := e.svc.RequestPasswordReset(ctx, web, email); err != nil {
		t.Fatal(err)
	}
	token := e.token(email, "Choose a new password")
	if _, err := e.svc.TokenUser(ctx, account.PurposeResetPassword, token); err != nil {
		t.Fatalf("the reset page cannot check its link: %v", err)
	}
	if _, err := e.svc.TokenUser(ctx, account.PurposeInvitation, token); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("a reset link works as an invitation: %v", err)
	}
	// A refused password leaves the link usable.
	if err := e.svc.ResetPassword(ctx, web, token, "password"); fieldError(err, "password") != "error.password.too_short" {
		t.Fatalf("short password: %v", err)
	}
	if err := e.svc.ResetPassword(ctx, web, token, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ResetPassword(ctx, web, token, "yet another passphrase"); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("second use: %v", err)
	}
	e.lastMail(email, "Your password was changed")

	if _, err := e.svc.Authenticate(ctx, web, email, "perfusion pumps at dawn"); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("old password: %v", err)
	}
	if _, err := e.svc.Authenticate(ctx, web, email, "a brand new passphrase"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	// Whoever was logged in is out.
	if _, err := e.svc.SessionUser(ctx, a.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("session survived the reset: %v", err)
	}
	if e.auditCount("account.password_reset") != 1 || e.auditCount("account.password_reset_requested") != 2 {
		t.Error("reset not in the audit trail")
	}
}

// A newer link retires nothing, but using one link retires the others.
func TestUsingOneResetLinkRetiresTheOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email = "ana@example.org"
	e.applicant(email, "perfusion pumps at dawn")
	e.svc.RequestPasswordReset(ctx, web, email)
	older := e.token(email, "Choose")
	e.svc.RequestPasswordReset(ctx, web, email)
	newer := e.token(email, "Choose")
	if err := e.svc.ResetPassword(ctx, web, newer, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ResetPassword(ctx, web, older, "an older link's password"); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("older link after the newer was used: %v", err)
	}
}

func TestPasswordResetRequestsAreLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	svc := e.service(smallLimits)
	for range 3 {
		if err := svc.RequestPasswordReset(ctx, web, "nobody@example.org"); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.RequestPasswordReset(ctx, web, "nobody@example.org"); !errors.Is(err, account.ErrRateLimited) {
		t.Fatalf("fourth request: %v", err)
	}
}
