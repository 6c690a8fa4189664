package application

import (
	"errors"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/i18n"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// ValidForm is a complete application, as a charity would fill it.
func ValidForm() Form {
	f := Form{
		Title: "Cirugía pediátrica en Santo Domingo 2027", Country: "DO", City: "Santo Domingo",
		Hospital: "Hospital Infantil Dr. Robert Reid Cabral", HostContactName: "Dra. Ana Pérez", HostContactEmail: "ana@hospital.example",
		TripStart: "2027-03-01", TripEnd: "2027-03-12",
		PatientsAdult: "4", PatientsPediatric: "16", ProcBypass: "15", ProcOffPump: "2", ProcInterventional: "3",
		BloodBank: "yes", ICUBeds: "6", Intensivist: "yes", PerfusionEquipment: "brought",
		Narrative: "Children wait years for surgery.", AmountRequested: "20.000,00", OtherFunding: "5000",
		Budget: []BudgetLine{{Category: "travel", Description: "Flights", Amount: "12 000"}, {Category: "supplies", Amount: "13.000,00"}},
		Attest: "yes", SignerName: "Luis Gómez", SignedOn: "2026-11-24",
	}
	f.Normalize()
	f.Team[0].Count, f.Team[1].Count = "2", "1"
	return f
}

func TestAValidFormPasses(t *testing.T) {
	f := ValidForm()
	c, err := f.Validate(today, "en")
	if err != nil {
		t.Fatal(err)
	}
	if c.BudgetTotal != 2500000 || c.AmountRequested != 2000000 || c.OtherFunding != 500000 || c.Country != "DO" {
		t.Fatalf("checked: %+v", c)
	}
}

func TestEachMistakeIsNamedOnItsField(t *testing.T) {
	cases := []struct {
		name   string
		change func(f *Form)
		field  string
		key    string
	}{
		{"no title", func(f *Form) { f.Title = " " }, "title", "error.field.required"},
		{"bad country", func(f *Form) { f.Country = "ZZ" }, "country", "error.country.invalid"},
		{"trip in the past", func(f *Form) { f.TripStart = "2026-01-01" }, "trip_start", "error.app.trip_past"},
		{"trip far away", func(f *Form) { f.TripStart, f.TripEnd = "2031-01-01", "2031-01-05" }, "trip_start", "error.app.trip_far"},
		{"end before start", func(f *Form) { f.TripEnd = "2027-02-01" }, "trip_end", "error.app.trip_end_before_start"},
		{"trip too long", func(f *Form) { f.TripEnd = "2027-08-01" }, "trip_end", "error.app.trip_too_long"},
		{"date nonsense", func(f *Form) { f.TripStart = "31/02/2027" }, "trip_start", "error.date.invalid"},
		{"no perfusionist", func(f *Form) { f.Team[1].Count = "0" }, "team", "error.app.team_core"},
		{"team count words", func(f *Form) { f.Team[2].Count = "two" }, "team_count_anesthesiologist", "error.number.invalid"},
		{"no patients", func(f *Form) { f.PatientsAdult, f.PatientsPediatric = "0", "" }, "patients_adult", "error.app.no_patients"},
		{"negative patients", func(f *Form) { f.PatientsPediatric = "-3" }, "patients_pediatric", "error.number.range"},
		{"absurd patients", func(f *Form) { f.PatientsPediatric = "99999999999999999999" }, "patients_pediatric", "error.number.invalid"},
		{"no blood bank answer", func(f *Form) { f.BloodBank = "" }, "blood_bank", "error.field.choose"},
		{"equipment made up", func(f *Form) { f.PerfusionEquipment = "magic" }, "perfusion_equipment", "error.field.choose"},
		{"bad budget amount", func(f *Form) { f.Budget[1].Amount = "13.000,000" }, "budget_amount_1", "error.money.invalid"},
		{"negative budget", func(f *Form) { f.Budget[0].Amount = "-12" }, "budget_amount_0", "error.money.negative"},
		{"budget category", func(f *Form) { f.Budget[0].Category = "" }, "budget_category_0", "error.field.choose"},
		{"no budget", func(f *Form) { f.Budget = nil }, "budget", "error.app.budget_empty"},
		{"overflowing budget", func(f *Form) {
			for i := 0; i < 40; i++ {
				f.Budget = append(f.Budget, BudgetLine{Category: "other", Amount: "999,999,999"})
			}
		}, "budget", "error.app.budget_too_large"},
		{"asked more than budget", func(f *Form) { f.AmountRequested = "21,000" }, "amount_requested", "error.app.amount_over_budget"},
		{"asked nothing", func(f *Form) { f.AmountRequested = "0" }, "amount_requested", "error.app.amount_zero"},
		{"absurd amount", func(f *Form) { f.AmountRequested = "1e12" }, "amount_requested", "error.money.invalid"},
		{"not attested", func(f *Form) { f.Attest = "" }, "attest", "error.app.attest"},
		{"signed in the future", func(f *Form) { f.SignedOn = "2026-12-25" }, "signed_on", "error.app.signed_on"},
		{"control characters", func(f *Form) { f.Narrative = "ok\x00" }, "narrative", "error.field.control_chars"},
		{"very long text", func(f *Form) { f.Narrative = strings.Repeat("❤", 20001) }, "narrative", "error.field.too_long"},
		{"host email", func(f *Form) { f.HostContactEmail = "ana at hospital" }, "host_contact_email", "error.email.invalid"},
	}
	for _, tc := range cases {
		f := ValidForm()
		tc.change(&f)
		_, err := f.Validate(today, "en")
		var fe i18n.FieldErrors
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if fe[tc.field].Key != tc.key {
			t.Errorf("%s: %s = %q, want %q (all: %v)", tc.name, tc.field, fe[tc.field].Key, tc.key, fe)
		}
	}
}

func TestTextIsKeptAsGiven(t *testing.T) {
	f := ValidForm()
	f.Narrative = "<script>alert('x')</script> مرحبا 💓\nline two"
	if _, err := f.Validate(today, "en"); err != nil {
		t.Fatal(err)
	}
	if f.Narrative != "<script>alert('x')</script> مرحبا 💓\nline two" {
		t.Fatal("validation changed the text")
	}
}

func TestDiff(t *testing.T) {
	a := ValidForm()
	b := ValidForm()
	b.AmountRequested = "18,000"
	b.Budget = append(b.Budget, BudgetLine{Category: "lodging", Amount: "1,000"})
	changes := Diff(a, b)
	got := map[string]Change{}
	for _, c := range changes {
		got[c.Field] = c
	}
	if len(changes) != 3 || got["amount_requested"].Old != "20.000,00" || got["amount_requested"].New != "18,000" ||
		got["budget_amount_2"].New != "1,000" || got["budget_category_2"].New != "lodging" {
		t.Fatalf("diff: %+v", changes)
	}
	if len(Diff(a, a)) != 0 {
		t.Fatal("a form differs from itself")
	}
}

// Whatever arrives in a form, validation answers with field errors or a
// checked application, never a panic, and a checked amount is in range.
func FuzzValidate(f *testing.F) {
	f.Add("20,000", "12,000", "2027-03-01", "3", "DO")
	f.Add("-1", "1e9", "2027-02-30", "x", "")
	f.Fuzz(func(t *testing.T, requested, line, start, count, country string) {
		form := ValidForm()
		form.AmountRequested, form.Budget[0].Amount, form.TripStart, form.Team[0].Count, form.Country = requested, line, start, count, country
		c, err := form.Validate(today, "en")
		if err != nil {
			var fe i18n.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("non-field error %v", err)
			}
			return
		}
		if c.AmountRequested <= 0 || c.AmountRequested+c.OtherFunding > c.BudgetTotal {
			t.Fatalf("accepted %+v", c)
		}
	})
}
