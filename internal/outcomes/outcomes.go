// Package outcomes judges a trip's results by its case mix, as the
// International Quality Improvement Collaborative does for congenital heart
// surgery: deaths observed against the deaths expected from the RACHS-1
// category of each case (Jenkins et al., J Thorac Cardiovasc Surg 2002),
// the ratio with its exact 95% Poisson interval, and funnel-plot limits to
// place trips side by side (Spiegelhalter, Stat Med 2005). It holds only
// counts: no patient is ever named.
package outcomes

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Category is a RACHS-1 risk category, 1 to 6; 0 is a case the scheme does
// not classify.
type Category int

// Unclassified is a case RACHS-1 does not classify.
const Unclassified Category = 0

// Categories lists the RACHS-1 categories in order.
var Categories = []Category{1, 2, 3, 4, 5, 6}

// Reference is the in-hospital mortality expected in each category, as a
// proportion; a category without one (5, where the reference data had too
// few cases) is left out of the expected deaths, and said so.
type Reference map[Category]float64

// RACHS1 is the reference mortality of Jenkins et al. 2002: 0.4%, 3.8%,
// 8.5%, 19.4% and 47.7% for categories 1, 2, 3, 4 and 6.
var RACHS1 = Reference{1: 0.004, 2: 0.038, 3: 0.085, 4: 0.194, 6: 0.477}

// Cell is one category of a trip's children's cases: how many, and the
// deaths in hospital and within 30 days of surgery after discharge, which
// together are the operative mortality (neither bounds the other).
type Cell struct {
	Category         Category
	Cases            int
	DeathsInHospital int
	DeathsAfter      int // after discharge, within 30 days of surgery
	Infections       int
}

// Deaths is the cell's operative mortality.
func (c Cell) Deaths() int { return c.DeathsInHospital + c.DeathsAfter }

// Judgement is a case mix's observed deaths against those expected.
type Judgement struct {
	Observed int
	Expected float64
	// LeftOut are the categories with cases but no reference mortality
	// (and unclassified cases): their cases and deaths are not counted.
	LeftOut []Category
	// Ratio is Observed/Expected, with its exact 95% Poisson interval;
	// all three are NaN when nothing was expected (no case counted).
	Ratio, Low, High float64
}

// Judge sums the expected deaths of mix under ref and sets the observed
// against them.
func Judge(mix []Cell, ref Reference) Judgement {
	var j Judgement
	for _, c := range mix {
		p, ok := ref[c.Category]
		if !ok || c.Category == Unclassified {
			if c.Cases > 0 {
				j.LeftOut = append(j.LeftOut, c.Category)
			}
			continue
		}
		j.Expected += float64(c.Cases) * p
		j.Observed += c.Deaths()
	}
	j.Ratio, j.Low, j.High = Ratio(j.Observed, j.Expected, 0.95)
	return j
}

// Ratio is observed/expected with its exact Poisson interval at level
// (0.95 for 95%): the chi-square quantiles χ²(α/2; 2O)/2 and
// χ²(1−α/2; 2O+2)/2 divided by the expected deaths, the lower bound 0 when
// nothing was observed. NaN for all three when nothing was expected.
func Ratio(observed int, expected, level float64) (ratio, low, high float64) {
	if expected <= 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	a := (1 - level) / 2
	o := float64(observed)
	if observed > 0 {
		low = distuv.ChiSquared{K: 2 * o}.Quantile(a) / 2 / expected
	}
	high = distuv.ChiSquared{K: 2*o + 2}.Quantile(1-a) / 2 / expected
	return o / expected, low, high
}

// FunnelLimits are the control limits of the ratio O/E for a trip whose
// expected deaths are expected, at level (0.95, 0.998): Spiegelhalter's
// exact Poisson limits, interpolated between counts so the funnel is
// smooth. Below them or above them, a trip differs from the reference by
// more than chance at that level.
func FunnelLimits(expected, level float64) (low, high float64) {
	if expected <= 0 {
		return math.NaN(), math.NaN()
	}
	return poissonLimit(expected, (1-level)/2) / expected, poissonLimit(expected, (1+level)/2) / expected
}

// poissonLimit is the count at which a Poisson(mean) reaches probability p,
// interpolated: r is the smallest count with F(r) ≥ p, and the limit is
// r − (F(r) − p)/(F(r) − F(r−1)).
func poissonLimit(mean, p float64) float64 {
	d := distuv.Poisson{Lambda: mean}
	r := 0.0
	for d.CDF(r) < p {
		r++
	}
	below := 0.0
	if r > 0 {
		below = d.CDF(r - 1)
	}
	at := d.CDF(r)
	return math.Max(0, r-(at-p)/(at-below))
}
