package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The outcomes page leaves out, for a board member or admin with a standing
// conflict with a charity, that charity's trips: not in the per-charity
// table, not among the funnel's points, not named anywhere. The others see
// them, and so does the member again once an admin withdraws the conflict.
func TestOutcomesLeaveOutTheCharitiesOfAStandingConflict(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	olga, pia := s.newCharity(t, "en", "Olga"), s.newCharity(t, "en", "Pia")
	olgaTrip, piaTrip := s.earlierTrip(t, olga), s.earlierTrip(t, pia)
	bruno := s.loginAs(t, people[demoBoard])
	admin := s.loginAs(t, people[demoAdmin])
	ada := s.loginAs(t, people[demoAdminBoard])
	wantRedirect(t, bruno.post("/board/conflicts", url.Values{"charity": {itoa(s.orgOf(t, olgaTrip))}, "reason": {"I volunteer with them."}}), "/board/conflicts")
	wantRedirect(t, admin.post("/board/conflicts", url.Values{"charity": {itoa(s.orgOf(t, piaTrip))}, "reason": {"Mi hermana trabaja allí."}}), "/board/conflicts")

	type seen struct {
		name, trip string
	}
	olgas, pias := seen{"Olga Heart Missions", `href="` + olgaTrip + `"`}, seen{"Pia Heart Missions", `href="` + piaTrip + `"`}
	check := func(who string, c *client, shown, hidden []seen) {
		t.Helper()
		page := c.get("/board/outcomes?years=all&points=all")
		wantStatus(t, page, http.StatusOK)
		body := page.Body.String()
		for _, ch := range shown {
			if !strings.Contains(body, ch.name) || !strings.Contains(body, ch.trip) {
				t.Errorf("%s does not see %s's outcomes", who, ch.name)
			}
		}
		for _, ch := range hidden {
			if strings.Contains(body, ch.name) || strings.Contains(body, ch.trip) {
				t.Errorf("%s, with a standing conflict with %s, sees its outcomes", who, ch.name)
			}
		}
		if n := strings.Count(body, `<circle class="point"`); n != len(shown) {
			t.Errorf("%s sees %d trips on the funnel, want %d", who, n, len(shown))
		}
	}
	check("the board member", bruno, []seen{pias}, []seen{olgas})
	check("the admin", admin, []seen{olgas}, []seen{pias})
	check("an admin and board member without a conflict", ada, []seen{olgas, pias}, nil)

	// Withdrawn by another admin: Bruno reads Olga's outcomes again.
	var standing int64
	must(t, s.db.Get(&standing, `SELECT id FROM standing_conflicts WHERE user_id = $1 AND withdrawn_at IS NULL`, s.userID(t, demoBoard)))
	wantRedirect(t, ada.post("/admin/conflicts/"+itoa(standing)+"/withdraw", url.Values{"withdraw_reason": {"He left the charity."}}), "/board/conflicts")
	check("the board member, the conflict withdrawn", bruno, []seen{olgas, pias}, nil)
}

// The exports of outcomes follow the outcomes page's rule (outcomes.Unseen):
// an admin with a standing conflict with a charity exports the outcomes,
// case mix and trip outcomes, as CSV and as XLSX, without that charity's
// trips; another admin exports them.
func TestOutcomeExportsLeaveOutTheCharitiesOfAStandingConflict(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	s.seedExports(t, s.userID(t, demoAdmin)) // the charity 9900's trip 9901, accepted in 2026
	sofia := s.loginAs(t, people[demoAdmin])
	ada := s.loginAs(t, people[demoAdminBoard])
	wantRedirect(t, sofia.post("/board/conflicts", url.Values{"charity": {"9900"}, "reason": {"Mi hermana trabaja allí."}}), "/board/conflicts")

	rowsOf := func(c *client, name, format string) [][]string {
		t.Helper()
		rec := c.get("/admin/exports/" + name + "?from=2026-01-01&to=2026-12-31&format=" + format)
		wantStatus(t, rec, http.StatusOK)
		if format == "csv" {
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
			must(t, err)
			return rows
		}
		f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		must(t, err)
		defer f.Close()
		rows, err := f.GetRows("Sheet1")
		must(t, err)
		return rows
	}
	for _, name := range []string{"outcomes", "case_mix", "trip_outcomes"} {
		for _, format := range []string{"csv", "xlsx"} {
			if rows := rowsOf(sofia, name, format); len(rows) != 1 {
				t.Errorf("%s.%s: the admin with a standing conflict with the charity gets its trips:\n%q", name, format, rows)
			}
			rows := rowsOf(ada, name, format)
			if len(rows) < 2 || !strings.Contains(strings.Join(rows[1], " "), "Heart Fund") {
				t.Errorf("%s.%s: another admin does not get the charity's trips:\n%q", name, format, rows)
			}
		}
	}
}
