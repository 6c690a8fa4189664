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
type Lock int

const (
	NoLock Lock = iota
	// Share: for an action that must not race a change of the facts (a
	// conflict declared, the status moved), which take Update.
	Share
	// Update: for an action that changes the facts.
	Update
)

// loadQuery is Load's statement for each Lock: one statement each, so that
// each is prepared, and checked at start, as it runs.
var loadQuery = [...]string{NoLock: sqlLoad, Share: sqlLoadShare, Update: sqlLoadUpdate}

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
		ByBoard  bool            `db:"concept_by_board"`
	}
	err := q.GetContext(ctx, &row, loadQuery[lock], appID, u.ID, now)
	if err != nil {
		return Person{}, Facts{}, fmt.Errorf("policy.Load: %w", db.NotFound(err))
	}
	p := Person{ID: u.ID, Admin: u.IsAdmin, Board: u.IsBoard, Member: row.Member, Signatory: row.Signer, Declared: row.Declared, Recused: row.Recused}
	return p, Facts{Status: row.Status, VoteOpen: row.VoteOpen, Awarded: row.Awarded, Report: row.Report, Agreement: row.Agreed,
		ConceptByBoard: row.ByBoard}, nil
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
