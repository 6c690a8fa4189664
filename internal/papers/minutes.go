package papers

import (
	"strings"
	"time"

	"missiongrants/internal/money"
	"missiongrants/internal/pdf"
)

// Minutes are the board's decisions of a period, as the votes recorded them.
type Minutes struct {
	Lang     string
	From, To time.Time // days, both included
	MadeAt   time.Time
	Votes    []Minute
	// SignOff is the admin who approved these minutes; nil while they are
	// a draft.
	SignOff *SignOff
}

// SignOff is who approved a paper, and when.
type SignOff struct {
	By string
	At time.Time
}

// Minute is one closed vote.
type Minute struct {
	Title, Organization string
	ClosedAt            time.Time
	Decision            string // approved, declined, none
	Proposed, Approved  money.Cents
	Currency            string
	Eligible, Cast      int
	Approve, Decline    int
	Abstain             int
	QuorumMet           bool
	Recused             []string
	Ballots             []Ballot
	// Withheld: the reader is recused from this application, so who voted
	// what is left out (the tally stays).
	Withheld bool
}

// Ballot is one member's final ballot.
type Ballot struct{ Name, Choice, Comment string }

// Minutes is the minutes as a PDF.
func (p *Papers) Minutes(m Minutes) ([]byte, error) {
	title := p.cat.T(m.Lang, "paper.minutes.title")
	w := p.start(m.Lang, title, m.MadeAt)
	w.Title(title)
	status := w.t("paper.minutes.draft")
	if m.SignOff != nil {
		status = w.t("paper.minutes.approved_by", "Name", m.SignOff.By, "Date", w.date(m.SignOff.At))
	}
	w.Fields(pdf.Field{Label: w.t("paper.minutes.period"), Value: w.t("paper.period", "From", w.date(m.From), "To", w.date(m.To))},
		pdf.Field{Label: w.t("paper.minutes.votes"), Value: itoa(int64(len(m.Votes)))},
		pdf.Field{Label: w.t("paper.minutes.status"), Value: status})
	if len(m.Votes) == 0 {
		w.Text(w.t("paper.minutes.none"))
	}
	for _, v := range m.Votes {
		w.Heading(v.Title)
		quorum := w.t("paper.no")
		if v.QuorumMet {
			quorum = w.t("paper.yes")
		}
		fields := []pdf.Field{
			{Label: w.t("paper.organization"), Value: v.Organization},
			{Label: w.t("paper.minutes.closed"), Value: w.date(v.ClosedAt)},
			{Label: w.t("paper.minutes.decision"), Value: w.t("paper.decision." + v.Decision)},
			{Label: w.t("paper.minutes.proposed"), Value: w.money(v.Proposed, v.Currency)},
		}
		if v.Decision == "approved" {
			fields = append(fields, pdf.Field{Label: w.t("paper.minutes.approved"), Value: w.money(v.Approved, v.Currency)})
		}
		fields = append(fields,
			pdf.Field{Label: w.t("paper.minutes.tally"), Value: w.t("paper.minutes.tally_value", "Approve", v.Approve, "Decline", v.Decline, "Abstain", v.Abstain)},
			pdf.Field{Label: w.t("paper.minutes.quorum"), Value: w.t("paper.minutes.quorum_value", "Cast", v.Cast, "Eligible", v.Eligible, "Met", quorum)},
			pdf.Field{Label: w.t("paper.minutes.recused"), Value: or(strings.Join(v.Recused, ", "), w.t("paper.nobody"))},
		)
		w.Fields(fields...)
		if v.Withheld {
			w.Note(w.t("paper.minutes.withheld"))
			continue
		}
		rows := make([][]string, len(v.Ballots))
		for i, b := range v.Ballots {
			rows[i] = []string{b.Name, w.t("board.choice." + b.Choice), b.Comment}
		}
		if len(rows) > 0 {
			w.Table([]pdf.Column{{Header: w.t("paper.member"), Width: 0.3}, {Header: w.t("paper.minutes.ballot"), Width: 0.2},
				{Header: w.t("paper.comment"), Width: 0.5}}, rows)
		}
	}
	return w.Bytes()
}
