// Package mailtest keeps the mail a domain test sends, for the test to read.
package mailtest

import (
	"context"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
)

// Outbox composes mail from the real messages, in the recipient's
// language, and keeps it for the test instead of queueing it: for domain
// tests that check what would be sent (delivery itself is tested through
// mailpit).
type Outbox struct {
	*mail.Outbox
	mu   sync.Mutex
	sent []mail.Message
}

// NewOutbox builds an Outbox.
func NewOutbox(t testing.TB) *Outbox {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	o := &Outbox{}
	o.Outbox = &mail.Outbox{Composer: mail.NewComposer(cat), Queue: o}
	return o
}

// SendMailTx keeps m (it is the Outbox's queue).
func (o *Outbox) SendMailTx(_ context.Context, _ *sqlx.Tx, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

// To lists what was sent to addr, in order.
func (o *Outbox) To(addr string) []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []mail.Message
	for _, m := range o.sent {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// Sent lists everything sent, in order.
func (o *Outbox) Sent() []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]mail.Message(nil), o.sent...)
}

// Take lists everything sent so far, in order, and forgets it: a test reads
// what one step sent.
func (o *Outbox) Take() []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.sent
	o.sent = nil
	return out
}
