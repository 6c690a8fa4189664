package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/award"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/web/view"
)

// Page is what every page's data embeds (view.Page): the person's
// language, where they are, and the translator.
type Page = view.Page

// page builds the shared globals for the current request.
func (s *Server) page(c *gin.Context) Page {
	p := view.NewPage(s.cat, s.assets.url, lang(c))
	p.Path, p.RequestID, p.CSRF, p.User = c.Request.URL.RequestURI(), requestID(c), c.GetString(keyCSRF), currentUser(c)
	if key := s.sessions.PopString(c.Request.Context(), sessFlash); key != "" {
		p.Flash = s.cat.T(p.Lang, key)
	}
	return p
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":           func(name string) string { return s.assets.url(name) },
		"languages":       func() []string { return i18n.Languages },
		"langName":        i18n.LanguageName,
		"dict":            dict,
		"inc":             func(i int) int { return i + 1 },
		"mul":             func(a, b int) int { return a * b },
		"usd":             func(c money.Cents, lang string) string { return money.Format(c, money.USD, lang) },
		"awardConditions": func() []string { return award.Conditions },
	}
}

// render writes view with data: with its templ component when it has one
// (components), otherwise with its html/template page. It renders into a
// buffer first so that a template error becomes a clean error page, not
// half a page.
func (s *Server) render(c *gin.Context, status int, view string, data any) {
	var buf bytes.Buffer
	err := s.renderTo(c, &buf, view, data)
	if err == nil && s.compareViews != nil {
		if _, ok := components[view]; ok {
			var old bytes.Buffer
			if err := s.renderHTMLTemplate(lang(c), &old, view, data); err != nil {
				s.compareViews(view, buf.Bytes(), nil, err)
			} else {
				s.compareViews(view, buf.Bytes(), old.Bytes(), nil)
			}
		}
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
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (s *Server) renderTo(c *gin.Context, w io.Writer, view string, data any) error {
	if f, ok := components[view]; ok {
		comp, ok := f(data)
		if !ok {
			return fmt.Errorf("view %q: data of type %T", view, data)
		}
		return comp.Render(c.Request.Context(), w)
	}
	return s.renderHTMLTemplate(lang(c), w, view, data)
}

// renderHTMLTemplate draws view with its html/template page, the way every
// page was drawn before templ.
func (s *Server) renderHTMLTemplate(l string, w io.Writer, view string, data any) error {
	t, ok := s.views.pages[l][view]
	if !ok {
		return fmt.Errorf("no view %q", view)
	}
	return t.ExecuteTemplate(w, "base", data)
}

// renderError shows the friendly error page in the person's language.
func (s *Server) renderError(c *gin.Context, status int, m i18n.Message) {
	s.render(c, status, "error", view.ErrorPage{Page: s.page(c), Message: s.cat.Say(lang(c), m)})
}

// dict builds the argument of a partial: {{template "field" (dict "Name" "email" …)}}.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}
