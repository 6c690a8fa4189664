package devdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// scratchDir is where throwaway clusters and the initdb template live: a
// folder every user can reach (unlike anything under /root) that survives
// reboots less often than it matters.
func scratchDir() string {
	if st, err := os.Stat("/var/tmp"); err == nil && st.IsDir() {
		return "/var/tmp"
	}
	return os.TempDir()
}

// ThrowawayRoot is the folder holding this user's throwaway clusters: in
// memory (/dev/shm) when there is room, because creating the cluster's
// thousand files on a virtual machine's disk takes most of a second, in
// memory a tenth of that.
func ThrowawayRoot() string {
	base := scratchDir()
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err == nil && st.Type == tmpfsMagic &&
		uint64(st.Bavail)*uint64(st.Bsize) >= 1<<30 && syscall.Access("/dev/shm", 0o2|0o1) == nil {
		base = "/dev/shm"
	}
	return filepath.Join(base, fmt.Sprintf("missiongrants-test-%d", os.Geteuid()))
}

const tmpfsMagic = 0x01021994

// StartThrowaway starts a new non-durable cluster in a fresh folder under
// ThrowawayRoot, copied from a cached initdb template (so it is up in well
// under a second), and first removes clusters left by test processes that
// died. Remove it when done.
func StartThrowaway(ctx context.Context, log io.Writer) (*Cluster, error) {
	return StartSeeded(ctx, log, Seed{})
}

// Seed is what a throwaway cluster holds when it starts, beyond what initdb
// makes: Prepare runs once, on a cluster whose data folder is then kept as a
// snapshot under Key, and every later cluster started with the same Key is a
// copy of it. dbtest migrates its template database this way once per
// migration set, not in every test process (half a second of CPU each).
type Seed struct {
	Name    string // the seed, in its snapshot's folder name (letters only): one snapshot is kept per Name
	Key     string // the version of what Prepare makes (the migrations' fingerprint): another Key, another snapshot
	Prepare func(ctx context.Context, c *Cluster) error
}

// StartSeeded is StartThrowaway with the data seed prepares; the zero Seed
// is initdb's.
func StartSeeded(ctx context.Context, log io.Writer, seed Seed) (*Cluster, error) {
	t, err := newThrowaways(ctx, seed)
	if err != nil {
		return nil, err
	}
	// A short name keeps the socket path inside the cluster folder.
	dir := filepath.Join(t.root, fmt.Sprintf("%d-%s", os.Getpid(), randomHex(3)))
	return t.start(ctx, Options{Dir: dir, Log: log}, ownedBy)
}

// throwaways is where throwaway clusters of one seed are made: the server
// programs, the account they run as, the folder holding the clusters and the
// snapshot each cluster starts as a copy of.
type throwaways struct {
	bin  Binaries
	as   runAs
	root string
	snap snapshot
}

// newThrowaways finds the server and first removes the clusters left by
// test processes that died.
func newThrowaways(ctx context.Context, seed Seed) (throwaways, error) {
	bin, err := FindBinaries()
	if err != nil {
		return throwaways{}, err
	}
	as, err := currentRunAs()
	if err != nil {
		return throwaways{}, err
	}
	root := ThrowawayRoot()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return throwaways{}, err
	}
	reapStale(ctx, bin, as, root)
	snap := initdbSnapshot(bin, as)
	if seed.Prepare != nil {
		snap = seededSnapshot(bin, as, seed)
	}
	return throwaways{bin: bin, as: as, root: root, snap: snap}, nil
}

// start starts a cluster in opts.Dir, a new folder that claim (if any)
// marks as taken, as a copy of the snapshot. A snapshot damaged since it was made (a
// tmp cleaner, a full disk) is made again once before giving up.
func (t throwaways) start(ctx context.Context, opts Options, claim func(c *Cluster) error) (*Cluster, error) {
	c, err := t.startCopy(ctx, opts, claim)
	if err != nil {
		if ierr := t.snap.invalidate(ctx); ierr != nil {
			return nil, err
		}
		slog.Warn("devdb: throwaway cluster failed to start; making its snapshot again", "dir", t.snap.dir, "error", err)
		c, err = t.startCopy(ctx, opts, claim)
	}
	return c, err
}

