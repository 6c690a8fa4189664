package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
)

// Entries written at once from several connections, some in transactions
// that roll back, form one intact chain; an entry then edited directly in the
// database (the append-only trigger lifted by a superuser) is named.
func TestChainConcurrentWritesThenTampering(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	const writers, each = 8, 30
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	rollback := errors.New("rolled back on purpose")
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
					for j := range 2 {
						if err := audit.Record(ctx, tx, audit.Event{ActorLabel: fmt.Sprintf("writer-%d", w), Action: "test.concurrent",
							ObjectType: "application", ObjectID: fmt.Sprint(i), Details: map[string]any{"n": i, "j": j}}); err != nil {
							return err
						}
					}
					if i%7 == 3 {
						return rollback
					}
					return nil
				})
				if err != nil && !errors.Is(err, rollback) {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var count int64
	if err := pool.QueryRow(`SELECT count(*) FROM audit`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if want := int64(writers * (each - (each+3)/7) * 2); count != want {
		t.Fatalf("%d entries, want %d", count, want)
	}
	if broken, err := audit.Verify(ctx, pool); err != nil || broken != 0 {
		t.Fatalf("Verify on an intact chain: %d, %v", broken, err)
	}

	// An entry in the middle that exists: ids of rolled-back entries are gaps.
	var victim int64
	if err := pool.QueryRow(`SELECT id FROM audit ORDER BY id OFFSET $1 LIMIT 1`, count/2).Scan(&victim); err != nil {
		t.Fatal(err)
	}
	superuser(t, pool, `UPDATE audit SET details = '{"n": 999}' WHERE id = $1`, victim)
	if broken, err := audit.Verify(ctx, pool); err != nil || broken != victim {
		t.Fatalf("Verify after editing entry %d: %d, %v", victim, broken, err)
	}
}

// An entry edited with its own hash recomputed, or removed, breaks the link
// of the entry after it, which Verify names.
func TestChainFindsRecomputedAndRemovedEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, tamper string
	}{
		{"edited with its hash recomputed", `UPDATE audit a SET details = '{"forged": true}', hash = audit_entry_hash(a.prev_hash,
			ROW(a.id, a.at, a.actor_id, a.actor_label, a.ip, a.request_id, a.action, a.object_type, a.object_id, '{"forged": true}'::jsonb, a.prev_hash, a.hash)::audit)
			WHERE id = $1`},
		{"removed", `DELETE FROM audit WHERE id = $1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := dbtest.New(t)
			var ids []int64
			for i := range 5 {
				if err := audit.Record(ctx, pool, audit.Event{Action: "test.entry", Details: map[string]any{"i": i}}); err != nil {
					t.Fatal(err)
				}
			}
			if err := pool.Select(&ids, `SELECT id FROM audit ORDER BY id`); err != nil {
				t.Fatal(err)
			}
			superuser(t, pool, tc.tamper, ids[2])
			if broken, err := audit.Verify(ctx, pool); err != nil || broken != ids[3] {
				t.Fatalf("Verify: %d, %v; want the entry after the tampered one, %d", broken, err, ids[3])
			}
		})
	}
}

// An entry written in a REPEATABLE READ transaction could miss one committed
// meanwhile and fork the chain: the database refuses it.
func TestChainRefusesRepeatableRead(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	tx, err := pool.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := audit.Record(ctx, tx, audit.Event{Action: "test.entry"}); err == nil {
		t.Fatal("an entry was written in a REPEATABLE READ transaction")
	}
}

// superuser runs stmt with the append-only rule lifted, as only a superuser
// (dbtest's role) can.
func superuser(t *testing.T, pool *sqlx.DB, stmt string, args ...any) {
	t.Helper()
	for _, s := range []string{`ALTER TABLE audit DISABLE TRIGGER audit_append_only`, stmt, `ALTER TABLE audit ENABLE TRIGGER audit_append_only`} {
		a := args
		if s != stmt {
			a = nil
		}
		if _, err := pool.Exec(s, a...); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
