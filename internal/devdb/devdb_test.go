package devdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"missiongrants/internal/devdb"
	"missiongrants/internal/testenv"
)

func ping(t *testing.T, url string) error {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

func TestThrowawayStopStartRemove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Now()
	c, err := devdb.StartThrowaway(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("throwaway cluster up in %v at %s", time.Since(start), c.Dir())
	t.Cleanup(func() { c.Remove() })

	if n := len(c.SocketDir()) + len("/.s.PGSQL.5432"); n >= 100 {
		t.Errorf("socket path is %d bytes", n)
	}
	url := c.URL("postgres")
	if err := ping(t, url); err != nil {
		t.Fatalf("ping %s: %v", url, err)
	}
	if err := devdb.EnsureDatabase(ctx, url, "app"); err != nil {
		t.Fatal(err)
	}
	if err := devdb.EnsureDatabase(ctx, url, "app"); err != nil {
		t.Fatalf("second EnsureDatabase: %v", err)
	}
	if err := ping(t, c.URL("app")); err != nil {
		t.Fatal(err)
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if c.Running() {
		t.Fatal("running after Stop")
	}
	if err := ping(t, url); err == nil {
		t.Fatal("ping succeeded while stopped")
	}
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ping(t, c.URL("app")); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ping(t, url); err != nil {
		t.Fatalf("after Restart: %v", err)
	}

	dir := c.Dir()
	if err := c.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still there after Remove: %v", dir, err)
	}
}

// A persistent cluster keeps its data across stops and across a second
// Start of the same folder, including one that finds it still running.
func TestPersistentReuse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := uniqueDir(t, "persist")
	opts := devdb.Options{Dir: dir, Durable: true}
	c, err := devdb.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Remove() })
	exec := func(url, q string) {
		t.Helper()
		db, err := sql.Open("postgres", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := devdb.EnsureDatabase(ctx, c.URL("postgres"), "missiongrants"); err != nil {
		t.Fatal(err)
	}
	exec(c.URL("missiongrants"), `CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)`)

	// Still running: a second Start (a new `serve` after a crash) reuses it.
	c2, err := devdb.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if c2.URL("x") != c.URL("x") {
		t.Fatalf("URL changed: %s vs %s", c2.URL("x"), c.URL("x"))
	}
	if err := c2.Stop(); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	c3, err := devdb.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second start of an initialised cluster: %v", time.Since(start))
	db, err := sql.Open("postgres", c3.URL("missiongrants"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != 42 {
		t.Fatalf("kept row: %d, %v", v, err)
	}
}

// A deep folder gets its socket somewhere short.
func TestLongDirSocket(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := uniqueDir(t, "long-"+strings.Repeat("x", 80))
	c, err := devdb.Start(ctx, devdb.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Remove() })
	if strings.HasPrefix(c.SocketDir(), dir) {
		t.Fatalf("socket dir %s is inside the long folder", c.SocketDir())
	}
	if err := ping(t, c.URL("postgres")); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultDir(t *testing.T) {
	got := devdb.DefaultDir("data")
	abs, _ := filepath.Abs("data")
	if os.Geteuid() == 0 {
		if !strings.HasPrefix(got, "/var/tmp/missiongrants-") || len(filepath.Base(got)) != len("missiongrants-")+12 {
			t.Fatalf("DefaultDir as root = %s", got)
		}
		if devdb.DefaultDir(abs) != got {
			t.Fatal("relative and absolute data folders differ")
		}
	} else if got != filepath.Join(abs, "postgres") {
		t.Fatalf("DefaultDir = %s", got)
	}
}

func TestFindBinaries(t *testing.T) {
	c, err := devdb.FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	if c.Major() == "" {
		t.Fatalf("no major version in %q", c.Version)
	}
}

// A cluster whose test process died (no Remove) is stopped and removed by
// the next StartThrowaway.
func TestStaleClusterReaped(t *testing.T) {
	if os.Getenv("DEVDB_LEAK") == "1" {
		c, err := devdb.StartThrowaway(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("LEAKED " + c.Dir() + "\n")
		os.Exit(0) // dies without Remove, as a killed test binary would
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStaleClusterReaped$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DEVDB_LEAK=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	_, rest, ok := strings.Cut(string(out), "LEAKED ")
	if !ok {
		t.Fatalf("child output: %s", out)
	}
	dir := strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0])
	pidFile := filepath.Join(dir, "data", "postmaster.pid")
	if _, err := os.Stat(pidFile); err != nil {
		t.Fatalf("leaked cluster not running: %v", err)
	}
	pid, _, _ := strings.Cut(readFirstLine(t, pidFile), "\n")

	c, err := devdb.StartThrowaway(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Remove()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("stale cluster %s still there: %v", dir, err)
	}
	// pg_ctl returns once postmaster.pid is gone, a moment before the
	// process itself exits.
	testenv.Eventually(t, 10*time.Second, "stale postmaster "+pid+" stops", func() bool {
		_, err := os.Stat("/proc/" + pid)
		return os.IsNotExist(err)
	})
}

func readFirstLine(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// uniqueDir is a cluster folder no other test process uses. The reaper skips
// it (no owner.lock) while it is young; the test removes it.
func uniqueDir(t *testing.T, prefix string) string {
	dir := filepath.Join(devdb.ThrowawayRoot(), fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), time.Now().UnixNano()))
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// As root, a folder the postgres user cannot reach is reported up front.
func TestUnreachableDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the server as another user")
	}
	t.Parallel()
	parent := t.TempDir() // mode 0700, owned by root
	_, err := devdb.Start(context.Background(), devdb.Options{Dir: filepath.Join(parent, "pg")})
	if err == nil || !strings.Contains(err.Error(), "not reachable by the postgres user") {
		t.Fatalf("err = %v", err)
	}
}

// A cluster whose postmaster was killed (a crash, an OOM kill) starts again
// over its stale postmaster.pid, after crash recovery.
func TestStartAfterCrash(t *testing.T) {
	testenv.Full(t, "a cluster killed and recovered (slow)")
	t.Parallel()
	ctx := context.Background()
	opts := devdb.Options{Dir: uniqueDir(t, "crash")}
	c, err := devdb.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Remove() })
	pidLine := strings.SplitN(readFirstLine(t, filepath.Join(c.DataDir(), "postmaster.pid")), "\n", 2)[0]
	pid, err := strconv.Atoi(pidLine)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c2, err := devdb.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start after crash: %v", err)
	}
	if err := ping(t, c2.URL("postgres")); err != nil {
		t.Fatal(err)
	}
}

