package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/i18n"
	"missiongrants/internal/web/view"
)

// Page is what every page's data embeds (view.Page): the person's
// language, where they are, and the translator.
type Page = view.Page

// page builds the shared globals for the current request.
func (s *Server) page(c *gin.Context) Page {
	p := view.NewPage(s.cat, s.assets.url, lang(c))
	p.Path, p.RequestID, p.CSRF, p.User = c.Request.URL.RequestURI(), requestID(c), c.GetString(keyCSRF), currentUser(c)
	p.Zone = zoneOf(c, p.User)
	if key := s.sessions.PopString(c.Request.Context(), sessFlash); key != "" {
		p.Flash = s.cat.T(p.Lang, key)
	}
	return p
}

// render writes view with data, drawn by its templ component
// (components). It renders into a buffer first so that a template error
// becomes a clean error page, not half a page.
func (s *Server) render(c *gin.Context, status int, view string, data any) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		renderBuffers.Put(buf)
	}()
	var err error
	if f, ok := components[view]; !ok {
		err = fmt.Errorf("no view %q", view)
	} else if comp, ok := f(data); !ok {
		err = fmt.Errorf("view %q: data of type %T", view, data)
	} else {
		err = comp.Render(c.Request.Context(), buf)
	}
	if err != nil {
		logger(c).Error("render failed", "view", view, "error", err)
		if view == "error" {
			c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(s.cat.T(lang(c), "error.http.500")))
			return
		}
		s.renderError(c, http.StatusInternalServerError, i18n.Msg("error.http.500"))
		return
	}
	// Its length, known here, spares the chunked encoding's extra write of
	// the last chunk (gzip drops it when it compresses).
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderBuffers keeps the buffers pages are rendered into: a page is tens
// of kilobytes, grown afresh on every request without them. c.Data has
// written the bytes out before a buffer goes back.
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// renderError shows the friendly error page in the person's language.
func (s *Server) renderError(c *gin.Context, status int, m i18n.Message) {
	s.render(c, status, "error", view.ErrorPage{Page: s.page(c), Message: s.cat.Say(lang(c), m)})
}

// zoneCookie holds the browser's time zone, which the pages' script sets,
// for a person who has not chosen one (and before signing in).
const zoneCookie = "tz"

// zoneOf is the time zone a person reads times in: the one they chose, else
// their browser's, else UTC.
func zoneOf(c *gin.Context, u *account.User) *time.Location {
	name := ""
	if u != nil {
		name = u.TimeZone
	}
	if name == "" {
		name, _ = c.Cookie(zoneCookie)
	}
	if name == "" || name == "Local" || len(name) > 64 {
		return time.UTC
	}
	if zone, ok := zones.Load(name); ok {
		return zone.(*time.Location)
	}
	zone, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, zone)
	return zone
}

// zones holds the time zones read so far: time.LoadLocation parses the
// zone's file (from the embedded tzdata) at every call. Only names that
// are real zones are kept, so there are at most a few hundred.
var zones sync.Map
