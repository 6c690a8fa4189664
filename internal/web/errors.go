package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
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

// fail answers a handler's failure. A refusal is answered with its status
// and its message, as a page or, to the page's scripts, as JSON; anything
// else is logged once, here, and is a 503 or a 500.
func (s *Server) fail(c *gin.Context, err error) {
	var he *httpError
	if errors.As(err, &he) {
		s.renderError(c, he.status, i18n.Msg(he.key))
		return
	}
	status, m, ok := refusalOf(err)
	if !ok {
		status, m = http.StatusInternalServerError, i18n.Msg("error.http.500")
		if db.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
			logger(c).Warn("database unavailable", "error", err)
			status, m = http.StatusServiceUnavailable, i18n.Msg("error.http.503")
			c.Header("Retry-After", "30")
		} else {
			logger(c).Error("request failed", "error", err)
		}
	}
	retryAfter(c, err)
	if wantsJSON(c) {
		c.JSON(status, gin.H{"error": s.cat.Say(lang(c), m)})
		return
	}
	s.renderError(c, status, m)
}

// refusalOf is the one place a refusal becomes an HTTP status: by its kind,
// or 422 for a form's mistakes. ok is false for failures that are not
// refusals (a bug or an outage).
func refusalOf(err error) (status int, m i18n.Message, ok bool) {
	var r *refusal.Error
	var fe i18n.FieldErrors
	switch {
	case errors.As(err, &r):
		return kindStatus[r.Kind], r.Message, true
	case errors.As(err, &fe):
		return http.StatusUnprocessableEntity, i18n.Msg("error.form.invalid"), true
	case errors.As(err, &m):
		return http.StatusUnprocessableEntity, m, true
	}
	return 0, i18n.Message{}, false
}

var kindStatus = map[refusal.Kind]int{
	refusal.KindInvalid:     http.StatusUnprocessableEntity,
	refusal.KindForbidden:   http.StatusForbidden,
	refusal.KindNotFound:    http.StatusNotFound,
	refusal.KindConflict:    http.StatusConflict,
	refusal.KindTooMany:     http.StatusTooManyRequests,
	refusal.KindUnavailable: http.StatusServiceUnavailable,
	refusal.KindTooLarge:    http.StatusRequestEntityTooLarge,
	refusal.KindBadRequest:  http.StatusBadRequest,
}

// retryAfter sets Retry-After for a refusal that says when to try again.
func retryAfter(c *gin.Context, err error) {
	var r *refusal.Error
	if errors.As(err, &r) && r.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(r.RetryAfter.Seconds()+0.999)))
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
