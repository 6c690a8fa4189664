package devdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runAs is the account the server programs run under: initdb and postgres
// refuse to run as root, so as root they run as the "postgres" system user.
type runAs struct {
	uid, gid int
	cred     *syscall.Credential // nil when running as ourselves
}

func currentRunAs() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("devdb: running as root needs the \"postgres\" system user to run the server (apt-get install postgresql-15): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return runAs{uid: uid, gid: gid, cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}, nil
}

// command builds a server-program command run as r, with the PG* variables of
// our environment removed so that PGPORT, PGDATA and friends cannot redirect it.
func (r runAs) command(ctx context.Context, dir, prog string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	cmd.WaitDelay = 5 * time.Second
	if r.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	}
	return cmd
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// mkdirOwned creates dir (mode 0700, owned by r) and its missing parents
// with mode 0755, so that r can reach it.
func (r runAs) mkdirOwned(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if r.cred != nil {
		if err := os.Chown(dir, r.uid, r.gid); err != nil {
			return err
		}
	}
	return r.checkReachable(dir)
}

// checkReachable reports a folder whose ancestors r cannot traverse (such as
// anything under /root, mode 700), which would otherwise fail later obscurely.
func (r runAs) checkReachable(dir string) error {
	if r.cred == nil {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		sys := st.Sys().(*syscall.Stat_t)
		mode := st.Mode().Perm()
		ok := mode&0o001 != 0 ||
			(int(sys.Uid) == r.uid && mode&0o100 != 0) ||
			(int(sys.Gid) == r.gid && mode&0o010 != 0)
		if !ok {
			return fmt.Errorf("devdb: %s is not reachable by the postgres user (%s is mode %o): use a folder outside it, e.g. under /var/tmp", dir, p, mode)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// fileLock is an flock(2) lock: the kernel drops it when the process dies, so
// a crashed holder never leaves it stuck.
type fileLock struct{ f *os.File }

// lockFile takes an exclusive lock on path, polling until ctx ends.
func lockFile(ctx context.Context, path string) (*fileLock, error) {
	return lockFileMode(ctx, path, syscall.LOCK_EX)
}

// lockFileMode takes a lock of mode LOCK_EX or LOCK_SH.
func lockFileMode(ctx context.Context, path string, mode int) (*fileLock, error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := waitFlock(ctx, f, mode); err != nil {
			f.Close()
			return nil, fmt.Errorf("devdb: lock %s: %w", path, err)
		}
		// The holder we waited for may have removed the file before
		// letting go (the last member of a shared cluster, a replaced
		// snapshot): a lock on it would lock nothing.
		if isFile(f, path) {
			return &fileLock{f: f}, nil
		}
		f.Close()
	}
}

func waitFlock(ctx context.Context, f *os.File, mode int) error {
	for {
		err := syscall.Flock(int(f.Fd()), mode|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// isFile reports whether the open file f is still the one at path.
func isFile(f *os.File, path string) bool {
	open, err := f.Stat()
	if err != nil {
		return false
	}
	now, err := os.Stat(path)
	return err == nil && os.SameFile(open, now)
}

// tryLockFile takes the lock only if it is free; ok is false when another
// live process holds it.
func tryLockFile(path string) (l *fileLock, ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	if !isFile(f, path) { // removed by its holder: whoever made it anew holds that one
		f.Close()
		return nil, false, nil
	}
	return &fileLock{f: f}, true, nil
}

func (l *fileLock) Unlock() {
	if l != nil && l.f != nil {
		l.f.Close() // closing the only descriptor releases the flock
		l.f = nil
	}
}

// tryExclusive turns a shared lock exclusive if no one else holds it. When
// it cannot, the lock may be gone: call it only on the way out.
func (l *fileLock) tryExclusive() bool {
	return syscall.Flock(int(l.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
