package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
)

func TestSessionCodecKeepsWhatTheSessionHolds(t *testing.T) {
	deadline := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	values := map[string]any{sessSID: "s3cr3t", sessPendingUser: int64(42), sessFlash: ""}
	b, err := sessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := sessionCodec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || len(got) != 3 || got[sessSID] != "s3cr3t" || got[sessPendingUser] != int64(42) || got[sessFlash] != "" {
		t.Fatalf("decoded %v %v, want %v %v", gotDeadline, got, deadline, values)
	}
}

func TestSessionCodecReadsSessionsGobWrote(t *testing.T) {
	deadline := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	b, err := scs.GobCodec{}.Encode(deadline, map[string]any{sessSID: "before"})
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := sessionCodec{}.Decode(b)
	if err != nil || !gotDeadline.Equal(deadline) || got[sessSID] != "before" {
		t.Fatalf("a session written before the codec changed: %v %v %v", gotDeadline, got, err)
	}
}

func TestSessionCodecRefusesWhatItCannotKeep(t *testing.T) {
	if _, err := (sessionCodec{}).Encode(time.Now(), map[string]any{"n": 3}); err == nil {
		t.Fatal("an int was encoded, and would come back as another type")
	}
}

// A signed-in page reads the browser's session and the person it signs in
// with one statement; a session written before the two were joined still
// signs its person in, and one ended elsewhere signs nobody in.
func TestSessionAndPersonAreReadTogether(t *testing.T) {
	t.Parallel()
	s := newTestServerOn(t, countingPool(t))
	people := s.seedDemo(t)
	c := s.loginAs(t, people[demoApplicant])
	page := func() (*httptest.ResponseRecorder, int64) {
		t.Helper()
		rec, n := c.countedGet("/signup/sent")
		wantStatus(t, rec, http.StatusOK)
		return rec, n
	}
	signedIn := func(rec *httptest.ResponseRecorder) bool {
		return strings.Contains(rec.Body.String(), `action="/logout"`)
	}

	rec, n := page()
	if !signedIn(rec) || n != 1 {
		t.Fatalf("a signed-in page: signed in %v, %d statements; want signed in with 1", signedIn(rec), n)
	}

	if _, err := s.db.Exec(`UPDATE sessions SET sid_hash = NULL`); err != nil {
		t.Fatal(err)
	}
	if rec, n := page(); !signedIn(rec) || n != 2 {
		t.Fatalf("a session written before the join: signed in %v, %d statements; want signed in with 2", signedIn(rec), n)
	}

	if _, err := s.db.Exec(`DELETE FROM user_sessions`); err != nil {
		t.Fatal(err)
	}
	if rec, _ := page(); signedIn(rec) {
		t.Fatal("a session ended elsewhere still signs its browser in")
	}
}

