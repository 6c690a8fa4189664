package export

import (
	"context"
	"database/sql"
	"time"

	"missiongrants/internal/money"
)

// Decisions lists the votes closed in the period with their tallies, oldest
// first. The tally is the one recorded when the vote closed.
var Decisions = Export{
	Name: "decisions",
	Columns: []string{"vote", "application", "title", "organization", "closed_at", "decision", "proposed", "currency",
		"eligible", "cast", "approve", "decline", "abstain", "quorum"},
	run: decisions,
}

func decisions(ctx context.Context, q Querier, p Period, _ int64, emit func(Row) error) error {
	from, to := p.bounds()
	return stream(ctx, q, sqlDecisions, []any{from, to},
		func(rows *sql.Rows) (Row, error) {
			var (
				id, app                                   int64
				title, org, decision, currency            string
				closed                                    time.Time
				proposed                                  int64
				eligible, cast, approve, decline, abstain int64
				quorum                                    bool
			)
			err := rows.Scan(&id, &app, &title, &org, &closed, &decision, &proposed, &currency,
				&eligible, &cast, &approve, &decline, &abstain, &quorum)
			return Row{id, app, title, org, closed.UTC(), decision, money.Cents(proposed), currency,
				eligible, cast, approve, decline, abstain, quorum}, err
		}, emit)
}
