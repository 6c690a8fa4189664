package papers

import (
	"fmt"
	"strings"
	"time"

	"missiongrants/internal/organization"
	"missiongrants/internal/pdf"
)

// Packet is what the board reads before a meeting: the applications before
// it, each with what the reader may see of the board's work so far.
type Packet struct {
	Lang   string
	Date   time.Time
	Reader string // whose packet this is, printed on the cover
	Agenda string
	Items  []PacketItem
}

// PacketItem is one application in a packet.
type PacketItem struct {
	Application Application
	Status      string // the application's status key (in_review, voting)
	// Recused: the reader is recused, so the packet holds the charity's
	// submission but none of the board's reviews or discussion (the
	// caller leaves them out too; this says why they are missing).
	Recused    bool
	Mean       string // the mean weighted score, "" when none
	Reviews    []Review
	Discussion []Comment
}

// Review is one member's review as the reader may see it.
type Review struct {
	Name, Weighted, Recommendation, Comment string
}

// Comment is one message of the board's discussion.
type Comment struct {
	Name string
	At   time.Time
	Body string
}

// Packet is the board packet as a PDF: a cover with the date and agenda, a
// table of contents, then each application's summary, budget, scores and
// comments. It is laid out twice: the first time learns on which page each
// application begins, for the contents.
func (p *Papers) Packet(k Packet) ([]byte, error) {
	starts := make([]int, len(k.Items))
	if _, err := p.layout(k, nil, starts); err != nil {
		return nil, err
	}
	return p.layout(k, starts, nil)
}

// layout lays the packet out with the contents' page numbers toc (nil: not
// known yet), writing each item's first page into starts when not nil.
func (p *Papers) layout(k Packet, toc, starts []int) ([]byte, error) {
	title := p.cat.T(k.Lang, "paper.packet.title")
	w := p.start(k.Lang, title+" "+p.cat.Date(k.Lang, k.Date), k.Date)
	w.Title(title)
	w.Fields(pdf.Field{Label: w.t("paper.packet.date"), Value: w.cat.LongDate(k.Lang, k.Date)},
		pdf.Field{Label: w.t("paper.packet.reader"), Value: k.Reader},
		pdf.Field{Label: w.t("paper.packet.count"), Value: itoa(int64(len(k.Items)))})
	if a := strings.TrimSpace(k.Agenda); a != "" {
		w.Heading(w.t("paper.packet.agenda"))
		w.Text(a)
	}
	w.Heading(w.t("paper.packet.contents"))
	rows := make([][]string, len(k.Items))
	for i, it := range k.Items {
		page := "…"
		if toc != nil {
			page = fmt.Sprint(toc[i])
		}
		rows[i] = []string{fmt.Sprint(i + 1), or(it.Application.Form.Title, w.t("paper.untitled")), it.Application.Organization, page}
	}
	w.Table([]pdf.Column{{Header: "#", Width: 0.07}, {Header: w.t("paper.application"), Width: 0.5},
		{Header: w.t("paper.organization"), Width: 0.31}, {Header: w.t("paper.page"), Width: 0.12, Right: true}}, rows)
	for i, it := range k.Items {
		w.NewPage()
		page := w.Heading(fmt.Sprintf("%d. %s", i+1, or(it.Application.Form.Title, w.t("paper.untitled"))))
		if starts != nil {
			starts[i] = page
		}
		w.packetItem(it)
	}
	return w.Bytes()
}

func (w *writer) packetItem(it PacketItem) {
	a, f := it.Application, it.Application.Form
	w.Fields(
		pdf.Field{Label: w.t("paper.organization"), Value: a.Organization},
		pdf.Field{Label: w.t("paper.status"), Value: w.t("app.status." + it.Status)},
		pdf.Field{Label: w.t("paper.destination"), Value: strings.Trim(f.City+", "+organization.CountryName(f.Country, w.lang), ", ")},
		pdf.Field{Label: w.t("paper.trip"), Value: w.t("paper.agreement.trip", "Start", w.day(f.TripStart), "End", w.day(f.TripEnd))},
		pdf.Field{Label: w.t("paper.requested"), Value: w.amount(f.AmountRequested, a.Currency)},
		pdf.Field{Label: w.t("paper.patients"), Value: w.t("paper.patients_value", "Adults", or(f.PatientsAdult, "0"), "Children", or(f.PatientsPediatric, "0"))},
	)
	w.Subheading(w.t("app.section.need"))
	w.Text(or(f.Narrative, "–"))
	w.Subheading(w.t("app.section.budget"))
	w.budget(a)
	w.Subheading(w.t("paper.packet.reviews"))
	if it.Recused {
		w.Note(w.t("paper.packet.recused"))
		return
	}
	if len(it.Reviews) == 0 {
		w.Text(w.t("paper.packet.no_reviews"))
	} else {
		if it.Mean != "" {
			w.Fields(pdf.Field{Label: w.t("paper.packet.mean"), Value: it.Mean})
		}
		rows := make([][]string, len(it.Reviews))
		for i, r := range it.Reviews {
			rows[i] = []string{r.Name, r.Weighted, w.t("board.recommendation." + r.Recommendation), r.Comment}
		}
		w.Table([]pdf.Column{{Header: w.t("paper.member"), Width: 0.22}, {Header: w.t("paper.score"), Width: 0.1, Right: true},
			{Header: w.t("paper.recommendation"), Width: 0.18}, {Header: w.t("paper.comment"), Width: 0.5}}, rows)
	}
	if len(it.Discussion) > 0 {
		w.Subheading(w.t("paper.packet.discussion"))
		for _, c := range it.Discussion {
			w.Fields(pdf.Field{Label: c.Name + "\n" + w.date(c.At), Value: c.Body})
		}
	}
}
