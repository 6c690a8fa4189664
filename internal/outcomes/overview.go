package outcomes

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"missiongrants/internal/account"
)

// Overview is the outcomes page's figures for the trips that ended on
// since or after (every trip, since zero), as one reader sees them
// (Unseen): the funnel that places the trips, the points beyond its 95%
// limits, each charity's periods (ByCharity) and those beyond the limits,
// the furthest (beyond the 99.8%) first in both lists. Views share it:
// nothing may change it.
type Overview struct {
	Funnel        Funnel
	Beyond        []FunnelPoint
	Periods       []Period
	BeyondPeriods []Period
}

// levelOf is 2 for a judgement beyond the 99.8% funnel limits, 1 beyond
// the 95% only, 0 within them or with nothing expected.
func levelOf(j Judgement) int {
	if math.IsNaN(j.Ratio) {
		return 0
	}
	if lo, hi := FunnelLimits(j.Expected, 0.998); j.Ratio < lo || j.Ratio > hi {
		return 2
	}
	if lo, hi := FunnelLimits(j.Expected, 0.95); j.Ratio < lo || j.Ratio > hi {
		return 1
	}
	return 0
}

// level is levelOf the point's trip, from the limits NewFunnel placed it
// against.
func (p FunnelPoint) level() int {
	switch {
	case p.Beyond998:
		return 2
	case p.Beyond95:
		return 1
	}
	return 0
}

func newOverview(trips []Trip, ref Reference) *Overview {
	o := &Overview{Funnel: NewFunnel(trips), Periods: ByCharity(trips, ref)}
	for _, pt := range o.Funnel.Points {
		if pt.Beyond95 {
			o.Beyond = append(o.Beyond, pt)
		}
	}
	slices.SortStableFunc(o.Beyond, func(a, b FunnelPoint) int { return cmp.Compare(b.level(), a.level()) })
	type leveled struct {
		Period
		level int
	}
	var beyond []leveled
	for _, per := range o.Periods {
		if l := levelOf(per.Judgement); l > 0 {
			beyond = append(beyond, leveled{per, l})
		}
	}
	slices.SortStableFunc(beyond, func(a, b leveled) int { return cmp.Compare(b.level, a.level) })
	for _, b := range beyond {
		o.BeyondPeriods = append(o.BeyondPeriods, b.Period)
	}
	return o
}

// Overview is the outcomes page's figures as reader u sees them, for the
// trips that ended on since or after. Working them out reads and judges
// every trip (1–1.5 s of CPU at 100,000 applications), so they are kept
// until what they are made of changes: outcomes_version, which triggers
// move at each change (migrations/00043_outcomes_version.sql), is read
// before the trips, and figures are reused only at the version read.
func (s *Service) Overview(ctx context.Context, u *account.User, since time.Time) (*Overview, error) {
	unseen, err := Unseen(ctx, s.db, u.ID)
	if err != nil {
		return nil, err
	}
	var version int64
	if err := s.db.GetContext(ctx, &version, sqlVersion); err != nil {
		return nil, fmt.Errorf("outcomes.Overview: %w", err)
	}
	key := overviewKey{since: since.UTC(), unseen: fmt.Sprint(unseen)}
	if o := s.overviews.get(version, key); o != nil {
		return o, nil
	}
	_, ref, err := s.References(ctx)
	if err != nil {
		return nil, err
	}
	trips, err := s.trips(ctx, 0, unseen, since, ref)
	if err != nil {
		return nil, err
	}
	o := newOverview(trips, ref)
	s.overviews.put(version, key, o)
	return o, nil
}

// overviews are the Overviews worked out at one version of the data, by
// the trips' first day and the charities left out (most readers leave out
// none, and share one).
type overviews struct {
	mu      sync.Mutex
	version int64
	byKey   map[overviewKey]*Overview
}

type overviewKey struct {
	since  time.Time
	unseen string
}

// maxOverviews bounds the Overviews kept: past it, they are dropped and
// worked out again as asked.
const maxOverviews = 16

func (c *overviews) get(version int64, k overviewKey) *Overview {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil
	}
	return c.byKey[k]
}

func (c *overviews) put(version int64, k overviewKey, o *Overview) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Versions only move up: figures read at an older version than those
	// kept (a view that began before a change) are not kept.
	if version < c.version {
		return
	}
	if version > c.version || c.byKey == nil || len(c.byKey) >= maxOverviews {
		c.version, c.byKey = version, map[overviewKey]*Overview{}
	}
	c.byKey[k] = o
}
