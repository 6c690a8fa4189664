package migrations_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	_ "github.com/lib/pq"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/devdb"
	"missiongrants/internal/testenv"
	"missiongrants/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Processes that start together on an empty database migrate it once.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	testenv.Full(t, "concurrent processes (slow)")
	t.Parallel()
	cluster := dbtest.NewCluster(t)
	ctx := context.Background()
	if err := devdb.EnsureDatabase(ctx, cluster.URL("postgres"), "empty"); err != nil {
		t.Fatal(err)
	}
	const processes = 4
	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for range processes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool, err := sql.Open("postgres", cluster.URL("empty"))
			if err != nil {
				errs <- err
				return
			}
			defer pool.Close()
			errs <- migrations.Up(ctx, pool)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent start failed: %v", err)
		}
	}

	pool, err := sql.Open("postgres", cluster.URL("empty"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var applied, distinct int
	if err := pool.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied != distinct || applied == 0 {
		t.Fatalf("%d migrations recorded for %d versions: some ran twice", applied, distinct)
	}
	v, err := migrations.Version(ctx, pool)
	if err != nil || v < 2 {
		t.Fatalf("version %d, %v", v, err)
	}
	// Running again is a no-op.
	if err := migrations.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
}
