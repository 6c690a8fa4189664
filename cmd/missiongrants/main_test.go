package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"missiongrants/internal/devdb"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestEmbeddedDefaultBoots runs the real binary with no configuration in a
// new home folder, as a person's first `scripts/run` would, then again to
// check that the second start reuses the data.
func TestEmbeddedDefaultBoots(t *testing.T) {
	testenv.Full(t, "a private cluster started twice by the real binary (slow)")
	bin := buildBinary(t)
	home := t.TempDir()
	dataDir := filepath.Join(home, ".local", "share", "missiongrants")
	t.Cleanup(func() { _ = os.RemoveAll(devdb.DefaultDir(dataDir)) })

	for run := 1; run <= 2; run++ {
		out := startBinary(t, bin, home)
		if run == 1 && !strings.Contains(out(), "running at http://") {
			t.Errorf("first start did not say where the portal runs:\n%s", out())
		}
	}
	if _, err := os.Stat(devdb.DefaultDir(dataDir)); err != nil {
		t.Fatalf("the embedded cluster is not where DefaultDir says: %v", err)
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds the portal once per test process, into a folder removed
// when the process ends (by testenv.AtExit). Linking it takes seconds, so a
// test of the real binary belongs to the full tier.
func buildBinary(t *testing.T) string {
	t.Helper()
	testenv.Full(t, "the real binary, built with go build (seconds to link)")
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "missiongrants-bin-")
		if err != nil {
			buildErr = err
			return
		}
		testenv.AtExit(func() { os.RemoveAll(dir) })
		builtBin = filepath.Join(dir, "missiongrants")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// startBinary starts bin, waits for /readyz, stops it with Ctrl-C and checks
// it exits cleanly. It returns the process's output so far.
func startBinary(t *testing.T, bin, home string) func() string {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LISTEN_ADDR=" + addr}
	var mu sync.Mutex
	var output strings.Builder
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			mu.Lock()
			output.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	out := func() string { mu.Lock(); defer mu.Unlock(); return output.String() }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); pw.Close() }()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if !waitReady(ctx, "http://"+addr+"/readyz", exited) {
		_ = cmd.Process.Kill()
		t.Fatalf("the portal never became ready:\n%s", out())
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("home page: %v %v", resp, err)
	}
	resp.Body.Close()

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after Ctrl-C: %v\n%s", err, out())
		}
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("did not stop after Ctrl-C:\n%s", out())
	}
	if !strings.Contains(out(), "embedded PostgreSQL cluster stopped") {
		t.Errorf("the cluster was not stopped with the portal:\n%s", out())
	}
	return out
}

func waitReady(ctx context.Context, url string, exited <-chan error) bool {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		select {
		case <-ctx.Done():
			return false
		case <-exited:
			return false
		case <-tick.C:
		}
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprintf("127.0.0.1:%d", l.Addr().(*net.TCPAddr).Port)
}

// With its port taken, the portal says so at once and names the variable,
// before starting a database or printing any demo login; it used to print
// the banner and the logins first, then fail.
func TestPortTakenFailsFirst(t *testing.T) {
	bin := buildBinary(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LISTEN_ADDR=" + taken.Addr().String()}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("started on a port already taken:\n%s", out)
	}
	if s := string(out); !strings.Contains(s, "LISTEN_ADDR="+taken.Addr().String()) || strings.Contains(s, "running at") ||
		strings.Contains(s, "password") || strings.Contains(s, "embedded PostgreSQL") {
		t.Errorf("output:\n%s", s)
	}
}
