package demo_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/audit"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/demo"
	"missiongrants/internal/document"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/policy"
	"missiongrants/internal/report"
	"missiongrants/internal/testenv"
	"missiongrants/internal/vote"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// seeded is a database with the demo accounts and the demo, as of now.
func seeded(t *testing.T, now time.Time) *sqlx.DB {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	accounts := account.New(pool, account.Options{Outbox: mailtest.NewOutbox(t).Outbox, Now: func() time.Time { return now }})
	if _, err := accounts.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, pool, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.Documents(ctx, pool, docs(t, pool), accounts, now); err != nil {
		t.Fatal(err)
	}
	return pool
}

func docs(t *testing.T, pool *sqlx.DB) *document.Service {
	t.Helper()
	disk, err := document.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return document.New(pool, document.Options{Store: disk})
}

// The demo is dated from the day it runs: any day of the year makes the
// same history, the turn of the year included (the full tier only: each
// day is a demo seeded, seconds of CPU).
func TestSeedShowsEveryScreen(t *testing.T) {
	for i, now := range []time.Time{
		time.Date(2027, 6, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2028, 1, 1, 0, 30, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 50, 0, 0, time.UTC),
	} {
		t.Run(now.Format(time.DateTime), func(t *testing.T) {
			if i > 0 {
				testenv.Full(t, "the turn of the year: another demo seeded")
			}
			t.Parallel()
			checkDemo(t, seeded(t, now), now)
		})
	}
}

