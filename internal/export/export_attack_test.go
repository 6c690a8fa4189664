package export_test

import (
	"testing"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/export"
)

// Attack (stale state): a large payment waiting for a second admin is
// cancelled (payment_cancellations, migrations/00021_rules.sql). The
// payments export still calls it "awaiting_approval": whoever reconciles
// the ledger from the export expects money that will never count, and may
// approve it again elsewhere.
func TestAttackCancelledPaymentExportedAsAwaitingApproval(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	seed(t, db)
	for _, q := range []string{
		`INSERT INTO users (id, email, name, is_admin) VALUES (901, 'otto@example.org', 'Otto Admin', true)`,
		`INSERT INTO payments (id, instalment_id, award_id, amount_cents, paid_on, method, reference, idempotency_key, needs_approval, recorded_by, recorded_at)
			VALUES (905, 902, 901, 200000, '2026-05-01', 'wire', 'BIG-1', 'key-0000000000905', true, 900, now())`,
		`INSERT INTO payment_cancellations (payment_id, cancelled_by, reason, cancelled_at) VALUES (905, 901, 'wrong account', now())`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	for _, row := range collect(t, db, export.Payments, year2026) {
		if row[0] == int64(905) && row[8] == "awaiting_approval" {
			t.Fatalf("a cancelled payment is exported as awaiting approval: %v", row)
		}
	}
}
