package papers

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/pdf"
)

// Agreement is a grant agreement's facts, as the award recorded them, and
// the admins' template of its terms in the charity's language.
type Agreement struct {
	Lang         string
	Number       string // the award's reference, e.g. "2026-17"
	Organization string
	Title        string // the application's
	Amount       money.Cents
	Currency     string
	Instalments  []Instalment
	Conditions   string // the award's own conditions, if any
	TripStart    time.Time
	TripEnd      time.Time
	ReportDue    time.Time
	IssuedAt     time.Time
	// Template is the terms with {placeholders} (see Placeholders).
	Template string
}

// Instalment is one payment of the schedule.
type Instalment struct {
	Amount    money.Cents
	DueOn     time.Time
	Condition string // none, before_trip, report_accepted
}

// Signature is the charity's acceptance, as the portal recorded it.
type Signature struct {
	Name, Title string // as the signatory typed them
	Email       string // their account's
	At          time.Time
	IP          string
	Statement   string // the words they ticked, in their language
	SHA256      string // of the agreement's PDF they read
}

// Placeholders are the words in braces an agreement's template may use; the
// award's figures replace them.
var Placeholders = []string{"organization", "title", "amount", "schedule", "conditions", "trip", "report_due"}

var placeholderRE = regexp.MustCompile(`\{[^{}\s]*\}`)

// CheckTemplate refuses a template with an unknown placeholder, naming it
// (a typo would otherwise reach the charity as it is), as a mistake shown
// beside the template's field.
func CheckTemplate(template string) error {
	for _, m := range placeholderRE.FindAllString(template, -1) {
		if !isPlaceholder(strings.Trim(m, "{}")) {
			return i18n.Msg("error.agreement.placeholder", "Name", m)
		}
	}
	return nil
}

func isPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p == name {
			return true
		}
	}
	return false
}

// AgreementText is the agreement's terms with the award's figures in place:
// the text the signatory accepts.
func (p *Papers) AgreementText(a Agreement) (string, error) {
	if err := CheckTemplate(a.Template); err != nil {
		return "", err
	}
	w := &writer{cat: p.cat, lang: a.Lang}
	var schedule []string
	for i, in := range a.Instalments {
		schedule = append(schedule, w.t("paper.agreement.schedule_line", "N", i+1, "Amount", w.money(in.Amount, a.Currency),
			"Due", w.date(in.DueOn), "Condition", w.t("page.award.condition."+in.Condition)))
	}
	values := map[string]string{
		"organization": a.Organization,
		"title":        a.Title,
		"amount":       w.money(a.Amount, a.Currency),
		"schedule":     strings.Join(schedule, "\n"),
		"conditions":   or(strings.TrimSpace(a.Conditions), w.t("paper.agreement.no_conditions")),
		"trip":         w.t("paper.agreement.trip", "Start", w.date(a.TripStart), "End", w.date(a.TripEnd)),
		"report_due":   w.date(a.ReportDue),
	}
	return placeholderRE.ReplaceAllStringFunc(a.Template, func(m string) string { return values[strings.Trim(m, "{}")] }), nil
}

// Agreement is the agreement as a PDF: its facts, its terms (text, as
// AgreementText wrote them when it was issued), the payment schedule and,
// once signed, a last page that says who signed, when, from where, and the
// SHA-256 of the unsigned PDF they read (which this same function makes
// again, byte for byte, without sig).
func (p *Papers) Agreement(a Agreement, text string, sig *Signature) ([]byte, error) {
	title := p.cat.T(a.Lang, "paper.agreement.title")
	w := p.start(a.Lang, title+" "+a.Number, a.IssuedAt)
	w.Title(title)
	w.Fields(
		pdf.Field{Label: w.t("paper.agreement.number"), Value: a.Number},
		pdf.Field{Label: w.t("paper.organization"), Value: a.Organization},
		pdf.Field{Label: w.t("paper.application"), Value: a.Title},
		pdf.Field{Label: w.t("paper.agreement.amount"), Value: w.money(a.Amount, a.Currency)},
		pdf.Field{Label: w.t("paper.agreement.trip_label"), Value: w.t("paper.agreement.trip", "Start", w.date(a.TripStart), "End", w.date(a.TripEnd))},
		pdf.Field{Label: w.t("paper.agreement.report_due"), Value: w.date(a.ReportDue)},
		pdf.Field{Label: w.t("paper.agreement.issued"), Value: w.date(a.IssuedAt)},
	)
	w.Heading(w.t("paper.agreement.terms"))
	w.Text(text)
	w.Heading(w.t("paper.agreement.schedule"))
	rows := make([][]string, len(a.Instalments))
	for i, in := range a.Instalments {
		rows[i] = []string{fmt.Sprint(i + 1), w.date(in.DueOn), w.t("page.award.condition." + in.Condition), w.money(in.Amount, a.Currency)}
	}
	w.Table([]pdf.Column{{Header: "#", Width: 0.08}, {Header: w.t("paper.agreement.due"), Width: 0.22},
		{Header: w.t("paper.agreement.condition"), Width: 0.45}, {Header: w.t("paper.amount"), Width: 0.25, Right: true}}, rows)
	if sig != nil {
		w.NewPage()
		w.Heading(w.t("paper.signature.title"))
		w.Text(sig.Statement)
		w.Fields(
			pdf.Field{Label: w.t("paper.signature.name"), Value: sig.Name},
			pdf.Field{Label: w.t("paper.signature.role"), Value: sig.Title},
			pdf.Field{Label: w.t("paper.signature.account"), Value: sig.Email},
			pdf.Field{Label: w.t("paper.signature.at"), Value: w.instant(sig.At)},
			pdf.Field{Label: w.t("paper.signature.ip"), Value: sig.IP},
			pdf.Field{Label: w.t("paper.signature.sha"), Value: sha(sig.SHA256)},
		)
		w.Note(w.t("paper.signature.how"))
	}
	return w.Bytes()
}

// Statement is the sentence a signatory ticks, in lang.
func (p *Papers) Statement(lang, organization string) string {
	return p.cat.T(lang, "paper.signature.statement", "Organization", organization)
}
