package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The mailpit release the tests use, built once by Tool.
const (
	MailpitModule  = "github.com/axllent/mailpit"
	MailpitVersion = "v1.33.1"
)

// MailServer is a mailpit process catching mail on loopback ports.
type MailServer struct {
	bin      string
	smtpPort int
	httpPort int

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	output  *tailBuffer
	dataDir string
}

// Message is a caught message with its body.
type Message struct {
	ID      string
	From    string
	To      []string // To, Cc and Bcc (envelope) addresses
	Subject string
	Text    string
	HTML    string
	Created time.Time
}

var (
	sharedMu   sync.Mutex
	sharedMail *MailServer
)

// Mailpit returns the process-wide mailpit, started on first use and stopped
// by Main. Tests share it, so each must send to addresses of its own and read
// with Messages or WaitFor, which filter by recipient.
func Mailpit(t testing.TB) *MailServer {
	t.Helper()
	Full(t, "mailpit")
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if sharedMail != nil {
		return sharedMail
	}
	done := Starting()
	defer done()
	m, err := startMailpit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sharedMail = m
	AtExit(func() { m.Stop() })
	return m
}

// NewMailpit starts a private mailpit for a test that stops and starts it;
// it keeps its ports across Stop and Start. It is stopped at cleanup.
func NewMailpit(t testing.TB) *MailServer {
	t.Helper()
	Full(t, "mailpit")
	m, err := startMailpit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Stop() })
	return m
}

func startMailpit(ctx context.Context) (*MailServer, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute) // a first build takes about a minute
	defer cancel()
	bin, err := Tool(ctx, MailpitModule, MailpitVersion, "mailpit")
	if err != nil {
		return nil, err
	}
	// Free ports are picked by binding :0 and closing; another process may
	// grab one in between, so a failed start is retried on new ports.
	var lastErr error
	for range 3 {
		ports, err := freePorts(2)
		if err != nil {
			return nil, err
		}
		m := &MailServer{bin: bin, smtpPort: ports[0], httpPort: ports[1]}
		if lastErr = m.Start(ctx); lastErr == nil {
			return m, nil
		}
	}
	return nil, lastErr
}

// SMTPHost is the SMTP server's address (loopback).
func (m *MailServer) SMTPHost() string { return "127.0.0.1" }

// SMTPPort is the SMTP server's port (no TLS, any or no authentication).
func (m *MailServer) SMTPPort() int { return m.smtpPort }

// SMTPAddr is host:port for net/smtp.
func (m *MailServer) SMTPAddr() string {
	return net.JoinHostPort(m.SMTPHost(), strconv.Itoa(m.smtpPort))
}

// HTTPURL is the base URL of the web UI and API.
func (m *MailServer) HTTPURL() string {
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(m.httpPort))
}

// Start starts mailpit on its ports and waits until both answer. Starting a
// running server is a no-op.
func (m *MailServer) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd != nil {
		return nil
	}
	dataDir, err := os.MkdirTemp("", "missiongrants-mailpit-")
	if err != nil {
		return err
	}
	cmd := exec.Command(m.bin,
		"--smtp", net.JoinHostPort("127.0.0.1", strconv.Itoa(m.smtpPort)),
		"--listen", net.JoinHostPort("127.0.0.1", strconv.Itoa(m.httpPort)),
		"--database", dataDir+"/mailpit.db",
		"--max", "0", // the shared instance must not prune another test's mail
		"--quiet",
		"--disable-version-check",
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		"--smtp-disable-rdns",
	)
	out := &tailBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return fmt.Errorf("testenv: start mailpit: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	m.cmd, m.exited, m.output, m.dataDir = cmd, exited, out, dataDir

	if err := m.waitReady(ctx, exited); err != nil {
		m.stopLocked()
		return fmt.Errorf("testenv: mailpit on smtp %d, http %d: %w; output: %s", m.smtpPort, m.httpPort, err, out.String())
	}
	return nil
}

