package testenv

import (
	"sync"
	"time"
)

// Clock is the portal's clock in a test (portal.Options.Now): a test sets it
// to a date instead of moving the data's dates in SQL. It runs on from the
// date it is set to, so what the test does later is still later.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the test's time: the real time, moved by Set and Add.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Set makes it now t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
