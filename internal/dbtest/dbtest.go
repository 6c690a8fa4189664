// Package dbtest gives each test a fresh PostgreSQL database, cloned from a
// template migrated once, and drops it at cleanup (KEEPDB=1 keeps it).
//
// The server is TEST_DATABASE_URL when set (a postgres:// URL of a role that
// may CREATE DATABASE); otherwise a throwaway cluster that the test processes
// running at the same time share (devdb.JoinShared): the first to need it
// starts it, and the last whose testenv.Main ends removes it.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/db"
	"missiongrants/internal/devdb"
	"missiongrants/internal/testenv"
	"missiongrants/migrations"
)

// server is a PostgreSQL server this process creates test databases on.
type server struct {
	admin   *sql.DB
	base    *url.URL // admin URL; a database's URL swaps the path
	tplName string
}

var (
	srvMu  sync.Mutex
	srv    *server
	srvErr error
)

// New returns a connection pool to a fresh, migrated database of its own,
// closed and dropped at cleanup. Safe for parallel tests.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	return Open(t, NewURL(t))
}

// Open is the portal's own pool (its limits and prepared statements) on
// database url, closed at cleanup.
func Open(t testing.TB, url string) *sqlx.DB {
	t.Helper()
	pool, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { pool.Close() }) // runs before NewURL's drop
	return pool
}

// NewURL creates a fresh, migrated database and returns its lib/pq URL, for
// tests that hand it to something else (the real binary, two routers). It is
// dropped at cleanup unless KEEPDB=1, which logs the URL instead.
func NewURL(t testing.TB) string {
	t.Helper()
	s, err := shared()
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "mgtest_" + randomHex(8)
	// FILE_COPY copies the template's files instead of writing every page
	// to the WAL (PostgreSQL 15's default): its checkpoints cost little on
	// a cluster without fsync, and the web tests used 2-3 CPU-seconds less.
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)+" TEMPLATE "+pq.QuoteIdentifier(s.tplName)+" STRATEGY FILE_COPY"); err != nil {
		t.Fatalf("dbtest: create database from template %s: %v", s.tplName, err)
	}
	u := s.url(name)
	if os.Getenv("KEEPDB") == "1" {
		t.Logf("dbtest: KEEPDB=1: kept database %s", u)
		return u
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE ends sessions the test left open (a pool not closed, a job
		// worker still polling).
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	return u
}

// NewCluster starts a private throwaway cluster for a test that stops and
// restarts the database itself; it is removed at cleanup. NewURLIn gives it a
// migrated database.
func NewCluster(t testing.TB) *devdb.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	done := testenv.Starting()
	defer done()
	c, err := devdb.StartThrowaway(ctx, nil)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Remove(); err != nil {
			t.Errorf("dbtest: remove cluster: %v", err)
		}
	})
	// An interrupt ends the process before test cleanups run.
	testenv.AtExit(func() { c.Remove() })
	return c
}

// NewURLIn creates a fresh database in cluster c, migrates it, and returns
// its URL. The database goes with the cluster.
func NewURLIn(t testing.TB, c *devdb.Cluster) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	name := "mgtest_" + randomHex(8)
	if err := devdb.EnsureDatabase(ctx, c.URL("postgres"), name); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	u := c.URL(name)
	if err := migrate(ctx, u); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return u
}

// shared returns this process's server, starting it and building the
// template on first use. A failure is kept, so every later test fails fast
// with the same message.
func shared() (*server, error) {
	srvMu.Lock()
	defer srvMu.Unlock()
	if srv != nil || srvErr != nil {
		return srv, srvErr
	}
	srv, srvErr = startServer()
	return srv, srvErr
}