func (t throwaways) startCopy(ctx context.Context, opts Options, claim func(c *Cluster) error) (*Cluster, error) {
	c, err := newCluster(t.bin, opts)
	if err != nil {
		return nil, err
	}
	if err := t.as.mkdirOwned(c.dir); err != nil {
		return nil, err
	}
	if claim != nil {
		if err := claim(c); err != nil {
			os.RemoveAll(c.dir)
			return nil, err
		}
	}
	if err := t.snap.copyTo(ctx, c.DataDir()); err != nil {
		c.Remove()
		return nil, err
	}
	if err := c.writeConf(); err != nil {
		c.Remove()
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		c.Remove()
		return nil, err
	}
	return c, nil
}

// ownedBy marks c as this process's: the owner lock is held for the
// cluster's life, and a cluster whose lock is free belongs to a dead
// process and is fair game for reapStale. It is locked under another name
// first, then renamed: a reaper never sees an owner.lock not yet locked.
func ownedBy(c *Cluster) error {
	owner, err := lockFile(context.Background(), filepath.Join(c.dir, "owner.lock.new"))
	if err == nil {
		err = os.Rename(filepath.Join(c.dir, "owner.lock.new"), filepath.Join(c.dir, "owner.lock"))
	}
	if err != nil {
		owner.Unlock()
		return err
	}
	c.ownerLock = owner
	_ = os.WriteFile(filepath.Join(c.dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	return nil
}

// snapshot is a cluster's data folder kept in dir/data, made once by make
// (which fills the folder it is given) and copied into each new cluster.
type snapshot struct {
	dir  string
	as   runAs
	make func(ctx context.Context, tmp string) error
}

// initdbSnapshot is a freshly initialised data folder, one per server
// version and user.
func initdbSnapshot(bin Binaries, as runAs) snapshot {
	dir := filepath.Join(scratchDir(), fmt.Sprintf("missiongrants-initdb-%s-%d", bin.Version, os.Geteuid()))
	return snapshot{dir: dir, as: as, make: func(ctx context.Context, tmp string) error {
		return initdb(ctx, bin, as, tmp, filepath.Join(tmp, "data"), true, io.Discard)
	}}
}

// seededSnapshot is the initdb snapshot after seed.Prepare, made on a
// cluster of its own that is then stopped cleanly (a checkpoint, no
// server files left behind). It replaces the snapshots of the seed's other
// keys: one is kept per seed, user and server version.
func seededSnapshot(bin Binaries, as runAs, seed Seed) snapshot {
	base := initdbSnapshot(bin, as)
	family := base.dir + "-" + seed.Name + "-"
	return snapshot{dir: family + shortHash(seed.Key), as: as, make: func(ctx context.Context, tmp string) error {
		if err := base.copyTo(ctx, filepath.Join(tmp, "data")); err != nil {
			return err
		}
		c, err := newCluster(bin, Options{Dir: tmp})
		if err != nil {
			return err
		}
		if err := c.writeConf(); err != nil {
			return err
		}
		if err := c.Start(ctx); err != nil {
			return err
		}
		err = seed.Prepare(ctx, c)
		if serr := c.Stop(); err == nil {
			err = serr
		}
		os.RemoveAll(c.sockDir)
		if err != nil {
			return fmt.Errorf("devdb: seeding a snapshot: %w", err)
		}
		removeOtherSnapshots(family, tmp)
		return nil
	}}
}

// removeOtherSnapshots removes the snapshots whose folder starts with
// family, other than the one being made in tmp, unless a process is
// copying one right now.
func removeOtherSnapshots(family, tmp string) {
	names, _ := filepath.Glob(family + "*.lock")
	for _, lockPath := range names {
		dir := strings.TrimSuffix(lockPath, ".lock")
		if strings.HasPrefix(tmp, dir+".tmp-") {
			continue
		}
		lock, free, err := tryLockFile(lockPath)
		if err != nil || !free {
			continue
		}
		os.RemoveAll(dir)
		os.Remove(lockPath)
		lock.Unlock()
	}
}

// copyTo copies the snapshot's data folder into dst, making the snapshot
// first if needed. It is made under an exclusive file lock, so that test
// processes started together make it once, and copied under a shared one,
// so that it is never remade while being copied.
func (s snapshot) copyTo(ctx context.Context, dst string) error {
	for {
		lock, err := lockFileMode(ctx, s.dir+".lock", syscall.LOCK_SH)
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(s.dir, "ready")); err == nil {
			// cp -a keeps the postgres user's ownership when we are root.
			err := runQuiet(exec.CommandContext(ctx, "cp", "-a", filepath.Join(s.dir, "data"), dst))
			lock.Unlock()
			if err != nil {
				return fmt.Errorf("devdb: copy the snapshot %s: %w", s.dir, err)
			}
			return nil
		}
		lock.Unlock()
		if err := s.makeOnce(ctx); err != nil {
			return err
		}
	}
}

func (s snapshot) makeOnce(ctx context.Context) error {
	lock, err := lockFile(ctx, s.dir+".lock")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	if _, err := os.Stat(filepath.Join(s.dir, "ready")); err == nil {
		return nil // another process made it while we waited
	}
	start := time.Now()
	if err := os.RemoveAll(s.dir); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp-%d", s.dir, os.Getpid())
	os.RemoveAll(tmp)
	if err := s.as.mkdirOwned(tmp); err != nil {
		return err
	}
	if err := s.make(ctx, tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "ready"), nil, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.dir); err != nil {
		return err
	}
	slog.Debug("devdb: made a snapshot", "dir", s.dir, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

func (s snapshot) invalidate(ctx context.Context) error {
	lock, err := lockFile(ctx, s.dir+".lock")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	return os.Remove(filepath.Join(s.dir, "ready"))
}

// reapStale stops and removes throwaway clusters whose owning process died
// (killed by a test timeout, say), and shared clusters no one uses any
// more. A live owner holds owner.lock; a shared cluster's members hold
// the lock beside it (JoinShared).
func reapStale(ctx context.Context, bin Binaries, as runAs, root string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if st, err := os.Stat(filepath.Join(dir, "keep")); err == nil && time.Since(st.ModTime()) < keepFor {
			continue
		}
		shared := strings.HasPrefix(e.Name(), sharedPrefix)
		if shared {
			// Left to the process that is to remove it, or to the next to join.
			if st, err := os.Stat(dir + membersSuffix); err != nil || time.Since(st.ModTime()) <= sharedIdle {
				continue
			}
		}
		removeUnused(ctx, bin, as, dir, shared)
	}
}

// removeUnused stops and removes the throwaway cluster in dir if no live
// process holds its lock (owner.lock inside it; a shared cluster's members'
// lock beside it), and a shared cluster's lock files with it.
func removeUnused(ctx context.Context, bin Binaries, as runAs, dir string, shared bool) {
	lockPath := filepath.Join(dir, "owner.lock")
	if shared {
		lockPath = dir + membersSuffix
	}
	lock, free, err := tryLockFile(lockPath)
	if isNotExist(err) {
		// Being created right now, or a leftover from a crash between
		// mkdir and lock: only the latter is old.
		if st, serr := os.Stat(dir); serr == nil && time.Since(st.ModTime()) > 10*time.Minute {
			os.RemoveAll(dir)
		}
		return
	}
	if err != nil || !free {
		return
	}
	defer lock.Unlock()
	c := &Cluster{bin: bin, as: as, dir: dir, opts: Options{Dir: dir, Log: io.Discard}}
	if err := c.stopLocked(ctx, "immediate"); err != nil {
		slog.Warn("devdb: stopping a stale throwaway cluster", "dir", dir, "error", err)
	}
	// A long-path cluster's socket folder lives in /tmp.
	os.RemoveAll(filepath.Join(os.TempDir(), "missiongrants-sock-"+shortHash(dir)))
	if err := os.RemoveAll(dir); err != nil {
		slog.Warn("devdb: removing a stale throwaway cluster", "dir", dir, "error", err)
	} else {
		slog.Info("devdb: removed a stale throwaway cluster", "dir", dir)
	}
	if shared {
		removeSharedLocks(dir)
	}
}

// keepFor is how long a kept cluster survives the reaper.
const keepFor = 24 * time.Hour

// Keep leaves a throwaway cluster running for a person to inspect (KEEPDB=1):
// later runs leave it alone for a day, then remove it.
func (c *Cluster) Keep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = os.WriteFile(filepath.Join(c.dir, "keep"), nil, 0o644)
	slog.Info("devdb: kept the throwaway cluster for a day", "dir", c.dir, "url", c.URL("postgres"))
	c.ownerLock.Unlock()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
