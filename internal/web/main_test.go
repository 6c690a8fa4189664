package web

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/config"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// testServer is the real router on a fresh database.
type testServer struct {
	*Server
	db *sqlx.DB
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerOn(t, dbtest.New(t))
}

func newTestServerOn(t *testing.T, pool *sqlx.DB) *testServer {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Config: cfg, DB: pool, Catalog: cat, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, db: pool}
}

// do sends one request through the router; header pairs follow the body.
func (s *testServer) do(t *testing.T, method, target string, form url.Values, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func mustContain(t *testing.T, rec *httptest.ResponseRecorder, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(rec.Body.String(), w) {
			t.Errorf("response (%d) lacks %q", rec.Code, w)
		}
	}
}

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; body:\n%.600s", rec.Code, want, rec.Body.String())
	}
}
