// Package demo writes the history the embedded default's portal shows a
// newcomer: three years of funding rounds, charities and their
// applications in every state, the board's declarations, reviews,
// discussion and votes, awards with their instalments and payments, and
// post-trip reports, so that every demo login sees every screen with real
// content. It is a handful of people and charities written by hand (the
// content is in content.go), unlike internal/seed's bulk load-test data.
//
// Everything is dated relative to the day it runs, and written once: the
// second run finds the demo charities and changes nothing. Rows go in with
// the columns the services write, in one transaction, so that the
// database's triggers keep the totals (review tallies, the payment ledger,
// reports owed) and check the rules (no ballot from a recused member, no
// payment by a non-admin) exactly as they do for people.
package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/application"
	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"missiongrants/internal/report"
	"missiongrants/internal/vote"
)

// marker is the first demo charity's contact address: when it exists the
// demo is already there.
const marker = "grants@heartbridge-missions.example"

// approvalThreshold is the default PAYMENT_APPROVAL_THRESHOLD: payments of
// this much or more waited for a second admin, as the portal would have made
// them wait.
const approvalThreshold = money.Cents(10_000_00)

// reportDueDays is the default REPORT_DUE_DAYS, which decides which trips
// owe a report soon and which are overdue.
const reportDueDays = report.DefaultDueDays

// Seed writes the demo's history, dated relative to now, unless it is
// already there. The demo accounts (account.SeedDemo) must exist.
func Seed(ctx context.Context, pool *sqlx.DB, now time.Time) error {
	return db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
		// Two portals starting at once on one database write it once.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('missiongrants.demo'))`); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		var done bool
		if err := tx.GetContext(ctx, &done, `SELECT EXISTS (SELECT 1 FROM organizations WHERE contact_email = $1)`, marker); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if done {
			return nil
		}
		cat, err := i18n.New()
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		s := &seeder{ctx: ctx, tx: tx, now: now.UTC(), base: now.UTC().Truncate(24 * time.Hour), papers: papers.New(cat),
			user: map[string]int64{}, userName: map[string]string{}, email: map[string]string{}, org: map[string]int64{}, orgLang: map[string]string{},
			orgName: map[string]string{}, round: map[string]int64{}, app: map[string]int64{}}
		s.write()
		if s.err != nil {
			return fmt.Errorf("demo: %w", s.err)
		}
		return nil
	})
}

// seeder writes in one transaction. The first error sticks: every later
// write is skipped and Seed returns it, so the content reads as a list of
// what happened rather than a list of error checks.
type seeder struct {
	ctx      context.Context
	tx       *sqlx.Tx
	now      time.Time
	base     time.Time // today at midnight UTC: days are counted from it
	err      error
	user     map[string]int64 // by the key content.go names them with
	userName map[string]string
	email    map[string]string
	org      map[string]int64
	orgLang  map[string]string
	orgName  map[string]string
	round    map[string]int64
	app      map[string]int64
	criteria []criterion
	serial   int // numbers payment references and keys
	papers   *papers.Papers
}

type criterion struct {
	Key    string `db:"key"`
	Weight int    `db:"weight"`
}

func (s *seeder) fail(err error) {
	if s.err == nil && err != nil {
		s.err = err
	}
}

// exec runs a statement unless an earlier one failed.
func (s *seeder) exec(query string, args ...any) {
	if s.err != nil {
		return
	}
	if _, err := s.tx.ExecContext(s.ctx, query, args...); err != nil {
		s.fail(fmt.Errorf("%w\n%s", err, query))
	}
}

// id runs an INSERT … RETURNING id unless an earlier statement failed.
func (s *seeder) id(query string, args ...any) int64 {
	var id int64
	if s.err != nil {
		return 0
	}
	if err := s.tx.GetContext(s.ctx, &id, query, args...); err != nil {
		s.fail(fmt.Errorf("%w\n%s", err, query))
	}
	return id
}

// at is a moment on day d (0 today, -1 yesterday), at h:m UTC. Past days
// only: nothing the demo says happened is in the future.
func (s *seeder) at(d, h, m int) time.Time {
	t := s.base.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	if d >= 0 && t.After(s.now) {
		t = s.now.Add(-time.Hour)
	}
	return t
}

// date is day d as a calendar date.
func (s *seeder) date(d int) time.Time { return s.base.AddDate(0, 0, d) }

// day formats day d as the form's fields hold dates.
func (s *seeder) day(d int) string { return s.date(d).Format(time.DateOnly) }

