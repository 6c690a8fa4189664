package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"mime"
	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

const (
	csrfCookie = "mg_csrf"
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
	keyCSRF    = "csrf"
)

// Refusals of a body that is not a form the portal can read.
var (
	errFormTooLarge = refusal.TooLarge("error.form.too_large")
	errNotAForm     = refusal.BadRequest("error.form.unreadable")
)

// parseForm reads a posted form whole (bounded by limitBody), or refuses it:
// too large, cut short, not a form, or with more values than Go reads.
func parseForm(r *http.Request) error {
	var err error
	switch ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); {
	case ct == "application/x-www-form-urlencoded", ct == "" && r.ContentLength <= 0:
		err = r.ParseForm()
	case ct == "multipart/form-data":
		err = r.ParseMultipartForm(maxFormMemory)
	default:
		return errNotAForm
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return errFormTooLarge
	case err != nil:
		return errNotAForm
	}
	return nil
}

// csrf guards every state-changing request with a token (on top of the
// origin check): the form, or a script through a header, must send back the
// value of a cookie that another site can neither read nor set. Forms of
// people who are not logged in (login, signup) are covered too.
func (s *Server) csrf(c *gin.Context) {
	token, err := c.Cookie(cookieName(s.cfg, csrfCookie))
	if err != nil || len(token) < 32 {
		var b [32]byte
		_, _ = rand.Read(b[:])
		token = base64.RawURLEncoding.EncodeToString(b[:])
		c.SetSameSite(http.SameSiteLaxMode)
		c.SetCookie(cookieName(s.cfg, csrfCookie), token, 0, "/", "", s.cfg.CookieSecure, true)
	}
	c.Set(keyCSRF, token)
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	// Every form is read here, once, and a form that cannot be read whole
	// is refused: read as empty, it was once saved as an empty draft.
	// A file upload streams its body to the store instead.
	streamed := uploadRoutes[c.FullPath()] && strings.HasPrefix(c.ContentType(), "multipart/")
	if !streamed {
		if err := parseForm(c.Request); err != nil {
			c.Abort()
			s.fail(c, err)
			return
		}
	}
	sent := c.GetHeader(csrfHeader)
	switch {
	case sent != "":
	case streamed:
		// Reading the token from the body here would read the whole file
		// first: the form sends it as its first part, which streamForm
		// checks before any file (never in the address, where it stayed in
		// the history after a refusal).
		c.Set(keyCSRFPending, true)
		c.Next()
		return
	default:
		sent = c.Request.PostForm.Get(csrfField)
	}
	if !sameToken(sent, token) {
		s.refuseCSRF(c)
		return
	}
	c.Next()
}

// keyCSRFPending marks a streamed form whose token streamForm checks.
const keyCSRFPending = "csrf_pending"

func sameToken(sent, token string) bool {
	return subtle.ConstantTimeCompare([]byte(sent), []byte(token)) == 1
}

func (s *Server) refuseCSRF(c *gin.Context) {
	logger(c).Warn("request without a valid CSRF token refused")
	c.Abort()
	s.renderError(c, http.StatusForbidden, i18n.Msg("error.csrf"))
}
