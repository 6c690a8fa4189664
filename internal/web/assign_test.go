package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// orgOf is the charity that sent app.
func (s *testServer) orgOf(t *testing.T, app string) int64 {
	t.Helper()
	var id int64
	must(t, s.db.Get(&id, `SELECT organization_id FROM applications WHERE id = $1`, appID(app)))
	return id
}

// A standing conflict recuses a board member from every application of the
// charity, those it sends later included, by every route: the controls are
// not drawn, a crafted review, discussion or ballot is refused and changes
// nothing, and no admin can assign them (the page does not offer them, a
// crafted assignment is refused, and so is one written straight into the
// database). Only another admin withdraws it, with a reason, audited.
func TestStandingConflictRecusesFromEveryApplication(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	admin := s.loginAs(t, people[demoAdmin])
	bruno := s.loginAs(t, people[demoBoard])
	brunoID := s.userID(t, demoBoard)
	before := ch.submitted("Heart mission to Tegucigalpa")
	sendToBoard(t, admin, before)
	// Bruno had declared no conflict on it: the standing one overrides it.
	wantRedirect(t, bruno.post("/board/applications/"+appID(before)+"/conflict", url.Values{"conflict": {"no"}}), before)
	org := s.orgOf(t, before)

	page := bruno.get("/board/conflicts")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, s.text("en", "page.standing.new"), `action="/board/conflicts"`)
	rec := bruno.post("/board/conflicts", url.Values{"charity": {itoa(org)}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-reason-error"`)
	wantRedirect(t, bruno.post("/board/conflicts", url.Values{"charity": {itoa(org)}, "reason": {"I volunteer with them."}}), "/board/conflicts")
	mustContain(t, bruno.get("/board/conflicts"), "I volunteer with them.")
	wantStatus(t, bruno.post("/board/conflicts", url.Values{"charity": {itoa(org)}, "reason": {"Again."}}), http.StatusConflict)

	after := ch.submitted("Second heart mission") // sent after the declaration
	sendToBoard(t, admin, after)
	for _, app := range []string{before, after} {
		openVote(t, admin, app)
		id := appID(app)
		page := bruno.get(app)
		wantStatus(t, page, http.StatusOK)
		mustContain(t, page, s.text("en", "page.board.recused"))
		mustNotContain(t, page, `action="/board/applications/`+id+`/review"`, `action="/board/applications/`+id+`/discussion"`,
			`action="/board/applications/`+id+`/ballot"`, `action="/board/applications/`+id+`/conflict"`)
		voteID := voteIDOn(t, admin.get(app))
		fp := s.ruleFingerprint(t)
		wantStatus(t, bruno.post("/board/applications/"+id+"/review", goodReview("5")), http.StatusForbidden)
		wantStatus(t, bruno.post("/board/applications/"+id+"/discussion", url.Values{"comment_body": {"Fund it."}}), http.StatusForbidden)
		wantStatus(t, bruno.post("/board/applications/"+id+"/ballot", url.Values{"vote": {voteID}, "choice": {"approve"}}), http.StatusForbidden)
		// The admin is not offered Bruno, and a crafted assignment is refused.
		plan := admin.get("/admin/applications/" + id + "/assign")
		wantStatus(t, plan, http.StatusOK)
		if regexp.MustCompile(`name="reviewers_` + id + `" value="` + itoa(brunoID) + `"`).MatchString(plan.Body.String()) {
			t.Errorf("%s: the assignment page offers the recused member", app)
		}
		rec := admin.post("/admin/applications/"+id+"/assign", url.Values{"app": {id}, "reviewers_" + id: {itoa(brunoID)}})
		wantStatus(t, rec, http.StatusConflict)
		mustContain(t, rec, s.text("es", "error.assign.not_free")) // the demo admin reads Spanish
		if after := s.ruleFingerprint(t); after != fp {
			t.Errorf("%s: refused actions changed the database:\n%s\n%s", app, fp, after)
		}
		// The database's last line, should a route forget the rule.
		if _, err := s.db.Exec(`INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $3, now())`,
			id, brunoID, s.userID(t, demoAdmin)); err == nil {
			t.Errorf("%s: the database assigned a member with a standing conflict", app)
		}
	}
	queue := bruno.get("/board/applications")
	if n := len(regexp.MustCompile(s.text("en", "page.queue.tag_recused")).FindAllString(queue.Body.String(), -1)); n != 2 {
		t.Errorf("the queue tags %d applications recused, want 2", n)
	}

	// Bruno cannot withdraw it; an admin does, with a reason, audited.
	var standing int64
	must(t, s.db.Get(&standing, `SELECT id FROM standing_conflicts WHERE user_id = $1 AND withdrawn_at IS NULL`, brunoID))
	wantStatus(t, bruno.post("/admin/conflicts/"+itoa(standing)+"/withdraw", url.Values{"withdraw_reason": {"Mine."}}), http.StatusForbidden)
	mustContain(t, admin.get("/board/conflicts"), `action="/admin/conflicts/`+itoa(standing)+`/withdraw"`)
	rec = admin.post("/admin/conflicts/"+itoa(standing)+"/withdraw", url.Values{})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-withdraw_reason_`+itoa(standing)+`-error"`, `href="#f-withdraw_reason_`+itoa(standing)+`"`)
	wantRedirect(t, admin.post("/admin/conflicts/"+itoa(standing)+"/withdraw", url.Values{"withdraw_reason": {"He left the charity."}}), "/board/conflicts")
	var audited int
	must(t, s.db.Get(&audited, `SELECT count(*) FROM audit WHERE action IN ('review.standing_declared', 'review.standing_withdrawn')`))
	if audited != 2 {
		t.Errorf("%d audit rows for the standing conflict, want 2", audited)
	}
	// He declares again on each application, as anyone does.
	page = bruno.get(after)
	mustContain(t, page, `action="/board/applications/`+appID(after)+`/conflict"`)
	mustNotContain(t, page, s.text("en", "page.board.recused"))
}

// Reviewers assigned to a round's applications: the round's settings, the
// admin confirms the proposal, each reviewer's queue lists "assigned to me"
// and everyone's shows who is still to review; the application page shows
// the reviewers' progress and, as the round says, only the assigned
// reviewers' scores count; a reviewer who has not reviewed is reminded
// once, in their language, before the deadline.
func TestAssignedReviewersQueueAndReminders(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ctx := context.Background()
	ch := s.newCharity(t, "en", "Olga")
	admin := s.loginAs(t, people[demoAdmin])
	bruno, ada := s.loginAs(t, people[demoBoard]), s.loginAs(t, people[demoAdminBoard])
	brunoID, adaID := s.userID(t, demoBoard), s.userID(t, demoAdminBoard)
	s.execElsewhere(t, "users", `UPDATE users SET language = 'es' WHERE id = $1`, brunoID) // Bruno reads Spanish
	first, second := ch.submitted("Heart mission to Tegucigalpa"), ch.submitted("Heart mission to Cusco")
	sendToBoard(t, admin, first)
	sendToBoard(t, admin, second)
	var round int64
	must(t, s.db.Get(&round, `SELECT round_id FROM applications WHERE id = $1`, appID(first)))
	r := "/admin/rounds/" + itoa(round)

	deadline := s.clock.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
	rec := admin.post(r+"/review-settings", url.Values{"per_application": {"0"}, "reminder_days": {"3"}, "scores_from": {"assigned"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-per_application-error"`)
	wantRedirect(t, admin.post(r+"/review-settings", url.Values{"per_application": {"1"}, "deadline": {deadline},
		"reminder_days": {"3"}, "scores_from": {"assigned"}}), r+"/assign")
	plan := admin.get(r + "/assign")
	wantStatus(t, plan, http.StatusOK)
	for _, app := range []string{first, second} {
		mustContain(t, plan, `name="app" value="`+appID(app)+`"`, `name="reviewers_`+appID(app)+`"`)
	}
	// The admin changes the proposal: Bruno the first, Ada the second.
	wantRedirect(t, admin.post(r+"/assign", url.Values{"app": {appID(first), appID(second)},
		"reviewers_" + appID(first): {itoa(brunoID)}, "reviewers_" + appID(second): {itoa(adaID)}}), r+"/assign")

	mine := bruno.get("/board/applications?mine=assigned")
	wantStatus(t, mine, http.StatusOK)
	if ids := queueIDs(t, mine.Body.String()); len(ids) != 1 || ids[0] != appID(first) {
		t.Errorf("Bruno's assigned applications: %v, want [%s]", ids, appID(first))
	}
	// Bruno, who has not declared on it yet, sees his own assignment; who
	// else is to review is the board's work (policy.SeeAssignments).
	queue := bruno.get("/board/applications")
	mustContain(t, queue, s.text("es", "page.queue.tag_assigned"))
	mustNotContain(t, queue, s.text("es", "page.queue.to_review", "Names", people[demoBoard].name))
	mustContain(t, admin.get("/board/applications"), s.text("es", "page.queue.to_review", "Names", people[demoBoard].name))
	page := admin.get(first)
	mustContain(t, page, s.text("es", "page.assign.reviewers_title"), people[demoBoard].name, s.text("es", "page.assign.to_review"),
		`href="/admin/applications/`+appID(first)+`/assign"`)

	// Ada reviews both; only her review of the second will count.
	for _, app := range []string{first, second} {
		wantRedirect(t, ada.post("/board/applications/"+appID(app)+"/conflict", url.Values{"conflict": {"no"}}), app)
		wantRedirect(t, ada.post("/board/applications/"+appID(app)+"/review", goodReview("2")), app)
	}
	mustContain(t, ada.get(first), s.text("en", "page.assign.mean_none"))
	if ids := queueIDs(t, ada.get("/board/applications?mine=assigned").Body.String()); len(ids) != 1 || ids[0] != appID(second) {
		t.Errorf("Ada's assigned applications: %v", ids)
	}

	// Ten days ahead: no reminder yet. Two days ahead: Bruno, who has not
	// reviewed, is reminded in Spanish; Ada, who has, is not; once.
	if n, err := s.assign.RemindDue(ctx); err != nil || n != 0 {
		t.Fatalf("reminders ten days before the deadline: %d, %v", n, err)
	}
	due, _ := time.Parse(time.DateOnly, deadline)
	s.clock.Set(due.AddDate(0, 0, -2).Add(9 * time.Hour))
	if n, err := s.assign.RemindDue(ctx); err != nil || n != 1 {
		t.Fatalf("reminders two days before the deadline: %d, %v", n, err)
	}
	subject := s.cat.T("es", "mail.review_reminder.subject", "Title", "Heart mission to Tegucigalpa")
	m := s.waitMail(t, people[demoBoard].email, subject, 1)
	if want := "/applications/" + appID(first); !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(m.Text) {
		t.Errorf("the reminder does not link to the application: %q", m.Text)
	}
	if n, err := s.assign.RemindDue(ctx); err != nil || n != 0 {
		t.Fatalf("reminders sent again: %d, %v", n, err)
	}
	var queued int
	must(t, s.db.Get(&queued, `SELECT count(*) FROM river_job WHERE kind = 'mail.send' AND args->'message'->>'subject' = $1`, subject))
	if queued != 1 {
		t.Errorf("%d reminders queued, want 1 (to Bruno, once)", queued)
	}

	// Bruno reviews: of the first's two reviews, his alone counts.
	wantRedirect(t, bruno.post("/board/applications/"+appID(first)+"/conflict", url.Values{"conflict": {"no"}}), first)
	wantRedirect(t, bruno.post("/board/applications/"+appID(first)+"/review", goodReview("4")), first)
	mustContain(t, admin.get(first), s.text("es", "page.assign.mean_assigned", "Count", 1, "Mean", "4,00"), s.text("es", "page.assign.reviewed"))
	mustNotContain(t, bruno.get("/board/applications"), s.text("es", "page.queue.to_review", "Names", people[demoBoard].name))
	// The queue's mean is the assigned reviewers' too.
	mustContain(t, admin.get("/board/applications"), s.text("es", "page.queue.review_count", "Count", 1)+" · 4,00")
}

func dbExec(s *testServer, query string, args ...any) error {
	_, err := s.db.Exec(query, args...)
	return err
}