// audit records what the service would have, at the moment it happened.
func (s *seeder) audit(at time.Time, actor string, action, objectType string, objectID int64, details map[string]any) {
	raw := []byte("{}")
	if len(details) > 0 {
		var err error
		if raw, err = json.Marshal(details); err != nil {
			s.fail(err)
			return
		}
	}
	var actorID *int64
	requestID := ""
	if actor != "" {
		id := s.user[actor]
		actorID = &id
	} else {
		requestID = "vote.close_due" // the clock, closing a vote that was due
	}
	s.exec(`INSERT INTO audit (at, actor_id, request_id, action, object_type, object_id, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, at, actorID, requestID, action, objectType, fmt.Sprint(objectID), raw)
}

// --- people, charities, rounds ---------------------------------------------

type person struct {
	key, name, email, lang string
	board                  bool
}

// demoUsers finds the demo accounts account.SeedDemo made.
func (s *seeder) demoUsers(byEmail map[string]string) {
	for key, email := range byEmail {
		var u struct {
			ID   int64  `db:"id"`
			Name string `db:"name"`
		}
		if s.err != nil {
			return
		}
		if err := s.tx.GetContext(s.ctx, &u, `SELECT id, name FROM users WHERE lower(email) = lower($1)`, email); err != nil {
			s.fail(fmt.Errorf("the demo account %s (account.SeedDemo runs first): %w", email, err))
			return
		}
		s.user[key], s.userName[key], s.email[key] = u.ID, u.Name, email
	}
}

// people adds accounts that never log in (no password): the rest of the
// board, and the charities' other people.
func (s *seeder) people(ps []person, since time.Time) {
	for _, p := range ps {
		s.user[p.key] = s.id(`INSERT INTO users (email, name, is_board, language, email_confirmed_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING id`, p.email, p.name, p.board, p.lang, since)
		s.userName[p.key], s.email[p.key] = p.name, p.email
	}
}

type charity struct {
	key, name, country, registration, address, website, description string
	contact, email, phone                                           string
	lang                                                            string // the language its people write in
	members                                                         []string
	since                                                           int // the day it joined the portal
}

func (s *seeder) charity(c charity) {
	since := s.at(c.since, 15, 20)
	creator := c.members[0]
	answers := map[string]bool{"charitable": true, "cardiac_mission": true, "host_agreed": true, "team_qualified": true}
	raw, _ := json.Marshal(answers)
	id := s.id(`INSERT INTO organizations (legal_name, country, registration_number, address, website, description,
			contact_name, contact_email, contact_phone, eligibility, eligible_at, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11) RETURNING id`,
		c.name, c.country, c.registration, c.address, c.website, c.description, c.contact, c.email, c.phone,
		raw, since.Add(12*time.Minute), s.user[creator], since)
	s.org[c.key], s.orgLang[c.key], s.orgName[c.key] = id, c.lang, c.name
	// Every member may sign the charity's grant agreements: the one who
	// registered it named the other.
	for i, m := range c.members {
		s.exec(`INSERT INTO organization_members (organization_id, user_id, joined_at, signatory) VALUES ($1, $2, $3, true)`,
			id, s.user[m], since.AddDate(0, 0, 9*i))
	}
	s.audit(since, creator, "organization.created", "organization", id, map[string]any{"legal_name": c.name})
	s.audit(since.Add(12*time.Minute), creator, "organization.eligibility_checked", "organization", id,
		map[string]any{"answers": answers, "eligible": true})
}

type round struct {
	key, name      string
	nameES         string
	rolling        bool
	opens, closes  int // days; unused when rolling
	budget         money.Cents
	created        int
	helpEN, helpES map[string]string
}

func (s *seeder) fundingRound(r round) {
	var opens, closes *time.Time
	if !r.rolling {
		o, c := s.date(r.opens), s.date(r.closes)
		opens, closes = &o, &c
	}
	help := []byte("{}")
	if r.helpEN != nil {
		help, _ = json.Marshal(map[string]map[string]string{"en": r.helpEN, "es": r.helpES})
	}
	created := s.at(r.created, 11, 0)
	s.round[r.key] = s.id(`INSERT INTO funding_rounds (name, name_es, rolling, opens_on, closes_on, budget_cents, help, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, r.name, r.nameES, r.rolling, opens, closes, r.budget, help, created)
	s.audit(created, "ada", "round.saved", "round", s.round[r.key], map[string]any{"name": r.name, "rolling": r.rolling, "budget_cents": r.budget})
}

// --- an application's life ---------------------------------------------------

// The days between the steps of an application's life, as the IPA's
// volunteers take them.
const (
	screenAfter = 5  // submitted → screened
	voteAfter   = 14 // screened → vote opened
	voteLasts   = 7
	awardAfter  = 3  // vote closed → award recorded
	payAfter    = 10 // award → first instalment paid
)

// exchange is the IPA asking the charity for more information and, when
// answered, the charity's reply and second version.
type exchange struct {
	by, question string
	answer       string // "" while unanswered
	revise       func(*application.Form)
}

type review struct {
	by             string
	scores         [5]int // need, clinical capacity, budget, sustainability, track record
	recommendation string
	comment        string
}

type ballot struct {
	by, choice, comment string
}

type recusal struct {
	by, note string
}

type comment struct {
	by, body string
}

// Where a funded trip's report stands.
const (
	reportNone      = ""
	reportDraft     = "draft"
	reportSubmitted = "submitted"
	reportAccepted  = "accepted"
)

type app struct {
	key, org, round, by string // by: the member who writes it
	status              policy.Status
	trip                tripPlan
	sub                 int // the day it was first submitted (a draft: started)
	tripStart, tripDays int

	info          *exchange
	declineReason string // declined at screening, with this reason
	withdrawAfter int    // days after submission

	recused  []recusal
	reviews  []review
	comments []comment
	ballots  []ballot
	// Set for the open vote: the day it opened (by default voteAfter days
	// after screening).
	voteOpened *int

	cut         money.Cents // the board proposed this much less than asked
	conditions  string
	payPending  bool // the first instalment's payment waits for a second admin
	unsigned    bool // the grant agreement waits for the charity's signature
	reportState string
	results     *outcome // what the trip achieved, for its report
	spentCut    money.Cents
}

// write builds the application's whole life up to its status.
func (s *seeder) application(a app) {
	if s.err != nil {
		return
	}
	lang := s.orgLang[a.org]
	form := a.trip.form(s, a, lang)
	created := s.at(a.sub-9, 16, 5)
	if a.status == policy.Draft {
		created = s.at(a.sub, 19, 40)
		draft := a.trip.draft(s, a, lang)
		raw, _ := json.Marshal(draft)
		id := s.id(`INSERT INTO applications (organization_id, round_id, status, draft, draft_saved_at, currency, created_by, created_at, updated_at)
			VALUES ($1, $2, 'draft', $3, $4, 'USD', $5, $6, $4) RETURNING id`,
			s.org[a.org], s.round[a.round], raw, created.Add(47*time.Minute), s.user[a.by], created)
		s.app[a.key] = id
		s.event(id, created, a.by, "created", "", policy.Draft, "")
		s.audit(created, a.by, "application.created", "application", id, map[string]any{"organization_id": s.org[a.org], "round_id": s.round[a.round]})
		return
	}

	submitted := s.at(a.sub, 14, 25)
	checked := s.check(form, submitted, lang)
	if s.err != nil {
		return
	}
	raw, _ := json.Marshal(form)
	id := s.id(`INSERT INTO applications (organization_id, round_id, status, draft, draft_saved_at, version, title, country,
			trip_start, trip_end, amount_requested_cents, currency, submitted_at, decline_reason, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, 'USD', $5, $11, $12, $13, $5) RETURNING id`,
		s.org[a.org], s.round[a.round], a.status, raw, submitted, checked.Title, checked.Country, checked.TripStart, checked.TripEnd,
		checked.AmountRequested, a.declineReason, s.user[a.by], created)
	s.app[a.key] = id
	s.event(id, created, a.by, "created", "", policy.Draft, "")
	s.audit(created, a.by, "application.created", "application", id, map[string]any{"organization_id": s.org[a.org], "round_id": s.round[a.round]})
	s.version(id, 1, form, a.by, submitted)
	s.move(id, submitted, a.by, policy.EventSubmit, policy.Draft, policy.Submitted, "")

	lastDay := a.sub // the day of the version the board gets
	switch {
	case a.status == policy.Submitted:
		return
	case a.status == policy.Withdrawn:
		s.move(id, s.at(a.sub+a.withdrawAfter, 10, 15), a.by, policy.EventWithdraw, policy.Submitted, policy.Withdrawn, "")
		return
	case a.status == policy.Declined && a.declineReason != "":
		at := s.at(a.sub+screenAfter, 11, 30)
		s.screening(id, 1, at, "sofia", application.Decline, false)
		s.move(id, at, "sofia", policy.EventDecline, policy.Submitted, policy.Declined, a.declineReason)
		return
	}
	if a.info != nil {
		asked := s.at(a.sub+4, 9, 50)
		s.message(id, a.info.by, true, a.info.question, asked)
		s.move(id, asked, a.info.by, policy.EventRequestInfo, policy.Submitted, policy.MoreInfoRequested, a.info.question)
		if a.status == policy.MoreInfoRequested {
			return
		}
		answered := s.at(a.sub+7, 21, 10)
		s.message(id, a.by, false, a.info.answer, answered)
		a.info.revise(&form)
		checked = s.check(form, answered, lang)
		if s.err != nil {
			return
		}
		raw, _ = json.Marshal(form)
		s.exec(`UPDATE applications SET draft = $2, draft_saved_at = $3, version = 2, title = $4, country = $5, trip_start = $6,
			trip_end = $7, amount_requested_cents = $8, submitted_at = $3, updated_at = $3 WHERE id = $1`,
			id, raw, answered, checked.Title, checked.Country, checked.TripStart, checked.TripEnd, checked.AmountRequested)
		s.version(id, 2, form, a.by, answered)
		s.move(id, answered, a.by, policy.EventResubmit, policy.MoreInfoRequested, policy.Submitted, "")
		lastDay = a.sub + 7
	}

	screenDay := lastDay + screenAfter
	screened := s.at(screenDay, 10, 40)
	version := 1
	if a.info != nil {
		version = 2
	}
	s.screening(id, version, screened, "sofia", application.ToBoard, true)
	s.move(id, screened, "sofia", policy.EventSendToBoard, policy.Submitted, policy.InReview, "")
	a = withoutRecused(a)
	s.board(id, a, screenDay)
	if a.status == policy.InReview {
		return
	}

	openDay := screenDay + voteAfter
	if a.voteOpened != nil {
		openDay = *a.voteOpened
	}
	opened, closes := s.at(openDay, 18, 0), s.base.AddDate(0, 0, openDay+voteLasts).Add(18*time.Hour)
	proposed := checked.AmountRequested - a.cut
	voteID := s.id(`INSERT INTO votes (application_id, proposed_cents, conditions, opened_by, opened_at, closes_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, proposed, a.conditions, s.user["ada"], opened, closes)
	s.move(id, opened, "ada", policy.EventOpenVote, policy.InReview, policy.Voting, "")
	s.audit(opened, "ada", "vote.opened", "application", id, map[string]any{"vote_id": voteID, "proposed_cents": proposed})
	for i, b := range a.ballots {
		at := s.at(openDay+1+i%5, 8+3*i, 5*i)
		s.exec(`INSERT INTO ballots (vote_id, user_id, choice, comment, cast_at) VALUES ($1, $2, $3, $4, $5)`,
			voteID, s.user[b.by], b.choice, b.comment, at)
		s.audit(at, b.by, "vote.ballot", "application", id, map[string]any{"vote_id": voteID, "choice": b.choice})
	}
	if a.status == policy.Voting {
		return
	}

	// Closed by the clock when it was due, as the job queue closes votes.
	rec := s.tally(id, voteID)
	if s.err != nil {
		return
	}
	if want := map[policy.Status]vote.Decision{policy.Approved: vote.Approved, policy.Declined: vote.Declined}[a.status]; rec.Decision != want {
		s.fail(fmt.Errorf("application %q: its ballots decide %q, not %q", a.key, rec.Decision, want))
		return
	}
	result, _ := json.Marshal(rec)
	var approved *money.Cents
	if rec.Decision == vote.Approved {
		approved = &proposed
	}
	s.exec(`UPDATE votes SET closed_at = closes_at, result = $2, decision = $3, approved_cents = $4 WHERE id = $1`,
		voteID, result, rec.Decision, approved)
	ev := map[vote.Decision]policy.Event{vote.Approved: policy.EventApprove, vote.Declined: policy.EventVoteDecline}[rec.Decision]
	s.move(id, closes, "", ev, policy.Voting, a.status, "")
	s.audit(closes, "", "vote.closed", "application", id, map[string]any{"vote_id": voteID, "decision": rec.Decision,
		"quorum_met": rec.QuorumMet, "approve": rec.Approve, "decline": rec.Decline, "abstain": rec.Abstain})
	if a.status != policy.Approved {
		return
	}
	s.fund(id, voteID, a, proposed, openDay+voteLasts, checked)
}

// check validates the form as the day's submission would have, so the
// demo holds only applications the portal would have taken.
func (s *seeder) check(f application.Form, day time.Time, lang string) *application.Checked {
	c, err := f.Validate(day.Truncate(24*time.Hour), lang)
	if err != nil {
		s.fail(fmt.Errorf("the form %q does not validate on %s: %#v", f.Title, day.Format(time.DateOnly), err))
	}
	return c
}

func (s *seeder) version(id int64, n int, f application.Form, by string, at time.Time) {
	raw, _ := json.Marshal(f)
	s.exec(`INSERT INTO application_versions (application_id, version, data, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5)`,
		id, n, raw, s.user[by], at)
}

// event is a line of the application's timeline.
func (s *seeder) event(id int64, at time.Time, by, ev string, from, to policy.Status, note string) {
	var actor *int64
	if by != "" {
		u := s.user[by]
		actor = &u
	}
	s.exec(`INSERT INTO application_events (application_id, at, actor_id, event, from_status, to_status, note)
		VALUES ($1, $2, $3, $4, NULLIF($5, ''), NULLIF($6, ''), $7)`, id, at, actor, ev, string(from), string(to), note)
}

// move is application.MoveTx's trace: the timeline and the audit trail.
// The status itself is written once, final, with the application.
func (s *seeder) move(id int64, at time.Time, by string, ev policy.Event, from, to policy.Status, note string) {
	if _, err := policy.Next(from, ev, map[bool]policy.Role{true: policy.RoleVote, false: roleOf(ev)}[by == ""]); err != nil {
		s.fail(err)
		return
	}
	s.event(id, at, by, string(ev), from, to, note)
	s.audit(at, by, "application."+string(ev), "application", id, map[string]any{"from": from, "to": to})
}

func roleOf(ev policy.Event) policy.Role {
	switch ev {
	case policy.EventSubmit, policy.EventResubmit, policy.EventWithdraw:
		return policy.RoleApplicant
	}
	return policy.RoleAdmin
}

func (s *seeder) message(id int64, by string, fromIPA bool, body string, at time.Time) {
	s.exec(`INSERT INTO application_messages (application_id, author_id, from_ipa, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
		id, s.user[by], fromIPA, body, at)
	s.audit(at, by, "application.message", "application", id, map[string]any{"from_ipa": fromIPA})
}

func (s *seeder) screening(id int64, version int, at time.Time, by, outcome string, pass bool) {
	checks := map[string]bool{}
	for _, c := range application.ScreeningChecks {
		checks[c] = pass || c != "documents_complete"
	}
	raw, _ := json.Marshal(checks)
	s.exec(`INSERT INTO screenings (application_id, version, checks, outcome, screened_by, screened_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, version, raw, outcome, s.user[by], at)
}

// board writes the board's work on an application sent to it on day
// screenDay: declarations, reviews, discussion.
func (s *seeder) board(id int64, a app, screenDay int) {
	declare := func(by string, conflict bool, note string, at time.Time) {
		s.exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $2)`,
			id, s.user[by], conflict, note, at)
		s.audit(at, by, "review.conflict_declared", "application", id,
			map[string]any{"member_id": s.user[by], "has_conflict": conflict, "recorded_by": s.user[by], "note": note})
	}
	for i, r := range a.recused {
		declare(r.by, true, r.note, s.at(screenDay+1, 9+i, 12))
	}
	// Everyone who reviews or votes declared first (the ballots' trigger
	// checks it).
	declared := map[string]bool{}
	n := 0
	for _, who := range append(append(reviewers(a.reviews), voters(a.ballots)...), commenters(a.comments)...) {
		if declared[who] {
			continue
		}
		declared[who] = true
		declare(who, false, "", s.at(screenDay+1+n/3, 8+2*(n%3), 30+n))
		n++
	}
	for i, r := range a.reviews {
		scores := map[string]int{}
		weighted, weights := 0, 0
		for j, c := range s.criteria {
			v := 3
			if j < len(r.scores) {
				v = r.scores[j]
			}
			scores[c.Key] = v
			weighted += v * c.Weight
			weights += c.Weight
		}
		raw, _ := json.Marshal(scores)
		milli := 1000 * weighted / max(weights, 1)
		at := s.at(screenDay+3+2*i, 20, 15+7*i)
		s.exec(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, s.user[r.by], raw, milli, r.comment, r.recommendation, at)
		s.audit(at, r.by, "review.submitted", "application", id, map[string]any{"weighted_milli": milli})
	}
	for i, c := range a.comments {
		at := s.at(screenDay+6+i, 13+i, 45)
		s.exec(`INSERT INTO board_comments (application_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)`, id, s.user[c.by], c.body, at)
		s.audit(at, c.by, "review.comment", "application", id, nil)
	}
}

func reviewers(rs []review) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.by
	}
	return out
}

