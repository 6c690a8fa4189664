package application

import (
	"strconv"
	"strings"
	"time"

	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
)

// Checked is a form that passed Validate, with its values typed.
type Checked struct {
	Title           string
	Country         string
	TripStart       time.Time
	TripEnd         time.Time
	AmountRequested money.Cents
	OtherFunding    money.Cents
	BudgetTotal     money.Cents
}

// Limits of the trip's dates, relative to the day of submission.
const (
	maxTripLead   = 3 * 366 * 24 * time.Hour // a trip at most about three years ahead
	maxTripLength = 90 * 24 * time.Hour
)

// MaxLength is the longest text each free-text question takes, in
// characters: Validate refuses longer, and the form's fields say so to the
// browser (maxlength), so nothing typed is lost to a refusal later.
var MaxLength = map[string]int{"title": 200, "city": 100, "hospital": 200, "host_contact_name": 200, "host_contact_phone": 50,
	"local_training": 5000, "past_missions": 10000, "narrative": 20000, "signer_name": 200, "other_funding_sources": 2000}

// Validate checks everything a submission needs and reports every mistake at
// once, each under its field's name. today is the submission's date (UTC);
// amounts are read as a person whose language is lang writes them.
func (f *Form) Validate(today time.Time, lang string) (*Checked, error) {
	f.Normalize()
	fe := i18n.FieldErrors{}
	c := &Checked{Title: strings.TrimSpace(f.Title), Country: strings.ToUpper(strings.TrimSpace(f.Country))}

	fe.Add("title", field.Line(f.Title, true, MaxLength["title"]))
	if !organization.ValidCountry(c.Country) {
		fe["country"] = i18n.Msg("error.country.invalid")
	}
	fe.Add("city", field.Line(f.City, true, MaxLength["city"]))
	fe.Add("hospital", field.Line(f.Hospital, true, MaxLength["hospital"]))
	fe.Add("host_contact_name", field.Line(f.HostContactName, true, MaxLength["host_contact_name"]))
	fe.Add("host_contact_email", field.Email(strings.TrimSpace(f.HostContactEmail), true))
	fe.Add("host_contact_phone", field.Text(f.HostContactPhone, false, MaxLength["host_contact_phone"]))

	f.validateDates(fe, c, today)
	f.validateTeam(fe)
	f.validateCases(fe)

	fe.Add("blood_bank", field.OneOf(f.BloodBank, true, "yes", "no"))
	fe.Add("intensivist", field.OneOf(f.Intensivist, true, "yes", "no"))
	fe.Add("perfusion_equipment", field.OneOf(f.PerfusionEquipment, true, "available", "brought", "partly"))
	if _, err := field.Int(f.ICUBeds, true, 0, 1000); err != nil {
		fe.Add("icu_beds", err)
	}
	fe.Add("local_training", field.Text(f.LocalTraining, false, MaxLength["local_training"]))
	fe.Add("past_missions", field.Text(f.PastMissions, false, MaxLength["past_missions"]))
	fe.Add("narrative", field.Text(f.Narrative, true, MaxLength["narrative"]))

	f.validateMoney(fe, c, lang)

	if f.Attest != "yes" {
		fe["attest"] = i18n.Msg("error.app.attest")
	}
	fe.Add("signer_name", field.Line(f.SignerName, true, MaxLength["signer_name"]))
	if d, err := field.Date(f.SignedOn, true); err != nil {
		fe.Add("signed_on", err)
	} else if d.After(today) || d.Before(today.AddDate(-1, 0, 0)) {
		fe["signed_on"] = i18n.Msg("error.app.signed_on")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (f *Form) validateDates(fe i18n.FieldErrors, c *Checked, today time.Time) {
	start, err := field.Date(f.TripStart, true)
	fe.Add("trip_start", err)
	end, err2 := field.Date(f.TripEnd, true)
	fe.Add("trip_end", err2)
	if err != nil || err2 != nil {
		return
	}
	switch {
	case start.Before(today):
		fe["trip_start"] = i18n.Msg("error.app.trip_past")
	case start.Sub(today) > maxTripLead:
		fe["trip_start"] = i18n.Msg("error.app.trip_far")
	}
	switch {
	case end.Before(start):
		fe["trip_end"] = i18n.Msg("error.app.trip_end_before_start")
	case end.Sub(start) > maxTripLength:
		fe["trip_end"] = i18n.Msg("error.app.trip_too_long", "Days", int(maxTripLength.Hours()/24))
	}
	c.TripStart, c.TripEnd = start, end
}

// validateTeam: a mission needs at least a cardiac surgeon and a perfusionist.
func (f *Form) validateTeam(fe i18n.FieldErrors) {
	counts := map[string]int{}
	for _, m := range f.Team {
		n, err := field.Int(m.Count, false, 0, 200)
		fe.Add("team_count_"+m.Role, err)
		fe.Add("team_names_"+m.Role, field.Text(m.Names, false, 2000))
		counts[m.Role] = n
	}
	if counts["cardiac_surgeon"] < 1 || counts["perfusionist"] < 1 {
		fe["team"] = i18n.Msg("error.app.team_core")
	}
}

// validateCases: at least one patient and one procedure planned.
func (f *Form) validateCases(fe i18n.FieldErrors) {
	sum := func(fields map[string]string) (int, bool) {
		total, ok := 0, true
		for name, v := range fields {
			n, err := field.Int(v, false, 0, 10000)
			if err != nil {
				fe.Add(name, err)
				ok = false
			}
			total += n
		}
		return total, ok
	}
	if patients, ok := sum(map[string]string{"patients_adult": f.PatientsAdult, "patients_pediatric": f.PatientsPediatric}); ok && patients < 1 {
		fe["patients_adult"] = i18n.Msg("error.app.no_patients")
	}
	if procs, ok := sum(map[string]string{"proc_bypass": f.ProcBypass, "proc_offpump": f.ProcOffPump, "proc_interventional": f.ProcInterventional}); ok && procs < 1 {
		fe["proc_bypass"] = i18n.Msg("error.app.no_procedures")
	}
}

// validateMoney checks each budget line, then that the amount asked and the
// other funding fit within the budget's total.
func (f *Form) validateMoney(fe i18n.FieldErrors, c *Checked, lang string) {
	if len(f.Budget) == 0 {
		fe["budget"] = i18n.Msg("error.app.budget_empty")
	}
	var amounts []money.Cents
	linesOK := true
	for i, l := range f.Budget {
		idx := strconv.Itoa(i)
		if err := field.OneOf(l.Category, true, BudgetCategories...); err != nil {
			fe.Add("budget_category_"+idx, err)
		}
		fe.Add("budget_description_"+idx, field.Text(l.Description, false, 300))
		a, err := money.Parse(l.Amount, lang)
		if err != nil {
			fe.Add("budget_amount_"+idx, err)
			linesOK = false
			continue
		}
		amounts = append(amounts, a)
	}
	total, err := money.Sum(amounts...)
	if err != nil {
		fe["budget"] = i18n.Msg("error.app.budget_too_large")
		linesOK = false
	}
	c.BudgetTotal = total

	requested, err := money.Parse(f.AmountRequested, lang)
	if err == nil && requested == 0 {
		err = i18n.Msg("error.app.amount_zero")
	}
	fe.Add("amount_requested", err)
	other := money.Cents(0)
	if strings.TrimSpace(f.OtherFunding) != "" {
		var err error
		if other, err = money.Parse(f.OtherFunding, lang); err != nil {
			fe.Add("other_funding", err)
		}
	}
	fe.Add("other_funding_sources", field.Text(f.OtherFundingSources, false, MaxLength["other_funding_sources"]))
	if _, ok := fe["amount_requested"]; !ok && linesOK && len(f.Budget) > 0 {
		if funded, err := money.Sum(requested, other); err != nil || funded > total {
			fe["amount_requested"] = i18n.Msg("error.app.amount_over_budget")
		}
	}
	c.AmountRequested, c.OtherFunding = requested, other
}

// BudgetTotal adds the lines that parse (in lang), for showing a running
// total on a draft; Validate decides at submission.
func (f *Form) BudgetTotal(lang string) money.Cents {
	var total money.Cents
	for _, l := range f.Budget {
		if a, err := money.Parse(l.Amount, lang); err == nil && total <= money.Max-a {
			total += a
		}
	}
	return total
}
