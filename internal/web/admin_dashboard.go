package web

import (
	"cmp"
	"missiongrants/internal/policy"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/money"
	"missiongrants/internal/web/view"
)

// chartRow is one row of a chart: its label, its value in words, and the
// figures its bar stacks.
type chartRow struct {
	label, value string
	data         []int64
}

// newChart makes a view.Chart of rows, each split into segments (a stacked
// bar) of the classes in turn, scaled so the largest row spans the width;
// scale writes the largest row's total for the axis.
func newChart(title, axis, empty string, scale func(int64) string, rows []chartRow, classes ...string) view.Chart {
	var most int64
	for _, r := range rows {
		var sum int64
		for _, v := range r.data {
			sum += max0(v)
		}
		most = max(most, sum)
	}
	ch := view.Chart{Title: title, Axis: axis, Empty: empty, Max: scale(most)}
	for _, r := range rows {
		row := view.ChartRow{Label: r.label, Value: r.value}
		x := 0.0
		for j, v := range r.data {
			w := 0.0
			if most > 0 {
				w = 100 * float64(max0(v)) / float64(most)
			}
			row.Segs = append(row.Segs, view.ChartSeg{X: strconv.FormatFloat(x, 'f', 2, 64), W: strconv.FormatFloat(w, 'f', 2, 64), Class: classes[j%len(classes)]})
			x += w
		}
		ch.Rows = append(ch.Rows, row)
	}
	return ch
}

func count(n int64) string { return strconv.FormatInt(n, 10) }

func max0(v int64) int64 { return max(v, 0) }

// dashboardListed is how many votes and reports of each kind the
// dashboard lists; the rest are counted, so the page stays small however
// much waits.
const dashboardListed = 10

// dashboardStatuses is the order the statuses are shown in: the way an
// application goes.
var dashboardStatuses = []policy.Status{policy.ConceptDraft, policy.ConceptSubmitted, policy.ConceptInfoRequested, policy.Invited,
	policy.Draft, policy.Submitted, policy.MoreInfoRequested,
	policy.InReview, policy.Voting, policy.Approved, policy.Declined, policy.Withdrawn}

