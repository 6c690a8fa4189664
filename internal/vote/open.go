package vote

import (
	"context"
	"time"
)

// OpenItem is a vote still open: which application, and when it closes.
type OpenItem struct {
	ID            int64     `db:"id"`
	ApplicationID int64     `db:"application_id"`
	Title         string    `db:"title"`
	ClosesAt      time.Time `db:"closes_at"`
}

// OpenVotes lists the votes not yet closed, the soonest to close first, in
// one query (the admin dashboard).
func (s *Service) OpenVotes(ctx context.Context) ([]OpenItem, error) {
	var out []OpenItem
	err := s.db.SelectContext(ctx, &out, `SELECT v.id, v.application_id, a.title, v.closes_at
		FROM votes v JOIN applications a ON a.id = v.application_id
		WHERE v.closed_at IS NULL ORDER BY v.closes_at, v.id`)
	return out, err
}