func commenters(cs []comment) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.by
	}
	return out
}

// withoutRecused drops what members recused on a could not have done.
func withoutRecused(a app) app {
	out := map[string]bool{}
	for _, r := range a.recused {
		out[r.by] = true
	}
	var rv []review
	for _, r := range a.reviews {
		if !out[r.by] {
			rv = append(rv, r)
		}
	}
	var bl []ballot
	for _, b := range a.ballots {
		if !out[b.by] {
			bl = append(bl, b)
		}
	}
	var cs []comment
	for _, c := range a.comments {
		if !out[c.by] {
			cs = append(cs, c)
		}
	}
	a.reviews, a.ballots, a.comments = rv, bl, cs
	return a
}

func voters(bs []ballot) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.by
	}
	return out
}

// eligibleVoter is vote.eligibleVoter: who counts in the vote on
// application $1.
const eligibleVoter = `u.is_board AND u.active
	AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = $1 AND c.user_id = u.id AND c.has_conflict)
	AND NOT EXISTS (SELECT 1 FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
		WHERE a.id = $1 AND m.user_id = u.id)`

// tally counts a vote as vote.Service.Close does, into the record it keeps.
func (s *seeder) tally(appID, voteID int64) vote.Record {
	var rec vote.Record
	if s.err != nil {
		return rec
	}
	if err := s.tx.SelectContext(s.ctx, &rec.Recused, `SELECT u.name FROM conflicts c JOIN users u ON u.id = c.user_id
		WHERE c.application_id = $1 AND c.has_conflict AND u.is_board AND u.active ORDER BY u.name`, appID); err != nil {
		s.fail(err)
		return rec
	}
	var eligible int
	if err := s.tx.GetContext(s.ctx, &eligible, `SELECT count(*) FROM users u WHERE `+eligibleVoter, appID); err != nil {
		s.fail(err)
		return rec
	}
	if err := s.tx.SelectContext(s.ctx, &rec.Ballots, `SELECT u.name, b.choice, b.comment FROM ballots b JOIN users u ON u.id = b.user_id
		WHERE b.vote_id = $2 AND `+eligibleVoter+` ORDER BY u.name`, appID, voteID); err != nil {
		s.fail(err)
		return rec
	}
	choices := make([]vote.Choice, len(rec.Ballots))
	for i, b := range rec.Ballots {
		choices[i] = b.Choice
	}
	rec.Result = vote.Tally(eligible, choices, vote.DefaultRules)
	return rec
}

