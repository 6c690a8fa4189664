package db

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"

	"github.com/lib/pq"
)

// lib/pq runs a query with arguments as an unnamed statement: parse and
// describe, wait, then bind and execute, wait; and PostgreSQL plans it anew
// each time. A page's dozen queries paid more in those round trips and in
// planning than in running. preparedConn keeps each query prepared on its
// connection (least recently used dropped past preparedPerConn): running it
// again is one round trip, and after a few runs PostgreSQL reuses a generic
// plan when it is as good. That includes a query that returns rows without
// arguments (a page's list of rounds or criteria is then not planned at
// every view); a statement run for its effect without arguments keeps
// lib/pq's simple protocol, since it may hold several, as migrations do.

// preparedPerConn bounds the statements kept on each connection. The
// portal's distinct queries, the job queue's and the board queue's filter
// combinations together stay well under it.
const preparedPerConn = 512

// plannerSettings tell PostgreSQL that the portal's data is read from
// memory: at its default random_page_cost (4, for spinning disks) it reads a
// table of a few pages in full for each row of a page rather than probe its
// index, and the review queue's statement took twice as long.
const plannerSettings = `SET random_page_cost = 1.1`

type preparingConnector struct{ driver.Connector }

func (c preparingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.(driver.ExecerContext).ExecContext(ctx, plannerSettings, nil); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return &preparedConn{Conn: conn, byQuery: map[string]*list.Element{}, lru: list.New(), max: preparedPerConn}, nil
}

// preparedConn is lib/pq's connection with its prepared statements.
// database/sql uses a connection from one goroutine at a time, so the cache
// needs no lock.
type preparedConn struct {
	driver.Conn
	byQuery map[string]*list.Element // query → element of lru holding a *preparedStmt
	lru     *list.List               // most recently used first
	max     int
}

type preparedStmt struct {
	query string
	stmt  driver.Stmt
}

// prepared returns query's statement on this connection, preparing it the
// first time.
func (c *preparedConn) prepared(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.byQuery[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*preparedStmt).stmt, nil
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.lru.Len() >= c.max {
		last := c.lru.Back()
		old := c.lru.Remove(last).(*preparedStmt)
		delete(c.byQuery, old.query)
		if err := old.stmt.Close(); err != nil {
			_ = st.Close()
			return nil, err
		}
	}
	c.byQuery[query] = c.lru.PushFront(&preparedStmt{query: query, stmt: st})
	return st, nil
}

func (c *preparedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	return rows, c.check(query, err)
}

func (c *preparedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	return res, c.check(query, err)
}

// check forgets query's statement when PostgreSQL no longer accepts it
// (a migration changed what it returns, or the statement is gone), so
// that the next run prepares it again.
func (c *preparedConn) check(query string, err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == "0A000" || pqErr.Code == "26000") {
		if e, ok := c.byQuery[query]; ok {
			c.lru.Remove(e)
			delete(c.byQuery, query)
			_ = e.Value.(*preparedStmt).stmt.Close()
		}
	}
	return err
}

func (c *preparedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *preparedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *preparedConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *preparedConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *preparedConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *preparedConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}
