package web

import (
	"fmt"
	"missiongrants/internal/policy"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/money"
	"missiongrants/internal/web/view"
)

const barHeight, barGap = 6, 3

// newChart makes a view.Chart of rows, each split into segments (a stacked bar),
// scaled so the largest row spans the width.
func newChart(label string, rows [][]int64, classes ...string) view.Chart {
	var max int64
	for _, r := range rows {
		var sum int64
		for _, v := range r {
			sum += max0(v)
		}
		if sum > max {
			max = sum
		}
	}
	ch := view.Chart{Label: label, Height: len(rows)*(barHeight+barGap) - barGap}
	if ch.Height < barHeight {
		ch.Height = barHeight
	}
	for i, r := range rows {
		b := view.ChartBar{Y: i * (barHeight + barGap)}
		x := 0.0
		for j, v := range r {
			w := 0.0
			if max > 0 {
				w = 100 * float64(max0(v)) / float64(max)
			}
			b.Segs = append(b.Segs, view.ChartSeg{X: strconv.FormatFloat(x, 'f', 2, 64), W: strconv.FormatFloat(w, 'f', 2, 64), Class: classes[j%len(classes)]})
			x += w
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

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
	votes, nVotes, err := s.votes.OpenVotes(ctx, dashboardListed)
	if err != nil {
		return err
	}
	if p.Overdue.IDs, p.Overdue.Total, err = s.reports.Overdue(ctx, dashboardListed); err != nil {
		return err
	}
	if p.AwaitingReview.IDs, p.AwaitingReview.Total, err = s.reports.AwaitingReview(ctx, dashboardListed); err != nil {
		return err
	}
	p.VotesTotal, p.VotesMore = nVotes, nVotes-len(votes)
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
	var words []string
	var rows [][]int64
	for _, st := range dashboardStatuses {
		if (st.Concept() || st == policy.Invited) && byStatus[st] == 0 {
			continue // a two-stage round's stages, shown once an application is at one
		}
		r := view.DashStatusRow{Label: p.T("app.status." + string(st)), N: byStatus[st]}
		if queue[st] {
			r.Link = "/board/applications?status=" + url.QueryEscape(string(st))
		}
		p.Statuses = append(p.Statuses, r)
		words = append(words, fmt.Sprintf("%s: %d", r.Label, r.N))
		rows = append(rows, []int64{int64(r.N)})
	}
	p.StatusChart = newChart(p.T("page.admin_dashboard.by_status")+". "+strings.Join(words, "; "), rows, "bar")

	p.Rounds = rounds
	words, rows = nil, nil
	for _, r := range rounds {
		words = append(words, fmt.Sprintf("%s: %d", r.Name, r.N))
		rows = append(rows, []int64{int64(r.N)})
	}
	p.RoundChart = newChart(p.T("page.admin_dashboard.by_round")+". "+strings.Join(words, "; "), rows, "bar")

	usd := func(v money.Cents) string { return money.Format(v, money.USD, l) }
	words, rows = nil, nil
	for _, y := range years {
		row := view.DashYearRow{Year: y.Year, Awarded: usd(y.Awarded), Paid: usd(y.Paid), Outstanding: usd(y.Outstanding())}
		p.Years = append(p.Years, row)
		words = append(words, p.T("page.admin_dashboard.year_words", "Year", y.Year, "Awarded", row.Awarded, "Paid", row.Paid, "Outstanding", row.Outstanding))
		rows = append(rows, []int64{int64(y.Paid), int64(y.Outstanding())})
	}
	p.YearChart = newChart(p.T("page.admin_dashboard.money")+". "+strings.Join(words, "; "), rows, "bar-paid", "bar-outstanding")

	now := s.now()
	words, rows = nil, nil
	for _, v := range votes {
		h := int64(v.ClosesAt.Sub(now).Hours())
		if h < 0 {
			h = 0
		}
		row := view.DashVoteRow{ApplicationID: v.ApplicationID, Title: v.Title, ClosesAt: p.Moment(v.ClosesAt), Hours: h}
		p.Votes = append(p.Votes, row)
		words = append(words, p.T("page.admin_dashboard.vote_words", "Title", v.Title, "Closes", row.ClosesAt, "Hours", h))
		rows = append(rows, []int64{h})
	}
	p.VoteChart = newChart(p.T("page.admin_dashboard.votes")+". "+strings.Join(words, "; "), rows, "bar")

	p.ReportChart = newChart(p.T("page.admin_dashboard.reports")+". "+
		p.T("page.admin_dashboard.reports_overdue", "Count", p.Overdue.Total)+"; "+
		p.T("page.admin_dashboard.reports_awaiting", "Count", p.AwaitingReview.Total),
		[][]int64{{int64(p.Overdue.Total)}, {int64(p.AwaitingReview.Total)}}, "bar-outstanding", "bar")

	s.render(c, http.StatusOK, "admin_dashboard", p)
	return nil
}
