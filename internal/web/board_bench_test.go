package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp/totp"
)

// boardLoad is what seedBoardLoad made.
type boardLoad struct {
	titles    []string // of the first applications, each matching only itself in a search
	busy      int64    // an application in a vote, with reviews, declarations, comments and ballots
	bare      int64    // an application in a vote with none of those
	reviewers []int64
}

// seedBoardLoad fills the database the way years of use would: n
// applications from n/20 charities in four rounds (70% in review, 10% in a
// vote, 10% approved, 10% declined), each with perApp declarations of no
// conflict and perApp reviews by board members, two board comments on those
// before the board, and an open vote with three ballots on those voting.
// Everything is inserted by a few set-based statements, then analysed.
func seedBoardLoad(tb testing.TB, db *sqlx.DB, n, perApp int) boardLoad {
	tb.Helper()
	start := time.Now()
	reviewers := max(perApp, 10)
	exec := func(query string, args ...any) {
		tb.Helper()
		if _, err := db.Exec(query, args...); err != nil {
			tb.Fatalf("seeding: %v\n%s", err, query)
		}
	}
	exec(`INSERT INTO users (email, name, is_board, email_confirmed_at)
		SELECT 'reviewer' || j || '@load.example', 'Reviewer ' || lpad(j::text, 2, '0'), true, now() FROM generate_series(1, $1) j`, reviewers)
	exec(`INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
		SELECT 'Heart Charity ' || k, 'HN', 'R-' || k, (SELECT min(id) FROM users), now() FROM generate_series(1, $1) k`, max(n/20, 1))
	exec(`INSERT INTO funding_rounds (name, rolling) SELECT 'Round ' || k, true FROM generate_series(1, 4) k`)
	exec(`WITH o AS (SELECT array_agg(id ORDER BY id) AS ids FROM organizations WHERE legal_name LIKE 'Heart Charity %'),
		r AS (SELECT array_agg(id ORDER BY id) AS ids FROM funding_rounds WHERE name LIKE 'Round %')
		INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end,
			amount_requested_cents, submitted_at, created_by, created_at, updated_at)
		SELECT o.ids[1 + i % cardinality(o.ids)], r.ids[1 + i % 4],
			CASE i % 10 WHEN 7 THEN 'voting' WHEN 8 THEN 'approved' WHEN 9 THEN 'declined' ELSE 'in_review' END,
			1, 'Mission ' || lpad(i::text, 5, '0'), (ARRAY['HN','DO','PE','GT','NI'])[1 + i % 5],
			date '2027-01-01' + i % 365, date '2027-01-10' + i % 365, (1 + i % 500) * 10000,
			timestamptz '2026-11-01 00:00Z' - i * interval '1 minute', (SELECT min(id) FROM users), now(), now()
		FROM generate_series(1, $1) i, o, r`, n)
	pairs := `WITH a AS (SELECT id, status, row_number() OVER (ORDER BY id) AS i FROM applications WHERE title LIKE 'Mission %'),
		u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS j FROM users WHERE email LIKE 'reviewer%@load.example')
		SELECT a.id AS app, a.status, u.id AS member, ((u.j - a.i) % $1 + $1) % $1 AS k FROM a JOIN u ON ((u.j - a.i) % $1 + $1) % $1 < $2`
	exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by)
		SELECT app, member, false, now(), member FROM (`+pairs+`) p`, reviewers, perApp)
	exec(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
		SELECT app, member, '{"need":4,"clinical_capacity":3,"budget":4,"sustainability":3,"track_record":5}',
			3000 + (app * 7 + member) % 2000, 'Seeded review ' || app || '/' || member, 'approve', now() FROM (`+pairs+`) p`, reviewers, perApp)
	exec(`INSERT INTO board_comments (application_id, author_id, body, created_at)
		SELECT app, member, 'Seeded comment by ' || member, now() FROM (`+pairs+`) p WHERE status IN ('in_review', 'voting') AND k < 2`, reviewers, perApp)
	exec(`INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		SELECT id, amount_requested_cents, created_by, now(), now() + interval '7 days' FROM applications WHERE status = 'voting'`)
	exec(`INSERT INTO ballots (vote_id, user_id, choice, cast_at)
		SELECT v.id, p.member, 'approve', now() FROM (`+pairs+`) p JOIN votes v ON v.application_id = p.app WHERE p.k < 3`, reviewers, perApp)
	var load boardLoad
	if err := db.Select(&load.titles, `SELECT title FROM applications WHERE title LIKE 'Mission %' ORDER BY id LIMIT 3`); err != nil {
		tb.Fatal(err)
	}
	if err := db.Get(&load.busy, `SELECT min(application_id) FROM votes`); err != nil {
		tb.Fatal(err)
	}
	if err := db.Get(&load.bare, `INSERT INTO applications (organization_id, round_id, status, version, title, country, amount_requested_cents, submitted_at, created_by)
		SELECT organization_id, round_id, 'voting', 1, 'Bare mission', country, amount_requested_cents, now(), created_by FROM applications WHERE id = $1
		RETURNING id`, load.busy); err != nil {
		tb.Fatal(err)
	}
	exec(`INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		SELECT $1, 100000, created_by, now(), now() + interval '7 days' FROM applications WHERE id = $1`, load.bare)
	if err := db.Select(&load.reviewers, `SELECT id FROM users WHERE email LIKE 'reviewer%@load.example' ORDER BY id`); err != nil {
		tb.Fatal(err)
	}
	exec(`ANALYZE`)
	var apps, reviews int
	_ = db.Get(&apps, `SELECT count(*) FROM applications`)
	_ = db.Get(&reviews, `SELECT count(*) FROM reviews`)
	tb.Logf("seeded %d applications and %d reviews in %v", apps, reviews, time.Since(start).Round(time.Millisecond))
	return load
}

