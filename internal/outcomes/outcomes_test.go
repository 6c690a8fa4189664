package outcomes

import (
	"math"
	"testing"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.5f, want %.5f", what, got, want)
	}
}

// Expected deaths by hand: 10 cases in category 1 (0.4%), 8 in 2 (3.8%),
// 5 in 3 (8.5%), 2 in 4 (19.4%) = 0.04 + 0.304 + 0.425 + 0.388 = 1.157;
// category 5 has no reference and an unclassified case is not counted, so
// their deaths are not either, and both are named as left out.
func TestExpectedDeathsFromTheCaseMix(t *testing.T) {
	j := Judge([]Cell{
		{Category: 1, Cases: 10},
		{Category: 2, Cases: 8, DeathsInHospital: 1},
		{Category: 3, Cases: 5, DeathsAfter: 1},
		{Category: 4, Cases: 2, DeathsInHospital: 1},
		{Category: 5, Cases: 1, DeathsInHospital: 1},
		{Category: Unclassified, Cases: 3},
		{Category: 6, Cases: 0},
	}, RACHS1)
	near(t, "expected", j.Expected, 1.157, 1e-9)
	if j.Observed != 3 {
		t.Errorf("observed %d, want 3 (the category 5 death is not counted)", j.Observed)
	}
	if len(j.LeftOut) != 2 || j.LeftOut[0] != 5 || j.LeftOut[1] != Unclassified {
		t.Errorf("left out %v, want categories 5 and unclassified", j.LeftOut)
	}
	near(t, "O/E", j.Ratio, 3/1.157, 1e-9)
	// An admin's value for category 5 brings it in.
	ref := Reference{1: 0.004, 2: 0.038, 3: 0.085, 4: 0.194, 5: 0.30, 6: 0.477}
	if j := Judge([]Cell{{Category: 5, Cases: 10, DeathsInHospital: 2}}, ref); j.Expected != 3 || j.Observed != 2 || len(j.LeftOut) != 0 {
		t.Errorf("with a category 5 reference: %+v", j)
	}
}

// The exact interval against the chi-square quantile formula's values,
// taken from tables: for 5 deaths the Poisson 95% limits are 1.6235 and
// 11.6683; for none, 0 and 3.6889.
func TestExactPoissonInterval(t *testing.T) {
	r, lo, hi := Ratio(5, 3.2, 0.95)
	near(t, "O/E", r, 5/3.2, 1e-12)
	near(t, "low", lo, 1.6235/3.2, 5e-4)
	near(t, "high", hi, 11.6683/3.2, 5e-4)

	r, lo, hi = Ratio(0, 2, 0.95)
	if r != 0 || lo != 0 {
		t.Errorf("no deaths: ratio %v, low %v", r, lo)
	}
	near(t, "high with no deaths", hi, 3.6889/2, 5e-4)

	if r, lo, hi := Ratio(1, 0, 0.95); !math.IsNaN(r) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("nothing expected: %v %v %v, want no ratio at all", r, lo, hi)
	}
}

// Funnel limits at a few points: for E = 10 at 95%, Poisson(10) reaches
// 0.975 at 17 (F(16) = 0.97301, F(17) = 0.98572), so the upper limit is
// (17 − (0.98572 − 0.975)/(0.98572 − 0.97301))/10 = 1.6157; the lower
// reaches 0.025 at 4 (F(3) = 0.01034, F(4) = 0.02925): (4 −
// (0.02925 − 0.025)/(0.02925 − 0.01034))/10 = 0.3775. The 99.8% funnel is
// wider, and both narrow towards 1 as expected deaths grow.
func TestFunnelLimits(t *testing.T) {
	lo, hi := FunnelLimits(10, 0.95)
	near(t, "95% upper at E=10", hi, 1.6157, 2e-3)
	near(t, "95% lower at E=10", lo, 0.3775, 2e-3)
	lo998, hi998 := FunnelLimits(10, 0.998)
	if !(lo998 < lo && hi998 > hi) {
		t.Errorf("99.8%% limits (%v, %v) not outside the 95%% ones (%v, %v)", lo998, hi998, lo, hi)
	}
	wideLo, wideHi := FunnelLimits(2, 0.95)
	narrowLo, narrowHi := FunnelLimits(200, 0.95)
	if !(wideHi > hi && hi > narrowHi && narrowHi > 1 && wideLo <= lo && lo < narrowLo && narrowLo < 1) {
		t.Errorf("the funnel does not narrow towards 1: E=2 (%v, %v), E=10 (%v, %v), E=200 (%v, %v)", wideLo, wideHi, lo, hi, narrowLo, narrowHi)
	}
	if lo, hi := FunnelLimits(0, 0.95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Error("a funnel at no expected deaths")
	}
}