func TestClusterRunClientProgram(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := devdb.StartThrowaway(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Remove() })
	out, err := c.Run(ctx, "psql", "-X", "-A", "-t", "-d", c.URL("postgres"), "-c", "SELECT 40 + 2")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(out)) != "42" {
		t.Errorf("psql printed %q, want 42", out)
	}
	if _, err := c.Run(ctx, "psql", "-X", "-d", c.URL("postgres"), "-c", "SELECT nonsense"); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("a failing psql: err = %v, want the server's message", err)
	}
	if _, err := c.Run(ctx, "../psql"); err == nil {
		t.Error("Run accepted a path")
	}
}

// Seeded clusters start as copies of one cluster their seed prepared: once
// per key, and again when the key changes (new migrations), which replaces
// the snapshot of the key before.
func TestSeededClustersArePreparedOncePerKey(t *testing.T) {
	testenv.Full(t, "three snapshots made one after the other (seconds); dbtest uses one in every test process")
	t.Parallel()
	ctx := context.Background()
	prepared := 0
	seed := func(key string) devdb.Seed {
		return devdb.Seed{Name: "devdbtest", Key: key, Prepare: func(ctx context.Context, c *devdb.Cluster) error {
			prepared++
			return devdb.EnsureDatabase(ctx, c.URL("postgres"), "seeded")
		}}
	}
	start := func(key string) {
		t.Helper()
		c, err := devdb.StartSeeded(ctx, nil, seed(key))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Remove()
		if err := ping(t, c.URL("seeded")); err != nil {
			t.Fatalf("a cluster seeded with key %s has no seeded database: %v", key, err)
		}
	}
	first, second := fmt.Sprint("a", time.Now().UnixNano()), fmt.Sprint("b", time.Now().UnixNano())
	start(first)
	start(first)
	if prepared != 1 {
		t.Errorf("two clusters of one key prepared %d times, want once", prepared)
	}
	start(second)
	if prepared != 2 {
		t.Errorf("a new key prepared %d times in all, want twice", prepared)
	}
	start(first)
	if prepared != 3 {
		t.Errorf("the first key again prepared %d times in all, want 3: its snapshot should have been replaced", prepared)
	}
}

