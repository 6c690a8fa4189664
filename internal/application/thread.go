package application

import (
	"context"
	"fmt"
	"missiongrants/internal/policy"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	mailtmpl "missiongrants/templates/mail"
)

// TimelineEntry is one thing that happened to an application.
type TimelineEntry struct {
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Event     string    `json:"event"`
	ToStatus  *string   `json:"to_status"`
	Note      string    `json:"note"`
}

// Timeline lists what happened, oldest first.
func (s *Service) Timeline(ctx context.Context, u *account.User, id int64) ([]TimelineEntry, error) {
	h, err := s.visibleHistory(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return h.Timeline, nil
}

// History is what an application's page shows of its past: the timeline,
// the versions sent and the thread with the IPA, each oldest first.
type History struct {
	Timeline []TimelineEntry
	Versions []Version
	Messages []Post
	Others   []Earlier // read only when asked for (show's others)
	// MoreOthers: the charity has sent more than the Others listed.
	MoreOthers bool
}

// OthersShown is how many of the charity's other applications its
// application's page lists, newest first; the rest are a search away.
const OthersShown = 5

// show reads application id with its History in one statement, if u may
// see it, and what the rules need to know of u and of it (policy.Known);
// with the charity's other applications when others and u is of the IPA.
func (s *Service) show(ctx context.Context, u *account.User, id int64, others bool) (*Application, *History, policy.Known, error) {
	var row struct {
		Application
		policy.Known
		Timeline []byte `db:"timeline"`
		Versions []byte `db:"versions"`
		Messages []byte `db:"messages"`
		Others   []byte `db:"others"` // null unless asked for
	}
	if err := s.db.GetContext(ctx, &row, sqlShow, id, u.IPA(), u.ID, others && u.IPA(), s.now()); err != nil {
		return nil, nil, policy.Known{}, fmt.Errorf("application.show: %w", db.NotFound(err))
	}
	h := &History{}
	if err := db.DecodeJSON(db.JSONColumn{JSON: row.Timeline, Into: &h.Timeline}, db.JSONColumn{JSON: row.Versions, Into: &h.Versions},
		db.JSONColumn{JSON: row.Messages, Into: &h.Messages}, db.JSONColumn{JSON: row.Others, Into: &h.Others}); err != nil {
		return nil, nil, policy.Known{}, fmt.Errorf("application.show: %w", err)
	}
	if len(h.Others) > OthersShown {
		h.Others, h.MoreOthers = h.Others[:OthersShown], true
	}
	for i := range h.Versions {
		h.Versions[i].Form.Normalize()
	}
	return &row.Application, h, row.Known, nil
}

// visibleHistory is application id's History if u may see the application.
func (s *Service) visibleHistory(ctx context.Context, u *account.User, id int64) (*History, error) {
	_, h, _, err := s.show(ctx, u, id, false)
	return h, err
}

// Post is one message of the thread.
type Post struct {
	ID         int64     `json:"id"`
	AuthorName string    `json:"author_name"`
	FromIPA    bool      `json:"from_ipa"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
	// About names what the message is about when the portal posted it:
	// "report_corrections" (the post-trip report sent back); "" otherwise.
	About string `json:"about"`
}

// Messages lists the thread, oldest first.
func (s *Service) Messages(ctx context.Context, u *account.User, id int64) ([]Post, error) {
	h, err := s.visibleHistory(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return h.Messages, nil
}

func checkMessage(body string) error { return field.Text(body, true, 10000) }

func insertMessage(ctx context.Context, tx *sqlx.Tx, id, author int64, fromIPA bool, body string, at time.Time) error {
	_, err := tx.ExecContext(ctx, sqlInsertMessage, id, author, fromIPA, body, at)
	if err != nil {
		return fmt.Errorf("application: message: %w", err)
	}
	return nil
}

// PostMessage adds to the thread: a member of the charity writes to the
// IPA's admins, an admin writes to the charity. The other side is emailed,
// each person in their own language. Board members read but do not write
// here (their discussion is internal).
func (s *Service) PostMessage(ctx context.Context, ac account.Actor, u *account.User, id int64, body string) error {
	body = strings.TrimSpace(body)
	if err := checkMessage(body); err != nil {
		return i18n.FieldErrors{"body": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, false)
		if err != nil {
			return err
		}
		now := s.now()
		who, facts, err := policy.Load(ctx, tx, u, id, now, policy.Share)
		if err != nil {
			return err
		}
		if err := policy.Decide(who, facts, policy.PostMessage); err != nil {
			return err
		}
		member := who.Member
		if err := insertMessage(ctx, tx, id, u.ID, !member, body, now); err != nil {
			return err
		}
		if err := event(ctx, tx, id, now, u.ID, "message", "", "", ""); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, ac.Event("application.message", "application", id, nil)); err != nil {
			return err
		}
		e := mailtmpl.ApplicationMessage{Title: a.mailTitle(), Author: u.Name, Message: body, Link: s.link(id)}
		if member {
			return s.notifyAdmins(ctx, tx, e)
		}
		return s.notifyMembers(ctx, tx, a.OrganizationID, e)
	})
}

type recipient struct {
	Email    string `db:"email"`
	Name     string `db:"name"`
	Language string `db:"language"`
}

// notifyAdmins mails every active admin who wants notifications.
func (s *Service) notifyAdmins(ctx context.Context, tx *sqlx.Tx, e mailtmpl.Email) error {
	return s.notify(ctx, tx, e, sqlNotifyAdmins)
}

// notifyMembers mails the charity's members who want notifications.
func (s *Service) notifyMembers(ctx context.Context, tx *sqlx.Tx, orgID int64, e mailtmpl.Email) error {
	return s.notify(ctx, tx, e, sqlNotifyMembers, orgID)
}

func (s *Service) notify(ctx context.Context, tx *sqlx.Tx, e mailtmpl.Email, query string, args ...any) error {
	var to []recipient
	if err := tx.SelectContext(ctx, &to, query, args...); err != nil {
		return fmt.Errorf("application: recipients: %w", err)
	}
	for _, r := range to {
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, e); err != nil {
			return err
		}
	}
	return nil
}

// Version is one submitted, frozen version.
type Version struct {
	Number      int       `json:"version"`
	SubmittedAt time.Time `json:"submitted_at"`
	SubmittedBy string    `json:"submitted_by"` // the person's name
	Form        Form      `json:"data"`
}

// Versions lists every submitted version, oldest first, with its form.
func (s *Service) Versions(ctx context.Context, u *account.User, id int64) ([]Version, error) {
	h, err := s.visibleHistory(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return h.Versions, nil
}
