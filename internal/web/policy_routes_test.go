package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/policy"
	"missiongrants/internal/testenv"
)

// actionRoute is how a person tries an action: the request a crafted post
// would send, and where the page offers it (a control the page shows only
// when the rules allow).
type actionRoute struct {
	post    func(app string, f *ruleFixture) (string, url.Values) // nil: the action is to read
	page    string                                                // "" the application's page; "/edit", "/report" or "/agreement"
	control *regexp.Regexp                                        // shown when allowed, absent when not
	secret  string                                                // for reading: shown when allowed (if there is one), never when not
}

// actionRoutes has a row for every action of the rules.
var actionRoutes = map[policy.Action]actionRoute{
	policy.View: {},
	policy.Edit: {page: "", control: control(`href="/applications/ID/edit"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return app + "/autosave", url.Values{"title": {"Changed"}}
		}},
	// Sent from "check your answers", or a concept note from its own page.
	policy.Submit: {page: "/check", control: control(`action="/applications/ID/submit"|name="action" value="submit"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return app + "/submit", url.Values{"draft_rev": {"0"}}
		}},
	policy.Withdraw: {control: control(`action="/applications/ID/withdraw"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) { return app + "/withdraw", nil }},
	policy.DeleteDraft: {control: control(`href="/applications/ID/delete"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) { return app + "/delete", nil }},
	policy.PostMessage: {control: control(`action="/applications/ID/messages"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return app + "/messages", url.Values{"body": {"A question."}}
		}},
	policy.Screen: {control: control(`action="/admin/applications/ID/screen"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return admin(app, "/screen"), url.Values{"outcome": {"declined"}, "note": {"Out of scope."}}
		}},
	// While it waits to be screened, the screening form is the way to ask.
	policy.RequestInfo: {control: control(`action="/admin/applications/ID/(request-info|screen)"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return admin(app, "/request-info"), url.Values{"question": {"Which hospital?"}}
		}},
	policy.DeclareConflict: {control: control(`action="/board/applications/ID/conflict"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return board(app, "/conflict"), url.Values{"conflict": {"no"}}
		}},
	policy.RecordConflict: {control: control(`action="/admin/applications/ID/conflicts"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/conflicts"), url.Values{"member": {itoa(f.undeclared)}, "member_conflict": {"yes"}, "member_note": {"Told me."}}
		}},
	policy.Review: {control: control(`action="/board/applications/ID/review"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) { return board(app, "/review"), goodReview("2") }},
	policy.SeeReviews:     {secret: "REVIEW-ONLY-FOR-THE-BOARD"},
	policy.SeeAssignments: {secret: "ASSIGNED-ONLY-FOR-THE-BOARD"}, // the assigned reviewer's name
	policy.Discuss: {control: control(`action="/board/applications/ID/discussion"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return board(app, "/discussion"), url.Values{"comment_body": {"Let me add this."}}
		}},
	policy.SeeDiscussion: {secret: "DISCUSSION-ONLY-FOR-THE-BOARD"},
	policy.OpenVote: {control: control(`action="/admin/applications/ID/vote"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return admin(app, "/vote"), url.Values{"proposed": {"1000"}, "closes_at": {time.Now().UTC().Add(72 * time.Hour).Format("2006-01-02T15:04")}, "over_budget": {"yes"}}
		}},
	policy.CloseVote: {control: control(`action="/admin/applications/ID/vote/close"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/vote/close"), url.Values{"vote": {f.votes[app]}}
		}},
	policy.CastBallot: {control: control(`action="/board/applications/ID/ballot"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return board(app, "/ballot"), url.Values{"vote": {f.votes[app]}, "choice": {"decline"}}
		}},
	policy.Award: {control: control(`action="/admin/applications/ID/award"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return admin(app, "/award"), url.Values{"amount": {"1000"}, "year": {"2027"}, "instalment_amount": {"1000"}, "instalment_due": {"2027-02-01"}}
		}},
	policy.Pay: {control: control(`action="/admin/applications/ID/payments[?"]`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/payments"), url.Values{"key": {"crafted-form-key-0001"}, "instalment": {f.instalments[app]}, "amount": {"1"},
				"paid_on": {time.Now().UTC().Format("2006-01-02")}, "method": {"wire"}, "reference": {"CRAFTED"}}
		}},
	policy.ApprovePayment: {control: control(`action="/admin/applications/ID/payments/approve"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/payments/approve"), url.Values{"payment": {f.pending[app]}}
		}},
	policy.CancelPayment: {control: control(`action="/admin/applications/ID/payments/cancel"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/payments/cancel"), url.Values{"payment": {f.pending[app]}, "cancel_reason": {"crafted"}}
		}},
	policy.ReversePayment: {control: control(`action="/admin/applications/ID/payments/reverse"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/payments/reverse"), url.Values{"payment": {f.counted[app]}, "reason": {"crafted"}, "key": {"crafted-form-key-0002"}}
		}},
	policy.WriteReport: {page: "/report", control: control(`action="/applications/ID/report"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return app + "/report", url.Values{"action": {"save"}, "infants": {"1"}}
		}},
	policy.ReviewReport: {page: "/report", control: control(`action="/admin/applications/ID/report/review"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return admin(app, "/report/review"), url.Values{"decision": {"accept"}}
		}},
	policy.SignAgreement: {page: "/agreement", control: control(`action="/applications/ID/agreement/sign"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return app + "/agreement/sign", url.Values{"signer_name": {"Crafted Name"}, "signer_title": {"Crafted"}, "accept": {"1"}}
		}},
	policy.VoidAgreement: {page: "/agreement", control: control(`action="/admin/applications/ID/agreement/void"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return admin(app, "/agreement/void"), url.Values{"reason": {"crafted"}}
		}},
	policy.AssignReviewers: {control: control(`href="/admin/applications/ID/assign"`),
		post: func(app string, f *ruleFixture) (string, url.Values) {
			return admin(app, "/assign"), url.Values{"app": {appID(app)}, "reviewers_" + appID(app): {itoa(f.undeclared)}}
		}},
	// BeAssigned is decided for the member assigned, not for the person
	// acting: TestStandingConflictRecusesFromEveryApplication posts a
	// refused assignment, and the page never offers such a member.
	policy.BeAssigned: {},
	policy.DecideConcept: {page: "/concept", control: control(`action="/board/applications/ID/concept"`),
		post: func(app string, _ *ruleFixture) (string, url.Values) {
			return board(app, "/concept"), url.Values{"outcome": {"decline"}, "note": {"Crafted."}}
		}},
}

