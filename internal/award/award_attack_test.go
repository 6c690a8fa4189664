package award_test

import (
	"context"
	"errors"
	"testing"

	"missiongrants/internal/award"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
)

// Attack (mistaken user, stale page): the application page gives every
// payment form the same one-time key, the reversal forms included. An
// admin reverses one line, comes back to the same page (browser back) and
// reverses another: Reverse takes the key's unique violation for "the same
// form again" and returns nil inside a transaction PostgreSQL has already
// aborted, so the commit fails: a server error (500), and the line is not
// reversed.
func TestAttackSecondReversalWithThePagesKeyIsAServerError(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)
	x, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, pay(inst[0], "1,000"))
	if err != nil {
		t.Fatal(err)
	}
	y, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, pay(inst[0], "2,000"))
	if err != nil {
		t.Fatal(err)
	}
	pageKey := key()
	if err := f.svc.Reverse(ctx, act(f.admin), f.admin, f.app, x.ID, "wrong account", pageKey); err != nil {
		t.Fatal(err)
	}
	err = f.svc.Reverse(ctx, act(f.admin), f.admin, f.app, y.ID, "paid twice", pageKey)
	var reversed bool
	if err := f.db.Get(&reversed, `SELECT EXISTS (SELECT 1 FROM payments WHERE reverses = $1)`, y.ID); err != nil {
		t.Fatal(err)
	}
	var r *refusal.Error
	if !reversed && !errors.As(err, &r) {
		t.Fatalf("the second reversal reversed nothing and failed as a server error: %v", err)
	}
}

// Attack (mistaken user, stale page): after a reversal made with the
// page's key, the payment form of the same page carries that key; the
// payment is answered with the reversal line, as if it were the payment
// just recorded, and nothing is paid.
func TestAttackPaymentAnsweredWithAReversalLine(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)
	x, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, pay(inst[0], "1,000"))
	if err != nil {
		t.Fatal(err)
	}
	pageKey := key()
	if err := f.svc.Reverse(ctx, act(f.admin), f.admin, f.app, x.ID, "wrong account", pageKey); err != nil {
		t.Fatal(err)
	}
	in := pay(inst[0], "3,000")
	in.IdempotencyKey = pageKey
	p, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, in)
	if err == nil && (p.Reverses != nil || p.InstalmentID != inst[0].ID || p.Amount != 300000) {
		t.Fatalf("a new payment of 3,000 was answered with another line (%d, amount %d, reverses %v) and nothing was paid", p.ID, p.Amount, p.Reverses)
	}
}

// Attack (policy bypass): a resent payment form is answered before the
// rules are asked. An admin recused from the application posts a payment
// form with a key already used: no refusal, and the payment (here: another
// admin's) comes back as if they had just recorded it.
func TestAttackRecusedAdminReplayingAFormKeyIsNotRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)
	made := pay(inst[0], "1,000")
	if _, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, made); err != nil {
		t.Fatal(err)
	}
	f.recuse(t, f.admin2)
	replay := pay(inst[0], "5,000")
	replay.IdempotencyKey = made.IdempotencyKey
	if _, err := f.svc.Pay(ctx, act(f.admin2), f.admin2, f.app, replay); !errors.Is(err, policy.ErrRecused) {
		t.Fatalf("a recused admin's payment form was answered without the rules: %v", err)
	}
}

// Attack (database, last line): the board approved US$20,000 and the
// vote is closed. Straight in SQL the closed vote's approved amount is
// raised, and then an award of US$50,000 passes the trigger that is to
// keep an award within what the board approved.
func TestAttackClosedVoteRewrittenToAllowABiggerAward(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, upd := f.db.Exec(`UPDATE votes SET approved_cents = 5000000 WHERE application_id = $1`, f.app)
	_, ins := f.db.Exec(`INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
		SELECT a.id, a.round_id, v.id, 2027, 5000000, $2, now() FROM applications a JOIN votes v ON v.application_id = a.id WHERE a.id = $1`, f.app, f.admin.ID)
	if upd == nil && ins == nil {
		t.Fatal("the database let a closed vote's approved amount be raised, and took an award of 50,000 on a 20,000 approval")
	}
}

// Attack (database, last line): the board approved US$20,000, then a new
// vote (for a different award) approved only US$5,000. Straight in SQL an
// award of US$20,000 naming the first, superseded vote passes the trigger;
// so does one after a later vote declined the application.
func TestAttackAwardNamesASupersededApproval(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var first int64
	if err := f.db.Get(&first, `SELECT id FROM votes WHERE application_id = $1`, f.app); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at, closed_at, closed_by, result, decision, approved_cents)
		VALUES ($1, 500000, $2, now() - interval '3 days', now() - interval '1 hour', now() - interval '1 hour', $2, '{}', 'approved', 500000)`, f.app, f.admin.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.db.Exec(`INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
		SELECT id, round_id, $2, 2027, 2000000, $3, now() FROM applications WHERE id = $1`, f.app, first, f.admin.ID)
	if err == nil {
		t.Fatal("the database took an award of 20,000 naming a vote superseded by a later approval of 5,000")
	}

	// The service, for its part, awards within the latest approval.
	in := award.Input{Amount: "20,000", Year: "2027", Instalments: []award.InstalmentInput{{Amount: "20,000", DueOn: "2027-02-01"}}}
	if _, err := f.svc.Create(context.Background(), act(f.admin), f.admin, f.app, in); err == nil {
		t.Fatal("the service awarded above the latest approval")
	}
}