func checkDemo(t *testing.T, pool *sqlx.DB, now time.Time) {
	ctx := context.Background()
	var statuses []string
	if err := pool.SelectContext(ctx, &statuses, `SELECT DISTINCT status FROM applications ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	for _, s := range []policy.Status{policy.Draft, policy.Submitted, policy.Withdrawn, policy.MoreInfoRequested,
		policy.InReview, policy.Voting, policy.Approved, policy.Declined} {
		if !slices.Contains(statuses, string(s)) {
			t.Errorf("no application is %s (statuses: %v)", s, statuses)
		}
	}

	// Facts each screen needs, each a query that must find something.
	for what, query := range map[string]string{
		"an open vote the demo board member has not voted in": `SELECT count(*) FROM votes v WHERE v.closed_at IS NULL AND v.closes_at > $1
			AND EXISTS (SELECT 1 FROM conflicts c JOIN users u ON u.id = c.user_id WHERE c.application_id = v.application_id
				AND u.email = 'board@demo.missiongrants.test' AND NOT c.has_conflict)
			AND NOT EXISTS (SELECT 1 FROM ballots b JOIN users u ON u.id = b.user_id WHERE b.vote_id = v.id AND u.email = 'board@demo.missiongrants.test')`,
		"a closed vote with the demo board member recused": `SELECT count(*) FROM votes v JOIN conflicts c ON c.application_id = v.application_id
			JOIN users u ON u.id = c.user_id WHERE v.closed_at < $1 AND c.has_conflict AND u.email = 'board@demo.missiongrants.test'
			AND v.result->'recused' ? 'Bruno Board'`,
		"an award with the first instalment paid and the second not": `SELECT count(*) FROM instalments i1 JOIN instalments i2
			ON i2.award_id = i1.award_id AND i2.position = 2 WHERE i1.position = 1 AND i1.paid_cents = i1.amount_cents AND i2.paid_cents = 0
			AND $1::timestamptz IS NOT NULL`,
		"a payment waiting for a second admin": `SELECT count(*) FROM payments p WHERE p.needs_approval
			AND NOT EXISTS (SELECT 1 FROM payment_approvals a WHERE a.payment_id = p.id) AND p.recorded_at < $1`,
		"an accepted report":           `SELECT count(*) FROM reports WHERE status = 'accepted' AND accepted_at < $1`,
		"a report waiting for the IPA": `SELECT count(*) FROM reports WHERE status = 'submitted' AND submitted_at < $1`,
		"a report due within the month": `SELECT count(*) FROM applications a WHERE a.status = 'approved' AND NOT a.report_in
			AND a.trip_end + 60 BETWEEN $1::date AND $1::date + 30`,
		"the IPA's question in Spanish": `SELECT count(*) FROM application_messages m JOIN applications a ON a.id = m.application_id
			WHERE a.status = 'more_info_requested' AND m.from_ipa AND m.body LIKE 'Gracias por la solicitud%' AND m.created_at < $1`,
		"a reason for a decline": `SELECT count(*) FROM applications WHERE status = 'declined' AND decline_reason <> '' AND updated_at < $1`,
		"an open round":          `SELECT count(*) FROM funding_rounds WHERE NOT rolling AND opens_on <= $1::date AND closes_on >= $1::date`,
		"two closed rounds":      `SELECT count(*) - 1 FROM funding_rounds WHERE NOT rolling AND closes_on < $1::date`,
	} {
		var n int
		if err := pool.GetContext(ctx, &n, query, now); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n < 1 {
			t.Errorf("the demo has no %s", what)
		}
	}

	// Nothing dated after now, but what is due later.
	var future int
	if err := pool.GetContext(ctx, &future, `SELECT
		(SELECT count(*) FROM application_events WHERE at > $1) + (SELECT count(*) FROM audit WHERE at > $1)
		+ (SELECT count(*) FROM payments WHERE paid_on > $1::date OR recorded_at > $1) + (SELECT count(*) FROM ballots WHERE cast_at > $1)
		+ (SELECT count(*) FROM reviews WHERE submitted_at > $1) + (SELECT count(*) FROM application_messages WHERE created_at > $1)`, now); err != nil {
		t.Fatal(err)
	}
	if future != 0 {
		t.Errorf("%d things happen after now", future)
	}

	// Overdue as the admins' dashboard counts it, with the service's rule.
	reports := report.New(pool, report.Options{Outbox: mailtest.NewOutbox(t).Outbox, Now: func() time.Time { return now }})
	if _, n, err := reports.Overdue(ctx, 10); err != nil || n < 1 {
		t.Errorf("overdue reports: %d, %v", n, err)
	}
	cells, err := reports.Impact(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mix, err := reports.ImpactMix(ctx)
	if err != nil {
		t.Fatal(err)
	}
	public := report.PublicImpact(cells, mix, 11)
	if len(public.Mix) == 0 || !public.Groups[0].Patients.Shown {
		t.Errorf("the public impact page shows no case mix: %+v %+v", public.Mix, public.Groups)
	}
	if !public.Total.Patients.Shown || public.Total.Patients.N < 100 {
		t.Errorf("the public impact page withholds its headline: %+v", public.Total)
	}
	shown := 0
	for _, c := range public.Cells {
		if c.Patients.Shown {
			shown++
		}
	}
	if shown < 3 {
		t.Errorf("the public impact page shows %d countries and years of %d", shown, len(public.Cells))
	}
	if years := len(public.Years); years < 3 {
		t.Errorf("impact over %d years, want 3", years)
	}

	// Reminders due before today went out then, not at the first start.
	if sent, err := reports.RemindDue(ctx); err != nil || sent != 0 {
		t.Errorf("the first start sends %d report reminders (%v)", sent, err)
	}

	// Every application has its documents, and every version was
	// submitted with them.
	var apps []int64
	if err := pool.SelectContext(ctx, &apps, `SELECT id FROM applications`); err != nil {
		t.Fatal(err)
	}
	for _, id := range apps {
		if missing, err := document.Missing(ctx, pool, id); err != nil || len(missing) > 0 {
			t.Errorf("application %d lacks %v (%v)", id, missing, err)
		}
	}
	var bare int
	if err := pool.GetContext(ctx, &bare, `SELECT count(*) FROM application_versions v WHERE NOT EXISTS (
		SELECT 1 FROM application_version_documents d WHERE d.application_id = v.application_id AND d.version = v.version)`); err != nil || bare != 0 {
		t.Errorf("%d versions without documents (%v)", bare, err)
	}

	// Closed votes keep what vote.Service.Close keeps, and it adds up.
	var results []struct {
		Result   []byte `db:"result"`
		Decision string `db:"decision"`
		Approved *int64 `db:"approved_cents"`
		Proposed int64  `db:"proposed_cents"`
		Awarded  *int64 `db:"amount_cents"`
	}
	if err := pool.SelectContext(ctx, &results, `SELECT v.result, v.decision, v.approved_cents, v.proposed_cents, w.amount_cents
		FROM votes v LEFT JOIN awards w ON w.vote_id = v.id WHERE v.closed_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		var rec vote.Record
		if err := json.Unmarshal(r.Result, &rec); err != nil {
			t.Fatal(err)
		}
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(r.Result, &keys)
		for _, k := range []string{"Eligible", "Cast", "Approve", "Decline", "Abstain", "QuorumMet", "Decision", "ballots", "recused"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("a vote's result lacks %q: %s", k, r.Result)
			}
		}
		if string(rec.Decision) != r.Decision || rec.Cast != len(rec.Ballots) || !rec.QuorumMet {
			t.Errorf("a vote's result does not add up (%s): %s", r.Decision, r.Result)
		}
		if r.Decision == "approved" && (r.Awarded == nil || r.Approved == nil || *r.Awarded > *r.Approved) {
			t.Errorf("an approved vote without its award: %s", r.Result)
		}
	}

	// Every submitted version is a form the portal accepts.
	var versions []struct {
		Data []byte    `db:"data"`
		At   time.Time `db:"submitted_at"`
		Lang string    `db:"language"`
	}
	if err := pool.SelectContext(ctx, &versions, `SELECT v.data, v.submitted_at, u.language FROM application_versions v
		JOIN users u ON u.id = v.submitted_by`); err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		var f application.Form
		if err := json.Unmarshal(v.Data, &f); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Validate(v.At.Truncate(24*time.Hour), v.Lang); err != nil {
			t.Errorf("%q does not validate: %#v", f.Title, err)
		}
	}

	// Every award has its agreement, its PDF the one its hash names: signed
	// (with the signature page) where money moved, and one waiting for the
	// demo's Spanish applicant to sign.
	var agreements struct {
		Awards   int `db:"awards"`
		Signed   int `db:"signed"`
		Unsigned int `db:"unsigned"`
	}
	if err := pool.GetContext(ctx, &agreements, `SELECT (SELECT count(*) FROM awards) AS awards,
		count(*) FILTER (WHERE g.signed_at < $1 AND length(g.signed_pdf) > length(g.pdf)) AS signed,
		count(*) FILTER (WHERE g.signed_at IS NULL AND u.email = 'solicitante@demo.missiongrants.test'
			AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.award_id = g.award_id)) AS unsigned
		FROM agreements g JOIN applications a ON a.id = g.application_id JOIN users u ON u.id = a.created_by
		WHERE g.pdf_sha256 = encode(sha256(g.pdf), 'hex')`, now); err != nil {
		t.Fatal(err)
	}
	if agreements.Awards == 0 || agreements.Signed+agreements.Unsigned != agreements.Awards || agreements.Unsigned != 1 {
		t.Errorf("agreements: %+v", agreements)
	}

	// The ledger's totals are the counted payments; the audit chain holds.
	var off int
	if err := pool.GetContext(ctx, &off, `SELECT count(*) FROM awards w WHERE w.paid_cents <> coalesce((SELECT sum(p.amount_cents) FROM payments p
		WHERE p.award_id = w.id AND (NOT p.needs_approval OR EXISTS (SELECT 1 FROM payment_approvals a WHERE a.payment_id = p.id))), 0)`); err != nil {
		t.Fatal(err)
	}
	if off != 0 {
		t.Errorf("%d awards' paid totals differ from their payments", off)
	}
	if broken, err := audit.Verify(ctx, pool); err != nil || broken != 0 {
		t.Errorf("audit chain: broken at %d, %v", broken, err)
	}
}

