package document

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"missiongrants/internal/db"
)

// What the application's submission asks of documents. These functions take
// the caller's Querier (the submission's transaction) and check no access:
// the caller has already decided the person may act on the application.

// RequiredKinds are the documents an application needs before it can be
// submitted: one current document of each, either the application's own or
// its organization's.
func RequiredKinds() []Kind {
	return []Kind{CharitableStatus, BudgetSheet, HostAgreement, TeamLicence}
}

// Missing lists the required kinds application applicationID has no
// current document of, in RequiredKinds' order; none means complete. A
// licence that has expired counts as missing: a renewed one is needed.
func Missing(ctx context.Context, q db.Querier, applicationID int64) ([]Kind, error) {
	m, err := MissingEach(ctx, q, []int64{applicationID})
	return m[applicationID], err
}

// MissingEach is Missing for each of several applications, in one
// statement (the charity's home lists its drafts' missing documents).
func MissingEach(ctx context.Context, q db.Querier, ids []int64) (map[int64][]Kind, error) {
	var have []struct {
		ApplicationID int64 `db:"application_id"`
		Kind          Kind  `db:"kind"`
	}
	if err := q.SelectContext(ctx, &have, sqlMissing, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("document.Missing: %w", err)
	}
	type held struct {
		id   int64
		kind Kind
	}
	found := make(map[held]bool, len(have))
	for _, h := range have {
		found[held{h.ApplicationID, h.Kind}] = true
	}
	out := make(map[int64][]Kind, len(ids))
	for _, id := range ids {
		for _, k := range RequiredKinds() {
			if !found[held{id, k}] {
				out[id] = append(out[id], k)
			}
		}
	}
	return out, nil
}

// Freeze records that version of application applicationID is submitted
// with the application's current documents (and its organization's own).
// Call it in the submission's transaction, after the version's row is
// written. From then on those documents are kept for that version however
// the draft changes.
func Freeze(ctx context.Context, q db.Querier, applicationID int64, version int) error {
	_, err := q.ExecContext(ctx, sqlFreeze,
		applicationID, version)
	if err != nil {
		return fmt.Errorf("document.Freeze: %w", err)
	}
	return nil
}

// LicenceExpiringBefore lists application applicationID's current team
// licences (its own and its organization's) that expire before day, e.g.
// the trip's first day, for the reviewers' flags.
func LicenceExpiringBefore(ctx context.Context, q db.Querier, applicationID int64, day time.Time) ([]Document, error) {
	out := []Document{}
	err := q.SelectContext(ctx, &out, sqlLicenceExpiringBefore, applicationID, day.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("document.LicenceExpiringBefore: %w", err)
	}
	return out, nil
}
