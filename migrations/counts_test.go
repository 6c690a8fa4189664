package migrations_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/dbtest"
)

// The admin dashboard reads the counts by round and status, the money by
// year and the reports owed by day that the triggers of 00024 keep. After random inserts, updates
// and deletes, one statement or many rows at a time, from one connection
// and then from eight concurrent transactions (some rolled back), they
// equal a full recount.
func TestDashboardAggregatesEqualARecount(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	var user, org int64
	if err := db.Get(&user, `INSERT INTO users (email, name, is_admin) VALUES ('a@example.org', 'Admin', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by) VALUES ('Corazones', 'HN', 'R-1', $1) RETURNING id`, user); err != nil {
		t.Fatal(err)
	}
	var rounds []int64
	for i := range 3 {
		var id int64
		if err := db.Get(&id, `INSERT INTO funding_rounds (name, rolling) VALUES ($1, true) RETURNING id`, fmt.Sprintf("Round %d", i)); err != nil {
			t.Fatal(err)
		}
		rounds = append(rounds, id)
	}
	// The awards' own rules (an award needs an approving vote) are not what
	// is tested here: every award names one vote, on an application kept.
	if _, err := db.Exec(`ALTER TABLE awards DISABLE TRIGGER awards_guard; ALTER TABLE votes DISABLE TRIGGER votes_guard`); err != nil {
		t.Fatal(err)
	}
	var anchor, vote int64
	if err := db.Get(&anchor, `INSERT INTO applications (organization_id, round_id, status, version, title, created_by)
		VALUES ($1, $2, 'approved', 1, 'Anchor', $3) RETURNING id`, org, rounds[0], user); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&vote, `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		VALUES ($1, 100000, $2, now(), now() + interval '1 day') RETURNING id`, anchor, user); err != nil {
		t.Fatal(err)
	}
	statuses := []string{"draft", "submitted", "withdrawn", "more_info_requested", "in_review", "approved", "declined"}

	// step runs one random change through q, to the applications of
	// organization org (so that concurrent workers meet on the counters,
	// not on the applications' own rows).
	step := func(q sqlx.Ext, rng *rand.Rand, org int64) error {
		var err error
		switch rng.IntN(11) {
		case 0: // several applications in one statement
			_, err = q.Exec(`INSERT INTO applications (organization_id, round_id, status, version, title, created_by)
				SELECT $1, ($2::bigint[])[1 + (g % 3)], ($3::text[])[1 + ((g * 7 + $4) % 7)], 1, 'Mission', $5 FROM generate_series(1, $6) g`,
				org, pq.Array(rounds), pq.Array(statuses), rng.IntN(7), user, 1+rng.IntN(20))
		case 1: // a status, one row
			_, err = q.Exec(`UPDATE applications SET status = $1
				WHERE id = (SELECT id FROM applications WHERE organization_id = $2 AND id <> $3 ORDER BY random() LIMIT 1)`,
				statuses[rng.IntN(len(statuses))], org, anchor)
		case 2: // statuses and rounds, many rows
			_, err = q.Exec(`UPDATE applications SET status = $1, round_id = $2 WHERE id % 5 = $3 AND organization_id = $4 AND id <> $5`,
				statuses[rng.IntN(len(statuses))], rounds[rng.IntN(len(rounds))], rng.IntN(5), org, anchor)
		case 3: // a change of neither
			_, err = q.Exec(`UPDATE applications SET title = 'Mission ' || id WHERE id % 3 = $1 AND organization_id = $2`, rng.IntN(3), org)
		case 4: // drafts deleted: only a draft never sent may be (00032), so these become such first
			n := rng.IntN(7)
			_, err = q.Exec(`UPDATE applications a SET version = 0 WHERE id % 7 = $1 AND organization_id = $2 AND id <> $3 AND status = 'draft'
				AND NOT EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id)`, n, org, anchor)
			if err == nil {
				_, err = q.Exec(`DELETE FROM applications a WHERE id % 7 = $1 AND organization_id = $2 AND id <> $3
					AND status = 'draft' AND version = 0
					AND NOT EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id)`, n, org, anchor)
			}
		case 5:
			_, err = q.Exec(`INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
				SELECT a.id, a.round_id, $3, 2025 + (a.id % 3)::int, 1000 + a.id, $1, now() FROM applications a
				WHERE NOT EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AND a.id % 4 = $2 AND a.organization_id = $4
				ON CONFLICT (application_id) DO NOTHING`, user, rng.IntN(4), vote, org)
		case 6: // payments and moves between years
			_, err = q.Exec(`UPDATE awards SET paid_cents = least(amount_cents, paid_cents + $1), year = CASE WHEN $2 THEN 2030 ELSE year END
				WHERE id % 3 = $3 AND application_id IN (SELECT id FROM applications WHERE organization_id = $4)`,
				rng.IntN(500), rng.IntN(4) == 0, rng.IntN(3), org)
		case 7:
			_, err = q.Exec(`DELETE FROM awards WHERE id = (SELECT w.id FROM awards w JOIN applications a ON a.id = w.application_id
				WHERE a.organization_id = $1 ORDER BY random() LIMIT 1)`, org)
		case 8: // trips' ends and reports in (what owes a report)
			_, err = q.Exec(`UPDATE applications SET trip_end = date '2026-01-01' + (id % 5)::int + $1::int, report_in = $2
				WHERE id % 4 = $3 AND organization_id = $4`, rng.IntN(3), rng.IntN(3) == 0, rng.IntN(4), org)
		case 9: // votes opened, one each for a few applications
			_, err = q.Exec(`INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
				SELECT id, 1000, $1, now(), now() + interval '1 day' FROM applications a WHERE id % 6 = $2 AND organization_id = $3
				AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL)`,
				user, rng.IntN(6), org)
		case 10: // votes closed (never reopened: 00021), removed
			switch rng.IntN(2) {
			case 0:
				_, err = q.Exec(`UPDATE votes SET closed_at = now(), result = '{}', decision = 'none'
					WHERE closed_at IS NULL AND id % 3 = $1 AND id <> $2 AND application_id IN (SELECT id FROM applications WHERE organization_id = $3)`, rng.IntN(3), vote, org)
			default:
				_, err = q.Exec(`DELETE FROM votes WHERE id % 5 = $1 AND id <> $2 AND application_id IN (SELECT id FROM applications WHERE organization_id = $3)`,
					rng.IntN(5), vote, org)
			}
		}
		return err
	}
	check := func(when string) {
		t.Helper()
		var diff []string
		if err := db.Select(&diff, `SELECT format('round %s %s: kept %s, counted %s', coalesce(k.round_id, c.round_id), coalesce(k.status, c.status), k.n, c.n)
			FROM (SELECT * FROM application_counts WHERE n <> 0) k
			FULL JOIN (SELECT round_id, status, count(*) AS n FROM applications GROUP BY 1, 2) c ON c.round_id = k.round_id AND c.status = k.status
			WHERE k.n IS DISTINCT FROM c.n
			UNION ALL
			SELECT format('year %s: kept %s/%s, summed %s/%s', coalesce(k.year, c.year), k.awarded_cents, k.paid_cents, c.awarded, c.paid)
			FROM (SELECT * FROM award_years WHERE awarded_cents <> 0 OR paid_cents <> 0) k
			FULL JOIN (SELECT year, sum(amount_cents) AS awarded, sum(paid_cents) AS paid FROM awards GROUP BY 1) c ON c.year = k.year
			WHERE (k.awarded_cents, k.paid_cents) IS DISTINCT FROM (c.awarded, c.paid)
			UNION ALL
			SELECT format('a day kept with no report owed: %s', trip_end) FROM owed_reports WHERE n = 0
			UNION ALL
			SELECT format('reports owed for trips ended %s: kept %s, counted %s', coalesce(k.trip_end, c.trip_end), k.n, c.n)
			FROM owed_reports k
			FULL JOIN (SELECT trip_end, count(*) AS n FROM applications WHERE status = 'approved' AND NOT report_in AND trip_end IS NOT NULL GROUP BY 1) c
				ON c.trip_end = k.trip_end
			WHERE k.n IS DISTINCT FROM c.n
`); err != nil {
			t.Fatal(err)
		}
		for _, d := range diff {
			t.Errorf("%s: %s", when, d)
		}
	}

	rng := rand.New(rand.NewPCG(18, 24))
	for i := range 300 {
		if err := step(db, rng, org); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	check("after 300 changes one after the other")

	// Eight transactions at a time, each of a few changes; one in four
	// rolled back. PostgreSQL may end one of two that wait on each other's
	// rows (a deadlock): that transaction is rolled back, as an application
	// would retry it, and must leave no trace in the counts either.
	var wg sync.WaitGroup
	var deadlocks atomic.Int64
	for w := range 8 {
		var mine int64
		if err := db.Get(&mine, `INSERT INTO organizations (legal_name, country, registration_number, created_by) VALUES ($1, 'DO', 'R', $2) RETURNING id`,
			fmt.Sprintf("Charity %d", w), user); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range 25 {
				tx, err := db.Beginx()
				if err != nil {
					t.Error(err)
					return
				}
				// Deadlocks found sooner than the default second, where the
				// role may set it (the test's own cluster: a superuser).
				_, _ = tx.Exec(`SAVEPOINT s`)
				if _, err := tx.Exec(`SET LOCAL deadlock_timeout = '20ms'`); err != nil {
					_, _ = tx.Exec(`ROLLBACK TO SAVEPOINT s`)
				}
				_, _ = tx.Exec(`RELEASE SAVEPOINT s`)
				for range 1 + rng.IntN(4) {
					if err = step(tx, rng, mine); err != nil {
						break
					}
				}
				var pe *pq.Error
				switch {
				case err != nil && errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001"):
					deadlocks.Add(1)
					err = tx.Rollback()
				case err != nil:
					_ = tx.Rollback()
					t.Errorf("worker %d: %v", w, err)
					return
				case rng.IntN(4) == 0:
					err = tx.Rollback()
				default:
					err = tx.Commit()
				}
				if err != nil {
					t.Errorf("worker %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	check("after concurrent transactions")
	t.Logf("%d of 200 transactions ended by a deadlock", deadlocks.Load())
	var left struct{ Apps, Awards, Owed, Open int }
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM awards),
		(SELECT count(*) FROM applications WHERE status = 'approved' AND NOT report_in AND trip_end IS NOT NULL),
		(SELECT count(*) FROM votes WHERE closed_at IS NULL)`).Scan(&left.Apps, &left.Awards, &left.Owed, &left.Open); err != nil {
		t.Fatal(err)
	}
	if left.Apps == 0 {
		t.Fatal("no application is left: the test changed nothing")
	}
	t.Logf("left: %+v", left)
}
