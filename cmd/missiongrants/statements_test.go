package main

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/config"
	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/portal"
)

// These tests live with the binary, which links every package it runs and
// so registers all their statements.

// The packages whose fixed statements live in .sql files. A package added
// here without its statements loading (or loading without being listed)
// fails, so the start-up check cannot silently skip one.
var withQueries = []string{"account", "agreement", "application", "assign", "audit", "award", "document", "export", "mail", "notify", "organization", "outcomes", "policy", "ratelimit", "report", "review", "vote"}

// Every named statement of every package prepares against the migrated
// schema, as portal.New checks at start; and none lies unused.
func TestEveryStatementPrepares(t *testing.T) {
	t.Parallel()
	sets := db.Registered()
	var names []string
	for _, set := range sets {
		names = append(names, set.Package)
		if unused := set.Unused(); len(unused) > 0 {
			t.Errorf("%s: statements no code uses: %q", set.Package, unused)
		}
	}
	if !slices.Equal(names, withQueries) {
		t.Errorf("packages with statements %q, want %q", names, withQueries)
	}
	pool := dbtest.New(t)
	start := time.Now()
	if err := db.CheckQueries(context.Background(), pool, sets...); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, set := range sets {
		n += len(set.All())
	}
	t.Logf("%d statements of %d packages prepared in %v", n, len(sets), time.Since(start))
}

// A schema that no longer fits a statement (here a column renamed behind
// the portal's back) stops the start, naming the package, the statement
// and PostgreSQL's reason.
func TestNewRefusesABrokenStatement(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	if _, err := pool.Exec(`ALTER TABLE rate_limits RENAME COLUMN hits TO attempts`); err != nil {
		t.Fatal(err)
	}
	_, err := portal.New(context.Background(), &config.Config{}, pool, portal.Options{Log: slog.New(slog.DiscardHandler)})
	if err == nil {
		t.Fatal("the portal started")
	}
	for _, want := range []string{"ratelimit: statement ratelimit-hit (ratelimit.sql:", `column "hits" of relation "rate_limits" does not exist`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
