package award

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/report"
	mailtmpl "missiongrants/templates/mail"
)

// Payment is one line of the ledger.
type Payment struct {
	ID             int64       `db:"id"`
	InstalmentID   int64       `db:"instalment_id"`
	Amount         money.Cents `db:"amount_cents"` // negative: a reversal
	Reverses       *int64      `db:"reverses"`
	PaidOn         time.Time   `db:"paid_on"`
	Method         string      `db:"method"`
	Reference      string      `db:"reference"`
	Reason         string      `db:"reason"`
	OverrideReason string      `db:"override_reason"`
	NeedsApproval  bool        `db:"needs_approval"`
	Approved       bool        `db:"approved"`
	// Cancelled: waiting for approval, it was stopped instead (with why).
	Cancelled    bool      `db:"cancelled"`
	CancelReason string    `db:"cancel_reason"`
	RecordedBy   int64     `db:"recorded_by"`
	Reversed     bool      `db:"reversed"` // a later line reverses this one
	ReceiptID    *int64    `db:"receipt_id"`
	RecordedAt   time.Time `db:"recorded_at"`
}

// Counts reports whether the line is in the totals (approved when it had to be).
func (p *Payment) Counts() bool { return !p.NeedsApproval || p.Approved }

// Pending reports whether the line waits for a second admin's approval.
func (p *Payment) Pending() bool { return p.NeedsApproval && !p.Approved && !p.Cancelled }

// Reversible reports whether the line may still be reversed.
func (p *Payment) Reversible() bool { return p.Reverses == nil && p.Counts() && !p.Reversed }

// Methods a payment is made by.
var Methods = []string{"check", "wire", "ach", "other"}

// PaymentInput is a payment as an admin records it.
type PaymentInput struct {
	InstalmentID   int64
	Amount         string
	PaidOn         string
	Method         string
	Reference      string
	OverrideReason string // why a report-gated instalment is paid before the report
	// Different: the admin confirms the payment is not the same as one
	// already recorded with the same reference (or, without one, the same
	// amount, instalment and date).
	Different bool
	// IdempotencyKey comes with the form: the same key twice is one payment.
	IdempotencyKey string
	// Receipt, when given, is recorded with the payment, in its transaction
	// (document.Staged).
	Receipt Receipt
}

// Receipt is a file waiting to be recorded with a payment.
type Receipt interface {
	RecordTx(ctx context.Context, tx *sqlx.Tx, u *account.User) (int64, error)
}

