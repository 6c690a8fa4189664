package application

import (
	"context"
	"encoding/json"
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
	At        time.Time `db:"at"`
	ActorName string    `db:"actor_name"`
	Event     string    `db:"event"`
	ToStatus  *string   `db:"to_status"`
	Note      string    `db:"note"`
}

// Timeline lists what happened, oldest first.
func (s *Service) Timeline(ctx context.Context, u *account.User, id int64) ([]TimelineEntry, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return s.timeline(ctx, id)
}

// timeline, versions and messages read an application's parts; the caller
// has checked that the person may see it.
func (s *Service) timeline(ctx context.Context, id int64) ([]TimelineEntry, error) {
	var out []TimelineEntry
	err := s.db.SelectContext(ctx, &out, `SELECT e.at, coalesce(u.name, '') AS actor_name, e.event, e.to_status, e.note
		FROM application_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.application_id = $1 ORDER BY e.at, e.id`, id)
	return out, err
}

// Post is one message of the thread.
type Post struct {
	ID         int64     `db:"id"`
	AuthorName string    `db:"author_name"`
	FromIPA    bool      `db:"from_ipa"`
	Body       string    `db:"body"`
	CreatedAt  time.Time `db:"created_at"`
	// About names what the message is about when the portal posted it:
	// "report_corrections" (the post-trip report sent back); "" otherwise.
	About string `db:"about"`
}

// Messages lists the thread, oldest first.
func (s *Service) Messages(ctx context.Context, u *account.User, id int64) ([]Post, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return s.messages(ctx, id)
}

func (s *Service) messages(ctx context.Context, id int64) ([]Post, error) {
	var out []Post
	err := s.db.SelectContext(ctx, &out, `SELECT m.id, u.name AS author_name, m.from_ipa, m.body, m.created_at, coalesce(m.about, '') AS about
		FROM application_messages m JOIN users u ON u.id = m.author_id
		WHERE m.application_id = $1 ORDER BY m.created_at, m.id`, id)
	return out, err
}

func checkMessage(body string) error { return field.Text(body, true, 10000) }

func insertMessage(ctx context.Context, tx *sqlx.Tx, id, author int64, fromIPA bool, body string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO application_messages (application_id, author_id, from_ipa, body, created_at)
		VALUES ($1, $2, $3, $4, $5)`, id, author, fromIPA, body, at)
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
	return s.notify(ctx, tx, e, `SELECT email, language FROM users WHERE is_admin AND active AND notify_email`)
}

// notifyMembers mails the charity's members who want notifications.
func (s *Service) notifyMembers(ctx context.Context, tx *sqlx.Tx, orgID int64, e mailtmpl.Email) error {
	return s.notify(ctx, tx, e, `SELECT u.email, u.language FROM users u
		JOIN organization_members m ON m.user_id = u.id WHERE m.organization_id = $1 AND u.active AND u.notify_email`, orgID)
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
	Number      int       `db:"version"`
	SubmittedAt time.Time `db:"submitted_at"`
	SubmittedBy string    `db:"submitted_by"` // the person's name
	Form        Form      `db:"-"`
	Data        []byte    `db:"data"`
}

// Versions lists every submitted version, oldest first, with its form.
func (s *Service) Versions(ctx context.Context, u *account.User, id int64) ([]Version, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return s.versions(ctx, id)
}

func (s *Service) versions(ctx context.Context, id int64) ([]Version, error) {
	var out []Version
	if err := s.db.SelectContext(ctx, &out, `SELECT v.version, v.submitted_at, u.name AS submitted_by, v.data
		FROM application_versions v JOIN users u ON u.id = v.submitted_by
		WHERE v.application_id = $1 ORDER BY v.version`, id); err != nil {
		return nil, err
	}
	for i := range out {
		if err := json.Unmarshal(out[i].Data, &out[i].Form); err != nil {
			return nil, fmt.Errorf("application.Versions: %w", err)
		}
		out[i].Form.Normalize()
		out[i].Data = nil
	}
	return out, nil
}
