package vote

import (
	"context"
	"strconv"
	"time"
)

// OpenItem is a vote still open: which application, and when it closes.
type OpenItem struct {
	ID            int64     `db:"id"`
	ApplicationID int64     `db:"application_id"`
	Title         string    `db:"title"`
	ClosesAt      time.Time `db:"closes_at"`
}

// OpenVotes lists the first limit votes not yet closed, the soonest to
// close first (the admin dashboard). How many are open in all is not
// counted here: a vote is open exactly while its application is in voting
// (policy's transitions; OpenVote and Close move both in one transaction),
// so the dashboard has that number from the counts by status that
// migrations/00024_counts_and_search.sql keeps. Counting the open votes
// cost a tenth of the dashboard's view at 100,000 applications.
// The limit is written out: as an argument, PostgreSQL planned the
// statement afresh at every view.
func (s *Service) OpenVotes(ctx context.Context, limit int) ([]OpenItem, error) {
	var rows []OpenItem
	err := s.db.SelectContext(ctx, &rows, `SELECT v.id, v.application_id, a.title, v.closes_at
		FROM votes v JOIN applications a ON a.id = v.application_id
		WHERE v.closed_at IS NULL ORDER BY v.closes_at, v.id LIMIT `+strconv.Itoa(limit))
	return rows, err
}
