package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type dashboardPage struct{ Page }

// dashboardShow is where everyone lands after login; each role sees its part.
func (s *Server) dashboardShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "dashboard", dashboardPage{Page: s.page(c)})
	return nil
}
