package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/seed"
)

// seeded is one application the queue test puts in the database.
type seeded struct {
	id        int64
	status    string
	round     int // index in the test's rounds
	country   string
	tripStart time.Time
	amount    int64 // cents
	title     string
	org       int // index in the test's organizations
	submitted time.Time
	reviewed  bool // by the board member
	recused   bool // the board member declared a conflict
	voteOpen  bool
	voted     bool // the board member cast a ballot
}

var queueRowRE = regexp.MustCompile(`<tr>\s*<td><a href="/applications/(\d+)">`)

// queueIDs are the applications listed on a queue page, in order.
func queueIDs(t *testing.T, page string) []string {
	t.Helper()
	var ids []string
	for _, m := range queueRowRE.FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// The queue's filters each return the right applications, newest submission
// first (ties broken by id), and its pages together list each application
// exactly once.
func TestBoardQueueFiltersAndPages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	board := s.userID(t, demoBoard)
	orgs := []string{"Corazones Unidos", "Heart Bridge International", "Latido Andino 100% <Perú> & \"Co\""}
	var orgIDs, roundIDs []int64
	for i, name := range orgs {
		var id int64
		if err := s.db.Get(&id, `INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			VALUES ($1, $2, 'R-1', $3, now()) RETURNING id`, name, []string{"DO", "HN", "PE"}[i], board); err != nil {
			t.Fatal(err)
		}
		orgIDs = append(orgIDs, id)
	}
	for _, name := range []string{"Spring 2027", "Rolling"} {
		var id int64
		if err := s.db.Get(&id, `INSERT INTO funding_rounds (name, rolling) VALUES ($1, true) RETURNING id`, name); err != nil {
			t.Fatal(err)
		}
		roundIDs = append(roundIDs, id)
	}
	statuses := []string{"in_review", "in_review", "voting", "submitted", "approved", "declined", "more_info_requested", "withdrawn"}
	countries := []string{"HN", "DO", "PE", "GT"}
	base := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	var apps []seeded
	for i := range 30 {
		a := seeded{status: statuses[i%len(statuses)], round: i % 2, country: countries[i%len(countries)],
			tripStart: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 10*i), amount: int64(i+1) * 1000_00,
			title: fmt.Sprintf("Mission %02d", i), org: i % 3, submitted: base.Add(-time.Duration(i) * time.Hour)}
		if i >= 10 && i <= 13 {
			a.submitted = base.Add(-10 * time.Hour) // a tie: the id decides
		}
		if i == 7 {
			a.title = "Pediatric_surgery 50% week"
		}
		before := a.status == "in_review" || a.status == "voting"
		a.recused = before && i%5 == 0
		a.reviewed = before && !a.recused && i%3 == 0
		a.voteOpen = a.status == "voting"
		a.voted = a.voteOpen && !a.recused && i == 2
		if err := s.db.Get(&a.id, `INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end,
				amount_requested_cents, submitted_at, created_by)
			VALUES ($1, $2, $3, 1, $4, $5, $6, $6::date + 9, $7, $8, $9) RETURNING id`,
			orgIDs[a.org], roundIDs[a.round], a.status, a.title, a.country, a.tripStart, a.amount, a.submitted, board); err != nil {
			t.Fatal(err)
		}
		if a.recused || a.reviewed || a.voted {
			if _, err := s.db.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by) VALUES ($1, $2, $3, now(), $2)`,
				a.id, board, a.recused); err != nil {
				t.Fatal(err)
			}
		}
		if a.reviewed {
			if _, err := s.db.Exec(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, recommendation, submitted_at)
				VALUES ($1, $2, '{}', 3400, 'approve', now())`, a.id, board); err != nil {
				t.Fatal(err)
			}
		}
		if a.voteOpen {
			var vote int64
			if err := s.db.Get(&vote, `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
				VALUES ($1, 100000, (SELECT min(id) FROM users WHERE is_admin), now(), now() + interval '2 days') RETURNING id`, a.id); err != nil {
				t.Fatal(err)
			}
			if a.voted {
				if _, err := s.db.Exec(`INSERT INTO ballots (vote_id, user_id, choice, cast_at) VALUES ($1, $2, 'approve', now())`, vote, board); err != nil {
					t.Fatal(err)
				}
			}
		}
		apps = append(apps, a)
	}
	// A draft never shows.
	if _, err := s.db.Exec(`INSERT INTO applications (organization_id, round_id, title, created_by) VALUES ($1, $2, 'Draft mission', $3)`,
		orgIDs[0], roundIDs[0], board); err != nil {
		t.Fatal(err)
	}
	// What the queue should list for a filter: newest submission first, then the higher id.
	want := func(keep func(a seeded) bool) []string {
		var sel []seeded
		for _, a := range apps {
			if keep(a) {
				sel = append(sel, a)
			}
		}
		slices.SortFunc(sel, func(x, y seeded) int {
			if c := y.submitted.Compare(x.submitted); c != 0 {
				return c
			}
			return int(y.id - x.id)
		})
		ids := []string{}
		for _, a := range sel {
			ids = append(ids, itoa(a.id))
		}
		return ids
	}
	// all follows the queue's pages from query to the end.
	bruno := s.loginAs(t, people[demoBoard])
	all := func(query string) []string {
		t.Helper()
		ids := []string{}
		next := "/board/applications?" + query
		for pages := 0; next != ""; pages++ {
			if pages > 5 {
				t.Fatalf("%s: more pages than rows", query)
			}
			rec := bruno.get(next)
			wantStatus(t, rec, http.StatusOK)
			ids = append(ids, queueIDs(t, rec.Body.String())...)
			next = ""
			if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(rec.Body.String()); m != nil {
				next = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		return ids
	}
	cents := func(usd int64) int64 { return usd * 100 }
	for _, tc := range []struct {
		query string
		keep  func(a seeded) bool
	}{
		{"", func(seeded) bool { return true }},
		{"status=in_review", func(a seeded) bool { return a.status == "in_review" }},
		{"status=voting&country=PE", func(a seeded) bool { return a.status == "voting" && a.country == "PE" }},
		{"round=" + itoa(roundIDs[1]), func(a seeded) bool { return a.round == 1 }},
		{"country=HN", func(a seeded) bool { return a.country == "HN" }},
		// Trips overlapping March 2027.
		{"trip_from=2027-03-01&trip_to=2027-03-31", func(a seeded) bool {
			return !a.tripStart.AddDate(0, 0, 9).Before(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) &&
				!a.tripStart.After(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))
		}},
		{"amount_min=5000&amount_max=12,000.00", func(a seeded) bool { return a.amount >= cents(5000) && a.amount <= cents(12000) }},
		{"amount_min=25000", func(a seeded) bool { return a.amount >= cents(25000) }},
		{"mine=review", func(a seeded) bool {
			return (a.status == "in_review" || a.status == "voting") && !a.reviewed && !a.recused
		}},
		{"mine=vote", func(a seeded) bool { return a.voteOpen && !a.voted && !a.recused }},
		{"q=heart+bridge", func(a seeded) bool { return a.org == 1 }},
		{"q=mission+1", func(a seeded) bool { return strings.HasPrefix(a.title, "Mission 1") }},
		// Words, the last as a beginning; signs only separate them.
		{"q=50%25", func(a seeded) bool { return a.id == apps[7].id }},
		{"q=100%25", func(a seeded) bool { return a.org == 2 }}, // in the organization's name
		{"q=mission_0", func(a seeded) bool { return strings.HasPrefix(a.title, "Mission 0") }},
		{"q=pediatric_surg", func(a seeded) bool { return a.id == apps[7].id }},
		{"q=ediatric", func(a seeded) bool { return false }}, // not inside a word
		{"status=in_review&mine=review&country=HN", func(a seeded) bool { return a.status == "in_review" && !a.reviewed && !a.recused && a.country == "HN" }},
	} {
		got := all(tc.query)
		if exp := want(tc.keep); !slices.Equal(got, exp) {
			t.Errorf("?%s lists %v, want %v", tc.query, got, exp)
		}
	}

	// Pages: 25 rows, then the rest after the cursor; the first page's last
	// row is in the middle of the tie.
	first := bruno.get("/board/applications")
	if n := len(queueIDs(t, first.Body.String())); n != 25 {
		t.Errorf("the first page lists %d applications, want 25", n)
	}
	mustContain(t, first, `rel="next"`, "Mission 00", "vote open", "reviewed by you", "recused",
		`<td data-label="Organization">Latido Andino 100% &lt;Perú&gt; &amp; &#34;Co&#34;</td>`)
	mustNotContain(t, first, "Draft mission", "First page")
	second := bruno.get("/board/applications?status=in_review&before=" + url.QueryEscape(apps[11].submitted.Format(time.RFC3339Nano)+"_"+itoa(apps[11].id)))
	if got, exp := queueIDs(t, second.Body.String()), want(func(a seeded) bool {
		return a.status == "in_review" && (a.submitted.Before(apps[11].submitted) || a.submitted.Equal(apps[11].submitted) && a.id < apps[11].id)
	}); !slices.Equal(got, exp) {
		t.Errorf("after a cursor in the tie: %v, want %v", got, exp)
	}
	mustContain(t, second, "First page")

	// The admin (not on the board) sees the queue; "needs my review" is
	// about board members, so it lists nothing for her.
	admin := s.loginAs(t, people[demoAdmin])
	wantStatus(t, admin.get("/board/applications"), http.StatusOK)
	if ids := queueIDs(t, admin.get("/board/applications?mine=review").Body.String()); len(ids) != 0 {
		t.Errorf("needs-my-review lists %v for an admin who is not on the board", ids)
	}

	// Mistakes in the filter come back beside their field, in the person's language.
	rec := admin.get("/board/applications?trip_from=2027-13-01&amount_min=12x&amount_max=1&status=nonsense&before=garbage")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-trip_from-error"`, `id="f-amount_min-error"`, `id="f-status-error"`, `value="12x"`, "Solicitudes a revisar")
	rec = bruno.get("/board/applications?amount_min=20000&amount_max=100")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-amount_max-error"`, "The end of the range must not come before its start.")
}

