package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
)

// The case mix of a trip, without patient data (issue 21): for the
// children, per RACHS-1 category (and "not classifiable"), the cases, the
// deaths in hospital whenever they occur, the deaths after discharge within
// 30 days of surgery, and the surgical-site and bloodstream infections; for
// the adults, per procedure group, the cases, the deaths and the sum of each
// case's predicted mortality from the team's score (EuroSCORE II or STS).
// The two kinds of deaths together are the operative mortality (STS and
// EACTS): neither bounds the other, only their sum bounds the cases.

// Age groups of the case mix.
const (
	Child = "child"
	Adult = "adult"
)

// ChildCategories are the RACHS-1 categories and the cases it does not classify.
var ChildCategories = []string{"1", "2", "3", "4", "5", "6", "unclassified"}

// AdultGroups are the adults' procedure groups.
var AdultGroups = []string{"coronary", "valve", "combined", "other"}

// ChildMeasures and AdultMeasures are what the form asks of each row.
var (
	ChildMeasures = []string{"cases", "deaths_hospital", "deaths_after", "ssi", "bsi"}
	AdultMeasures = []string{"cases", "deaths", "predicted"}
)

// AdultScores are the scores the adults' predicted mortality may come from.
var AdultScores = []string{"euroscore2", "sts"}

// MixField names one figure of the case mix in the form: mix_child_3_ssi.
func MixField(group, category, measure string) string {
	return "mix_" + group + "_" + category + "_" + measure
}

// MixFields lists every figure of the case mix, in the form's order.
func MixFields() []string {
	var out []string
	for _, c := range ChildCategories {
		for _, m := range ChildMeasures {
			out = append(out, MixField(Child, c, m))
		}
	}
	for _, g := range AdultGroups {
		for _, m := range AdultMeasures {
			out = append(out, MixField(Adult, g, m))
		}
	}
	return out
}

// PerfusionFields are the optional perfusion measures (PERForm's headings).
var PerfusionFields = []string{"perf_bypass_cases", "perf_bypass_minutes", "perf_clamp_minutes", "perf_transfused", "perf_lowest_hct"}

// MixRow is one category of a trip's case mix, checked.
type MixRow struct {
	AgeGroup       string  `db:"age_group"`
	Category       string  `db:"category"`
	Cases          int     `db:"cases"`
	Deaths         int     `db:"deaths"`          // operative: in hospital and after discharge within 30 days
	DeathsHospital int     `db:"deaths_hospital"` // children
	DeathsAfter    int     `db:"deaths_after"`    // children
	SSI            int     `db:"ssi"`             // children
	BSI            int     `db:"bsi"`             // children
	Predicted      float64 `db:"predicted"`       // adults: the sum of predicted mortality, in expected deaths
	HasPredicted   bool    `db:"-"`
}

// Perfusion are the optional perfusion measures; nil pointers were left empty.
type Perfusion struct {
	BypassCases, BypassMinutes, ClampMinutes, Transfused *int
	LowestHct                                            *float64
}

// validateMix checks the case mix and the perfusion measures, alone and
// against the report's totals (patients of each age, bypass cases, deaths
// before discharge), adding each mistake beside its field.
func (f *Form) validateMix(fe i18n.FieldErrors, pediatric, adults, bypass, deathsDischarge int, deaths30 *int) ([]MixRow, *Perfusion, string) {
	num := func(name string) int {
		n, err := field.Int(f.Mix[name], false, 0, 100000)
		fe.Add(name, err)
		return n
	}
	over := func(name string, n, cases int) {
		if n > cases && fe[name].Key == "" {
			fe[name] = i18n.Msg("error.outcomes.over_cases", "Cases", cases)
		}
	}
	var rows []MixRow
	var childCases, adultCases, childHospital, childAfter int
	for _, c := range ChildCategories {
		r := MixRow{AgeGroup: Child, Category: c}
		name := func(m string) string { return MixField(Child, c, m) }
		r.Cases, r.DeathsHospital, r.DeathsAfter = num(name("cases")), num(name("deaths_hospital")), num(name("deaths_after"))
		r.SSI, r.BSI = num(name("ssi")), num(name("bsi"))
		r.Deaths = r.DeathsHospital + r.DeathsAfter
		over(name("deaths_hospital"), r.DeathsHospital, r.Cases)
		over(name("deaths_after"), r.DeathsAfter, r.Cases)
		if r.Deaths > r.Cases && fe[name("deaths_hospital")].Key == "" && fe[name("deaths_after")].Key == "" {
			fe[name("deaths_after")] = i18n.Msg("error.outcomes.deaths_over_cases", "Cases", r.Cases)
		}
		over(name("ssi"), r.SSI, r.Cases)
		over(name("bsi"), r.BSI, r.Cases)
		childCases, childHospital, childAfter = childCases+r.Cases, childHospital+r.DeathsHospital, childAfter+r.DeathsAfter
		rows = append(rows, r)
	}
	anyPredicted := false
	for _, g := range AdultGroups {
		r := MixRow{AgeGroup: Adult, Category: g}
		name := func(m string) string { return MixField(Adult, g, m) }
		r.Cases, r.Deaths = num(name("cases")), num(name("deaths"))
		over(name("deaths"), r.Deaths, r.Cases)
		if strings.TrimSpace(f.Mix[name("predicted")]) != "" {
			pct, err := field.Decimal(f.Mix[name("predicted")], false, 0, 100*100000)
			fe.Add(name("predicted"), err)
			if err == nil && pct > 100*float64(r.Cases) {
				fe[name("predicted")] = i18n.Msg("error.outcomes.predicted_over_cases", "Max", 100*r.Cases)
			}
			r.Predicted, r.HasPredicted, anyPredicted = pct/100, true, true
		}
		adultCases += r.Cases
		rows = append(rows, r)
	}
	score := strings.TrimSpace(f.AdultScore)
	fe.Add("adult_score", field.OneOf(score, anyPredicted, AdultScores...))
	// Against the report's own totals.
	if childCases != pediatric {
		fe["mix_child"] = i18n.Msg("error.outcomes.child_total", "Mix", childCases, "Patients", pediatric)
	} else if childHospital > deathsDischarge {
		fe["mix_child"] = i18n.Msg("error.outcomes.child_deaths_hospital", "Mix", childHospital, "Deaths", deathsDischarge)
	} else if deaths30 != nil && childAfter > *deaths30 {
		fe["mix_child"] = i18n.Msg("error.outcomes.child_deaths_after", "Mix", childAfter, "Deaths", *deaths30)
	}
	if adultCases != adults {
		fe["mix_adult"] = i18n.Msg("error.outcomes.adult_total", "Mix", adultCases, "Patients", adults)
	}
	return rows, f.validatePerfusion(fe, bypass, pediatric+adults), score
}

