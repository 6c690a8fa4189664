package devdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// EnsureDatabase creates database name unless it exists, connecting with
// adminURL (a role allowed to CREATE DATABASE). Concurrent callers are safe.
func EnsureDatabase(ctx context.Context, adminURL, name string) error {
	db, err := sql.Open("postgres", adminURL)
	if err != nil {
		return fmt.Errorf("devdb.EnsureDatabase: %w", err)
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("devdb.EnsureDatabase: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && (pqErr.Code == "42P04" || pqErr.Code == "23505") { // a concurrent caller won the race
			return nil
		}
		return fmt.Errorf("devdb.EnsureDatabase %s: %w", name, err)
	}
	return nil
}
