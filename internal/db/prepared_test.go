package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// onePool is the portal's pool on a fresh database, held to one connection
// so that what a test sees of pg_prepared_statements is the connection it used.
func onePool(t *testing.T) *sqlx.DB {
	t.Helper()
	pool, err := db.Open(context.Background(), dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	pool.SetMaxOpenConns(1)
	t.Cleanup(func() { pool.Close() })
	return pool
}

// prepared lists the statements prepared on pool's connection, oldest first,
// but for its own (which is prepared too, and may push one out).
func prepared(t *testing.T, pool *sqlx.DB) []string {
	t.Helper()
	var out []string
	if err := pool.Select(&out, `SELECT statement FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%' ORDER BY prepare_time`); err != nil {
		t.Fatal(err)
	}
	return out
}

// A query is prepared once per connection and run again from there, with
// the right answers; statements run for their effect without arguments are
// not prepared, since they may be several, as in a migration.
func TestQueriesStayPrepared(t *testing.T) {
	t.Parallel()
	pool := onePool(t)
	const q = `SELECT $1::int + $2::int`
	for i := range 5 {
		var sum int
		if err := pool.Get(&sum, q, i, 10); err != nil {
			t.Fatal(err)
		}
		if sum != i+10 {
			t.Fatalf("%d + 10 = %d", i, sum)
		}
	}
	var answer int
	if err := pool.Get(&answer, `SELECT 40 + 2`); err != nil || answer != 42 {
		t.Fatalf("a query without arguments: %d, %v", answer, err)
	}
	if _, err := pool.Exec(`CREATE TABLE two (n int); INSERT INTO two VALUES (1)`); err != nil {
		t.Fatalf("two statements in one: %v", err)
	}
	if got := prepared(t, pool); len(got) != 2 || got[0] != q || got[1] != `SELECT 40 + 2` {
		t.Fatalf("prepared statements %q, want just %q and the query without arguments", got, q)
	}

	// A refused statement leaves the connection usable, in and out of a
	// transaction.
	if _, err := pool.Exec(`SELECT * FROM no_such_table WHERE id = $1`, 1); err == nil {
		t.Fatal("a query of a missing table ran")
	}
	tx := pool.MustBegin()
	if _, err := tx.Exec(`SELECT 1 / $1::int`, 0); err == nil {
		t.Fatal("division by zero ran")
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := pool.Get(&sum, q, 1, 2); err != nil || sum != 3 {
		t.Fatalf("after refusals: %d, %v", sum, err)
	}
}

// Past its bound a connection drops the statement it used least recently.
func TestPreparedStatementsAreBounded(t *testing.T) {
	t.Parallel()
	pool := onePool(t)
	conn, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Raw(func(dc any) error {
		db.SetPreparedLimit(dc, 3) // prepared's own query takes the third place
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	for _, q := range []string{`SELECT $1::int`, `SELECT $1::int + 1`, `SELECT $1::int + 2`, `SELECT $1::int`, `SELECT $1::int + 3`} {
		if _, err := pool.Exec(q, 1); err != nil {
			t.Fatal(err)
		}
	}
	// The first was used again, so + 1 and + 2 went, oldest use first.
	got := prepared(t, pool)
	if len(got) != 2 || got[0] != `SELECT $1::int` || got[1] != `SELECT $1::int + 3` {
		t.Fatalf("prepared statements %q, want the two used last", got)
	}
}

// A statement PostgreSQL no longer accepts, because a migration changed
// what it returns, is prepared again on its next run.
func TestStatementPreparedAgainAfterTheTableChanged(t *testing.T) {
	t.Parallel()
	pool := onePool(t)
	pool.MustExec(`CREATE TABLE t (id int PRIMARY KEY)`)
	pool.MustExec(`INSERT INTO t VALUES (1)`)
	const q = `SELECT * FROM t WHERE id = $1`
	var ids []int
	if err := pool.Select(&ids, q, 1); err != nil {
		t.Fatal(err)
	}
	pool.MustExec(`ALTER TABLE t ADD COLUMN note text NOT NULL DEFAULT 'x'`)
	var rows []struct {
		ID   int    `db:"id"`
		Note string `db:"note"`
	}
	var pqErr *pq.Error
	if err := pool.Select(&rows, q, 1); err != nil && !(errors.As(err, &pqErr) && pqErr.Code == "0A000") {
		t.Fatalf("first run after the change: %v", err)
	}
	if err := pool.Select(&rows, q, 1); err != nil || len(rows) != 1 || rows[0].Note != "x" {
		t.Fatalf("second run after the change: %+v, %v", rows, err)
	}
}

// Every connection the pool opens plans for data read from memory
// (plannerSettings), not only the first.
func TestEveryConnectionPlansForDataInMemory(t *testing.T) {
	t.Parallel()
	pool, err := db.Open(context.Background(), dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	ctx := context.Background()
	for i := range 3 {
		conn, err := pool.Connx(ctx) // held, so that the next is a new one
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var cost string
		if err := conn.GetContext(ctx, &cost, `SHOW random_page_cost`); err != nil {
			t.Fatal(err)
		}
		if cost != "1.1" {
			t.Errorf("connection %d: random_page_cost %s, want 1.1", i+1, cost)
		}
	}
}
