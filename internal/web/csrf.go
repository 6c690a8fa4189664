package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"missiongrants/internal/i18n"
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

// csrf guards every state-changing request with a token (on top of the
// origin check): the form, or a script through a header, must send back the
// value of a cookie that another site can neither read nor set. Forms of
// people who are not logged in (login, signup) are covered too.
func (s *Server) csrf(c *gin.Context) {
	token, err := c.Cookie(csrfCookie)
	if err != nil || len(token) < 32 {
		var b [32]byte
		_, _ = rand.Read(b[:])
		token = base64.RawURLEncoding.EncodeToString(b[:])
		c.SetSameSite(http.SameSiteLaxMode)
		c.SetCookie(csrfCookie, token, 0, "/", "", s.cfg.CookieSecure, true)
	}
	c.Set(keyCSRF, token)
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	sent := c.GetHeader(csrfHeader)
	switch {
	case sent != "":
	case strings.HasPrefix(c.ContentType(), "multipart/"):
		// A file upload streams its body to the store: reading the token
		// from it here would read the whole file first. Its form carries
		// the token in its address instead.
		sent = c.Query(csrfField)
	default:
		sent = c.PostForm(csrfField)
	}
	if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
		logger(c).Warn("request without a valid CSRF token refused")
		c.Abort()
		s.renderError(c, http.StatusForbidden, i18n.Msg("error.csrf"))
		return
	}
	c.Next()
}
