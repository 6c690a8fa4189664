package web

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/web/form"
)

// queueRowView is one application of a queue, formatted for the page:
// plain fields, since the template reads a dozen of them per row and a
// field found through embedded structs costs a reflective search each time.
type queueRowView struct {
	ID                     int64
	Title                  string // "" while untitled
	Organization, Country  string
	Dates                  string // "2027-01-04 – 2027-01-12", or ""
	Amount                 string
	Status                 string
	StatusLabel, Submitted string
	Reviews                string // "3 reviews · 3.40 · reviewed by you"
	Recused, VoteDue       bool   // VoteDue: a vote this board member has yet to vote in
}

func (s *Server) queueRows(c *gin.Context, rows []application.QueueRow) []queueRowView {
	l, u := lang(c), currentUser(c)
	out := make([]queueRowView, len(rows))
	for i, r := range rows {
		v := queueRowView{ID: r.ID, Title: r.DisplayTitle(), Organization: r.OrganizationName,
			Country: organization.CountryName(r.Country, l), Amount: money.Format(r.AmountRequested, money.Currency(r.Currency), l),
			Status: string(r.Status), StatusLabel: s.cat.T(l, "app.status."+string(r.Status)),
			Reviews: s.cat.T(l, "page.queue.review_count", "Count", r.ReviewCount),
			Recused: r.Recused, VoteDue: r.VoteOpen && !r.VotedByMe && u.IsBoard}
		if r.SubmittedAt != nil {
			v.Submitted = r.SubmittedAt.UTC().Format(time.DateOnly)
		}
		if r.TripStart != nil && r.TripEnd != nil {
			v.Dates = r.TripStart.Format(time.DateOnly) + " – " + r.TripEnd.Format(time.DateOnly)
		}
		// The mean as the application's page shows the reviews
		// (review.Reviews): not to the recused, and to a board member only
		// once their own review is in.
		if m := r.Mean(); m != "" && !r.Recused && (u.IsAdmin || r.ReviewedByMe) {
			v.Reviews += " · " + m
		}
		if r.ReviewedByMe {
			v.Reviews += " · " + s.cat.T(l, "page.queue.reviewed_by_me")
		}
		out[i] = v
	}
	return out
}

// option is one choice of a select, chosen or not.
type option struct {
	Value, Label string
	Selected     bool
}

// optionsHTML writes a select's options, escaped. The country list has some
// 250 entries: written by the template, with an escaper call per value,
// they took more than half of the queue page's time.
func optionsHTML(opts []option) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(html.EscapeString(o.Value))
		b.WriteByte('"')
		if o.Selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(html.EscapeString(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) // every value escaped above
}

// queueRowsHTML writes the board queue's rows, escaped, for the same reason
// as optionsHTML: through the template, each of 25 rows cost 12 µs, three
// quarters of the page's template work (BenchmarkRenderQueuePage). The
// labels are the columns' headings, which a phone shows beside each value.
func queueRowsHTML(p Page, rows []queueRowView) template.HTML {
	esc := html.EscapeString
	label := func(key string) string { return `<td data-label="` + esc(p.T(key)) + `">` }
	org, dest, dates, amount := label("page.app.organization"), label("page.app.destination"), label("page.app.dates"), label("page.app.amount")
	status, submitted, reviews := label("page.queue.status"), label("page.queue.submitted"), label("page.queue.reviews")
	untitled, recused, vote := esc(p.T("page.app.untitled")), esc(p.T("page.queue.tag_recused")), esc(p.T("page.queue.tag_vote"))
	var b strings.Builder
	b.Grow(1200 * len(rows))
	for _, r := range rows {
		title := untitled
		if r.Title != "" {
			title = esc(r.Title)
		}
		b.WriteString("<tr>\n      <td><a href=\"/applications/" + strconv.FormatInt(r.ID, 10) + `">` + title + "</a>")
		switch {
		case r.Recused:
			b.WriteString(` <span class="tag">` + recused + `</span>`)
		case r.VoteDue:
			b.WriteString(` <span class="tag is-due">` + vote + `</span>`)
		}
		b.WriteString("</td>\n      " + org + esc(r.Organization) + "</td>\n      " + dest + esc(r.Country) + "</td>\n      " +
			dates + esc(r.Dates) + "</td>\n      " + amount + esc(r.Amount) + "</td>\n      " +
			status + `<span class="status status-` + esc(r.Status) + `">` + esc(r.StatusLabel) + "</span></td>\n      " +
			submitted + esc(r.Submitted) + "</td>\n      " + reviews + esc(r.Reviews) + "</td>\n    </tr>")
	}
	return template.HTML(b.String()) // every value escaped above
}

type boardQueuePage struct {
	Page
	Filter    application.QueueInput
	Mine      string // "", "review" or "vote"
	Statuses  []option
	Rounds    []option
	Countries template.HTML
	Rows      template.HTML // the table's rows (queueRowsHTML)
	Next      string        // the next page's URL, "" on the last
	First     string        // the first page's URL, when this is a later page
	MoreOpen  bool          // a filter under "More filters" is set: show them
}

// boardQueueShow is the board's review queue: every application submitted
// at least once, filtered, newest submission first, a page at a time.
func (s *Server) boardQueueShow(c *gin.Context) error {
	ctx := c.Request.Context()
	query := c.Request.URL.Query()
	in := form.Queue(query)
	in.Lang = lang(c)
	p := &boardQueuePage{Page: s.page(c), Filter: in, Mine: query.Get("mine")}
	for _, st := range application.QueueStatuses() {
		p.Statuses = append(p.Statuses, option{Value: string(st), Label: p.T("app.status." + string(st)), Selected: string(st) == in.Status})
	}
	countries := organization.Countries(p.Lang)
	opts := make([]option, len(countries))
	for i, co := range countries {
		opts[i] = option{Value: co.Code, Label: co.Name, Selected: co.Code == in.Country}
	}
	p.Countries = optionsHTML(opts)
	for _, v := range []string{in.Status, in.Round, in.Country, in.TripFrom, in.TripTo, in.AmountMin, in.AmountMax} {
		p.MoreOpen = p.MoreOpen || v != ""
	}
	rounds, err := s.apps.Rounds(ctx)
	if err != nil {
		return err
	}
	for _, r := range rounds {
		id := strconv.FormatInt(r.ID, 10)
		p.Rounds = append(p.Rounds, option{Value: id, Label: r.Name, Selected: id == in.Round})
	}
	f, err := in.Filter()
	if err != nil {
		return s.refuse(c, err, &p.Page, "board_queue", p)
	}
	q, err := s.apps.Queue(ctx, currentUser(c), f)
	if err != nil {
		return err
	}
	p.Rows = queueRowsHTML(p.Page, s.queueRows(c, q.Rows))
	if q.Next != nil {
		query.Set("before", q.Next.String())
		p.Next = "/board/applications?" + query.Encode()
	}
	if in.Before != "" {
		query.Del("before")
		p.First = "/board/applications?" + query.Encode()
	}
	s.render(c, http.StatusOK, "board_queue", p)
	return nil
}
