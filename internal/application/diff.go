package application

import (
	"slices"
	"strconv"
	"strings"
)

// Change is one field that differs between two versions.
type Change struct {
	Field    string // the form field's name, e.g. "amount_requested", "team_count_perfusionist", "budget_amount_2"
	Old, New string
}

// Diff lists what changed from a to b, in the form's order.
func Diff(a, b Form) []Change {
	fa, fb := a.fields(), b.fields()
	var out []Change
	seen := map[string]bool{}
	for _, kv := range append(fa, fb...) {
		if seen[kv[0]] {
			continue
		}
		seen[kv[0]] = true
		o, n := lookup(fa, kv[0]), lookup(fb, kv[0])
		if o != n {
			out = append(out, Change{Field: kv[0], Old: o, New: n})
		}
	}
	return out
}

func lookup(fields [][2]string, name string) string {
	for _, kv := range fields {
		if kv[0] == name {
			return kv[1]
		}
	}
	return ""
}

// FieldNames are the form's fields in the order a person meets them, for
// listing its mistakes in that order. Groups checked as a whole (the team,
// the budget) stand before their first field.
func (f Form) FieldNames() []string {
	var out []string
	for _, kv := range f.fields() {
		switch {
		case strings.HasPrefix(kv[0], "team_count_") && !slices.Contains(out, "team"):
			out = append(out, "team")
		case strings.HasPrefix(kv[0], "budget_category_") && !slices.Contains(out, "budget"):
			out = append(out, "budget")
		}
		out = append(out, kv[0])
	}
	return out
}

// fields flattens the form into (name, value) pairs in the form's order.
func (f Form) fields() [][2]string {
	f.Normalize()
	out := [][2]string{
		{"title", f.Title}, {"country", f.Country}, {"city", f.City}, {"hospital", f.Hospital},
		{"host_contact_name", f.HostContactName}, {"host_contact_email", f.HostContactEmail}, {"host_contact_phone", f.HostContactPhone},
		{"trip_start", f.TripStart}, {"trip_end", f.TripEnd},
	}
	for _, m := range f.Team {
		out = append(out, [2]string{"team_count_" + m.Role, m.Count}, [2]string{"team_names_" + m.Role, m.Names})
	}
	out = append(out, [][2]string{
		{"patients_adult", f.PatientsAdult}, {"patients_pediatric", f.PatientsPediatric},
		{"proc_bypass", f.ProcBypass}, {"proc_offpump", f.ProcOffPump}, {"proc_interventional", f.ProcInterventional},
		{"blood_bank", f.BloodBank}, {"icu_beds", f.ICUBeds}, {"intensivist", f.Intensivist}, {"perfusion_equipment", f.PerfusionEquipment},
		{"local_training", f.LocalTraining}, {"past_missions", f.PastMissions},
	}...)
	for i, l := range f.Budget {
		n := strconv.Itoa(i)
		out = append(out, [2]string{"budget_category_" + n, l.Category}, [2]string{"budget_description_" + n, l.Description},
			[2]string{"budget_amount_" + n, l.Amount})
	}
	out = append(out, [][2]string{
		{"amount_requested", f.AmountRequested}, {"other_funding", f.OtherFunding}, {"other_funding_sources", f.OtherFundingSources},
		{"narrative", f.Narrative}, {"attest", f.Attest}, {"signer_name", f.SignerName}, {"signed_on", f.SignedOn},
	}...)
	return out
}

// Answers are the form's (name, value) pairs in the order a person meets
// them: budget lines as budget_category_N, budget_description_N,
// budget_amount_N; the team as team_count_ROLE, team_names_ROLE.
func (f Form) Answers() [][2]string { return f.fields() }
