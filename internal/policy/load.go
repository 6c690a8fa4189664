package policy

import (
	"context"
	"fmt"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/db"
)

// Lock is how Load holds the application's row until the caller's
// transaction ends.
type Lock string

const (
	NoLock Lock = ""
	// Share: for an action that must not race a change of the facts (a
	// conflict declared, the status moved), which take Update.
	Share Lock = " FOR SHARE OF a"
	// Update: for an action that changes the facts.
	Update Lock = " FOR UPDATE OF a"
)

// Load reads, in one statement, what the rules need to know of u and of
// application appID at now. Inside a transaction, lock holds the
// application's row so the facts stay true until it commits.
func Load(ctx context.Context, q db.Querier, u *account.User, appID int64, now time.Time, lock Lock) (Person, Facts, error) {
	var row struct {
		Status   Status          `db:"status"`
		Member   bool            `db:"member"`
		Signer   bool            `db:"signatory"`
		Declared bool            `db:"declared"`
		Recused  bool            `db:"recused"`
		VoteOpen bool            `db:"vote_open"`
		Awarded  bool            `db:"awarded"`
		Report   ReportStatus    `db:"report"`
		Agreed   AgreementStatus `db:"agreement"`
	}
	err := q.GetContext(ctx, &row, `SELECT a.status,
		EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
		EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
		c.user_id IS NOT NULL AS declared, coalesce(c.has_conflict, false) AS recused,
		EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
		EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
		coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
		coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
			WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement
		FROM applications a LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
		WHERE a.id = $1`+string(lock), appID, u.ID, now)
	if err != nil {
		return Person{}, Facts{}, fmt.Errorf("policy.Load: %w", db.NotFound(err))
	}
	p := Person{ID: u.ID, Admin: u.IsAdmin, Board: u.IsBoard, Member: row.Member, Signatory: row.Signer, Declared: row.Declared, Recused: row.Recused}
	return p, Facts{Status: row.Status, VoteOpen: row.VoteOpen, Awarded: row.Awarded, Report: row.Report, Agreement: row.Agreed}, nil
}

// LastLine is the rules' refusal when err is the database refusing an
// action by its last line (the triggers of migrations/00021_rules.sql), and
// nil otherwise: a race the policy's check lost is refused as it would
// have been.
func LastLine(err error) error {
	switch {
	case db.IsCheckViolation(err, "not_recused"):
		return ErrRecused
	case db.IsCheckViolation(err, "admin_only"):
		return ErrForbidden
	}
	return nil
}

// Check loads the facts and decides a for u on application appID, in the
// caller's transaction (see Load for lock). An application u may not see
// is not found, so ids reveal nothing.
func Check(ctx context.Context, q db.Querier, u *account.User, appID int64, now time.Time, lock Lock, a Action) error {
	p, f, err := Load(ctx, q, u, appID, now, lock)
	if err != nil {
		return err
	}
	if Decide(p, f, View) != nil {
		return fmt.Errorf("policy.Check: %w", db.ErrNotFound)
	}
	return Decide(p, f, a)
}