// A word in thousands of titles is searched by the queue's own walk, a rare
// one through the indexes: either way the page lists the right ones, newest
// first.
func TestBoardQueueSearchOfACommonWord(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	load, err := seed.Seed(context.Background(), s.db, seed.Options{Applications: 2100})
	if err != nil {
		t.Fatal(err)
	}
	c := s.loginAs(t, people[demoBoard])
	all := c.get("/board/applications")
	common := c.get("/board/applications?q=MISSION")
	rare := c.get("/board/applications?q=" + url.QueryEscape(load.Titles[0]))
	for _, rec := range []*httptest.ResponseRecorder{all, common, rare} {
		wantStatus(t, rec, http.StatusOK)
	}
	if a, b := queueIDs(t, all.Body.String()), queueIDs(t, common.Body.String()); len(b) != 25 || !slices.Equal(a, b) {
		t.Errorf("searching a word in every title lists %v, the whole queue %v", b, a)
	}
	if got := queueIDs(t, rare.Body.String()); len(got) != 1 {
		t.Errorf("searching %q lists %v", load.Titles[0], got)
	}
	short := c.get("/board/applications?q=mi")
	wantStatus(t, short, http.StatusUnprocessableEntity)
	mustContain(t, short, "Type at least 3 characters to search.")
}