// fund records the award of an approved application, its instalments, what
// has been paid, and the trip's report, as far as each has got by today.
func (s *seeder) fund(appID, voteID int64, a app, amount money.Cents, closedDay int, c *application.Checked) {
	awardDay := closedDay + awardAfter
	awarded := s.at(awardDay, 15, 10)
	tripEnd := int(c.TripEnd.Sub(s.base).Hours() / 24)
	awardID := s.id(`INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, currency, conditions, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, 'USD', $6, $7, $8) RETURNING id`,
		appID, s.round[a.round], voteID, awarded.Year(), amount, a.conditions, s.user["sofia"], awarded)
	first := amount * 7 / 10
	first -= first % 100_00 // whole hundreds of dollars, as people round
	inst1 := s.id(`INSERT INTO instalments (award_id, position, amount_cents, due_on, condition) VALUES ($1, 1, $2, $3, 'before_trip') RETURNING id`,
		awardID, first, s.date(awardDay+14))
	inst2 := s.id(`INSERT INTO instalments (award_id, position, amount_cents, due_on, condition) VALUES ($1, 2, $2, $3, 'report_accepted') RETURNING id`,
		awardID, amount-first, s.date(tripEnd+reportDueDays))
	s.audit(awarded, "sofia", "award.created", "application", appID, map[string]any{"award_id": awardID, "amount_cents": amount, "instalments": 2})
	s.agreement(appID, awardID, a, c, awarded, []papers.Instalment{
		{Amount: first, DueOn: s.date(awardDay + 14), Condition: "before_trip"},
		{Amount: amount - first, DueOn: s.date(tripEnd + reportDueDays), Condition: "report_accepted"}})
	if a.unsigned {
		return // no money moves before the charity signs
	}

	payDay := awardDay + payAfter
	if a.payPending {
		payDay = -2
	}
	s.pay(appID, awardID, inst1, first, payDay, "wire", a.payPending)

	s.reminded(appID, tripEnd, a.reportState)
	if a.reportState == reportNone {
		return
	}
	accepted := s.report(appID, a, tripEnd)
	if accepted != nil {
		s.pay(appID, awardID, inst2, amount-first, *accepted+6, "ach", false)
	}
}

