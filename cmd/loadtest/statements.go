package main

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Where PostgreSQL's time goes, page by page: the private cluster loads
// pg_stat_statements (with planning counted), the counts are reset before
// each page's measured run and read after it.

// statementSettings are the private cluster's extra settings.
var statementSettings = map[string]string{
	"shared_preload_libraries":          "'pg_stat_statements'",
	"pg_stat_statements.track_planning": "on",
	// Logged with their times, for the open loop's slow requests (tail.go).
	"log_checkpoints":             "on",
	"log_autovacuum_min_duration": "0",
	"log_min_duration_statement":  "20", // pgSlowStatement
	"log_lock_waits":              "on", // a wait for a lock of over deadlock_timeout
	"deadlock_timeout":            "'20ms'",
}

// topStatement is one statement of a page's run.
type topStatement struct {
	Query  string  `db:"query"`
	Calls  int64   `db:"calls"`
	PlanMS float64 `db:"plan_ms"` // per call
	ExecMS float64 `db:"exec_ms"` // per call
	// Read is the pages a call read from outside PostgreSQL's shared
	// buffers (from the kernel's cache or the disk): what makes a statement
	// slower as the data outgrows them, though it does the same work.
	Read  float64 `db:"read"`
	Share float64 `db:"share"` // of the run's statement time
}

// statementStats reads and resets pg_stat_statements in one database.
type statementStats struct{ db *sqlx.DB }

func newStatementStats(ctx context.Context, pool *sqlx.DB) (*statementStats, error) {
	if _, err := pool.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		return nil, err
	}
	return &statementStats{db: pool}, nil
}

func (s *statementStats) reset(ctx context.Context) error {
	if s == nil {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `SELECT pg_stat_statements_reset()`)
	return err
}

// top is the n statements that took the most time since the reset.
func (s *statementStats) top(ctx context.Context, n int) ([]topStatement, error) {
	if s == nil {
		return nil, nil
	}
	var out []topStatement
	err := s.db.SelectContext(ctx, &out, `WITH t AS (
			SELECT query, calls, total_plan_time, total_exec_time, shared_blks_read FROM pg_stat_statements
			WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND calls > 0
			AND query NOT LIKE '%pg_stat_statements%')
		SELECT query, calls, total_plan_time / calls AS plan_ms, total_exec_time / calls AS exec_ms,
			shared_blks_read::float8 / calls AS read,
			coalesce((total_plan_time + total_exec_time) / nullif(sum(total_plan_time + total_exec_time) OVER (), 0), 0) AS share
		FROM t ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`, n)
	for i := range out {
		q := strings.Join(strings.Fields(out[i].Query), " ")
		if len(q) > 90 {
			q = q[:90] + "…"
		}
		out[i].Query = q
	}
	return out, err
}
