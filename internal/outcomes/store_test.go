package outcomes_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/outcomes"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// trips writes a charity with three funded trips: two reported and
// accepted with a case mix (the first on time, the second late), and one
// whose report never came; and a user of each kind.
func trips(t *testing.T, pool *sqlx.DB) (org int64, apps [3]int64, admin, board *account.User) {
	t.Helper()
	for _, u := range []struct {
		email        string
		admin, board bool
		into         **account.User
	}{{"admin@ipa.example", true, false, &admin}, {"board@ipa.example", false, true, &board}} {
		var user account.User
		if err := pool.Get(&user, `INSERT INTO users (email, name, is_admin, is_board, email_confirmed_at, language) VALUES ($1, $1, $2, $3, now(), 'en')
			RETURNING id, email, name, is_admin, is_board, active, language`, u.email, u.admin, u.board); err != nil {
			t.Fatal(err)
		}
		*u.into = &user
	}
	if err := pool.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
		VALUES ('Corazones', 'HN', '1', $1, now()) RETURNING id`, admin.ID); err != nil {
		t.Fatal(err)
	}
	var round int64
	if err := pool.Get(&round, `INSERT INTO funding_rounds (name, rolling) VALUES ('R', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	for i, end := range []string{"2025-03-10", "2026-03-10", "2026-09-10"} {
		if err := pool.Get(&apps[i], `INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end, submitted_at, created_by)
			VALUES ($1, $2, 'approved', 1, 'Trip ' || $3, 'HN', $3::date - 9, $3::date, now(), $4) RETURNING id`, org, round, end, admin.ID); err != nil {
			t.Fatal(err)
		}
	}
	// On time (20 days after the trip), then late (90 days after).
	for i, days := range []int{20, 90} {
		pool.MustExec(`INSERT INTO reports (application_id, status, patients, pediatric, open_heart, bypass, interventional, deaths,
				submitted_at, accepted_at, accepted_by, created_at, updated_at)
			SELECT id, 'accepted', 20, 20, 20, 18, 0, 1, trip_end + $2::int, trip_end + $2::int + 5, $3, now(), now() FROM applications WHERE id = $1`,
			apps[i], days, admin.ID)
	}
	// Trip 1: 10 in category 2 (3.8%) and 10 in 4 (19.4%), a death in 4:
	// expected 0.38 + 1.94 = 2.32. Trip 2: 18 in category 3 (8.5%), 2 in 5
	// (no reference), a death in each: expected 1.53, observed 1.
	mix := `INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi)
		VALUES ($1, 'child', $2, $3, $4, $4, 0, $5, 0)`
	pool.MustExec(mix, apps[0], "2", 10, 0, 1)
	pool.MustExec(mix, apps[0], "4", 10, 1, 0)
	pool.MustExec(mix, apps[1], "3", 18, 1, 0)
	pool.MustExec(mix, apps[1], "5", 2, 1, 0)
	return org, apps, admin, board
}

func TestTripsAndHistoryJudgedByTheReference(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	org, apps, admin, board := trips(t, pool)
	now := time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC)
	svc := outcomes.New(pool, outcomes.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	rows, ref, err := svc.References(ctx)
	if err != nil || len(rows) != 6 || rows[4].Percent != nil || *rows[3].Percent != 19.4 || math.Abs(ref[4]-0.194) > 1e-12 {
		t.Fatalf("the default reference: %+v %v %v", rows, ref, err)
	}
	got, err := svc.Trips(ctx, 0, time.Time{}, ref)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v, %v", got, err)
	}
	j := got[0].Judgement
	if j.Observed != 1 || math.Abs(j.Expected-2.32) > 1e-9 || got[0].Infections != 1 || got[0].ChildCases != 20 {
		t.Errorf("trip 1: %+v", got[0])
	}
	// O/E 1/2.32 with its exact interval: χ²(0.025; 2)/2 = 0.02532 and
	// χ²(0.975; 4)/2 = 5.5716, over 2.32.
	if math.Abs(j.Ratio-1/2.32) > 1e-9 || math.Abs(j.Low-0.02532/2.32) > 1e-4 || math.Abs(j.High-5.5716/2.32) > 1e-3 {
		t.Errorf("trip 1's ratio: %v (%v, %v)", j.Ratio, j.Low, j.High)
	}
	if j := got[1].Judgement; j.Observed != 1 || math.Abs(j.Expected-1.53) > 1e-9 || len(j.LeftOut) != 1 || j.LeftOut[0] != 5 {
		t.Errorf("trip 2 leaves category 5 out: %+v", j)
	}
	if recent, _ := svc.Trips(ctx, 0, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ref); len(recent) != 1 || recent[0].AppID != apps[1] {
		t.Errorf("the trips since 2026: %+v", recent)
	}
	// The charity over time: each year, then all years together.
	per := outcomes.ByCharity(got, ref)
	if len(per) != 3 || per[2].Year != 0 || per[2].Trips != 2 || per[2].Judgement.Observed != 2 || math.Abs(per[2].Judgement.Expected-3.85) > 1e-9 {
		t.Errorf("by charity: %+v", per)
	}

	// The history the board reads: the trip it reads left out, the latest
	// first, on time or not, the unreported trip without outcomes.
	h, err := svc.History(ctx, org, apps[1], 60, ref)
	if err != nil || len(h) != 2 {
		t.Fatalf("%+v, %v", h, err)
	}
	if h[0].AppID != apps[2] || h[0].Status != "" || h[0].SubmittedAt != nil || h[0].OnTime || h[0].Trip != nil {
		t.Errorf("the unreported trip: %+v", h[0])
	}
	if h[1].AppID != apps[0] || !h[1].OnTime || h[1].Trip == nil || h[1].Trip.Judgement.Observed != 1 {
		t.Errorf("the first trip: %+v", h[1])
	}
	h, _ = svc.History(ctx, org, apps[2], 60, ref)
	if len(h) != 2 || h[0].AppID != apps[1] || h[0].OnTime {
		t.Errorf("the late report: %+v", h)
	}

	// Admins change the reference, with its source, audited; category 5
	// gets a value and comes in. A board member may not; a bad figure
	// comes back on its field.
	in := outcomes.ReferenceInput{Percent: [6]string{"0.4", "3.8", "8.5", "19.4", "30,5", "47.7"}}
	for i := range in.Source {
		in.Source[i] = rows[i].Source
	}
	in.Source[4] = "Our own registry, 2020–2025"
	if err := svc.SetReference(ctx, account.Actor{UserID: board.ID}, board, in); !errors.Is(err, outcomes.ErrForbidden) {
		t.Errorf("a board member changed the reference: %v", err)
	}
	bad := in
	bad.Percent[0], bad.Source[1] = "140", ""
	var fe i18n.FieldErrors
	if err := svc.SetReference(ctx, account.Actor{UserID: admin.ID}, admin, bad); !errors.As(err, &fe) ||
		fe["percent_1"].Key != "error.number.range" || fe["source_2"].Key != "error.field.required" {
		t.Errorf("a bad reference: %v", err)
	}
	if err := svc.SetReference(ctx, account.Actor{UserID: admin.ID}, admin, in); err != nil {
		t.Fatal(err)
	}
	rows, ref, _ = svc.References(ctx)
	if rows[4].Percent == nil || *rows[4].Percent != 30.5 || rows[4].UpdatedBy != admin.Name || math.Abs(ref[5]-0.305) > 1e-12 || rows[0].UpdatedBy != "" {
		t.Errorf("after the change: %+v", rows)
	}
	var audited int
	if err := pool.Get(&audited, `SELECT count(*) FROM audit WHERE action = 'outcomes.reference_changed' AND object_id = '5' AND actor_id = $1`, admin.ID); err != nil || audited != 1 {
		t.Errorf("audit rows for category 5: %d, %v (only the category changed is audited)", audited, err)
	}
	got, _ = svc.Trips(ctx, 0, time.Time{}, ref)
	if j := got[1].Judgement; j.Observed != 2 || math.Abs(j.Expected-(1.53+0.61)) > 1e-9 || len(j.LeftOut) != 0 {
		t.Errorf("trip 2 with category 5: %+v", j)
	}
}