func control(pattern string) *regexp.Regexp { return regexp.MustCompile(pattern) }
func admin(app, tail string) string         { return "/admin" + app + tail }
func board(app, tail string) string         { return "/board" + app + tail }

// ruleFixture is one charity's applications in every situation, with the
// votes, awards, payments and reports each needs, and the people who try.
type ruleFixture struct {
	apps        map[string]string // situation → /applications/N
	votes       map[string]string // app → its vote's id
	instalments map[string]string // app → an instalment of its award
	pending     map[string]string // app → a payment waiting for approval
	counted     map[string]string // app → a payment that counts
	undeclared  int64             // a board member with no declaration
}

var situations = []struct{ name, status string }{
	{"draft", "draft"}, {"submitted", "submitted"}, {"more info", "more_info_requested"}, {"in review", "in_review"},
	{"voting", "voting"}, {"vote due", "voting"}, {"approved", "approved"}, {"awarded", "approved"}, {"signed", "approved"},
	{"report sent", "approved"}, {"report accepted", "approved"}, {"declined", "declined"}, {"withdrawn", "withdrawn"},
	// Two-stage rounds (conceptSituation): the note decided by the admins,
	// or by the board.
	{"concept draft", "concept_draft"}, {"concept sent", "concept_submitted"}, {"concept sent (board)", "concept_submitted"},
	{"concept asked", "concept_info_requested"}, {"invited", "invited"},
}

