package award_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/agreement"
	"missiongrants/internal/award"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/money"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type fixture struct {
	db            *sqlx.DB
	svc           *award.Service
	outbox        *mailtest.Outbox
	admin, admin2 *account.User
	charity       *account.User
	app           int64
}

// setup: an approved application, two admins, a Spanish charity member;
// payments of US$10,000 or more need a second admin.
func setup(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	f := &fixture{db: pool, outbox: mailtest.NewOutbox(t)}
	now := func() time.Time { return time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC) }
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	agreements := agreement.New(pool, agreement.Options{Papers: papers.New(cat), ReportDueDays: 60, Now: now})
	f.svc = award.New(pool, award.Options{Outbox: f.outbox.Outbox, ApprovalThreshold: 1_000_000, Agreements: agreements, Now: now})
	f.admin = f.user(t, "admin@ipa.example", true)
	f.admin2 = f.user(t, "admin2@ipa.example", true)
	f.charity = f.user(t, "lucia@corazones.example", false)
	if _, err := pool.Exec(`UPDATE users SET language = 'es' WHERE id = $1`, f.charity.ID); err != nil {
		t.Fatal(err)
	}
	err = pool.Get(&f.app, `
		WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			VALUES ('Corazones', 'DO', '1', $1, now()) RETURNING id),
		m AS (INSERT INTO organization_members (organization_id, user_id) SELECT id, $1 FROM o),
		r AS (INSERT INTO funding_rounds (name, rolling, budget_cents) VALUES ('2027', true, 10000000) RETURNING id)
		INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
		SELECT o.id, r.id, 'in_review', 1, 'Misión 2027', 2000000, now(), $1 FROM o, r RETURNING id`, f.charity.ID)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Approve(t, pool, f.app, 2000000, f.admin.ID) // the board approved US$20,000
	return f
}

func (f *fixture) user(t *testing.T, email string, admin bool) *account.User {
	t.Helper()
	var u account.User
	if err := f.db.Get(&u, `INSERT INTO users (email, name, is_admin, email_confirmed_at) VALUES ($1, $1, $2, now())
		RETURNING id, email, name, is_admin, is_board, active, language`, email, admin); err != nil {
		t.Fatal(err)
	}
	return &u
}

func act(u *account.User) account.Actor { return account.Actor{UserID: u.ID, IP: "198.51.100.1"} }

// award: US$18,000 in two instalments, 8,000 before the trip and 10,000
// once the report is accepted; the charity has signed its agreement.
func (f *fixture) award(t *testing.T) (int64, []award.Instalment) {
	t.Helper()
	id, err := f.svc.Create(context.Background(), act(f.admin), f.admin, f.app, award.Input{Amount: "18,000", Year: "2027",
		Instalments: []award.InstalmentInput{{Amount: "8,000", DueOn: "2027-02-01", Condition: "before_trip"}, {Amount: "10,000", DueOn: "2027-06-01", Condition: "report_accepted"}}})
	if err != nil {
		t.Fatal(err)
	}
	dbtest.SignAgreements(t, f.db)
	_, inst, _, err := f.svc.ForApplication(context.Background(), f.admin, f.app)
	if err != nil || len(inst) != 2 {
		t.Fatalf("instalments %v, %v", inst, err)
	}
	return id, inst
}

var keys atomic.Int64

// key is a new form's one-time key.
func key() string { return fmt.Sprintf("form-key-%012d", keys.Add(1)) }

func pay(i award.Instalment, amount string) award.PaymentInput {
	return award.PaymentInput{InstalmentID: i.ID, Amount: amount, PaidOn: "2027-03-01", Method: "wire", Reference: "W-" + key(), IdempotencyKey: key()}
}

func TestScheduleMustAddUp(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.svc.Create(context.Background(), act(f.admin), f.admin, f.app, award.Input{Amount: "18,000", Year: "2027",
		Instalments: []award.InstalmentInput{{Amount: "8,000", DueOn: "2027-02-01"}, {Amount: "9,999.99", DueOn: "2027-06-01"}}})
	if err == nil || !strings.Contains(err.Error(), "error.award.instalments_sum") {
		t.Fatalf("a schedule short by a cent: %v", err)
	}
	if _, err := f.svc.Create(context.Background(), act(f.charity), f.charity, f.app, award.Input{}); !errors.Is(err, policy.ErrForbidden) {
		t.Fatalf("a charity made an award: %v", err)
	}
}

// Twenty admins' requests paying the same instalment at the same moment:
// exactly one payment, the others a clear refusal; run several times.
func TestConcurrentPaymentsOfOneInstalmentPayOnce(t *testing.T) {
	testenv.Full(t, "a race run many times (slow)")
	t.Parallel()
	for round := 0; round < 5; round++ {
		f := setup(t)
		_, inst := f.award(t)
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.svc.Pay(context.Background(), act(f.admin), f.admin, f.app, pay(inst[0], "8,000"))
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, award.ErrOverpaid):
				t.Fatalf("unexpected: %v", err)
			}
		}
		var lines int
		var paid money.Cents
		_ = f.db.Get(&lines, `SELECT count(*) FROM payments`)
		_ = f.db.Get(&paid, `SELECT paid_cents FROM awards`)
		if ok != 1 || lines != 1 || paid != 800000 {
			t.Fatalf("round %d: %d accepted, %d lines, %d paid", round, ok, lines, paid)
		}
	}
}

