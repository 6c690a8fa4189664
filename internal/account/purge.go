package account

import (
	"context"
	"fmt"
	"time"
)

// tokenKeep is how long a used or expired link's row stays: long enough to
// look into a report about a link, after which the audit trail is the record.
const tokenKeep = 30 * 24 * time.Hour

// Purge deletes what no request can use any more: emailed links used or
// expired more than tokenKeep ago, and account sessions that ended idle (a
// person's own are otherwise only forgotten at their next login). It runs as
// a periodic job and returns how many rows went.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.now()
	var n int64
	for _, q := range []struct {
		sql string
		arg time.Time
	}{
		{sqlPurgeTokens, now.Add(-tokenKeep)},
		{sqlPurgeSessions, now.Add(-s.cfg.SessionIdle)},
	} {
		res, err := s.db.ExecContext(ctx, q.sql, q.arg)
		if err != nil {
			return n, fmt.Errorf("account.Purge: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}
