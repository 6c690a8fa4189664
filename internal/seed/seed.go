// Package seed fills a database with the volume of data years of use would
// leave: charities and their people, applications in every state with their
// submitted versions and timelines, the board's declarations, reviews,
// discussion and votes, awards with their instalments and payments, and
// post-trip reports. The load tool and the tests that check a page's SQL
// does not grow with its rows use it. Everything is inserted by a few
// set-based statements, so 100,000 applications take about a minute.
package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/application"
)

// Options says how much to make.
type Options struct {
	Applications int
	// PerApp is how many board members declared no conflict on, and
	// reviewed, each application before the board.
	PerApp int
	// Board is how many board members there are (at least PerApp).
	Board int
}

// Volume is what Seed made.
type Volume struct {
	Applications int
	// Titles of the first applications, each matching only itself in a search.
	Titles []string
	// Busy is an application in an open vote, with declarations, reviews,
	// comments and ballots; Bare is one in an open vote with none of those.
	Busy, Bare int64
	// Board members' addresses. They sign in like the demo board member:
	// the same password and authenticator secret.
	BoardEmail []string
	// Charities' people, one per organization: they sign in with the demo
	// applicant's password.
	Applicants []string
	// Open are the applications before the board (in review or in a vote),
	// newest first.
	Open []int64
	// Deep is where a page of the board's queue nine tenths of the way
	// down begins.
	Deep application.Cursor
}

// The demo accounts whose password and second factor the seeded people
// share (see account.SeedDemo, which must have run first).
const (
	demoApplicant = "applicant@demo.missiongrants.test"
	demoBoard     = "board@demo.missiongrants.test"
)

