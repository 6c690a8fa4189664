package web

import (
	"missiongrants/internal/policy"
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/web/form"
	"missiongrants/internal/web/view"
)

// screeningQueueShow lists the applications waiting to be screened, newest
// submission first (the board's queue filtered on "submitted").
func (s *Server) screeningQueueShow(c *gin.Context) error {
	f := application.QueueFilter{Status: policy.Submitted}
	if b := c.Query("before"); b != "" {
		cur, err := application.ParseCursor(b)
		if err != nil {
			return statusError(http.StatusBadRequest)
		}
		f.Before = cur
	}
	q, err := s.apps.Queue(c.Request.Context(), currentUser(c), f)
	if err != nil {
		return err
	}
	p := view.ScreeningQueue{Page: s.page(c), Queue: q}
	p.Rows = s.queueRows(&p.Page, q.Rows)
	if q.Next != nil {
		p.Next = "/admin/screening?before=" + q.Next.String()
	}
	s.render(c, http.StatusOK, "screening_queue", p)
	return nil
}

// applicationScreen records an admin's screening: to the board, back to the
// charity with a question, or declined with a reason.
func (s *Server) applicationScreen(c *gin.Context) error {
	sc := form.Screening(postValues(c))
	flash := map[string]string{application.ToBoard: "flash.screened_to_board", application.MoreInfo: "flash.info_requested",
		application.Decline: "flash.screened_declined"}[sc.Outcome]
	return s.applicationAct(c, flash, func(id int64) error {
		return s.apps.Screen(c.Request.Context(), s.actor(c), currentUser(c), id, sc)
	}, func(p *applicationShowPage) {
		if p.Screening == nil { // refused because the application is no longer waiting: keep nothing
			return
		}
		p.Screening = newScreeningView(sc)
	})
}
