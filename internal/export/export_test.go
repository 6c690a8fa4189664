package export_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/export"
	"missiongrants/internal/money"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// seed writes two applications in 2026 and one each side of it, a closed
// vote in 2026 and one after, and an award with three ledger lines in 2026
// (one reversed) and one in 2027.
func seed(t *testing.T, db *sqlx.DB) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO users (id, email, name, is_admin) VALUES (900, 'ida@example.org', 'Ida Admin', true)`,
		`INSERT INTO organizations (id, legal_name, country, registration_number, created_by) VALUES (900, '=Evil Org', 'HN', 'R-1', 900)`,
		`INSERT INTO funding_rounds (id, name, rolling) VALUES (900, 'Rolling', true)`,
		`INSERT INTO applications (id, organization_id, round_id, status, version, title, country, trip_start, amount_requested_cents, submitted_at, created_by) VALUES
			(901, 900, 900, 'approved', 1, '+Heart mission', 'HN', '2026-06-01', 1000000, '2026-02-01 10:00Z', 900),
			(902, 900, 900, 'submitted', 1, 'Second', 'GT', NULL, 250050, '2026-05-01 10:00Z', 900),
			(903, 900, 900, 'submitted', 1, 'Too early', 'GT', NULL, 1, '2025-12-31 23:59Z', 900),
			(904, 900, 900, 'draft', 0, 'Draft', '', NULL, 0, NULL, 900)`,
		`INSERT INTO votes (id, application_id, proposed_cents, opened_by, opened_at, closes_at, closed_at, result, decision, approved_cents) VALUES
			(901, 901, 1000000, 900, '2026-03-01Z', '2026-03-10Z', '2026-03-10Z',
			 '{"Eligible":4,"Cast":3,"Approve":2,"Decline":1,"Abstain":0,"QuorumMet":true,"Decision":"approved","ballots":[],"recused":[]}', 'approved', 1000000),
			(902, 902, 5000, 900, '2026-12-01Z', '2027-01-10Z', '2027-01-02Z', '{"Eligible":4,"Cast":0,"QuorumMet":false}', 'none', NULL)`,
		`INSERT INTO awards (id, application_id, round_id, vote_id, year, amount_cents, created_by, created_at) VALUES (901, 901, 900, 901, 2026, 1000000, 900, '2026-03-11Z')`,
		`INSERT INTO instalments (id, award_id, position, amount_cents, due_on) VALUES (901, 901, 1, 600000, '2026-04-01'), (902, 901, 2, 400000, '2026-09-01')`,
		dbtest.AllAgreementsSigned,
		`INSERT INTO payments (id, instalment_id, award_id, amount_cents, reverses, paid_on, method, reference, reason, idempotency_key, recorded_by, recorded_at) VALUES
			(901, 901, 901, 300000, NULL, '2026-04-02', 'wire', '@SUM(A1)', '', 'key-0000000000901', 900, now()),
			(902, 901, 901, 300000, NULL, '2026-04-20', 'check', 'CHK-7', '', 'key-0000000000902', 900, now()),
			(903, 901, 901, -300000, 902, '2026-04-21', 'check', '', 'paid twice', 'key-0000000000903', 900, now()),
			(904, 902, 901, 100000, NULL, '2027-01-05', 'wire', '', '', 'key-0000000000904', 900, now())`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

var year2026 = export.Period{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}

func collect(t *testing.T, db *sqlx.DB, e export.Export, p export.Period) []export.Row {
	t.Helper()
	var out []export.Row
	if err := e.Run(context.Background(), db, p, 0, func(r export.Row) error {
		if len(r) != len(e.Columns) {
			t.Fatalf("%s: a row of %d cells for %d columns", e.Name, len(r), len(e.Columns))
		}
		out = append(out, append(export.Row(nil), r...))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Each export yields the rows of the period, both ends included, in order.
func TestExportsYieldThePeriodsRows(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	seed(t, db)

	apps := collect(t, db, export.Applications, year2026)
	if len(apps) != 2 || apps[0][0] != int64(901) || apps[1][0] != int64(902) {
		t.Fatalf("applications %v, want 901 and 902", apps)
	}
	if apps[0][3] != "+Heart mission" || apps[0][4] != "=Evil Org" || apps[1][9] != money.Cents(250050) || apps[1][8] != nil {
		t.Errorf("application row %v / %v", apps[0], apps[1])
	}
	if apps[0][11] != "full" { // a one-stage round's application is its full proposal
		t.Errorf("stage %v", apps[0][11])
	}
	if got := time.Time(apps[0][7].(export.Date)).Format(time.DateOnly); got != "2026-06-01" {
		t.Errorf("trip start %s", got)
	}

	votes := collect(t, db, export.Decisions, year2026)
	if len(votes) != 1 {
		t.Fatalf("decisions %v, want the one closed in 2026", votes)
	}
	want := export.Row{int64(901), int64(901), "+Heart mission", "=Evil Org"}
	for i, w := range want {
		if votes[0][i] != w {
			t.Errorf("decision cell %d = %v, want %v", i, votes[0][i], w)
		}
	}
	if tally := votes[0][8:]; tally[0] != int64(4) || tally[1] != int64(3) || tally[2] != int64(2) || tally[3] != int64(1) || tally[4] != int64(0) || tally[5] != true {
		t.Errorf("tally %v", tally)
	}

	pays := collect(t, db, export.Payments, year2026)
	var total money.Cents
	for _, p := range pays {
		total += p[2].(money.Cents)
	}
	if len(pays) != 3 || total != 300000 {
		t.Fatalf("payments %v (total %v), want 3 lines totalling 3000.00", pays, total)
	}
	if pays[2][6] != int64(902) || pays[2][7] != "paid twice" || pays[0][5] != "@SUM(A1)" || pays[0][13] != int64(1) || pays[0][14] != money.Cents(600000) {
		t.Errorf("ledger rows %v", pays)
	}
	one := export.Period{From: year2026.From, To: time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)}
	if got := collect(t, db, export.Payments, one); len(got) != 2 {
		t.Errorf("%d payments up to 20 April, want 2 (the end day included)", len(got))
	}
}

func TestLookup(t *testing.T) {
	if e, err := export.Lookup("payments"); err != nil || e.Name != "payments" {
		t.Errorf("Lookup(payments) = %v, %v", e.Name, err)
	}
	if _, err := export.Lookup("users"); err != export.ErrUnknown {
		t.Errorf("Lookup(users) = %v", err)
	}
}

// Every text cell is quoted, so no separator inside it makes a new cell in
// any spreadsheet; numbers and dates are not.
func TestCSVQuotesEveryTextCell(t *testing.T) {
	var b strings.Builder
	w := export.NewCSV(&b)
	w.Row(export.Text("Heart; Fund"), export.Text(`say "hi"`), export.Plain("-12.50"), export.Plain("2026-03-01"), export.Text("x;=1"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "\ufeff\"Heart; Fund\",\"say \"\"hi\"\"\",-12.50,2026-03-01,\"x;'=1\"\r\n"; got != want {
		t.Errorf("row %q, want %q", got, want)
	}
}
