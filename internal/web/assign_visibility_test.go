package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"missiongrants/internal/account"
)

// Who an admin assigned to review an application, and how far each has
// got, is the board's work: the application page shows the reviewers'
// panel to those who may read the reviews (policy.SeeAssignments), and to
// nobody else: not to the charity, nor to a board member or admin recused
// from it, nor to a board member who has not yet declared; the board's
// queue names the reviewers still to review by the same rule.
func TestAssignedReviewersShownOnlyToThoseWhoReadTheBoardsWork(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	app := ch.submitted("Heart mission to Tegucigalpa")
	id := appID(app)
	admin := s.loginAs(t, people[demoAdmin])
	sendToBoard(t, admin, app)
	enrolled := func(roles account.Roles) *client {
		c := s.loginAs(t, s.withoutTOTP(t, roles))
		c.enrolTOTP()
		return c
	}
	declared := s.loginAs(t, people[demoBoard])
	recusedBoard, undeclared := enrolled(account.Roles{Board: true}), enrolled(account.Roles{Board: true})
	recusedAdmin := enrolled(account.Roles{Admin: true})
	wantRedirect(t, declared.post("/board/applications/"+id+"/conflict", url.Values{"conflict": {"no"}}), app)
	for _, c := range []*client{recusedBoard, recusedAdmin} {
		wantRedirect(t, c.post("/board/applications/"+id+"/conflict", url.Values{"conflict": {"yes"}, "conflict_note": {"I volunteer there."}}), app)
	}
	// The admin assigns a reviewer, named so that nothing else on the page says it.
	reviewer := s.withoutTOTP(t, account.Roles{Board: true})
	reviewerID := s.userID(t, reviewer.email)
	s.execElsewhere(t, "users", `UPDATE users SET name = 'Zelda Assigned-Reviewer' WHERE id = $1`, reviewerID)
	wantRedirect(t, admin.post("/admin/applications/"+id+"/assign", url.Values{"app": {id}, "reviewers_" + id: {itoa(reviewerID)}}), app)

	for who, tc := range map[string]struct {
		c    *client
		sees bool
	}{
		"charity":                  {ch.client, false},
		"board member, declared":   {declared, true},
		"board member, recused":    {recusedBoard, false},
		"board member, undeclared": {undeclared, false},
		"admin":                    {admin, true},
		"admin, recused":           {recusedAdmin, false},
	} {
		page := tc.c.get(app)
		wantStatus(t, page, http.StatusOK)
		for _, mark := range []string{`id="reviewers-h"`, "Zelda Assigned-Reviewer"} {
			if shown := strings.Contains(page.Body.String(), mark); shown != tc.sees {
				t.Errorf("as the %s, the page shows %s: %v, want %v", who, mark, shown, tc.sees)
			}
		}
		if who == "charity" {
			continue // the board's queue is not theirs
		}
		// The board's queue says who is still to review, by the same rule.
		queue := tc.c.get("/board/applications")
		wantStatus(t, queue, http.StatusOK)
		if shown := strings.Contains(queue.Body.String(), "Zelda Assigned-Reviewer"); shown != tc.sees {
			t.Errorf("as the %s, the queue names the reviewer still to review: %v, want %v", who, shown, tc.sees)
		}
	}
}
