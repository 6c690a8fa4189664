package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/outcomes"
	"missiongrants/internal/report"
	"missiongrants/internal/web/view"
)

// The outcomes page (/board/outcomes), for the board and the admins: each
// trip's deaths observed against those expected from its case mix, each
// charity's over time, the funnel plot that places every trip side by
// side, and the reference mortality the expected deaths come from, which
// admins change (/admin/outcomes/reference).

// recentYears is how many years of trips the outcomes page shows first.
const recentYears = 3

// decimal formats v with digits decimals in the reader's language.
func decimal(v float64, digits int, lang string) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if lang == "es" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// outcomeRow formats a judgement for reading.
func outcomeRow(p *view.Page, j outcomes.Judgement) view.OutcomeRow {
	r := view.OutcomeRow{Observed: strconv.Itoa(j.Observed), Expected: decimal(j.Expected, 2, p.Lang), Ratio: "–", Interval: "–"}
	if !math.IsNaN(j.Ratio) {
		r.Ratio = decimal(j.Ratio, 2, p.Lang)
		r.Interval = p.T("page.outcomes.interval", "Low", decimal(j.Low, 2, p.Lang), "High", decimal(j.High, 2, p.Lang))
		lo, hi := outcomes.FunnelLimits(j.Expected, 0.998)
		lo95, hi95 := outcomes.FunnelLimits(j.Expected, 0.95)
		switch {
		case j.Ratio > hi:
			r.Beyond = p.T("page.outcomes.beyond_998_high")
		case j.Ratio < lo:
			r.Beyond = p.T("page.outcomes.beyond_998_low")
		case j.Ratio > hi95:
			r.Beyond = p.T("page.outcomes.beyond_95_high")
		case j.Ratio < lo95:
			r.Beyond = p.T("page.outcomes.beyond_95_low")
		}
	}
	r.Wide = j.Expected < 2
	if len(j.LeftOut) > 0 {
		var names []string
		for _, c := range j.LeftOut {
			names = append(names, categoryName(p, c))
		}
		r.Note = p.T("page.outcomes.left_out", "Categories", strings.Join(names, ", "))
	}
	return r
}

// categoryName is a RACHS-1 category's name, or "not classifiable".
func categoryName(p *view.Page, c outcomes.Category) string {
	if c == outcomes.Unclassified {
		return p.T("page.outcomes.child.unclassified")
	}
	return p.T("page.outcomes.child." + strconv.Itoa(int(c)))
}

// tripRow is one trip's row.
func tripRow(p *view.Page, t *outcomes.Trip) view.OutcomeRow {
	r := outcomeRow(p, t.Judgement)
	r.AppID, r.Organization, r.Title = t.AppID, t.Organization, t.Title
	if t.TripEnd != nil {
		r.Period = p.Date(*t.TripEnd)
	}
	r.Trips, r.Cases, r.Infected = "1", strconv.Itoa(t.ChildCases), strconv.Itoa(t.Infections)
	return r
}

func (s *Server) outcomesShow(c *gin.Context) error {
	p := &view.Outcomes{Page: s.page(c), Edit: currentUser(c).IsAdmin}
	if err := s.outcomesPage(c, p); err != nil {
		return err
	}
	s.render(c, http.StatusOK, "outcomes", p)
	return nil
}

// rowsPerPage is how many rows each of the outcomes page's lists shows
// at once, and how many it lists before it lists only those outside the
// limits: a row is about 1 KB, the page stays well under 100 KB.
const rowsPerPage = 25