// adminDashboardShow is the IPA staff's overview: applications by status
// and by round, money by year, the votes open, and the post-trip reports
// overdue or awaiting review. Five queries, whatever the data.
func (s *Server) adminDashboardShow(c *gin.Context) error {
	ctx := c.Request.Context()
	counts, err := s.apps.Counts(ctx)
	if err != nil {
		return err
	}
	years, err := s.awards.Years(ctx)
	if err != nil {
		return err
	}
	p := &view.AdminDashboard{Page: s.page(c)}
	votes, err := s.votes.OpenVotes(ctx, dashboardListed)
	if err != nil {
		return err
	}
	if p.Overdue.IDs, p.Overdue.Total, err = s.reports.Overdue(ctx, dashboardListed); err != nil {
		return err
	}
	if p.AwaitingReview.IDs, p.AwaitingReview.Total, err = s.reports.AwaitingReview(ctx, dashboardListed); err != nil {
		return err
	}
	p.Overdue.More = p.Overdue.Total - len(p.Overdue.IDs)
	p.AwaitingReview.More = p.AwaitingReview.Total - len(p.AwaitingReview.IDs)
	l := lang(c)

	byStatus := map[policy.Status]int{}
	var rounds []view.DashRoundRow
	roundIndex := map[int64]int{}
	for _, n := range counts {
		byStatus[n.Status] += n.N
		p.TotalApplications += n.N
		i, seen := roundIndex[n.RoundID]
		if !seen {
			i = len(rounds)
			roundIndex[n.RoundID] = i
			rounds = append(rounds, view.DashRoundRow{Name: n.Round(p.Lang), Link: "/board/applications?round=" + strconv.FormatInt(n.RoundID, 10)})
		}
		rounds[i].N += n.N
	}
	queue := map[policy.Status]bool{}
	for _, st := range application.QueueStatuses() {
		queue[st] = true
	}
	var rows []chartRow
	for _, st := range dashboardStatuses {
		if (st.Concept() || st == policy.Invited) && byStatus[st] == 0 {
			continue // a two-stage round's stages, shown once an application is at one
		}
		r := view.DashStatusRow{Label: p.T("app.status." + string(st)), N: byStatus[st]}
		if queue[st] {
			r.Link = "/board/applications?status=" + url.QueryEscape(string(st))
		}
		p.Statuses = append(p.Statuses, r)
		rows = append(rows, chartRow{r.Label, strconv.Itoa(r.N), []int64{int64(r.N)}})
	}
	// Every application in voting has its one vote open (vote.OpenVotes).
	p.VotesTotal = byStatus[policy.Voting]
	p.VotesMore = max(0, p.VotesTotal-len(votes))
	p.StatusChart = newChart(p.T("chart.by_status"), p.T("chart.axis_applications"), p.T("page.admin_dashboard.no_applications"), count, rows, "bar")

	p.Rounds = rounds
	rows = nil
	for _, r := range rounds {
		rows = append(rows, chartRow{r.Name, strconv.Itoa(r.N), []int64{int64(r.N)}})
	}
	p.RoundChart = newChart(p.T("chart.by_round"), p.T("chart.axis_applications"), p.T("page.admin_dashboard.no_applications"), count, rows, "bar")

	usd := func(v money.Cents) string { return money.Format(v, money.USD, l) }
	rows = nil
	for _, y := range years {
		row := view.DashYearRow{Year: y.Year, Awarded: usd(y.Awarded), Paid: usd(y.Paid), Outstanding: usd(y.Outstanding())}
		p.Years = append(p.Years, row)
		rows = append(rows, chartRow{strconv.Itoa(y.Year), p.T("chart.paid_outstanding", "Paid", row.Paid, "Outstanding", row.Outstanding),
			[]int64{int64(y.Paid), int64(y.Outstanding())}})
	}
	p.YearChart = newChart(p.T("chart.money"), p.T("chart.axis_usd"), p.T("page.admin_dashboard.no_awards"),
		func(c int64) string { return usd(money.Cents(c)) }, rows, "bar-paid", "bar-outstanding")
	p.YearChart.Keys = []view.ChartKey{{Label: p.T("page.award.paid"), Class: "bar-paid"}, {Label: p.T("page.award.outstanding"), Class: "bar-outstanding"}}

	now := s.now()
	rows = nil
	hours := func(h int64) string { return p.T("chart.hours", "Hours", h) }
	for _, v := range votes {
		h := int64(v.ClosesAt.Sub(now).Hours())
		if h < 0 {
			h = 0
		}
		row := view.DashVoteRow{ApplicationID: v.ApplicationID, Title: v.Title, ClosesAt: p.Moment(v.ClosesAt), Hours: h}
		p.Votes = append(p.Votes, row)
		rows = append(rows, chartRow{cmp.Or(v.Title, p.T("page.app.untitled")), hours(h), []int64{h}})
	}
	p.VoteChart = newChart(p.T("chart.votes"), p.T("chart.axis_hours"), p.T("chart.votes_none"), hours, rows, "bar")

	p.ReportChart = newChart(p.T("chart.reports"), p.T("chart.axis_reports"), p.T("chart.reports_none"), count,
		[]chartRow{{p.T("chart.reports_overdue"), strconv.Itoa(p.Overdue.Total), []int64{int64(p.Overdue.Total)}},
			{p.T("chart.reports_awaiting"), strconv.Itoa(p.AwaitingReview.Total), []int64{int64(p.AwaitingReview.Total)}}},
		"bar-outstanding", "bar")

	s.render(c, http.StatusOK, "admin_dashboard", p)
	return nil
}
