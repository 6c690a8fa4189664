// Package ratelimit counts attempts per key (an account, a client address) in
// PostgreSQL, so every process of the portal shares one count and a restart
// forgets nothing.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"missiongrants/internal/db"
)

// ErrLimited means the key used up its attempts for the current window.
var ErrLimited = errors.New("ratelimit: too many attempts")

// cleanupEvery is how many hits a Limiter counts between two sweeps of
// expired counters: often enough to keep the table small, rarely enough to
// cost nothing.
const cleanupEvery = 200

// Limiter counts attempts in fixed windows.
type Limiter struct {
	now  func() time.Time
	hits atomic.Uint64
}

// New returns a Limiter reading time from now (time.Now when nil).
func New(now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{now: now}
}

// Hit counts one attempt for key, allowing limit attempts per window. It
// returns the zero time and nil while allowed, and otherwise when the window
// ends together with ErrLimited.
//
// The count is one atomic upsert, so concurrent hits from any number of
// processes are all counted. Run it on the pool, not in the action's
// transaction: an attempt must stay counted when the action fails and rolls
// back, and a long transaction would hold the counter's row lock.
func (l *Limiter) Hit(ctx context.Context, q db.Querier, key string, limit int, window time.Duration) (time.Time, error) {
	now := l.now().UTC()
	var hits int
	var windowEnd time.Time
	// A window that has ended starts again at 1; otherwise the count grows.
	err := q.QueryRowxContext(ctx, sqlHit,
		key, now, window.Microseconds()).Scan(&hits, &windowEnd)
	if err != nil {
		return time.Time{}, fmt.Errorf("ratelimit.Hit: %w", err)
	}
	if l.hits.Add(1)%cleanupEvery == 0 {
		if _, err := l.Cleanup(ctx, q); err != nil {
			return time.Time{}, err
		}
	}
	if hits > limit {
		return windowEnd, ErrLimited
	}
	return time.Time{}, nil
}

// Reset forgets key's attempts, for example after a successful login so
// earlier typos do not count against the person.
func (l *Limiter) Reset(ctx context.Context, q db.Querier, key string) error {
	if _, err := q.ExecContext(ctx, sqlReset, key); err != nil {
		return fmt.Errorf("ratelimit.Reset: %w", err)
	}
	return nil
}

// Cleanup deletes counters whose window has ended; they would start again
// at 1 anyway.
func (l *Limiter) Cleanup(ctx context.Context, q db.Querier) (int64, error) {
	res, err := q.ExecContext(ctx, sqlCleanup, l.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("ratelimit.Cleanup: %w", err)
	}
	return res.RowsAffected()
}
