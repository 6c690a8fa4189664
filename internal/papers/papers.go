// Package papers writes the portal's printable papers as PDF (package pdf)
// in the reader's language: the application as submitted, the grant
// agreement with its signature page, the award and decline letters, the
// minutes and the board packet. It lays out what its caller gives it: who
// may read what (a recused member's packet, a withheld ballot) is decided
// before, by the rules (package policy) and the services.
package papers

import (
	"fmt"
	"strconv"
	"time"

	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/pdf"
)

// Papers writes papers with the catalog's words.
type Papers struct{ cat *i18n.Catalog }

// New returns the papers of the catalog's languages.
func New(cat *i18n.Catalog) *Papers { return &Papers{cat: cat} }

// writer is one paper being written in one language.
type writer struct {
	*pdf.Doc
	cat  *i18n.Catalog
	lang string
}

func (p *Papers) start(lang, title string, created time.Time) *writer {
	w := &writer{cat: p.cat, lang: lang}
	w.Doc = pdf.New(pdf.Options{Title: title, Author: p.cat.T(lang, "app.org"), Lang: lang, Created: created,
		Footer: func(page int, total string) string {
			return p.cat.T(lang, "paper.footer", "Title", title, "Page", page, "Total", total)
		}})
	return w
}

func (w *writer) t(key string, args ...any) string { return w.cat.T(w.lang, key, args...) }

func (w *writer) date(t time.Time) string { return w.cat.Date(w.lang, t) }

func (w *writer) money(c money.Cents, cur string) string {
	return money.Format(c, money.Currency(cur), w.lang)
}

// instant is a moment with its zone named, as the reader reads it.
func (w *writer) instant(t time.Time) string {
	return w.cat.Date(w.lang, t) + " " + t.Format("15:04") + " " + t.Format("MST")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func or(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}

// sha is a file's SHA-256 in hexadecimal, split in four groups so that
// people can compare it by eye.
func sha(hex string) string {
	if len(hex) != 64 {
		return hex
	}
	return fmt.Sprintf("%s %s %s %s", hex[:16], hex[16:32], hex[32:48], hex[48:])
}
