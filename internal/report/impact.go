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
	err := s.db.SelectContext(ctx, &out, `SELECT a.country, extract(year FROM a.trip_start)::int AS year, count(*) AS trips,
			coalesce(sum(r.patients), 0) AS patients, coalesce(sum(coalesce(r.open_heart, 0) + coalesce(r.interventional, 0)), 0) AS surgeries,
			coalesce(sum(r.bypass), 0) AS bypass
		FROM reports r JOIN applications a ON a.id = r.application_id
		WHERE r.status = 'accepted'
		GROUP BY a.country, year ORDER BY year DESC, a.country`)
	return out, err
}

// Public reports whether admins made the impact page public.
func (s *Service) Public(ctx context.Context) (bool, error) {
	var v string
	err := s.db.GetContext(ctx, &v, `SELECT value FROM settings WHERE key = 'impact.public'`)
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('impact.public', $1, $2, now())
			ON CONFLICT (key) DO UPDATE SET value = $1, updated_by = $2, updated_at = now()`, v, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("impact.visibility", "setting", 0, map[string]any{"public": public}))
	})
}
