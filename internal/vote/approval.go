package vote

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
)

// Approval is an admin's sign-off of the minutes of a period.
type Approval struct {
	By        string    `db:"name"`
	At        time.Time `db:"approved_at"`
	Decisions int       `db:"decisions"`
}

// ApproveMinutes records that u, an admin, approved the minutes of the days
// from to to (export.Period) as they stand (their number of decisions is
// kept with the sign-off).
func (s *Service) ApproveMinutes(ctx context.Context, ac account.Actor, u *account.User, from, to time.Time) error {
	list, err := s.Minutes(ctx, u, from, to)
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, sqlApproveMinutes, from, to, len(list), u.ID, s.now()); err != nil {
			return fmt.Errorf("vote.ApproveMinutes: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("minutes.approved", "minutes", 0, map[string]any{
			"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly), "decisions": len(list)}))
	})
}

// MinutesApproval is the latest sign-off of exactly the days from to to, or nil.
// A sign-off whose number of decisions no longer matches the minutes is
// stale: the caller shows the minutes as a draft again.
func (s *Service) MinutesApproval(ctx context.Context, from, to time.Time) (*Approval, error) {
	var a Approval
	err := s.db.GetContext(ctx, &a, sqlMinutesApproval, from, to)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, nil
	}
	return &a, err
}
