package dbtest

import (
	"testing"

	"github.com/jmoiron/sqlx"
)

// Approve makes application appID approved as the board would: a closed
// vote, opened by admin adminID, that approved cents (the most an award may
// be). It returns the vote's id, for fixtures that write an award directly.
func Approve(t testing.TB, q sqlx.Queryer, appID, cents, adminID int64) int64 {
	t.Helper()
	var vote int64
	err := sqlx.Get(q, &vote, `WITH a AS (UPDATE applications SET status = 'approved' WHERE id = $1 RETURNING id)
		INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at, closed_at, closed_by, result, decision, approved_cents)
		SELECT a.id, $2, $3, now() - interval '8 days', now() - interval '1 day', now() - interval '1 day', $3,
			'{"Decision": "approved", "QuorumMet": true}', 'approved', $2 FROM a RETURNING id`, appID, cents, adminID)
	if err != nil {
		t.Fatalf("dbtest.Approve: %v", err)
	}
	return vote
}
