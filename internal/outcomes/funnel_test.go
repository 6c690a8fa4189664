package outcomes

import (
	"math"
	"strings"
	"testing"
)

// The funnel places each trip at its expected deaths and its ratio, says
// which lie beyond the limits, leaves out a trip with nothing expected,
// and draws the limits where FunnelLimits puts them.
func TestFunnelPointsAndLimits(t *testing.T) {
	trips := []Trip{
		// 25 children in category 2 (3.8%): 0.95 expected, none died.
		{AppID: 1, Judgement: Judge([]Cell{{Category: 2, Cases: 25}}, RACHS1)},
		// 10 in category 4 (19.4%) and 10 in 6 (47.7%): 6.71 expected, 15 died.
		{AppID: 2, Judgement: Judge([]Cell{{Category: 4, Cases: 10, DeathsInHospital: 5}, {Category: 6, Cases: 10, DeathsInHospital: 10}}, RACHS1)},
		// Only category 5 and unclassified cases: nothing expected.
		{AppID: 3, Judgement: Judge([]Cell{{Category: 5, Cases: 4, DeathsInHospital: 1}, {Category: Unclassified, Cases: 2}}, RACHS1)},
	}
	f := NewFunnel(trips)
	if len(f.Points) != 2 || f.LeftOut != 1 {
		t.Fatalf("%d points, %d left out; want 2 and 1", len(f.Points), f.LeftOut)
	}
	near(t, "x max", f.XMax, 10, 0) // 6.71 × 1.1 rounded up to a round number
	first, second := f.Points[0], f.Points[1]
	near(t, "expected of the first", first.Expected, 0.95, 1e-9)
	near(t, "its x", first.X, f.Left+(f.Right-f.Left)*0.95/10, 1e-9)
	near(t, "its y (no deaths: on the axis)", first.Y, f.Bottom, 1e-9)
	if first.Beyond95 {
		t.Error("no death among 0.95 expected lies beyond the 95% limits")
	}
	near(t, "expected of the second", second.Expected, 6.71, 1e-9)
	near(t, "its ratio", second.Ratio, 15/6.71, 1e-9)
	near(t, "its y", second.Y, f.Bottom-(f.Bottom-f.Top)*(15/6.71)/f.YMax, 1e-9)
	// Poisson(6.71) gives 15 or more deaths with probability about 0.0036:
	// beyond the 95% limit (upper 0.975), within the 99.8% (upper 0.999).
	if !second.Beyond95 || second.Beyond998 {
		t.Errorf("15 deaths of 6.71 expected: beyond 95%% %v, beyond 99.8%% %v; want true, false", second.Beyond95, second.Beyond998)
	}
	// The limits' paths start at 2% of the axis and follow FunnelLimits.
	e := f.XMax * 0.02
	lo, _ := FunnelLimits(e, 0.95)
	want := "M" + num(f.x(e)) + " " + num(f.y(lo)) + " "
	if !strings.HasPrefix(f.Limit95.Low, want) {
		t.Errorf("the 95%% lower limit starts %q, want %q", f.Limit95.Low[:30], want)
	}
	lo, hi := FunnelLimits(f.XMax, 0.998)
	if !strings.HasSuffix(f.Limit998.Low, num(f.x(f.XMax))+" "+num(f.y(lo))) ||
		!strings.HasSuffix(f.Limit998.High, num(f.x(f.XMax))+" "+num(f.y(math.Min(hi, f.YMax)))) {
		t.Errorf("the 99.8%% limits end at %q and %q", f.Limit998.Low[len(f.Limit998.Low)-20:], f.Limit998.High[len(f.Limit998.High)-20:])
	}
	// Labelled axes: round ticks from 0 to the maxima, O/E = 1 marked.
	if len(f.XTicks) != 5 || f.XTicks[0].Label != "0" || f.XTicks[4].Label != "10" || f.XTicks[2].Label != "5" {
		t.Errorf("x ticks %+v", f.XTicks)
	}
	if f.YTicks[1].Label != "1" || f.YTicks[1].At != f.Baseline {
		t.Errorf("y ticks %+v, baseline %v", f.YTicks, f.Baseline)
	}
}

// With no trip at all the plot still has its axes, and nothing is placed.
func TestFunnelEmpty(t *testing.T) {
	f := NewFunnel(nil)
	if len(f.Points) != 0 || f.XMax != 2 || f.YMax != 3 || f.Limit95.Low == "" {
		t.Errorf("%+v", f)
	}
}

// Past MaxPoints the plot draws groups, not trips: every trip in exactly
// one dot of its kind, at most one dot per square of the plot and kind,
// so the drawing stays the same size however many trips there are.
func TestFunnelGroupsManyTrips(t *testing.T) {
	var trips []Trip
	for i := range 20000 {
		cases := 10 + i%40
		deaths := i % 3
		if i == 77 {
			deaths = 9 // 9 deaths of about 3.3 expected: beyond the 99.8% limits
		}
		trips = append(trips, Trip{AppID: int64(i), Judgement: Judge([]Cell{{Category: 2, Cases: cases, DeathsInHospital: deaths}, {Category: 3, Cases: i % 5}}, RACHS1)})
	}
	f := NewFunnel(trips)
	if len(f.Points) != 20000 || len(f.Dots) == 0 {
		t.Fatalf("%d points, %d paths of dots", len(f.Points), len(f.Dots))
	}
	total, dots, beyond998 := 0, 0, 0
	for _, d := range f.Dots {
		total += d.Trips
		dots += strings.Count(d.D, "M")
		if d.Beyond998 {
			beyond998 += d.Trips
		}
	}
	want998 := 0
	for _, p := range f.Points {
		if p.Beyond998 {
			want998++
		}
	}
	if total != 20000 || beyond998 != want998 || want998 == 0 {
		t.Errorf("%d trips in dots (want 20000), %d beyond 99.8%% (want %d, at least one)", total, beyond998, want998)
	}
	cells := int(math.Ceil((f.Right-f.Left)/DotCell) * math.Ceil((f.Bottom-f.Top)/DotCell))
	if dots > 3*cells {
		t.Errorf("%d dots, more than three kinds × %d squares", dots, cells)
	}
	if few := NewFunnel(trips[:MaxPoints]); few.Dots != nil {
		t.Errorf("%d trips grouped, want each drawn", MaxPoints)
	}
}
