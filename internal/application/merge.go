package application

import (
	"encoding/json"
	"fmt"
	"missiongrants/internal/refusal"
	"slices"
	"strings"
	"time"
)

// ErrStale: the draft was saved from elsewhere (another device, another
// member) after the revision this save was based on. Errors of SaveDraft
// that match it are a *Stale, which says what differs; the concept note's
// autosave (SaveConceptAt) returns it as it is.
var ErrStale = refusal.Conflict("error.app.stale")

// NoBase is the base of a save that did not say which revision it was
// based on (a page from before revisions): every field that differs from
// the saved draft is then the person's to choose.
const NoBase = -1

// Edit is one save of the draft.
type Edit struct {
	Form Form
	// Base is the draft revision the form was based on (NoBase: unknown).
	Base int
	// Merge: a save based on an older revision keeps the edits made
	// elsewhere to fields this one did not change, and is refused only
	// when both changed a field. The full save merges, since its answer
	// reloads the page with the result; autosave does not, since the page
	// would go on showing, and sending, the older values; but a section's
	// autosave (Section) takes in what was saved since in other sections,
	// which its page does not show.
	Merge bool
	// TakeTheirs are the merge units (see Conflict) whose saved value the
	// person chose over what they typed: the value at Base is put back.
	TakeTheirs []string
	// Section, when set, is the one part of the form this save carries (a
	// section's page): the rest of the draft is kept as saved.
	Section string
}

// Saved is what a save kept.
type Saved struct {
	Rev int       // the draft's revision now, the base of the next save
	At  time.Time // when
	// Taken are the fields changed elsewhere that this save merged in (Old:
	// what this save had, New: what was saved and is kept).
	Taken []Change
}

// Conflict is one part of the form that both this save and another changed
// since the base, differently: the person chooses.
type Conflict struct {
	// Unit is what is chosen as a whole: a field's name ("narrative"), a
	// team role's row ("team_perfusionist") or the whole budget ("budget"),
	// whose lines, numbered by position, do not merge one by one.
	Unit string
	// Changes are the unit's fields that differ: Old is the saved value,
	// New the person's.
	Changes []Change
}

// Stale is the refusal of a save based on an older revision: the revision
// saved now, and the form to show again, which holds the person's edits
// over what is saved now (theirs where they conflict, until they choose).
type Stale struct {
	Rev       int
	Form      Form
	Conflicts []Conflict
	Taken     []Change // changed elsewhere only, already in Form
}

func (e *Stale) Error() string {
	return fmt.Sprintf("application: draft changed elsewhere (now revision %d, %d conflicts)", e.Rev, len(e.Conflicts))
}

func (e *Stale) Unwrap() error { return ErrStale }

// merge is the three-way merge of the form mine, based on base (nil:
// unknown), with theirs, the draft saved since. Unit by unit: what only one
// side changed is taken from it; what both changed alike is kept; what both
// changed differently is a conflict, mine kept in the result for now.
func merge(base *Form, theirs, mine Form) (out Form, conflicts []Conflict, taken []Change) {
	t, m := units(theirs), units(mine)
	var b map[string]json.RawMessage
	if base != nil {
		b = units(*base)
	}
	res := make(map[string]json.RawMessage, len(m))
	var conflicted, tookUnits []string
	for _, u := range unitOrder(theirs, mine) {
		switch {
		case string(m[u]) == string(t[u]):
			res[u] = m[u]
		case base != nil && string(m[u]) == string(b[u]):
			res[u] = t[u]
			tookUnits = append(tookUnits, u)
		case base != nil && string(t[u]) == string(b[u]):
			res[u] = m[u]
		default:
			res[u] = m[u]
			conflicted = append(conflicted, u)
		}
	}
	out = fromUnits(res)
	diff := Diff(theirs, mine)
	for _, u := range conflicted {
		c := Conflict{Unit: u}
		for _, ch := range diff {
			if unitOf(ch.Field) == u {
				c.Changes = append(c.Changes, ch)
			}
		}
		conflicts = append(conflicts, c)
	}
	for _, ch := range Diff(mine, theirs) {
		if slices.Contains(tookUnits, unitOf(ch.Field)) {
			taken = append(taken, ch)
		}
	}
	return out, conflicts, taken
}

// takeTheirs puts back in mine the value base has for each of the units.
func takeTheirs(base, mine Form, which []string) Form {
	if len(which) == 0 {
		return mine
	}
	b, m := units(base), units(mine)
	for _, u := range which {
		if v, ok := b[u]; ok {
			m[u] = v
		}
	}
	return fromUnits(m)
}

// unitOf names the merge unit a form field (Diff's names) belongs to.
func unitOf(field string) string {
	switch {
	case strings.HasPrefix(field, "budget_"):
		return "budget"
	case strings.HasPrefix(field, "team_count_"):
		return "team_" + strings.TrimPrefix(field, "team_count_")
	case strings.HasPrefix(field, "team_names_"):
		return "team_" + strings.TrimPrefix(field, "team_names_")
	}
	return field
}

// unitOrder lists the units of either form in the form's order.
func unitOrder(forms ...Form) []string {
	var out []string
	for _, f := range forms {
		for _, kv := range f.fields() {
			if u := unitOf(kv[0]); !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	if !slices.Contains(out, "budget") { // neither has a line, the base may have had some
		out = append(out, "budget")
	}
	return out
}

// units splits a form into its merge units, each as its JSON, so that two
// units compare by their bytes.
func units(f Form) map[string]json.RawMessage {
	f.Normalize()
	team := f.Team
	f.Team = nil
	if f.Budget == nil {
		f.Budget = []BudgetLine{} // no lines is one value, however it came
	}
	raw, _ := json.Marshal(f)
	m := map[string]json.RawMessage{}
	_ = json.Unmarshal(raw, &m)
	delete(m, "team")
	for _, r := range team {
		m["team_"+r.Role], _ = json.Marshal(r)
	}
	return m
}

func fromUnits(m map[string]json.RawMessage) Form {
	rest := make(map[string]json.RawMessage, len(m))
	var team []TeamMember
	for k, v := range m {
		if strings.HasPrefix(k, "team_") {
			var r TeamMember
			_ = json.Unmarshal(v, &r)
			team = append(team, r)
			continue
		}
		rest[k] = v
	}
	raw, _ := json.Marshal(rest)
	var f Form
	_ = json.Unmarshal(raw, &f)
	f.Team = team
	f.Normalize()
	return f
}
