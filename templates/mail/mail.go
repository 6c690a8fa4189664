// Package mail holds the portal's emails as compiled templ components. Each
// message is a struct of its own (what it says, typed), with a subject, an
// HTML body drawn inside the shared layout, and a plain-text body, all in
// the reader's language. Package internal/mail composes and sends them.
package mail

import (
	"context"
	"strings"
	"time"

	"github.com/a-h/templ"

	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
)

// Email is one message's data, which says itself to a Reader.
//
// The plain-text part is written in Go beside each component rather than
// derived from its HTML: a conversion needs rules for links, quotes and the
// reader's own line breaks that would be longer and less obvious than these
// few lines, and text wants its links on lines of their own anyway. The
// tests render every message both ways with the same data and check that
// each value shows in both, so the two parts cannot drift apart unseen.
type Email interface {
	Subject(r Reader) string
	HTML(r Reader) templ.Component
	Text(r Reader) string
}

// Reader is whom a message is written for: their language, the catalog that
// speaks it, and the zone their times are shown in.
type Reader struct {
	Lang string
	Cat  *i18n.Catalog
	// Zone is where the reader's clock is (the zone of their profile, see
	// mail.Outbox.Send); nil is UTC. Times name it.
	Zone *time.Location
}

// T says a catalog key to the reader.
func (r Reader) T(key string, args ...any) string { return r.Cat.T(r.Lang, key, args...) }

// Date is a calendar day as the reader writes it.
func (r Reader) Date(t time.Time) string { return r.Cat.Date(r.Lang, t) }

// DateTime is a moment on the reader's clock, its zone shown.
func (r Reader) DateTime(t time.Time) string {
	zone := r.Zone
	if zone == nil {
		zone = time.UTC
	}
	return r.Cat.DateTime(r.Lang, t, zone)
}

// Money is an amount as the reader writes numbers ("US$1,234.00", "US$1.234,00").
func (r Reader) Money(c money.Cents, cur money.Currency) string { return money.Format(c, cur, r.Lang) }

// Rendered is a message said to one reader.
type Rendered struct {
	Subject string
	HTML    string // the whole document, layout included
	Text    string // the body and the footer
	Body    string // the text body alone, without the footer
}

// Render says e to r: the HTML inside the layout, the text with the footer.
func Render(ctx context.Context, r Reader, e Email) (Rendered, error) {
	out := Rendered{Subject: strings.TrimSpace(e.Subject(r)), Body: strings.TrimSpace(e.Text(r))}
	var html strings.Builder
	if err := layout(r, out.Subject).Render(templ.WithChildren(ctx, e.HTML(r)), &html); err != nil {
		return Rendered{}, err
	}
	out.HTML = html.String()
	out.Text = out.Body + "\n\n--\n" + r.T("mail.footer") + "\n"
	return out, nil
}

// paras joins a text body's paragraphs with a blank line, leaving out
// empty ones (a part the message does not have this time).
func paras(ps ...string) string {
	kept := ps[:0:0]
	for _, p := range ps {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}

// lines joins a paragraph's lines, leaving out empty ones.
func lines(ls ...string) string {
	kept := ls[:0:0]
	for _, l := range ls {
		if l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}
