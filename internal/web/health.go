package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers while the process runs: for a supervisor's liveness check.
func (s *Server) healthz(c *gin.Context) {
	c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 only while the database answers: for a load balancer.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		logger(c).Warn("not ready", "error", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}
