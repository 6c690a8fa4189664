package mail_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/config"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/testenv"
	mailtmpl "missiongrants/templates/mail"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func composer(t *testing.T) (*mail.Composer, *i18n.Catalog) {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewComposer(cat), cat
}

// received is the charity's receipt, a message with a title to say.
var received = mailtmpl.ApplicationReceived{Title: "Misión Tegucigalpa", Link: "https://grants.example.org/applications/7"}

// Compose says the message in the language asked for, addressed to the
// recipient, with the footer under the text and the language on the HTML.
func TestComposeSaysTheMessageInTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	c, cat := composer(t)
	for _, lang := range i18n.Languages {
		m, err := c.Compose(context.Background(), lang, "rosa@corazones.example", received)
		if err != nil {
			t.Fatal(err)
		}
		if m.To != "rosa@corazones.example" {
			t.Errorf("%s: to %q", lang, m.To)
		}
		if want := cat.T(lang, "mail.app_received.subject", "Title", received.Title); m.Subject != want {
			t.Errorf("%s: subject %q, want %q", lang, m.Subject, want)
		}
		if want := cat.T(lang, "mail.app_received.body", "Title", received.Title); !strings.HasPrefix(m.Text, want+"\n\n"+received.Link) {
			t.Errorf("%s: text does not start with the body and the link:\n%s", lang, m.Text)
		}
		if !strings.HasSuffix(m.Text, "\n--\n"+cat.T(lang, "mail.footer")+"\n") {
			t.Errorf("%s: text does not end with the footer:\n%s", lang, m.Text)
		}
		if !strings.Contains(m.HTML, `<html lang="`+lang+`">`) || !strings.Contains(m.HTML, `href="`+received.Link+`"`) {
			t.Errorf("%s: HTML without its language or link:\n%s", lang, m.HTML)
		}
	}
}

// A notice kept for the daily summary is the message's subject and text,
// without the footer: the summary has one footer of its own.
func TestNoticeLeavesTheFooterToTheSummary(t *testing.T) {
	t.Parallel()
	c, cat := composer(t)
	subject, body := c.Notice("es", received)
	r := mailtmpl.Reader{Lang: "es", Cat: cat}
	if subject != received.Subject(r) || body != received.Text(r) {
		t.Errorf("notice %q / %q, want %q / %q", subject, body, received.Subject(r), received.Text(r))
	}
	if strings.Contains(body, cat.T("es", "mail.footer")) {
		t.Errorf("the notice carries the footer:\n%s", body)
	}
}

// queue keeps what the outbox hands it, and in which transaction.
type queue struct {
	tx   *sqlx.Tx
	sent []mail.Message
}

func (q *queue) SendMailTx(_ context.Context, tx *sqlx.Tx, m mail.Message) error {
	q.tx = tx
	q.sent = append(q.sent, m)
	return nil
}

// The outbox composes in the recipient's language and queues in the
// caller's transaction, so the mail goes out only if the change commits.
func TestOutboxQueuesTheComposedMailInTheCallersTransaction(t *testing.T) {
	t.Parallel()
	c, cat := composer(t)
	q := &queue{}
	tx := dbtest.New(t).MustBegin()
	t.Cleanup(func() { _ = tx.Rollback() })
	if err := (&mail.Outbox{Composer: c, Queue: q}).Send(context.Background(), tx, "es", "ana@example.org", mailtmpl.Test{Name: "Ana"}); err != nil {
		t.Fatal(err)
	}
	if q.tx != tx || len(q.sent) != 1 {
		t.Fatalf("queued %d messages in %p, want 1 in %p", len(q.sent), q.tx, tx)
	}
	if m := q.sent[0]; m.To != "ana@example.org" || m.Subject != cat.T("es", "mail.test.subject") {
		t.Errorf("queued %+v", m)
	}
}