// Processes running at once share one cluster: the first to join starts
// it and the others find it. The last to leave is told so, and the cluster
// is removed when it is still unused after a grace period (by a process
// that outlives the last member). A process that dies without leaving is
// no longer counted: the next process to start a throwaway cluster removes
// one that no one uses.
func TestSharedClusterRemovedWhenNoOneUsesIt(t *testing.T) {
	seed := devdb.Seed{Name: "sharedtest", Key: os.Getenv("DEVDB_SHARED_KEY")}
	if seed.Key != "" { // the child below: joins, then dies without leaving
		c, _, err := devdb.JoinShared(context.Background(), seed)
		if err == nil {
			err = devdb.EnsureDatabase(context.Background(), c.URL("postgres"), "made_by_child")
		}
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("JOINED " + c.Dir() + "\n")
		os.Exit(0)
	}
	t.Parallel()
	ctx := context.Background()
	seed.Key = fmt.Sprint(os.Getpid(), time.Now().UnixNano())
	join := func() (*devdb.Cluster, func() bool) {
		t.Helper()
		c, leave, err := devdb.JoinShared(ctx, seed)
		if err != nil {
			t.Fatal(err)
		}
		return c, leave
	}
	removeUnused := func(c *devdb.Cluster) {
		t.Helper()
		if err := devdb.RemoveSharedWhenUnused(c.Dir(), 0); err != nil {
			t.Fatal(err)
		}
	}
	a, leaveA := join()
	b, leaveB := join()
	if a.Dir() != b.Dir() {
		t.Fatalf("two members have clusters %s and %s, want one", a.Dir(), b.Dir())
	}
	if err := devdb.EnsureDatabase(ctx, a.URL("postgres"), "made_by_a"); err != nil {
		t.Fatal(err)
	}
	if leaveA() {
		t.Fatal("the first member to leave was told it was the last")
	}
	if err := ping(t, b.URL("made_by_a")); err != nil {
		t.Fatalf("after the first member left, the other lost the cluster: %v", err)
	}
	if !leaveB() {
		t.Fatal("the last member to leave was not told so")
	}
	c, leaveC := join() // within the grace period
	removeUnused(c)
	if err := ping(t, c.URL("made_by_a")); err != nil {
		t.Fatalf("a member joining within the grace period did not find the cluster, or lost it: %v", err)
	}
	if !leaveC() {
		t.Fatal("the last member to leave was not told so")
	}
	removeUnused(c)
	if left, _ := filepath.Glob(c.Dir() + "*"); len(left) > 0 {
		t.Fatalf("the cluster was unused after the grace period and %v is still there", left)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestSharedClusterRemovedWhenNoOneUsesIt$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DEVDB_SHARED_KEY="+seed.Key)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "JOINED "+c.Dir()) {
		t.Fatalf("the child did not join %s: %s", c.Dir(), out)
	}
	d, leaveD := join()
	if err := ping(t, d.URL("made_by_child")); err != nil {
		t.Errorf("the cluster of a member that died was not found by the next: %v", err)
	}
	pid, _, _ := strings.Cut(readFirstLine(t, filepath.Join(d.Dir(), "data", "postmaster.pid")), "\n")
	leaveD()
	// No one to remove it (the last member died, say) and no one has
	// joined or left for a while: the next throwaway cluster's start
	// removes it. The members' lock file, beside it, says when.
	long := time.Now().Add(-time.Hour)
	if err := os.Chtimes(d.Dir()+".members", long, long); err != nil {
		t.Fatal(err)
	}
	other, err := devdb.StartThrowaway(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Remove()
	testenv.Eventually(t, 10*time.Second, "the abandoned postmaster "+pid+" stops", func() bool {
		_, err := os.Stat("/proc/" + pid)
		return os.IsNotExist(err)
	})
	if left, _ := filepath.Glob(d.Dir() + "*"); len(left) > 0 {
		t.Fatalf("an abandoned shared cluster was reaped and %v is still there", left)
	}
}
