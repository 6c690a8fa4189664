package document

import (
	"context"
	"fmt"
	"time"

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
	var have []Kind
	err := q.SelectContext(ctx, &have, `SELECT DISTINCT d.kind FROM documents d JOIN applications a ON a.id = $1
		WHERE d.removed_at IS NULL AND (d.licence_expires_on IS NULL OR d.licence_expires_on >= current_date)
		  AND (d.application_id = a.id OR (d.application_id IS NULL AND d.organization_id = a.organization_id))`,
		applicationID)
	if err != nil {
		return nil, fmt.Errorf("document.Missing: %w", err)
	}
	var missing []Kind
	for _, k := range RequiredKinds() {
		found := false
		for _, h := range have {
			found = found || h == k
		}
		if !found {
			missing = append(missing, k)
		}
	}
	return missing, nil
}

// Freeze records that version of application applicationID is submitted
// with the application's current documents (and its organization's own).
// Call it in the submission's transaction, after the version's row is
// written. From then on those documents are kept for that version however
// the draft changes.
func Freeze(ctx context.Context, q db.Querier, applicationID int64, version int) error {
	_, err := q.ExecContext(ctx, `INSERT INTO application_version_documents (application_id, version, document_id)
		SELECT a.id, $2, d.id FROM documents d JOIN applications a ON a.id = $1
		WHERE d.removed_at IS NULL
		  AND (d.application_id = a.id OR (d.application_id IS NULL AND d.organization_id = a.organization_id))`,
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
	err := q.SelectContext(ctx, &out, `SELECT `+columns+` FROM documents d JOIN applications a ON a.id = $1
		WHERE d.removed_at IS NULL AND d.kind = 'team_licence' AND d.licence_expires_on < $2
		  AND (d.application_id = a.id OR (d.application_id IS NULL AND d.organization_id = a.organization_id))
		ORDER BY d.licence_expires_on, d.id`, applicationID, day.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("document.LicenceExpiringBefore: %w", err)
	}
	return out, nil
}
