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

// ApproveMinutes records that u, an admin, approved the minutes of p as
// they stand (their number of decisions is kept with the sign-off).
func (s *Service) ApproveMinutes(ctx context.Context, ac account.Actor, u *account.User, p Period) error {
	list, err := s.Minutes(ctx, u, p)
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO minutes_approvals (period_from, period_to, decisions, approved_by, approved_at)
			VALUES ($1, $2, $3, $4, $5)`, p.From, p.To, len(list), u.ID, s.now()); err != nil {
			return fmt.Errorf("vote.ApproveMinutes: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("minutes.approved", "minutes", 0, map[string]any{
			"from": p.From.Format(time.DateOnly), "to": p.To.Format(time.DateOnly), "decisions": len(list)}))
	})
}

// MinutesApproval is the latest sign-off of exactly the period p, or nil.
// A sign-off whose number of decisions no longer matches the minutes is
// stale: the caller shows the minutes as a draft again.
func (s *Service) MinutesApproval(ctx context.Context, p Period) (*Approval, error) {
	var a Approval
	err := s.db.GetContext(ctx, &a, `
		SELECT u.name, m.approved_at, m.decisions
		FROM minutes_approvals m JOIN users u ON u.id = m.approved_by
		WHERE m.period_from = $1 AND m.period_to = $2
		ORDER BY m.approved_at DESC, m.id DESC
		LIMIT 1`, p.From, p.To)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, nil
	}
	return &a, err
}