// A mail's times are on the recipient's clock: the zone of their profile,
// named; UTC, named, for an address with no zone (or no account).
func TestMailTimesInTheRecipientsZone(t *testing.T) {
	t.Parallel()
	c, cat := composer(t)
	q := &queue{}
	pool := dbtest.New(t)
	if _, err := pool.Exec(`INSERT INTO users (email, name, language, time_zone) VALUES ('Rosa@Corazones.example', 'Rosa', 'es', 'America/Tegucigalpa'),
		('ana@example.org', 'Ana', 'en', '')`); err != nil {
		t.Fatal(err)
	}
	closes := time.Date(2026, 12, 10, 18, 0, 0, 0, time.UTC)
	vote := mailtmpl.VoteOpened{Title: "Misión Tegucigalpa", Organization: "Corazones", Closes: closes, Link: "https://grants.example.org/applications/7"}
	tx := pool.MustBegin()
	t.Cleanup(func() { _ = tx.Rollback() })
	outbox := &mail.Outbox{Composer: c, Queue: q}
	for _, to := range []string{"rosa@corazones.example", "ana@example.org", "nobody@example.org"} {
		if err := outbox.Send(context.Background(), tx, "es", to, vote); err != nil {
			t.Fatal(err)
		}
	}
	honduras, err := time.LoadLocation("America/Tegucigalpa")
	if err != nil {
		t.Fatal(err)
	}
	want := cat.DateTime("es", closes, honduras) // 12:00, six hours behind
	if !strings.Contains(want, "12:00") || !strings.Contains(want, "CST") {
		t.Fatalf("the Honduran time reads %q", want)
	}
	if m := q.sent[0]; !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) || strings.Contains(m.Text, "UTC") {
		t.Errorf("the mail to a reader in Honduras says:\n%s", m.Text)
	}
	for _, m := range q.sent[1:] {
		if utc := cat.DateTime("es", closes, time.UTC); !strings.Contains(m.Text, utc) || !strings.Contains(utc, "18:00 UTC") {
			t.Errorf("the mail to %s, who chose no zone, says:\n%s", m.To, m.Text)
		}
	}
}

// smtpConfig is the portal's configuration for a mail server on addr.
func smtpConfig(t *testing.T, host string, port int) *config.Config {
	t.Helper()
	env := map[string]string{"SMTP_HOST": host, "SMTP_PORT": strconv.Itoa(port), "SMTP_TLS": "none",
		"MAIL_FROM": "IPA Mission Grants <grants@ipa.example>"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Over SMTP a message arrives with its subject (accents and all), from
// MAIL_FROM, with both its plain-text and its HTML part.
func TestSMTPDeliversBothParts(t *testing.T) {
	t.Parallel()
	mp := testenv.Mailpit(t)
	c, cat := composer(t)
	to := fmt.Sprintf("smtp-parts-%d@corazones.example", time.Now().UnixNano())
	m, err := c.Compose(context.Background(), "es", to, received)
	if err != nil {
		t.Fatal(err)
	}
	sender := mail.NewSender(smtpConfig(t, mp.SMTPHost(), mp.SMTPPort()), slog.New(slog.DiscardHandler))
	if err := sender.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, to, received.Title, 10*time.Second)
	if got.Subject != m.Subject || got.From != "grants@ipa.example" {
		t.Errorf("arrived as %q from %q, want %q from grants@ipa.example", got.Subject, got.From, m.Subject)
	}
	if body := cat.T("es", "mail.app_received.body", "Title", received.Title); !strings.Contains(got.Text, body) {
		t.Errorf("the text part lacks %q:\n%s", body, got.Text)
	}
	if !strings.Contains(got.HTML, `lang="es"`) || !strings.Contains(got.HTML, received.Link) {
		t.Errorf("the HTML part is missing or wrong:\n%s", got.HTML)
	}
}

// A mail server that does not answer is an error, which the job queue
// retries, not a mail silently lost.
func TestSMTPFailsWhenNoServerAnswers(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	sender := mail.NewSender(smtpConfig(t, "127.0.0.1", port), slog.New(slog.DiscardHandler))
	if err := sender.Send(context.Background(), mail.Message{To: "nobody@example.org", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("sending with no server answering succeeded")
	}
}

// Without SMTP_HOST the mail goes to the log (the embedded default needs no
// mail server), with its recipient, subject and text.
func TestWithoutSMTPHostMailIsLogged(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sender := mail.NewSender(cfg, slog.New(slog.NewJSONHandler(&buf, nil)))
	m := mail.Message{To: "ana@example.org", Subject: "Asunto", Text: "Cuerpo"}
	if err := sender.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log %q: %v", buf.String(), err)
	}
	if rec["to"] != m.To || rec["subject"] != m.Subject || rec["text"] != m.Text {
		t.Errorf("logged %v", rec)
	}
}
