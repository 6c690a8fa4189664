package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/i18n"
)

const langCookie = "lang"

// languageSave remembers the chosen language and goes back to the page the
// person was on. Signed in, the choice becomes their profile's language,
// which their pages follow (the cookie is for before signing in).
func (s *Server) languageSave(c *gin.Context) error {
	l := i18n.Normalize(c.PostForm("lang"))
	if !i18n.Supported(l) {
		return statusError(http.StatusBadRequest)
	}
	if u := currentUser(c); u != nil && u.Language != l {
		if err := s.accounts.SetLanguage(c.Request.Context(), s.actor(c), l); err != nil {
			return err
		}
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(cookieName(s.cfg, langCookie), l, 365*24*3600, "/", "", s.cfg.CookieSecure, true)
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("next")))
	return nil
}

// localPath keeps redirects on this site: anything but a plain local path
// becomes the home page. A browser drops tabs and newlines anywhere in a
// URL and reads "\" as "/", so "/\t/evil.example" leads to another host:
// a path with any control character, space or backslash is refused, and
// what is left must parse as a path with no scheme or host.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsFunc(p, func(r rune) bool {
		return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
	}) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}
