package testenv

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// NpmPackage returns the folder of the npm package name at exactly version
// (<cache>/npm/<name>-<version>/node_modules/<name>), installing it once
// with Debian's npm from the registry. Like Tool, a file lock makes
// parallel test processes install it once, and an install that failed is
// not tried again by the same process. scripts/lib.sh's npm_tool installs
// into the same folders, so the test command and the scripts share them.
func NpmPackage(ctx context.Context, name, version string) (string, error) {
	key := "npm:" + name + "@" + version
	if err, ok := failedBuilds.Load(key); ok {
		return "", fmt.Errorf("%w (not tried again in this test process)", err.(error))
	}
	dir, err := npmPackage(ctx, name, version)
	if err != nil && ctx.Err() == nil {
		failedBuilds.Store(key, err)
	}
	return dir, err
}

var npmMu sync.Mutex // one npm at a time in this process

func npmPackage(ctx context.Context, name, version string) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	root := filepath.Join(cache, "npm")
	prefix := filepath.Join(root, name+"-"+version)
	pkg := filepath.Join(prefix, "node_modules", name)
	done := filepath.Join(prefix, ".installed") // written last: a half install is not taken for one
	if _, err := os.Stat(done); err == nil {
		return pkg, nil
	}
	npmMu.Lock()
	defer npmMu.Unlock()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	unlock, err := flock(ctx, prefix+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(done); err == nil {
		return pkg, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("testenv: %s needs npm: run ./scripts/test as root once, which installs Debian's npm", name)
	}
	if err := os.RemoveAll(prefix); err != nil {
		return "", err
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return "", err
	}
	start := time.Now()
	slog.Info("testenv: installing an npm package once", "package", name, "version", version)
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", prefix, "--no-audit", "--no-fund", "--omit=dev", "--loglevel=error", name+"@"+version)
	cmd.Dir = prefix
	// No browser download: the checks use Debian's Chromium.
	cmd.Env = append(os.Environ(), "PUPPETEER_SKIP_DOWNLOAD=1", "CHROME_LAUNCHER_SKIP_DOWNLOAD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("testenv: npm install %s@%s: %w\n%s", name, version, err, lastLines(string(out), 10))
	}
	if _, err := os.Stat(filepath.Join(pkg, "package.json")); err != nil {
		return "", fmt.Errorf("testenv: npm install %s@%s made no %s", name, version, pkg)
	}
	if err := os.WriteFile(done, []byte(name+"@"+version+"\n"), 0o644); err != nil {
		return "", err
	}
	slog.Info("testenv: installed npm package", "path", pkg, "duration", time.Since(start).Round(time.Millisecond))
	return pkg, nil
}
