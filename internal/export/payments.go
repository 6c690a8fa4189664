package export

import (
	"context"
	"database/sql"
	"time"

	"missiongrants/internal/money"
)

// Payments lists the ledger lines paid in the period, with their award and
// instalment, in ledger order. Reversals are negative lines naming the line
// they reverse; a line still awaiting a second admin's approval says so,
// and one cancelled instead (it never counts) says that.
var Payments = Export{
	Name: "payments",
	Columns: []string{"payment", "paid_on", "amount", "currency", "method", "reference", "reverses", "reason", "state",
		"award", "award_amount", "application", "organization", "instalment", "instalment_amount", "instalment_due", "recorded_at"},
	run: payments,
}

func payments(ctx context.Context, q Querier, p Period, _ int64, emit func(Row) error) error {
	return stream(ctx, q, sqlPayments, []any{p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)},
		func(rows *sql.Rows) (Row, error) {
			var (
				id, amount, award, awardAmount, app, instAmount int64
				paidOn, due, recorded                           time.Time
				currency, method, ref, reason, state, org       string
				reverses                                        sql.NullInt64
				position                                        int64
			)
			err := rows.Scan(&id, &paidOn, &amount, &currency, &method, &ref, &reverses, &reason, &state,
				&award, &awardAmount, &app, &org, &position, &instAmount, &due, &recorded)
			var rev any
			if reverses.Valid {
				rev = reverses.Int64
			}
			return Row{id, Date(paidOn), money.Cents(amount), currency, method, ref, rev, reason, state,
				award, money.Cents(awardAmount), app, org, position, money.Cents(instAmount), Date(due), recorded.UTC()}, err
		}, emit)
}
