package application

import (
	"context"
	"encoding/json"
	"fmt"
	"missiongrants/internal/policy"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/report"
	mailtmpl "missiongrants/templates/mail"
)

// ScreeningChecks are what an admin confirms before the board sees an
// application.
var ScreeningChecks = []string{"charitable_status", "cardiac_mission", "documents_complete", "licences_valid", "no_overdue_report"}

// Screening outcomes.
const (
	ToBoard  = "to_board"
	MoreInfo = "more_info"
	Decline  = "declined"
)

// Screening is an admin's verdict on a submitted application.
type Screening struct {
	Checks  map[string]bool
	Outcome string
	Note    string // the question (more_info) or the reason (declined)
}

// Screen records the checklist and moves the application: to the board when
// every check holds, back to the charity with a question, or declined with a
// reason the charity is mailed in its language. By whom policy.Screen allows.
func (s *Service) Screen(ctx context.Context, ac account.Actor, u *account.User, id int64, sc Screening) error {
	sc.Note = strings.TrimSpace(sc.Note)
	fe := i18n.FieldErrors{}
	switch sc.Outcome {
	case ToBoard:
		for _, c := range ScreeningChecks {
			if !sc.Checks[c] {
				fe["checks"] = i18n.Msg("error.screening.checks")
			}
		}
	case MoreInfo, Decline:
		fe.Add("note", field.Text(sc.Note, true, 5000))
	default:
		fe["outcome"] = i18n.Msg("error.field.choose")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if sc.Outcome == MoreInfo {
		return s.RequestInfo(ctx, ac, u, id, sc.Note) // records its own event, message and mail
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, false)
		if err != nil {
			return err
		}
		now := s.now()
		if err := policy.Check(ctx, tx, u, id, now, policy.Update, policy.Screen); err != nil {
			return err
		}
		if sc.Outcome == ToBoard {
			late, err := report.OverdueForOrganization(ctx, tx, a.OrganizationID, now, s.ReportDueDays)
			if err != nil {
				return err
			}
			if late {
				return i18n.FieldErrors{"checks": i18n.Msg("error.screening.overdue_report")}
			}
		}
		ev := policy.EventSendToBoard
		if sc.Outcome == Decline {
			ev = policy.EventDecline
		}
		if _, err := MoveTx(ctx, tx, ac, id, ev, policy.RoleAdmin, sc.Note, now); err != nil {
			return err
		}
		checks, _ := json.Marshal(sc.Checks)
		if _, err := tx.ExecContext(ctx, `INSERT INTO screenings (application_id, version, checks, outcome, screened_by, screened_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, a.Version, checks, sc.Outcome, u.ID, now); err != nil {
			return fmt.Errorf("application.Screen: %w", err)
		}
		if sc.Outcome == Decline {
			if _, err := tx.ExecContext(ctx, `UPDATE applications SET decline_reason = $2 WHERE id = $1`, id, sc.Note); err != nil {
				return err
			}
			return s.notifyMembers(ctx, tx, a.OrganizationID, mailtmpl.ApplicationDeclined{
				Title: a.mailTitle(), Reason: sc.Note, Link: s.link(id)})
		}
		return nil
	})
}