// agreement issues the award's grant agreement as agreement.IssueTx does
// (the terms from the template in the charity's language, their PDF and
// its SHA-256) and, unless a.unsigned, has the member who applied sign it
// two days later as agreement.Sign does (the statement ticked, the signed
// copy with its signature page): no payment goes before it.
func (s *seeder) agreement(appID, awardID int64, a app, c *application.Checked, issued time.Time, schedule []papers.Instalment) {
	if s.err != nil {
		return
	}
	lang := s.orgLang[a.org]
	facts := papers.Agreement{Lang: lang, Number: fmt.Sprintf("%d-%d", issued.Year(), awardID), Organization: s.orgName[a.org],
		Title: c.Title, Amount: c.AmountRequested - a.cut, Currency: "USD", Instalments: schedule, Conditions: a.conditions,
		TripStart: c.TripStart, TripEnd: c.TripEnd, ReportDue: c.TripEnd.AddDate(0, 0, reportDueDays), IssuedAt: issued.Truncate(time.Second)}
	if err := s.tx.GetContext(s.ctx, &facts.Template, `SELECT body FROM agreement_templates WHERE language = $1`, lang); err != nil {
		s.fail(err)
		return
	}
	text, err := s.papers.AgreementText(facts)
	if err != nil {
		s.fail(err)
		return
	}
	unsigned, err := s.papers.Agreement(facts, text, nil)
	if err != nil {
		s.fail(err)
		return
	}
	sum := sha256.Sum256(unsigned)
	sha := hex.EncodeToString(sum[:])
	if a.unsigned {
		id := s.id(`INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, awardID, appID, lang, text, unsigned, sha, s.user["sofia"], facts.IssuedAt)
		s.audit(facts.IssuedAt, "sofia", "agreement.issued", "application", appID, map[string]any{"agreement_id": id, "sha256": sha, "language": lang})
		return
	}
	title := map[string]string{"en": "Program director", "es": "Directora de programas"}[lang]
	sig := papers.Signature{Name: s.userName[a.by], Title: title, Email: s.email[a.by], At: issued.AddDate(0, 0, 2).Add(3 * time.Hour),
		IP: "203.0.113.24", Statement: s.papers.Statement(lang, s.orgName[a.org]), SHA256: sha}
	signed, err := s.papers.Agreement(facts, text, &sig)
	if err != nil {
		s.fail(err)
		return
	}
	id := s.id(`INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at,
			signed_by, signer_name, signer_title, signer_ip, statement, signed_at, signed_pdf)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		awardID, appID, lang, text, unsigned, sha, s.user["sofia"], facts.IssuedAt,
		s.user[a.by], sig.Name, sig.Title, sig.IP, sig.Statement, sig.At, signed)
	s.audit(facts.IssuedAt, "sofia", "agreement.issued", "application", appID, map[string]any{"agreement_id": id, "sha256": sha, "language": lang})
	signedSum := sha256.Sum256(signed)
	s.audit(sig.At, a.by, "agreement.signed", "application", appID, map[string]any{"agreement_id": id, "sha256": sha,
		"signed_sha256": hex.EncodeToString(signedSum[:]), "signer_name": sig.Name, "signer_title": sig.Title, "ip": sig.IP, "statement": sig.Statement, "language": lang})
}

