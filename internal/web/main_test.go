package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/award"
	"missiongrants/internal/config"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/mail"
	"missiongrants/internal/organization"
	"missiongrants/internal/report"
	"missiongrants/internal/review"
	"missiongrants/internal/testenv"
	"missiongrants/internal/vote"
	"missiongrants/templates"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// testServer is the real router on a fresh database.
type testServer struct {
	*Server
	db   *sqlx.DB
	mail *testenv.MailServer
}

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	return newTestServerOn(t, dbtest.New(t))
}

func newTestServerOn(t testing.TB, pool *sqlx.DB) *testServer {
	t.Helper()
	mp := testenv.Mailpit(t)
	env := map[string]string{"SMTP_HOST": mp.SMTPHost(), "SMTP_PORT": strconv.Itoa(mp.SMTPPort()), "SMTP_TLS": "none"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	composer, err := mail.NewComposer(templates.FS, cat)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := job.New(pool.DB, job.Options{Work: true, Sender: mail.NewSender(cfg, log), PollInterval: 100 * time.Millisecond, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = jobs.Stop(ctx)
	})
	disk, err := document.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	accounts := account.New(pool, &mail.Outbox{Composer: composer, Queue: jobs}, account.Config{BaseURL: cfg.BaseURL.String()})
	outbox := &mail.Outbox{Composer: composer, Queue: jobs}
	s, err := New(Deps{Config: cfg, DB: pool, Catalog: cat, Log: log, Accounts: accounts,
		Orgs:    organization.New(pool, outbox, cfg.BaseURL.String(), nil),
		Apps:    application.New(pool, outbox, cfg.BaseURL.String(), nil),
		Reviews: review.New(pool, nil),
		Votes:   vote.New(pool, outbox, vote.DefaultRules, cfg.BaseURL.String(), nil),
		Docs:    document.New(pool, disk, document.Options{}),
		Awards:  award.New(pool, outbox, 1_000_000, nil),
		Reports: report.New(pool, outbox, 60, cfg.BaseURL.String(), nil)})
	if err != nil {
		t.Fatal(err)
	}
	s.compareViews = compareRendered(t)
	return &testServer{Server: s, db: pool, mail: mp}
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
