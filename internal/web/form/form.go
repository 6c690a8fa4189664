// Package form turns submitted form values into the domain's input structs.
// It knows field names, not databases or rules: validation is the domain's.
package form

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"missiongrants/internal/application"
)

// maxValue bounds any one value, far above any field's own limit, so a huge
// post cannot make a huge draft (the domain then reports the field too long).
const maxValue = 64 << 10

func value(v url.Values, name string) string {
	s := v.Get(name)
	if len(s) > maxValue {
		s = s[:maxValue]
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// DraftEdit reads a save of the application form: the form, the draft
// revision it was based on (the hidden draft_rev; application.NoBase when
// missing), and the conflicts the person settled by taking the saved value
// (keep_UNIT=theirs).
//
// A section's page sends its key (section): the save carries that part of
// the form only. Its budget lines each have a button remove_line=N, which
// saves the form without line N (counted from 0 as the page lists them).
func DraftEdit(v url.Values) application.Edit {
	if n, err := strconv.Atoi(v.Get("remove_line")); err == nil && n >= 0 {
		v = withoutLine(v, n)
	}
	e := application.Edit{Form: Application(v), Base: application.NoBase, Section: value(v, "section")}
	if n, err := strconv.Atoi(v.Get("draft_rev")); err == nil && n >= 0 {
		e.Base = n
	}
	for name, vals := range v {
		if unit, ok := strings.CutPrefix(name, "keep_"); ok && slices.Contains(vals, "theirs") {
			e.TakeTheirs = append(e.TakeTheirs, unit)
		}
	}
	slices.Sort(e.TakeTheirs)
	return e
}

// withoutLine is v without budget line n's three values.
func withoutLine(v url.Values, n int) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		if (k == "budget_category" || k == "budget_description" || k == "budget_amount") && n < len(vals) {
			vals = slices.Delete(slices.Clone(vals), n, n+1)
		}
		out[k] = vals
	}
	return out
}

// Application reads the application form: simple fields by their JSON names,
// the team as team_count_ROLE / team_names_ROLE, the budget as repeated
// budget_category / budget_description / budget_amount, one set per line.
func Application(v url.Values) application.Form {
	f := application.Form{
		Title: value(v, "title"), Country: value(v, "country"), City: value(v, "city"), Hospital: value(v, "hospital"),
		HostContactName: value(v, "host_contact_name"), HostContactEmail: value(v, "host_contact_email"),
		HostContactPhone: value(v, "host_contact_phone"), TripStart: value(v, "trip_start"), TripEnd: value(v, "trip_end"),
		PatientsAdult: value(v, "patients_adult"), PatientsPediatric: value(v, "patients_pediatric"),
		ProcBypass: value(v, "proc_bypass"), ProcOffPump: value(v, "proc_offpump"), ProcInterventional: value(v, "proc_interventional"),
		BloodBank: value(v, "blood_bank"), ICUBeds: value(v, "icu_beds"), Intensivist: value(v, "intensivist"),
		PerfusionEquipment: value(v, "perfusion_equipment"), LocalTraining: value(v, "local_training"),
		PastMissions: value(v, "past_missions"), AmountRequested: value(v, "amount_requested"),
		OtherFunding: value(v, "other_funding"), OtherFundingSources: value(v, "other_funding_sources"),
		Narrative: value(v, "narrative"), Attest: value(v, "attest"), SignerName: value(v, "signer_name"), SignedOn: value(v, "signed_on"),
	}
	for _, role := range application.TeamRoles {
		f.Team = append(f.Team, application.TeamMember{Role: role, Count: value(v, "team_count_"+role), Names: value(v, "team_names_"+role)})
	}
	cats, descs, amounts := v["budget_category"], v["budget_description"], v["budget_amount"]
	n := max(len(cats), len(descs), len(amounts))
	n = min(n, application.MaxBudgetLines*4) // empty rows are dropped by Normalize
	at := func(s []string, i int) string {
		if i < len(s) && len(s[i]) <= maxValue {
			return s[i]
		}
		return ""
	}
	for i := 0; i < n; i++ {
		f.Budget = append(f.Budget, application.BudgetLine{Category: at(cats, i), Description: at(descs, i), Amount: at(amounts, i)})
	}
	f.Normalize()
	return f
}
