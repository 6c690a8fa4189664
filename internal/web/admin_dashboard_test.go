package web

import (
	"fmt"
	"missiongrants/internal/dbtest"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/money"
)

// The admin dashboard counts the applications by status and by round, sums
// the money by year and lists the open votes, in either language, each
// figure with a bar chart and the list behind it; the number of statements
// it sends does not grow with the data.
func TestAdminDashboard(t *testing.T) {
	t.Parallel()
	s := newTestServerOn(t, countingPool(t))
	people := s.seedDemo(t)
	admin := s.userID(t, demoAdmin)
	c := s.loginAs(t, people[demoAdmin]) // Spanish

	empty, nEmpty := c.countedGet("/admin/dashboard")
	wantStatus(t, empty, http.StatusOK)
	mustContain(t, empty, s.text("es", "page.admin_dashboard.title"), s.text("es", "page.admin_dashboard.no_awards"),
		s.text("es", "page.admin_dashboard.votes_open", "Count", 0), s.text("es", "page.admin_dashboard.reports_overdue", "Count", 0),
		s.text("es", "page.admin_dashboard.reports_awaiting", "Count", 0))

	var org, spring, rolling int64
	if err := s.db.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by)
		VALUES ('Heart Fund', 'HN', 'R-1', $1) RETURNING id`, admin); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Get(&spring, `INSERT INTO funding_rounds (name, opens_on, closes_on) VALUES ('Spring 2030', '2030-01-01', '2030-03-31') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Get(&rolling, `INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling grants', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	app := func(round int64, status, title string) int64 {
		t.Helper()
		version, submitted := 1, "now()"
		if status == "draft" {
			version, submitted = 0, "NULL"
		}
		var id int64
		if err := s.db.Get(&id, `INSERT INTO applications (organization_id, round_id, status, version, title, submitted_at, created_by)
			VALUES ($1, $2, $3, $4, $5, `+submitted+`, $6) RETURNING id`, org, round, status, version, title, admin); err != nil {
			t.Fatal(err)
		}
		return id
	}
	app(spring, "submitted", "Trip A")
	app(spring, "submitted", "Trip B")
	app(spring, "in_review", "Trip C")
	voting := app(spring, "voting", "Trip to Tegucigalpa")
	app(rolling, "draft", "")
	approved := app(rolling, "in_review", "Trip E")
	vote := dbtest.Approve(t, s.db, approved, 1000000, admin)
	reported := app(rolling, "approved", "Trip F")
	// Trip E ended 90 days ago and has no report: overdue. Trip F's report
	// is submitted: awaiting review, and not overdue.
	if _, err := s.db.Exec(`UPDATE applications SET trip_start = current_date - 100, trip_end = current_date - 90 WHERE id IN ($1, $2)`, approved, reported); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO reports (application_id, status, data, patients, pediatric, open_heart, bypass, interventional, deaths, submitted_at, created_at, updated_at)
		VALUES ($1, 'submitted', '{}', 10, 5, 4, 3, 1, 0, now(), now(), now())`, reported); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, paid_cents, created_by, created_at)
		VALUES ($1, $2, $4, 2030, 1000000, 250000, $3, now())`, approved, rolling, admin, vote); err != nil {
		t.Fatal(err)
	}
	closes := time.Now().Add(49 * time.Hour).UTC().Truncate(time.Minute)
	if _, err := s.db.Exec(`INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		VALUES ($1, 500000, $2, now(), $3)`, voting, admin, closes); err != nil {
		t.Fatal(err)
	}

	for _, l := range []string{"es", "en"} {
		if _, err := s.db.Exec(`UPDATE users SET language = $1 WHERE id = $2`, l, admin); err != nil {
			t.Fatal(err)
		}
		page, n := c.countedGet("/admin/dashboard")
		wantStatus(t, page, http.StatusOK)
		if page.Header().Get("Content-Language") != l {
			t.Fatalf("the page is in %q, want %q", page.Header().Get("Content-Language"), l)
		}
		if n != nEmpty {
			t.Errorf("%s: the dashboard sends %d statements with data, %d without", l, n, nEmpty)
		}
		body := page.Body.String()
		status := func(st string, link bool, want int) {
			t.Helper()
			label := s.cat.T(l, "app.status."+st)
			if link {
				label = fmt.Sprintf(`<a href="/board/applications?status=%s">%s</a>`, st, label)
			}
			if !strings.Contains(body, fmt.Sprintf(`<td>%s</td><td class="num" data-status-count>%d</td>`, label, want)) {
				t.Errorf("%s: status %s does not show %d", l, st, want)
			}
		}
		status("draft", false, 1)
		status("submitted", true, 2)
		status("more_info_requested", true, 0)
		status("in_review", true, 1)
		status("voting", true, 1)
		status("approved", true, 2)
		status("declined", true, 0)
		status("withdrawn", true, 0)
		usd := func(c money.Cents) string { return money.Format(c, money.USD, l) }
		mustContain(t, page, s.cat.T(l, "page.admin_dashboard.title"), s.cat.T(l, "page.admin_dashboard.total", "Count", 7),
			fmt.Sprintf(`<a href="/board/applications?round=%d">Spring 2030</a></td><td class="num">4</td>`, spring),
			fmt.Sprintf(`<a href="/board/applications?round=%d">Rolling grants</a></td><td class="num">3</td>`, rolling),
			fmt.Sprintf(`<td>2030</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>`, usd(1000000), usd(250000), usd(750000)),
			s.cat.T(l, "page.admin_dashboard.votes_open", "Count", 1),
			fmt.Sprintf(`<a href="/applications/%d">Trip to Tegucigalpa</a></td><td>%s</td><td class="num">48</td>`, voting, s.cat.DateTime(l, closes, time.UTC)),
			`href="/admin/rounds"`, `href="/admin/screening"`, `href="/board/applications?status=voting"`,
			`<p data-reports-overdue>`+s.cat.T(l, "page.admin_dashboard.reports_overdue", "Count", 1)+`</p>`,
			`<p data-reports-awaiting>`+s.cat.T(l, "page.admin_dashboard.reports_awaiting", "Count", 1)+`</p>`,
			fmt.Sprintf(`<li><a href="/applications/%d/report">%s</a></li>`, reported, s.cat.T(l, "page.admin_dashboard.report_link", "ID", reported)))
		// The approved application's report is the last overdue, before those awaiting review.
		if !regexp.MustCompile(regexp.QuoteMeta(fmt.Sprintf(`<li><a href="/applications/%d/report">%s</a></li></ul>`, approved, s.cat.T(l, "page.admin_dashboard.report_link", "ID", approved))) + `\s*<p data-reports-awaiting>`).MatchString(body) {
			t.Errorf("%s: application %d's report is not listed as overdue", l, approved)
		}
		// The reports chart: one bar each for overdue and awaiting review, equal.
		// A bar is <rect …/> or <rect …></rect>, as the template writes it.
		bars := strings.ReplaceAll(body, "></rect>", "/>")
		if got := strings.Count(bars, `<rect class="bar-outstanding" x="0.00" y="0" width="100.00" height="6"/>`); got != 2 {
			t.Errorf("%s: the reports chart has %d full bars, want 2", l, got)
		}
		// Five charts, each with its title, a bar per row with a length,
		// each row's label and value in words, and no inline style.
		if got := strings.Count(body, `<figure class="chart">`); got != 5 {
			t.Errorf("%s: %d charts, want 5", l, got)
		}
		if got := len(regexp.MustCompile(`<rect class="bar"`).FindAllString(body, -1)); got != 5+2+1 {
			t.Errorf("%s: %d single bars, want 8 (5 statuses with applications, 2 rounds, 1 vote)", l, got)
		}
		if want := `<rect class="bar-paid" x="0.00" y="0" width="25.00" height="6"/><rect class="bar-outstanding" x="25.00" y="0" width="75.00" height="6"/>`; !strings.Contains(bars, want) {
			t.Errorf("%s: the money chart lacks %s", l, want)
		}
		chartRow := func(label, value string) string {
			return `<span class="chart-label">` + label + `</span>` + `(?s:.*?)` + `<span class="chart-value">` + regexp.QuoteMeta(value) + `</span>`
		}
		for _, want := range []string{
			chartRow(regexp.QuoteMeta(s.text(l, "app.status.submitted")), "2"),
			chartRow(regexp.QuoteMeta(s.text(l, "app.status.declined")), "0"),
			chartRow("Spring 2030", "4"),
			chartRow("2030", s.text(l, "chart.paid_outstanding", "Paid", usd(250000), "Outstanding", usd(750000))),
			chartRow("Trip to Tegucigalpa", s.text(l, "chart.hours", "Hours", 48)),
			chartRow(regexp.QuoteMeta(s.text(l, "chart.reports_overdue")), "1"),
		} {
			if !regexp.MustCompile(want).MatchString(body) {
				t.Errorf("%s: no chart row %s", l, want)
			}
		}
		mustContain(t, page, `<figcaption class="chart-title">`+s.text(l, "chart.by_status")+`</figcaption>`, s.text(l, "chart.money"),
			`<span class="chart-axis-name">`+s.text(l, "chart.axis_usd")+`</span><span>`+usd(1000000)+`</span>`)
		mustNotContain(t, page, "style=")
	}

	// The landing page links the dashboard for admins only.
	mustContain(t, c.get("/dashboard"), `href="/admin/dashboard"`)
	mustNotContain(t, s.loginAs(t, people[demoBoard]).get("/dashboard"), `href="/admin/dashboard"`)
}

// However many votes are open, the dashboard lists the ten closing first
// and counts the rest, so it stays small.
func TestAdminDashboardListsTheFirstVotes(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.userID(t, demoAdmin)
	c := s.loginAs(t, people[demoAdmin])
	if _, err := s.db.Exec(`WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by) VALUES ('Heart Fund', 'HN', 'R-1', $1) RETURNING id),
		r AS (INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id),
		a AS (INSERT INTO applications (organization_id, round_id, status, version, title, submitted_at, created_by)
			SELECT o.id, r.id, 'voting', 1, 'Trip ' || lpad(i::text, 2, '0'), now(), $1 FROM o, r, generate_series(1, 13) i RETURNING id, title)
		INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		SELECT id, 100000, $1, now(), now() + (right(title, 2)::int || ' hours')::interval FROM a`, admin); err != nil {
		t.Fatal(err)
	}
	rec := c.get("/admin/dashboard")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, s.text("es", "page.admin_dashboard.votes_open", "Count", 13), ">Trip 01<", ">Trip 10<", s.text("es", "page.admin_dashboard.more", "Count", 3))
	if strings.Contains(rec.Body.String(), ">Trip 11<") {
		t.Error("the dashboard lists an 11th vote")
	}
}
