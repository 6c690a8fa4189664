package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/organization"
)

type dashboardPage struct {
	Page
	Organizations []organization.Organization
}

// dashboardShow is where everyone lands after login; each role sees its part.
func (s *Server) dashboardShow(c *gin.Context) error {
	p := dashboardPage{Page: s.page(c)}
	if u := currentUser(c); !organization.IPA(u) {
		orgs, err := s.orgs.ForUser(c.Request.Context(), u.ID)
		if err != nil {
			return err
		}
		p.Organizations = orgs
	}
	s.render(c, http.StatusOK, "dashboard", p)
	return nil
}
