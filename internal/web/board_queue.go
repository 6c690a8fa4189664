package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/web/form"
)

// queueRowView is one application of a queue, formatted for the page.
type queueRowView struct {
	application.QueueRow
	Amount  string
	Country string
}

func (s *Server) queueRows(c *gin.Context, rows []application.QueueRow) []queueRowView {
	out := make([]queueRowView, len(rows))
	for i, r := range rows {
		out[i] = queueRowView{QueueRow: r, Amount: money.Format(r.AmountRequested, money.Currency(r.Currency), lang(c)),
			Country: organization.CountryName(r.Country, lang(c))}
	}
	return out
}

type boardQueuePage struct {
	Page
	Filter    application.QueueInput
	Mine      string // "", "review" or "vote"
	Statuses  []application.Status
	Rounds    []application.Round
	Countries []organization.Country
	Rows      []queueRowView
	Next      string // the next page's URL, "" on the last
	First     string // the first page's URL, when this is a later page
	MoreOpen  bool   // a filter under "More filters" is set: show them
}

// boardQueueShow is the board's review queue: every application submitted
// at least once, filtered, newest submission first, a page at a time.
func (s *Server) boardQueueShow(c *gin.Context) error {
	ctx := c.Request.Context()
	query := c.Request.URL.Query()
	in := form.Queue(query)
	p := &boardQueuePage{Page: s.page(c), Filter: in, Mine: query.Get("mine"), Statuses: application.QueueStatuses(),
		Countries: organization.Countries(lang(c))}
	for _, v := range []string{in.Status, in.Round, in.Country, in.TripFrom, in.TripTo, in.AmountMin, in.AmountMax} {
		p.MoreOpen = p.MoreOpen || v != ""
	}
	var err error
	if p.Rounds, err = s.apps.Rounds(ctx); err != nil {
		return err
	}
	f, err := in.Filter()
	if err != nil {
		return s.refuse(c, err, &p.Page, "board_queue", p)
	}
	q, err := s.apps.Queue(ctx, currentUser(c), f)
	if err != nil {
		return err
	}
	p.Rows = s.queueRows(c, q.Rows)
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
