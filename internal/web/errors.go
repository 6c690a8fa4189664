package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/db"
	"missiongrants/internal/vote"
)

// handlerFunc is a handler that returns its failure; handle maps failures to
// responses in one place, so no handler repeats error-page boilerplate.
type handlerFunc func(c *gin.Context) error

// httpError is a failure with the status and message a person should see.
type httpError struct {
	status int
	key    string
}

func (e *httpError) Error() string { return fmt.Sprintf("http %d: %s", e.status, e.key) }

func statusError(status int) error {
	return &httpError{status: status, key: fmt.Sprintf("error.http.%d", status)}
}

func (s *Server) handle(fn handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			s.fail(c, err)
		}
	}
}

func (s *Server) fail(c *gin.Context, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		s.renderError(c, he.status, he.key)
	case errors.Is(err, db.ErrNotFound):
		s.renderError(c, http.StatusNotFound, "error.http.404")
	case errors.Is(err, application.ErrForbidden), errors.Is(err, account.ErrForbidden), errors.Is(err, vote.ErrForbidden):
		s.renderError(c, http.StatusForbidden, "error.http.403")
	case errors.Is(err, application.ErrStale):
		s.renderError(c, http.StatusConflict, "error.app.stale")
	case db.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded):
		logger(c).Warn("database unavailable", "error", err)
		c.Header("Retry-After", "30")
		s.renderError(c, http.StatusServiceUnavailable, "error.http.503")
	default:
		logger(c).Error("request failed", "error", err)
		s.renderError(c, http.StatusInternalServerError, "error.http.500")
	}
}

func (s *Server) notFound(c *gin.Context) error { return statusError(http.StatusNotFound) }

func (s *Server) methodNotAllowed(c *gin.Context) error {
	return statusError(http.StatusMethodNotAllowed)
}

// pathID reads the route's :id: anything but a positive number is a page
// that does not exist.
func pathID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, statusError(http.StatusNotFound)
	}
	return id, nil
}
