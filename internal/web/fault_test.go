package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
)

// PostgreSQL restarted while the portal runs: requests meanwhile get a
// clear 503 page quickly (no crash, no hang), and the portal recovers by
// itself once the database is back, the person still logged in.
func TestDatabaseRestartMidTraffic(t *testing.T) {
	t.Parallel()
	cluster := dbtest.NewCluster(t)
	pool, err := db.Open(context.Background(), dbtest.NewURLIn(t, cluster))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	s := newTestServerOn(t, pool)
	ch := s.newCharity(t, "es", "Rosa")
	wantStatus(t, ch.get("/dashboard"), http.StatusOK)

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dashboard", "/readyz", "/"} {
		start := time.Now()
		rec := ch.get(path)
		if path != "/" && rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s during the outage: %d, want 503", path, rec.Code)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s took %v during the outage", path, took)
		}
	}
	wantStatus(t, s.client(t).get("/healthz"), http.StatusOK)

	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := ch.get("/dashboard")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, "Rosa")
}
