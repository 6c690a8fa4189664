package devdb

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// JoinShared returns the throwaway cluster of seed that the processes using
// it at the same time share: the first to join starts it, as a copy of the
// seed's snapshot, and the last to leave stops and removes it. The test
// processes `go test ./...` runs side by side then start one cluster between
// them instead of one each: a copy of the snapshot, a start and a stop, about
// 0.8 CPU-seconds a process on a 2-core virtual machine.
//
// A process that dies without leaving is no longer a member (the kernel
// drops its lock); a cluster left with no members is removed by the next
// process that starts a throwaway cluster (reapStale).
func JoinShared(ctx context.Context, seed Seed) (c *Cluster, leave func() error, err error) {
	t, err := newThrowaways(ctx, seed)
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Join(t.root, sharedPrefix+seed.Name+"-"+shortHash(seed.Key))
	// Members hold a shared lock for as long as they use the cluster; the
	// last one alone can turn it exclusive, and joiners wait meanwhile.
	member, err := lockFileMode(ctx, dir+membersSuffix, syscall.LOCK_SH)
	if err != nil {
		return nil, nil, err
	}
	c, err = t.startShared(ctx, dir)
	if err != nil {
		member.Unlock()
		return nil, nil, err
	}
	return c, func() error {
		defer member.Unlock()
		if !member.tryExclusive() {
			return nil // others still use it
		}
		err := c.Remove()
		removeSharedLocks(dir)
		return err
	}, nil
}

// removeSharedLocks removes the lock files beside a shared cluster's
// folder, by the holder of its members' lock when no member is left: a
// process waiting on them sees them gone and makes them anew
// (lockFileMode), and none holds the start lock without being a member.
func removeSharedLocks(dir string) {
	os.Remove(dir + startSuffix)
	os.Remove(dir + membersSuffix)
}

const (
	sharedPrefix  = "shared-"
	membersSuffix = ".members"
	startSuffix   = ".start"
)

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
	return t.start(ctx, opts, func(*Cluster) error { return nil })
}
