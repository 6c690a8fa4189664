package application

// Form is the application as the charity types it. Every value is kept as
// typed (strings), so a draft saves whatever subset is filled, even a number
// still half-written; Validate turns it into checked values at submission.
// The JSON names are the form fields' names and the stored draft's keys.
type Form struct {
	Title string `json:"title"`

	Country          string `json:"country"` // ISO 3166 code of the destination
	City             string `json:"city"`
	Hospital         string `json:"hospital"`
	HostContactName  string `json:"host_contact_name"`
	HostContactEmail string `json:"host_contact_email"`
	HostContactPhone string `json:"host_contact_phone"`

	TripStart string `json:"trip_start"` // YYYY-MM-DD
	TripEnd   string `json:"trip_end"`

	// Team is one row per role in TeamRoles, in that order.
	Team []TeamMember `json:"team"`

	PatientsAdult      string `json:"patients_adult"`
	PatientsPediatric  string `json:"patients_pediatric"`
	ProcBypass         string `json:"proc_bypass"` // open-heart on cardiopulmonary bypass
	ProcOffPump        string `json:"proc_offpump"`
	ProcInterventional string `json:"proc_interventional"`

	BloodBank          string `json:"blood_bank"` // yes | no
	ICUBeds            string `json:"icu_beds"`
	Intensivist        string `json:"intensivist"`         // yes | no
	PerfusionEquipment string `json:"perfusion_equipment"` // available | brought | partly

	LocalTraining string `json:"local_training"`
	PastMissions  string `json:"past_missions"`

	Budget              []BudgetLine `json:"budget"`
	AmountRequested     string       `json:"amount_requested"`
	OtherFunding        string       `json:"other_funding"`
	OtherFundingSources string       `json:"other_funding_sources"`

	Narrative string `json:"narrative"`

	Attest     string `json:"attest"` // "yes" once the signer attests
	SignerName string `json:"signer_name"`
	SignedOn   string `json:"signed_on"`
}

// TeamMember is how many people of a role go, and who.
type TeamMember struct {
	Role  string `json:"role"`
	Count string `json:"count"`
	Names string `json:"names"`
}

// BudgetLine is one line of the trip's budget.
type BudgetLine struct {
	Category    string `json:"category"`
	Description string `json:"description"`
	Amount      string `json:"amount"`
}

// TeamRoles are the roles the form asks about, in order.
var TeamRoles = []string{"cardiac_surgeon", "perfusionist", "anesthesiologist", "cardiologist", "icu_nurse", "other"}

// BudgetCategories a budget line may have.
var BudgetCategories = []string{"travel", "lodging", "supplies", "equipment", "medication", "local_staff", "other"}

// MaxBudgetLines keeps a form (and its draft) a sane size.
const MaxBudgetLines = 50

// Normalize gives the form one team row per role, in order, and drops
// budget lines left entirely empty, so every draft has the same shape.
func (f *Form) Normalize() {
	byRole := map[string]TeamMember{}
	for _, m := range f.Team {
		byRole[m.Role] = m
	}
	f.Team = make([]TeamMember, len(TeamRoles))
	for i, r := range TeamRoles {
		m := byRole[r]
		m.Role = r
		f.Team[i] = m
	}
	lines := f.Budget[:0]
	for _, l := range f.Budget {
		if l.Category != "" || l.Description != "" || l.Amount != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > MaxBudgetLines {
		lines = lines[:MaxBudgetLines]
	}
	f.Budget = lines
}
