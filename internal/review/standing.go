package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
)

// A standing conflict is a board member's (or admin's) conflict with a
// charity, declared ahead ("I volunteer with them"): it recuses them from
// every application of the charity, those to come included, until another
// admin withdraws it. The database records it as a conflict on each of
// them (migrations/00030_assignments.sql), so every rule that reads
// conflicts, policy.Load first, sees it.

// ErrStandingExists: the member already has one with this charity.
var ErrStandingExists = refusal.Conflict("error.standing.exists")

// StandingConflict is one in force.
type StandingConflict struct {
	ID               int64     `db:"id"`
	UserID           int64     `db:"user_id"`
	UserName         string    `db:"user_name"`
	OrganizationID   int64     `db:"organization_id"`
	OrganizationName string    `db:"organization_name"`
	Reason           string    `db:"reason"`
	DeclaredAt       time.Time `db:"declared_at"`
}

// Charity is a charity a standing conflict may name.
type Charity struct {
	ID   int64  `db:"id"`
	Name string `db:"legal_name"`
}

// Charities lists the charities by name.
func (s *Service) Charities(ctx context.Context) ([]Charity, error) {
	var out []Charity
	if err := s.db.SelectContext(ctx, &out, sqlStandingCharities); err != nil {
		return nil, fmt.Errorf("review.Charities: %w", err)
	}
	return out, nil
}

// DeclareStanding records u's standing conflict with charity orgID: a
// board member's or admin's, not one of the charity's own (who take no part
// in judging it anyway).
func (s *Service) DeclareStanding(ctx context.Context, ac account.Actor, u *account.User, orgID int64, reason string) error {
	if !u.IPA() {
		return policy.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	fe := i18n.FieldErrors{}
	fe.Add("reason", field.Text(reason, true, 2000))
	if orgID <= 0 {
		fe["charity"] = i18n.Msg("error.field.choose")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var c struct {
			Name   string `db:"legal_name"`
			Member bool   `db:"member"`
		}
		if err := tx.GetContext(ctx, &c, sqlStandingCharity, orgID, u.ID); err != nil {
			if errors.Is(db.NotFound(err), db.ErrNotFound) {
				return i18n.FieldErrors{"charity": i18n.Msg("error.field.choose")}
			}
			return err
		}
		if c.Member {
			return policy.ErrOwnCharity
		}
		var id int64
		err := tx.GetContext(ctx, &id, sqlStandingInsert, u.ID, orgID, reason, s.now())
		if errors.Is(db.NotFound(err), db.ErrNotFound) {
			return ErrStandingExists
		}
		if err != nil {
			return fmt.Errorf("review.DeclareStanding: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlStandingBallotsDelete, orgID, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("review.standing_declared", "organization", orgID,
			map[string]any{"standing_id": id, "member_id": u.ID, "reason": reason}))
	})
}

// WithdrawStanding ends standing conflict id, with why: an admin's, never
// the member's own. The member is then undeclared on the charity's
// applications, and declares again on each.
func (s *Service) WithdrawStanding(ctx context.Context, ac account.Actor, admin *account.User, id int64, reason string) error {
	if !admin.IsAdmin {
		return policy.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if err := field.Text(reason, true, 2000); err != nil {
		return i18n.FieldErrors{"withdraw_reason": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var row struct {
			UserID int64 `db:"user_id"`
			OrgID  int64 `db:"organization_id"`
		}
		err := tx.GetContext(ctx, &row, sqlStandingWithdraw, id, admin.ID, s.now(), reason)
		if db.IsCheckViolation(err, "standing_withdrawn_by_another") {
			return ErrOwnDeclaration
		}
		if err != nil {
			return fmt.Errorf("review.WithdrawStanding: %w", db.NotFound(err))
		}
		return audit.Record(ctx, tx, ac.Event("review.standing_withdrawn", "organization", row.OrgID,
			map[string]any{"standing_id": id, "member_id": row.UserID, "reason": reason}))
	})
}

// StandingConflicts lists those in force: every one for an admin, one's
// own for anyone else.
func (s *Service) StandingConflicts(ctx context.Context, u *account.User) ([]StandingConflict, error) {
	var who *int64
	if !u.IsAdmin {
		who = &u.ID
	}
	var out []StandingConflict
	if err := s.db.SelectContext(ctx, &out, sqlStandingActive, who); err != nil {
		return nil, fmt.Errorf("review.StandingConflicts: %w", err)
	}
	return out, nil
}
