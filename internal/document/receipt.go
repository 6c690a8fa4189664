package document

import (
	"context"
	"fmt"
	"io"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
)

// Staged is a file received into the store and not yet recorded: the caller
// records it in its own transaction (RecordTx), together with what it
// belongs to, or discards it. Receipts travel this way, so a payment and its
// receipt are written together or not at all.
type Staged struct {
	s  *Service
	ac account.Actor
	in UploadInput
	f  *received
}

// StageReceipt receives a payment's receipt for application appID of
// organization orgID. Only admins record payments, so only admins upload
// receipts; the charity then reads it with its other documents.
func (s *Service) StageReceipt(ctx context.Context, ac account.Actor, u *account.User, orgID, appID int64, filename string, body io.Reader) (*Staged, error) {
	if !u.IsAdmin {
		return nil, ErrForbidden
	}
	in := UploadInput{OrganizationID: orgID, ApplicationID: &appID, Kind: Receipt, Filename: filename, Body: body}
	f, err := s.receive(ctx, ac, in)
	if err != nil {
		return nil, err
	}
	return &Staged{s: s, ac: ac, in: in, f: f}, nil
}

// RecordTx writes the staged file's row, and its audit entry, in tx.
func (st *Staged) RecordTx(ctx context.Context, tx *sqlx.Tx, u *account.User) (int64, error) {
	d, err := st.s.insert(ctx, tx, u, st.in, st.f)
	if err != nil {
		return 0, fmt.Errorf("document.Staged: %w", err)
	}
	if err := audit.Record(ctx, tx, st.ac.Event("document.uploaded", "document", d.ID, d.auditDetails())); err != nil {
		return 0, err
	}
	return d.ID, nil
}

// Discard deletes the staged object; call it when the transaction that was
// to record it did not commit it.
func (st *Staged) Discard(ctx context.Context) { st.s.discard(ctx, st.f.key) }
