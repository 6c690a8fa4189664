// Package award owns the money: an approved application's award, its
// payment schedule, and the append-only ledger of payments. Only admins
// touch money; the charity sees what concerns it. The database enforces the
// sums (migrations/00011_awards.sql): this package asks, the CHECKs decide.
package award

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/money"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
)

// The package's refusals.
var (
	ErrNotFound  = db.ErrNotFound
	ErrForbidden = refusal.Forbidden("error.http.403")
	// ErrNotApproved: only an approved application becomes an award.
	ErrNotApproved = refusal.Conflict("error.award.not_approved")
	// ErrOverpaid: the payment would pay more than the instalment or award.
	ErrOverpaid = refusal.Conflict("error.award.overpaid")
	// ErrReportGate: the instalment waits for the post-trip report.
	ErrReportGate = refusal.Conflict("error.award.report_gate")
	// ErrSecondAdmin: a large payment is approved by another admin.
	ErrSecondAdmin = refusal.Forbidden("error.award.second_admin")
	// ErrAlreadyReversed: a line is reversed at most once.
	ErrAlreadyReversed = refusal.Conflict("error.award.already_reversed")
	// ErrAboveVote: the award exceeds what the board approved; a larger one
	// needs a new vote.
	ErrAboveVote = refusal.Invalid("error.award.above_vote")
	// ErrNotPending: only a payment waiting for approval is approved or cancelled.
	ErrNotPending = refusal.Conflict("error.award.not_pending")
	// ErrDuplicate: a payment like one already recorded, unless the admin
	// confirms it is another.
	ErrDuplicate = refusal.Conflict("error.award.duplicate")
	// ErrNotReversible: only a line that counts is reversed (one waiting
	// for approval is cancelled instead).
	ErrNotReversible = refusal.Conflict("error.award.not_reversible")
	// ErrFormUsed: the form's one-time key already made another line (a
	// page kept open, or sent back from the browser's history).
	ErrFormUsed = refusal.Conflict("error.award.form_used")
)

// Service runs award actions.
type Service struct {
	db        *sqlx.DB
	outbox    *mail.Outbox
	threshold money.Cents // payments of at least this much need a second admin; 0: none do
	agreement Issuer
	now       func() time.Time
}

// Issuer writes an award's grant agreement in the award's transaction
// (package agreement).
type Issuer interface {
	IssueTx(ctx context.Context, tx *sqlx.Tx, ac account.Actor, by *account.User, awardID int64) (int64, error)
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox *mail.Outbox
	// ApprovalThreshold: payments of at least this much need a second
	// admin's approval; 0: none do.
	ApprovalThreshold money.Cents
	// Agreements issues every award's grant agreement.
	Agreements Issuer
	Now        func() time.Time // the clock; nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: pool, outbox: o.Outbox, threshold: o.ApprovalThreshold, agreement: o.Agreements, now: o.Now}
}

// Award is an application's grant with its running totals.
type Award struct {
	ID            int64       `db:"id"`
	ApplicationID int64       `db:"application_id"`
	RoundID       int64       `db:"round_id"`
	Year          int         `db:"year"`
	Amount        money.Cents `db:"amount_cents"`
	Currency      string      `db:"currency"`
	Conditions    string      `db:"conditions"`
	Paid          money.Cents `db:"paid_cents"`
	CreatedAt     time.Time   `db:"created_at"`
}

// Outstanding is what is still to be paid.
func (a *Award) Outstanding() money.Cents { return a.Amount - a.Paid }

// Instalment is one scheduled payment.
type Instalment struct {
	ID        int64       `db:"id"`
	Position  int         `db:"position"`
	Amount    money.Cents `db:"amount_cents"`
	DueOn     time.Time   `db:"due_on"`
	Condition string      `db:"condition"`
	Paid      money.Cents `db:"paid_cents"`
}

// Outstanding is what is still to be paid on the instalment.
func (i *Instalment) Outstanding() money.Cents { return i.Amount - i.Paid }

// Conditions an instalment may wait for.
var Conditions = []string{"none", "before_trip", "report_accepted"}

// InstalmentInput is one line of the schedule as typed.
type InstalmentInput struct {
	Amount, DueOn, Condition string
}

// Input creates an award.
type Input struct {
	Amount      string
	Conditions  string
	Year        string
	Instalments []InstalmentInput
}

