package export

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	oe "missiongrants/internal/outcomes"
)

// Outcomes lists the post-trip reports accepted in the period with their
// figures, oldest acceptance first; as every export of outcomes, without
// the charities whose outcomes its reader does not see (outcomes.Unseen).
var Outcomes = Export{
	Name: "outcomes",
	Columns: []string{"application", "accepted_at", "title", "organization", "country", "trip_start", "trip_end",
		"patients", "pediatric", "open_heart", "bypass", "interventional", "deaths"},
	run: outcomes,
}

func outcomes(ctx context.Context, q Querier, p Period, reader int64, emit func(Row) error) error {
	from, to := p.bounds()
	unseen, err := oe.Unseen(ctx, q, reader)
	if err != nil {
		return err
	}
	return stream(ctx, q, sqlOutcomes, []any{from, to, pq.Array(unseen)},
		func(rows *sql.Rows) (Row, error) {
			var (
				app                                                          int64
				accepted                                                     time.Time
				title, org, country                                          string
				start, end                                                   sql.NullTime
				patients, pediatric, openHeart, bypass, interventional, dead int64
			)
			err := rows.Scan(&app, &accepted, &title, &org, &country, &start, &end,
				&patients, &pediatric, &openHeart, &bypass, &interventional, &dead)
			return Row{app, accepted.UTC(), title, org, country, date(start), date(end),
				patients, pediatric, openHeart, bypass, interventional, dead}, err
		}, emit)
}
