package application

import "context"

// Count is how many applications of a round are in a status.
type Count struct {
	RoundID   int64  `db:"round_id"`
	RoundName string `db:"round_name"`
	Status    Status `db:"status"`
	N         int    `db:"n"`
}

// Counts counts the applications by round and status in one query (the
// admin dashboard), rounds newest first.
func (s *Service) Counts(ctx context.Context) ([]Count, error) {
	var out []Count
	err := s.db.SelectContext(ctx, &out, `SELECT r.id AS round_id, r.name AS round_name, a.status, count(*) AS n
		FROM applications a JOIN funding_rounds r ON r.id = a.round_id
		GROUP BY r.id, r.name, a.status ORDER BY r.id DESC, a.status`)
	return out, err
}
