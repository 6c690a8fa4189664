package policy

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

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
	var row factsRow
	err := q.GetContext(ctx, &row, loadQuery[lock], appID, u.ID, now)
	if err != nil {
		return Person{}, Facts{}, fmt.Errorf("policy.Load: %w", db.NotFound(err))
	}
	p, f := row.Split(u, row.Status)
	return p, f, nil
}

// Known is what application_facts (migrations/00042_application_facts.sql)
// reads of a reader and an application, beside the application's row. Load
// reads it; a statement that reads an application for its page may read it
// in the same round trip, and Split makes of it what Load returns.
type Known struct {
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

// Split is u as the rules see them, and the facts of an application in
// status, from what application_facts read.
func (k Known) Split(u *account.User, status Status) (Person, Facts) {
	p := Person{ID: u.ID, Admin: u.IsAdmin, Board: u.IsBoard, Member: k.Member, Signatory: k.Signer, Declared: k.Declared, Recused: k.Recused}
	return p, Facts{Status: status, VoteOpen: k.VoteOpen, Awarded: k.Awarded, Report: k.Report, Agreement: k.Agreed,
		ConceptByBoard: k.ByBoard}
}

// factsRow is one application's facts as Load's statements read them.
type factsRow struct {
	ID     int64  `db:"id"`
	Status Status `db:"status"`
	Known
}

// CanEach is what u may do to each of the applications ids at now, read in
// one statement for a page that lists them; an application u may not see
// is left out.
func CanEach(ctx context.Context, q db.Querier, u *account.User, ids []int64, now time.Time) (map[int64]Can, error) {
	var rows []factsRow
	if err := q.SelectContext(ctx, &rows, sqlLoadMany, pq.Array(ids), u.ID, now); err != nil {
		return nil, fmt.Errorf("policy.CanEach: %w", err)
	}
	out := make(map[int64]Can, len(rows))
	for _, row := range rows {
		p, f := row.Split(u, row.Status)
		if Decide(p, f, View) == nil {
			out[row.ID] = For(p, f)
		}
	}
	return out, nil
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

// Board is every active board member as the rules see them on application
// appID (for BeAssigned: who may review it), in the caller's transaction.
func Board(ctx context.Context, q db.Querier, appID int64) ([]Person, error) {
	var rows []struct {
		ID       int64 `db:"id"`
		Admin    bool  `db:"is_admin"`
		Board    bool  `db:"is_board"`
		Member   bool  `db:"member"`
		Declared bool  `db:"declared"`
		Recused  bool  `db:"recused"`
	}
	if err := q.SelectContext(ctx, &rows, sqlBoard, appID); err != nil {
		return nil, fmt.Errorf("policy.Board: %w", err)
	}
	out := make([]Person, len(rows))
	for i, r := range rows {
		out[i] = Person{ID: r.ID, Admin: r.Admin, Board: r.Board, Member: r.Member, Declared: r.Declared, Recused: r.Recused}
	}
	return out, nil
}