// Seed fills db (migrated, with the demo accounts) with o's volume. The
// newest tenth of the applications are still open (submitted, in review or
// in a vote); the older ones were decided long ago (approved, declined or
// withdrawn), the approved ones funded and reported on.
func Seed(ctx context.Context, db *sqlx.DB, o Options) (*Volume, error) {
	n := o.Applications
	board := max(o.Board, o.PerApp, 1)
	form, err := json.Marshal(sampleForm())
	if err != nil {
		return nil, err
	}
	steps := []struct {
		what, sql string
		args      []any
	}{
		{"board", `INSERT INTO users (email, name, is_board, email_confirmed_at, password_hash, totp_secret, totp_enabled_at)
			SELECT 'reviewer' || j || '@load.example', 'Reviewer ' || lpad(j::text, 2, '0'), true, now(), d.password_hash, d.totp_secret, now()
			FROM generate_series(1, $1) j, (SELECT password_hash, totp_secret FROM users WHERE email = $2) d`, []any{board, demoBoard}},
		{"charities", `INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at, contact_name, contact_email)
			SELECT 'Heart Charity ' || k, (ARRAY['US','CA','GB','ES','DO'])[1 + k % 5], 'R-' || k, (SELECT min(id) FROM users), now(),
				'Contact ' || k, 'charity' || k || '@load.example'
			FROM generate_series(1, $1) k`, []any{max(n/20, 1)}},
		{"applicants", `WITH u AS (
				INSERT INTO users (email, name, language, email_confirmed_at, password_hash)
				SELECT 'charity' || k || '@load.example', 'Charity Person ' || k, CASE k % 3 WHEN 0 THEN 'es' ELSE 'en' END, now(), d.password_hash
				FROM generate_series(1, $1) k, (SELECT password_hash FROM users WHERE email = $2) d
				RETURNING id, email)
			INSERT INTO organization_members (organization_id, user_id)
			SELECT o.id, u.id FROM u JOIN organizations o ON o.contact_email = u.email`, []any{max(n/20, 1), demoApplicant}},
		{"rounds", `INSERT INTO funding_rounds (name, rolling, budget_cents) SELECT 'Round ' || k, true, 500000000 FROM generate_series(1, 4) k`, nil},
		// Application i (1 is the newest) was submitted i × span/n ago.
		{"applications", `WITH o AS (SELECT array_agg(id ORDER BY id) AS ids FROM organizations WHERE legal_name LIKE 'Heart Charity %'),
			r AS (SELECT array_agg(id ORDER BY id) AS ids FROM funding_rounds WHERE name LIKE 'Round %'),
			s AS (SELECT i, timestamptz '2026-11-01 00:00Z' - i * (interval '5 years' / $1) AS at,
				CASE WHEN i <= greatest($1 / 10, 10) THEN (ARRAY['submitted','submitted','in_review','in_review','in_review','in_review','in_review','in_review','voting','voting'])[1 + i % 10]
				     ELSE (ARRAY['approved','approved','approved','approved','approved','approved','declined','declined','declined','withdrawn'])[1 + i % 10] END AS status
				FROM generate_series(1, $1) i)
			INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end,
				amount_requested_cents, submitted_at, created_by, created_at, updated_at, draft, draft_saved_at)
			SELECT o.ids[1 + s.i % cardinality(o.ids)], r.ids[1 + s.i % 4], s.status, 1, 'Mission ' || lpad(s.i::text, 6, '0'),
				(ARRAY['HN','DO','PE','GT','NI'])[1 + s.i % 5], (s.at + interval '90 days')::date, (s.at + interval '99 days')::date,
				(1 + s.i % 500) * 10000, s.at, (SELECT min(id) FROM users), s.at - interval '3 days', s.at,
				jsonb_set($2::jsonb, '{title}', to_jsonb('Mission ' || lpad(s.i::text, 6, '0'))), s.at
			FROM s, o, r`, []any{n, string(form)}},
		{"versions", `INSERT INTO application_versions (application_id, version, data, submitted_by, submitted_at)
			SELECT a.id, 1, a.draft, m.user_id, a.submitted_at FROM applications a
			JOIN LATERAL (SELECT user_id FROM organization_members WHERE organization_id = a.organization_id LIMIT 1) m ON true
			WHERE a.title LIKE 'Mission %'`, nil},
		{"timelines", `INSERT INTO application_events (application_id, at, actor_id, event, from_status, to_status)
			SELECT a.id, a.submitted_at + e.after, a.created_by, e.event, e.from_status, e.to_status
			FROM applications a JOIN (VALUES
				('submit', 'draft', 'submitted', interval '0', ARRAY['submitted','in_review','voting','approved','declined','withdrawn']),
				('send_to_board', 'submitted', 'in_review', interval '5 days', ARRAY['in_review','voting','approved','declined']),
				('open_vote', 'in_review', 'voting', interval '20 days', ARRAY['voting','approved','declined']),
				('approve', 'voting', 'approved', interval '27 days', ARRAY['approved']),
				('vote_decline', 'voting', 'declined', interval '27 days', ARRAY['declined']),
				('withdraw', 'submitted', 'withdrawn', interval '2 days', ARRAY['withdrawn'])
			) AS e(event, from_status, to_status, after, reached) ON a.status = ANY(e.reached)
			WHERE a.title LIKE 'Mission %'`, nil},
		{"declarations and reviews", `WITH p AS (` + pairs + `)
			, c AS (INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by)
				SELECT app, member, false, at + interval '6 days', member FROM p)
			INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
			SELECT app, member, '{"need":4,"clinical_capacity":3,"budget":4,"sustainability":3,"track_record":5}',
				3000 + (app * 7 + member) % 2000, 'Seeded review ' || app || '/' || member || '. The team has done this before and the host hospital is ready.',
				CASE WHEN status = 'declined' THEN 'decline' ELSE 'approve' END, at + interval '10 days' FROM p`, []any{board, o.PerApp}},
		{"discussion", `INSERT INTO board_comments (application_id, author_id, body, created_at)
			SELECT app, member, 'Seeded comment by ' || member || ': the budget looks right for a team of this size.', at + interval '12 days'
			FROM (` + pairs + `) p WHERE k < 2`, []any{board, o.PerApp}},
		{"votes", `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
			SELECT id, amount_requested_cents, (SELECT min(id) FROM users WHERE is_admin AND active), submitted_at + interval '20 days', greatest(submitted_at + interval '27 days', now() + interval '7 days')
			FROM applications WHERE status IN ('voting', 'approved', 'declined') AND title LIKE 'Mission %'`, nil},
		{"ballots", `INSERT INTO ballots (vote_id, user_id, choice, cast_at)
			SELECT v.id, p.member, CASE WHEN p.status = 'declined' THEN 'decline' ELSE 'approve' END, p.at + interval '21 days'
			FROM (` + pairs + `) p JOIN votes v ON v.application_id = p.app WHERE p.k < 3 OR p.status <> 'voting'`, []any{board, o.PerApp}},
		{"closed votes", `UPDATE votes v SET closes_at = a.submitted_at + interval '27 days', closed_at = a.submitted_at + interval '27 days',
				decision = a.status, approved_cents = CASE WHEN a.status = 'approved' THEN v.proposed_cents END, result = json_build_object('Eligible', $1::int, 'Cast', b.cast, 'Approve', b.approve, 'Decline', b.decline,
					'Abstain', 0, 'QuorumMet', true, 'Decision', a.status, 'ballots', b.ballots, 'recused', '[]'::json)
			FROM applications a, (SELECT vote_id, count(*) AS cast, count(*) FILTER (WHERE choice = 'approve') AS approve,
				count(*) FILTER (WHERE choice = 'decline') AS decline, json_agg(json_build_object('name', u.name, 'choice', bl.choice)) AS ballots
				FROM ballots bl JOIN users u ON u.id = bl.user_id GROUP BY vote_id) b
			WHERE a.id = v.application_id AND b.vote_id = v.id AND a.status IN ('approved', 'declined')`, []any{board}},
		{"awards", `WITH aw AS (
				INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
				SELECT a.id, a.round_id, v.id, extract(year FROM a.submitted_at)::int, v.approved_cents, v.opened_by, a.submitted_at + interval '28 days'
				FROM applications a JOIN votes v ON v.application_id = a.id AND v.decision = 'approved'
				WHERE a.status = 'approved' AND a.title LIKE 'Mission %'
				RETURNING id, amount_cents, created_at)
			INSERT INTO instalments (award_id, position, amount_cents, due_on, condition)
			SELECT id, 1, amount_cents * 6 / 10, (created_at + interval '30 days')::date, 'before_trip' FROM aw
			UNION ALL
			SELECT id, 2, amount_cents - amount_cents * 6 / 10, (created_at + interval '150 days')::date, 'report_accepted' FROM aw`, nil},
		// Trips that ended before the last few months have an accepted report.
		{"reports", `INSERT INTO reports (application_id, status, data, patients, pediatric, open_heart, bypass, interventional, deaths,
				submitted_at, accepted_at, accepted_by, created_at, updated_at)
			SELECT a.id, 'accepted', '{}'::jsonb, 12 + a.id % 20, 4 + a.id % 6, 8 + a.id % 10, 6 + a.id % 10 - a.id % 3, 3 + a.id % 5, a.id % 50 / 49,
				a.trip_end + 30, a.trip_end + 40, a.created_by, a.trip_end + 10, a.trip_end + 40
			FROM applications a WHERE a.status = 'approved' AND a.trip_end < date '2026-08-01' AND a.title LIKE 'Mission %'`, nil},
		// Their case mix: the children over RACHS-1 categories 1 to 4 and
		// 6, the adults in valve surgery, a death in hospital in category
		// 3 now and then (the reports' deaths), so the outcomes pages and
		// the funnel plot have trips to place.
		{"case mix", `INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi)
			SELECT r.application_id, 'child', c.category, c.cases, c.deaths, c.deaths, 0, c.ssi, 0
			FROM reports r
			CROSS JOIN LATERAL (VALUES
				('1', r.pediatric / 4, 0, 0),
				('2', r.pediatric - r.pediatric / 4 - r.pediatric / 3 - r.pediatric / 6 - 1, 0, r.application_id % 2),
				('3', r.pediatric / 3, r.deaths, 0),
				('4', r.pediatric / 6, 0, 0),
				('6', 1, 0, 0)) AS c (category, cases, deaths, ssi)
			WHERE r.status = 'accepted' AND r.data = '{}'::jsonb AND c.cases > 0`, nil},
		{"adult case mix", `INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, predicted)
			SELECT r.application_id, 'adult', 'valve', r.patients - r.pediatric, 0, (r.patients - r.pediatric) * 0.04
			FROM reports r
			WHERE r.status = 'accepted' AND r.data = '{}'::jsonb AND r.patients > r.pediatric`, nil},
		// Every award's agreement, signed by the charity's person before any payment.
		{"agreements", `INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at,
				signed_by, signer_name, signer_title, statement, signed_at, signed_pdf)
			SELECT w.id, w.application_id, 'en', 'Seeded agreement.', '', repeat('0', 64), w.created_by, w.created_at,
				m.user_id, 'Charity Person', 'Treasurer', 'Seeded signature.', w.created_at + interval '3 days', ''
			FROM awards w JOIN applications a ON a.id = w.application_id
			JOIN LATERAL (SELECT user_id FROM organization_members WHERE organization_id = a.organization_id LIMIT 1) m ON true
			WHERE a.title LIKE 'Mission %'`, nil},
		{"payments", `INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, idempotency_key, recorded_by, recorded_at)
			SELECT i.id, i.award_id, i.amount_cents, i.due_on, (ARRAY['check','wire','ach'])[1 + i.id % 3], 'SEED-' || i.id,
				'seed-payment-' || i.id || '-' || md5(i.id::text), aw.created_by, i.due_on
			FROM instalments i JOIN awards aw ON aw.id = i.award_id
			WHERE i.position = 1 OR EXISTS (SELECT 1 FROM reports r WHERE r.application_id = aw.application_id AND r.status = 'accepted')`, nil},
		{"audit trail", `INSERT INTO audit (at, actor_id, actor_label, action, object_type, object_id, details)
			SELECT submitted_at, created_by, 'seed', 'application.submitted', 'application', id::text, jsonb_build_object('version', 1)
			FROM applications WHERE title LIKE 'Mission %' ORDER BY submitted_at`, nil},
	}
	for _, st := range steps {
		if _, err := db.ExecContext(ctx, st.sql, st.args...); err != nil {
			return nil, fmt.Errorf("seed: %s: %w", st.what, err)
		}
	}
	v := &Volume{Applications: n}
	if err := v.extras(ctx, db); err != nil {
		return nil, err
	}
	// As autovacuum would leave it: statistics, and the visibility map
	// that index-only scans need.
	if _, err := db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return v, nil
}