// takePart has member declare no conflict on app and review it, as the
// pages would.
func takePart(tb testing.TB, db *sqlx.DB, member int64, apps ...int64) {
	tb.Helper()
	for _, app := range apps {
		if _, err := db.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by) VALUES ($1, $2, false, now(), $2)`, app, member); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, recommendation, submitted_at)
			VALUES ($1, $2, '{"need":4,"clinical_capacity":4,"budget":4,"sustainability":4,"track_record":4}', 4000, 'approve', now())`, app, member); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchBrowser is a logged-in browser for benchmarks: cookies and nothing
// else (the tests' client needs a *testing.T).
type benchBrowser struct {
	h       http.Handler
	cookies []*http.Cookie
}

func (b *benchBrowser) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		b.cookies = slices.DeleteFunc(b.cookies, func(old *http.Cookie) bool { return old.Name == c.Name })
		b.cookies = append(b.cookies, c)
	}
	return rec
}

func (b *benchBrowser) csrf() string {
	for _, c := range b.cookies {
		if c.Name == csrfCookie {
			return c.Value
		}
	}
	return ""
}

// benchLogin signs p in with the password and a code.
func benchLogin(tb testing.TB, h http.Handler, p person) *benchBrowser {
	tb.Helper()
	b := &benchBrowser{h: h}
	b.do(http.MethodGet, "/", nil)
	b.do(http.MethodPost, "/login", url.Values{csrfField: {b.csrf()}, "email": {p.email}, "password": {p.password}})
	code, err := totp.GenerateCode(p.phone.secret, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	if rec := b.do(http.MethodPost, "/login/code", url.Values{csrfField: {b.csrf()}, "code": {code}}); rec.Code != http.StatusSeeOther {
		tb.Fatalf("login: %d", rec.Code)
	}
	return b
}

// BenchmarkBoardPages measures the board's review queue and an application
// page on 10,000 applications and 50,000 reviews: requests per second and
// latency percentiles with 4 concurrent requests, and the SQL statements
// each page sends (they must not grow with the rows shown). Run it with
//
//	go test ./internal/web/ -run '^$' -bench BoardPages -benchtime 2000x
//
// and see docs/performance.md for the figures.
func BenchmarkBoardPages(b *testing.B) {
	s := newTestServerOn(b, countingPool(b))
	demos, err := s.accounts.SeedDemo(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var bruno person
	for _, d := range demos {
		if d.Email == demoBoard {
			bruno = person{name: d.Name, email: d.Email, password: d.Password, phone: &authenticator{secret: d.TOTPSecret}}
		}
	}
	load := seedBoardLoad(b, s.db, 10_000, 5)
	var brunoID int64
	if err := s.db.Get(&brunoID, `SELECT id FROM users WHERE email = $1`, bruno.email); err != nil {
		b.Fatal(err)
	}
	takePart(b, s.db, brunoID, load.busy)
	browser := benchLogin(b, s.Handler(), bruno)
	var cursor string
	if err := s.db.Get(&cursor, `SELECT to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '_' || id
		FROM applications WHERE title LIKE 'Mission %' ORDER BY submitted_at DESC, id DESC OFFSET 9000 LIMIT 1`); err != nil {
		b.Fatal(err)
	}
	pages := []struct{ name, target string }{
		{"queue", "/board/applications"},
		{"queue_filtered", "/board/applications?mine=review&status=in_review&country=HN&amount_min=1000"},
		{"queue_search", "/board/applications?q=" + url.QueryEscape("mission 012")},
		{"queue_deep_page", "/board/applications?before=" + url.QueryEscape(cursor)},
		{"application", "/applications/" + itoa(load.busy)},
	}
	for _, page := range pages {
		b.Run(page.name, func(b *testing.B) {
			// One request alone first: the page works, and its statements.
			var n atomic.Int64
			req := func() *httptest.ResponseRecorder {
				rec := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, page.target, nil)
				for _, c := range browser.cookies {
					r.AddCookie(c)
				}
				s.Handler().ServeHTTP(rec, r.WithContext(withQueryCount(r.Context(), &n)))
				return rec
			}
			if rec := req(); rec.Code != http.StatusOK {
				b.Fatalf("%s: %d\n%.500s", page.target, rec.Code, rec.Body.String())
			}
			statements := n.Load()
			var mu sync.Mutex
			latencies := make([]time.Duration, 0, b.N)
			b.SetParallelism(2) // 2 × GOMAXPROCS requests at once
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					t0 := time.Now()
					if rec := req(); rec.Code != http.StatusOK {
						b.Errorf("%s: %d", page.target, rec.Code)
						return
					}
					d := time.Since(t0)
					mu.Lock()
					latencies = append(latencies, d)
					mu.Unlock()
				}
			})
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(latencies)
			pct := func(p float64) float64 {
				if len(latencies) == 0 {
					return 0
				}
				return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
			}
			b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.99), "p99_ms")
			b.ReportMetric(float64(statements), "queries/page")
		})
	}
}