// waitReady polls the API and the SMTP port until both answer.
func (m *MailServer) waitReady(ctx context.Context, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if m.answers(ctx) {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("exited early")
		case <-ctx.Done():
			return fmt.Errorf("not answering: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

func (m *MailServer) answers(ctx context.Context) bool {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.HTTPURL()+"/api/v1/info", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", m.SMTPAddr(), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Stop stops mailpit and waits for it to exit, freeing its ports. Its mail
// is gone.
func (m *MailServer) Stop() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stopLocked()
	return nil
}

func (m *MailServer) stopLocked() {
	if m.cmd == nil {
		return
	}
	m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(5 * time.Second):
		m.cmd.Process.Kill()
		<-m.exited
	}
	os.RemoveAll(m.dataDir)
	m.cmd = nil
}

// Messages returns the messages addressed to `to` (To, Cc or Bcc), oldest
// first, with their bodies.
func (m *MailServer) Messages(ctx context.Context, to string) ([]Message, error) {
	var list struct {
		Messages []struct {
			ID          string
			To, Cc, Bcc []address
		}
	}
	// addressed: searches To, Cc and Bcc, but by substring.
	q := url.Values{}
	q.Set("query", fmt.Sprintf("addressed:%q", to))
	q.Set("limit", "1000")
	if err := m.getJSON(ctx, "/api/v1/search?"+q.Encode(), &list); err != nil {
		return nil, err
	}
	var msgs []Message
	for i := len(list.Messages) - 1; i >= 0; i-- {
		s := list.Messages[i]
		if !hasAddress(to, s.To, s.Cc, s.Bcc) {
			continue
		}
		msg, err := m.message(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

type address struct{ Name, Address string }

func hasAddress(addr string, lists ...[]address) bool {
	for _, list := range lists {
		for _, a := range list {
			if strings.EqualFold(a.Address, addr) {
				return true
			}
		}
	}
	return false
}

func (m *MailServer) message(ctx context.Context, id string) (Message, error) {
	var raw struct {
		ID          string
		From        *address
		To, Cc, Bcc []address
		Subject     string
		Date        time.Time
		Text        string
		HTML        string
	}
	if err := m.getJSON(ctx, "/api/v1/message/"+url.PathEscape(id), &raw); err != nil {
		return Message{}, err
	}
	msg := Message{ID: raw.ID, Subject: raw.Subject, Text: raw.Text, HTML: raw.HTML, Created: raw.Date}
	if raw.From != nil {
		msg.From = raw.From.Address
	}
	for _, list := range [][]address{raw.To, raw.Cc, raw.Bcc} {
		for _, a := range list {
			msg.To = append(msg.To, a.Address)
		}
	}
	return msg, nil
}

func (m *MailServer) getJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.HTTPURL()+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("testenv: mailpit %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("testenv: mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("testenv: mailpit %s: %w", path, err)
	}
	return nil
}

// WaitFor polls until a message to `to` whose subject contains
// subjectContains has arrived, and returns the newest such message; the test
// fails after timeout.
func (m *MailServer) WaitFor(t testing.TB, to, subjectContains string, timeout time.Duration) Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var seen []string
	var lastErr error
	for {
		msgs, err := m.Messages(ctx, to)
		lastErr = err
		if err == nil {
			seen = seen[:0]
			for i := len(msgs) - 1; i >= 0; i-- {
				if strings.Contains(msgs[i].Subject, subjectContains) {
					return msgs[i]
				}
				seen = append(seen, msgs[i].Subject)
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no mail to %s with subject containing %q within %v (subjects seen: %q; last error: %v)", to, subjectContains, timeout, seen, lastErr)
			return Message{}
		case <-tick.C:
		}
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// tailBuffer keeps the last few KiB of a child's output for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if b.buf.Len() > 8<<10 {
		b.buf.Next(b.buf.Len() - 4<<10)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(b.buf.String())
}
