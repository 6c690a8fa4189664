// Package migrations holds the database schema as numbered goose migrations,
// embedded in the binary, and the one function that applies them.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed *.sql
var files embed.FS

// riverSchemaVersion pins River's own schema: upgrading River's module adds a
// new Go migration here instead of changing what an old number means.
const riverSchemaVersion = 8

// riverMigration is version 2: River's job tables. River applies each of its
// versions in its own transaction (one adds an enum value a later one uses),
// so this migration runs outside goose's transaction but still under its lock.
func riverMigration() *goose.Migration {
	run := func(direction rivermigrate.Direction, target int) func(ctx context.Context, db *sql.DB) error {
		return func(ctx context.Context, db *sql.DB) error {
			m, err := rivermigrate.New(riverdatabasesql.New(db), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				return err
			}
			_, err = m.Migrate(ctx, direction, &rivermigrate.MigrateOpts{TargetVersion: target})
			return err
		}
	}
	return goose.NewGoMigration(2,
		&goose.GoFunc{RunDB: run(rivermigrate.DirectionUp, riverSchemaVersion)},
		&goose.GoFunc{RunDB: run(rivermigrate.DirectionDown, -1)},
	)
}

// Up applies every pending migration. A PostgreSQL session lock makes
// processes that start together wait for each other, so the schema is
// migrated exactly once.
func Up(ctx context.Context, db *sql.DB) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations.Up: %w", err)
	}
	return nil
}

// Version reports the schema version the database is at.
func Version(ctx context.Context, db *sql.DB) (int64, error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

func provider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, files,
		goose.WithSessionLocker(locker),
		goose.WithGoMigrations(riverMigration()),
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}
