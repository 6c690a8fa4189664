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

// AllAgreementsSigned is SQL for fixtures written as statements: it signs,
// as the charity would, the grant agreement of every award, so that
// payments can be recorded; an award written straight in SQL, without an
// agreement, gets one already signed.
const AllAgreementsSigned = `WITH w AS (
		SELECT w.id, w.application_id, w.created_at,
			coalesce((SELECT min(m.user_id) FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
				WHERE a.id = w.application_id), w.created_by) AS signer, w.created_by
		FROM awards w),
	signed AS (
		UPDATE agreements g SET signed_by = w.signer, signer_name = 'Test Signatory', signer_title = 'Treasurer',
			statement = 'Signed in a test.', signed_at = now(), signed_pdf = g.pdf
		FROM w WHERE g.award_id = w.id AND g.voided_at IS NULL AND g.signed_at IS NULL
		RETURNING g.award_id)
	INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at,
		signed_by, signer_name, signer_title, statement, signed_at, signed_pdf)
	SELECT w.id, w.application_id, 'en', 'Terms of a test.', '', repeat('0', 64), w.created_by, w.created_at,
		w.signer, 'Test Signatory', 'Treasurer', 'Signed in a test.', w.created_at, ''
	FROM w WHERE NOT EXISTS (SELECT 1 FROM agreements g WHERE g.award_id = w.id)`

// SignAgreements signs the grant agreement of every award (see
// AllAgreementsSigned), for fixtures that pay.
func SignAgreements(t testing.TB, q sqlx.Execer) {
	t.Helper()
	if _, err := q.Exec(AllAgreementsSigned); err != nil {
		t.Fatalf("dbtest.SignAgreements: %v", err)
	}
}
