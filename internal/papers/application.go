package papers

import (
	"fmt"
	"strings"
	"time"

	"missiongrants/internal/application"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/pdf"
)

// Application is one submitted version of an application.
type Application struct {
	Lang         string
	ID           int64
	Version      int
	Organization string
	Round        string
	SubmittedAt  time.Time
	SubmittedBy  string
	Currency     string
	Form         application.Form
	Documents    []Document
}

// Document is a file sent with the application, named by its SHA-256 so a
// reader can check a copy is the one the charity sent.
type Document struct {
	Name, Kind, SHA256 string
	Size               int64
}

// Application is the version as a PDF: its facts, every answer in the
// form's order, the budget as a table, and the documents with their SHA-256.
func (p *Papers) Application(a Application) ([]byte, error) {
	title := or(a.Form.Title, p.cat.T(a.Lang, "paper.untitled"))
	w := p.start(a.Lang, title, a.SubmittedAt)
	w.Title(title)
	w.applicationFacts(a)
	w.applicationBody(a)
	w.Heading(w.t("paper.documents"))
	if len(a.Documents) == 0 {
		w.Text(w.t("paper.no_documents"))
	} else {
		rows := make([][]string, len(a.Documents))
		for i, d := range a.Documents {
			rows[i] = []string{d.Name, w.t("document.kind." + d.Kind), sha(d.SHA256)}
		}
		w.Table([]pdf.Column{{Header: w.t("paper.document"), Width: 0.34}, {Header: w.t("paper.document_kind"), Width: 0.22},
			{Header: "SHA-256", Width: 0.44}}, rows)
	}
	return w.Bytes()
}

func (w *writer) applicationFacts(a Application) {
	w.Fields(
		pdf.Field{Label: w.t("paper.organization"), Value: a.Organization},
		pdf.Field{Label: w.t("paper.reference"), Value: w.t("paper.reference_value", "ID", a.ID, "Version", a.Version)},
		pdf.Field{Label: w.t("paper.round"), Value: a.Round},
		pdf.Field{Label: w.t("paper.submitted"), Value: w.t("paper.submitted_by", "Date", w.date(a.SubmittedAt), "Name", a.SubmittedBy)},
	)
}

// applicationBody is every answer in the form's order, its sections as
// headings: the same sections the charity filled in.
func (w *writer) applicationBody(a Application) {
	f := a.Form
	field := func(name, value string) pdf.Field {
		return pdf.Field{Label: w.t("field.app."+name, "Currency", a.Currency), Value: or(strings.TrimSpace(value), "–")}
	}
	w.Heading(w.t("app.section.trip"))
	w.Fields(field("title", f.Title), field("country", organization.CountryName(f.Country, w.lang)), field("city", f.City),
		field("trip_start", w.day(f.TripStart)), field("trip_end", w.day(f.TripEnd)))
	w.Heading(w.t("app.section.host"))
	w.Fields(field("hospital", f.Hospital), field("host_contact_name", f.HostContactName),
		field("host_contact_email", f.HostContactEmail), field("host_contact_phone", f.HostContactPhone))
	w.Heading(w.t("app.section.team"))
	team := make([][]string, len(f.Team))
	for i, m := range f.Team {
		team[i] = []string{w.t("app.role." + m.Role), or(m.Count, "0"), m.Names}
	}
	w.Table([]pdf.Column{{Header: w.t("paper.role"), Width: 0.32}, {Header: w.t("field.app.team_count"), Width: 0.14, Right: true},
		{Header: w.t("field.app.team_names"), Width: 0.54}}, team)
	w.Heading(w.t("app.section.patients"))
	w.Fields(field("patients_adult", f.PatientsAdult), field("patients_pediatric", f.PatientsPediatric),
		field("proc_bypass", f.ProcBypass), field("proc_offpump", f.ProcOffPump), field("proc_interventional", f.ProcInterventional))
	w.Heading(w.t("app.section.readiness"))
	w.Fields(field("blood_bank", w.choice("action.", f.BloodBank)), field("icu_beds", f.ICUBeds),
		field("intensivist", w.choice("action.", f.Intensivist)), field("perfusion_equipment", w.choice("app.equipment.", f.PerfusionEquipment)))
	w.Heading(w.t("app.section.experience"))
	w.Fields(field("local_training", f.LocalTraining), field("past_missions", f.PastMissions))
	w.Heading(w.t("app.section.budget"))
	w.budget(a)
	w.Fields(field("amount_requested", w.amount(f.AmountRequested, a.Currency)), field("other_funding", w.amount(f.OtherFunding, a.Currency)),
		field("other_funding_sources", f.OtherFundingSources))
	w.Heading(w.t("app.section.need"))
	w.Text(or(f.Narrative, "–"))
	w.Heading(w.t("app.section.attestation"))
	attested := w.t("paper.not_attested")
	if f.Attest == "yes" {
		attested = w.t("field.app.attest")
	}
	w.Fields(pdf.Field{Label: w.t("paper.attestation"), Value: attested}, field("signer_name", f.SignerName), field("signed_on", w.day(f.SignedOn)))
}

// budget is the budget's lines and their total.
func (w *writer) budget(a Application) {
	var rows [][]string
	var amounts []money.Cents
	for i, l := range a.Form.Budget {
		if strings.TrimSpace(l.Category+l.Description+l.Amount) == "" {
			continue
		}
		cat := ""
		if l.Category != "" {
			cat = w.t("app.category." + l.Category)
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), cat, l.Description, w.amount(l.Amount, a.Currency)})
		if c, err := money.Parse(l.Amount, w.lang); err == nil {
			amounts = append(amounts, c)
		}
	}
	if total, err := money.Sum(amounts...); err == nil {
		rows = append(rows, []string{"", "", w.t("app.budget.total"), w.money(total, a.Currency)})
	}
	w.Table([]pdf.Column{{Header: "#", Width: 0.07}, {Header: w.t("field.app.budget_category"), Width: 0.26},
		{Header: w.t("field.app.budget_description"), Width: 0.45}, {Header: w.t("paper.amount"), Width: 0.22, Right: true}}, rows)
}

// amount is a typed amount in the reader's format, or as typed when it
// does not read as one.
func (w *writer) amount(s, cur string) string {
	if c, err := money.Parse(s, w.lang); err == nil && strings.TrimSpace(s) != "" {
		return w.money(c, cur)
	}
	return s
}

// day is a form's YYYY-MM-DD in the reader's words, or as typed.
func (w *writer) day(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return w.date(t)
	}
	return s
}

func (w *writer) choice(prefix, v string) string {
	if v == "" {
		return ""
	}
	return w.t(prefix + v)
}
