package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/web/view"
)

func (s *Server) homeShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "home", &view.Home{Page: s.page(c)})
	return nil
}
