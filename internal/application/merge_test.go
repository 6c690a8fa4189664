package application

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The three-way merge of a save based on an older draft, unit by unit.
func TestMerge(t *testing.T) {
	base := ValidForm()
	edit := func(change func(*Form)) Form {
		f := ValidForm()
		change(&f)
		return f
	}
	narrative := func(f *Form) { f.Narrative = "Laptop: 300 children wait." }
	city := func(f *Form) { f.City = "Santiago" }
	cases := []struct {
		name          string
		base          *Form
		theirs, mine  Form
		want          Form
		conflicts     []string
		taken         []string
		conflictFirst Change // the first conflict's first change, when any
	}{
		{name: "different fields: both kept", base: &base,
			theirs: edit(narrative), mine: edit(city),
			want: edit(func(f *Form) { narrative(f); city(f) }), taken: []string{"narrative"}},
		{name: "the same change on both sides", base: &base,
			theirs: edit(city), mine: edit(city), want: edit(city)},
		{name: "only mine changed", base: &base,
			theirs: base, mine: edit(city), want: edit(city)},
		{name: "the same field, differently", base: &base,
			theirs: edit(func(f *Form) { f.City = "Puerto Plata" }), mine: edit(city),
			want: edit(city), conflicts: []string{"city"},
			conflictFirst: Change{Field: "city", Old: "Puerto Plata", New: "Santiago"}},
		{name: "different team roles merge", base: &base,
			theirs: edit(func(f *Form) { f.Team[0].Names = "Dr. A" }), mine: edit(func(f *Form) { f.Team[1].Count = "3" }),
			want: edit(func(f *Form) { f.Team[0].Names = "Dr. A"; f.Team[1].Count = "3" }), taken: []string{"team_names_cardiac_surgeon"}},
		{name: "the budget is one whole", base: &base,
			theirs: edit(func(f *Form) { f.Budget = f.Budget[1:] }), mine: edit(func(f *Form) { f.Budget[1].Amount = "1" }),
			want: edit(func(f *Form) { f.Budget[1].Amount = "1" }), conflicts: []string{"budget"}},
		{name: "a budget changed on one side only", base: &base,
			theirs: edit(func(f *Form) { f.Budget = nil }), mine: edit(city),
			want: edit(func(f *Form) { f.Budget = nil; city(f) }), taken: []string{"budget_category_0", "budget_description_0", "budget_amount_0", "budget_category_1", "budget_amount_1"}},
		{name: "base unknown: whatever differs is asked", base: nil,
			theirs: edit(narrative), mine: edit(city),
			want: edit(city), conflicts: []string{"city", "narrative"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, conflicts, taken := merge(c.base, c.theirs, c.mine)
			c.want.Normalize()
			if !reflect.DeepEqual(units(got), units(c.want)) {
				a, _ := json.Marshal(got)
				b, _ := json.Marshal(c.want)
				t.Errorf("merged\n%s\nwant\n%s", a, b)
			}
			var units []string
			for _, x := range conflicts {
				units = append(units, x.Unit)
			}
			if !reflect.DeepEqual(units, c.conflicts) {
				t.Errorf("conflicts %v, want %v", units, c.conflicts)
			}
			if c.conflictFirst.Field != "" && conflicts[0].Changes[0] != c.conflictFirst {
				t.Errorf("first conflict %+v, want %+v", conflicts[0].Changes[0], c.conflictFirst)
			}
			var fields []string
			for _, ch := range taken {
				fields = append(fields, ch.Field)
			}
			if !reflect.DeepEqual(fields, c.taken) {
				t.Errorf("taken %v, want %v", fields, c.taken)
			}
		})
	}
}

// Taking theirs puts back the base's value of the unit, nothing else.
func TestTakeTheirs(t *testing.T) {
	base := ValidForm()
	mine := ValidForm()
	mine.City, mine.Narrative, mine.Budget = "Santiago", "mine", nil
	got := takeTheirs(base, mine, []string{"city", "budget", "no_such_field"})
	if got.City != base.City || got.Narrative != "mine" || len(got.Budget) != len(base.Budget) {
		t.Errorf("took theirs: %+v", got)
	}
}
