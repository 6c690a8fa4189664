package devdb

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// JoinShared returns the throwaway cluster of seed that the processes using
// it at the same time share: the first to join starts it, as a copy of the
// seed's snapshot, and the others find it running. The test processes that
// `go test ./...` runs side by side then start one cluster between them
// instead of one each: a copy of the snapshot, a start and a stop, about 0.4
// CPU-seconds a process on a 2-core virtual machine.
//
// leave reports whether this process was the last member. The last one
// should have RemoveSharedWhenUnused called by a process that outlives it:
// go test links the next test binary meanwhile, which would otherwise start
// the cluster again. A process that dies without leaving is no longer a
// member (the kernel drops its lock); a cluster left with no member is found
// by the next to join, or removed by the next process to start a throwaway
// cluster once it has been idle for sharedIdle (reapStale).
func JoinShared(ctx context.Context, seed Seed) (c *Cluster, leave func() (last bool), err error) {
	t, err := newThrowaways(ctx, seed)
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Join(t.root, sharedPrefix+seed.Name+"-"+shortHash(seed.Key))
	// Members hold a shared lock for as long as they use the cluster; only
	// when none is left can it be taken exclusively, to remove the cluster.
	member, err := lockFileMode(ctx, dir+membersSuffix, syscall.LOCK_SH)
	if err != nil {
		return nil, nil, err
	}
	touch(dir + membersSuffix)
	c, err = t.startShared(ctx, dir)
	if err != nil {
		member.Unlock()
		return nil, nil, err
	}
	return c, func() bool {
		defer member.Unlock()
		touch(dir + membersSuffix)
		return member.tryExclusive()
	}, nil
}

// sharedIdle is how long a shared cluster may stay with no member, and no
// one joining or leaving, before reapStale removes it: its last member died
// without leaving, or the process that was to remove it did. Until then it
// is left to that process, or found by the next to join.
const sharedIdle = time.Minute

func touch(path string) {
	now := time.Now()
	_ = os.Chtimes(path, now, now)
}

// RemoveSharedWhenUnused stops and removes the shared cluster in dir
// (Cluster.Dir) once no process has joined or left it for grace, unless one
// still uses it then.
func RemoveSharedWhenUnused(dir string, grace time.Duration) error {
	for {
		st, err := os.Stat(dir + membersSuffix)
		if err != nil {
			return nil // removed already
		}
		idle := time.Since(st.ModTime())
		if idle >= grace {
			break
		}
		time.Sleep(grace - idle)
	}
	bin, err := FindBinaries()
	if err != nil {
		return err
	}
	as, err := currentRunAs()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	removeUnused(ctx, bin, as, dir, true)
	return nil
}

const (
	sharedPrefix  = "shared-"
	membersSuffix = ".members"
	startSuffix   = ".start"
)

// removeSharedLocks removes the lock files beside a shared cluster's
// folder, by the holder of its members' lock when no member is left: a
// process waiting on them sees them gone and makes them anew
// (lockFileMode), and none holds the start lock without being a member.
func removeSharedLocks(dir string) {
	os.Remove(dir + startSuffix)
	os.Remove(dir + membersSuffix)
}

// startShared finds the shared cluster in dir running, or starts it, one
// process at a time.
func (t throwaways) startShared(ctx context.Context, dir string) (*Cluster, error) {
	starting, err := lockFile(ctx, dir+startSuffix)
	if err != nil {
		return nil, err
	}
	defer starting.Unlock()
	// Its clients are every test process running at once, each with its
	// parallel tests' pools.
	opts := Options{Dir: dir, Settings: map[string]string{"max_connections": strconv.Itoa(max(200, 100*runtime.NumCPU()))}}
	c, err := newCluster(t.bin, opts)
	if err != nil {
		return nil, err
	}
	if c.running(ctx) && c.ping(ctx) == nil {
		return c, nil
	}
	// Not there, or left broken by a crash: started afresh.
	if err := c.Remove(); err != nil {
		return nil, err
	}
	return t.start(ctx, opts, nil)
}