func startServer() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	adminURL := os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		done := testenv.Starting()
		defer done()
		// The cluster is shared with the test processes running beside
		// this one, and a copy of one whose template was built once for
		// these migrations (by the first test process to need it), so
		// ensureTemplate below finds it there. KEEPDB=1 keeps a cluster
		// of this process's own.
		seed := devdb.Seed{Name: "dbtest", Key: migrations.Fingerprint(),
			Prepare: func(ctx context.Context, c *devdb.Cluster) error {
				s, err := newServer(c.URL("postgres"))
				if err != nil {
					return err
				}
				defer s.admin.Close()
				return s.ensureTemplate(ctx)
			}}
		var c *devdb.Cluster
		var err error
		if os.Getenv("KEEPDB") == "1" {
			if c, err = devdb.StartSeeded(ctx, nil, seed); err == nil {
				testenv.AtExit(c.Keep)
			}
		} else {
			var leave func() bool
			if c, leave, err = devdb.JoinShared(ctx, seed); err == nil {
				testenv.AtExit(func() {
					if leave() {
						removeWhenUnused(c.Dir())
					}
				})
			}
		}
		if err != nil {
			return nil, err
		}
		adminURL = c.URL("postgres")
	} else if !strings.HasPrefix(adminURL, "postgres://") && !strings.HasPrefix(adminURL, "postgresql://") {
		return nil, fmt.Errorf("TEST_DATABASE_URL must be a postgres:// URL")
	}
	s, err := newServer(adminURL)
	if err != nil {
		return nil, err
	}
	if err := s.ensureTemplate(ctx); err != nil {
		s.admin.Close()
		return nil, err
	}
	return s, nil
}

// removeSharedEnv names the shared cluster that a test binary started
// again by removeWhenUnused is to remove.
const removeSharedEnv = "DBTEST_REMOVE_SHARED"

// sharedGrace is how long the shared cluster outlives its last member: go
// test is linking the next test binary meanwhile, and on two cores the
// cluster was otherwise started 18 times in a run of 25 binaries.
const sharedGrace = 10 * time.Second

func init() {
	if dir := os.Getenv(removeSharedEnv); dir != "" {
		if err := devdb.RemoveSharedWhenUnused(dir, sharedGrace); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// removeWhenUnused starts this test binary again, in a session of its own
// and without go test's output, to remove the shared cluster once it has
// had no member for sharedGrace; where it cannot, the cluster goes now.
func removeWhenUnused(dir string) {
	exe, err := os.Executable()
	if err == nil {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), removeSharedEnv+"="+dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err = cmd.Start(); err == nil {
			_ = cmd.Process.Release()
			return
		}
	}
	_ = devdb.RemoveSharedWhenUnused(dir, 0)
}

func newServer(adminURL string) (*server, error) {
	base, err := url.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("dbtest: the server's URL: %w", err)
	}
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return nil, err
	}
	return &server{admin: admin, base: base, tplName: "mgtpl_" + migrations.Fingerprint()}, nil
}

func (s *server) url(dbname string) string {
	u := *s.base
	u.Path = "/" + dbname
	u.RawPath = ""
	return u.String()
}

// templateLockKey is the advisory lock that lets test processes sharing one
// server build the template once.
var templateLockKey = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("missiongrants/internal/dbtest template"))
	return int64(h.Sum64())
}()

// ensureTemplate builds the migrated template database unless it exists. It
// is built under another name and renamed when complete, so a process killed
// half-way never leaves a broken template behind.
func (s *server) ensureTemplate(ctx context.Context) error {
	conn, err := s.admin.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to the test server: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", templateLockKey)

	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", s.tplName).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	start := time.Now()
	build := pq.QuoteIdentifier(s.tplName + "_build")
	for _, q := range []string{
		"DROP DATABASE IF EXISTS " + build + " WITH (FORCE)",
		"CREATE DATABASE " + build,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := migrate(ctx, s.url(s.tplName+"_build")); err != nil {
		return err
	}
	tpl := pq.QuoteIdentifier(s.tplName)
	for _, q := range []string{
		"ALTER DATABASE " + build + " RENAME TO " + tpl,
		// Nobody may connect to it: CREATE DATABASE ... TEMPLATE fails while
		// anyone is connected to the template.
		"ALTER DATABASE " + tpl + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	slog.Info("dbtest: built the template database", "name", s.tplName, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

func migrate(ctx context.Context, u string) error {
	db, err := sql.Open("postgres", u)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