// validatePerfusion checks the optional perfusion measures.
func (f *Form) validatePerfusion(fe i18n.FieldErrors, bypass, patients int) *Perfusion {
	var p Perfusion
	opt := func(name, v string, max int) *int {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		n, err := field.Int(v, false, 0, max)
		fe.Add(name, err)
		return &n
	}
	p.BypassCases = opt("perf_bypass_cases", f.PerfBypassCases, 100000)
	p.BypassMinutes = opt("perf_bypass_minutes", f.PerfBypassMinutes, 2000)
	p.ClampMinutes = opt("perf_clamp_minutes", f.PerfClampMinutes, 2000)
	p.Transfused = opt("perf_transfused", f.PerfTransfused, 100000)
	if strings.TrimSpace(f.PerfLowestHct) != "" {
		v, err := field.Decimal(f.PerfLowestHct, false, 5, 60)
		fe.Add("perf_lowest_hct", err)
		p.LowestHct = &v
	}
	if p.BypassCases != nil && *p.BypassCases > bypass && fe["perf_bypass_cases"].Key == "" {
		fe["perf_bypass_cases"] = i18n.Msg("error.outcomes.perf_over_bypass", "Bypass", bypass)
	}
	if p.ClampMinutes != nil && p.BypassMinutes != nil && *p.ClampMinutes > *p.BypassMinutes && fe["perf_clamp_minutes"].Key == "" {
		fe["perf_clamp_minutes"] = i18n.Msg("error.outcomes.clamp_over_bypass")
	}
	if p.Transfused != nil && fe["perf_transfused"].Key == "" {
		limit := patients
		if p.BypassCases != nil {
			limit = *p.BypassCases
		}
		if *p.Transfused > limit {
			fe["perf_transfused"] = i18n.Msg("error.outcomes.over_cases", "Cases", limit)
		}
	}
	return &p
}

// writeMix replaces the case mix and the perfusion measures of appID's
// report with those of fig, in the submission's transaction.
func writeMix(ctx context.Context, tx *sqlx.Tx, appID int64, fig *Figures) error {
	if _, err := tx.ExecContext(ctx, sqlMixDelete, appID); err != nil {
		return fmt.Errorf("report.writeMix: %w", err)
	}
	for _, r := range fig.Mix {
		if r.Cases == 0 {
			continue
		}
		var hospital, after, ssi, bsi, predicted any
		if r.AgeGroup == Child {
			hospital, after, ssi, bsi = r.DeathsHospital, r.DeathsAfter, r.SSI, r.BSI
		} else if r.HasPredicted {
			predicted = r.Predicted
		}
		if _, err := tx.ExecContext(ctx, sqlMixInsert, appID, r.AgeGroup, r.Category, r.Cases, r.Deaths,
			hospital, after, ssi, bsi, predicted); err != nil {
			return fmt.Errorf("report.writeMix: %w", err)
		}
	}
	p := fig.Perfusion
	if p == nil {
		p = &Perfusion{}
	}
	_, err := tx.ExecContext(ctx, sqlPerfusionUpdate, appID, fig.AdultScore, p.BypassCases, p.BypassMinutes,
		p.ClampMinutes, p.Transfused, p.LowestHct)
	return err
}

// MixCell is the patients of one category of one age group over every
// accepted report, for the impact page ("not_reported" for reports sent
// before the case mix was asked).
type MixCell struct {
	AgeGroup string `db:"age_group"`
	Category string `db:"category"`
	Cases    int    `db:"cases"`
}

// ImpactMix totals the case mix of every accepted report.
func (s *Service) ImpactMix(ctx context.Context) ([]MixCell, error) {
	var out []MixCell
	err := s.db.SelectContext(ctx, &out, sqlImpactMix)
	slices.SortStableFunc(out, func(a, b MixCell) int { return mixOrder(a) - mixOrder(b) })
	return out, err
}

// mixOrder places a category in the page's order: children, then adults,
// each in the form's order, "not reported" last.
func mixOrder(c MixCell) int {
	list := ChildCategories
	base := 0
	if c.AgeGroup == Adult {
		list, base = AdultGroups, 100
	}
	if i := slices.Index(list, c.Category); i >= 0 {
		return base + i
	}
	return base + 99
}