// Page views keep the session they read, until something it was read from
// changes: here or in another process (which this one hears of), or a
// request that may write runs. A form is always checked against the
// database, so a session ended elsewhere never changes anything, even
// before this process hears of it.
func TestPageViewsKeepTheSessionUntilItChanges(t *testing.T) {
	t.Parallel()
	u := dbtest.NewURL(t)
	pool, err := db.OpenCounting(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	s := newTestServerEnv(t, pool, map[string]string{"DATABASE_URL": u})
	people := s.seedDemo(t)
	signedIn := func(rec *httptest.ResponseRecorder) bool {
		return strings.Contains(rec.Body.String(), `action="/logout"`)
	}
	page := func(c *client) (bool, int64) {
		t.Helper()
		rec, n := c.countedGet("/signup/sent")
		wantStatus(t, rec, http.StatusOK)
		return signedIn(rec), n
	}

	// Signing in wrote to the session tables: what a page reads before this
	// process hears of it is not kept.
	settle := func() {
		s.execElsewhere(t, "users", `UPDATE users SET name = name WHERE id = (SELECT min(id) FROM users)`)
	}
	ana := s.loginAs(t, people[demoApplicant])
	settle()
	if in, n := page(ana); !in || n != 1 {
		t.Fatalf("the first page after signing in: signed in %v, %d statements; want signed in with 1", in, n)
	}
	if in, n := page(ana); !in || n != 0 {
		t.Fatalf("the next page: signed in %v, %d statements; want signed in with none", in, n)
	}

	// Her name changed in another process: the next page reads it again.
	s.execElsewhere(t, "users", `UPDATE users SET name = 'Ana Renamed' WHERE email = $1`, people[demoApplicant].email)
	rec, n := ana.countedGet("/account")
	if n == 0 || !strings.Contains(rec.Body.String(), "Ana Renamed") {
		t.Fatalf("after a change elsewhere: %d statements, name shown %v; want it read again", n, strings.Contains(rec.Body.String(), "Ana Renamed"))
	}

	// A form sent while nothing has been heard yet is checked against the
	// database: the session ended elsewhere changes nothing.
	page(ana)
	if _, n := page(ana); n != 0 {
		t.Fatalf("kept again: %d statements, want none", n)
	}
	if _, err := s.db.Exec(`DELETE FROM user_sessions`); err != nil {
		t.Fatal(err)
	}
	rec2 := ana.post("/account/profile", url.Values{"name": {"Someone Else"}, "language": {"en"}})
	wantRedirect(t, rec2, "/login?next=%2F")
	var name string
	must(t, s.db.Get(&name, `SELECT name FROM users WHERE email = $1`, people[demoApplicant].email))
	if name != "Ana Renamed" {
		t.Fatalf("a session ended elsewhere changed the name to %q", name)
	}
	if in, _ := page(ana); in {
		t.Fatal("a session ended elsewhere still signs its browser in after a form")
	}

	// Signing out everywhere else, here, ends the other browser's session on
	// its very next page.
	bea, other := s.loginAs(t, people[demoApplicant]), s.loginAs(t, people[demoApplicant])
	settle()
	page(other)
	if in, n := page(other); !in || n != 0 {
		t.Fatalf("the other browser's page: signed in %v, %d statements; want kept", in, n)
	}
	wantRedirect(t, bea.post("/account/sessions/revoke-others", nil), "/account")
	if in, _ := page(other); in {
		t.Fatal("a browser signed out from another is still signed in")
	}
}

// What the session cache keeps answers only until a request that may write
// starts, and never again once one has ended or a session was written here;
// nor after its minute, nor after scs's expiry.
func TestSessionCacheForgetsAtEveryWrite(t *testing.T) {
	t.Parallel()
	changes, err := db.ListenForChanges(dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = changes.Close() })
	clock := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	c := &sessionCache{changes: changes, now: func() time.Time { return clock }}
	data, err := sessionCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{sessSID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	keep := func() {
		t.Helper()
		_, _, at, ok := c.get("token")
		if !ok {
			t.Fatal("nothing may be kept with no request writing")
		}
		c.put("token", at, data, nil)
		if _, hit, _, _ := c.get("token"); !hit {
			t.Fatal("what was just kept does not answer")
		}
	}
	kept := func() bool { _, hit, _, _ := c.get("token"); return hit }

	keep()
	done := c.writes()
	if kept() {
		t.Fatal("a kept session answers while a form runs")
	}
	if _, ok := c.stamp(); ok {
		t.Fatal("a read made while a form runs may be kept")
	}
	done()
	if kept() {
		t.Fatal("a session kept before a form answers after it")
	}

	keep()
	c.written()
	if kept() {
		t.Fatal("a session kept before one was written answers after it")
	}

	keep()
	clock = clock.Add(time.Minute)
	if kept() {
		t.Fatal("a session kept a minute ago answers: its visit would not be noted")
	}

	expired, err := sessionCodec{}.Encode(time.Now().Add(-time.Second), map[string]any{sessSID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	at, _ := c.stamp()
	c.put("token", at, expired, nil)
	if kept() {
		t.Fatal("a session past scs's expiry answers")
	}
}
