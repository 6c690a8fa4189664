package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/ratelimit"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// clock is a settable time source shared by the limiters of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func TestHitRefusesPastTheLimitUntilTheWindowEnds(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	clk := newClock()
	start := clk.Now()
	l := ratelimit.New(clk.Now)

	for i := range 3 {
		if at, err := l.Hit(ctx, pool, "login:a", 3, time.Minute); err != nil || !at.IsZero() {
			t.Fatalf("hit %d: %v, %v", i+1, at, err)
		}
		clk.Add(10 * time.Second)
	}
	at, err := l.Hit(ctx, pool, "login:a", 3, time.Minute)
	if !errors.Is(err, ratelimit.ErrLimited) {
		t.Fatalf("fourth hit: %v", err)
	}
	if want := start.Add(time.Minute); !at.Equal(want) {
		t.Fatalf("retry at %v, want %v", at, want)
	}
	// Another key is counted apart.
	if _, err := l.Hit(ctx, pool, "login:b", 3, time.Minute); err != nil {
		t.Fatalf("other key: %v", err)
	}

	clk.Add(30 * time.Second) // the window has ended
	if _, err := l.Hit(ctx, pool, "login:a", 3, time.Minute); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	// Reset forgets the count.
	for range 3 {
		l.Hit(ctx, pool, "login:a", 3, time.Minute)
	}
	if err := l.Reset(ctx, pool, "login:a"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Hit(ctx, pool, "login:a", 3, time.Minute); err != nil {
		t.Fatalf("after reset: %v", err)
	}
}

// Two limiters (two processes) on one database, hitting at once, allow
// exactly limit attempts between them.
func TestConcurrentHitsFromTwoLimitersShareOneCount(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	clk := newClock()
	limiters := []*ratelimit.Limiter{ratelimit.New(clk.Now), ratelimit.New(clk.Now)}

	const limit, attempts = 10, 40
	var allowed, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := limiters[i%2].Hit(ctx, pool, "signup:ip:192.0.2.7", limit, time.Hour)
			switch {
			case err == nil:
				allowed.Add(1)
			case errors.Is(err, ratelimit.ErrLimited):
				refused.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != limit || refused.Load() != attempts-limit {
		t.Fatalf("allowed %d, refused %d; want %d and %d", allowed.Load(), refused.Load(), limit, attempts-limit)
	}
}

func TestCleanupDeletesEndedWindows(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	clk := newClock()
	l := ratelimit.New(clk.Now)
	l.Hit(ctx, pool, "short", 5, time.Minute)
	l.Hit(ctx, pool, "long", 5, time.Hour)
	clk.Add(2 * time.Minute)
	n, err := l.Cleanup(ctx, pool)
	if err != nil || n != 1 {
		t.Fatalf("cleaned %d, %v; want 1", n, err)
	}
	var keys []string
	if err := pool.Select(&keys, `SELECT key FROM rate_limits`); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "long" {
		t.Fatalf("left %v", keys)
	}
}
