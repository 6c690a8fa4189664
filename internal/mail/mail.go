// Package mail composes the portal's emails from templates/mail in the
// recipient's language and sends them. Sending happens in a job (package
// job), never inside a request's transaction.
package mail

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"path"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"missiongrants/internal/config"
	"missiongrants/internal/i18n"
)

// Message is a composed email, ready to send. It is what a mail job carries,
// so it is plain data.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
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
	s.log.Info("mail (SMTP_HOST not set, not sent)", "to", m.To, "subject", m.Subject, "text", m.Text)
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

// Composer renders templates/mail/NAME.html, which defines "subject",
// "body_html" and "body_text", inside the shared layout.
type Composer struct {
	cat   *i18n.Catalog
	html  map[string]*htmltemplate.Template
	texts map[string]*texttemplate.Template
}

// NewComposer parses every mail template once, at start-up.
func NewComposer(fsys fs.FS, cat *i18n.Catalog) (*Composer, error) {
	c := &Composer{cat: cat, html: map[string]*htmltemplate.Template{}, texts: map[string]*texttemplate.Template{}}
	names, err := fs.Glob(fsys, "mail/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" {
			continue
		}
		h, err := htmltemplate.ParseFS(fsys, "mail/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("mail: %s: %w", name, err)
		}
		t, err := texttemplate.ParseFS(fsys, "mail/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("mail: %s: %w", name, err)
		}
		c.html[base], c.texts[base] = h, t
	}
	return c, nil
}

// view is what mail templates see: {{.T "key"}}, {{.Data.X}}, {{.Lang}}.
type view struct {
	Lang    string
	Subject string
	Data    any
	cat     *i18n.Catalog
}

func (v view) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// Compose renders the named mail for one recipient in their language.
func (c *Composer) Compose(lang, name, to string, data any) (Message, error) {
	h, ok := c.html[name]
	if !ok {
		return Message{}, fmt.Errorf("mail: no template %q", name)
	}
	v := view{Lang: lang, Data: data, cat: c.cat}
	var subject, text, html bytes.Buffer
	if err := c.texts[name].ExecuteTemplate(&subject, "subject", v); err != nil {
		return Message{}, fmt.Errorf("mail: %s subject: %w", name, err)
	}
	v.Subject = strings.TrimSpace(subject.String())
	if err := c.texts[name].ExecuteTemplate(&text, "mail_text", v); err != nil {
		return Message{}, fmt.Errorf("mail: %s text: %w", name, err)
	}
	if err := h.ExecuteTemplate(&html, "mail_html", v); err != nil {
		return Message{}, fmt.Errorf("mail: %s html: %w", name, err)
	}
	return Message{To: to, Subject: v.Subject, Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String()}, nil
}
