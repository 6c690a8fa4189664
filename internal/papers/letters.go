package papers

import (
	"strings"
	"time"

	"missiongrants/internal/money"
	"missiongrants/internal/pdf"
)

// Letter is the IPA's decision on an application, to attach to the
// decision's email.
type Letter struct {
	Lang         string
	Date         time.Time
	Organization string
	Contact      string // whom the letter greets; "" greets the organization
	Title        string
	Approved     bool
	Amount       money.Cents // approved
	Currency     string
	Conditions   string // the board's conditions, if any
	Reason       string // why it was declined, as the IPA wrote it
	SignedBy     string // who signs for the IPA
}

// Letter is the award or decline letter as a PDF.
func (p *Papers) Letter(l Letter) ([]byte, error) {
	kind := "declined"
	if l.Approved {
		kind = "approved"
	}
	title := p.cat.T(l.Lang, "paper.letter."+kind+".title")
	w := p.start(l.Lang, title, l.Date)
	w.Text(w.t("app.org") + "\n" + w.cat.LongDate(l.Lang, l.Date))
	w.Text(l.Organization)
	w.Title(title)
	w.Text(w.t("paper.letter.greeting", "Name", or(l.Contact, l.Organization)))
	if l.Approved {
		w.Text(w.t("paper.letter.approved.body", "Title", l.Title, "Amount", w.money(l.Amount, l.Currency)))
		if c := strings.TrimSpace(l.Conditions); c != "" {
			w.Heading(w.t("paper.letter.conditions"))
			w.Text(c)
		}
		w.Text(w.t("paper.letter.approved.next"))
	} else {
		w.Text(w.t("paper.letter.declined.body", "Title", l.Title))
		if r := strings.TrimSpace(l.Reason); r != "" {
			w.Heading(w.t("paper.letter.reason"))
			w.Text(r)
		}
		w.Text(w.t("paper.letter.declined.next"))
	}
	w.Text(w.t("paper.letter.closing") + "\n\n" + or(l.SignedBy, w.t("paper.letter.board")) + "\n" + w.t("app.org"))
	w.Fields(pdf.Field{Label: w.t("paper.application"), Value: l.Title})
	return w.Bytes()
}

// LetterName is the file name of a decision's letter in lang.
func (p *Papers) LetterName(lang string, approved bool) string {
	if approved {
		return p.cat.T(lang, "paper.letter.approved.file") + ".pdf"
	}
	return p.cat.T(lang, "paper.letter.declined.file") + ".pdf"
}

// DeclineLetter is the letter of a decline at screening, for the mail that
// says it (application.DeclineLetters).
func (p *Papers) DeclineLetter(lang string, date time.Time, organization, contact, title, reason string) (string, []byte, error) {
	pdf, err := p.Letter(Letter{Lang: lang, Date: date, Organization: organization, Contact: contact, Title: title, Reason: reason})
	return p.LetterName(lang, false), pdf, err
}
