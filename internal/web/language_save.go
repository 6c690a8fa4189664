package web

import (
	"net/http"
	"strings"

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
	c.SetCookie(langCookie, l, 365*24*3600, "/", "", s.cfg.BaseURL.Scheme == "https", true)
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("next")))
	return nil
}

// localPath keeps redirects on this site: anything but a plain local path
// becomes the home page.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}