// listPage is the rows [from, to) of page key (1 first) of a list of n,
// and its pager, nil when the list fits one page. A page past the end is
// the last.
func listPage(p *view.Page, q url.Values, key string, n int, label, anchor string) (from, to int, pg *view.Pager) {
	pages := max((n+rowsPerPage-1)/rowsPerPage, 1)
	at, err := strconv.Atoi(q.Get(key))
	if err != nil || at < 1 {
		at = 1
	}
	at = min(at, pages)
	from, to = (at-1)*rowsPerPage, min(at*rowsPerPage, n)
	if pages == 1 {
		return from, to, nil
	}
	pg = &view.Pager{Label: label, At: p.T("page.outcomes.page_of", "Page", at, "Pages", pages)}
	if at > 1 {
		prev := ""
		if at > 2 {
			prev = strconv.Itoa(at - 1)
		}
		pg.Prev = outcomesURL(q, anchor, key, prev)
	}
	if at < pages {
		pg.Next = outcomesURL(q, anchor, key, strconv.Itoa(at+1))
	}
	return from, to, pg
}

// outcomesURL is the outcomes page as asked in q with the pairs of kv
// set (an empty value removes its key), at anchor.
func outcomesURL(q url.Values, anchor string, kv ...string) string {
	u := url.Values{}
	for _, k := range []string{"years", "points", "page", "charities", "cpage"} {
		if v := q.Get(k); v != "" {
			u.Set(k, v)
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			u.Del(kv[i])
		} else {
			u.Set(kv[i], kv[i+1])
		}
	}
	if e := u.Encode(); e != "" {
		return "/board/outcomes?" + e + anchor
	}
	return "/board/outcomes" + anchor
}

