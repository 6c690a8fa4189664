package migrations_test

import (
	"fmt"
	"sync"
	"testing"

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
	var org, round, app int64
	const members = 12
	var users []int64
	for i := range members {
		var id int64
		if err := db.Get(&id, `INSERT INTO users (email, name, is_board) VALUES ($1, 'Member', true) RETURNING id`, fmt.Sprintf("m%d@example.org", i)); err != nil {
			t.Fatal(err)
		}
		users = append(users, id)
	}
	if err := db.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by) VALUES ('Corazones', 'HN', 'R-1', $1) RETURNING id`, users[0]); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&round, `INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
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
