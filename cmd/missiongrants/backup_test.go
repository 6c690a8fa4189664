package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"missiongrants/internal/audit"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/devdb"
)

// TestBackupRestore runs the backup commands of docs/operations.md: pg_dump
// -Fc of a database holding every kind of record, pg_restore --no-owner into
// a new database, and checks that nothing is lost and the audit chain holds.
func TestBackupRestore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := dbtest.NewCluster(t)
	srcURL := dbtest.NewURLIn(t, c)
	src := openDB(t, srcURL)
	seedBackupRows(ctx, t, src)
	want := backupCounts(ctx, t, src)

	dump := filepath.Join(c.Dir(), "missiongrants.dump") // reachable by the postgres user
	if _, err := c.Run(ctx, "pg_dump", "-Fc", "--no-owner", "-f", dump, "-d", srcURL); err != nil {
		t.Fatal(err)
	}
	if err := devdb.EnsureDatabase(ctx, c.URL("postgres"), "restored"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx, "pg_restore", "--no-owner", "--exit-on-error", "-d", c.URL("restored"), dump); err != nil {
		t.Fatal(err)
	}
	dst := openDB(t, c.URL("restored"))

	got := backupCounts(ctx, t, dst)
	for table, n := range want {
		if n == 0 {
			t.Errorf("seed left %s empty", table)
		}
		if got[table] != n {
			t.Errorf("%s: %d rows restored, want %d", table, got[table], n)
		}
	}
	var (
		title, status, decision, choice, ref string
		paid                                 int64
	)
	row := dst.QueryRowContext(ctx, `
		SELECT a.title, a.status, v.decision, b.choice, p.reference, aw.paid_cents
		FROM applications a
		JOIN votes v ON v.application_id = a.id
		JOIN ballots b ON b.vote_id = v.id
		JOIN awards aw ON aw.application_id = a.id
		JOIN payments p ON p.award_id = aw.id
		WHERE a.title = 'Cleft surgery mission'`)
	if err := row.Scan(&title, &status, &decision, &choice, &ref, &paid); err != nil {
		t.Fatalf("restored application: %v", err)
	}
	if status != "approved" || decision != "approved" || choice != "approve" || ref != "WIRE-0001" || paid != 250000 {
		t.Errorf("restored values: status %q decision %q choice %q reference %q paid %d", status, decision, choice, ref, paid)
	}
	var lastAction string
	if err := dst.GetContext(ctx, &lastAction, `SELECT action FROM audit ORDER BY id DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if lastAction != "payment.record" {
		t.Errorf("last audit action %q, want payment.record", lastAction)
	}
	if broken, err := audit.Verify(ctx, dst); err != nil || broken != 0 {
		t.Errorf("audit.Verify on the restored database = %d, %v; want 0 (intact)", broken, err)
	}
	// The restored database keeps working: the chain continues from the copy.
	if err := audit.Record(ctx, dst, audit.Event{ActorLabel: "system", Action: "backup.restored"}); err != nil {
		t.Fatal(err)
	}
	if broken, err := audit.Verify(ctx, dst); err != nil || broken != 0 {
		t.Errorf("audit.Verify after a new entry = %d, %v; want 0", broken, err)
	}
}

func openDB(t *testing.T, u string) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var backupTables = []string{
	"users", "organizations", "organization_members", "funding_rounds", "applications",
	"conflicts", "votes", "ballots", "awards", "instalments", "payments", "audit",
}

func backupCounts(ctx context.Context, t *testing.T, db *sqlx.DB) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range backupTables {
		var n int
		if err := db.GetContext(ctx, &n, "SELECT count(*) FROM "+table); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// seedBackupRows writes an applicant's approved, paid application through
// the tables' own rules: an open vote, a ballot, the vote closed, an award
// with its instalments and a payment, and the audit entries of each step.
func seedBackupRows(ctx context.Context, t *testing.T, db *sqlx.DB) {
	t.Helper()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var applicant, board, admin, org, round, app, vote, award, inst int64
	steps := []struct {
		dst  *int64
		q    string
		args []any
	}{
		{&applicant, `INSERT INTO users (email, name) VALUES ('ana@example.org', 'Ana Applicant') RETURNING id`, nil},
		{&board, `INSERT INTO users (email, name, is_board) VALUES ('bo@example.org', 'Bo Board', true) RETURNING id`, nil},
		{&admin, `INSERT INTO users (email, name, is_admin) VALUES ('ad@example.org', 'Ada Admin', true) RETURNING id`, nil},
		{&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by) VALUES ('Smiles Without Borders', 'GT', 'REG-1', $1) RETURNING id`, []any{&applicant}},
		{nil, `INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2)`, []any{&org, &applicant}},
		{&round, `INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling 2025', true) RETURNING id`, nil},
		{&app, `INSERT INTO applications (organization_id, round_id, status, version, title, country, amount_requested_cents, submitted_at, created_by)
			VALUES ($1, $2, 'voting', 1, 'Cleft surgery mission', 'GT', 500000, now(), $3) RETURNING id`, []any{&org, &round, &applicant}},
		{nil, `INSERT INTO applications (organization_id, round_id, title, created_by) VALUES ($1, $2, 'Draft for later', $3)`, []any{&org, &round, &applicant}},
		{nil, `INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by) VALUES ($1, $2, false, now(), $2)`, []any{&app, &board}},
		{&vote, `INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at) VALUES ($1, 500000, $2, now(), now() + interval '7 days') RETURNING id`, []any{&app, &admin}},
		{nil, `INSERT INTO ballots (vote_id, user_id, choice, comment, cast_at) VALUES ($1, $2, 'approve', 'Strong team', now())`, []any{&vote, &board}},
		{nil, `UPDATE votes SET closed_at = now(), closed_by = $2, decision = 'approved', approved_cents = 500000, result = '{"approve": 1}' WHERE id = $1`, []any{&vote, &admin}},
		{nil, `UPDATE applications SET status = 'approved' WHERE id = $1`, []any{&app}},
		{&award, `INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at) VALUES ($1, $2, $4, 2025, 500000, $3, now()) RETURNING id`, []any{&app, &round, &admin, &vote}},
		{&inst, `INSERT INTO instalments (award_id, position, amount_cents, due_on) VALUES ($1, 1, 250000, current_date) RETURNING id`, []any{&award}},
		{nil, `INSERT INTO instalments (award_id, position, amount_cents, due_on, condition) VALUES ($1, 2, 250000, current_date + 90, 'report_accepted')`, []any{&award}},
		{nil, dbtest.AllAgreementsSigned, nil},
		{nil, `INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, idempotency_key, recorded_by, recorded_at)
			VALUES ($1, $2, 250000, current_date, 'wire', 'WIRE-0001', 'backup-test-key-0001', $3, now())`, []any{&inst, &award, &admin}},
	}
	for i, s := range steps {
		args := make([]any, len(s.args))
		for j, a := range s.args {
			args[j] = *(a.(*int64))
		}
		if s.dst != nil {
			err = tx.GetContext(ctx, s.dst, s.q, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.q, args...)
		}
		if err != nil {
			t.Fatalf("seed step %d: %v", i, err)
		}
	}
	for _, action := range []string{"account.register", "application.submit", "vote.open", "vote.ballot", "vote.close", "award.create", "payment.record"} {
		if err := audit.Record(ctx, tx, audit.Event{ActorID: &admin, ActorLabel: "ad@example.org", IP: "127.0.0.1", Action: action, ObjectType: "application", ObjectID: "1", Details: map[string]any{"step": action}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