// reminded records the report reminders the job queue sent before today
// (report.RemindDue: two weeks before the due day, and once it passed), so
// the first start does not send them all again.
func (s *seeder) reminded(appID int64, tripEnd int, state string) {
	if state == reportSubmitted || state == reportAccepted {
		return // in before any reminder
	}
	due := tripEnd + reportDueDays
	for _, r := range []struct {
		kind string
		day  int
	}{{"before", due - 14}, {"after", due + 1}} {
		if r.day < 0 {
			s.exec(`INSERT INTO report_reminders (application_id, kind, sent_at) VALUES ($1, $2, $3)`, appID, r.kind, s.at(r.day, 6, 0))
		}
	}
}

// pay records a payment by the staff admin; one of the threshold or more
// is approved by the other admin the next morning unless left waiting.
func (s *seeder) pay(appID, awardID, instalmentID int64, amount money.Cents, day int, method string, waiting bool) {
	s.serial++
	at := s.at(day, 15, 30)
	needsApproval := amount >= approvalThreshold
	ref := fmt.Sprintf("IPA-%d-%03d", at.Year(), 100+s.serial)
	key := fmt.Sprintf("demo-payment-%04d-%s", s.serial, s.date(day).Format("20060102"))
	payID := s.id(`INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, idempotency_key,
			needs_approval, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		instalmentID, awardID, amount, s.date(day), method, ref, key, needsApproval, s.user["sofia"], at)
	s.audit(at, "sofia", "payment.recorded", "application", appID, map[string]any{"payment_id": payID, "instalment_id": instalmentID,
		"amount_cents": amount, "method": method, "needs_approval": needsApproval, "override_reason": ""})
	if !needsApproval || waiting {
		return
	}
	approved := s.at(day+1, 9, 20)
	s.exec(`INSERT INTO payment_approvals (payment_id, approved_by, approved_at) VALUES ($1, $2, $3)`, payID, s.user["ada"], approved)
	s.audit(approved, "ada", "payment.approved", "application", appID, map[string]any{"payment_id": payID})
}

// caseMix writes a submitted report's case mix and perfusion measures, as
// report.Submit does.
func (s *seeder) caseMix(appID int64, fig *report.Figures) {
	for _, r := range fig.Mix {
		if r.Cases == 0 {
			continue
		}
		var hospital, after, ssi, bsi, predicted any
		if r.AgeGroup == report.Child {
			hospital, after, ssi, bsi = r.DeathsHospital, r.DeathsAfter, r.SSI, r.BSI
		} else if r.HasPredicted {
			predicted = r.Predicted
		}
		s.exec(`INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi, predicted)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, appID, r.AgeGroup, r.Category, r.Cases, r.Deaths, hospital, after, ssi, bsi, predicted)
	}
	p := fig.Perfusion
	s.exec(`UPDATE reports SET adult_score = NULLIF($2, ''), perf_bypass_cases = $3, perf_bypass_minutes = $4, perf_clamp_minutes = $5,
			perf_transfused = $6, perf_lowest_hct = $7 WHERE application_id = $1`,
		appID, fig.AdultScore, p.BypassCases, p.BypassMinutes, p.ClampMinutes, p.Transfused, p.LowestHct)
}

