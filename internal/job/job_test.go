package job_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/config"
	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/mail"
	"missiongrants/internal/testenv"
	mailtmpl "missiongrants/templates/mail"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// start runs a working job client that delivers to the given mailpit.
func start(t *testing.T, pool *sqlx.DB, mp *testenv.MailServer) *mail.Outbox {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"SMTP_HOST": mp.SMTPHost(), "SMTP_PORT": strconv.Itoa(mp.SMTPPort()), "SMTP_TLS": "none"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	client, err := job.New(pool.DB, job.Options{
		Work: true, Sender: mail.NewSender(cfg, log), PollInterval: 100 * time.Millisecond,
		RetryDelay: 50 * time.Millisecond, Log: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(ctx)
	})
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return &mail.Outbox{Composer: mail.NewComposer(cat), Queue: client}
}

func TestMailQueuedInTransactionIsDeliveredInRecipientsLanguage(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	mp := testenv.Mailpit(t)
	outbox := start(t, pool, mp)
	ctx := context.Background()

	err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
		return outbox.Send(ctx, tx, "es", "ana.delivered@example.org", mailtmpl.Test{Name: "Ana"})
	})
	if err != nil {
		t.Fatal(err)
	}
	msg := mp.WaitFor(t, "ana.delivered@example.org", "Mensaje de prueba", 30*time.Second)
	if !strings.Contains(msg.Text, "Hola Ana") {
		t.Fatalf("mail body not in Spanish or missing the name: %q", msg.Text)
	}
}

func TestMailOfARolledBackChangeIsNeverSent(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	mp := testenv.Mailpit(t)
	outbox := start(t, pool, mp)
	ctx := context.Background()

	failure := errors.New("the change failed")
	err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
		if err := outbox.Send(ctx, tx, "en", "rolled.back@example.org", mailtmpl.Test{Name: "Bo"}); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("InTx = %v", err)
	}
	var jobs int
	if err := pool.Get(&jobs, `SELECT count(*) FROM river_job WHERE kind = 'mail.send'`); err != nil {
		t.Fatal(err)
	}
	if jobs != 0 {
		t.Fatalf("%d mail jobs exist after a rollback", jobs)
	}
}

func TestMailIsRetriedWhileSMTPIsDown(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	mp := testenv.NewMailpit(t)
	if err := mp.Stop(); err != nil {
		t.Fatal(err)
	}
	outbox := start(t, pool, mp)
	ctx := context.Background()

	err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
		return outbox.Send(ctx, tx, "en", "later@example.org", mailtmpl.Test{Name: "Cy"})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Wait until delivery has really failed at least once.
	testenv.Eventually(t, 30*time.Second, "delivery fails while SMTP is down", func() bool {
		var failed bool
		err := pool.Get(&failed, `SELECT count(*) > 0 FROM river_job WHERE kind = 'mail.send' AND cardinality(errors) > 0`)
		return err == nil && failed
	})
	if err := mp.Start(ctx); err != nil {
		t.Fatal(err)
	}
	mp.WaitFor(t, "later@example.org", "Test message", 60*time.Second)
	testenv.Eventually(t, 30*time.Second, "the mail job completes", func() bool {
		var done bool
		err := pool.Get(&done, `SELECT state = 'completed' FROM river_job WHERE kind = 'mail.send'`)
		return err == nil && done
	})
	msgs, err := mp.Messages(ctx, "later@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("%d messages delivered, want exactly 1", len(msgs))
	}
}

// countingSender counts each message it is asked to deliver.
type countingSender struct {
	mu   sync.Mutex
	seen map[string]int
}

func (c *countingSender) Send(_ context.Context, m mail.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[m.To]++
	return nil
}

// Two portal processes working one queue: every job runs exactly once.
func TestJobsRunOnceAcrossProcesses(t *testing.T) {
	testenv.Full(t, "two job processes (slow)")
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	sender := &countingSender{seen: map[string]int{}}
	var clients []*job.Client
	for range 2 {
		c, err := job.New(pool.DB, job.Options{Work: true, Sender: sender, PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = c.Stop(stop)
		})
		clients = append(clients, c)
	}
	const n = 40
	for i := range n {
		err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
			return clients[i%2].SendMailTx(ctx, tx, mail.Message{To: fmt.Sprintf("p%d@example.org", i), Subject: "s", Text: "t"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	testenv.Eventually(t, 30*time.Second, "every job completes", func() bool {
		var done int
		_ = pool.Get(&done, `SELECT count(*) FROM river_job WHERE kind = 'mail.send' AND state = 'completed'`)
		return done == n
	})
	sender.mu.Lock()
	defer sender.mu.Unlock()
	if len(sender.seen) != n {
		t.Fatalf("%d of %d messages delivered", len(sender.seen), n)
	}
	for to, times := range sender.seen {
		if times != 1 {
			t.Errorf("%s delivered %d times", to, times)
		}
	}
}
