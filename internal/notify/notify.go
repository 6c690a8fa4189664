// Package notify sends a person the portal's notices the way they chose:
// each at once, or gathered into one daily summary. The notice is written
// in their language when it happens, either way.
package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/db"
	"missiongrants/internal/mail"
	mailtmpl "missiongrants/templates/mail"
)

// Recipient is who gets a notice, and how.
type Recipient struct {
	UserID   int64  `db:"id"`
	Email    string `db:"email"`
	Language string `db:"language"`
	Digest   bool   `db:"notify_digest"`
}

// Notifier sends notices through the outbox.
type Notifier struct {
	outbox *mail.Outbox
	now    func() time.Time
}

// New builds a Notifier; now is the clock (time.Now outside tests).
func New(outbox *mail.Outbox, now func() time.Time) *Notifier {
	if now == nil {
		now = time.Now
	}
	return &Notifier{outbox: outbox, now: now}
}

// Send mails e to r in tx, or keeps it for r's next daily summary.
func (n *Notifier) Send(ctx context.Context, tx *sqlx.Tx, r Recipient, e mailtmpl.Email) error {
	if !r.Digest {
		return n.outbox.Send(ctx, tx, r.Language, r.Email, e)
	}
	subject, body, err := n.outbox.Notice(ctx, tx, r.Language, r.Email, e)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, sqlDigestItemInsert,
		r.UserID, subject, body, n.now())
	if err != nil {
		return fmt.Errorf("notify: digest item: %w", err)
	}
	return nil
}

// SendDigests mails each person with waiting notices one summary of them.
// Marking the notices sent and queueing the summary are one transaction, so
// a summary goes out once even when two processes run this together.
func (n *Notifier) SendDigests(ctx context.Context, pool *sqlx.DB) (int, error) {
	var users []Recipient
	if err := pool.SelectContext(ctx, &users, sqlDigestRecipients); err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range users {
		err := db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
			var items []struct {
				Subject string `db:"subject"`
				Body    string `db:"body"`
			}
			if err := tx.SelectContext(ctx, &items, sqlDigestTake, r.UserID, n.now()); err != nil {
				return err
			}
			if len(items) == 0 {
				return nil // another process took them
			}
			sent++
			d := mailtmpl.Digest{Items: make([]mailtmpl.DigestItem, len(items))}
			for i, it := range items {
				d.Items[i] = mailtmpl.DigestItem{Subject: it.Subject, Body: it.Body}
			}
			return n.outbox.Send(ctx, tx, r.Language, r.Email, d)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
