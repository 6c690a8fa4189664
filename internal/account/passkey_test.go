package account_test

import (
	"errors"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/testenv"
)

const origin = "https://grants.example.org" // BaseURL of the tests' services

// addPasskey registers a new passkey for the logged-in a.
func (e *env) addPasskey(a account.Actor, name string) *testenv.Authenticator {
	e.t.Helper()
	auth := testenv.NewAuthenticator(origin)
	cer, err := e.svc.BeginPasskeyRegistration(ctx, a)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := auth.Register(cer.Options)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.svc.FinishPasskeyRegistration(ctx, a, cer.Token, name, resp); err != nil {
		e.t.Fatal(err)
	}
	return auth
}

// signIn is a whole sign-in with auth's passkey alone, on svc.
func signIn(svc *account.Service, auth *testenv.Authenticator) (*account.User, error) {
	cer, err := svc.BeginPasskeyLogin(ctx, web, 0)
	if err != nil {
		return nil, err
	}
	resp, err := auth.Assert(cer.Options)
	if err != nil {
		return nil, err
	}
	return svc.FinishPasskeyLogin(ctx, web, cer.Token, 0, resp)
}

func (e *env) refusedFor(reason string) int {
	e.t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM audit WHERE action = 'account.passkey_refused' AND details->>'reason' LIKE $1`, reason+"%"); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// A person adds a passkey and signs in with it alone; the password alone
// no longer opens a session; the session says how it signed in; the
// passkey's counter and last use are kept.
func TestPasskeyAddAndSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.applicant("pk@example.org", "correct horse battery staple")
	a := e.login(u)
	auth := e.addPasskey(a, "My phone")

	keys, err := e.svc.ListPasskeys(ctx, u.ID)
	if err != nil || len(keys) != 1 || keys[0].Name != "My phone" || keys[0].LastUsedAt != nil {
		t.Fatalf("passkeys = %+v, %v; want My phone, never used", keys, err)
	}
	again, err := e.svc.Authenticate(ctx, web, "pk@example.org", "correct horse battery staple")
	if err != nil || !again.TwoFactorOn() || again.Passkeys != 1 {
		t.Fatalf("after adding a passkey: %+v, %v; want two-factor on", again, err)
	}
	if _, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginPassword); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a password alone opened a session of an account with a passkey: %v", err)
	}

	got, err := signIn(e.svc, auth)
	if err != nil || got.ID != u.ID {
		t.Fatalf("sign-in with the passkey: %+v, %v", got, err)
	}
	sid, err := e.svc.CreateSession(ctx, web, got.ID, account.LoginPasskey)
	if err != nil {
		t.Fatal(err)
	}
	me := web
	me.UserID, me.SessionID = u.ID, sid
	sessions, err := e.svc.ListSessions(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]bool{}
	for _, s := range sessions {
		methods[s.Method] = methods[s.Method] || s.Current
	}
	if cur, ok := methods[account.LoginPasskey]; !ok || !cur {
		t.Errorf("sessions %+v: want the current one signed in by passkey", sessions)
	}
	keys, _ = e.svc.ListPasskeys(ctx, u.ID)
	if keys[0].LastUsedAt == nil {
		t.Error("the passkey's last use was not kept")
	}
	var count int64
	if err := e.db.Get(&count, `SELECT sign_count FROM passkeys WHERE user_id = $1`, u.ID); err != nil || count != int64(auth.Counter) {
		t.Errorf("stored sign counter %d (%v), authenticator's %d", count, err, auth.Counter)
	}
	if e.auditCount("account.passkey_added") != 1 || e.auditCount("account.passkey_used") != 1 {
		t.Error("adding and using the passkey are not both in the audit trail")
	}

	// As the second factor after the password.
	cer, err := e.svc.BeginPasskeyLogin(ctx, web, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := auth.Assert(cer.Options)
	if got, err := e.svc.FinishPasskeyLogin(ctx, web, cer.Token, u.ID, resp); err != nil || got.ID != u.ID {
		t.Fatalf("passkey after the password: %v", err)
	}
	if _, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginPasskey2FA); err != nil {
		t.Fatal(err)
	}
}

// What the passkey ceremonies refuse, each with its audit row: another
// site's origin, an assertion sent twice or to a new challenge, a challenge
// past its time, a counter gone back (a cloned key), another person's
// ceremony. A ceremony begun by one process finishes in another.
func TestPasskeyRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.applicant("pk2@example.org", "correct horse battery staple")
	auth := e.addPasskey(e.login(u), "Laptop")
	other := e.service(account.Limits{}) // a second portal process

	// Begun here, finished there.
	cer, err := e.svc.BeginPasskeyLogin(ctx, web, 0)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := auth.Assert(cer.Options)
	if got, err := other.FinishPasskeyLogin(ctx, web, cer.Token, 0, resp); err != nil || got.ID != u.ID {
		t.Fatalf("a ceremony begun in one process did not finish in another: %v", err)
	}
	// The same assertion again: its challenge is spent.
	if _, err := e.svc.FinishPasskeyLogin(ctx, web, cer.Token, 0, resp); !errors.Is(err, account.ErrPasskeyRefused) {
		t.Fatalf("a replayed assertion was accepted: %v", err)
	}
	// Replayed into a new ceremony: the challenge it signed is not this one.
	fresh, _ := e.svc.BeginPasskeyLogin(ctx, web, 0)
	if _, err := e.svc.FinishPasskeyLogin(ctx, web, fresh.Token, 0, resp); !errors.Is(err, account.ErrPasskeyRefused) {
		t.Fatalf("an assertion of another challenge was accepted: %v", err)
	}
	if e.refusedFor("unknown_challenge") != 1 || e.refusedFor("verification_error") != 1 {
		t.Errorf("replays not recorded as refused passkeys")
	}

	// A phishing site's page: the browser says its own origin.
	phish := *auth
	phish.Origin = "https://grants.example.org.evil.test"
	if _, err := signIn(e.svc, &phish); !errors.Is(err, account.ErrPasskeyRefused) {
		t.Fatalf("an assertion made at another origin was accepted: %v", err)
	}
	auth.Counter = phish.Counter

	// A challenge answered after it expired.
	cer, _ = e.svc.BeginPasskeyLogin(ctx, web, 0)
	resp, _ = auth.Assert(cer.Options)
	e.clock.Add(6 * time.Minute)
	if _, err := e.svc.FinishPasskeyLogin(ctx, web, cer.Token, 0, resp); !errors.Is(err, account.ErrPasskeyRefused) {
		t.Fatalf("an expired challenge was accepted: %v", err)
	}
	if e.refusedFor("expired_challenge") != 1 {
		t.Error("the expired challenge is not in the audit trail")
	}

	// A cloned key: its counter is behind the stored one.
	if _, err := signIn(e.svc, auth); err != nil {
		t.Fatal(err)
	}
	clone := *auth
	clone.Counter -= 2
	if _, err := signIn(e.svc, &clone); !errors.Is(err, account.ErrPasskeyRefused) {
		t.Fatalf("a counter that went back was accepted: %v", err)
	}
	if e.refusedFor("counter_regression") != 1 {
		t.Error("the counter regression is not in the audit trail")
	}

	// Another person's ceremony cannot be finished as the second factor.
	v := e.applicant("pk3@example.org", "correct horse battery staple")
	e.addPasskey(e.login(v), "Phone")
	cer, _ = e.svc.BeginPasskeyLogin(ctx, web, v.ID)
	if _, err := e.svc.FinishPasskeyLogin(ctx, web, cer.Token, u.ID, resp); !errors.Is(err, account.ErrPasskeyRefused) {
		t.Fatalf("another person's ceremony was finished: %v", err)
	}
}

// A passkey is a second factor: with one, a board member or admin may turn
// TOTP off; the last second factor of a role that needs one stays, whether
// it is TOTP or a passkey. An applicant removes their last passkey freely.
func TestLastSecondFactorStays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const pw = "correct horse battery staple"
	admin := e.admin("ida@ipa.example")
	e.addPasskey(admin, "Phone")
	keys, _ := e.svc.ListPasskeys(ctx, admin.UserID)
	u, _ := e.svc.User(ctx, admin.UserID)
	if u.NeedsTwoFactor() || !u.TwoFactorOn() {
		t.Fatal("an admin with TOTP and a passkey needs two-factor")
	}
	// Without TOTP, the passkey is the admin's only second factor.
	if _, err := e.db.Exec(`UPDATE users SET totp_enabled_at = NULL WHERE id = $1`, admin.UserID); err != nil {
		t.Fatal(err)
	}
	err := e.svc.RemovePasskey(ctx, admin, keys[0].ID, pw, "")
	if !errors.Is(err, account.ErrTwoFactorRequired) {
		t.Fatalf("an admin removed their last second factor: %v", err)
	}
	if u, _ := e.svc.User(ctx, admin.UserID); u.NeedsTwoFactor() {
		t.Error("an admin with a passkey is sent to set up two-factor")
	}
	e.addPasskey(admin, "Laptop")
	if err := e.svc.RemovePasskey(ctx, admin, keys[0].ID, "wrong password", ""); fieldError(err, "current_password") == "" {
		t.Fatalf("a passkey was removed without the password: %v", err)
	}
	if err := e.svc.RemovePasskey(ctx, admin, keys[0].ID, pw, ""); err != nil {
		t.Fatalf("an admin with two passkeys could not remove one: %v", err)
	}
	if e.auditCount("account.passkey_removed") != 1 {
		t.Error("the removal is not in the audit trail")
	}

	// A board member with TOTP and a passkey turns TOTP off; the passkey
	// then stays.
	bu, err := e.svc.CreateAdmin(ctx, "bea@ipa.example", "Bea Board", pw)
	if err != nil {
		t.Fatal(err)
	}
	board := e.login(bu)
	secret, _ := e.enrol(board)
	if err := e.svc.SetRoles(ctx, e.admin("root@ipa.example"), bu.ID, account.Roles{Board: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DisableTOTP(ctx, board, pw, code(secret, e.clock.Now())); !errors.Is(err, account.ErrTwoFactorRequired) {
		t.Fatalf("a board member without a passkey turned TOTP off: %v", err)
	}
	e.addPasskey(board, "Phone")
	if err := e.svc.DisableTOTP(ctx, board, pw, code(secret, e.clock.Now())); err != nil {
		t.Fatalf("a board member with a passkey could not turn TOTP off: %v", err)
	}
	bk, _ := e.svc.ListPasskeys(ctx, bu.ID)
	if err := e.svc.RemovePasskey(ctx, board, bk[0].ID, pw, ""); !errors.Is(err, account.ErrTwoFactorRequired) {
		t.Fatalf("a board member removed their last second factor: %v", err)
	}

	// An applicant needs no second factor.
	p := e.applicant("pk4@example.org", pw)
	pa := e.login(p)
	e.addPasskey(pa, "Phone")
	pk, _ := e.svc.ListPasskeys(ctx, p.ID)
	if err := e.svc.RemovePasskey(ctx, pa, pk[0].ID, pw, ""); err != nil {
		t.Fatalf("an applicant could not remove their passkey: %v", err)
	}

	// Someone who lost the phone with their passkeys: an admin's reset
	// clears them with TOTP, and the password signs in again.
	e.addPasskey(pa, "Lost phone")
	if err := e.svc.ResetTOTP(ctx, e.admin("otto@ipa.example"), p.ID); err != nil {
		t.Fatal(err)
	}
	if left, _ := e.svc.ListPasskeys(ctx, p.ID); len(left) != 0 {
		t.Errorf("after the admin's reset %d passkeys are left", len(left))
	}
	if _, err := e.svc.CreateSession(ctx, web, p.ID, account.LoginPassword); err != nil {
		t.Errorf("after the reset the password alone does not sign in: %v", err)
	}
}