// The queue's round filter is kept between requests (application.RoundNames)
// and must still name every round as it now is: one the admin has just
// saved, in the next page; one another process changed, once this one has
// heard of it.
func TestBoardQueueRoundFilterFollowsTheRounds(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin, bruno := s.loginAs(t, people[demoAdmin]), s.loginAs(t, people[demoBoard])
	mustNotContain(t, bruno.get("/board/applications"), "Autumn 2027 missions")

	wantRedirect(t, admin.post("/admin/rounds", url.Values{"name": {"Autumn 2027 missions"}, "name_es": {"Misiones de otoño 2027"},
		"rolling": {"yes"}, "budget": {"100000"}}), "/admin/rounds")
	var id int64
	must(t, s.db.Get(&id, `SELECT id FROM funding_rounds WHERE name = 'Autumn 2027 missions'`))
	mustContain(t, bruno.get("/board/applications"), `<option value="`+itoa(id)+`">Autumn 2027 missions</option>`)

	wantRedirect(t, admin.post("/admin/rounds/"+itoa(id), url.Values{"name": {"Autumn 2027 heart missions"}, "name_es": {"Misiones de otoño 2027"},
		"rolling": {"yes"}, "budget": {"100000"}}), "/admin/rounds")
	mustContain(t, bruno.get("/board/applications"), "Autumn 2027 heart missions")

	s.execElsewhere(t, "funding_rounds", `UPDATE funding_rounds SET name = 'Autumn 2027 cardiac missions' WHERE id = $1`, id)
	mustContain(t, bruno.get("/board/applications"), "Autumn 2027 cardiac missions")
}

// The application's page lists the charity's five newest other
// applications and, when it has sent more, links to the queue searched for
// the charity, which lists them all.
func TestBoardSeesTheCharitysOtherApplications(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Quetzal")
	bruno := s.loginAs(t, people[demoBoard])
	var apps []string
	for i := range 7 {
		apps = append(apps, ch.submitted(fmt.Sprintf("Trip number %d", i+1)))
	}
	history := regexp.MustCompile(`(?s)<section class="panel" id="history".*?</section>`)
	listed := func(page string) []string {
		var ids []string
		for _, m := range regexp.MustCompile(`<li>\s*<a href="/applications/(\d+)">`).FindAllStringSubmatch(history.FindString(page), -1) {
			ids = append(ids, m[1])
		}
		return ids
	}

	second := bruno.get(apps[1])
	wantStatus(t, second, http.StatusOK)
	newest := []string{appID(apps[6]), appID(apps[5]), appID(apps[4]), appID(apps[3]), appID(apps[2])}
	if got := listed(second.Body.String()); !slices.Equal(got, newest) {
		t.Errorf("the second application's page lists %v of the charity's others, want the five newest %v", got, newest)
	}
	link := regexp.MustCompile(`<a href="(/board/applications\?q=[^"]+)">` + regexp.QuoteMeta(s.text("en", "page.board.history_all"))).
		FindStringSubmatch(history.FindString(second.Body.String()))
	if link == nil {
		t.Fatal("no link to the charity's other applications")
	}
	all := queueIDs(t, bruno.get(html.UnescapeString(link[1])).Body.String())
	for _, app := range apps {
		if !slices.Contains(all, appID(app)) {
			t.Errorf("the queue searched for the charity lists %v, not %s", all, app)
		}
	}

	// With five others, all are listed and there is nothing more to find.
	_, err := s.db.Exec(`WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by)
			VALUES ('Another charity', 'HN', 'R-2', $2) RETURNING id)
		UPDATE applications SET organization_id = (SELECT id FROM o) WHERE id = $1`, appID(apps[0]), s.userID(t, demoBoard))
	must(t, err)
	mustNotContain(t, bruno.get(apps[6]), s.text("en", "page.board.history_all"))
}
