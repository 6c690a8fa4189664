package review

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/policy"
)

// CriterionInput is a criterion as an admin writes it.
type CriterionInput struct {
	Key, NameEN, NameES, Weight string
	Active                      bool
}

var criterionKey = regexp.MustCompile(`^[a-z_]{1,40}$`)

// AllCriteria lists every criterion, retired ones included, for the admins' page.
func (s *Service) AllCriteria(ctx context.Context) ([]Criterion, error) {
	var out []Criterion
	err := s.db.SelectContext(ctx, &out, sqlAllCriteria)
	return out, err
}

// SaveCriterion adds (id 0) or changes a criterion; admins only. Reviews
// already written keep the scores they gave; a retired criterion is simply
// no longer asked.
func (s *Service) SaveCriterion(ctx context.Context, ac account.Actor, u *account.User, id int64, in CriterionInput) error {
	if !u.IsAdmin {
		return policy.ErrForbidden
	}
	fe := i18n.FieldErrors{}
	in.Key = strings.TrimSpace(in.Key)
	if id == 0 && !criterionKey.MatchString(in.Key) {
		fe["key"] = i18n.Msg("error.criterion.key")
	}
	fe.Add("name_en", field.Line(strings.TrimSpace(in.NameEN), true, 200))
	fe.Add("name_es", field.Line(strings.TrimSpace(in.NameES), true, 200))
	weight, err := field.Int(in.Weight, true, 1, 10)
	fe.Add("weight", err)
	if err := fe.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var err error
		if id == 0 {
			err = tx.GetContext(ctx, &id, sqlCriterionInsert,
				in.Key, strings.TrimSpace(in.NameEN), strings.TrimSpace(in.NameES), weight, in.Active)
			if db.IsUniqueViolation(err, "") {
				return i18n.FieldErrors{"key": i18n.Msg("error.criterion.key_taken")}
			}
		} else {
			var res interface{ RowsAffected() (int64, error) }
			res, err = tx.ExecContext(ctx, sqlCriterionUpdate,
				id, strings.TrimSpace(in.NameEN), strings.TrimSpace(in.NameES), weight, in.Active)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return ErrNotFound
				}
			}
		}
		if err != nil {
			return fmt.Errorf("review.SaveCriterion: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("review.criterion_saved", "review_criterion", id, map[string]any{"weight": weight, "active": in.Active}))
	})
}