// Concurrent partial payments of both instalments never pay more than the
// award, and the totals always equal the ledger.
func TestConcurrentPaymentsNeverExceedTheAward(t *testing.T) {
	testenv.Full(t, "a race run many times (slow)")
	t.Parallel()
	for round := 0; round < 3; round++ {
		f := setup(t)
		_, inst := f.award(t)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 24; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				in := pay(inst[i%2], "1,500")
				in.OverrideReason = "paid ahead by the board's decision"
				_, _ = f.svc.Pay(context.Background(), act(f.admin), f.admin, f.app, in)
			}()
		}
		close(start)
		wg.Wait()
		var ledger, award, inst0, inst1 money.Cents
		_ = f.db.Get(&ledger, `SELECT coalesce(sum(amount_cents), 0) FROM payments`)
		_ = f.db.Get(&award, `SELECT paid_cents FROM awards`)
		_ = f.db.Get(&inst0, `SELECT paid_cents FROM instalments WHERE position = 1`)
		_ = f.db.Get(&inst1, `SELECT paid_cents FROM instalments WHERE position = 2`)
		if ledger != award || inst0+inst1 != award || inst0 > 800000 || inst1 > 1000000 || award > 1800000 {
			t.Fatalf("ledger %d, award %d, instalments %d + %d", ledger, award, inst0, inst1)
		}
	}
}

func TestResentFormRecordsOnePayment(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, inst := f.award(t)
	in := pay(inst[0], "3,000")
	var wg sync.WaitGroup
	ids := make([]int64, 5)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.svc.Pay(context.Background(), act(f.admin), f.admin, f.app, in)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = p.ID
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("one form made payments %v", ids)
		}
	}
	if m := f.outbox.To("lucia@corazones.example"); len(m) != 1 || !strings.Contains(m[0].Text, "US$3.000,00") {
		t.Fatalf("the charity was told %d times: %+v", len(m), m)
	}
}

func TestReversalsApprovalsAndTheReportGate(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, inst := f.award(t)

	// The report-gated instalment waits, unless an admin records why.
	if _, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, pay(inst[1], "500")); !errors.Is(err, award.ErrReportGate) {
		t.Fatalf("paid before the report: %v", err)
	}
	// A large payment counts only once a second admin approves it.
	big := pay(inst[1], "10,000")
	big.OverrideReason = "the report was delayed by the hospital; the board agreed"
	p, err := f.svc.Pay(ctx, act(f.admin), f.admin, f.app, big)
	if err != nil || p.Counts() {
		t.Fatalf("large payment: %+v, %v", p, err)
	}
	if err := f.svc.Approve(ctx, act(f.admin), f.admin, f.app, p.ID); !errors.Is(err, award.ErrSecondAdmin) {
		t.Fatalf("self-approved: %v", err)
	}
	w, _, _, _ := f.svc.ForApplication(ctx, f.admin, f.app)
	if w.Paid != 0 {
		t.Fatalf("an unapproved payment counts: %d", w.Paid)
	}
	if err := f.svc.Approve(ctx, act(f.admin2), f.admin2, f.app, p.ID); err != nil {
		t.Fatal(err)
	}
	w, _, _, _ = f.svc.ForApplication(ctx, f.charity, f.app)
	if w == nil || w.Paid != 1000000 || w.Outstanding() != 800000 {
		t.Fatalf("after approval, as the charity sees it: %+v", w)
	}
	// A mistake is reversed, never edited; once.
	if err := f.svc.Reverse(ctx, act(f.admin), f.admin, f.app, p.ID, "", key()); err == nil {
		t.Fatal("a reversal without a reason")
	}
	if err := f.svc.Reverse(ctx, act(f.admin), f.admin, f.app, p.ID, "wrong bank account", key()); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Reverse(ctx, act(f.admin), f.admin, f.app, p.ID, "again", key()); !errors.Is(err, award.ErrAlreadyReversed) {
		t.Fatalf("reversed twice: %v", err)
	}
	w, _, lines, _ := f.svc.ForApplication(ctx, f.admin, f.app)
	if w.Paid != 0 || len(lines) != 2 || lines[1].Amount != -1000000 {
		t.Fatalf("after the reversal: paid %d, ledger %+v", w.Paid, lines)
	}
	// The ledger cannot be edited or deleted, even directly.
	for _, stmt := range []string{`UPDATE payments SET amount_cents = 1`, `DELETE FROM payments`, `DELETE FROM payment_approvals`} {
		if _, err := f.db.Exec(stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
	b, err := f.svc.RoundBudget(ctx, mustRound(t, f))
	if err != nil || b.Budget != 10000000 || b.Awarded != 1800000 || b.Paid != 0 || b.Remaining() != 8200000 {
		t.Fatalf("budget %+v, %v", b, err)
	}
	// Nobody outside the charity and the IPA sees the award.
	stranger := f.user(t, "x@y.example", false)
	if w, _, _, _ := f.svc.ForApplication(ctx, stranger, f.app); w != nil {
		t.Fatal("a stranger sees the award")
	}
}

func mustRound(t *testing.T, f *fixture) int64 {
	var id int64
	if err := f.db.Get(&id, `SELECT round_id FROM applications WHERE id = $1`, f.app); err != nil {
		t.Fatal(err)
	}
	return id
}