// Pay records a payment of an instalment. The database refuses one that
// would pay more than is due (so two admins paying the same instalment at
// the same moment get one payment and one clear error); a resent form is
// the same payment. A payment of at least the approval threshold counts
// only once a second admin approves it.
//
// The payment is booked on appID's award only: an instalment of another
// award is not found. Who may pay is policy.Pay's.
func (s *Service) Pay(ctx context.Context, ac account.Actor, u *account.User, appID int64, in PaymentInput) (*Payment, error) {
	fe := i18n.FieldErrors{}
	amount, err := money.Parse(in.Amount, u.Language)
	if err == nil && amount == 0 {
		err = i18n.Msg("error.money.empty")
	}
	fe.Add("amount", err)
	paidOn, err := field.Date(in.PaidOn, true)
	fe.Add("paid_on", err)
	if err == nil && paidOn.After(s.now().AddDate(0, 0, 1)) {
		fe["paid_on"] = i18n.Msg("error.award.paid_in_future")
	}
	fe.Add("method", field.OneOf(in.Method, true, Methods...))
	fe.Add("reference", field.Text(in.Reference, false, 200))
	fe.Add("override_reason", field.Text(in.OverrideReason, false, 2000))
	if !formKey(in.IdempotencyKey) {
		return nil, ErrNoFormKey
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var p Payment
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, policy.Pay); err != nil {
			return err
		}
		// The award's row lock makes payments of one award one at a time,
		// so the same form sent twice at once is seen as the same.
		var inst struct {
			AwardID   int64       `db:"award_id"`
			Condition string      `db:"condition"`
			AppID     int64       `db:"application_id"`
			Due       money.Cents `db:"due"`
		}
		if err := tx.GetContext(ctx, &inst, sqlPayInstalment, in.InstalmentID, appID); err != nil {
			return db.NotFound(err)
		}
		// A resent form: answer with the payment it already made (looked
		// for under the lock, so a concurrent resend sees the first).
		if made, err := resent(ctx, tx, appID, in, amount); err == nil {
			p = *made
			return nil
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		if amount > inst.Due {
			return ErrOverpaid
		}
		if !in.Different {
			if dup, err := s.duplicate(ctx, tx, inst.AwardID, in.InstalmentID, amount, paidOn, strings.TrimSpace(in.Reference)); err != nil || dup {
				return cmp.Or(err, error(ErrDuplicate))
			}
		}
		override := strings.TrimSpace(in.OverrideReason)
		if inst.Condition == "report_accepted" && override == "" && !s.reportAccepted(ctx, tx, inst.AppID) {
			return ErrReportGate
		}
		needsApproval := s.threshold > 0 && amount >= s.threshold
		var receipt *int64
		if in.Receipt != nil {
			id, err := in.Receipt.RecordTx(ctx, tx, u)
			if err != nil {
				return err
			}
			receipt = &id
		}
		err := tx.GetContext(ctx, &p.ID, sqlPaymentInsert,
			in.InstalmentID, inst.AwardID, amount, paidOn, in.Method, strings.TrimSpace(in.Reference), override,
			in.IdempotencyKey, needsApproval, receipt, u.ID, s.now())
		switch {
		case errors.Is(db.NotFound(err), db.ErrNotFound):
			return errResent // the same form, in a concurrent request: answered below
		case policy.LastLine(err) != nil:
			return policy.LastLine(err)
		case db.IsCheckViolation(err, ""):
			return ErrOverpaid
		case err != nil:
			return fmt.Errorf("award.Pay: %w", err)
		}
		made, err := paymentBy(ctx, tx, sqlPaymentByID, p.ID)
		if err != nil {
			return err
		}
		p = *made
		if err := audit.Record(ctx, tx, ac.Event("payment.recorded", "application", inst.AppID, map[string]any{
			"payment_id": p.ID, "instalment_id": in.InstalmentID, "amount_cents": amount, "method": in.Method, "needs_approval": needsApproval,
			"override_reason": override})); err != nil {
			return err
		}
		if needsApproval {
			return nil
		}
		return s.notifyPaid(ctx, tx, inst.AppID, amount)
	})
	if errors.Is(err, errResent) {
		return resent(ctx, s.db, appID, in, amount)
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// resent is the payment already made with the form's key (db.ErrNotFound:
// none), when it is this form's: a payment (not a reversal, whose forms
// carry keys too) of appID's award, of the same instalment and amount.
// A key used for anything else is ErrFormUsed, never another line passed
// off as the payment just recorded.
func resent(ctx context.Context, q db.Querier, appID int64, in PaymentInput, amount money.Cents) (*Payment, error) {
	made, err := paymentBy(ctx, q, sqlPaymentByKey, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	if _, err := paymentOf(ctx, q, appID, made.ID); errors.Is(err, db.ErrNotFound) || made.Reverses != nil ||
		made.InstalmentID != in.InstalmentID || made.Amount != amount {
		return nil, ErrFormUsed
	} else if err != nil {
		return nil, err
	}
	return made, nil
}

// formKey reports whether key can be a form's one-time key.
func formKey(key string) bool { return len(key) >= 16 && len(key) <= 100 }

// ErrNoFormKey: the form came without its one-time key (not from the page).
var ErrNoFormKey = refusal.BadRequest("error.form.unreadable")

// errResent: the same form arrived twice at once; the other request made
// the payment.
var errResent = errors.New("award: resent form")

// paymentBy loads the one payment that query (sqlPaymentByID or
// sqlPaymentByKey) finds by value.
func paymentBy(ctx context.Context, q db.Querier, query string, value any) (*Payment, error) {
	var p Payment
	err := q.GetContext(ctx, &p, query, value)
	if err != nil {
		return nil, db.NotFound(err)
	}
	return &p, nil
}

// reportAccepted is the gate of report-gated instalments.
func (s *Service) reportAccepted(ctx context.Context, q db.Querier, appID int64) bool {
	ok, err := report.Accepted(ctx, q, appID)
	return err == nil && ok
}

// pending loads payment paymentID of appID's award, when u may act on it
// by action, and it waits for approval.
func (s *Service) pending(ctx context.Context, tx *sqlx.Tx, u *account.User, appID, paymentID int64, action policy.Action) (*Payment, error) {
	if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, action); err != nil {
		return nil, err
	}
	p, err := paymentOf(ctx, tx, appID, paymentID)
	if err != nil {
		return nil, err
	}
	if !p.Pending() {
		return nil, ErrNotPending
	}
	return p, nil
}

// paymentOf loads payment paymentID if it is a line of appID's award.
func paymentOf(ctx context.Context, q db.Querier, appID, paymentID int64) (*Payment, error) {
	var p Payment
	err := q.GetContext(ctx, &p, sqlPaymentOf, paymentID, appID)
	return &p, db.NotFound(err)
}

// Approve is a second admin, not recused, approving a large payment of
// appID's award: from then on it counts.
func (s *Service) Approve(ctx context.Context, ac account.Actor, u *account.User, appID, paymentID int64) error {
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.pending(ctx, tx, u, appID, paymentID, policy.ApprovePayment)
		if err != nil {
			return err
		}
		if p.RecordedBy == u.ID {
			return ErrSecondAdmin
		}
		_, err = tx.ExecContext(ctx, sqlApprove, paymentID, u.ID, s.now())
		switch {
		case db.IsCheckViolation(err, "second_admin"):
			return ErrSecondAdmin
		case policy.LastLine(err) != nil:
			return policy.LastLine(err)
		case db.IsUniqueViolation(err, ""), db.IsCheckViolation(err, "payment_cancelled"):
			return ErrNotPending // approved or cancelled meanwhile
		case db.IsCheckViolation(err, ""):
			return ErrOverpaid
		case err != nil:
			return fmt.Errorf("award.Approve: %w", err)
		}
		if err := audit.Record(ctx, tx, ac.Event("payment.approved", "application", appID, map[string]any{"payment_id": paymentID})); err != nil {
			return err
		}
		return s.notifyPaid(ctx, tx, appID, p.Amount)
	})
}

