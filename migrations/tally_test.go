package migrations_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
)

// The queue reads each application's review count and sum from the tally
// the triggers keep: reviews saved at the same moment by different members,
// a review saved again with another score, and a review removed each leave
// it equal to a count of the reviews themselves.
func TestReviewTallyStaysExactUnderConcurrentReviews(t *testing.T) {
	testenv.Full(t, "concurrent reviews (slow)")
	t.Parallel()
	db := dbtest.New(t)
	const members = 12
	users, org, round := aBoardAndACharity(t, db, members)
	var app int64
	if err := db.Get(&app, `INSERT INTO applications (organization_id, round_id, status, version, title, submitted_at, created_by)
		VALUES ($1, $2, 'in_review', 1, 'Mission', now(), $3) RETURNING id`, org, round, users[0]); err != nil {
		t.Fatal(err)
	}
	review := func(user int64, milli int) error {
		_, err := db.Exec(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, recommendation, submitted_at)
			VALUES ($1, $2, '{}', $3, 'approve', now())
			ON CONFLICT (application_id, user_id) DO UPDATE SET weighted_milli = $3`, app, user, milli)
		return err
	}
	check := func(when string) {
		t.Helper()
		var tally, counted struct{ N, Sum int64 }
		if err := db.QueryRow(`SELECT review_count, review_milli_sum FROM applications WHERE id = $1`, app).Scan(&tally.N, &tally.Sum); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT count(*), coalesce(sum(weighted_milli), 0) FROM reviews WHERE application_id = $1`, app).Scan(&counted.N, &counted.Sum); err != nil {
			t.Fatal(err)
		}
		if tally != counted {
			t.Errorf("%s: the tally says %d reviews summing %d, the reviews are %d summing %d", when, tally.N, tally.Sum, counted.N, counted.Sum)
		}
	}

	// Every member at once, twice: first reviews, then changed scores.
	for round, milli := range []int{3000, 4200} {
		var wg sync.WaitGroup
		for i, u := range users {
			wg.Go(func() {
				if err := review(u, milli+i); err != nil {
					t.Errorf("round %d: %v", round, err)
				}
			})
		}
		wg.Wait()
		check(fmt.Sprintf("after round %d", round+1))
	}
	var n int
	if err := db.Get(&n, `SELECT review_count FROM applications WHERE id = $1`, app); err != nil || n != members {
		t.Fatalf("review_count = %d (%v), want %d", n, err, members)
	}
	if _, err := db.Exec(`DELETE FROM reviews WHERE application_id = $1 AND user_id = ANY($2)`, app, fmt.Sprintf("{%d,%d}", users[0], users[1])); err != nil {
		t.Fatal(err)
	}
	check("after two reviews were removed")
}