// pairs are the (application, board member) pairs of the applications
// before the board: perApp ($2) of the board's $1 members each, taking
// turns; k numbers the member within the application.
const pairs = `WITH a AS (SELECT id, status, submitted_at AS at, row_number() OVER (ORDER BY id) AS i FROM applications
		WHERE title LIKE 'Mission %' AND status IN ('in_review', 'voting', 'approved', 'declined')),
	u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS j FROM users WHERE email LIKE 'reviewer%@load.example')
	SELECT a.id AS app, a.status, a.at, u.id AS member, ((u.j - a.i) % $1 + $1) % $1 AS k FROM a JOIN u ON ((u.j - a.i) % $1 + $1) % $1 < $2`

// extras finds what the callers ask for by name, and adds the bare
// application in a vote.
func (v *Volume) extras(ctx context.Context, db *sqlx.DB) error {
	if err := db.GetContext(ctx, &v.Busy, `SELECT min(application_id) FROM votes WHERE closed_at IS NULL`); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	lists := []struct {
		dest  any
		query string
	}{
		{&v.Titles, `SELECT title FROM applications WHERE title LIKE 'Mission %' ORDER BY id LIMIT 3`},
		{&v.Open, `SELECT id FROM applications WHERE status IN ('in_review', 'voting') AND title LIKE 'Mission %' ORDER BY submitted_at DESC`},
		{&v.BoardEmail, `SELECT email FROM users WHERE email LIKE 'reviewer%@load.example' ORDER BY id`},
		{&v.Applicants, `SELECT email FROM users WHERE email LIKE 'charity%@load.example' ORDER BY id`},
	}
	for _, l := range lists {
		if err := db.SelectContext(ctx, l.dest, l.query); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	if err := db.QueryRowxContext(ctx, `SELECT submitted_at, id FROM applications WHERE version > 0
		ORDER BY submitted_at DESC, id DESC OFFSET $1 LIMIT 1`, v.Applications*9/10).Scan(&v.Deep.SubmittedAt, &v.Deep.ID); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := db.GetContext(ctx, &v.Bare, `INSERT INTO applications (organization_id, round_id, status, version, title, country, amount_requested_cents, submitted_at, created_by)
		SELECT organization_id, round_id, 'voting', 1, 'Bare mission', country, amount_requested_cents, now(), created_by FROM applications WHERE id = $1
		RETURNING id`, v.Busy); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at)
		SELECT $1, 100000, created_by, now(), now() + interval '7 days' FROM applications WHERE id = $1`, v.Bare); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// sampleForm is a complete application as a charity would write it.
func sampleForm() application.Form {
	f := application.Form{
		Country: "HN", City: "Tegucigalpa", Hospital: "Hospital Escuela Universitario",
		HostContactName: "Dra. María López", HostContactEmail: "mlopez@hospital.example", HostContactPhone: "+504 2232 0000",
		TripStart: "2027-03-06", TripEnd: "2027-03-15",
		PatientsAdult: "14", PatientsPediatric: "10", ProcBypass: "18", ProcOffPump: "2", ProcInterventional: "4",
		BloodBank: "yes", ICUBeds: "6", Intensivist: "yes", PerfusionEquipment: "partly",
		LocalTraining:   "Two local perfusionists and four ICU nurses train alongside the team for the whole trip, and keep the protocols we leave.",
		PastMissions:    "Eleven trips since 2014 to the same hospital: 212 patients operated, 9 deaths, all reported to the IPA.",
		AmountRequested: "42,500.00", OtherFunding: "18,000.00", OtherFundingSources: "Rotary Club grant and our own donors",
		Narrative: strings.Repeat("Children with congenital heart disease wait years for surgery in Honduras. ", 12),
		Attest:    "yes", SignerName: "Dr. James Carter", SignedOn: "2026-10-01",
	}
	for i, role := range application.TeamRoles {
		f.Team = append(f.Team, application.TeamMember{Role: role, Count: fmt.Sprint(1 + i%3), Names: "Dr. A. Smith, Dr. B. Jones"})
	}
	for i, cat := range application.BudgetCategories {
		f.Budget = append(f.Budget, application.BudgetLine{Category: cat, Description: "Seeded " + cat + " line", Amount: fmt.Sprintf("%d,000.00", 3+i)})
	}
	return f
}
