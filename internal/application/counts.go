package application

import (
	"context"

	"missiongrants/internal/policy"
)

// Count is how many applications of a round are in a status.
type Count struct {
	RoundID     int64         `db:"round_id"`
	RoundName   string        `db:"round_name"`
	RoundNameES string        `db:"round_name_es"`
	Status      policy.Status `db:"status"`
	N           int           `db:"n"`
}

// Round is the count's round named in lang.
func (c Count) Round(lang string) string { return roundName(c.RoundName, c.RoundNameES, lang) }

// Counts counts the applications by round and status in one query (the
// admin dashboard), rounds newest first. The counts are those the triggers
// of migrations/00024_counts_and_search.sql keep: a view costs the same
// however many applications there are.
func (s *Service) Counts(ctx context.Context) ([]Count, error) {
	var out []Count
	err := s.db.SelectContext(ctx, &out, sqlCounts)
	return out, err
}
