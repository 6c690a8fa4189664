package web

import (
	"context"
	"net/http"
	"testing"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	wantStatus(t, s.client(t).get("/healthz"), http.StatusOK)
}

// readyz follows the database: 503 while it is stopped, 200 again once it is
// back, without restarting the portal.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	cluster := dbtest.NewCluster(t)
	pool, err := db.Open(context.Background(), dbtest.NewURLIn(t, cluster))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	s := newTestServerOn(t, pool)

	wantStatus(t, s.client(t).get("/readyz"), http.StatusOK)
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.client(t).get("/readyz"), http.StatusServiceUnavailable)
	wantStatus(t, s.client(t).get("/healthz"), http.StatusOK)
	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.client(t).get("/readyz"), http.StatusOK)
}
