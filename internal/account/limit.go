package account

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"missiongrants/internal/ratelimit"
)

// counter is one rate-limit key and its allowance.
type counter struct {
	key   string
	limit Limit
}

func byEmail(action, email string, l Limit) counter {
	if email == "" {
		return counter{}
	}
	return counter{action + ":email:" + strings.ToLower(email), l}
}

// byPair counts an account's attempts from one address (from no address:
// commands and tests, the account's own count).
func byPair(action, email, ip string, l Limit) counter {
	if email == "" {
		return counter{}
	}
	return counter{action + ":pair:" + strings.ToLower(email) + "|" + ip, l}
}

func byAddress(action, ip string, l Limit) counter {
	if ip == "" { // commands and tests have no client address
		return counter{}
	}
	return counter{action + ":ip:" + ip, l}
}

func byUser(action string, id int64, l Limit) counter {
	return counter{action + ":user:" + strconv.FormatInt(id, 10), l}
}

// hit counts one attempt on every counter, before the action runs and on the
// pool, so the attempt stays counted when the action fails. It refuses with
// the latest retry time when any counter is spent.
func (s *Service) hit(ctx context.Context, counters ...counter) error {
	var retryAt time.Time
	for _, c := range counters {
		if c.key == "" {
			continue
		}
		at, err := s.limiter.Hit(ctx, s.db, c.key, c.limit.N, c.limit.Window)
		if errors.Is(err, ratelimit.ErrLimited) {
			if at.After(retryAt) {
				retryAt = at
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	if retryAt.IsZero() {
		return nil
	}
	return rateLimited(retryAt, retryAt.Sub(s.now()))
}
