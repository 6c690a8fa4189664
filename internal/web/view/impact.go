package view

// ImpactRow is one country and year, or one total, with its counts as
// report.PublicImpact (or ExactImpact, for the IPA) decided: each a number
// or the word for withheld.
type ImpactRow struct {
	Country                            string
	Year                               int
	Trips, Patients, Surgeries, Bypass string
	Bar                                int  // the patients bar's length, 0..100
	HasBar                             bool // no bar for withheld patients
}

// Impact is the impact page (impact).
type Impact struct {
	Page
	Rows      []ImpactRow
	Countries []ImpactRow
	Years     []ImpactRow
	Total     ImpactRow
	Lead      string // the headline, without what is withheld
	Withheld  bool   // some figure is withheld
	Public    bool   // the page is public
	Full      bool   // the IPA's own view: no suppression
	MinCell   int
	// Chart is the patients served by country and year, a bar for each
	// count shown (none for a withheld one, whose value says so).
	Chart Chart
	// Figures are the headline numbers shown (none withheld).
	Figures []KeyFigure
	// The case mix: patients by age group and category, each a number or
	// the word for withheld; never a death.
	Mix []MixGroup
}

// KeyFigure is one headline number with what it counts.
type KeyFigure struct{ Value, Label string }

// MixGroup is one age group of the impact page's case mix: its total and
// its categories.
type MixGroup struct {
	Label, Patients string
	Rows            []MixLine
}

// MixLine is one category's patients.
type MixLine struct{ Label, Patients string }
