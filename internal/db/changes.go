package db

import (
	"context"
	"sync"
	"time"

	"github.com/lib/pq"
)

// changesChannel is where triggers announce a changed table by its name
// (migrations/00041_table_changes.sql).
const changesChannel = "table_changed"

// Changes counts the changes each announced table has had since the
// process started, made by any process: it listens on a connection of its
// own. While that connection is down, a change could go unheard, so no
// count holds: Cached then keeps nothing until it is back.
type Changes struct {
	listener *pq.Listener
	mu       sync.Mutex
	seen     map[string]uint64
	epoch    uint64 // moves at each loss of the connection: every count is new
	down     bool
	heard    chan struct{} // closed and replaced at each change heard (tests wait on it)
}

// ListenForChanges listens on url for the tables' announcements until
// Close.
func ListenForChanges(url string) (*Changes, error) {
	c := &Changes{seen: map[string]uint64{}, heard: make(chan struct{})}
	c.listener = pq.NewListener(url, 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, _ error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch ev {
		case pq.ListenerEventDisconnected, pq.ListenerEventConnectionAttemptFailed:
			c.down = true
		case pq.ListenerEventReconnected: // what was announced meanwhile is lost
			c.down, c.epoch = false, c.epoch+1
		}
	})
	if err := c.listener.Listen(changesChannel); err != nil {
		c.listener.Close()
		return nil, err
	}
	go c.hear()
	return c, nil
}

func (c *Changes) hear() {
	for n := range c.listener.Notify {
		c.mu.Lock()
		if n != nil { // nil: reconnected, which the event has counted
			c.seen[n.Extra]++
		}
		close(c.heard)
		c.heard = make(chan struct{})
		c.mu.Unlock()
	}
}

// Changed counts a change this process has just committed to table,
// without waiting to hear it announced: its next page shows it.
func (c *Changes) Changed(table string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[table]++
}

// Stamp is where tables stand together: it moves when any of them
// changes. ok is false when that cannot be known (no Changes, or its
// connection down).
func (c *Changes) Stamp(tables ...string) (stamp [2]uint64, ok bool) {
	if c == nil {
		return stamp, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var n uint64
	for _, t := range tables {
		n += c.seen[t]
	}
	return [2]uint64{c.epoch, n}, !c.down
}

// Heard is closed at the next change heard, or when the connection comes
// back.
func (c *Changes) Heard() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.heard
}

// Close stops listening.
func (c *Changes) Close() error {
	if c == nil {
		return nil
	}
	return c.listener.Close()
}

// Cached is a value read from a table, kept while the table has not
// changed. Without Changes (nil), it is read every time.
type Cached[T any] struct {
	Changes *Changes
	Table   string
	Load    func(ctx context.Context) (T, error)

	mu    sync.Mutex
	at    [2]uint64
	value *T
}

// Changed counts a change this process has just committed to the table
// (Changes.Changed): the next Get reads again.
func (c *Cached[T]) Changed() { c.Changes.Changed(c.Table) }

// Get is the value, read again if the table has changed since it was.
func (c *Cached[T]) Get(ctx context.Context) (T, error) {
	if c.Changes == nil {
		return c.Load(ctx)
	}
	// Where the table stands is taken before it is read: a change made
	// while it is read moves it, and the next Get reads again.
	at, ok := c.Changes.Stamp(c.Table)
	c.mu.Lock()
	if ok && c.value != nil && c.at == at {
		v := *c.value
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := c.Load(ctx)
	if err == nil && ok {
		c.mu.Lock()
		c.value, c.at = &v, at
		c.mu.Unlock()
	}
	return v, err
}
