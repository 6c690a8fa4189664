package review_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/policy"
	"missiongrants/internal/review"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var ctx = context.Background()

type fixture struct {
	db        *sqlx.DB
	svc       *review.Service
	now       time.Time
	app       int64
	admin     *account.User
	applicant *account.User
}

// setup: an application before the board (in review), an admin, and the
// charity's applicant.
func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{db: dbtest.New(t), now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	f.svc = review.New(f.db, review.Options{Now: func() time.Time { return f.now }})
	f.admin = f.user(t, "admin@ipa.example", "Ida Admin", false, true)
	f.applicant = f.user(t, "lucia@corazones.example", "Lucía", false, false)
	if err := f.db.Get(&f.app, `
		WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			VALUES ('Corazones', 'DO', '1', $1, now()) RETURNING id),
		m AS (INSERT INTO organization_members (organization_id, user_id) SELECT id, $1 FROM o),
		r AS (INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id)
		INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
		SELECT o.id, r.id, 'in_review', 1, 'Misión Santo Domingo', 2000000, now(), $1 FROM o, r RETURNING id`, f.applicant.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) user(t *testing.T, email, name string, isBoard, isAdmin bool) *account.User {
	t.Helper()
	var u account.User
	if err := f.db.Get(&u, `INSERT INTO users (email, name, is_board, is_admin, email_confirmed_at) VALUES ($1, $2, $3, $4, now())
		RETURNING id, email, name, is_admin, is_board, active, language`, email, name, isBoard, isAdmin); err != nil {
		t.Fatal(err)
	}
	return &u
}

// member is a board member who has declared no conflict on the application.
func (f *fixture) member(t *testing.T, email, name string) *account.User {
	t.Helper()
	u := f.user(t, email, name, true, false)
	if err := f.svc.Declare(ctx, act(u), u, f.app, false, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

func act(u *account.User) account.Actor { return account.Actor{UserID: u.ID, IP: "203.0.113.5"} }

// can is what u may do to the application now, as its page asks.
func (f *fixture) can(t *testing.T, u *account.User) policy.Can {
	t.Helper()
	who, facts, err := policy.Load(ctx, f.db, u, f.app, f.now, policy.NoLock)
	if err != nil {
		t.Fatal(err)
	}
	return policy.For(who, facts)
}

// panel is the board's panel on the application as u's page reads it.
func (f *fixture) panel(t *testing.T, u *account.User) *review.Panel {
	t.Helper()
	p, err := f.svc.Panel(context.Background(), u, f.can(t, u), f.app)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scores gives every active criterion the same score.
func (f *fixture) scores(t *testing.T, score string) map[string]string {
	t.Helper()
	criteria, err := f.svc.Criteria(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range criteria {
		out[c.Key] = score
	}
	return out
}

// fieldErrors is err's fields and their message keys, or fails the test.
func fieldErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	var fe i18n.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want field errors, got %v", err)
	}
	out := map[string]string{}
	for field, m := range fe {
		out[field] = m.Key
	}
	return out
}

func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Get(&n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// The weighted score is the mean of the scores weighted by their criteria's
// weights, kept in thousandths and shown with two decimals (truncated); a
// retired criterion is not asked.
func TestSubmitWeighsTheScoresByCriterion(t *testing.T) {
	t.Parallel()
	f := setup(t)
	if _, err := f.db.Exec(`UPDATE review_criteria SET weight = 3 WHERE key = 'need'; UPDATE review_criteria SET active = false WHERE key = 'track_record'`); err != nil {
		t.Fatal(err)
	}
	ana := f.member(t, "ana@ipa.example", "Ana")
	in := review.Input{Scores: map[string]string{"need": "5", "clinical_capacity": "2", "budget": "2", "sustainability": " 2 "},
		Comment: "  Strong need.  ", Recommendation: "approve"}
	if err := f.svc.Submit(ctx, act(ana), ana, f.app, in); err != nil {
		t.Fatal(err)
	}
	// (5×3 + 2+2+2) / (3+1+1+1) = 21/6 = 3.5
	got := f.panel(t, ana).Reviews
	if len(got) != 1 {
		t.Fatalf("reviews %+v", got)
	}
	r := got[0]
	if r.WeightedMilli != 3500 || r.Weighted() != "3.50" || r.Scores["need"] != 5 || r.Scores["sustainability"] != 2 || len(r.Scores) != 4 {
		t.Errorf("review %+v: weighted %s", r, r.Weighted())
	}
	if r.Comment != "Strong need." || r.Recommendation != "approve" || r.Name != "Ana" || !r.SubmittedAt.Equal(f.now) {
		t.Errorf("review %+v", r)
	}
	if n := f.count(t, `SELECT count(*) FROM audit WHERE action = 'review.submitted' AND actor_id = $1`, ana.ID); n != 1 {
		t.Errorf("%d audit rows, want 1", n)
	}
}

func TestWeightedShowsTwoDecimals(t *testing.T) {
	t.Parallel()
	for milli, want := range map[int]string{1000: "1.00", 3285: "3.28", 3405: "3.40", 4999: "4.99", 5000: "5.00"} {
		if got := (review.Review{WeightedMilli: milli}).Weighted(); got != want {
			t.Errorf("%d: %q, want %q", milli, got, want)
		}
	}
}

// A review with mistakes is refused whole, each field with its message,
// and nothing is written.
func TestSubmitNamesEachFieldItRefuses(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.member(t, "ana@ipa.example", "Ana")
	in := review.Input{Scores: f.scores(t, "3"), Recommendation: "maybe", Comment: strings.Repeat("x", 10001)}
	delete(in.Scores, "need")
	in.Scores["budget"] = "6"
	in.Scores["track_record"] = "three"
	got := fieldErrors(t, f.svc.Submit(ctx, act(ana), ana, f.app, in))
	want := map[string]string{"score_need": "error.field.required", "score_budget": "error.number.range",
		"score_track_record": "error.number.invalid", "recommendation": "error.field.choose", "comment": "error.field.too_long"}
	if len(got) != len(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for field, key := range want {
		if got[field] != key {
			t.Errorf("%s: %q, want %q", field, got[field], key)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM reviews`); n != 0 {
		t.Errorf("%d reviews written", n)
	}
}

// Submitting again replaces one's review.
func TestSubmitAgainReplacesTheReview(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.member(t, "ana@ipa.example", "Ana")
	for _, rec := range []string{"decline", "more_info"} {
		if err := f.svc.Submit(ctx, act(ana), ana, f.app, review.Input{Scores: f.scores(t, "4"), Recommendation: rec}); err != nil {
			t.Fatal(err)
		}
	}
	var recs []string
	if err := f.db.Select(&recs, `SELECT recommendation FROM reviews WHERE application_id = $1`, f.app); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0] != "more_info" {
		t.Errorf("reviews %v, want the second alone", recs)
	}
}

// Only a board member who declared no conflict reviews; the charity's
// people and admins who are not on the board do not.
func TestWhoMayReview(t *testing.T) {
	t.Parallel()
	f := setup(t)
	undeclared := f.user(t, "bo@ipa.example", "Bo", true, false)
	recused := f.user(t, "cy@ipa.example", "Cy", true, false)
	if err := f.svc.Declare(ctx, act(recused), recused, f.app, true, "my cousin runs it"); err != nil {
		t.Fatal(err)
	}
	in := review.Input{Scores: f.scores(t, "4"), Recommendation: "approve"}
	for _, tc := range []struct {
		who  *account.User
		want error
	}{
		{undeclared, policy.ErrUndeclared},
		{recused, policy.ErrRecused},
		{f.admin, policy.ErrNotBoard},
		{f.applicant, policy.ErrNotBoard},
	} {
		if err := f.svc.Submit(ctx, act(tc.who), tc.who, f.app, in); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.who.Email, err, tc.want)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM reviews`); n != 0 {
		t.Errorf("%d reviews written", n)
	}
}

// A board member reads the others' reviews only once they submitted their
// own (so as not to be swayed); an admin reads them all without reviewing;
// the charity never.
func TestReviewsAreReadAfterSubmittingOnesOwn(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.member(t, "ana@ipa.example", "Ana")
	bo := f.member(t, "bo@ipa.example", "Bo")
	if err := f.svc.Submit(ctx, act(ana), ana, f.app, review.Input{Scores: f.scores(t, "5"), Recommendation: "approve"}); err != nil {
		t.Fatal(err)
	}
	names := func(u *account.User) []string {
		t.Helper()
		var out []string
		for _, r := range f.panel(t, u).Reviews {
			out = append(out, r.Name)
		}
		return out
	}
	if got := names(bo); len(got) != 0 {
		t.Errorf("before reviewing, Bo reads %v", got)
	}
	if got := names(f.admin); len(got) != 1 || got[0] != "Ana" {
		t.Errorf("the admin reads %v, want Ana's", got)
	}
	if got := names(f.applicant); len(got) != 0 {
		t.Errorf("the charity reads %v", got)
	}
	f.now = f.now.Add(time.Hour)
	if err := f.svc.Submit(ctx, act(bo), bo, f.app, review.Input{Scores: f.scores(t, "2"), Recommendation: "decline"}); err != nil {
		t.Fatal(err)
	}
	if got := names(bo); len(got) != 2 || got[0] != "Ana" || got[1] != "Bo" {
		t.Errorf("after reviewing, Bo reads %v, want Ana's then his, in the order submitted", got)
	}
}

// One's own declaration may go from none to a conflict, never back; saying
// the same again changes nothing.
func TestDeclareOnlyMovesTowardAConflict(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.user(t, "ana@ipa.example", "Ana", true, false)
	steps := []struct {
		conflict bool
		want     error
	}{{false, nil}, {false, nil}, {true, nil}, {false, review.ErrAlreadyDeclared}, {true, review.ErrAlreadyDeclared}}
	for i, s := range steps {
		if err := f.svc.Declare(ctx, act(ana), ana, f.app, s.conflict, "note"); !errors.Is(err, s.want) {
			t.Errorf("step %d (conflict %v): %v, want %v", i, s.conflict, err, s.want)
		}
	}
	ds := f.panel(t, ana).Declarations
	if len(ds) != 1 || !ds[0].HasConflict || ds[0].UserID != ana.ID {
		t.Fatalf("declarations %+v", ds)
	}
	// Two changes recorded: none, then the conflict; the repeat was not.
	if n := f.count(t, `SELECT count(*) FROM audit WHERE action = 'review.conflict_declared' AND actor_id = $1`, ana.ID); n != 2 {
		t.Errorf("%d audit rows, want 2", n)
	}
	if err := f.svc.Declare(ctx, act(f.applicant), f.applicant, f.app, false, ""); !errors.Is(err, policy.ErrOwnCharity) {
		t.Errorf("the charity's applicant declares: %v", err)
	}
	if err := f.svc.Declare(ctx, act(ana), ana, f.app, true, strings.Repeat("x", 2001)); fieldErrors(t, err)["note"] != "error.field.too_long" {
		t.Errorf("a note too long: %v", err)
	}
}

// An admin records another person's declaration, never their own, and only
// for someone at the IPA; clearing a conflict needs a reason.
func TestRecordForOthers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.user(t, "ana@ipa.example", "Ana", true, false)
	bo := f.member(t, "bo@ipa.example", "Bo")
	if err := f.svc.RecordFor(ctx, act(f.admin), f.admin, ana.ID, f.app, true, "told me by phone"); err != nil {
		t.Fatal(err)
	}
	if got := fieldErrors(t, f.svc.RecordFor(ctx, act(f.admin), f.admin, ana.ID, f.app, false, "")); got["note"] != "error.review.clear_reason" {
		t.Errorf("clearing without a reason: %v", got)
	}
	if err := f.svc.RecordFor(ctx, act(f.admin), f.admin, ana.ID, f.app, false, "the link ended in 2024"); err != nil {
		t.Fatal(err)
	}
	if got := fieldErrors(t, f.svc.RecordFor(ctx, act(f.admin), f.admin, f.applicant.ID, f.app, true, "")); got["member"] != review.ErrNotIPA.Message.Key {
		t.Errorf("recording for the applicant: %v", got)
	}
	if err := f.svc.RecordFor(ctx, act(f.admin), f.admin, f.admin.ID, f.app, true, ""); !errors.Is(err, review.ErrOwnDeclaration) {
		t.Errorf("recording one's own: %v", err)
	}
	if err := f.svc.RecordFor(ctx, act(bo), bo, ana.ID, f.app, true, ""); !errors.Is(err, policy.ErrForbidden) {
		t.Errorf("a board member records for another: %v", err)
	}
	var recordedBy int64
	if err := f.db.Get(&recordedBy, `SELECT recorded_by FROM conflicts WHERE application_id = $1 AND user_id = $2 AND NOT has_conflict`, f.app, ana.ID); err != nil || recordedBy != f.admin.ID {
		t.Errorf("Ana's cleared declaration recorded by %d (%v), want the admin %d", recordedBy, err, f.admin.ID)
	}
}

// The board's discussion: written by who may, read in order by who may,
// never by the charity.
func TestDiscussionIsTheBoardsOwn(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.member(t, "ana@ipa.example", "Ana")
	if got := fieldErrors(t, f.svc.Discuss(ctx, act(ana), ana, f.app, "   ")); got["comment_body"] != "error.field.required" {
		t.Errorf("an empty comment: %v", got)
	}
	for i, body := range []string{"The budget is thin.", "Agreed; ask for quotes."} {
		f.now = f.now.Add(time.Duration(i) * time.Minute)
		who := ana
		if i == 1 {
			who = f.admin
		}
		if err := f.svc.Discuss(ctx, act(who), who, f.app, "  "+body+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.Discuss(ctx, act(f.applicant), f.applicant, f.app, "May we see?"); !errors.Is(err, policy.ErrNotBoard) {
		t.Errorf("the charity writes: %v", err)
	}
	cs := f.panel(t, ana).Discussion
	if len(cs) != 2 || cs[0].AuthorName != "Ana" || cs[0].Body != "The budget is thin." || cs[1].AuthorName != "Ida Admin" {
		t.Fatalf("discussion %+v", cs)
	}
	for _, u := range []*account.User{f.applicant, f.user(t, "bo@ipa.example", "Bo", true, false)} {
		if cs := f.panel(t, u).Discussion; cs != nil {
			t.Errorf("%s reads %+v", u.Email, cs)
		}
	}
}

// Admins keep the criteria: a new one is asked from then on, a retired one
// no longer (but still listed for the admins); keys are checked and unique.
func TestSaveCriterion(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.member(t, "ana@ipa.example", "Ana")
	in := review.CriterionInput{Key: "equity", NameEN: "Equity", NameES: "Equidad", Weight: "2", Active: true}
	if err := f.svc.SaveCriterion(ctx, act(ana), ana, 0, in); !errors.Is(err, policy.ErrForbidden) {
		t.Errorf("a board member adds a criterion: %v", err)
	}
	bad := review.CriterionInput{Key: "Equity!", NameEN: " ", NameES: "Equidad", Weight: "11"}
	if got := fieldErrors(t, f.svc.SaveCriterion(ctx, act(f.admin), f.admin, 0, bad)); got["key"] != "error.criterion.key" ||
		got["name_en"] != "error.field.required" || got["weight"] != "error.number.range" || len(got) != 3 {
		t.Errorf("a bad criterion: %v", got)
	}
	taken := in
	taken.Key = "need"
	if got := fieldErrors(t, f.svc.SaveCriterion(ctx, act(f.admin), f.admin, 0, taken)); got["key"] != "error.criterion.key_taken" {
		t.Errorf("a key taken: %v", got)
	}
	if err := f.svc.SaveCriterion(ctx, act(f.admin), f.admin, 0, in); err != nil {
		t.Fatal(err)
	}
	active, err := f.svc.Criteria(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := active[len(active)-1]
	if last.Key != "equity" || last.Weight != 2 || last.Name("es") != "Equidad" || last.Name("en") != "Equity" {
		t.Fatalf("the new criterion is %+v, want equity last", last)
	}
	if err := f.svc.Submit(ctx, act(ana), ana, f.app, review.Input{Scores: f.scores(t, "3"), Recommendation: "approve"}); err != nil {
		t.Fatalf("a review with the new criterion: %v", err)
	}
	in.Active = false
	if err := f.svc.SaveCriterion(ctx, act(f.admin), f.admin, last.ID, in); err != nil {
		t.Fatal(err)
	}
	now, _ := f.svc.Criteria(ctx)
	all, _ := f.svc.AllCriteria(ctx)
	if len(now) != len(active)-1 || len(all) != len(active) {
		t.Errorf("after retiring: %d asked, %d listed; want %d and %d", len(now), len(all), len(active)-1, len(active))
	}
	if err := f.svc.SaveCriterion(ctx, act(f.admin), f.admin, 999999, in); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("changing an unknown criterion: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit WHERE action = 'review.criterion_saved'`); n != 2 {
		t.Errorf("%d audit rows, want 2 (added, retired)", n)
	}
}

// The admins pick among active board members, by name.
func TestMembersAreTheActiveBoardByName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.user(t, "zoe@ipa.example", "Zoe", true, false)
	f.user(t, "al@ipa.example", "Al", true, false)
	gone := f.user(t, "gone@ipa.example", "Gone", true, false)
	if _, err := f.db.Exec(`UPDATE users SET active = false WHERE id = $1`, gone.ID); err != nil {
		t.Fatal(err)
	}
	ms, err := f.svc.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if strings.Join(names, ",") != "Al,Zoe" {
		t.Errorf("members %v, want Al, Zoe", names)
	}
}