// The outcomes page's figures are worked out once and kept while nothing
// they are made of changes; each change to what they read (a report
// accepted, its case mix, the reference, a charity's name, a trip's title)
// makes the next view work them out again, and no other change does. A
// reader with a standing conflict never gets the figures of one without.
func TestOverviewKeptUntilWhatItReadsChanges(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	org, apps, admin, board := trips(t, pool)
	svc := outcomes.New(pool, outcomes.Options{})
	ctx := context.Background()
	view := func() *outcomes.Overview {
		t.Helper()
		o, err := svc.Overview(ctx, admin, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	first := view()
	if len(first.Funnel.Points) != 2 || len(first.Periods) != 3 || first.Funnel.Points[0].Trip.Title != "Trip 2025-03-10" {
		t.Fatalf("the figures: %d points, %d periods", len(first.Funnel.Points), len(first.Periods))
	}
	if again := view(); again != first {
		t.Error("nothing changed, yet the figures were worked out again")
	}

	// Changes the page does not read: a report's draft, an application's
	// amount, a rolled-back acceptance.
	pool.MustExec(`INSERT INTO reports (application_id, status, created_at, updated_at) VALUES ($1, 'draft', now(), now())`, apps[2])
	pool.MustExec(`UPDATE applications SET amount_requested_cents = amount_requested_cents + 100 WHERE id = $1`, apps[0])
	tx := pool.MustBegin()
	accept := `UPDATE reports SET status = 'accepted', patients = 10, submitted_at = now(), accepted_at = now(), accepted_by = $2 WHERE application_id = $1`
	tx.MustExec(accept, apps[2], admin.ID)
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if again := view(); again != first {
		t.Error("a change the page does not read made it work its figures out again")
	}

	for _, change := range []struct {
		what string
		sql  string
		args []any
		saw  func(o *outcomes.Overview) bool
	}{
		{"a charity renamed", `UPDATE organizations SET legal_name = 'Corazones Unidos' WHERE id = $1`, []any{org},
			func(o *outcomes.Overview) bool { return o.Funnel.Points[0].Trip.Organization == "Corazones Unidos" }},
		{"a trip's title", `UPDATE applications SET title = 'Tegucigalpa 2025' WHERE id = $1`, []any{apps[0]},
			func(o *outcomes.Overview) bool { return o.Funnel.Points[0].Trip.Title == "Tegucigalpa 2025" }},
		{"a report accepted", accept, []any{apps[2], admin.ID}, nil},
		{"its case mix", `INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi)
			VALUES ($1, 'child', '3', 10, 2, 2, 0, 0, 0)`, []any{apps[2]},
			func(o *outcomes.Overview) bool { return len(o.Funnel.Points) == 3 }},
		{"the reference", `UPDATE reference_mortality SET percent = 10 WHERE category = 3`, nil,
			func(o *outcomes.Overview) bool { return math.Abs(o.Funnel.Points[2].Expected-1) < 1e-9 }},
	} {
		before := view()
		pool.MustExec(change.sql, change.args...)
		after := view()
		if after == before {
			t.Errorf("%s: the figures were kept", change.what)
		} else if change.saw != nil && !change.saw(after) {
			t.Errorf("%s: not in the figures worked out again", change.what)
		}
	}

	// A transaction's many rows move the version once, as it commits.
	var n0, n1 int64
	_ = pool.Get(&n0, `SELECT n FROM outcomes_version`)
	tx = pool.MustBegin()
	tx.MustExec(`UPDATE report_case_mix SET ssi = 1 WHERE application_id = ANY($1)`, pq.Array(apps[:]))
	tx.MustExec(`UPDATE reference_mortality SET source = source || '.'`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	_ = pool.Get(&n1, `SELECT n FROM outcomes_version`)
	if n1 != n0+1 {
		t.Errorf("one transaction moved the version from %d to %d, want once", n0, n1)
	}

	// The board member with a standing conflict with the charity sees none
	// of its trips, though the figures with them are kept.
	pool.MustExec(`INSERT INTO standing_conflicts (user_id, organization_id, reason, declared_at) VALUES ($1, $2, 'Treasurer', now())`, board.ID, org)
	o, err := svc.Overview(ctx, board, time.Time{})
	if err != nil || len(o.Funnel.Points) != 0 || len(o.Periods) != 0 {
		t.Errorf("the conflicted member's figures: %+v, %v", o, err)
	}
	if len(view().Funnel.Points) != 3 {
		t.Error("the admin's figures lost the charity's trips")
	}
}