// Every action × every kind of person × every situation, through the real
// router: the page offers a control exactly when the rules allow it, and a
// direct request the rules refuse is refused and changes nothing.
func TestEveryActionByEveryPersonInEverySituation(t *testing.T) {
	testenv.Full(t, "every action × person × situation (slow)")
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ctx := context.Background()
	for _, a := range policy.Actions {
		if _, ok := actionRoutes[a]; !ok {
			t.Errorf("action %q has no route in actionRoutes: add how a person tries it", a)
		}
	}

	ch := s.newCharity(t, "en", "Rosa")
	other := s.newCharity(t, "en", "Otra")
	enrolled := func(roles account.Roles) (*client, int64) {
		p := s.withoutTOTP(t, roles)
		c := s.loginAs(t, p)
		c.enrolTOTP()
		return c, s.userID(t, p.email)
	}
	undeclared, undeclaredID := enrolled(account.Roles{Board: true})
	recusedBoard, recusedBoardID := enrolled(account.Roles{Board: true})
	recusedAdmin, recusedAdminID := enrolled(account.Roles{Admin: true})
	type tryer struct {
		c  *client
		id int64 // 0: nobody signed in
	}
	tryers := map[string]tryer{
		"charity member":         {ch.client, s.userID(t, ch.person(t, s).email)},
		"other charity's member": {other.client, s.userID(t, other.person(t, s).email)},
		"board member":           {s.loginAs(t, people[demoBoard]), s.userID(t, demoBoard)},
		"undeclared board":       {undeclared, undeclaredID},
		"recused board member":   {recusedBoard, recusedBoardID},
		"admin":                  {s.loginAs(t, people[demoAdmin]), s.userID(t, demoAdmin)},
		"recused admin":          {recusedAdmin, recusedAdminID},
		"admin, recused board":   {s.loginAs(t, people[demoAdminBoard]), s.userID(t, demoAdminBoard)},
		"signed out":             {s.client(t, "Accept-Language", "en"), 0},
	}
	f := s.ruleSituations(t, ch, s.userID(t, demoBoard), []int64{recusedBoardID, recusedAdminID, s.userID(t, demoAdminBoard)})
	f.undeclared = undeclaredID

	for who, tr := range tryers {
		t.Run(who, func(t *testing.T) {
			c := tr.c
			c.t = t
			var u *account.User
			if tr.id != 0 {
				u = &account.User{}
				if err := s.db.Get(u, `SELECT id, email, name, is_admin, is_board, active, language FROM users WHERE id = $1`, tr.id); err != nil {
					t.Fatal(err)
				}
			}
			for _, sit := range situations {
				app := f.apps[sit.name]
				id, _ := strconv.ParseInt(appID(app), 10, 64)
				var can policy.Can
				if u != nil {
					person, facts, err := policy.Load(ctx, s.db, u, id, time.Now(), policy.NoLock)
					if err != nil {
						t.Fatal(err)
					}
					can = policy.For(person, facts)
				}
				pages := map[string]string{}
				for _, tail := range []string{"", "/edit", "/check", "/report", "/agreement", "/concept"} {
					if !can.Do(policy.View) {
						continue
					}
					rec := c.get(app + tail)
					if loc := rec.Header().Get("Location"); (tail == "/edit" || tail == "/check") && loc == app+"/concept" {
						rec = c.get(loc) // the concept note's form, and its send button, are on its own page
					}
					if tail == "" && rec.Code != http.StatusOK {
						t.Fatalf("%s: GET %s: %d", sit.name, app, rec.Code)
					}
					pages[tail] = rec.Body.String()
				}
				if !can.Do(policy.View) && u != nil {
					if rec := c.get(app); rec.Code != http.StatusNotFound {
						t.Errorf("%s: %s sees an application that is not theirs: %d", sit.name, who, rec.Code)
					}
				}
				for _, a := range policy.Actions {
					r := actionRoutes[a]
					allowed := can.Do(a)
					if page, ok := pages[r.page]; ok && r.control != nil {
						re := regexp.MustCompile(strings.ReplaceAll(r.control.String(), "ID", appID(app)))
						if re.MatchString(page) != allowed {
							t.Errorf("%s, %s: the page offers %s: %v, the rules allow it: %v", sit.name, who, a, !allowed, allowed)
						}
					}
					if r.secret != "" {
						if page, ok := pages[""]; ok && !allowed && strings.Contains(page, r.secret) {
							t.Errorf("%s, %s: the page shows what %s refuses", sit.name, who, a)
						}
					}
					if allowed || r.post == nil {
						continue
					}
					before := s.ruleFingerprint(t)
					path, form := r.post(app, f)
					rec := c.post(path, form)
					switch {
					case who == "signed out" && rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login"):
					case rec.Code == http.StatusForbidden, rec.Code == http.StatusNotFound, rec.Code == http.StatusConflict:
					default:
						t.Errorf("%s, %s: %s by POST %s answered %d, want a refusal", sit.name, who, a, path, rec.Code)
					}
					if after := s.ruleFingerprint(t); after != before {
						t.Errorf("%s, %s: a refused %s changed the database:\n%s\n%s", sit.name, who, a, before, after)
					}
				}
			}
		})
	}
}

