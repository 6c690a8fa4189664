package vote_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/review"
	"missiongrants/internal/testenv"
	"missiongrants/internal/vote"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type board struct {
	db      *sqlx.DB
	queue   *mailtest.Outbox
	apps    *application.Service
	reviews *review.Service
	votes   *vote.Service
	admin   *account.User
	members []*account.User
	now     time.Time
	app     int64
}

// setup: a submitted application, an admin, n board members.
func setup(t *testing.T, n int) *board {
	t.Helper()
	pool := dbtest.New(t)
	b := &board{db: pool, queue: mailtest.NewOutbox(t), now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return b.now }
	outbox := b.queue.Outbox
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	b.apps = application.New(pool, application.Options{Outbox: outbox, Letters: papers.New(cat), BaseURL: "https://grants.example.org", Now: clock})
	b.reviews = review.New(pool, review.Options{Now: clock})
	b.votes = vote.New(pool, vote.Options{Outbox: outbox, Papers: papers.New(cat), BaseURL: "https://grants.example.org", Now: clock})
	b.admin = b.user(t, "admin@ipa.example", false, true)
	for i := range n {
		b.members = append(b.members, b.user(t, fmt.Sprintf("member%d@ipa.example", i), true, false))
	}
	applicant := b.user(t, "lucia@corazones.example", false, false)
	if _, err = pool.Exec(`UPDATE users SET language = 'es' WHERE id = $1`, applicant.ID); err != nil {
		t.Fatal(err)
	}
	err = pool.Get(&b.app, `
		WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			VALUES ('Corazones', 'DO', '1', $1, now()) RETURNING id),
		m AS (INSERT INTO organization_members (organization_id, user_id) SELECT id, $1 FROM o),
		r AS (INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id)
		INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
		SELECT o.id, r.id, 'submitted', 1, 'Misión Santo Domingo', 2000000, now(), $1 FROM o, r RETURNING id`, applicant.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *board) user(t *testing.T, email string, isBoard, isAdmin bool) *account.User {
	t.Helper()
	var u account.User
	if err := b.db.Get(&u, `INSERT INTO users (email, name, is_board, is_admin, email_confirmed_at) VALUES ($1, $1, $2, $3, now())
		RETURNING id, email, name, is_admin, is_board, active, language`, email, isBoard, isAdmin); err != nil {
		t.Fatal(err)
	}
	return &u
}

func act(u *account.User) account.Actor { return account.Actor{UserID: u.ID, IP: "203.0.113.5"} }

// toBoard screens the application through to the board and returns the
// mail that sent (the board's notice that it is before them), so the tests
// after it read only their own step's mail.
func (b *board) toBoard(t *testing.T) []mail.Message {
	t.Helper()
	checks := map[string]bool{}
	for _, c := range application.ScreeningChecks {
		checks[c] = true
	}
	if err := b.apps.Screen(context.Background(), act(b.admin), b.admin, b.app, application.Screening{Checks: checks, Outcome: application.ToBoard}); err != nil {
		t.Fatal(err)
	}
	return b.queue.Take()
}

func (b *board) open(t *testing.T) int64 {
	t.Helper()
	id, err := b.votes.OpenVote(context.Background(), act(b.admin), b.admin, b.app,
		vote.Input{Proposed: "18,000", Conditions: "Report within 60 days.", ClosesAt: "2026-12-01T18:00"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (b *board) declare(t *testing.T, u *account.User, conflict bool) {
	t.Helper()
	if err := b.reviews.Declare(context.Background(), act(u), u, b.app, conflict, ""); err != nil {
		t.Fatal(err)
	}
}

// reviewsSeenBy is what the application's page lists of the reviews for u.
func (b *board) reviewsSeenBy(t *testing.T, u *account.User) ([]review.Review, error) {
	t.Helper()
	who, facts, err := policy.Load(context.Background(), b.db, u, b.app, b.now, policy.NoLock)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.reviews.Panel(context.Background(), u, policy.For(who, facts), b.app)
	if err != nil {
		return nil, err
	}
	return p.Reviews, nil
}

func (b *board) status(t *testing.T) string {
	var s string
	if err := b.db.Get(&s, `SELECT status FROM applications WHERE id = $1`, b.app); err != nil {
		t.Fatal(err)
	}
	return s
}

// A recused member cannot vote by any route, their absence counts right in
// the quorum, a changed vote counts once, and the charity hears the decision
// in its language.
func TestRecusalQuorumAndDecision(t *testing.T) {
	t.Parallel()
	b := setup(t, 5)
	ctx := context.Background()
	recused, undeclared := b.members[0], b.members[4]
	b.toBoard(t)
	b.declare(t, recused, true)
	for _, m := range b.members[1:4] {
		b.declare(t, m, false)
	}
	v := b.open(t)
	if b.status(t) != "voting" {
		t.Fatalf("status %s after opening the vote", b.status(t))
	}
	// The recused and the undeclared are refused, through the service and straight in SQL.
	if err := b.votes.Cast(ctx, act(recused), recused, v, vote.Approve, ""); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("recused member voted: %v", err)
	}
	if err := b.votes.Cast(ctx, act(undeclared), undeclared, v, vote.Approve, ""); !errors.Is(err, policy.ErrUndeclared) {
		t.Errorf("undeclared member voted: %v", err)
	}
	if _, err := b.db.Exec(`INSERT INTO ballots (vote_id, user_id, choice, cast_at) VALUES ($1, $2, 'approve', now())`, v, recused.ID); err == nil {
		t.Error("the database accepted a recused member's ballot")
	}
	if err := b.reviews.Submit(ctx, act(recused), recused, b.app, review.Input{Recommendation: "approve", Scores: map[string]string{
		"need": "5", "clinical_capacity": "5", "budget": "5", "sustainability": "5", "track_record": "5"}}); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("recused member scored: %v", err)
	}

	must(t, b.votes.Cast(ctx, act(b.members[1]), b.members[1], v, vote.Approve, ""))
	must(t, b.votes.Cast(ctx, act(b.members[2]), b.members[2], v, vote.Decline, "budget unclear"))
	must(t, b.votes.Cast(ctx, act(b.members[2]), b.members[2], v, vote.Approve, "clarified")) // changed
	must(t, b.votes.Cast(ctx, act(b.members[3]), b.members[3], v, vote.Abstain, ""))

	rec, err := b.votes.Close(ctx, act(b.admin), b.admin, v)
	if err != nil {
		t.Fatal(err)
	}
	// Eligible: 5 members less 1 recused = 4; 3 ballots is a quorum; 2 approve, 0 decline.
	if rec.Eligible != 4 || rec.Cast != 3 || !rec.QuorumMet || rec.Approve != 2 || rec.Decline != 0 || rec.Decision != vote.Approved {
		t.Fatalf("record %+v", rec.Result)
	}
	if len(rec.Recused) != 1 || rec.Recused[0] != recused.Name || len(rec.Ballots) != 3 {
		t.Fatalf("record: recused %v, ballots %+v", rec.Recused, rec.Ballots)
	}
	if b.status(t) != "approved" {
		t.Fatalf("status %s after approval", b.status(t))
	}
	// The board decided, not the admin who closed the vote.
	var decidedBy sql.NullInt64
	if err := b.db.Get(&decidedBy, `SELECT actor_id FROM application_events WHERE application_id = $1 AND event = 'approve'`, b.app); err != nil || decidedBy.Valid {
		t.Errorf("the timeline credits the decision to user %v (%v), want the board", decidedBy, err)
	}
	m := b.queue.To("lucia@corazones.example")
	if len(m) != 1 || !strings.Contains(m[0].Subject, "aprobada") || !strings.Contains(m[0].Text, "US$18.000,00") || !strings.Contains(m[0].Text, "Report within 60 days.") {
		t.Fatalf("decision mail: %+v", m)
	}
	// The award letter comes with it, as a PDF in the charity's Spanish.
	if len(m[0].Attachments) != 1 || m[0].Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("the decision mail's attachments: %d", len(m[0].Attachments))
	}
	letter := strings.Join(strings.Fields(testenv.PDFText(t, m[0].Attachments[0].Data)), " ")
	for _, want := range []string{"Concesión de la subvención", "US$18.000,00", "Report within 60 days."} {
		if !strings.Contains(letter, want) {
			t.Errorf("the award letter lacks %q:\n%s", want, letter)
		}
	}
	// A closed vote never changes.
	if err := b.votes.Cast(ctx, act(b.members[1]), b.members[1], v, vote.Decline, ""); !errors.Is(err, vote.ErrClosed) {
		t.Errorf("a ballot after the close: %v", err)
	}
	if _, err := b.db.Exec(`UPDATE ballots SET choice = 'decline' WHERE vote_id = $1`, v); err == nil {
		t.Error("the database let a closed vote's ballot change")
	}
	if _, err := b.votes.Close(ctx, act(b.admin), b.admin, v); !errors.Is(err, vote.ErrClosed) {
		t.Errorf("closed twice: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Without quorum there is no decision; the application goes back to review
// and a new vote can be opened.
func TestNoQuorumNoDecisionAndReopen(t *testing.T) {
	t.Parallel()
	b := setup(t, 4)
	ctx := context.Background()
	b.toBoard(t)
	b.declare(t, b.members[0], false)
	v := b.open(t)
	must(t, b.votes.Cast(ctx, act(b.members[0]), b.members[0], v, vote.Approve, ""))
	rec, err := b.votes.Close(ctx, act(b.admin), b.admin, v)
	if err != nil || rec.QuorumMet || rec.Decision != vote.NoDecision {
		t.Fatalf("record %+v, %v", rec, err)
	}
	if b.status(t) != "in_review" {
		t.Fatalf("status %s", b.status(t))
	}
	if len(b.queue.To("lucia@corazones.example")) != 0 {
		t.Error("the charity was told of a non-decision")
	}
	b.open(t) // reopened
}

// The clock closes a due vote, once, even with two processes running the job.
func TestVotesCloseByTheClockOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	b.toBoard(t)
	v := b.open(t)
	if n, err := b.votes.CloseDue(ctx); err != nil || n != 0 {
		t.Fatalf("closed %d before time: %v", n, err)
	}
	b.now = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	other := vote.New(b.db, vote.Options{Outbox: &mail.Outbox{}, Now: func() time.Time { return b.now }})
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, svc := range []*vote.Service{b.votes, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := svc.CloseDue(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Fatalf("closed %v times", counts)
	}
	cur, _ := b.votes.Current(ctx, b.admin, b.app)
	if cur.ID != v || cur.ClosedAt == nil {
		t.Fatalf("vote %+v", cur)
	}
}

// Ballots racing the close: each either lands before it (and is counted) or
// is refused; none lands after.
func TestBallotsRacingTheClose(t *testing.T) {
	testenv.Full(t, "a race run many times (slow)")
	t.Parallel()
	for round := 0; round < 5; round++ {
		b := setup(t, 12)
		ctx := context.Background()
		b.toBoard(t)
		for _, m := range b.members {
			b.declare(t, m, false)
		}
		v := b.open(t)
		var wg sync.WaitGroup
		errs := make([]error, len(b.members))
		start := make(chan struct{})
		for i, m := range b.members {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = b.votes.Cast(ctx, act(m), m, v, vote.Approve, "")
			}()
		}
		var rec *vote.Record
		var closeErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			rec, closeErr = b.votes.Close(ctx, act(b.admin), b.admin, v)
		}()
		close(start)
		wg.Wait()
		must(t, closeErr)
		landed := 0
		for _, err := range errs {
			switch {
			case err == nil:
				landed++
			case !errors.Is(err, vote.ErrClosed):
				t.Fatalf("unexpected: %v", err)
			}
		}
		var stored int
		must(t, b.db.Get(&stored, `SELECT count(*) FROM ballots WHERE vote_id = $1`, v))
		if landed != rec.Cast || stored != rec.Cast {
			t.Fatalf("round %d: %d ballots accepted, %d stored, %d counted", round, landed, stored, rec.Cast)
		}
	}
}

func TestScreeningDeclineTellsTheCharityWhy(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	ctx := context.Background()
	err := b.apps.Screen(ctx, act(b.admin), b.admin, b.app, application.Screening{Outcome: application.ToBoard, Checks: map[string]bool{"cardiac_mission": true}})
	var fe i18n.FieldErrors
	if !errors.As(err, &fe) || fe["checks"].Key != "error.screening.checks" {
		t.Fatalf("incomplete checklist: %v", err)
	}
	if err := b.apps.Screen(ctx, act(b.members[0]), b.members[0], b.app, application.Screening{Outcome: application.Decline, Note: "x"}); !errors.Is(err, application.ErrForbidden) {
		t.Fatalf("a board member screened: %v", err)
	}
	must(t, b.apps.Screen(ctx, act(b.admin), b.admin, b.app, application.Screening{Outcome: application.Decline, Note: "Cardiology only, no surgery."}))
	if b.status(t) != "declined" {
		t.Fatalf("status %s", b.status(t))
	}
	m := b.queue.To("lucia@corazones.example")
	if len(m) != 1 || !strings.Contains(m[0].Subject, "Decisión sobre su solicitud") || !strings.Contains(m[0].Text, "Cardiology only, no surgery.") {
		t.Fatalf("mail: %+v", m)
	}
	// With the decline letter, in her Spanish, saying why.
	if len(m[0].Attachments) != 1 || !strings.Contains(strings.Join(strings.Fields(testenv.PDFText(t, m[0].Attachments[0].Data)), " "), "Cardiology only, no surgery.") {
		t.Fatalf("the decline mail's letter: %d attachments", len(m[0].Attachments))
	}
	// An impossible move is refused: voting on a declined application.
	if _, err := b.votes.OpenVote(ctx, act(b.admin), b.admin, b.app, vote.Input{Proposed: "1", ClosesAt: "2026-12-01"}); !errors.Is(err, policy.ErrInvalidTransition) {
		t.Fatalf("a vote on a declined application: %v", err)
	}
}

// A board member sees the others' scores only after submitting their own.
func TestReviewsHiddenUntilOwnSubmitted(t *testing.T) {
	t.Parallel()
	b := setup(t, 2)
	ctx := context.Background()
	b.toBoard(t)
	first, second := b.members[0], b.members[1]
	if err := b.reviews.Submit(ctx, act(first), first, b.app, full("5")); !errors.Is(err, policy.ErrUndeclared) {
		t.Fatalf("scored before declaring: %v", err)
	}
	b.declare(t, first, false)
	b.declare(t, second, false)
	var fe i18n.FieldErrors
	bad := full("6")
	if err := b.reviews.Submit(ctx, act(first), first, b.app, bad); !errors.As(err, &fe) || fe["score_need"].Key != "error.number.range" {
		t.Fatalf("score 6: %v", err)
	}
	must(t, b.reviews.Submit(ctx, act(first), first, b.app, full("5")))
	if r, _ := b.reviewsSeenBy(t, second); len(r) != 0 {
		t.Fatalf("the second member sees %d reviews before writing one", len(r))
	}
	must(t, b.reviews.Submit(ctx, act(second), second, b.app, full("4")))
	r, err := b.reviewsSeenBy(t, second)
	if err != nil || len(r) != 2 {
		t.Fatalf("reviews: %d, %v", len(r), err)
	}
	if r[0].Weighted() != "3.80" { // (5+5+3+3+3)/5
		t.Errorf("weighted %s", r[0].Weighted())
	}
	// A conflict declared later recuses: the discussion and scores close to them.
	if err := b.reviews.Declare(ctx, act(second), second, b.app, true, "my cousin's charity"); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.reviewsSeenBy(t, second); len(r) != 0 {
		t.Error("a recused member still sees the scores")
	}
	if err := b.reviews.Discuss(ctx, act(second), second, b.app, "hello"); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("a recused member discussed: %v", err)
	}
	if err := b.reviews.Declare(ctx, act(second), second, b.app, false, ""); !errors.Is(err, review.ErrAlreadyDeclared) {
		t.Errorf("a conflict was withdrawn by the member: %v", err)
	}
}

// A day before the close, the members who may vote and have not are
// reminded, once, whichever process runs the job.
func TestRemindersOnceToThoseWhoHaveNotVoted(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	b.toBoard(t)
	voted, recused, silent := b.members[0], b.members[1], b.members[2]
	b.declare(t, voted, false)
	b.declare(t, recused, true)
	v := b.open(t)
	must(t, b.votes.Cast(ctx, act(voted), voted, v, vote.Approve, ""))
	if n, _ := b.votes.RemindDue(ctx); n != 0 {
		t.Fatalf("reminded %d votes six days early", n)
	}
	b.now = time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC) // 23 hours before the close
	other := vote.New(b.db, vote.Options{Outbox: b.queue.Outbox, Now: func() time.Time { return b.now }})
	n1, err1 := b.votes.RemindDue(ctx)
	n2, err2 := other.RemindDue(ctx)
	if err1 != nil || err2 != nil || n1+n2 != 1 {
		t.Fatalf("reminded %d+%d times: %v %v", n1, n2, err1, err2)
	}
	if len(b.queue.To(silent.Email)) != 2 { // the opening notice and the reminder
		t.Errorf("the silent member got %d mails", len(b.queue.To(silent.Email)))
	}
	if len(b.queue.To(voted.Email)) != 1 || len(b.queue.To(recused.Email)) != 0 {
		t.Errorf("voter got %d, recused got %d", len(b.queue.To(voted.Email)), len(b.queue.To(recused.Email)))
	}
}

