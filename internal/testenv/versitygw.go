package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The S3 server the tests use: versitygw (Apache-2.0) serving a folder,
// built once by Tool. MinIO's server is AGPL, so not it.
const (
	VersityGWModule  = "github.com/versity/versitygw/cmd/versitygw"
	VersityGWVersion = "v1.8.0"
)

// S3Server is a versitygw process on a loopback port, serving buckets that
// are folders of a temporary directory. Use path-style addressing.
type S3Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	Region    string
	AccessKey string
	SecretKey string

	bin  string
	addr string
	root string

	mu sync.Mutex
	d  *daemon // nil while stopped
}

var (
	s3Mu     sync.Mutex
	sharedS3 *S3Server
)

// VersityGW returns the test process's S3 server, started on first use and
// stopped by Main. The first run builds versitygw from the Go module proxy
// (a few minutes); later runs reuse the build. Tests share the server, so
// each takes a bucket of its own (NewBucket).
func VersityGW(t testing.TB) *S3Server {
	t.Helper()
	Full(t, "versitygw (S3)")
	s3Mu.Lock()
	defer s3Mu.Unlock()
	if sharedS3 != nil {
		return sharedS3
	}
	done := Starting()
	defer done()
	s, err := startVersityGW(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sharedS3 = s
	AtExit(s.remove)
	return s
}

// NewVersityGW starts a private versitygw for a test that stops and starts
// it; it keeps its port, keys and buckets across Stop and Start. It is
// removed at cleanup.
func NewVersityGW(t testing.TB) *S3Server {
	t.Helper()
	Full(t, "versitygw (S3)")
	done := Starting()
	defer done()
	s, err := startVersityGW(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.remove)
	AtExit(s.remove) // an interrupt ends the process before cleanups run
	return s
}

func startVersityGW(ctx context.Context) (*S3Server, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute) // a first build takes about 2.5 minutes of CPU
	defer cancel()
	bin, err := Tool(ctx, VersityGWModule, VersityGWVersion, "versitygw")
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range 3 { // a free port may be taken before the server binds it
		ports, err := freePorts(1)
		if err != nil {
			return nil, err
		}
		root, err := os.MkdirTemp("", "missiongrants-s3-")
		if err != nil {
			return nil, err
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))
		s := &S3Server{
			Endpoint:  "http://" + addr,
			Region:    "us-east-1",
			AccessKey: "testenv" + randomHex(6),
			SecretKey: randomHex(20),
			bin:       bin,
			addr:      addr,
			root:      root,
		}
		if lastErr = s.Start(ctx); lastErr == nil {
			return s, nil
		}
		os.RemoveAll(root)
	}
	return nil, lastErr
}

// Start starts versitygw on its port and folder and waits until it
// answers. Starting a running server is a no-op.
func (s *S3Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.d != nil {
		return nil
	}
	// The daemon's own folder is "": the buckets outlive a Stop.
	d, err := startDaemon(ctx, "versitygw", "",
		[]string{"ROOT_ACCESS_KEY=" + s.AccessKey, "ROOT_SECRET_KEY=" + s.SecretKey},
		s.bin, "--port", s.addr, "--region", s.Region, "--quiet", "--health", "/health", "posix", s.root)
	if err == nil {
		err = d.waitReady(ctx, func(ctx context.Context) bool { return httpOK(ctx, s.Endpoint+"/health") })
		if err != nil {
			d.stop()
		}
	}
	if err != nil {
		return err
	}
	s.d = d
	return nil
}

// Stop stops versitygw and waits for it to exit: requests to it are then
// refused. Its buckets stay for the next Start.
func (s *S3Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.d != nil {
		s.d.stop()
		s.d = nil
	}
	return nil
}

// NewBucket creates an empty bucket of the test's own (a folder, which is
// what a bucket is to versitygw's posix backend) and removes it at
// cleanup.
func (s *S3Server) NewBucket(t testing.TB) string {
	t.Helper()
	name := "test-" + randomHex(8)
	dir := filepath.Join(s.root, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("testenv: bucket: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return name
}

// remove stops the server for good and deletes its buckets.
func (s *S3Server) remove() {
	s.Stop()
	os.RemoveAll(s.root)
}

func httpOK(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// daemon is a service's child process, dying with the test binary
// (childAttr), with a scratch folder removed when it stops.
type daemon struct {
	name   string
	dir    string
	cmd    *exec.Cmd
	exited chan struct{}
	output *tailBuffer
	once   sync.Once
}

func startDaemon(ctx context.Context, name, dir string, env []string, bin string, args ...string) (*daemon, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out := &tailBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("testenv: start %s: %w", name, err)
	}
	d := &daemon{name: name, dir: dir, cmd: cmd, exited: make(chan struct{}), output: out}
	go func() { cmd.Wait(); close(d.exited) }()
	return d, nil
}

// waitReady polls ready until it answers true, the process exits, or a
// minute passes.
func (d *daemon) waitReady(ctx context.Context, ready func(context.Context) bool) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready(ctx) {
			return nil
		}
		select {
		case <-d.exited:
			return fmt.Errorf("testenv: %s exited early; output: %s", d.name, d.output.String())
		case <-ctx.Done():
			return fmt.Errorf("testenv: %s not answering: %w; output: %s", d.name, ctx.Err(), d.output.String())
		case <-tick.C:
		}
	}
}

// stop ends the process (SIGTERM, then SIGKILL after 5 s) and removes its
// folder.
func (d *daemon) stop() {
	d.once.Do(func() {
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(5 * time.Second):
			d.cmd.Process.Kill()
			<-d.exited
		}
		os.RemoveAll(d.dir)
	})
}
