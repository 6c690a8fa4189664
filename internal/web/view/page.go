// Package view holds what the pages are drawn from: Page, which every page
// embeds, and the data of each page the templ components in
// templates/pages draw. It sits below both, so that internal/web fills
// these structs and templates/pages reads them without importing web.
package view

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
)

// Page is what every page's data embeds: the person's language, where they
// are, and the translator. Components say p.T("key").
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
	// Zone is the reader's time zone (their choice, else their browser's,
	// else UTC): Moment shows times in it, naming it.
	Zone  *time.Location
	cat   *i18n.Catalog
	asset func(string) string
}

// NewPage is a page in lang that translates with cat and names assets by
// their content-hashed URL (asset may be nil: the name as it is).
func NewPage(cat *i18n.Catalog, asset func(name string) string, lang string) Page {
	return Page{Lang: lang, cat: cat, asset: asset}
}

// T translates key into the page's language.
func (p Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// Date is a day as the reader writes it ("5 Dec 2026", "5 dic 2026").
func (p Page) Date(t time.Time) string { return p.cat.Date(p.Lang, t) }

// In is t in the reader's time zone, for the day an instant fell on.
func (p Page) In(t time.Time) time.Time {
	if p.Zone == nil {
		return t.UTC()
	}
	return t.In(p.Zone)
}

// Moment is an instant in the reader's words with its time zone shown
// ("5 Dec 2026, 18:00 UTC"): never an ISO string, never a bare time.
func (p Page) Moment(t time.Time) string {
	zone := p.Zone
	if zone == nil {
		zone = time.UTC
	}
	return p.cat.DateTime(p.Lang, t, zone)
}

// Asset is the URL of a file under assets/, with its content hash.
func (p Page) Asset(name string) string {
	if p.asset == nil {
		return "/assets/" + name
	}
	return p.asset(name)
}

// Languages are the languages a person may choose, for the language menu.
func (p Page) Languages() []string { return i18n.Languages }

// Error is the message of field name, "" when it has none.
func (p Page) Error(name string) string { return p.Errors[name] }

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

// FieldError is one mistake of a form that came back.
type FieldError struct{ Name, Message string }

// ErrorList is Errors in the page's order (FieldOrder), the rest by name.
func (p Page) ErrorList() []FieldError {
	rank := func(name string) int {
		if i := slices.Index(p.FieldOrder, name); i >= 0 {
			return i
		}
		return len(p.FieldOrder)
	}
	out := make([]FieldError, 0, len(p.Errors))
	for n, m := range p.Errors {
		out = append(out, FieldError{Name: n, Message: m})
	}
	slices.SortFunc(out, func(a, b FieldError) int {
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

// Option is one choice of a select or a radio group, chosen or not.
type Option struct {
	Value, Label string
	Selected     bool
	Weight       int // a score's data-weight (its criterion's weight), 0 for none
}