// The queue reads where each member stands from the application's row
// (00039_queue_marks.sql): who reviewed, declared, is recused, is assigned.
// Whatever is done to the tables those marks mirror, at the same moment by
// many members, by a standing conflict and its withdrawal, or by deleting
// a draft, every application's marks equal a reading of the tables.
func TestQueueMarksMirrorTheirTables(t *testing.T) {
	testenv.Full(t, "concurrent declarations (slow)")
	t.Parallel()
	db := dbtest.New(t)
	users, org, round := aBoardAndACharity(t, db, 12)
	newApp := func(status string, version int) int64 {
		t.Helper()
		var id int64
		if err := db.Get(&id, `INSERT INTO applications (organization_id, round_id, status, version, title, submitted_at, created_by)
			VALUES ($1, $2, $3, $4, 'Mission', CASE WHEN $4 > 0 THEN now() END, $5) RETURNING id`, org, round, status, version, users[0]); err != nil {
			t.Fatal(err)
		}
		return id
	}
	apps := []int64{newApp("in_review", 1), newApp("in_review", 1)}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.Exec(query, args...); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		var wrong []int64
		if err := db.Select(&wrong, `SELECT a.id FROM applications a WHERE
			a.reviewed_by <> array(SELECT user_id FROM reviews WHERE application_id = a.id ORDER BY 1)
			OR a.declared_by <> array(SELECT user_id FROM conflicts WHERE application_id = a.id ORDER BY 1)
			OR a.recused_by <> array(SELECT user_id FROM conflicts WHERE application_id = a.id AND has_conflict ORDER BY 1)
			OR a.assigned_to <> array(SELECT user_id FROM assignments WHERE application_id = a.id ORDER BY 1)`); err != nil {
			t.Fatal(err)
		}
		if len(wrong) > 0 {
			t.Errorf("%s: the marks of applications %v differ from their tables", when, wrong)
		}
	}

	// Every member at once on both applications: a declaration (every third
	// with a conflict), a review, an assignment for those free to review.
	var wg sync.WaitGroup
	for i, u := range users {
		for _, app := range apps {
			wg.Go(func() {
				conflicted := i%3 == 0
				steps := []string{
					`INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by) VALUES ($1, $2, ` + fmt.Sprint(conflicted) + `, now(), $2)`,
					`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, recommendation, submitted_at) VALUES ($1, $2, '{}', 3000, 'approve', now())`,
				}
				if !conflicted {
					steps = append(steps, `INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $2, now())`)
				}
				for _, q := range steps {
					if _, err := db.Exec(q, app, u); err != nil {
						t.Errorf("member %d: %v", i, err)
					}
				}
			})
		}
	}
	wg.Wait()
	check("after every member declared, reviewed and was assigned")

	// Changes that move no member, then changes that do.
	exec(`UPDATE reviews SET weighted_milli = 4000 WHERE application_id = $1`, apps[0])
	exec(`UPDATE assignments SET reminded_at = now() WHERE application_id = $1`, apps[0])
	exec(`UPDATE conflicts SET note = 'Checked again' WHERE application_id = $1`, apps[0])
	check("after changes that move no member")
	exec(`UPDATE conflicts SET has_conflict = NOT has_conflict WHERE application_id = $1 AND user_id = ANY($2)`, apps[0], fmt.Sprintf("{%d,%d}", users[0], users[1]))
	exec(`DELETE FROM reviews WHERE application_id = $1 AND user_id = $2`, apps[1], users[2])
	exec(`DELETE FROM conflicts WHERE application_id = $1 AND user_id = $2`, apps[1], users[3])
	check("after a declaration changed, a review and a declaration removed")

	// A standing conflict declares on every application of the charity,
	// present and future; its withdrawal takes those back.
	var standing int64
	if err := db.Get(&standing, `INSERT INTO standing_conflicts (user_id, organization_id, reason, declared_at)
		VALUES ($1, $2, 'My cousin runs it', now()) RETURNING id`, users[4], org); err != nil {
		t.Fatal(err)
	}
	draft := newApp("draft", 0)
	check("after a standing conflict and a new draft")
	exec(`UPDATE standing_conflicts SET withdrawn_at = now(), withdrawn_by = $1, withdraw_reason = 'Resolved' WHERE id = $2`, users[5], standing)
	check("after the standing conflict was withdrawn")
	exec(`INSERT INTO standing_conflicts (user_id, organization_id, reason, declared_at) VALUES ($1, $2, 'On its board', now())`, users[6], org)
	exec(`DELETE FROM applications WHERE id = $1`, draft)
	check("after a draft with a standing conflict was deleted")
}

// aBoardAndACharity makes n board members, a charity and a rolling round.
func aBoardAndACharity(t *testing.T, db *sqlx.DB, n int) (members []int64, org, round int64) {
	t.Helper()
	for i := range n {
		var id int64
		if err := db.Get(&id, `INSERT INTO users (email, name, is_board) VALUES ($1, 'Member', true) RETURNING id`, fmt.Sprintf("m%d@example.org", i)); err != nil {
			t.Fatal(err)
		}
		members = append(members, id)
	}
	if err := db.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by) VALUES ('Corazones', 'HN', 'R-1', $1) RETURNING id`, members[0]); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&round, `INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	return members, org, round
}