// ruleSituations makes the charity's applications, one in each situation:
// the board member declared no conflict and reviewed and discussed each
// one before the board; the recused people declared a conflict on each.
func (s *testServer) ruleSituations(t *testing.T, ch *charity, boardID int64, recused []int64) *ruleFixture {
	t.Helper()
	f := &ruleFixture{apps: map[string]string{}, votes: map[string]string{}, instalments: map[string]string{},
		pending: map[string]string{}, counted: map[string]string{}}
	var payer, staff int64 // a third admin records the payments, so every admin may approve them
	if err := s.db.Get(&payer, `INSERT INTO users (email, name, is_admin, email_confirmed_at) VALUES ('payer@ipa.example', 'Pat Payer', true, now()) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	staff = s.userID(t, demoAdmin)
	// A board member an admin assigned to review each one: only those who
	// may read the board's work see who (policy.SeeAssignments).
	var reviewer int64
	if err := s.db.Get(&reviewer, `INSERT INTO users (email, name, is_board, email_confirmed_at)
		VALUES ('assigned@ipa.example', 'Ada ASSIGNED-ONLY-FOR-THE-BOARD', true, now()) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	template := ch.startEmptyApplication()
	for _, sit := range situations {
		if strings.HasPrefix(sit.name, "concept") || sit.name == "invited" {
			f.apps[sit.name] = s.conceptSituation(t, template, sit.name, sit.status, boardID, recused)
			continue
		}
		var id int64
		q := func(query string, args ...any) {
			t.Helper()
			if _, err := s.db.Exec(query, args...); err != nil {
				t.Fatalf("%s: %v", sit.name, err)
			}
		}
		version := 1
		if sit.status == "draft" {
			version = 0
		}
		if err := s.db.Get(&id, `INSERT INTO applications (organization_id, round_id, status, version, title, country, amount_requested_cents,
			submitted_at, created_by, draft, trip_start, trip_end)
			SELECT organization_id, round_id, CASE WHEN $2::int = 0 THEN 'draft' ELSE 'in_review' END, $2, $3, 'HN', 2000000, now(), created_by, draft, '2026-01-10', '2026-01-20'
			FROM applications WHERE id = $1 RETURNING id`, appID(template), version, "Mission "+sit.name); err != nil {
			t.Fatal(err)
		}
		app := "/applications/" + itoa(id)
		f.apps[sit.name] = app
		if version > 0 {
			q(`INSERT INTO application_versions (application_id, version, data, submitted_by, submitted_at)
				SELECT id, 1, draft, created_by, now() FROM applications WHERE id = $1`, id)
		}
		q(`INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by) VALUES ($1, $2, false, '', now(), $2)`, id, boardID)
		for _, r := range recused {
			q(`INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by) VALUES ($1, $2, true, 'related', now(), $2)`, id, r)
		}
		q(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
			VALUES ($1, $2, '{"need": 4}', 4000, 'REVIEW-ONLY-FOR-THE-BOARD', 'approve', now())`, id, boardID)
		q(`INSERT INTO board_comments (application_id, author_id, body, created_at) VALUES ($1, $2, 'DISCUSSION-ONLY-FOR-THE-BOARD', now())`, id, boardID)
		q(`INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $3, now())`, id, reviewer, staff)
		vote := func(closes string) {
			var v int64
			if err := s.db.Get(&v, `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
				VALUES ($1, 2000000, $2, now() - interval '10 days', now() + $3::interval) RETURNING id`, id, staff, closes); err != nil {
				t.Fatal(err)
			}
			f.votes[app] = itoa(v)
		}
		switch sit.name {
		case "voting":
			vote("3 days")
		case "vote due":
			vote("-1 hour")
		case "approved", "awarded", "signed", "report sent", "report accepted":
			voteID := dbtest.Approve(t, s.db, id, 2000000, staff)
			f.votes[app] = itoa(voteID)
			if sit.name == "approved" {
				break
			}
			var award, inst1, inst2, counted, pending int64
			if err := s.db.Get(&award, `INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
				SELECT id, round_id, $2, 2026, 2000000, $3, now() FROM applications WHERE id = $1 RETURNING id`, id, voteID, staff); err != nil {
				t.Fatal(err)
			}
			must(t, s.db.Get(&inst1, `INSERT INTO instalments (award_id, position, amount_cents, due_on) VALUES ($1, 1, 1500000, '2026-01-01') RETURNING id`, award))
			must(t, s.db.Get(&inst2, `INSERT INTO instalments (award_id, position, amount_cents, due_on) VALUES ($1, 2, 500000, '2026-06-01') RETURNING id`, award))
			q(`INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at)
				VALUES ($1, $2, 'en', 'Terms.', '%PDF-', repeat('0', 64), $3, now())`, award, id, staff)
			f.instalments[app] = itoa(inst2)
			if sit.name == "awarded" { // the charity has not signed: no money has moved
				break
			}
			q(`UPDATE agreements SET signed_by = $2, signer_name = 'Rosa', signer_title = 'Treasurer', statement = 'I accept.', signed_at = now(), signed_pdf = pdf
				WHERE award_id = $1`, award, s.userID(t, ch.person(t, s).email))
			must(t, s.db.Get(&counted, `INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, idempotency_key, recorded_by, recorded_at)
				VALUES ($1, $2, 100000, '2026-01-02', 'wire', 'W-1', $4, $3, now()) RETURNING id`, inst1, award, payer, "fixture-payment-key-"+itoa(inst1)+"-1"))
			must(t, s.db.Get(&pending, `INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, idempotency_key, needs_approval, recorded_by, recorded_at)
				VALUES ($1, $2, 1200000, '2026-01-03', 'wire', 'W-2', $4, true, $3, now()) RETURNING id`, inst1, award, payer, "fixture-payment-key-"+itoa(inst1)+"-2"))
			f.counted[app], f.pending[app] = itoa(counted), itoa(pending)
			switch sit.name {
			case "report sent":
				q(`INSERT INTO reports (application_id, status, data, submitted_at, created_at, updated_at) VALUES ($1, 'submitted', '{}', now(), now(), now())`, id)
			case "report accepted":
				q(`INSERT INTO reports (application_id, status, data, patients, submitted_at, accepted_at, accepted_by, created_at, updated_at)
					VALUES ($1, 'accepted', '{}', 12, now(), now(), $2, now(), now())`, id, staff)
			}
		}
		if sit.status != "approved" {
			q(`UPDATE applications SET status = $2 WHERE id = $1`, id, sit.status)
		}
	}
	q := `UPDATE applications SET status = 'withdrawn' WHERE id = $1`
	if _, err := s.db.Exec(q, appID(template)); err != nil {
		t.Fatal(err)
	}
	return f
}

// conceptSituation is an application of a two-stage round of its own, at
// its concept note (or invited past it) in status, copied from template's
// charity; the round's board decides on its notes when the situation says
// "(board)". The board member declared no conflict, the recused a conflict.
func (s *testServer) conceptSituation(t *testing.T, template, name, status string, boardID int64, recused []int64) string {
	t.Helper()
	var round, id int64
	must(t, s.db.Get(&round, `INSERT INTO funding_rounds (name, rolling, two_stage, concept_by_board) VALUES ($1, true, true, $2) RETURNING id`,
		"Two stages "+name, strings.HasSuffix(name, "(board)")))
	sent := 1
	if status == "concept_draft" {
		sent = 0
	}
	must(t, s.db.Get(&id, `INSERT INTO applications (organization_id, round_id, status, stage, concept, concept_version, title,
			amount_requested_cents, submitted_at, created_by, invited_at, invited_by, invitation_due)
		SELECT organization_id, $2, $3, CASE WHEN $3 = 'invited' THEN 'full' ELSE 'concept' END,
			'{"title": "Note", "trip": "Trip", "need": "Need", "team": "Team", "amount": "100"}', $4, $5, 10000,
			CASE WHEN $4 > 0 THEN now() END, created_by,
			CASE WHEN $3 = 'invited' THEN now() END, CASE WHEN $3 = 'invited' THEN created_by END, CASE WHEN $3 = 'invited' THEN current_date + 30 END
		FROM applications WHERE id = $1 RETURNING id`, appID(template), round, status, sent, "Mission "+name))
	if sent > 0 {
		_, err := s.db.Exec(`INSERT INTO concept_versions (application_id, version, data, submitted_by, submitted_at)
			SELECT id, 1, concept, created_by, now() FROM applications WHERE id = $1`, id)
		must(t, err)
	}
	_, err := s.db.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by) VALUES ($1, $2, false, '', now(), $2)`, id, boardID)
	must(t, err)
	for _, r := range recused {
		_, err := s.db.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by) VALUES ($1, $2, true, 'related', now(), $2)`, id, r)
		must(t, err)
	}
	return "/applications/" + itoa(id)
}

// ruleFingerprint sums up everything an action could change.
func (s *testServer) ruleFingerprint(t *testing.T) string {
	t.Helper()
	var fp string
	if err := s.db.Get(&fp, `SELECT concat_ws(' ',
		(SELECT string_agg(id || status || draft::text || concept::text, ',' ORDER BY id) FROM applications),
		(SELECT count(*) FROM audit), (SELECT count(*) FROM conflicts), (SELECT count(*) FROM conflicts WHERE has_conflict),
		(SELECT count(*) FROM reviews), (SELECT count(*) FROM board_comments), (SELECT count(*) FROM ballots), (SELECT count(*) FROM assignments),
		(SELECT string_agg(id || coalesce(decision, '-'), ',' ORDER BY id) FROM votes), (SELECT count(*) FROM awards),
		(SELECT count(*) FROM payments), (SELECT count(*) FROM payment_approvals), (SELECT count(*) FROM payment_cancellations),
		(SELECT count(*) FROM application_messages), (SELECT string_agg(status || data::text, ',' ORDER BY id) FROM reports),
		(SELECT string_agg(id || coalesce(signed_at::text, '-') || coalesce(voided_at::text, '-'), ',' ORDER BY id) FROM agreements))`); err != nil {
		t.Fatal(err)
	}
	return fp
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
