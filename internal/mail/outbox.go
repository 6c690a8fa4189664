package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	mailtmpl "missiongrants/templates/mail"
)

// Queue puts a composed message on the job queue inside a transaction
// (job.Client does).
type Queue interface {
	SendMailTx(ctx context.Context, tx *sqlx.Tx, m Message) error
}

// Outbox is what domain services send mail through: compose in the
// recipient's language, then queue in the caller's transaction, so the mail
// goes out if and only if the change that caused it commits.
type Outbox struct {
	Composer *Composer
	Queue    Queue
}

// Send composes e for to in lang and queues it in tx, with the files given.
// Times in it are on the recipient's clock: the zone of their profile,
// named, else UTC (an address that is no account's, or that chose none;
// a mail has no browser to ask).
func (o *Outbox) Send(ctx context.Context, tx *sqlx.Tx, lang, to string, e mailtmpl.Email, files ...Attachment) error {
	zone, err := RecipientZone(ctx, tx, to)
	if err != nil {
		return err
	}
	m, err := o.Composer.ComposeIn(ctx, lang, zone, to, e)
	if err != nil {
		return err
	}
	m.Attachments = files
	return o.Queue.SendMailTx(ctx, tx, m)
}

// Notice is e as a daily summary keeps it (Composer.Notice), its times on
// the recipient's clock as Send writes them.
func (o *Outbox) Notice(ctx context.Context, tx *sqlx.Tx, lang, to string, e mailtmpl.Email) (subject, body string, err error) {
	zone, err := RecipientZone(ctx, tx, to)
	if err != nil {
		return "", "", err
	}
	subject, body = o.Composer.NoticeIn(lang, zone, e)
	return subject, body, nil
}

// RecipientZone is the time zone the account with address to chose, UTC
// when it chose none, has none we know, or there is no such account.
func RecipientZone(ctx context.Context, tx *sqlx.Tx, to string) (*time.Location, error) {
	var name string
	if err := tx.GetContext(ctx, &name, sqlRecipientZone, to); err != nil {
		return nil, fmt.Errorf("mail: recipient's time zone: %w", err)
	}
	if name == "" {
		return time.UTC, nil
	}
	zone, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC, nil // a zone this build no longer knows: UTC, named as such
	}
	return zone, nil
}
