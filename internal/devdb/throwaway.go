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
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	as, err := currentRunAs()
	if err != nil {
		return nil, err
	}
	root := ThrowawayRoot()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	reapStale(ctx, bin, as, root)

	c, err := startThrowaway(ctx, bin, as, root, log)
	if err != nil {
		// A template damaged since it was built (a tmp cleaner, a full
		// disk) is rebuilt once before giving up.
		if ierr := invalidateTemplate(ctx, bin); ierr != nil {
			return nil, err
		}
		slog.Warn("devdb: throwaway cluster failed to start; rebuilding the initdb template", "error", err)
		c, err = startThrowaway(ctx, bin, as, root, log)
	}
	return c, err
}

func startThrowaway(ctx context.Context, bin Binaries, as runAs, root string, log io.Writer) (*Cluster, error) {
	// A short name keeps the socket path inside the cluster folder.
	dir := filepath.Join(root, fmt.Sprintf("%d-%s", os.Getpid(), randomHex(3)))
	c, err := newCluster(bin, Options{Dir: dir, Log: log})
	if err != nil {
		return nil, err
	}
	if err := as.mkdirOwned(dir); err != nil {
		return nil, err
	}
	// The owner lock is held for the cluster's life: a cluster whose lock
	// is free belongs to a dead process and is fair game for reapStale.
	// Locked under another name first, then renamed: a reaper never sees an
	// owner.lock that is not yet locked.
	owner, err := lockFile(ctx, filepath.Join(dir, "owner.lock.new"))
	if err == nil {
		err = os.Rename(filepath.Join(dir, "owner.lock.new"), filepath.Join(dir, "owner.lock"))
	}
	if err != nil {
		owner.Unlock()
		os.RemoveAll(dir)
		return nil, err
	}
	c.ownerLock = owner
	_ = os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)

	if err := copyTemplate(ctx, bin, as, c.DataDir()); err != nil {
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

func templateDir(bin Binaries) string {
	return filepath.Join(scratchDir(), fmt.Sprintf("missiongrants-initdb-%s-%d", bin.Version, os.Geteuid()))
}

// copyTemplate copies a freshly initialised data folder into dst, building
// it first if needed. The template is built once per server version and user
// under an exclusive file lock, so that test processes started together build
// it once, and copied under a shared one, so that it is never rebuilt while
// being copied.
func copyTemplate(ctx context.Context, bin Binaries, as runAs, dst string) error {
	dir := templateDir(bin)
	for {
		lock, err := lockFileMode(ctx, dir+".lock", syscall.LOCK_SH)
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
			// cp -a keeps the postgres user's ownership when we are root.
			err := runQuiet(exec.CommandContext(ctx, "cp", "-a", filepath.Join(dir, "data"), dst))
			lock.Unlock()
			if err != nil {
				return fmt.Errorf("devdb: copy initdb template: %w", err)
			}
			return nil
		}
		lock.Unlock()
		if err := buildTemplate(ctx, bin, as, dir); err != nil {
			return err
		}
	}
}

func buildTemplate(ctx context.Context, bin Binaries, as runAs, dir string) error {
	lock, err := lockFile(ctx, dir+".lock")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		return nil // another process built it while we waited
	}
	start := time.Now()
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp-%d", dir, os.Getpid())
	os.RemoveAll(tmp)
	if err := as.mkdirOwned(tmp); err != nil {
		return err
	}
	if err := initdb(ctx, bin, as, tmp, filepath.Join(tmp, "data"), true, io.Discard); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "ready"), nil, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	slog.Debug("devdb: built initdb template", "dir", dir, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

func invalidateTemplate(ctx context.Context, bin Binaries) error {
	dir := templateDir(bin)
	lock, err := lockFile(ctx, dir+".lock")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	return os.Remove(filepath.Join(dir, "ready"))
}

// reapStale stops and removes throwaway clusters whose owning process died
// (killed by a test timeout, say). A live owner holds owner.lock.
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
		lock, free, err := tryLockFile(filepath.Join(dir, "owner.lock"))
		if isNotExist(err) {
			// Being created right now, or a leftover from a crash between
			// mkdir and lock: only the latter is old.
			if info, serr := e.Info(); serr == nil && time.Since(info.ModTime()) > 10*time.Minute {
				os.RemoveAll(dir)
			}
			continue
		}
		if err != nil || !free {
			continue
		}
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
		lock.Unlock()
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
