// Package mail composes the portal's emails (package templates/mail) in the
// recipient's language and sends them. Sending happens in a job (package
// job), never inside a request's transaction.
package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"missiongrants/internal/config"
	"missiongrants/internal/i18n"
	mailtmpl "missiongrants/templates/mail"
)

// Message is a composed email, ready to send. It is what a mail job carries,
// so it is plain data.
type Message struct {
	To          string       `json:"to"`
	Subject     string       `json:"subject"`
	Text        string       `json:"text"`
	HTML        string       `json:"html"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is a file sent with a message (a decision's letter as PDF).
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// NewSender sends over SMTP when SMTP_HOST is set, and otherwise writes each
// message to the log, so the embedded default needs no mail server.
func NewSender(cfg *config.Config, log *slog.Logger) Sender {
	if cfg.SMTPHost == "" {
		return logSender{log: log}
	}
	return &smtpSender{cfg: cfg}
}

type logSender struct{ log *slog.Logger }

func (s logSender) Send(ctx context.Context, m Message) error {
	names := make([]string, len(m.Attachments))
	for i, a := range m.Attachments {
		names[i] = a.Name
	}
	s.log.Info("mail (SMTP_HOST not set, not sent)", "to", m.To, "subject", m.Subject, "text", m.Text, "attachments", names)
	return nil
}

type smtpSender struct{ cfg *config.Config }

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.MailFrom); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return fmt.Errorf("mail: attach %s: %w", a.Name, err)
		}
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.SMTPPort), gomail.WithTimeout(20 * time.Second)}
	switch s.cfg.SMTPTLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.SMTPUsername != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.SMTPUsername), gomail.WithPassword(s.cfg.SMTPPassword))
	}
	client, err := gomail.NewClient(s.cfg.SMTPHost, opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s: %w", m.To, err)
	}
	return nil
}

// Composer says an email (a message of package templates/mail) to one
// recipient in their language.
type Composer struct {
	cat *i18n.Catalog
}

// NewComposer builds a Composer; the messages are compiled in, so there is
// nothing to parse or fail at start-up.
func NewComposer(cat *i18n.Catalog) *Composer { return &Composer{cat: cat} }

func (c *Composer) reader(lang string, zone *time.Location) mailtmpl.Reader {
	return mailtmpl.Reader{Lang: lang, Cat: c.cat, Zone: zone}
}

// Compose renders e for to in lang: subject, plain text and HTML, times in UTC.
func (c *Composer) Compose(ctx context.Context, lang, to string, e mailtmpl.Email) (Message, error) {
	return c.ComposeIn(ctx, lang, time.UTC, to, e)
}

// ComposeIn is Compose with times on the recipient's clock, in zone.
func (c *Composer) ComposeIn(ctx context.Context, lang string, zone *time.Location, to string, e mailtmpl.Email) (Message, error) {
	r, err := mailtmpl.Render(ctx, c.reader(lang, zone), e)
	if err != nil {
		return Message{}, fmt.Errorf("mail: %T: %w", e, err)
	}
	return Message{To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML}, nil
}

// Notice is e as a daily summary keeps it: its subject and its text body,
// without the footer, which the summary carries once.
func (c *Composer) Notice(lang string, e mailtmpl.Email) (subject, body string) {
	return c.NoticeIn(lang, time.UTC, e)
}

// NoticeIn is Notice with times on the recipient's clock, in zone.
func (c *Composer) NoticeIn(lang string, zone *time.Location, e mailtmpl.Email) (subject, body string) {
	r := c.reader(lang, zone)
	return strings.TrimSpace(e.Subject(r)), strings.TrimSpace(e.Text(r))
}
