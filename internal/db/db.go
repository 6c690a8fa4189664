// Package db opens the PostgreSQL pool and runs a user action in one
// transaction. It is the only place, with the stores, that knows sqlx.
package db

import (
	"missiongrants/internal/refusal"

	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Querier is what a store needs: either the pool or a transaction.
type Querier interface {
	sqlx.ExtContext
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// ErrNotFound is what stores answer for a row that does not exist, or that
// the person may not know of.
var ErrNotFound = refusal.NotFound("error.http.404")

// Open connects with a bounded pool and checks the server answers.
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
	connector, err := pq.NewConnector(url)
	if err != nil {
		return nil, fmt.Errorf("db.Open: %w", err)
	}
	return open(ctx, preparingConnector{connector})
}

func open(ctx context.Context, connector driver.Connector) (*sqlx.DB, error) {
	sqlDB := sql.OpenDB(connector)
	sqlDB.SetMaxOpenConns(20)
	// As many idle as open, and never closed for being idle. With fewer, a
	// busy minute closed a connection at every request that returned one
	// over the idle limit; closed after five idle minutes, a burst after a
	// quiet spell opened many at once. A new connection prepares each
	// statement afresh while PostgreSQL reads its catalog cold
	// (docs/performance.md, the thirteenth session).
	sqlDB.SetMaxIdleConns(20)
	db := sqlx.NewDb(sqlDB, "postgres")
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("db.Open: %w", err)
	}
	return db, nil
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled back
// otherwise (and on panic), so nothing half-written stays behind.
func InTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// IsUniqueViolation reports whether err is PostgreSQL's unique_violation,
// optionally on the named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "23505" {
		return false
	}
	return constraint == "" || pqErr.Constraint == constraint
}

// IsCheckViolation reports whether err is PostgreSQL refusing a CHECK (or a
// trigger raising check_violation), optionally the named constraint.
func IsCheckViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23514" && (constraint == "" || pqErr.Constraint == constraint)
}

// NotFound turns sql.ErrNoRows into ErrNotFound, so callers never see driver errors.
func NotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// IsUnavailable reports whether err means the database cannot be reached
// right now (refused, restarting, shutting down), as opposed to a bad query.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		// Class 57: operator intervention (admin_shutdown, cannot_connect_now…);
		// class 08: connection exceptions.
		return strings.HasPrefix(string(pqErr.Code), "57") || strings.HasPrefix(string(pqErr.Code), "08")
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
