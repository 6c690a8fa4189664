package dbtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
	"missiongrants/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Rows written in one test's database are not in another's.
func TestIsolation(t *testing.T) {
	t.Parallel()
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			db := dbtest.New(t)
			ctx := context.Background()
			if _, err := db.ExecContext(ctx, `CREATE TABLE probe (v int)`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO probe VALUES ($1)`, i); err != nil {
				t.Fatal(err)
			}
			var vs []int
			if err := db.SelectContext(ctx, &vs, `SELECT v FROM probe`); err != nil {
				t.Fatal(err)
			}
			if len(vs) != 1 || vs[0] != i {
				t.Fatalf("probe = %v, want [%d]", vs, i)
			}
		})
	}
}

// Each database is migrated: it is at the schema's latest version.
func TestMigrated(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	v, err := migrations.Version(context.Background(), db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if v < 2 {
		t.Fatalf("schema version %d, want at least 2 (River's tables)", v)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM river_job`); err != nil {
		t.Fatalf("River's tables missing: %v", err)
	}
}

// NewURL's database is dropped at cleanup.
func TestDropped(t *testing.T) {
	if os.Getenv("KEEPDB") == "1" {
		t.Skip("KEEPDB=1 keeps databases")
	}
	t.Parallel()
	var u string
	t.Run("make", func(t *testing.T) { u = dbtest.NewURL(t) })
	db, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("ping after cleanup: %v, want a missing database", err)
	}
}

// A test can stop and start its own cluster; the data survives.
func TestNewClusterRestart(t *testing.T) {
	t.Parallel()
	c := dbtest.NewCluster(t)
	u := dbtest.NewURLIn(t, c)
	db, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE probe (v int); INSERT INTO probe VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err == nil {
		t.Fatal("ping succeeded with the cluster stopped")
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var v int
	if err := db.QueryRow(`SELECT v FROM probe`).Scan(&v); err != nil || v != 7 {
		t.Fatalf("after restart: %d, %v", v, err)
	}
}

// Test processes sharing one server (TEST_DATABASE_URL) build the template
// once between them and reuse it.
func TestTemplateSharedAcrossProcesses(t *testing.T) {
	if os.Getenv("DBTEST_CHILD") == "1" {
		t.Skip("in a child process")
	}
	t.Parallel()
	c := dbtest.NewCluster(t)
	admin := c.URL("postgres")
	var wg sync.WaitGroup
	errs := make([]error, 3)
	outs := make([][]byte, 3)
	for i := range errs {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestChildNew$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "DBTEST_CHILD=1", "TEST_DATABASE_URL="+admin, "KEEPDB=")
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	built := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i])
		}
		built += strings.Count(string(outs[i]), "built the template database")
	}
	if built != 1 {
		t.Errorf("template built %d times by 3 processes, want once", built)
	}
	db, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	rows, err := db.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'mg%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	if want := "mgtpl_" + migrations.Fingerprint(); len(names) != 1 || names[0] != want {
		t.Fatalf("databases left: %v, want only %s", names, want)
	}
}

// TestChildNew runs in the child processes of the test above.
func TestChildNew(t *testing.T) {
	if os.Getenv("DBTEST_CHILD") != "1" {
		t.Skip("run by TestTemplateSharedAcrossProcesses")
	}
	db := dbtest.New(t)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
}