// Cancel stops a payment of appID's award that waits for approval, with
// the reason: it never counts, and frees what it held of the instalment.
// The other admins are told; the charity, which was never told of it, is not.
func (s *Service) Cancel(ctx context.Context, ac account.Actor, u *account.User, appID, paymentID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := field.Text(reason, true, 2000); err != nil {
		return i18n.FieldErrors{"cancel_reason": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.pending(ctx, tx, u, appID, paymentID, policy.CancelPayment)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlCancel,
			paymentID, u.ID, reason, s.now())
		switch {
		case policy.LastLine(err) != nil:
			return policy.LastLine(err)
		case db.IsUniqueViolation(err, ""), db.IsCheckViolation(err, "payment_not_pending"):
			return ErrNotPending
		case err != nil:
			return fmt.Errorf("award.Cancel: %w", err)
		}
		if err := audit.Record(ctx, tx, ac.Event("payment.cancelled", "application", appID,
			map[string]any{"payment_id": paymentID, "amount_cents": p.Amount, "reason": reason})); err != nil {
			return err
		}
		return s.notifyAdmins(ctx, tx, u.ID, appID, p.Amount, reason)
	})
}

// duplicate reports whether a payment like this one is already in the
// award's ledger (and not reversed or cancelled): the same reference, or,
// without a reference, the same instalment, amount and date.
func (s *Service) duplicate(ctx context.Context, tx *sqlx.Tx, awardID, instalmentID int64, amount money.Cents, paidOn time.Time, reference string) (bool, error) {
	var dup bool
	err := tx.GetContext(ctx, &dup, sqlDuplicate,
		awardID, instalmentID, amount, paidOn, reference)
	return dup, err
}

// Reverse corrects a payment of appID's award by a reversing line with a
// reason; the original line stays.
func (s *Service) Reverse(ctx context.Context, ac account.Actor, u *account.User, appID, paymentID int64, reason, key string) error {
	reason = strings.TrimSpace(reason)
	if err := field.Text(reason, true, 2000); err != nil {
		return i18n.FieldErrors{"reason": err.(i18n.Message)}
	}
	if !formKey(key) {
		return ErrNoFormKey
	}
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, policy.ReversePayment); err != nil {
			return err
		}
		var p struct {
			InstalmentID int64       `db:"instalment_id"`
			AwardID      int64       `db:"award_id"`
			Amount       money.Cents `db:"amount_cents"`
		}
		if err := tx.GetContext(ctx, &p, sqlReversePayment, paymentID, appID); err != nil {
			return db.NotFound(err)
		}
		if err := reversalResent(ctx, tx, paymentID, key); !errors.Is(err, db.ErrNotFound) {
			return err // nil: the same form again
		}
		_, err := tx.ExecContext(ctx, sqlReversalInsert,
			p.InstalmentID, p.AwardID, -p.Amount, paymentID, s.now(), reason, key, u.ID, s.now())
		switch {
		case db.IsUniqueViolation(err, "payments_reverses_key"):
			return ErrAlreadyReversed
		case db.IsUniqueViolation(err, "payments_idempotency_key_key"):
			return errResent // the same form, in a concurrent request: answered below
		case policy.LastLine(err) != nil:
			return policy.LastLine(err)
		case db.IsCheckViolation(err, "reversal_matches"):
			return ErrNotReversible
		case db.IsCheckViolation(err, ""):
			return ErrAlreadyReversed
		case err != nil:
			return fmt.Errorf("award.Reverse: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("payment.reversed", "application", appID, map[string]any{"payment_id": paymentID, "reason": reason}))
	})
	if errors.Is(err, errResent) {
		return reversalResent(ctx, s.db, paymentID, key)
	}
	return err
}

