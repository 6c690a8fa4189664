package main

import (
	"bufio"
	"context"
	"fmt"
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

	"github.com/pquerna/otp/totp"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/devdb"
	"missiongrants/internal/testenv"
)

// TestTwoProcessesOneDatabase runs two portals on one empty database, as a
// deployment with two instances behind a load balancer would: they migrate
// it once between them, and a login on one is a login on the other, since
// sessions live in PostgreSQL.
func TestTwoProcessesOneDatabase(t *testing.T) {
	testenv.Full(t, "two real portal processes (slow)")
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

	runSeedDemo(ctx, t, bin, env)
	// The binary hashes passwords at the portal's cost; only test
	// binaries make light hashes (account.hashParams).
	var hash string
	if err := db.GetContext(ctx, &hash, `SELECT password_hash FROM users WHERE email = 'applicant@demo.missiongrants.test'`); err != nil {
		t.Fatal(err)
	}
	p := account.HashParams
	if want := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", p.Memory, p.Iterations, p.Parallelism); !strings.HasPrefix(hash, want) || p.Memory < 19*1024 || p.Iterations < 2 {
		t.Errorf("the demo applicant's hash is %.40s…, want %s… at OWASP's cost at least", hash, want)
	}
	br := newBrowser(t)
	br.login(a.addr, "applicant@demo.missiongrants.test", "demo-applicant-passphrase", "")
	code, body := br.get(b.addr, "/dashboard")
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

// runSeedDemo runs `missiongrants seed-demo` on env's database.
func runSeedDemo(ctx context.Context, t *testing.T, bin string, env []string) {
	t.Helper()
	seed := exec.CommandContext(ctx, bin, "seed-demo")
	seed.Env = env
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seed-demo: %v\n%s", err, out)
	}
}

// browser is a person's browser on the portals: it keeps their cookies
// (sessions and the CSRF token) and does not follow redirects.
type browser struct {
	t      *testing.T
	jar    *cookiejar.Jar
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, jar: jar, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(addr, path string) (int, string) {
	b.t.Helper()
	resp, err := b.client.Get("http://" + addr + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// csrf is the token the portal at addr gave this browser.
func (b *browser) csrf(addr string) string {
	for _, ck := range b.jar.Cookies(&url.URL{Scheme: "http", Host: addr}) {
		if ck.Name == "mg_csrf" {
			return ck.Value
		}
	}
	return ""
}

// post sends a form with the CSRF token and expects a redirect.
func (b *browser) post(addr, path string, form url.Values) {
	b.t.Helper()
	form.Set("csrf_token", b.csrf(addr))
	resp, err := b.client.PostForm("http://"+addr+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("POST %s: %d, want 303", path, resp.StatusCode)
	}
}

// login logs in on the portal at addr, with the code of totpSecret's
// authenticator when the account has one.
func (b *browser) login(addr, email, password, totpSecret string) {
	b.t.Helper()
	if code, _ := b.get(addr, "/login"); code != http.StatusOK || b.csrf(addr) == "" {
		b.t.Fatalf("GET /login: %d, CSRF token %q", code, b.csrf(addr))
	}
	b.post(addr, "/login", url.Values{"email": {email}, "password": {password}})
	if totpSecret == "" {
		return
	}
	code, err := totp.GenerateCode(totpSecret, time.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	b.post(addr, "/login/code", url.Values{"code": {code}})
}
