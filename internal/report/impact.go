package report

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
)

// Cell is the impact of the accepted reports of one country in one year.
type Cell struct {
	Country   string `db:"country"`
	Year      int    `db:"year"`
	Trips     int    `db:"trips"`
	Patients  int    `db:"patients"`
	Surgeries int    `db:"surgeries"` // open-heart and interventional
	Bypass    int    `db:"bypass"`
}

// Impact totals every accepted report by country and year: the number the
// IPA shows its donors ("patients served").
func (s *Service) Impact(ctx context.Context) ([]Cell, error) {
	var out []Cell
	err := s.db.SelectContext(ctx, &out, sqlImpact)
	return out, err
}

// Public reports whether admins made the impact page public.
func (s *Service) Public(ctx context.Context) (bool, error) {
	var v string
	err := s.db.GetContext(ctx, &v, sqlPublic)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return false, nil
	}
	return v == "yes", err
}

// SetPublic makes the impact page public or not; admins only.
func (s *Service) SetPublic(ctx context.Context, ac account.Actor, u *account.User, public bool) error {
	if !u.IsAdmin {
		return ErrForbidden
	}
	v := "no"
	if public {
		v = "yes"
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, sqlSetPublic, v, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("impact.visibility", "setting", 0, map[string]any{"public": public}))
	})
}
