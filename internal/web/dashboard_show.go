package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/web/view"
)

// dashboardShow is where everyone lands after login; each role sees its part.
func (s *Server) dashboardShow(c *gin.Context) error {
	p := &view.Dashboard{Page: s.page(c)}
	ctx, u := c.Request.Context(), currentUser(c)
	var err error
	if u.IPA() {
		p.Applications, err = s.apps.Recent(ctx, u, 50)
	} else {
		if p.Organizations, err = s.orgs.ForUser(ctx, u.ID); err == nil {
			p.Applications, err = s.apps.ForUser(ctx, u)
		}
		if err == nil {
			p.Invitations, err = s.orgs.InvitationsFor(ctx, u.Email)
		}
	}
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "dashboard", p)
	return nil
}
