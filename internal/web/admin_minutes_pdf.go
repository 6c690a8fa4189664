package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/papers"
	"missiongrants/internal/vote"
)

// adminMinutesPDF is the minutes of the period as a PDF, with the admin's
// sign-off when the minutes as they stand were approved.
func (s *Server) adminMinutesPDF(c *gin.Context) error {
	p, err := s.minutes(c)
	if err != nil {
		if p == nil {
			return err
		}
		return statusError(http.StatusBadRequest)
	}
	paper := papers.Minutes{Lang: p.Lang, From: p.Period.From, To: p.Period.To, MadeAt: s.now()}
	if a, err := s.votes.MinutesApproval(c.Request.Context(), p.Period); err != nil {
		return err
	} else if a != nil && a.Decisions == len(p.Entries) {
		paper.SignOff = &papers.SignOff{By: a.By, At: a.At}
	}
	for _, m := range p.Entries {
		paper.Votes = append(paper.Votes, minuteOnPaper(m.Minute))
	}
	pdf, err := s.papers.Minutes(paper)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="minutes-%s-%s.pdf"`, p.From, p.To))
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

func minuteOnPaper(m vote.Minute) papers.Minute {
	out := papers.Minute{Title: m.Title, Organization: m.Organization, Proposed: m.Proposed, Currency: m.Currency, Withheld: m.Withheld}
	if m.ClosedAt != nil {
		out.ClosedAt = *m.ClosedAt
	}
	if m.Decision != nil {
		out.Decision = *m.Decision
	}
	if m.Approved != nil {
		out.Approved = *m.Approved
	}
	if r := m.Outcome; r != nil {
		out.Eligible, out.Cast, out.Approve, out.Decline, out.Abstain, out.QuorumMet = r.Eligible, r.Cast, r.Approve, r.Decline, r.Abstain, r.QuorumMet
		out.Recused = r.Recused
		for _, b := range r.Ballots {
			out.Ballots = append(out.Ballots, papers.Ballot{Name: b.Name, Choice: string(b.Choice), Comment: b.Comment})
		}
	}
	return out
}

// adminMinutesApprove records the admin's sign-off of the period's minutes
// as they stand.
func (s *Server) adminMinutesApprove(c *gin.Context) error {
	from, to := c.PostForm("from"), c.PostForm("to")
	period, err := vote.ParsePeriod(from, to, s.now())
	if err != nil || from == "" || to == "" { // the page always names the period it shows
		return statusError(http.StatusBadRequest)
	}
	if err := s.votes.ApproveMinutes(c.Request.Context(), s.actor(c), currentUser(c), period); err != nil {
		return err
	}
	s.flash(c, "flash.minutes_approved")
	c.Redirect(http.StatusSeeOther, "/admin/minutes?from="+period.From.Format(time.DateOnly)+"&to="+period.To.Format(time.DateOnly))
	return nil
}
