package web

import (
	"bytes"
	"net/http"

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
	period, err := export.ParsePeriod(p.From, p.To, s.now())
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
	list, err := s.votes.Minutes(c.Request.Context(), currentUser(c), period.From, period.To)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		p.Entries = append(p.Entries, view.Minute{Minute: m, Proposed: money.Format(m.Proposed, money.Currency(m.Currency), p.Lang)})
	}
	if a, err := s.votes.MinutesApproval(c.Request.Context(), period.From, period.To); err != nil {
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
	list := make([]vote.Minute, len(p.Entries))
	for i, m := range p.Entries {
		list[i] = m.Minute
	}
	var buf bytes.Buffer
	if err := export.WriteMinutesCSV(&buf, list, func(key string) string { return p.T(key) }); err != nil {
		return err
	}
	name := "minutes-" + p.Period.Label() + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