// A member who chose a daily summary gets the vote's notice in it, once,
// in their language; the others get it at once.
func TestDigestGathersBoardNotices(t *testing.T) {
	t.Parallel()
	b := setup(t, 2)
	ctx := context.Background()
	digest, immediate := b.members[0], b.members[1]
	if _, err := b.db.Exec(`UPDATE users SET notify_digest = true, language = 'es' WHERE id = $1`, digest.ID); err != nil {
		t.Fatal(err)
	}
	b.toBoard(t)
	b.open(t)
	if len(b.queue.To(immediate.Email)) != 1 {
		t.Fatalf("the immediate member got %d mails", len(b.queue.To(immediate.Email)))
	}
	if len(b.queue.To(digest.Email)) != 0 {
		t.Fatal("the digest member was mailed at once")
	}
	n1, err1 := b.votes.SendDigests(ctx)
	n2, err2 := b.votes.SendDigests(ctx)
	if err1 != nil || err2 != nil || n1 != 1 || n2 != 0 {
		t.Fatalf("digests sent: %d then %d (%v %v)", n1, n2, err1, err2)
	}
	m := b.queue.To(digest.Email)
	// One summary holds both notices: the application before the board, and its vote.
	if len(m) != 1 || !strings.Contains(m[0].Subject, "resumen diario: 2 avisos") || !strings.Contains(m[0].Text, "Ante la Junta: Misión Santo Domingo") ||
		!strings.Contains(m[0].Text, "Votación de la junta abierta: Misión Santo Domingo") {
		t.Fatalf("digest: %+v", m)
	}
}

// full is a review scoring need and clinical capacity n, the rest 3.
func full(n string) review.Input {
	return review.Input{Recommendation: "approve", Comment: "ok", Scores: map[string]string{
		"need": n, "clinical_capacity": n, "budget": "3", "sustainability": "3", "track_record": "3"}}
}
