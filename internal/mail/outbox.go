package mail

import (
	"context"

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
func (o *Outbox) Send(ctx context.Context, tx *sqlx.Tx, lang, to string, e mailtmpl.Email, files ...Attachment) error {
	m, err := o.Composer.Compose(ctx, lang, to, e)
	if err != nil {
		return err
	}
	m.Attachments = files
	return o.Queue.SendMailTx(ctx, tx, m)
}
