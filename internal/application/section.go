package application

import (
	"errors"
	"slices"
	"strings"
	"time"

	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
)

// Section is one part of the form, shown as a task of its own: its page
// saves only its fields, and the task list gives it a state.
type Section struct {
	Key string // "trip"; its title is the catalog's app.section.KEY
	// Units are the merge units (see Conflict) it holds.
	Units []string
}

// Sections are the form's parts in the order a person meets them.
var Sections = []Section{
	{Key: "trip", Units: []string{"title", "country", "city", "trip_start", "trip_end"}},
	{Key: "host", Units: []string{"hospital", "host_contact_name", "host_contact_email", "host_contact_phone"}},
	{Key: "team", Units: teamUnits()},
	{Key: "patients", Units: []string{"patients_adult", "patients_pediatric", "proc_bypass", "proc_offpump", "proc_interventional"}},
	{Key: "readiness", Units: []string{"blood_bank", "icu_beds", "intensivist", "perfusion_equipment"}},
	{Key: "experience", Units: []string{"local_training", "past_missions"}},
	{Key: "budget", Units: []string{"budget", "amount_requested", "other_funding", "other_funding_sources"}},
	{Key: "need", Units: []string{"narrative"}},
	{Key: "attestation", Units: []string{"attest", "signer_name", "signed_on"}},
}

func teamUnits() []string {
	out := make([]string, len(TeamRoles))
	for i, r := range TeamRoles {
		out[i] = "team_" + r
	}
	return out
}

// ErrNoSection: a save names a part the form does not have (a page left
// open across a release, a hand-made request).
var ErrNoSection = refusal.NotFound("error.http.404")

// SectionByKey is the section named key; ok is false for none.
func SectionByKey(key string) (Section, bool) {
	i := slices.IndexFunc(Sections, func(s Section) bool { return s.Key == key })
	if i < 0 {
		return Section{}, false
	}
	return Sections[i], true
}

// SectionOf names the section a form field (a Diff or error name: "title",
// "team_count_perfusionist", "budget_amount_2", the groups "team" and
// "budget") belongs to, "" for none.
func SectionOf(field string) string {
	unit := unitOf(field)
	if unit == "team" {
		return "team"
	}
	for _, s := range Sections {
		if slices.Contains(s.Units, unit) {
			return s.Key
		}
	}
	return ""
}

// Only is mine with every unit outside s taken from theirs: a section's
// page posts only its own fields, and the rest of the draft stays as saved.
func Only(s Section, theirs, mine Form) Form {
	t, m := units(theirs), units(mine)
	for _, u := range s.Units {
		t[u] = m[u]
	}
	return fromUnits(t)
}

// State is how far a section is: the task list's tag.
type State string

const (
	NotStarted     State = "not_started"
	InProgress     State = "in_progress"
	Completed      State = "completed"
	NeedsAttention State = "needs_attention" // something filled in is wrong
)

// Progress is each section's state and the mistakes Validate finds, by
// field, as a submission would see them today (UTC) in lang.
type Progress struct {
	States map[string]State
	Errors i18n.FieldErrors // nil: nothing wrong, the form could be sent
}

// Complete: every section is completed.
func (p Progress) Complete() bool { return len(p.Errors) == 0 }

// Progress checks the form as Submit would and says, section by section,
// whether it is untouched, under way, done, or holds an answer to fix.
func (f Form) Progress(today time.Time, lang string) Progress {
	g := f
	g.Budget = slices.Clone(f.Budget)
	_, err := g.Validate(today, lang)
	var fe i18n.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		fe = i18n.FieldErrors{"title": i18n.Msg("error.app.stale")} // cannot happen: Validate returns field errors
	}
	values := map[string]string{}
	for _, kv := range g.fields() {
		values[kv[0]] = strings.TrimSpace(kv[1])
	}
	filled := map[string]bool{}
	for name, v := range values {
		if v != "" {
			filled[SectionOf(name)] = true
		}
	}
	out := Progress{States: map[string]State{}, Errors: fe}
	for _, s := range Sections {
		state := Completed
		if !filled[s.Key] {
			state = NotStarted // an optional part left empty too, though the form may be sent without it
		}
		for name := range fe {
			if SectionOf(name) != s.Key {
				continue
			}
			switch {
			case values[name] != "":
				state = NeedsAttention
			case state == Completed:
				state = InProgress
			}
		}
		out.States[s.Key] = state
	}
	return out
}

// SectionErrors are the mistakes of fe in section key.
func SectionErrors(fe i18n.FieldErrors, key string) i18n.FieldErrors {
	out := i18n.FieldErrors{}
	for name, m := range fe {
		if SectionOf(name) == key {
			out[name] = m
		}
	}
	return out
}
