package assign_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/lib/pq"

	"missiongrants/internal/account"
	"missiongrants/internal/assign"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/review"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var ctx = context.Background()

// Twelve board members, two hundred applications of forty charities in one
// round, three reviewers each: some members have standing conflicts, one a
// conflict declared on a single application, and one is a member of a
// charity. The round's proposal through the database is balanced (no
// member more than one review above another, their open reviews counted),
// never names a member the rules refuse, and is saved as proposed; an
// application the charity sends later is refused to its conflicted member.
func TestRoundProposalIsBalancedAndNeverConflicted(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	svc := assign.New(pool, assign.Options{Now: func() time.Time { return now }})
	reviews := review.New(pool, review.Options{Now: func() time.Time { return now }})
	user := func(email string, board, admin bool) *account.User {
		var u account.User
		if err := pool.Get(&u, `INSERT INTO users (email, name, is_board, is_admin, email_confirmed_at) VALUES ($1, $1, $2, $3, now())
			RETURNING id, email, name, is_admin, is_board, active, language`, email, board, admin); err != nil {
			t.Fatal(err)
		}
		return &u
	}
	admin := user("admin@ipa.example", false, true)
	applicant := user("lucia@charity.example", false, false)
	var members []*account.User
	for i := range 12 {
		members = append(members, user(string(rune('a'+i))+"@board.example", true, false))
	}
	var round int64
	if err := pool.Get(&round, `INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	var orgs []int64
	if err := pool.Select(&orgs, `INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
		SELECT 'Charity ' || n, 'DO', 'R-' || n, $1, now() FROM generate_series(1, 40) n RETURNING id`, applicant.ID); err != nil {
		t.Fatal(err)
	}
	// Standing conflicts: member 0 with charities 0 to 4, member 1 with 5,
	// member 2 with 0; member 3 belongs to charity 6.
	for _, sc := range []struct{ m, org int }{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 5}, {2, 0}} {
		if err := reviews.DeclareStanding(ctx, account.Actor{UserID: members[sc.m].ID}, members[sc.m], orgs[sc.org], "I volunteer with them."); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(`INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2)`, orgs[6], members[3].ID); err != nil {
		t.Fatal(err)
	}
	var apps []int64
	if err := pool.Select(&apps, `INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
		SELECT o.id, $1, 'in_review', 1, 'Mission ' || n, 2000000, $3::timestamptz + n * interval '1 minute', $2
		FROM generate_series(1, 200) n JOIN LATERAL (SELECT id FROM organizations WHERE id = ($4::bigint[])[1 + n % 40]) o ON true
		RETURNING id`, round, applicant.ID, now.Add(-48*time.Hour), pq.Array(orgs)); err != nil {
		t.Fatal(err)
	}
	// Member 4 declares a conflict on one application only.
	if _, err := pool.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by) VALUES ($1, $2, true, now(), $2)`,
		apps[17], members[4].ID); err != nil {
		t.Fatal(err)
	}
	// Member 5 already has four reviews open elsewhere.
	var other int64
	if err := pool.Get(&other, `INSERT INTO funding_rounds (name, rolling) VALUES ('Earlier', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(`WITH a AS (INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
			SELECT $1, $2, 'in_review', 1, 'Earlier ' || n, 1000, now(), $3 FROM generate_series(1, 4) n RETURNING id)
		INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at) SELECT id, $4, $5, now() FROM a`,
		orgs[39], other, applicant.ID, members[5].ID, admin.ID); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	plan, _, err := svc.ProposeRound(ctx, admin, round)
	if err != nil {
		t.Fatal(err)
	}
	proposed := time.Since(start)
	if len(plan.Apps) != 200 {
		t.Fatalf("the plan has %d applications, want 200", len(plan.Apps))
	}
	conflicted := func(m int, app int64) bool {
		var yes bool
		if err := pool.Get(&yes, `SELECT EXISTS (SELECT 1 FROM conflicts WHERE application_id = $1 AND user_id = $2 AND has_conflict)
			OR EXISTS (SELECT 1 FROM organization_members om JOIN applications a ON a.organization_id = om.organization_id
				WHERE a.id = $1 AND om.user_id = $2)`, app, members[m].ID); err != nil {
			t.Fatal(err)
		}
		return yes
	}
	index := map[int64]int{}
	for i, m := range members {
		index[m.ID] = i
	}
	load := map[int64]int{members[5].ID: 4}
	chosen := map[int64][]int64{}
	for _, a := range plan.Apps {
		if a.Free[members[0].ID] && a.OrganizationID <= orgs[4] && a.OrganizationID >= orgs[0] {
			t.Fatalf("application %d: member 0 is free though in standing conflict", a.ID)
		}
		if len(a.Proposed) != 3 {
			t.Fatalf("application %d: %d reviewers proposed", a.ID, len(a.Proposed))
		}
		for _, id := range a.Proposed {
			if conflicted(index[id], a.ID) {
				t.Fatalf("application %d: member %d is proposed though in conflict", a.ID, id)
			}
			load[id]++
		}
		chosen[a.ID] = a.Proposed
	}
	lo, hi := 1<<30, 0
	for _, m := range members {
		lo, hi = min(lo, load[m.ID]), max(hi, load[m.ID])
	}
	if hi-lo > 1 {
		t.Errorf("loads from %d to %d: %v", lo, hi, load)
	}

	start = time.Now()
	if err := svc.Assign(ctx, account.Actor{UserID: admin.ID}, admin, chosen); err != nil {
		t.Fatal(err)
	}
	t.Logf("12 members × 200 applications: proposed in %v, saved in %v", proposed, time.Since(start))
	var saved, audited int
	if err := pool.Get(&saved, `SELECT count(*) FROM assignments a JOIN applications p ON p.id = a.application_id WHERE p.round_id = $1`, round); err != nil {
		t.Fatal(err)
	}
	if err := pool.Get(&audited, `SELECT count(*) FROM audit WHERE action = 'assign.reviewers_assigned'`); err != nil {
		t.Fatal(err)
	}
	if saved != 600 || audited != 200 {
		t.Errorf("%d assignments saved and %d audited, want 600 and 200", saved, audited)
	}
	// Proposed again, the plan keeps them and adds none.
	again, _, err := svc.ProposeRound(ctx, admin, round)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range again.Apps {
		if len(a.Current) != 3 || len(a.Proposed) != 3 {
			t.Fatalf("application %d proposed again: %v then %v", a.ID, a.Current, a.Proposed)
		}
	}

	// The charity sends another application later: member 0 is recused
	// from it, and assigning them is refused by the rules and the database.
	var later int64
	if err := pool.Get(&later, `INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
		VALUES ($1, $2, 'in_review', 1, 'Later', 1000, now(), $3) RETURNING id`, orgs[2], round, applicant.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Assign(ctx, account.Actor{UserID: admin.ID}, admin, map[int64][]int64{later: {members[0].ID}}); !errors.Is(err, assign.ErrNotFree) {
		t.Errorf("assigning a member with a standing conflict to a later application: %v", err)
	}
	if _, err := pool.Exec(`INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $3, now())`,
		later, members[0].ID, admin.ID); err == nil {
		t.Error("the database assigned a member with a standing conflict")
	}
	if err := svc.Assign(ctx, account.Actor{UserID: admin.ID}, admin, map[int64][]int64{later: {members[1].ID}}); err != nil {
		t.Errorf("assigning a free member: %v", err)
	}
}

// A standing conflict reaches the database's last lines as a conflict on
// the application does: an admin in standing conflict opens no vote and
// moves no money (refuse_recused), a board member in one casts no ballot,
// even one who had declared no conflict on the application before; the
// withdrawal takes back what the standing conflict recorded, and only that.
func TestStandingConflictReachesTheLastLines(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	reviews := review.New(pool, review.Options{Now: func() time.Time { return now }})
	user := func(email string, board, admin bool) *account.User {
		var u account.User
		if err := pool.Get(&u, `INSERT INTO users (email, name, is_board, is_admin, email_confirmed_at) VALUES ($1, $1, $2, $3, now())
			RETURNING id, email, name, is_admin, is_board, active, language`, email, board, admin); err != nil {
			t.Fatal(err)
		}
		return &u
	}
	admin, other, member := user("ida@ipa.example", true, true), user("otto@ipa.example", false, true), user("bruno@ipa.example", true, false)
	var org, app, kept int64
	if err := pool.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
		VALUES ('Corazones', 'DO', '1', $1, now()) RETURNING id`, other.ID); err != nil {
		t.Fatal(err)
	}
	newApp := func() int64 {
		var id int64
		if err := pool.Get(&id, `INSERT INTO applications (organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by)
			VALUES ($1, (SELECT id FROM funding_rounds LIMIT 1), 'voting', 1, 'Misión', 1000, now(), $2) RETURNING id`, org, other.ID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if _, err := pool.Exec(`INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true)`); err != nil {
		t.Fatal(err)
	}
	app, kept = newApp(), newApp()
	// Bruno declared no conflict on app, and a conflict of his own on kept.
	if _, err := pool.Exec(`INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by)
		VALUES ($1, $3, false, now(), $3), ($2, $3, true, now(), $3)`, app, kept, member.ID); err != nil {
		t.Fatal(err)
	}
	var vote int64
	if err := pool.Get(&vote, `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		VALUES ($1, 1000, $2, now(), now() + interval '1 day') RETURNING id`, app, other.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*account.User{admin, member} {
		if err := reviews.DeclareStanding(ctx, account.Actor{UserID: u.ID}, u, org, "I volunteer with them."); err != nil {
			t.Fatal(err)
		}
	}
	later := newApp()
	for _, a := range []int64{app, later} {
		if _, err := pool.Exec(`INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
			VALUES ($1, 1000, $2, now(), now() + interval '1 day')`, a, admin.ID); err == nil {
			t.Errorf("application %d: an admin in standing conflict opened a vote", a)
		}
	}
	if _, err := pool.Exec(`INSERT INTO ballots (vote_id, user_id, choice, cast_at) VALUES ($1, $2, 'approve', now())`, vote, member.ID); err == nil {
		t.Error("a member in standing conflict cast a ballot")
	}
	var standing int64
	if err := pool.Get(&standing, `SELECT id FROM standing_conflicts WHERE user_id = $1`, member.ID); err != nil {
		t.Fatal(err)
	}
	if err := reviews.WithdrawStanding(ctx, account.Actor{UserID: member.ID}, &account.User{ID: member.ID, IsAdmin: true}, standing, "Mine."); err == nil {
		t.Error("a member withdrew their own standing conflict")
	}
	if err := reviews.WithdrawStanding(ctx, account.Actor{UserID: other.ID}, other, standing, "He left the charity."); err != nil {
		t.Fatal(err)
	}
	var left []string
	if err := pool.Select(&left, `SELECT application_id::text || ':' || has_conflict::text FROM conflicts WHERE user_id = $1 ORDER BY application_id`, member.ID); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != itoa(kept)+":true" {
		t.Errorf("after the withdrawal Bruno's conflicts are %v, want only his own on %d", left, kept)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
