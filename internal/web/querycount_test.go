package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/lib/pq"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/demo"
	"missiongrants/internal/seed"
	"missiongrants/internal/testenv"
)

// countingPool is a pool to a fresh database whose statements can be
// counted (db.CountStatements).
func countingPool(t testing.TB) *sqlx.DB {
	t.Helper()
	pool, err := db.OpenCounting(context.Background(), dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

// countedGet is c.get through a handler that counts the request's
// statements; it returns the answer and the count.
func (c *client) countedGet(target string) (*httptest.ResponseRecorder, int64) {
	c.t.Helper()
	var n atomic.Int64
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.s.Handler().ServeHTTP(w, r.WithContext(db.CountStatements(r.Context(), &n)))
	})
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range c.header {
		req.Header[k] = v
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	counted.ServeHTTP(rec, req)
	return rec, n.Load()
}

// The board's pages send the same number of statements whatever they show:
// the queue with one row or a full page, an application without reviews or
// with many reviews, comments, declarations and ballots.
func TestBoardPagesQueryCountDoesNotGrow(t *testing.T) {
	testenv.Full(t, "pages filled with many rows (slow)")
	t.Parallel()
	s := newTestServerOn(t, countingPool(t))
	people := s.seedDemo(t)
	load, err := seed.Seed(context.Background(), s.db, seed.Options{Applications: 60, PerApp: 8, Board: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Both viewers take part in both applications, so the pages take the
	// same path and differ only in what they list.
	takePart(t, s.db, s.userID(t, demoBoard), load.Bare, load.Busy)
	takePart(t, s.db, s.userID(t, demoAdminBoard), load.Bare, load.Busy)
	// And an application in review that was never put to a vote.
	var never int64
	must(t, s.db.Get(&never, `SELECT min(a.id) FROM applications a
		WHERE a.status = 'in_review' AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id)`))
	takePart(t, s.db, s.userID(t, demoBoard), never)
	takePart(t, s.db, s.userID(t, demoAdminBoard), never)
	// Reviewers are assigned: the busy application has several, the bare
	// none; each viewer is assigned to every application free to them.
	must(t, dbExec(s, `INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at)
		SELECT $1, u.id, u.id, now() FROM users u
		WHERE u.is_board AND u.active AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = $1 AND c.user_id = u.id AND c.has_conflict)
		LIMIT 5`, load.Busy))
	for _, viewer := range []int64{s.userID(t, demoBoard), s.userID(t, demoAdminBoard)} {
		must(t, dbExec(s, `INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at)
			SELECT a.id, $1, $1, now() FROM applications a
			WHERE a.status IN ('submitted', 'in_review', 'voting') AND a.id <> $2
				AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = a.id AND c.user_id = $1 AND c.has_conflict)
			ON CONFLICT DO NOTHING`, viewer, load.Bare))
	}
	bruno := s.loginAs(t, people[demoBoard])
	ada := s.loginAs(t, people[demoAdminBoard]) // admin and board member: sees every part

	for _, c := range []*client{bruno, ada} {
		// A search takes one statement more than the plain queue (its
		// matches), whether it lists one row or a page.
		one, n1 := c.countedGet("/board/applications?q=" + url.QueryEscape(load.Titles[0]))
		full, n25 := c.countedGet("/board/applications?q=mission")
		wantStatus(t, one, http.StatusOK)
		wantStatus(t, full, http.StatusOK)
		if rows := len(queueIDs(t, one.Body.String())); rows != 1 {
			t.Fatalf("the search lists %d rows, want 1", rows)
		}
		if rows := len(queueIDs(t, full.Body.String())); rows != 25 {
			t.Fatalf("the queue lists %d rows, want 25", rows)
		}
		if n1 != n25 || n1 == 0 {
			t.Errorf("the queue sends %d statements for 1 row and %d for 25", n1, n25)
		}
		plain, nPlain := c.countedGet("/board/applications")
		deep, nDeep := c.countedGet("/board/applications?mine=review&status=in_review&country=HN&amount_min=100")
		wantStatus(t, plain, http.StatusOK)
		wantStatus(t, deep, http.StatusOK)
		if nPlain != n25-1 || nDeep != nPlain {
			t.Errorf("the filtered queue sends %d statements, the plain one %d, a search %d", nDeep, nPlain, n25)
		}

		// "Assigned to me": rows each naming who is still to review, in as
		// many statements as the plain queue's 25 rows.
		assigned, nAssigned := c.countedGet("/board/applications?mine=assigned")
		wantStatus(t, assigned, http.StatusOK)
		if rows := len(queueIDs(t, assigned.Body.String())); rows < 5 {
			t.Fatalf("the assigned queue lists %d rows, want several", rows)
		}
		if nAssigned != nPlain {
			t.Errorf("the assigned queue sends %d statements, the plain one %d", nAssigned, nPlain)
		}

		bare, nBare := c.countedGet("/applications/" + itoa(load.Bare))
		busy, nBusy := c.countedGet("/applications/" + itoa(load.Busy))
		wantStatus(t, bare, http.StatusOK)
		wantStatus(t, busy, http.StatusOK)
		if n := strings.Count(busy.Body.String(), `class="message board-comment"`); n < 2 {
			t.Fatalf("the busy application shows %d comments", n)
		}
		if n := strings.Count(busy.Body.String(), `<article class="review">`); n != 10 {
			t.Fatalf("the busy application shows %d reviews, want 10", n)
		}
		mustContain(t, busy, `id="reviewers-h"`)
		if nBare != nBusy || nBare == 0 {
			t.Errorf("the application page sends %d statements without reviews and %d with 8 reviews, comments and ballots", nBare, nBusy)
		}
		// Its page does not ask for a vote it never had.
		unvoted, nNever := c.countedGet("/applications/" + itoa(never))
		wantStatus(t, unvoted, http.StatusOK)
		if nNever != nBare-1 {
			t.Errorf("the page of an application never put to a vote sends %d statements, of one in a vote %d", nNever, nBare)
		}
		t.Logf("statements per page: queue %d, application %d (%d never put to a vote)", n25, nBusy, nNever)
	}
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

// The charity's home sends the same number of statements however many of
// its applications are funded: what it may do to each (sign, report) is
// read for all of them at once.
func TestCharityHomeQueryCountDoesNotGrow(t *testing.T) {
	t.Parallel()
	s := newTestServerOn(t, countingPool(t))
	people := s.seedDemo(t)
	if err := demo.Seed(context.Background(), s.db, s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := s.loginAs(t, people["applicant@demo.missiongrants.test"])
	before, nBefore := c.countedGet("/dashboard")
	wantStatus(t, before, http.StatusOK)

	// Fund every application of hers the board still has, each with an
	// agreement to sign and a trip that ended, so each adds to-do items.
	var admin int64
	if err := s.db.Get(&admin, `SELECT id FROM users WHERE is_admin ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := s.db.Select(&ids, `SELECT a.id FROM applications a JOIN organization_members m ON m.organization_id = a.organization_id
		JOIN users u ON u.id = m.user_id WHERE u.email = 'applicant@demo.missiongrants.test' AND a.status IN ('submitted', 'in_review')`); err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		t.Fatal("the demo charity has no application before the board")
	}
	for _, id := range ids {
		dbtest.Approve(t, s.db, id, 100_000, admin)
	}
	if _, err := s.db.Exec(`UPDATE applications SET trip_end = $2::date - 3 WHERE id = ANY($1)`, pq.Array(ids), s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	after, nAfter := c.countedGet("/dashboard")
	wantStatus(t, after, http.StatusOK)
	if a, b := strings.Count(after.Body.String(), `/report"`), strings.Count(before.Body.String(), `/report"`); a < b+len(ids) {
		t.Errorf("the home links %d reports after %d more trips ended, %d before", a, len(ids), b)
	}
	if nBefore != nAfter || nBefore == 0 {
		t.Errorf("the charity's home sends %d statements, and %d with %d more funded applications", nBefore, nAfter, len(ids))
	}
}
