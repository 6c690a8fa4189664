package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/award"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
)

// Page is what every page's data embeds: the person's language, where they
// are, and the translator. Templates say {{.T "key"}} (or {{$.T "key"}}
// inside a range).
type Page struct {
	Lang      string
	Path      string
	RequestID string
	CSRF      string
	Flash     string
	// Errors are a re-shown form's messages by field name, already in the
	// page's language.
	Errors    map[string]string
	FormError string
	// Currency is the currency the page's money fields are in, which
	// their labels name (also in the error summary).
	Currency string
	// FieldOrder lists the form's fields in the page's order, so its
	// summary of mistakes follows the page (ErrorList); nil: by name.
	FieldOrder []string
	// Labels name the fields whose labels are data, not catalog keys
	// (a review's criteria), for the error summary.
	Labels map[string]string
	User   *account.User
	cat    *i18n.Catalog
}

// T translates key into the page's language.
func (p Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// FieldLabel names a form field in the error summary, so "This field is
// required" says which field; "" when no label is known.
func (p Page) FieldLabel(name string) string {
	if l, ok := p.Labels[name]; ok {
		return l
	}
	// The field's own label first: "deaths_30" is not the 31st "deaths".
	for _, key := range []string{"field.app." + name, "field.org." + name, "field." + name, "field.round." + name, "field.board." + name, "page.report." + name} {
		if p.cat.Has(p.Lang, key) {
			return p.T(key, "Currency", p.Currency)
		}
	}
	for _, prefix := range []string{"team_count_", "team_names_"} {
		if role, ok := strings.CutPrefix(name, prefix); ok {
			return p.T("app.role."+role) + ": " + p.FieldLabel(strings.TrimSuffix(prefix, "_"))
		}
	}
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		if n, err := strconv.Atoi(name[i+1:]); err == nil {
			return p.FieldLabel(name[:i]) + " " + strconv.Itoa(n+1)
		}
	}
	return ""
}

// fieldError is one mistake of a form that came back.
type fieldError struct{ Name, Message string }

// ErrorList is Errors in the page's order (FieldOrder), the rest by name.
func (p Page) ErrorList() []fieldError {
	rank := func(name string) int {
		if i := slices.Index(p.FieldOrder, name); i >= 0 {
			return i
		}
		return len(p.FieldOrder)
	}
	out := make([]fieldError, 0, len(p.Errors))
	for n, m := range p.Errors {
		out = append(out, fieldError{Name: n, Message: m})
	}
	slices.SortFunc(out, func(a, b fieldError) int {
		return cmp.Or(cmp.Compare(rank(a.Name), rank(b.Name)), strings.Compare(a.Name, b.Name))
	})
	return out
}

// FieldValue shows a submitted answer as a reader expects it: a choice by
// its label, an amount in the page's currency, a count left empty as "–".
// An amount that does not read as one is shown as typed.
func (p Page) FieldValue(name, value string) string {
	if value == "" {
		return "–"
	}
	switch {
	case name == "blood_bank" || name == "intensivist":
		return p.T("action." + value)
	case name == "perfusion_equipment":
		return p.T("app.equipment." + value)
	case name == "country":
		return organization.CountryName(value, p.Lang)
	case name == "amount_requested" || name == "other_funding" || strings.HasPrefix(name, "budget_amount"):
		if c, err := money.Parse(value, p.Lang); err == nil {
			return money.Format(c, money.Currency(p.Currency), p.Lang)
		}
	case strings.HasPrefix(name, "budget_category"):
		return p.T("app.category." + value)
	}
	return value
}

// page builds the shared globals for the current request.
func (s *Server) page(c *gin.Context) Page {
	p := Page{Lang: lang(c), Path: c.Request.URL.RequestURI(), RequestID: requestID(c), CSRF: c.GetString(keyCSRF), User: currentUser(c), cat: s.cat}
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

// render writes view with data. It renders into a buffer first so that a
// template error becomes a clean error page, not half a page.
func (s *Server) render(c *gin.Context, status int, view string, data any) {
	t, ok := s.views.pages[lang(c)][view]
	var buf bytes.Buffer
	err := fmt.Errorf("no view %q", view)
	if ok {
		err = t.ExecuteTemplate(&buf, "base", data)
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

type errorPage struct {
	Page
	Message string // in the page's language
}

// renderError shows the friendly error page in the person's language.
func (s *Server) renderError(c *gin.Context, status int, m i18n.Message) {
	s.render(c, status, "error", errorPage{Page: s.page(c), Message: s.cat.Say(lang(c), m)})
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