// tables the demo writes to, counted to show a second run changes nothing.
var tables = []string{"users", "organizations", "organization_members", "funding_rounds", "applications", "application_versions",
	"application_events", "application_messages", "screenings", "conflicts", "reviews", "board_comments", "votes", "ballots",
	"awards", "instalments", "agreements", "payments", "payment_approvals", "reports", "report_case_mix", "report_reminders", "settings", "audit",
	"documents", "application_version_documents"}

func counts(t *testing.T, pool *sqlx.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := pool.GetContext(context.Background(), &n, `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestSeedTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)
	pool := seeded(t, now)
	before := counts(t, pool)
	if err := demo.Seed(context.Background(), pool, now.AddDate(0, 0, 3)); err != nil {
		t.Fatal(err)
	}
	accounts := account.New(pool, account.Options{Outbox: mailtest.NewOutbox(t).Outbox})
	if err := demo.Documents(context.Background(), pool, docs(t, pool), accounts, now.AddDate(0, 0, 3)); err != nil {
		t.Fatal(err)
	}
	after := counts(t, pool)
	for _, table := range tables {
		if before[table] != after[table] {
			t.Errorf("%s: %d rows, then %d after the second run", table, before[table], after[table])
		}
	}
}

func TestSeedNeedsTheDemoAccounts(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	if err := demo.Seed(context.Background(), pool, time.Now()); err == nil {
		t.Fatal("Seed without the demo accounts succeeded")
	}
	var n int
	if err := pool.GetContext(context.Background(), &n, `SELECT count(*) FROM organizations`); err != nil || n != 0 {
		t.Fatalf("a failed Seed left %d charities (%v)", n, err)
	}
}
