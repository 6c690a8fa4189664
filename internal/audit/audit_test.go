package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestRecordLandsWithItsTransaction(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	ev := audit.Event{ActorLabel: "ana@example.org", IP: "203.0.113.9", Action: "test.kept", ObjectType: "application", ObjectID: "7",
		Details: map[string]any{"from": "draft", "to": "submitted"}}
	if err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error { return audit.Record(ctx, tx, ev) }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
		if err := audit.Record(ctx, tx, audit.Event{Action: "test.rolled_back"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	entries, err := audit.Recent(ctx, pool, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "test.kept" || entries[0].IP != "203.0.113.9" || string(entries[0].Details) != `{"to": "submitted", "from": "draft"}` {
		t.Fatalf("entries: %+v", entries)
	}
}

// The database itself refuses to change or remove an audit entry.
func TestAuditIsAppendOnly(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := audit.Record(ctx, pool, audit.Event{Action: "test.entry"}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE audit SET action = 'test.forged'`,
		`DELETE FROM audit`,
		`TRUNCATE audit`,
	} {
		if _, err := pool.Exec(stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
	entries, err := audit.Recent(ctx, pool, 10)
	if err != nil || len(entries) != 1 || entries[0].Action != "test.entry" {
		t.Fatalf("entries after tampering attempts: %+v, %v", entries, err)
	}
}
