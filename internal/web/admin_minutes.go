package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/export"
	"missiongrants/internal/money"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/view"
)

// The minutes: the board's decisions in a period, with the votes, the
// recusals and whether there was a quorum; a printable page and a CSV file.

// minutes reads the period and lists its decisions; a period that cannot
// be read comes back as field errors.
func (s *Server) minutes(c *gin.Context) (*view.AdminMinutes, error) {
	p := &view.AdminMinutes{Page: s.page(c), From: c.Query("from"), To: c.Query("to")}
	period, err := vote.ParsePeriod(p.From, p.To, s.now())
	if err != nil {
		return p, err
	}
	p.Period = period
	if p.From == "" {
		p.From = period.From.Format("2006-01-02")
	}
	if p.To == "" {
		p.To = period.To.Format("2006-01-02")
	}
	p.CSV = "/admin/minutes.csv?from=" + p.From + "&to=" + p.To
	p.PDF = "/admin/minutes.pdf?from=" + p.From + "&to=" + p.To
	list, err := s.votes.Minutes(c.Request.Context(), currentUser(c), period)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		p.Entries = append(p.Entries, view.Minute{Minute: m, Proposed: money.Format(m.Proposed, money.Currency(m.Currency), p.Lang)})
	}
	if a, err := s.votes.MinutesApproval(c.Request.Context(), period); err != nil {
		return nil, err
	} else if a != nil && a.Decisions == len(list) {
		p.Approval, p.ApprovedOn = a, s.cat.Date(p.Lang, a.At)
	}
	return p, nil
}

func (s *Server) adminMinutesShow(c *gin.Context) error {
	p, err := s.minutes(c)
	if err != nil {
		if p == nil {
			return err
		}
		return s.refuse(c, err, &p.Page, "admin_minutes", p)
	}
	s.render(c, http.StatusOK, "admin_minutes", p)
	return nil
}

// adminMinutesCSV is the minutes as a spreadsheet: one row per vote. Every
// cell that a spreadsheet would take for a formula is neutralised.
func (s *Server) adminMinutesCSV(c *gin.Context) error {
	p, err := s.minutes(c)
	if err != nil {
		if p == nil {
			return err
		}
		return statusError(http.StatusBadRequest)
	}
	t := p.T
	var buf bytes.Buffer
	w := export.NewCSV(&buf)
	header := []export.Cell{}
	for _, k := range minutesColumns {
		header = append(header, export.Text(t("page.minutes.csv."+k)))
	}
	w.Row(header...)
	for _, m := range p.Entries {
		rec := m.Outcome
		if rec == nil {
			rec = &vote.Record{}
		}
		var ballots []string
		for _, b := range rec.Ballots {
			entry := b.Name + ": " + t("board.choice."+string(b.Choice))
			if b.Comment != "" {
				entry += " (" + b.Comment + ")"
			}
			ballots = append(ballots, entry)
		}
		decision := ""
		if m.Decision != nil {
			decision = t("board.decision." + *m.Decision)
		}
		quorum := t("page.minutes.no")
		if rec.QuorumMet {
			quorum = t("page.minutes.yes")
		}
		n := func(i int) export.Cell { return export.Plain(strconv.Itoa(i)) }
		w.Row(export.Plain(m.ClosedAt.UTC().Format("2006-01-02 15:04")), export.Plain(strconv.FormatInt(m.ApplicationID, 10)),
			export.Text(m.Title), export.Text(m.Organization), export.Plain(export.Cents(m.Vote.Proposed).String()), export.Text(m.Currency),
			export.Text(m.Conditions), export.Text(decision), export.Text(quorum),
			n(rec.Eligible), n(rec.Cast), n(rec.Approve), n(rec.Decline), n(rec.Abstain),
			export.Text(strings.Join(ballots, "; ")), export.Text(strings.Join(rec.Recused, "; ")))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	name := "minutes-" + p.From + "-" + p.To + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}

// minutesColumns name the CSV's columns (page.minutes.csv.KEY).
var minutesColumns = []string{"closed_at", "application", "title", "organization", "proposed", "currency", "conditions",
	"decision", "quorum", "eligible", "cast", "approve", "decline", "abstain", "ballots", "recused"}
