package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/export"
	"missiongrants/internal/testenv"
	"missiongrants/internal/vote"
)

// The minutes list the votes closed in the period, with who voted what, who
// was recused and whether there was a quorum, as a printable page and as a
// CSV file that encoding/csv reads back, every would-be formula neutralised.
func TestMinutesPageAndCSV(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.userID(t, demoAdmin)
	var appID, org int64
	if err := s.db.Get(&org, `INSERT INTO organizations (legal_name, country, registration_number, created_by)
		VALUES ('-2+3 Heart Fund', 'HN', 'R-1', $1) RETURNING id`, admin); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Get(&appID, `WITH r AS (INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling', true) RETURNING id)
		INSERT INTO applications (organization_id, round_id, status, version, title, submitted_at, created_by)
		SELECT $1, r.id, 'approved', 1, '=HYPERLINK("http://evil.example","click")', now(), $2 FROM r RETURNING id`, org, admin); err != nil {
		t.Fatal(err)
	}
	closeVote := func(closed time.Time, decision vote.Decision, rec vote.Record, conditions string) {
		t.Helper()
		raw, _ := json.Marshal(rec)
		if _, err := s.db.Exec(`INSERT INTO votes (application_id, proposed_cents, conditions, opened_by, opened_at, closes_at, closed_at, closed_by, result, decision, approved_cents)
			VALUES ($1, 1800050, $2, $3, $4::timestamptz, $4::timestamptz + interval '3 days', $4::timestamptz + interval '1 day', $3, $5, $6,
				CASE WHEN $6 = 'approved' THEN 1800050 END)`,
			appID, conditions, admin, closed.Add(-24*time.Hour), raw, string(decision)); err != nil {
			t.Fatal(err)
		}
	}
	closeVote(time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC), vote.NoDecision, vote.Record{
		Result:  vote.Result{Eligible: 4, Cast: 1, Abstain: 1, Decision: vote.NoDecision},
		Ballots: []vote.BallotRecord{{Name: "Bruno Board", Choice: vote.Abstain}}, Recused: []string{"@Carla Conflict"}}, "")
	closeVote(time.Date(2026, 4, 2, 9, 30, 0, 0, time.UTC), vote.Approved, vote.Record{
		Result: vote.Result{Eligible: 3, Cast: 3, Approve: 2, Decline: 1, QuorumMet: true, Decision: vote.Approved},
		Ballots: []vote.BallotRecord{{Name: "=cmd|' /C calc'!A0", Choice: vote.Approve, Comment: "+1 strong team"},
			{Name: "Bruno Board", Choice: vote.Approve}, {Name: "Dora Decline", Choice: vote.Decline, Comment: "-too costly"}},
		Recused: []string{"@Carla Conflict"}}, "+report within 60 days")
	closeVote(time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), vote.Declined, vote.Record{}, "") // before the period

	c := s.loginAs(t, people[demoAdmin]) // Sofía reads the portal in Spanish
	page := c.get("/admin/minutes?from=2026-01-01&to=2026-06-30")
	wantStatus(t, page, http.StatusOK)
	es := func(key string, args ...any) string { return s.text("es", key, args...) }
	mustContain(t, page, es("page.minutes.title"), es("board.decision.approved"), es("board.decision.none"),
		es("page.board.quorum_met", "Cast", 3, "Eligible", 3, "Count", 3), es("page.board.quorum_missed", "Cast", 1, "Eligible", 4, "Count", 4),
		es("page.board.counts", "Approve", 2, "Decline", 1, "Abstain", 0), "Dora Decline", "-too costly", "@Carla Conflict", "US$18.000,50",
		`href="/admin/minutes.csv?from=2026-01-01&amp;to=2026-06-30"`, s.assets.url("css/app.css"))
	mustNotContain(t, page, "<script>alert")
	if strings.Count(page.Body.String(), `class="panel minute"`) != 2 {
		t.Errorf("the page lists %d votes, want the 2 in the period", strings.Count(page.Body.String(), `class="panel minute"`))
	}

	rec := c.get("/admin/minutes.csv?from=2026-01-01&to=2026-06-30")
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="minutes-2026-01-01-2026-06-30.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, rec.Body.String())
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want a header and 2 votes:\n%s", len(rows), rec.Body.String())
	}
	// Columns by their catalog key (page.minutes.csv.KEY), in Spanish.
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	column := func(key string) int {
		i, ok := col[s.cat.T("es", "page.minutes.csv."+key)]
		if !ok {
			t.Fatalf("no column %s in %q", key, rows[0])
		}
		return i
	}
	tr := func(key string) string { return s.cat.T("es", key) }
	approved := rows[2]
	for key, want := range map[string]string{
		"closed_at":    "2026-04-02 09:30",
		"title":        `'=HYPERLINK("http://evil.example","click")`,
		"organization": "'-2+3 Heart Fund",
		"proposed":     "18000.50",
		"conditions":   "'+report within 60 days",
		"decision":     tr("board.decision.approved"),
		"quorum":       tr("page.minutes.yes"),
		"approve":      "2",
		"ballots": "'=cmd|' /C calc'!A0: " + tr("board.choice.approve") + " (+1 strong team); Bruno Board: " + tr("board.choice.approve") +
			"; Dora Decline: " + tr("board.choice.decline") + " (-too costly)",
		"recused": "'@Carla Conflict",
	} {
		if got := approved[column(key)]; got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	if got := rows[1][column("decision")]; got != tr("board.decision.none") {
		t.Errorf("the first vote's decision: %q", got)
	}
	// No cell a spreadsheet would run.
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %q starts with a formula character: %q", rows[0][i], cell)
			}
		}
	}

	// As a PDF: a draft until an admin approves the minutes as they stand,
	// then signed off with who approved them and when.
	pdfText := func() string {
		rec := c.get("/admin/minutes.pdf?from=2026-01-01&to=2026-06-30")
		wantStatus(t, rec, http.StatusOK)
		return strings.Join(strings.Fields(testenv.PDFText(t, rec.Body.Bytes())), " ")
	}
	draft := pdfText()
	for _, want := range []string{tr("paper.minutes.title"), tr("paper.minutes.draft"), "Dora Decline", "-too costly", "US$18.000,50", "@Carla Conflict"} {
		if !strings.Contains(draft, want) {
			t.Errorf("the minutes' PDF lacks %q", want)
		}
	}
	wantRedirect(t, c.post("/admin/minutes/approve", url.Values{"from": {"2026-01-01"}, "to": {"2026-06-30"}}), "/admin/minutes?from=2026-01-01&to=2026-06-30")
	approvedBy := s.cat.T("es", "paper.minutes.approved_by", "Name", people[demoAdmin].name, "Date", s.cat.Date("es", s.now()))
	if got := pdfText(); !strings.Contains(got, approvedBy) {
		t.Errorf("the approved minutes' PDF lacks %q", approvedBy)
	}
	mustContain(t, c.get("/admin/minutes?from=2026-01-01&to=2026-06-30"), s.text("es", "paper.minutes.approved_by", "Name", people[demoAdmin].name, "Date", s.cat.Date("es", s.now())))

	// A period that cannot be read comes back beside its field.
	bad := c.get("/admin/minutes?from=2026-06-30&to=2026-01-01")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, `id="f-to-error"`)
	wantStatus(t, c.get("/admin/minutes.csv?from=yesterday"), http.StatusBadRequest)
}

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\t=1": "'\t=1", "\r=1": "'\r=1",
		"": "", "Heart": "Heart", "1-2": "1-2", "'=1": "'=1", " =1": " =1",
		// Excel in Spanish splits on ";" where the file is not quoted.
		"Heart;=HYPERLINK(\"http://evil.example\")": "Heart;'=HYPERLINK(\"http://evil.example\")", "a,@SUM(A1)": "a,'@SUM(A1)",
	} {
		if got := export.Neutralize(in); got != want {
			t.Errorf("export.Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}
