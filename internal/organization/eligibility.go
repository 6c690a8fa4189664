package organization

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
)

// Questions of the eligibility check, in the order asked. Each has a text
// (eligibility.q.NAME) and, for a "no", what would make the charity eligible
// (eligibility.fix.NAME).
var Questions = []string{"charitable", "cardiac_mission", "host_agreed", "team_qualified"}

// Eligibility is the outcome: eligible when every answer is yes, otherwise
// the reasons, in the person's language later.
type Eligibility struct {
	Eligible bool
	Reasons  []i18n.Message
}

// Assess is the rule, kept pure so it is tested on its own.
func Assess(answers map[string]bool) Eligibility {
	var e Eligibility
	for _, q := range Questions {
		if !answers[q] {
			e.Reasons = append(e.Reasons, i18n.Msg("eligibility.fix."+q))
		}
	}
	e.Eligible = len(e.Reasons) == 0
	return e
}

// CheckEligibility records a member's answers for organization id and tells
// whether it may apply. A later "no" withdraws an earlier "eligible".
func (s *Service) CheckEligibility(ctx context.Context, a account.Actor, id int64, answers map[string]bool) (Eligibility, error) {
	e := Assess(answers)
	b, err := json.Marshal(answers)
	if err != nil {
		return e, err
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlEligibilityUpdate,
			a.UserID, id, b, e.Eligible, s.now())
		if err != nil {
			return fmt.Errorf("organization.CheckEligibility: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, tx, a.Event("organization.eligibility_checked", "organization", id,
			map[string]any{"answers": answers, "eligible": e.Eligible}))
	})
	return e, err
}
