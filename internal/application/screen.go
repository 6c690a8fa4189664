package application

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/notify"
	"missiongrants/internal/policy"
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
		if _, err := tx.ExecContext(ctx, sqlScreeningInsert, id, a.Version, checks, sc.Outcome, u.ID, now); err != nil {
			return fmt.Errorf("application.Screen: %w", err)
		}
		if sc.Outcome == Decline {
			if _, err := tx.ExecContext(ctx, sqlScreenUpdate, id, sc.Note); err != nil {
				return err
			}
			return s.notifyDeclined(ctx, tx, a, sc.Note)
		}
		return s.notifyBoard(ctx, tx, a)
	})
}

// notifyDeclined tells the charity's members their application was declined
// at screening, why, with the decline letter in each one's language.
func (s *Service) notifyDeclined(ctx context.Context, tx *sqlx.Tx, a *Application, reason string) error {
	var to []recipient
	if err := tx.SelectContext(ctx, &to, sqlDeclinedRecipients, a.OrganizationID); err != nil {
		return fmt.Errorf("application: recipients: %w", err)
	}
	for _, r := range to {
		var files []mail.Attachment
		if s.letters != nil {
			name, letter, err := s.letters.DeclineLetter(r.Language, s.now(), a.OrganizationName, r.Name, a.mailTitle(), reason)
			if err != nil {
				return err
			}
			files = append(files, mail.Attachment{Name: name, ContentType: "application/pdf", Data: letter})
		}
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, mailtmpl.ApplicationDeclined{Title: a.mailTitle(), Reason: reason, Link: s.link(a.ID)}, files...); err != nil {
			return err
		}
	}
	return nil
}

// notifyBoard tells the board (those who take mail, and are not of the
// charity) that an application is now before it.
func (s *Service) notifyBoard(ctx context.Context, tx *sqlx.Tx, a *Application) error {
	var to []notify.Recipient
	if err := tx.SelectContext(ctx, &to, sqlBoardRecipients, a.OrganizationID); err != nil {
		return fmt.Errorf("application: board: %w", err)
	}
	for _, r := range to {
		if err := s.notices.Send(ctx, tx, r, mailtmpl.ApplicationToBoard{Title: a.mailTitle(), Organization: a.OrganizationName, Link: s.link(a.ID)}); err != nil {
			return err
		}
	}
	return nil
}
