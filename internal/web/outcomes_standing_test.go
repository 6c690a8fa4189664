package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
