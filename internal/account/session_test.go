package account_test

import (
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
