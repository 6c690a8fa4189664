package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type homePage struct {
	Page
}

func (s *Server) homeShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "home", homePage{Page: s.page(c)})
	return nil
}
