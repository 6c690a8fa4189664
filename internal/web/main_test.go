package web

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/config"
	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/portal"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// testServer is the real router on a fresh database, wired by portal.New
// from a config.Config as the binary is, on a clock the test may set.
type testServer struct {
	*Server
	db    *sqlx.DB
	mail  *testenv.MailServer // nil in the fast tier: see messages
	clock *testenv.Clock
	// changes hears the database's changes (nil on newTestServerOn's
	// pools): a test waits on it for another process's change.
	changes *db.Changes
}

// statementsChecked is set once a test server has started: every test
// database is a clone of one template, so the statements portal.New
// prepares at start are checked for the first only (they were a sixth of
// these tests' CPU, PostgreSQL's included).
var statementsChecked atomic.Bool

// newTestServer listens to its database for changes (DATABASE_URL), as the
// binary does, so that what services keep between requests is tested too.
func newTestServer(t testing.TB) *testServer {
	t.Helper()
	u := dbtest.NewURL(t)
	return newTestServerEnv(t, dbtest.Open(t, u), map[string]string{"DATABASE_URL": u})
}

func newTestServerOn(t testing.TB, pool *sqlx.DB) *testServer {
	t.Helper()
	return newTestServerEnv(t, pool, nil)
}

// newTestServerEnv is newTestServerOn with more configuration (BASE_URL).
func newTestServerEnv(t testing.TB, pool *sqlx.DB, extra map[string]string) *testServer {
	t.Helper()
	env := map[string]string{"DATA_DIR": t.TempDir(), "JOB_POLL_INTERVAL": "100ms",
		// Tests set the clock months ahead (a trip now over): a session
		// stays, as if the person had kept using it.
		"SESSION_IDLE_TIMEOUT": "8760h"}
	for k, v := range extra {
		env[k] = v
	}
	// The fast tier (-short) has no mailpit: the portal logs its mail, as
	// with no SMTP_HOST configured, and tests read what it queued.
	var mp *testenv.MailServer
	if !testing.Short() {
		mp = testenv.Mailpit(t)
		env["SMTP_HOST"], env["SMTP_PORT"], env["SMTP_TLS"] = mp.SMTPHost(), strconv.Itoa(mp.SMTPPort()), "none"
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	clock := &testenv.Clock{}
	// NoPeriodic: a test runs a periodic task itself when it means to,
	// rather than having one start with the jobs and race it.
	p, err := portal.New(context.Background(), cfg, pool, portal.Options{Log: slog.New(slog.DiscardHandler), Work: true, NoPeriodic: true, Now: clock.Now,
		DatabaseURL: cfg.DatabaseURL, StatementsChecked: statementsChecked.Load()})
	if err != nil {
		t.Fatal(err)
	}
	statementsChecked.Store(true)
	t.Cleanup(func() { _ = p.Close() })
	// The job worker delivers mail, so it runs where there is a catcher
	// to deliver to. In the fast tier a test reads the queued mail, and
	// a worker would only hand it to the log while it polls and elects a
	// leader on connections of its own: a fifth of these tests' CPU.
	if mp != nil {
		if err := p.Jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = p.Jobs.Stop(ctx)
		})
	}
	s, err := New(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, db: pool, mail: mp, clock: clock, changes: p.Changes}
}

// execElsewhere runs a statement as another process of the portal would,
// and waits until this one has heard that table changed (db.Changes), as
// it would in production: what it keeps between requests is then stale.
func (s *testServer) execElsewhere(t testing.TB, table, query string, args ...any) {
	t.Helper()
	before, _ := s.changes.Stamp(table)
	if _, err := s.db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
	if s.changes == nil {
		return // nothing is kept
	}
	deadline := time.After(10 * time.Second)
	for {
		heard := s.changes.Heard()
		if now, _ := s.changes.Stamp(table); now != before {
			return
		}
		select {
		case <-heard:
		case <-deadline:
			t.Fatalf("the portal did not hear of the change to %s in 10 s", table)
		}
	}
}

// client is one browser: it keeps cookies and sends the CSRF token with
// every form, as the portal's own pages do.
type client struct {
	t       *testing.T
	s       *testServer
	cookies map[string]string
	header  http.Header
}

func (s *testServer) client(t *testing.T, header ...string) *client {
	c := &client{t: t, s: s, cookies: map[string]string{}, header: http.Header{}}
	for i := 0; i+1 < len(header); i += 2 {
		c.header.Set(header[i], header[i+1])
	}
	return c
}

func (c *client) get(target string) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.send(http.MethodGet, target, nil)
}

// post sends form with the CSRF token this browser was given.
func (c *client) post(target string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	if c.cookies[csrfCookie] == "" {
		c.get("/")
	}
	f := url.Values{csrfField: {c.cookies[csrfCookie]}}
	for k, v := range form {
		f[k] = v
	}
	return c.send(http.MethodPost, target, f)
}

// send is the raw request: no token added.
func (c *client) send(method, target string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.do(req)
}

// do sends req as this browser: its headers and cookies, and it keeps the
// cookies the answer sets.
func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	c.t.Helper()
	for k, v := range c.header {
		req.Header[k] = v
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	c.s.Handler().ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return rec
}

// text is what a page in lang shows for the catalog's key with args: the
// message, escaped as the templ components escape text (html.EscapeString).
// An assertion built from it names the message it checks, and survives the
// message being reworded.
func (s *testServer) text(lang, key string, args ...any) string {
	return html.EscapeString(s.cat.T(lang, key, args...))
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