// outcomesPage fills the page from the trips and the reference.
func (s *Server) outcomesPage(c *gin.Context, p *view.Outcomes) error {
	ctx := c.Request.Context()
	rows, _, err := s.outcomes.References(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for _, r := range rows {
		l := view.ReferenceLine{Category: r.Category, Source: r.Source}
		if r.Percent != nil {
			l.Percent = decimal(*r.Percent, 1, p.Lang)
		} else {
			missing = append(missing, categoryName(&p.Page, outcomes.Category(r.Category)))
		}
		if r.UpdatedBy != "" {
			l.UpdatedBy, l.Update = r.UpdatedBy, p.Date(r.UpdatedAt)
		}
		p.References = append(p.References, l)
	}
	missing = append(missing, p.T("page.outcomes.child.unclassified"))
	p.LeftOut = p.T("page.outcomes.left_out_always", "Categories", strings.Join(missing, ", "))
	// The last few years by default: the page of every trip ever grows
	// with the portal (2,682 seeded trips: 2.4 MB and 1–2 s), and the
	// board judges recent practice; "all years" shows the rest.
	var since time.Time
	p.All = c.Query("years") == "all"
	if !p.All {
		since = time.Date(s.now().UTC().Year()-recentYears+1, 1, 1, 0, 0, 0, 0, time.UTC)
		p.Since = since.Year()
	}
	ov, err := s.outcomes.Overview(ctx, currentUser(c), since)
	if err != nil {
		return err
	}
	p.Funnel = ov.Funnel
	// The table is the plot's text alternative and the charities' list
	// its summary by year. Each comes a page at a time; a long one lists
	// those outside the 95% limits only, the 99.8% first, and counts the
	// rest behind a link: at 100,000 applications every trip and every
	// charity made a page of 9.8 MB.
	q := c.Request.URL.Query()
	points := ov.Funnel.Points
	p.PointsAll = q.Get("points") == "all" || len(points) <= rowsPerPage
	if !p.PointsAll {
		points = ov.Beyond
		p.Within = len(ov.Funnel.Points) - len(points)
		p.PointsAllURL = outcomesURL(q, "#funnel-h", "points", "all", "page", "")
	}
	from, to, pager := listPage(&p.Page, q, "page", len(points), p.T("page.outcomes.points_pages"), "#funnel-h")
	p.PointsPager = pager
	for _, pt := range points[from:to] {
		p.PointRows = append(p.PointRows, tripRow(&p.Page, pt.Trip))
	}

	periods := ov.Periods
	p.CharitiesAll = q.Get("charities") == "all" || len(periods) <= rowsPerPage
	if !p.CharitiesAll {
		periods = ov.BeyondPeriods
		p.CharitiesWithin = len(ov.Periods) - len(periods)
		p.CharitiesAllURL = outcomesURL(q, "#charities-h", "charities", "all", "cpage", "")
	}
	from, to, pager = listPage(&p.Page, q, "cpage", len(periods), p.T("page.outcomes.charities_pages"), "#charities-h")
	p.CharitiesPager = pager
	for _, per := range periods[from:to] {
		r := outcomeRow(&p.Page, per.Judgement)
		r.Organization, r.Trips = per.Organization, strconv.Itoa(per.Trips)
		r.Cases, r.Infected = strconv.Itoa(per.Cases), strconv.Itoa(per.Infections)
		r.Period = strconv.Itoa(per.Year)
		if per.Year == 0 {
			r.Period = p.T("page.outcomes.all_years")
		}
		p.Charities = append(p.Charities, r)
	}
	return nil
}

// outcomesReference saves the admins' reference mortality; a mistake
// comes back beside its field, every value kept.
func (s *Server) outcomesReference(c *gin.Context) error {
	var in outcomes.ReferenceInput
	for i := range 6 {
		n := strconv.Itoa(i + 1)
		in.Percent[i], in.Source[i] = c.PostForm("percent_"+n), c.PostForm("source_"+n)
	}
	if err := s.outcomes.SetReference(c.Request.Context(), s.actor(c), currentUser(c), in); err != nil {
		p := &view.Outcomes{Page: s.page(c), Edit: true}
		if perr := s.outcomesPage(c, p); perr != nil {
			return perr
		}
		for i := range p.References {
			if i < 6 {
				p.References[i].Percent, p.References[i].Source = in.Percent[i], in.Source[i]
			}
		}
		return s.refuse(c, err, &p.Page, "outcomes", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/board/outcomes#reference-h")
	return nil
}

// outcomeHistory is a charity's earlier funded trips for the board: each
// report's state and whether it came on time, each trip's outcomes, and
// all of them together; nil when the charity has no earlier trip.
func (s *Server) outcomeHistory(c *gin.Context, p *view.Page, orgID, except int64) (*view.OutcomeHistory, error) {
	ctx := c.Request.Context()
	_, ref, err := s.outcomes.References(ctx)
	if err != nil {
		return nil, err
	}
	due := s.cfg.ReportDueDays
	if due <= 0 { // as report.New reads it
		due = report.DefaultDueDays
	}
	rows, err := s.outcomes.History(ctx, orgID, except, due, ref)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	h := &view.OutcomeHistory{}
	var mix []outcomes.Cell
	var cases, infected, trips int
	for _, r := range rows {
		l := view.OutcomeHistoryRow{AppID: r.AppID, Title: r.Title}
		if r.TripEnd != nil {
			l.Ended = p.Date(*r.TripEnd)
		}
		status := r.Status
		if status == "" {
			status = "draft"
		}
		l.Report = p.T("page.report.status." + status)
		switch {
		case r.SubmittedAt == nil:
			l.OnTime, l.Late = p.T("page.outcomes.not_in", "Date", p.Date(r.DueOn)), true
		case r.OnTime:
			l.OnTime = p.T("page.outcomes.on_time")
		default:
			l.OnTime, l.Late = p.T("page.outcomes.late", "Date", p.Date(*r.SubmittedAt), "Due", p.Date(r.DueOn)), true
		}
		if r.Trip != nil {
			row := tripRow(p, r.Trip)
			l.Outcome = &row
			mix = append(mix, r.Trip.Children...)
			cases, infected, trips = cases+r.Trip.ChildCases, infected+r.Trip.Infections, trips+1
		}
		h.Rows = append(h.Rows, l)
	}
	if trips > 0 {
		all := outcomeRow(p, outcomes.Judge(mix, ref))
		all.Trips, all.Cases, all.Infected = strconv.Itoa(trips), strconv.Itoa(cases), strconv.Itoa(infected)
		h.Overall = &all
	}
	return h, nil
}
