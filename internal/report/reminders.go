package report

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/db"
	mailtmpl "missiongrants/templates/mail"
)

// remindBefore: the first reminder goes this long before the due date.
const remindBefore = 14 * 24 * time.Hour

// RemindDue sends the reminders that are due: two weeks before the due
// date, and once the report is late, to the charity's members and the host
// hospital's contact. Each reminder is recorded before it is queued, in one
// transaction, so it goes out once whichever process runs the job.
func (s *Service) RemindDue(ctx context.Context) (int, error) {
	now := s.now().UTC()
	var due []struct {
		ID    int64     `db:"id"`
		DueOn time.Time `db:"due_on"`
		Kind  string    `db:"kind"`
	}
	err := s.db.SelectContext(ctx, &due, `
		SELECT a.id, (a.trip_end + make_interval(days => $2::int))::date AS due_on,
			CASE WHEN a.trip_end + make_interval(days => $2::int) < $1::date THEN 'after' ELSE 'before' END AS kind
		FROM applications a
		WHERE a.status = 'approved' AND a.trip_end IS NOT NULL
		  AND a.trip_end + make_interval(days => $2::int) <= ($1::date + make_interval(days => $3::int))
		  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.application_id = a.id AND r.status IN ('submitted', 'accepted'))`,
		now, s.dueDays, int(remindBefore.Hours()/24))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range due {
		err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO report_reminders (application_id, kind, sent_at) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, d.ID, d.Kind, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // already reminded
			}
			sent++
			remind := func(title string) mailtmpl.Email {
				return mailtmpl.ReportReminder{Title: title, Due: d.DueOn, Late: d.Kind == "after",
					Link: s.base + "/applications/" + strconv.FormatInt(d.ID, 10) + "/report"}
			}
			if err := s.notifyMembers(ctx, tx, d.ID, remind); err != nil {
				return err
			}
			return s.notifyHost(ctx, tx, d.ID, remind)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// notifyHost tells the host hospital's contact, named in the submitted
// application, in the charity's language.
func (s *Service) notifyHost(ctx context.Context, tx *sqlx.Tx, appID int64, remind func(title string) mailtmpl.Email) error {
	var host struct {
		Email    string `db:"email"`
		Language string `db:"language"`
		Title    string `db:"title"`
	}
	err := tx.GetContext(ctx, &host, `SELECT coalesce(v.data->>'host_contact_email', '') AS email, a.title,
			coalesce((SELECT u.language FROM users u JOIN organization_members m ON m.user_id = u.id WHERE m.organization_id = a.organization_id LIMIT 1), 'en') AS language
		FROM applications a JOIN application_versions v ON v.application_id = a.id AND v.version = a.version WHERE a.id = $1`, appID)
	if errors.Is(db.NotFound(err), db.ErrNotFound) || (err == nil && host.Email == "") {
		return nil // no host contact to tell
	}
	if err != nil {
		return err
	}
	return s.outbox.Send(ctx, tx, host.Language, host.Email, remind(host.Title))
}
