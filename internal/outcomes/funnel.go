package outcomes

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Funnel is a funnel plot's geometry (Spiegelhalter 2005): each trip's
// O/E against its expected deaths, with the 95% and 99.8% control limits
// around 1, in an SVG's user units. The page draws it; nothing here is
// text a reader sees but the tick labels.
type Funnel struct {
	Width, Height            float64
	Left, Right, Top, Bottom float64 // the plot area's edges
	XMax, YMax               float64 // the axes' ranges: expected deaths 0..XMax, O/E 0..YMax
	Points                   []FunnelPoint
	Limit95, Limit998        Band
	XTicks, YTicks           []Tick
	Baseline                 float64 // y of O/E = 1
	LeftOut                  int     // trips with nothing expected, not placed
	// Dots, with more than MaxPoints points, draw them in groups instead
	// of one by one: the plot's size stays bounded whatever the number of
	// trips. Nil when the points are drawn one by one.
	Dots []Dots
}

// MaxPoints is how many trips the plot draws one by one, each with its
// title; with more, it draws Dots.
const MaxPoints = 150

// DotCell is the side of a group's square, in the SVG's units: a point's
// diameter, so the trips one group draws would have overlapped anyway.
const DotCell = 10.0

// Dots are the groups of one kind and one size, as one SVG path of round
// dots ("M x y h0" each): the trips within the limits, beyond the 95%
// limits (Beyond95) or beyond the 99.8% (Beyond998), Size 1 for a group
// of one trip, 2 for 2 to 9, 3 for 10 or more.
type Dots struct {
	Beyond95, Beyond998 bool
	Size                int
	Trips               int // trips drawn by the path
	D                   string
}

// FunnelPoint is one trip placed.
type FunnelPoint struct {
	Trip                *Trip
	X, Y                float64
	Expected, Ratio     float64
	Beyond95, Beyond998 bool // outside the limits, above or below
	Clipped             bool // above YMax: drawn at the top edge
}

// Band is a pair of limit lines as SVG path data.
type Band struct{ Low, High string }

// Tick is a labelled mark on an axis.
type Tick struct {
	At    float64
	Label string
}

// NewFunnel places the trips that have expected deaths.
func NewFunnel(trips []Trip) Funnel {
	f := Funnel{Width: 640, Height: 400, Left: 56, Right: 624, Top: 16, Bottom: 344}
	f.XMax, f.YMax = 1, 3
	for _, t := range trips {
		if t.Judgement.Expected > 0 {
			f.XMax = math.Max(f.XMax, t.Judgement.Expected)
			if !math.IsNaN(t.Judgement.Ratio) {
				f.YMax = math.Max(f.YMax, math.Min(t.Judgement.Ratio, 8))
			}
		}
	}
	f.XMax = niceCeil(f.XMax * 1.1)
	f.YMax = math.Ceil(f.YMax)
	f.Baseline = f.y(1)
	for i := range trips {
		t := &trips[i]
		j := t.Judgement
		if j.Expected <= 0 {
			f.LeftOut++
			continue
		}
		p := FunnelPoint{Trip: t, Expected: j.Expected, Ratio: j.Ratio, X: f.x(j.Expected), Y: f.y(math.Min(j.Ratio, f.YMax))}
		p.Clipped = j.Ratio > f.YMax
		lo, hi := FunnelLimits(j.Expected, 0.95)
		p.Beyond95 = j.Ratio < lo || j.Ratio > hi
		lo, hi = FunnelLimits(j.Expected, 0.998)
		p.Beyond998 = j.Ratio < lo || j.Ratio > hi
		f.Points = append(f.Points, p)
	}
	if len(f.Points) > MaxPoints {
		f.Dots = f.group()
	}
	f.Limit95, f.Limit998 = f.band(0.95), f.band(0.998)
	for i := 0; i <= 4; i++ {
		v := f.XMax * float64(i) / 4
		f.XTicks = append(f.XTicks, Tick{At: f.x(v), Label: trim(v)})
	}
	for v := 0.0; v <= f.YMax; v++ {
		f.YTicks = append(f.YTicks, Tick{At: f.y(v), Label: trim(v)})
	}
	return f
}

func (f Funnel) x(expected float64) float64 { return f.Left + (f.Right-f.Left)*expected/f.XMax }
func (f Funnel) y(ratio float64) float64    { return f.Bottom - (f.Bottom-f.Top)*ratio/f.YMax }

// group gathers the points into squares of DotCell by kind (within,
// beyond 95%, beyond 99.8%) and draws each square as one dot at its
// centre, sized by how many trips it holds. At most one dot per square
// and kind: the plot's size is bounded by its area, not its trips.
func (f Funnel) group() []Dots {
	type cell struct{ kind, col, row int }
	cols, rows := int(math.Ceil((f.Right-f.Left)/DotCell)), int(math.Ceil((f.Bottom-f.Top)/DotCell))
	counts := map[cell]int{}
	for _, p := range f.Points {
		kind := 0
		if p.Beyond998 {
			kind = 2
		} else if p.Beyond95 {
			kind = 1
		}
		col := min(max(int((p.X-f.Left)/DotCell), 0), cols-1)
		row := min(max(int((p.Y-f.Top)/DotCell), 0), rows-1)
		counts[cell{kind, col, row}]++
	}
	cells := make([]cell, 0, len(counts))
	for c := range counts {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b cell) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.col, b.col), cmp.Compare(a.row, b.row))
	})
	var out []Dots
	for kind := range 3 {
		for size := 1; size <= 3; size++ {
			d := Dots{Beyond95: kind > 0, Beyond998: kind == 2, Size: size}
			var path strings.Builder
			for _, c := range cells {
				n := counts[c]
				if c.kind != kind || dotSize(n) != size {
					continue
				}
				d.Trips += n
				x := f.Left + (float64(c.col)+0.5)*DotCell
				y := f.Top + (float64(c.row)+0.5)*DotCell
				path.WriteString("M" + trim(math.Round(x)) + " " + trim(math.Round(y)) + "h0")
			}
			if d.Trips > 0 {
				d.D = path.String()
				out = append(out, d)
			}
		}
	}
	return out
}

// dotSize is a group's size class for n trips: 1, 2 to 9, 10 or more.
func dotSize(n int) int {
	switch {
	case n == 1:
		return 1
	case n < 10:
		return 2
	}
	return 3
}

// band draws the limits at level from a small expected count to XMax,
// the upper one cut at the top of the plot.
func (f Funnel) band(level float64) Band {
	var lo, hi strings.Builder
	const steps = 60
	for i := 0; i <= steps; i++ {
		e := f.XMax * (0.02 + 0.98*float64(i)/steps)
		l, h := FunnelLimits(e, level)
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		lo.WriteString(cmd + num(f.x(e)) + " " + num(f.y(l)) + " ")
		hi.WriteString(cmd + num(f.x(e)) + " " + num(f.y(math.Min(h, f.YMax))) + " ")
	}
	return Band{Low: strings.TrimSpace(lo.String()), High: strings.TrimSpace(hi.String())}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func trim(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, so the ticks
// fall on round numbers.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
