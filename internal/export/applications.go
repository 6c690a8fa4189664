package export

import (
	"context"
	"database/sql"
	"time"

	"missiongrants/internal/money"
)

// Applications lists the applications submitted in the period, oldest first,
// with their stage (a two-stage round's concept note, or the full proposal).
var Applications = Export{
	Name: "applications",
	Columns: []string{"application", "submitted_at", "status", "title", "organization", "country", "round",
		"trip_start", "trip_end", "amount_requested", "currency", "stage"},
	run: applications,
}

func applications(ctx context.Context, q Querier, p Period, _ int64, emit func(Row) error) error {
	from, to := p.bounds()
	return stream(ctx, q, sqlApplications, []any{from, to},
		func(rows *sql.Rows) (Row, error) {
			var (
				id                                     int64
				submitted                              time.Time
				status, stage, title, org, country, rd string
				start, end                             sql.NullTime
				amount                                 int64
				currency                               string
			)
			err := rows.Scan(&id, &submitted, &status, &title, &org, &country, &rd, &start, &end, &amount, &currency, &stage)
			return Row{id, submitted.UTC(), status, title, org, country, rd, date(start), date(end), money.Cents(amount), currency, stage}, err
		}, emit)
}
