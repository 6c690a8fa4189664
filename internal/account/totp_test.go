package account_test

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/account"
)

func TestTOTPEnrolmentLoginReplayAndRecoveryCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, password = "ana@example.org", "perfusion pumps at dawn"
	u := e.applicant(email, password)
	a := e.login(u)

	en, err := e.svc.BeginEnrolment(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en.URL, "otpauth://totp/") || !strings.Contains(en.URL, "secret="+en.Secret) {
		t.Fatalf("otpauth URL %q", en.URL)
	}
	if img, err := png.Decode(bytes.NewReader(en.QRPNG)); err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("QR code: %v", err)
	}
	again, err := e.svc.BeginEnrolment(ctx, a)
	if err != nil || again.Secret != en.Secret {
		t.Fatalf("a reloaded page shows another secret: %v", err)
	}
	// A wrong code is said beside the field, without the recovery codes
	// the login page mentions: there are none yet.
	var fe account.FieldErrors
	if _, err := e.svc.ConfirmEnrolment(ctx, a, "000000"); !errors.As(err, &fe) || fe["code"].Key != "error.totp.setup_code" {
		t.Fatalf("wrong code: %v", err)
	}
	recovery, err := e.svc.ConfirmEnrolment(ctx, a, code(en.Secret, e.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(recovery) != 10 {
		t.Fatalf("%d recovery codes", len(recovery))
	}
	if e.auditCount("account.totp_enabled") != 1 {
		t.Error("enabling TOTP is not in the audit trail")
	}

	// Logging in now needs a code: the password alone opens no session.
	u, err = e.svc.Authenticate(ctx, web, email, password)
	if err != nil || !u.TOTPEnabled() {
		t.Fatalf("authenticate: %v", err)
	}
	if _, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginPassword); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("session without the second factor: %v", err)
	}
	// The code that confirmed enrolment was used: within its 30 s it is refused.
	used := code(en.Secret, e.clock.Now())
	if err := e.svc.VerifyCode(ctx, web, u.ID, used); !errors.Is(err, account.ErrInvalidCode) {
		t.Fatalf("replayed code: %v", err)
	}
	e.clock.Add(30 * time.Second)
	fresh := code(en.Secret, e.clock.Now())
	if err := e.svc.VerifyCode(ctx, web, u.ID, fresh); err != nil {
		t.Fatalf("fresh code: %v", err)
	}
	if err := e.svc.VerifyCode(ctx, web, u.ID, fresh); !errors.Is(err, account.ErrInvalidCode) {
		t.Fatalf("fresh code replayed: %v", err)
	}
	if _, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginTOTP); err != nil {
		t.Fatal(err)
	}

	// A recovery code works once, however it is typed.
	if err := e.svc.UseRecoveryCode(ctx, web, u.ID, " "+strings.ToUpper(recovery[3])+" "); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if err := e.svc.UseRecoveryCode(ctx, web, u.ID, recovery[3]); !errors.Is(err, account.ErrInvalidCode) {
		t.Fatalf("recovery code used twice: %v", err)
	}
	if n, _ := e.svc.RecoveryCodesLeft(ctx, u.ID); n != 9 {
		t.Fatalf("%d recovery codes left", n)
	}
	if e.auditCount("account.totp_failed") != 2 || e.auditCount("account.recovery_code_failed") != 1 {
		t.Error("refused codes are not in the audit trail")
	}

	// Turning it off asks for the password and a code again.
	e.clock.Add(30 * time.Second)
	if err := e.svc.DisableTOTP(ctx, a, "wrong password", code(en.Secret, e.clock.Now())); fieldError(err, "current_password") != "error.password.wrong" {
		t.Fatalf("wrong password: %v", err)
	}
	if err := e.svc.DisableTOTP(ctx, a, password, "123456"); fieldError(err, "code") != "error.totp.invalid_code" {
		t.Fatalf("wrong code: %v", err)
	}
	if err := e.svc.DisableTOTP(ctx, a, password, recovery[0]); err != nil {
		t.Fatalf("disable with a recovery code: %v", err)
	}
	if u, _ := e.svc.User(ctx, u.ID); u.TOTPEnabled() {
		t.Fatal("TOTP still on")
	}
	if e.auditCount("account.totp_disabled") != 1 || e.auditCount("account.reauth_failed") != 2 {
		t.Error("disabling is not in the audit trail")
	}
}

func TestTOTPCodesAreRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	secret, _ := e.enrol(e.login(u))
	svc := e.service(smallLimits)
	for range 3 {
		svc.VerifyCode(ctx, web, u.ID, "000000")
	}
	if err := svc.VerifyCode(ctx, web, u.ID, code(secret, e.clock.Now())); !errors.Is(err, account.ErrRateLimited) {
		t.Fatalf("right code after the limit: %v", err)
	}
}

func TestBoardAndAdminKeepTOTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.admin("ida@ipa.example")
	u, _ := e.svc.User(ctx, admin.UserID)
	if u.NeedsTwoFactor() {
		t.Fatal("enrolled admin still needs TOTP")
	}
	err := e.svc.DisableTOTP(ctx, admin, "correct horse battery staple", "000000")
	if !errors.Is(err, account.ErrTwoFactorRequired) {
		t.Fatalf("admin turned TOTP off: %v", err)
	}
}
