package award_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"missiongrants/internal/account"
	"missiongrants/internal/award"
	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/policy"
)

// recuse records a conflict of interest for u on the fixture's application.
func (f *fixture) recuse(t *testing.T, u *account.User) {
	t.Helper()
	if _, err := f.db.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by)
		VALUES ($1, $2, true, 'my sister runs it', now(), $2)`, f.app, u.ID); err != nil {
		t.Fatal(err)
	}
}

// The board approved US$20,000: an award of US$25,000 is refused by the
// service, and written directly it is refused by the database; twenty
// attempts at once write nothing.
func TestAwardNeverExceedsTheVote(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	above := award.Input{Amount: "25,000", Year: "2027", Instalments: []award.InstalmentInput{{Amount: "10,000", DueOn: "2027-02-01"}, {Amount: "15,000", DueOn: "2027-06-01"}}}
	var fe i18n.FieldErrors
	if _, err := f.svc.Create(ctx, act(f.admin), f.admin, f.app, above); !errors.As(err, &fe) || fe["amount"].Key != award.ErrAboveVote.Key {
		t.Fatalf("an award above the vote: %v", err)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, _ = f.svc.Create(ctx, act(f.admin), f.admin, f.app, above)
		}()
	}
	close(start)
	wg.Wait()
	var n int
	if err := f.db.Get(&n, `SELECT count(*) FROM awards`); err != nil || n != 0 {
		t.Fatalf("%d awards written above the vote (%v)", n, err)
	}
	_, err := f.db.Exec(`INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
		SELECT a.id, a.round_id, v.id, 2027, 2500000, $2, now() FROM applications a JOIN votes v ON v.application_id = a.id WHERE a.id = $1`, f.app, f.admin.ID)
	if !db.IsCheckViolation(err, "award_within_vote") {
		t.Fatalf("the database took an award above the vote: %v", err)
	}
	// What the board approved, or less, is fine.
	f.award(t)
}

// A recused admin moves no money by any route: the service refuses, and
// so does the database when asked directly.
func TestRecusedAdminMovesNoMoney(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)
	big, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, pay(inst[0], "8,000"))
	if err != nil {
		t.Fatal(err)
	}
	f.recuse(t, f.admin2)
	if _, err := f.svc.Pay(ctx, act(f.admin2), f.admin2, f.app, pay(inst[1], "1")); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("a recused admin paid: %v", err)
	}
	if err := f.svc.Reverse(ctx, act(f.admin2), f.admin2, f.app, big.ID, "wrong account", key()); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("a recused admin reversed: %v", err)
	}
	_, err = f.db.Exec(`INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, idempotency_key, recorded_by, recorded_at)
		VALUES ($1, (SELECT award_id FROM instalments WHERE id = $1), 100, now(), 'wire', 'direct-key-000001', $2, now())`, inst[1].ID, f.admin2.ID)
	if !db.IsCheckViolation(err, "not_recused") {
		t.Errorf("the database took a recused admin's payment: %v", err)
	}
}

// A large payment approved by the recused admin and by another at the same
// moment: only the one not recused counts, once; run several times.
func TestRecusedAndFreeAdminApproveAtOnce(t *testing.T) {
	t.Parallel()
	for round := range 5 {
		f := setup(t)
		ctx := context.Background()
		admin3 := f.user(t, "admin3@ipa.example", true)
		f.recuse(t, f.admin2)
		_, inst := f.award(t)
		large := pay(inst[1], "10,000")
		large.OverrideReason = "the board agreed to pay before the report"
		p, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, large)
		if err != nil || p.Counts() {
			t.Fatalf("payment: %+v %v", p, err)
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, u := range []*account.User{f.admin2, admin3} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = f.svc.Approve(ctx, act(u), u, f.app, p.ID)
			}()
		}
		close(start)
		wg.Wait()
		if !errors.Is(errs[0], policy.ErrRecused) || errs[1] != nil {
			t.Fatalf("round %d: recused %v, free %v", round, errs[0], errs[1])
		}
		var approver int64
		var paid money.Cents
		if err := f.db.QueryRow(`SELECT (SELECT approved_by FROM payment_approvals), (SELECT paid_cents FROM awards)`).Scan(&approver, &paid); err != nil || approver != admin3.ID || paid != 1000000 {
			t.Fatalf("round %d: approved by %d, paid %d (%v)", round, approver, paid, err)
		}
	}
}

// 16,000 on a 10,000 instalment is refused when entered, pending approval
// or not; a pending payment can be cancelled with a reason, and then it
// frees the instalment, never counts, and cannot be approved.
func TestPendingPaymentsHoldTheirShareAndCanBeCancelled(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)
	over := pay(inst[1], "16,000")
	over.OverrideReason = "paid early"
	if _, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, over); !errors.Is(err, award.ErrOverpaid) {
		t.Fatalf("over the instalment: %v", err)
	}
	pending := pay(inst[1], "10,000")
	pending.OverrideReason = "paid early"
	p, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, pending)
	if err != nil || !p.Pending() {
		t.Fatalf("pending: %+v %v", p, err)
	}
	// What it holds is no longer due: a second payment is refused at once.
	second := pay(inst[1], "1")
	second.OverrideReason = "paid early"
	if _, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, second); !errors.Is(err, award.ErrOverpaid) {
		t.Fatalf("over what a pending payment holds: %v", err)
	}
	if err := f.svc.Cancel(ctx, act(f.admin2), f.admin2, f.app, p.ID, " "); err == nil {
		t.Fatal("cancelled without a reason")
	}
	mails := len(f.outbox.Sent())
	if err := f.svc.Cancel(ctx, act(f.admin2), f.admin2, f.app, p.ID, "wrong beneficiary account"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Approve(ctx, act(f.admin2), f.admin2, f.app, p.ID); !errors.Is(err, award.ErrNotPending) {
		t.Fatalf("approved after cancelling: %v", err)
	}
	_, _, pays, _ := f.svc.ForApplication(ctx, f.charity, f.app)
	if len(pays) != 1 || !pays[0].Cancelled || pays[0].Counts() || pays[0].CancelReason != "wrong beneficiary account" {
		t.Fatalf("ledger after cancelling: %+v", pays)
	}
	// Only the admin who recorded it is told; the charity is not.
	if got := len(f.outbox.Sent()) - mails; got != 1 {
		t.Errorf("%d mails for a cancellation, want 1 (the other admin)", got)
	}
	if _, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, second); err != nil {
		t.Fatalf("the instalment is due again after cancelling: %v", err)
	}
}

// The same payment entered twice from two fresh forms is refused the
// second time, unless the admin confirms it is another payment.
func TestPayingTwiceIsCaught(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)
	first := pay(inst[0], "4,000")
	first.Reference = "WIRE-778"
	if _, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, first); err != nil {
		t.Fatal(err)
	}
	again := first
	again.IdempotencyKey = key()
	if _, err := f.svc.Pay(ctx, act(f.admin2), f.admin2, f.app, again); !errors.Is(err, award.ErrDuplicate) {
		t.Fatalf("the same reference twice: %v", err)
	}
	again.Reference = "" // no reference: the same instalment, amount and date
	first.Reference = ""
	again.Different = true
	if _, err := f.svc.Pay(ctx, act(f.admin2), f.admin2, f.app, again); err != nil {
		t.Fatalf("confirmed as a different payment: %v", err)
	}
	third := first
	third.IdempotencyKey = key()
	if _, err := f.svc.Pay(ctx, act(f.admin2), f.admin2, f.app, third); !errors.Is(err, award.ErrOverpaid) && !errors.Is(err, award.ErrDuplicate) {
		t.Fatalf("a third time: %v", err)
	}
}

// A payment is booked on the application named, never through another's
// instalment.
func TestPaymentBoundToTheApplication(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, inst := f.award(t)
	if _, err := f.svc.Pay(context.Background(), act(f.admin), f.admin, f.app+1000, pay(inst[0], "1")); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("paid through another application: %v", err)
	}
}
