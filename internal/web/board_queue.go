package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/form"
	"missiongrants/internal/web/view"
)

// queueRows are rows of the queue in p's reader's words: dates in their
// language (a submission on its day in their zone), the mean score with
// their decimal mark.
func (s *Server) queueRows(p *view.Page, rows []application.QueueRow) []view.QueueRow {
	l, u := p.Lang, p.User
	out := make([]view.QueueRow, len(rows))
	for i, r := range rows {
		v := view.QueueRow{ID: r.ID, Title: r.DisplayTitle(), Organization: r.OrganizationName,
			Country: organization.CountryName(r.Country, l), Amount: money.Format(r.AmountRequested, money.Currency(r.Currency), l),
			Status: string(r.Status), Stage: r.Stage, StatusLabel: s.cat.T(l, "app.status."+string(r.Status)),
			Reviews: s.cat.T(l, "page.queue.review_count", "Count", r.ReviewCount),
			Recused: r.Recused, VoteDue: r.VoteOpen && !r.VotedByMe && u.IsBoard,
			AssignedToMe: r.AssignedToMe}
		// Who is still to review is the board's work, as on the
		// application's page: not to the recused nor the undeclared.
		if policy.Decide(r.Viewer(u), policy.Facts{Status: r.Status}, policy.SeeAssignments) == nil {
			v.ToReview = r.ToReview
		}
		if r.SubmittedAt != nil {
			v.Submitted = p.Date(p.In(*r.SubmittedAt))
		}
		if r.TripStart != nil && r.TripEnd != nil {
			v.Dates = p.Date(*r.TripStart) + " – " + p.Date(*r.TripEnd)
		}
		// The mean as the application's page shows the reviews
		// (review.Panel): not to the recused, and to a board member only
		// once their own review is in.
		if m := r.Mean(); m != "" && !r.Recused && (u.IsAdmin || r.ReviewedByMe) {
			v.Reviews += " · " + i18n.Decimal(l, m)
		}
		if r.ReviewedByMe {
			v.Reviews += " · " + s.cat.T(l, "page.queue.reviewed_by_me")
		}
		out[i] = v
	}
	return out
}

// boardQueueShow is the board's review queue: every application submitted
// at least once, filtered, newest submission first, a page at a time.
func (s *Server) boardQueueShow(c *gin.Context) error {
	ctx := c.Request.Context()
	query := c.Request.URL.Query()
	in := form.Queue(query)
	in.Lang = lang(c)
	p := &view.BoardQueue{Page: s.page(c), Filter: in, Mine: query.Get("mine")}
	for _, st := range application.QueueStatuses() {
		p.Statuses = append(p.Statuses, view.Option{Value: string(st), Label: p.T("app.status." + string(st)), Selected: string(st) == in.Status})
	}
	for _, v := range []string{in.Status, in.Round, in.Country, in.TripFrom, in.TripTo, in.AmountMin, in.AmountMax} {
		p.MoreOpen = p.MoreOpen || v != ""
	}
	rounds, err := s.apps.RoundNames(ctx)
	if err != nil {
		return err
	}
	for _, r := range rounds {
		id := strconv.FormatInt(r.ID, 10)
		p.Rounds = append(p.Rounds, view.Option{Value: id, Label: r.Named(p.Lang), Selected: id == in.Round})
	}
	f, err := in.Filter()
	if err != nil {
		return s.refuse(c, err, &p.Page, "board_queue", p)
	}
	q, err := s.apps.Queue(ctx, currentUser(c), f)
	if err != nil {
		return err
	}
	p.Rows = s.queueRows(&p.Page, q.Rows)
	if q.Next != nil {
		query.Set("before", q.Next.String())
		p.Next = "/board/applications?" + query.Encode()
	}
	if in.Before != "" {
		query.Del("before")
		p.First = "/board/applications?" + query.Encode()
	}
	s.render(c, http.StatusOK, "board_queue", p)
	return nil
}
