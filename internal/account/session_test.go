package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"missiongrants/internal/account"
)

func TestSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	here := e.login(u)
	e.clock.Add(time.Second)
	elsewhere := e.login(u)

	got, err := e.svc.SessionUser(ctx, here.SessionID)
	if err != nil || got.ID != u.ID {
		t.Fatalf("session user: %v", err)
	}
	if _, err := e.svc.SessionUser(ctx, "made-up"); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("unknown sid: %v", err)
	}

	// last_seen_at is written at most once a minute.
	lastSeen := func() time.Time {
		var at time.Time
		e.db.Get(&at, `SELECT last_seen_at FROM user_sessions WHERE id = (SELECT min(id) FROM user_sessions)`)
		return at
	}
	created := lastSeen()
	e.clock.Add(30 * time.Second)
	e.svc.SessionUser(ctx, here.SessionID)
	if !lastSeen().Equal(created) {
		t.Fatal("touched within the minute")
	}
	e.clock.Add(31 * time.Second)
	e.svc.SessionUser(ctx, here.SessionID)
	if want := e.clock.Now(); !lastSeen().Equal(want) {
		t.Fatalf("last seen %v, want %v", lastSeen(), want)
	}

	list, err := e.svc.ListSessions(ctx, here)
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions %v, %v", list, err)
	}
	if !list[0].Current || list[1].Current || list[0].IP != web.IP || list[0].UserAgent != web.UserAgent {
		t.Fatalf("listing %+v", list)
	}

	// Log out everywhere else.
	if n, err := e.svc.RevokeOtherSessions(ctx, here); err != nil || n != 1 {
		t.Fatalf("revoked %d, %v", n, err)
	}
	if _, err := e.svc.SessionUser(ctx, elsewhere.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("other session survived: %v", err)
	}
	if _, err := e.svc.SessionUser(ctx, here.SessionID); err != nil {
		t.Fatalf("current session ended: %v", err)
	}

	// Revoke one by its listed id; someone else's is not found.
	third := e.login(u)
	list, _ = e.svc.ListSessions(ctx, here)
	other := e.login(e.applicant("bea@example.org", "perfusion pumps at dusk"))
	if err := e.svc.RevokeSession(ctx, other, list[1].ID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("revoked someone else's session: %v", err)
	}
	if err := e.svc.RevokeSession(ctx, here, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SessionUser(ctx, third.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("revoked session works: %v", err)
	}

	if err := e.svc.Logout(ctx, here); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SessionUser(ctx, here.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("session after logout: %v", err)
	}
	for _, action := range []string{"account.login", "account.logout", "account.sessions_revoked", "account.session_revoked"} {
		if e.auditCount(action) == 0 {
			t.Errorf("no %s in the audit trail", action)
		}
	}
	var ip string
	e.db.Get(&ip, `SELECT ip FROM audit WHERE action = 'account.logout'`)
	if ip != web.IP {
		t.Errorf("logout recorded from %q", ip)
	}
}

func TestIdleSessionEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.login(e.applicant("ana@example.org", "perfusion pumps at dawn"))
	e.clock.Add(31 * 24 * time.Hour)
	if _, err := e.svc.SessionUser(ctx, a.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("idle session: %v", err)
	}
}

// A session not seen for longer than SessionIdle ends; each visit within
// it keeps it going. (The web layer's scs session has no idle timeout of
// its own, so that a page view writes nothing: this is the one that counts.)
func TestSessionEndsWhenIdle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	svc := account.New(e.db, account.Options{Outbox: e.outbox, BaseURL: "https://grants.example.org/", Now: e.clock.Now, SessionIdle: time.Hour})
	u := e.applicant("idle@example.org", "perfusion pumps at dawn")
	a := e.login(u)
	for range 3 {
		e.clock.Add(59 * time.Minute)
		if _, err := svc.SessionUser(ctx, a.SessionID); err != nil {
			t.Fatalf("a session seen %v ago ended: %v", 59*time.Minute, err)
		}
	}
	e.clock.Add(61 * time.Minute)
	if _, err := svc.SessionUser(ctx, a.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("a session idle for 61 minutes: %v, want ErrNotFound", err)
	}
}

// A request whose session another request is noting as seen (its row
// locked until that one commits) is answered without waiting for it, and
// does not note the visit a second time. (The deadline only turns a wait
// into a failure rather than a hang.)
func TestSessionNotedByOneRequestWithoutTheOthersWaiting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	a := e.login(u)
	if err := e.svc.CommitSession(ctx, "browser-token", []byte("{}"), e.clock.Now().Add(time.Hour), a.SessionID); err != nil {
		t.Fatal(err)
	}
	var seen time.Time
	e.db.Get(&seen, `SELECT last_seen_at FROM user_sessions`)
	e.clock.Add(2 * time.Minute)

	noting := e.db.MustBegin()
	defer noting.Rollback()
	noting.MustExec(`SELECT 1 FROM user_sessions FOR UPDATE`)
	waitless, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if got, err := e.svc.SessionUser(waitless, a.SessionID); err != nil || got.ID != u.ID {
		t.Errorf("SessionUser while another request notes the visit: %v, %v", got, err)
	}
	if _, found, got, err := e.svc.FindSession(waitless, "browser-token"); err != nil || !found || got == nil || got.ID != u.ID {
		t.Errorf("FindSession while another request notes the visit: %v, %v, %v", found, got, err)
	}
	if err := noting.Rollback(); err != nil {
		t.Fatal(err)
	}
	var after time.Time
	e.db.Get(&after, `SELECT last_seen_at FROM user_sessions`)
	if !after.Equal(seen) {
		t.Errorf("last seen moved to %v while another request held the row", after)
	}
	// Once that one is done, the next request notes the visit.
	if _, _, _, err := e.svc.FindSession(ctx, "browser-token"); err != nil {
		t.Fatal(err)
	}
	e.db.Get(&after, `SELECT last_seen_at FROM user_sessions`)
	if !after.Equal(e.clock.Now()) {
		t.Errorf("last seen %v after the other request, want %v", after, e.clock.Now())
	}
}