// reversalResent answers a reversal form whose key was already used: nil
// when it made the reversal of paymentID (the same form again),
// ErrFormUsed when it made anything else, db.ErrNotFound when unused.
func reversalResent(ctx context.Context, q db.Querier, paymentID int64, key string) error {
	var reverses *int64
	err := q.GetContext(ctx, &reverses, sqlReversalResent, key)
	switch {
	case err != nil:
		return db.NotFound(err)
	case reverses == nil || *reverses != paymentID:
		return ErrFormUsed
	}
	return nil
}

// notifyAdmins tells the admins other than by a payment of appID's award
// was cancelled, and why, each in their language.
func (s *Service) notifyAdmins(ctx context.Context, tx *sqlx.Tx, by, appID int64, amount money.Cents, reason string) error {
	var to []struct {
		Email    string `db:"email"`
		Language string `db:"language"`
		Title    string `db:"title"`
		Currency string `db:"currency"`
	}
	if err := tx.SelectContext(ctx, &to, sqlNotifyAdmins, appID, by); err != nil {
		return err
	}
	for _, r := range to {
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, mailtmpl.PaymentCancelled{
			Title: r.Title, Amount: amount, Currency: money.Currency(r.Currency), Reason: reason}); err != nil {
			return err
		}
	}
	return nil
}

// notifyPaid tells the charity's members a payment was recorded, each in
// their language.
func (s *Service) notifyPaid(ctx context.Context, tx *sqlx.Tx, appID int64, amount money.Cents) error {
	var to []struct {
		Email    string `db:"email"`
		Language string `db:"language"`
		Title    string `db:"title"`
		Currency string `db:"currency"`
	}
	if err := tx.SelectContext(ctx, &to, sqlNotifyPaid, appID); err != nil {
		return err
	}
	for _, r := range to {
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, mailtmpl.PaymentRecorded{
			Title: r.Title, Amount: amount, Currency: money.Currency(r.Currency)}); err != nil {
			return err
		}
	}
	return nil
}

// Budget is a round's money: its budget, what was awarded and paid, and what
// remains.
type Budget struct {
	Budget, Awarded, Paid money.Cents
}

// Remaining is the budget not yet awarded.
func (b Budget) Remaining() money.Cents { return b.Budget - b.Awarded }

// RoundBudget sums round roundID's awards and payments.
func (s *Service) RoundBudget(ctx context.Context, roundID int64) (Budget, error) {
	var b Budget
	err := s.db.QueryRowxContext(ctx, sqlRoundBudget, roundID).Scan(&b.Budget, &b.Awarded, &b.Paid)
	return b, db.NotFound(err)
}

// RoundBudgets is RoundBudget for every round at once (the rounds page), by
// round id.
func (s *Service) RoundBudgets(ctx context.Context) (map[int64]Budget, error) {
	rows, err := s.db.QueryxContext(ctx, sqlRoundBudgets)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Budget{}
	for rows.Next() {
		var id int64
		var b Budget
		if err := rows.Scan(&id, &b.Budget, &b.Awarded, &b.Paid); err != nil {
			return nil, err
		}
		out[id] = b
	}
	return out, rows.Err()
}

// Year is one year's money: awarded, paid, and still to pay.
type Year struct {
	Year    int         `db:"year"`
	Awarded money.Cents `db:"awarded"`
	Paid    money.Cents `db:"paid"`
}

// Outstanding is what the year's awards still have to pay.
func (y Year) Outstanding() money.Cents { return y.Awarded - y.Paid }

// Years sums the awards by the year they count against, newest first: the
// sums the triggers of migrations/00024_counts_and_search.sql keep, so a
// view does not read every award.
func (s *Service) Years(ctx context.Context) ([]Year, error) {
	var out []Year
	err := s.db.SelectContext(ctx, &out, sqlYears)
	return out, err
}