// report writes the trip's report as far as it has got, and returns the
// day it was accepted, if it was.
func (s *seeder) report(appID int64, a app, tripEnd int) *int {
	lang := s.orgLang[a.org]
	f := a.results.form(a, lang)
	raw, _ := json.Marshal(f)
	started := s.at(tripEnd+9, 20, 30)
	if a.reportState == reportDraft {
		s.exec(`INSERT INTO reports (application_id, data, created_at, updated_at) VALUES ($1, $2, $3, $4)`,
			appID, raw, started, started.AddDate(0, 0, 3))
		return nil
	}
	fig, err := f.Validate(lang)
	if err != nil {
		s.fail(fmt.Errorf("the report of %q does not validate: %v", a.key, err))
		return nil
	}
	subDay := tripEnd + 20
	if a.reportState == reportSubmitted {
		subDay = -6
	}
	submitted := s.at(subDay, 17, 45)
	s.exec(`INSERT INTO reports (application_id, status, data, patients, pediatric, open_heart, bypass, interventional, deaths,
			submitted_at, created_at, updated_at)
		VALUES ($1, 'submitted', $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)`,
		appID, raw, fig.Patients, fig.Pediatric, fig.OpenHeart, fig.Bypass, fig.Interventional, fig.Deaths, submitted, started)
	s.caseMix(appID, fig)
	s.audit(submitted, a.by, "report.submitted", "application", appID, map[string]any{"patients": fig.Patients})
	if a.reportState == reportSubmitted {
		return nil
	}
	acceptDay := subDay + 12
	accepted := s.at(acceptDay, 10, 5)
	s.exec(`UPDATE reports SET status = 'accepted', accepted_at = $2, accepted_by = $3, reviewed_at = $2, reviewed_by = $3, updated_at = $2
		WHERE application_id = $1`, appID, accepted, s.user["sofia"])
	s.audit(accepted, "sofia", "report.accepted", "application", appID, map[string]any{"note": ""})
	return &acceptDay
}
