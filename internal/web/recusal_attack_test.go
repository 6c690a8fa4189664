package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"missiongrants/internal/account"
)

// recusalLeakFixture: a submitted application before the board; Ada
// (admin and board member) declared no conflict and scored it 4.00;
// Bruno (board) and Rita (admin only) declared a conflict; Nora (board)
// declared none and has not reviewed yet.
type recusalLeakFixture struct {
	app, id                   string
	admin, ada, bruno, rita   *client
	nora                      *client
	reviewText, ballotComment string
}

func (s *testServer) recusalLeak(t *testing.T) *recusalLeakFixture {
	t.Helper()
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	f := &recusalLeakFixture{reviewText: "REVIEW-ONLY-attack", ballotComment: "BALLOT-ONLY-attack: fund it"}
	f.app = ch.submitted("Heart mission to Tegucigalpa")
	f.id = appID(f.app)
	f.admin = s.loginAs(t, people[demoAdmin])
	sendToBoard(t, f.admin, f.app)
	enrolled := func(roles account.Roles) *client {
		c := s.loginAs(t, s.withoutTOTP(t, roles))
		c.enrolTOTP()
		return c
	}
	f.ada, f.bruno = s.loginAs(t, people[demoAdminBoard]), s.loginAs(t, people[demoBoard])
	f.rita, f.nora = enrolled(account.Roles{Admin: true}), enrolled(account.Roles{Board: true})
	for _, c := range []*client{f.bruno, f.rita} {
		wantRedirect(t, c.post("/board/applications/"+f.id+"/conflict", url.Values{"conflict": {"yes"}, "conflict_note": {"I volunteer there."}}), f.app)
	}
	for _, c := range []*client{f.ada, f.nora} {
		wantRedirect(t, c.post("/board/applications/"+f.id+"/conflict", url.Values{"conflict": {"no"}}), f.app)
	}
	review := goodReview("4")
	review.Set("review_comment", f.reviewText)
	wantRedirect(t, f.ada.post("/board/applications/"+f.id+"/review", review), f.app)
	return f
}

// Attack (information leak): the board's queue shows each application's
// mean score to every board member and admin. A recused board member, and
// one who has not yet scored (the page hides the others' reviews until
// one's own is in), read it there: with one review, the mean is that
// reviewer's score.
func TestAttackBoardQueueShowsTheMeanScoreToTheRecused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := s.recusalLeak(t)
	// The application page hides the reviews from both.
	for who, c := range map[string]*client{"recused board member": f.bruno, "board member who has not reviewed": f.nora} {
		page := c.get(f.app)
		wantStatus(t, page, http.StatusOK)
		mustNotContain(t, page, f.reviewText)
		queue := c.get("/board/applications")
		wantStatus(t, queue, http.StatusOK)
		if strings.Contains(queue.Body.String(), "1 review · 4.00") {
			t.Errorf("the queue shows the %s the mean score of the reviews the application page hides", who)
		}
	}
	// Ada, who reviewed, still sees it.
	mustContain(t, f.ada.get("/board/applications"), "1 review · 4.00")
}

// Attack (information leak): once the vote is closed, an admin recused
// from the application reads on its page who voted what, with the ballots'
// comments (the vote record is "full" for every admin). The same admin is
// refused the reviews and the discussion.
func TestAttackRecusedAdminReadsTheBallotsOnTheApplicationPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := s.recusalLeak(t)
	openVote(t, f.admin, f.app)
	vote := voteIDOn(t, f.ada.get(f.app))
	wantRedirect(t, f.ada.post("/board/applications/"+f.id+"/ballot", url.Values{"vote": {vote}, "choice": {"approve"}, "ballot_comment": {f.ballotComment}}), f.app)
	wantRedirect(t, f.admin.post("/admin/applications/"+f.id+"/vote/close", url.Values{"vote": {vote}}), f.app)
	mustContain(t, f.admin.get(f.app), f.ballotComment) // the admin not recused reads the record

	page := f.rita.get(f.app)
	wantStatus(t, page, http.StatusOK)
	mustNotContain(t, page, f.reviewText)
	if strings.Contains(page.Body.String(), f.ballotComment) {
		t.Error("an admin recused from the application reads its ballots, by name and with comments, on its page")
	}
}

// Attack (information leak): the minutes' page and CSV list every ballot
// of every vote to every admin, those recused from the application included.
func TestAttackMinutesCSVShowsARecusedAdminTheBallots(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := s.recusalLeak(t)
	openVote(t, f.admin, f.app)
	vote := voteIDOn(t, f.ada.get(f.app))
	wantRedirect(t, f.ada.post("/board/applications/"+f.id+"/ballot", url.Values{"vote": {vote}, "choice": {"approve"}, "ballot_comment": {f.ballotComment}}), f.app)
	wantRedirect(t, f.admin.post("/admin/applications/"+f.id+"/vote/close", url.Values{"vote": {vote}}), f.app)
	mustContain(t, f.admin.get("/admin/minutes"), f.ballotComment)
	for _, path := range []string{"/admin/minutes", "/admin/minutes.csv"} {
		rec := f.rita.get(path)
		wantStatus(t, rec, http.StatusOK)
		if strings.Contains(rec.Body.String(), f.ballotComment) {
			t.Errorf("%s shows an admin recused from the application its ballots", path)
		}
	}
}
