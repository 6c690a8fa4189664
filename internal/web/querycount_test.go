package web

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/dbtest"
)

// Counting the SQL statements a page sends: a database/sql connector that
// wraps lib/pq's and counts each statement against the counter found in its
// context. A request's handlers pass the request's context down to every
// query, so the count is that request's alone, whatever the job queue's
// workers do on the same pool meanwhile. (The session store, scs's
// postgresstore, queries without a context: one read per request, and a
// write when the session changes, not counted here.)

type countKey struct{}

// withQueryCount counts the statements run under ctx in n.
func withQueryCount(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, countKey{}, n)
}

func countQuery(ctx context.Context) {
	if n, ok := ctx.Value(countKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// countingPool is a pool to a fresh database whose statements can be counted.
func countingPool(t testing.TB) *sqlx.DB {
	t.Helper()
	pqc, err := pq.NewConnector(dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	db := sqlx.NewDb(sql.OpenDB(countingConnector{pqc}), "postgres")
	t.Cleanup(func() { db.Close() })
	return db
}

type countingConnector struct{ driver.Connector }

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{conn}, nil
}

// countingConn passes everything to lib/pq's connection, counting the
// statements. It implements the optional interfaces lib/pq does, so
// database/sql behaves exactly as with lib/pq alone.
type countingConn struct{ driver.Conn }

func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	countQuery(ctx)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	countQuery(ctx)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &countingStmt{st}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	countQuery(ctx) // BEGIN; COMMIT and ROLLBACK are not counted
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *countingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *countingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *countingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

type countingStmt struct{ driver.Stmt }

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	countQuery(ctx)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	countQuery(ctx)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// countedGet is c.get through a handler that counts the request's
// statements; it returns the answer and the count.
func (c *client) countedGet(target string) (*httptest.ResponseRecorder, int64) {
	c.t.Helper()
	var n atomic.Int64
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.s.Handler().ServeHTTP(w, r.WithContext(withQueryCount(r.Context(), &n)))
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
	t.Parallel()
	s := newTestServerOn(t, countingPool(t))
	people := s.seedDemo(t)
	load := seedBoardLoad(t, s.db, 60, 8)
	// Both viewers take part in both applications, so the pages take the
	// same path and differ only in what they list.
	takePart(t, s.db, s.userID(t, demoBoard), load.bare, load.busy)
	takePart(t, s.db, s.userID(t, demoAdminBoard), load.bare, load.busy)
	bruno := s.loginAs(t, people[demoBoard])
	ada := s.loginAs(t, people[demoAdminBoard]) // admin and board member: sees every part

	for _, c := range []*client{bruno, ada} {
		one, n1 := c.countedGet("/board/applications?q=" + url.QueryEscape(load.titles[0]))
		full, n25 := c.countedGet("/board/applications")
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
		deep, nDeep := c.countedGet("/board/applications?mine=review&status=in_review&country=HN&amount_min=100")
		wantStatus(t, deep, http.StatusOK)
		if nDeep != n25 {
			t.Errorf("the filtered queue sends %d statements, the plain one %d", nDeep, n25)
		}

		bare, nBare := c.countedGet("/applications/" + itoa(load.bare))
		busy, nBusy := c.countedGet("/applications/" + itoa(load.busy))
		wantStatus(t, bare, http.StatusOK)
		wantStatus(t, busy, http.StatusOK)
		if n := strings.Count(busy.Body.String(), `class="message board-comment"`); n < 2 {
			t.Fatalf("the busy application shows %d comments", n)
		}
		if n := strings.Count(busy.Body.String(), `<article class="review">`); n != 10 {
			t.Fatalf("the busy application shows %d reviews, want 10", n)
		}
		if nBare != nBusy || nBare == 0 {
			t.Errorf("the application page sends %d statements without reviews and %d with 8 reviews, comments and ballots", nBare, nBusy)
		}
		t.Logf("statements per page: queue %d, application %d", n25, nBusy)
	}
}
