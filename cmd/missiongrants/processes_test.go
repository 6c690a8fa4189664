package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/devdb"
)

// TestTwoProcessesOneDatabase runs two portals on one empty database, as a
// deployment with two instances behind a load balancer would: they migrate
// it once between them, and a login on one is a login on the other, since
// sessions live in PostgreSQL.
func TestTwoProcessesOneDatabase(t *testing.T) {
	bin := buildBinary(t)
	c := dbtest.NewCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := devdb.EnsureDatabase(ctx, c.URL("postgres"), "shared"); err != nil {
		t.Fatal(err)
	}
	dbURL := c.URL("shared")
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"DATABASE_URL=" + dbURL,
		"DATA_DIR=" + t.TempDir(),
	}

	a, b := startPortal(t, bin, env), startPortal(t, bin, env) // together, on the empty database
	for _, p := range []*process{a, b} {
		if !waitReady(ctx, "http://"+p.addr+"/readyz", p.exited) {
			t.Fatalf("portal %s never became ready:\n%s", p.addr, p.out())
		}
	}

	db := openDB(t, dbURL)
	var dup, versions int
	if err := db.GetContext(ctx, &dup, `SELECT count(*) FROM (SELECT version_id FROM goose_db_version GROUP BY version_id HAVING count(*) > 1) d`); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &versions, `SELECT count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`); err != nil {
		t.Fatal(err)
	}
	if dup != 0 || versions < 10 {
		t.Errorf("goose_db_version: %d versions applied more than once, %d distinct versions", dup, versions)
	}

	seed := exec.CommandContext(ctx, bin, "seed-demo")
	seed.Env = env
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seed-demo: %v\n%s", err, out)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(p *process, path string) (int, string) {
		t.Helper()
		resp, err := client.Get("http://" + p.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get(a, "/login"); code != http.StatusOK {
		t.Fatalf("GET /login on A: %d", code)
	}
	var csrf string
	for _, ck := range jar.Cookies(&url.URL{Scheme: "http", Host: a.addr}) {
		if ck.Name == "mg_csrf" {
			csrf = ck.Value
		}
	}
	if csrf == "" {
		t.Fatal("GET /login set no CSRF cookie")
	}
	resp, err := client.PostForm("http://"+a.addr+"/login", url.Values{
		"email": {"applicant@demo.missiongrants.test"}, "password": {"demo-applicant-passphrase"}, "csrf_token": {csrf},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on A: %d, want 303", resp.StatusCode)
	}
	code, body := get(b, "/dashboard")
	if code != http.StatusOK || !strings.Contains(body, "Alex Applicant") {
		t.Errorf("GET /dashboard on B with A's session: %d, name shown: %v", code, strings.Contains(body, "Alex Applicant"))
	}

	for _, p := range []*process{a, b} {
		p.stop(t)
	}
}

// process is a running `missiongrants` process.
type process struct {
	addr   string
	cmd    *exec.Cmd
	exited chan error
	out    func() string
}

func startPortal(t *testing.T, bin string, env []string) *process {
	t.Helper()
	p := &process{addr: freeAddr(t), exited: make(chan error, 1)}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append(append([]string(nil), env...), "LISTEN_ADDR="+p.addr, "BASE_URL=http://"+p.addr)
	var mu sync.Mutex
	var output strings.Builder
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			mu.Lock()
			output.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	p.out = func() string { mu.Lock(); defer mu.Unlock(); return output.String() }
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait(); pw.Close() }()
	t.Cleanup(func() { _ = p.cmd.Process.Kill() }) // a no-op once it has exited
	return p
}

// stop sends Ctrl-C and checks the process exits cleanly.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			t.Errorf("portal %s exit after Ctrl-C: %v\n%s", p.addr, err, p.out())
		}
	case <-time.After(time.Minute):
		_ = p.cmd.Process.Kill()
		t.Errorf("portal %s did not stop after Ctrl-C:\n%s", p.addr, p.out())
	}
}
