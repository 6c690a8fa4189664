package job_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
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
	"missiongrants/templates"
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
	composer, err := mail.NewComposer(templates.FS, cat)
	if err != nil {
		t.Fatal(err)
	}
	return &mail.Outbox{Composer: composer, Queue: client}
}

func TestMailQueuedInTransactionIsDeliveredInRecipientsLanguage(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	mp := testenv.Mailpit(t)
	outbox := start(t, pool, mp)
	ctx := context.Background()

	err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
		return outbox.Send(ctx, tx, "es", "test", "ana.delivered@example.org", struct{ Name string }{"Ana"})
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
		if err := outbox.Send(ctx, tx, "en", "test", "rolled.back@example.org", struct{ Name string }{"Bo"}); err != nil {
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
		return outbox.Send(ctx, tx, "en", "test", "later@example.org", struct{ Name string }{"Cy"})
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
