package export

import (
	"context"
	"database/sql"
	"math"
	"time"

	"github.com/lib/pq"

	oe "missiongrants/internal/outcomes"
)

// CaseMix lists the case mix of the reports accepted in the period, one
// row per trip and category, with the deaths expected in each (not the
// charities whose outcomes its reader does not see: outcomes.Unseen).
var CaseMix = Export{
	Name: "case_mix",
	Columns: []string{"application", "accepted_at", "organization", "country", "trip_end", "age_group", "category",
		"cases", "deaths", "deaths_hospital", "deaths_after", "ssi", "bsi", "reference_percent", "expected", "adult_score"},
	run: caseMix,
}

func caseMix(ctx context.Context, q Querier, p Period, reader int64, emit func(Row) error) error {
	from, to := p.bounds()
	unseen, err := oe.Unseen(ctx, q, reader)
	if err != nil {
		return err
	}
	return stream(ctx, q, sqlCaseMix, []any{from, to, pq.Array(unseen)},
		func(rows *sql.Rows) (Row, error) {
			var (
				app                           int64
				accepted                      time.Time
				org, country, group, category string
				end                           sql.NullTime
				cases, deaths                 int64
				hospital, after, ssi, bsi     sql.NullInt64
				reference, expected           sql.NullFloat64
				score                         sql.NullString
			)
			err := rows.Scan(&app, &accepted, &org, &country, &end, &group, &category, &cases, &deaths,
				&hospital, &after, &ssi, &bsi, &reference, &expected, &score)
			return Row{app, accepted.UTC(), org, country, date(end), group, category, cases, deaths,
				count(hospital), count(after), count(ssi), count(bsi), decimal(reference), decimal(expected), score.String}, err
		}, emit)
}

// TripOutcomes lists, per trip whose report was accepted in the period,
// its children's deaths observed against those expected from the case
// mix, the ratio with its exact 95% interval, and the infections. As every
// export of outcomes, without the charities whose outcomes its reader does
// not see (outcomes.Unseen).
var TripOutcomes = Export{
	Name: "trip_outcomes",
	Columns: []string{"application", "accepted_at", "organization", "country", "trip_end", "cases", "observed", "expected",
		"ratio", "ratio_low", "ratio_high", "left_out", "ssi", "bsi"},
	run: tripOutcomes,
}

func tripOutcomes(ctx context.Context, q Querier, p Period, reader int64, emit func(Row) error) error {
	from, to := p.bounds()
	unseen, err := oe.Unseen(ctx, q, reader)
	if err != nil {
		return err
	}
	return stream(ctx, q, sqlTripOutcomes, []any{from, to, pq.Array(unseen)},
		func(rows *sql.Rows) (Row, error) {
			var (
				app                                int64
				accepted                           time.Time
				org, country                       string
				end                                sql.NullTime
				cases, observed, leftOut, ssi, bsi int64
				expected                           float64
			)
			err := rows.Scan(&app, &accepted, &org, &country, &end, &cases, &observed, &expected, &leftOut, &ssi, &bsi)
			ratio, low, high := oe.Ratio(int(observed), expected, 0.95)
			return Row{app, accepted.UTC(), org, country, date(end), cases, observed, expected,
				finite(ratio), finite(low), finite(high), leftOut, ssi, bsi}, err
		}, emit)
}

func count(n sql.NullInt64) any {
	if !n.Valid {
		return nil
	}
	return n.Int64
}

func decimal(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

// finite is v, or an empty cell when it is not a number (nothing expected).
func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}
