package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"missiongrants/internal/application"
	"missiongrants/internal/dbtest"
)

// Helpers shared by the board's tests: a submitted application, the demo
// IPA people logged in, and the board's forms filled in as a person would.

// demoAdminBoard is the demo account that is both admin and board member.
const demoAdminBoard = "admin@demo.missiongrants.test"

// submitted has the charity start and submit a complete application with
// title; it returns the application's URL.
func (c *charity) submitted(title string) string {
	c.t.Helper()
	app := c.startApplication()
	f := completeApplication()
	f.Set("title", title)
	f.Set("action", "submit")
	wantStatus(c.t, c.saveDraft(app, f), http.StatusSeeOther)
	return app
}

// appID is the number in an application's URL.
func appID(app string) string { return strings.TrimPrefix(app, "/applications/") }

// allChecks is the screening form with every check ticked.
func allChecks() url.Values {
	v := url.Values{}
	for _, c := range application.ScreeningChecks {
		v.Add("check", c)
	}
	return v
}

// screen posts the screening form for app with outcome and note.
func screen(admin *client, app string, checks url.Values, outcome, note string) *httptest.ResponseRecorder {
	admin.t.Helper()
	v := url.Values{"outcome": {outcome}, "note": {note}}
	for k, vals := range checks {
		v[k] = vals
	}
	return admin.post("/admin/applications/"+appID(app)+"/screen", v)
}

// sendToBoard screens app with every check ticked.
func sendToBoard(t *testing.T, admin *client, app string) {
	t.Helper()
	wantRedirect(t, screen(admin, app, allChecks(), application.ToBoard, ""), app)
}

// goodReview scores every demo criterion score.
func goodReview(score string) url.Values {
	v := url.Values{"recommendation": {"approve"}, "review_comment": {"Strong team and a clear need."}}
	for _, k := range []string{"need", "clinical_capacity", "budget", "sustainability", "track_record"} {
		v.Set("score_"+k, score)
	}
	return v
}

var voteFieldRE = regexp.MustCompile(`name="vote" value="(\d+)"`)

// voteIDOn reads the open vote's id from an application page's ballot or
// close form.
func voteIDOn(t *testing.T, page *httptest.ResponseRecorder) string {
	t.Helper()
	m := voteFieldRE.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("no vote form on the page (%d):\n%.2000s", page.Code, mainRE.FindString(page.Body.String()))
	}
	return m[1]
}

// openVote has an admin open a vote on app, closing in two days.
func openVote(t *testing.T, admin *client, app string) {
	t.Helper()
	rec := admin.post("/admin/applications/"+appID(app)+"/vote", url.Values{
		"proposed": {"18000"}, "conditions": {"Report within 60 days of the trip."},
		"closes_at": {admin.s.today().AddDate(0, 0, 2).Format("2006-01-02") + "T12:00"}})
	wantRedirect(t, rec, app)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// approve makes the application at path app approved by a vote of the
// board for cents (the most its award may be), as if the board had voted.
func (s *testServer) approve(t *testing.T, app string, cents int64) {
	t.Helper()
	var admin int64
	if err := s.db.Get(&admin, `SELECT min(id) FROM users WHERE is_admin AND active`); err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(appID(app), 10, 64)
	dbtest.Approve(t, s.db, id, cents, admin)
}
