package db_test

import (
	"context"
	"testing"
	"time"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
)

// Two processes keep the rounds' names (db.Cached, as the board's queue
// does); a third changes a round. Each must read the names again once it
// has heard of the change, and only then; one whose listening connection
// was cut reads again once it is back, since a change may have gone
// unheard meanwhile.
func TestCachedIsReadAgainWhenItsTableChanges(t *testing.T) {
	ctx := context.Background()
	url := dbtest.NewURL(t)
	other := dbtest.Open(t, url) // the process that changes the rounds
	type process struct {
		changes *db.Changes
		names   *db.Cached[[]string]
		reads   int
	}
	start := func() *process {
		c, err := db.ListenForChanges(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		pool := dbtest.Open(t, url)
		p := &process{changes: c}
		p.names = &db.Cached[[]string]{Changes: c, Table: "funding_rounds", Load: func(ctx context.Context) ([]string, error) {
			p.reads++
			var names []string
			err := pool.SelectContext(ctx, &names, `SELECT name FROM funding_rounds ORDER BY id`)
			return names, err
		}}
		return p
	}
	a, b := start(), start()
	get := func(p *process, want int) {
		t.Helper()
		names, err := p.names.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != want {
			t.Fatalf("%d rounds read, want %d", len(names), want)
		}
	}
	heard := func(ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("the change was not heard in 10 s")
		}
	}
	for _, p := range []*process{a, b} {
		get(p, 0)
		get(p, 0)
		if p.reads != 1 {
			t.Fatalf("the names were read %d times for two requests and no change", p.reads)
		}
	}

	ha, hb := a.changes.Heard(), b.changes.Heard()
	if _, err := other.Exec(`INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true)`); err != nil {
		t.Fatal(err)
	}
	heard(ha)
	heard(hb)
	for _, p := range []*process{a, b} {
		get(p, 1)
		get(p, 1)
		if p.reads != 2 {
			t.Fatalf("after one change the names were read %d times, want 2", p.reads)
		}
	}

	// A change this process made itself is counted at once, unheard yet.
	a.names.Changed()
	get(a, 1)
	if a.reads != 3 {
		t.Fatalf("after a change of its own the names were read %d times, want 3", a.reads)
	}

	// Another table's changes leave the names kept.
	ha = a.changes.Heard()
	if _, err := other.Exec(`SELECT pg_notify('table_changed', 'organizations')`); err != nil {
		t.Fatal(err)
	}
	heard(ha)
	get(a, 1)
	if a.reads != 3 {
		t.Fatalf("a change to another table read the names again (%d reads)", a.reads)
	}

	// The listening connection is cut: once it is back, the names are
	// read again.
	ha = a.changes.Heard()
	if _, err := other.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`); err != nil {
		t.Fatal(err)
	}
	heard(ha)
	get(a, 1)
	if a.reads != 4 {
		t.Fatalf("after the connection came back the names were read %d times in all, want 4", a.reads)
	}
}