// Create turns an approved application into an award whose instalments add
// up to it exactly, by an admin not recused (policy.Award), for no more
// than the board approved.
func (s *Service) Create(ctx context.Context, ac account.Actor, u *account.User, appID int64, in Input) (int64, error) {
	fe := i18n.FieldErrors{}
	amount, err := money.Parse(in.Amount, u.Language)
	fe.Add("amount", err)
	year, err := field.Int(in.Year, true, 2000, 2100)
	fe.Add("year", err)
	fe.Add("conditions", field.Text(in.Conditions, false, 5000))
	var lines []Instalment
	var amounts []money.Cents
	for i, l := range in.Instalments {
		if strings.TrimSpace(l.Amount+l.DueOn) == "" {
			continue
		}
		n := fmt.Sprint(i)
		a, err := money.Parse(l.Amount, u.Language)
		fe.Add("instalment_amount_"+n, err)
		d, err := field.Date(l.DueOn, true)
		fe.Add("instalment_due_"+n, err)
		cond := l.Condition
		if cond == "" {
			cond = "none"
		}
		fe.Add("instalment_condition_"+n, field.OneOf(cond, true, Conditions...))
		lines = append(lines, Instalment{Position: len(lines) + 1, Amount: a, DueOn: d, Condition: cond})
		amounts = append(amounts, a)
	}
	if len(lines) == 0 {
		fe["instalments"] = i18n.Msg("error.award.no_instalments")
	} else if total, err := money.Sum(amounts...); err != nil || total != amount {
		if _, bad := fe["amount"]; !bad {
			fe["instalments"] = i18n.Msg("error.award.instalments_sum")
		}
	}
	var id int64
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		// Who may comes first: a person who may not is not told what is wrong with the form.
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Update, policy.Award); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var app struct {
			RoundID  int64       `db:"round_id"`
			Currency string      `db:"currency"`
			VoteID   int64       `db:"vote_id"`
			Approved money.Cents `db:"approved_cents"`
		}
		if err := tx.GetContext(ctx, &app, `SELECT a.round_id, a.currency, v.id AS vote_id, v.approved_cents
			FROM applications a JOIN votes v ON v.application_id = a.id AND v.decision = 'approved'
			WHERE a.id = $1 ORDER BY v.id DESC LIMIT 1`, appID); err != nil {
			return fmt.Errorf("award.Create: the approving vote: %w", db.NotFound(err))
		}
		if amount > app.Approved {
			return i18n.FieldErrors{"amount": ErrAboveVote.Message}
		}
		err := tx.GetContext(ctx, &id, `INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, currency, conditions, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			appID, app.RoundID, app.VoteID, year, amount, app.Currency, strings.TrimSpace(in.Conditions), u.ID, s.now())
		switch {
		case db.IsUniqueViolation(err, ""):
			return policy.ErrAwarded
		case db.IsCheckViolation(err, "award_within_vote"):
			return i18n.FieldErrors{"amount": ErrAboveVote.Message}
		case policy.LastLine(err) != nil:
			return policy.LastLine(err)
		case err != nil:
			return fmt.Errorf("award.Create: %w", err)
		}
		for _, l := range lines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO instalments (award_id, position, amount_cents, due_on, condition) VALUES ($1, $2, $3, $4, $5)`,
				id, l.Position, l.Amount, l.DueOn, l.Condition); err != nil {
				return fmt.Errorf("award.Create: instalment: %w", err)
			}
		}
		if err := audit.Record(ctx, tx, ac.Event("award.created", "application", appID, map[string]any{"award_id": id, "amount_cents": amount, "instalments": len(lines)})); err != nil {
			return err
		}
		_, err = s.agreement.IssueTx(ctx, tx, ac, u, id)
		return err
	})
	return id, err
}

const awardColumns = `w.id, w.application_id, w.round_id, w.year, w.amount_cents, w.currency, w.conditions, w.paid_cents, w.created_at`

// ForApplication returns the application's award (nil when there is none),
// its schedule and its ledger, if u may see them: the charity's members and
// the IPA.
func (s *Service) ForApplication(ctx context.Context, u *account.User, appID int64) (*Award, []Instalment, []Payment, error) {
	var w Award
	err := s.db.GetContext(ctx, &w, `SELECT `+awardColumns+` FROM awards w JOIN applications a ON a.id = w.application_id
		WHERE w.application_id = $3 AND ($2 OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $1))`,
		u.ID, u.IPA(), appID)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	var inst []Instalment
	if err := s.db.SelectContext(ctx, &inst, `SELECT id, position, amount_cents, due_on, condition, paid_cents FROM instalments WHERE award_id = $1 ORDER BY position`, w.ID); err != nil {
		return nil, nil, nil, err
	}
	var pays []Payment
	if err := s.db.SelectContext(ctx, &pays, `SELECT `+paymentColumns+paymentFrom+`WHERE p.award_id = $1 ORDER BY p.id`, w.ID); err != nil {
		return nil, nil, nil, err
	}
	return &w, inst, pays, nil
}
