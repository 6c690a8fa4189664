package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
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
