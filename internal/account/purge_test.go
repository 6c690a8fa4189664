package account_test

import (
	"testing"
	"time"
)

// The purge takes only what nobody can use any more: a session that is
// still going and a reset link still valid survive it and keep working.
func TestPurgeKeepsWhatStillWorks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.login(e.applicant("old@example.org", "perfusion pumps at dawn")) // its confirmation link is used now
	e.clock.Add(45 * 24 * time.Hour)
	u := e.applicant("new@example.org", "perfusion pumps at dusk")
	live := e.login(u)
	if err := e.svc.RequestPasswordReset(ctx, web, "new@example.org"); err != nil {
		t.Fatal(err)
	}
	reset := e.token("new@example.org", "password")

	n, err := e.svc.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Gone: old@'s session (idle for 45 days) and its confirmation link
	// (used 45 days ago). new@'s confirmation link was used today and stays.
	if n != 2 {
		t.Errorf("purged %d rows, want 2", n)
	}
	var sessions, tokens int
	e.db.Get(&sessions, `SELECT count(*) FROM user_sessions WHERE user_id = $1`, old.UserID)
	e.db.Get(&tokens, `SELECT count(*) FROM user_tokens WHERE user_id = $1`, old.UserID)
	if sessions != 0 || tokens != 0 {
		t.Errorf("old@ still has %d sessions and %d links", sessions, tokens)
	}
	if _, err := e.svc.SessionUser(ctx, live.SessionID); err != nil {
		t.Errorf("a live session ended in the purge: %v", err)
	}
	if err := e.svc.ResetPassword(ctx, web, reset, "a new passphrase for dusk"); err != nil {
		t.Errorf("a valid reset link stopped working: %v", err)
	}
}
