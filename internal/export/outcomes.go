package export

import (
	"context"
	"database/sql"
	"time"
)

// Outcomes lists the post-trip reports accepted in the period with their
// figures, oldest acceptance first.
var Outcomes = Export{
	Name: "outcomes",
	Columns: []string{"application", "accepted_at", "title", "organization", "country", "trip_start", "trip_end",
		"patients", "pediatric", "open_heart", "bypass", "interventional", "deaths"},
	run: outcomes,
}

func outcomes(ctx context.Context, q Querier, p Period, emit func(Row) error) error {
	from, to := p.bounds()
	return stream(ctx, q, `SELECT r.application_id, r.accepted_at, a.title, o.legal_name, a.country, a.trip_start, a.trip_end,
			COALESCE(r.patients, 0), COALESCE(r.pediatric, 0), COALESCE(r.open_heart, 0), COALESCE(r.bypass, 0),
			COALESCE(r.interventional, 0), COALESCE(r.deaths, 0)
		FROM reports r JOIN applications a ON a.id = r.application_id JOIN organizations o ON o.id = a.organization_id
		WHERE r.status = 'accepted' AND r.accepted_at >= $1 AND r.accepted_at < $2
		ORDER BY r.accepted_at, r.application_id`, []any{from, to},
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
