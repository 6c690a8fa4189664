package testenv_test

import (
	"context"
	"fmt"
	"net/smtp"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func send(t *testing.T, addr, from string, rcpt []string, header, body string) error {
	t.Helper()
	msg := "From: " + from + "\r\n" + header + "\r\n" + body + "\r\n"
	return smtp.SendMail(addr, nil, from, rcpt, []byte(msg))
}

func TestMailpitReceives(t *testing.T) {
	t.Parallel()
	m := testenv.Mailpit(t)
	if m2 := testenv.Mailpit(t); m2 != m {
		t.Fatal("Mailpit is not shared")
	}
	to := fmt.Sprintf("receives-%d@example.test", time.Now().UnixNano())
	other := "other-" + to
	hdr := "To: " + to + "\r\nSubject: Grant approved #1\r\nContent-Type: text/plain; charset=utf-8\r\n"
	if err := send(t, m.SMTPAddr(), "portal@example.test", []string{to}, hdr, "Your grant was approved."); err != nil {
		t.Fatal(err)
	}
	if err := send(t, m.SMTPAddr(), "portal@example.test", []string{other}, "To: "+other+"\r\nSubject: Not yours\r\n", "x"); err != nil {
		t.Fatal(err)
	}
	msg := m.WaitFor(t, to, "approved", 10*time.Second)
	if !strings.Contains(msg.Text, "Your grant was approved.") || msg.From != "portal@example.test" {
		t.Fatalf("message = %+v", msg)
	}
	msgs, err := m.Messages(context.Background(), to)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("got %d messages for %s, want 1 (a prefix-sharing address must not match)", len(msgs), to)
	}
}

// A recipient only in the envelope (Bcc) is still found.
func TestMailpitBcc(t *testing.T) {
	t.Parallel()
	m := testenv.Mailpit(t)
	bcc := fmt.Sprintf("bcc-%d@example.test", time.Now().UnixNano())
	if err := send(t, m.SMTPAddr(), "portal@example.test", []string{"someone@example.test", bcc}, "To: someone@example.test\r\nSubject: Board pack\r\n", "<p>hi</p>"); err != nil {
		t.Fatal(err)
	}
	m.WaitFor(t, bcc, "Board pack", 10*time.Second)
}

// Mail sent while the server is down is delivered once it is back on the
// same ports, by a sender that retries.
func TestMailpitStopStart(t *testing.T) {
	t.Parallel()
	m := testenv.NewMailpit(t)
	port := m.SMTPPort()
	if err := m.Stop(); err != nil {
		t.Fatal(err)
	}
	to := fmt.Sprintf("stopstart-%d@example.test", time.Now().UnixNano())
	hdr := "To: " + to + "\r\nSubject: Retried\r\n"
	if err := send(t, m.SMTPAddr(), "portal@example.test", []string{to}, hdr, "x"); err == nil {
		t.Fatal("sending to a stopped server succeeded")
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m.SMTPPort() != port {
		t.Fatalf("port changed from %d to %d", port, m.SMTPPort())
	}
	if err := send(t, m.SMTPAddr(), "portal@example.test", []string{to}, hdr, "x"); err != nil {
		t.Fatal(err)
	}
	m.WaitFor(t, to, "Retried", 10*time.Second)
}

func TestToolReusesBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p1, err := testenv.Tool(ctx, testenv.MailpitModule, testenv.MailpitVersion, "mailpit")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	p2, err := testenv.Tool(ctx, testenv.MailpitModule, testenv.MailpitVersion, "mailpit")
	if err != nil {
		t.Fatal(err)
	}
	if p1 != p2 || time.Since(start) > time.Second {
		t.Fatalf("second Tool call: %s vs %s in %v", p1, p2, time.Since(start))
	}
	cache, _ := testenv.CacheDir()
	if want := filepath.Join(cache, "bin", "mailpit-"+testenv.MailpitVersion, "mailpit"); p1 != want {
		t.Fatalf("Tool path = %s, want %s", p1, want)
	}
}

// A tool that cannot be built fails the first test that needs it with the
// reason, and every later one at once, instead of building it again each time.
func TestToolThatFailsToBuildFailsOnce(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("GOPROXY", "off") // the build fails at once, without the network
	_, first := testenv.Tool(context.Background(), "example.invalid/nothing", "v0.0.1", "nothing")
	if first == nil || !strings.Contains(first.Error(), "GOPROXY=off") {
		t.Fatalf("first build: %v; want go install's reason", first)
	}
	_, second := testenv.Tool(context.Background(), "example.invalid/nothing", "v0.0.1", "nothing")
	if second == nil || !strings.Contains(second.Error(), "not tried again") || !strings.Contains(second.Error(), "GOPROXY=off") {
		t.Fatalf("second build: %v; want the first failure, not a new attempt", second)
	}
}
