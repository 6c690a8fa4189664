package testenv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// CacheDir is ${XDG_CACHE_HOME:-$HOME/.cache}/missiongrants: built tools
// live there, outside the repository, and are shared by every checkout.
func CacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("testenv: no cache folder (set XDG_CACHE_HOME or HOME): %w", err)
	}
	return filepath.Join(base, "missiongrants"), nil
}

// Tool returns the path of binName built from module@version, building it
// once with `go install` into <cache>/bin/<binName>-<version>/<binName>.
// A file lock makes parallel test processes build it once. A build that
// failed is not tried again by the same process: every later test that
// needs the tool fails at once with the first failure's reason.
func Tool(ctx context.Context, module, version, binName string) (string, error) {
	key := module + "@" + version
	if err, ok := failedBuilds.Load(key); ok {
		return "", fmt.Errorf("%w (not tried again in this test process)", err.(error))
	}
	path, err := tool(ctx, module, version, binName)
	if err != nil && ctx.Err() == nil {
		failedBuilds.Store(key, err)
	}
	return path, err
}

// failedBuilds holds the error of each module@version that failed to build.
var failedBuilds sync.Map

func tool(ctx context.Context, module, version, binName string) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	binDir := filepath.Join(cache, "bin")
	dir := filepath.Join(binDir, binName+"-"+version)
	path := filepath.Join(dir, binName)
	if isExecutable(path) {
		return path, nil
	}
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return "", err
	}
	unlock, err := flock(ctx, dir+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if isExecutable(path) {
		return path, nil
	}

	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	// Built into a scratch GOBIN and renamed into place, so a half-written
	// binary is never taken for a finished one.
	tmp, err := os.MkdirTemp(binDir, binName+"-"+version+".tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	slog.Info("testenv: building a tool once", "module", module, "version", version)
	cmd := exec.CommandContext(ctx, goBin, "install", module+"@"+version)
	cmd.Dir = tmp // outside any module, so the repository's go.mod plays no part
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("testenv: go install %s@%s: %w\n%s", module, version, err, lastLines(string(out), 10))
	}
	if !isExecutable(filepath.Join(tmp, binName)) {
		return "", fmt.Errorf("testenv: go install %s@%s made no %s", module, version, binName)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(filepath.Join(tmp, binName), path); err != nil {
		return "", err
	}
	slog.Info("testenv: built tool", "path", path, "duration_ms", time.Since(start).Milliseconds())
	return path, nil
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// flock takes an exclusive flock(2) on path, polling until ctx ends; the
// kernel releases it if the process dies.
func flock(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("testenv: lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("testenv: waiting for lock %s: %w", path, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
