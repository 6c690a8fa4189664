package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"missiongrants/internal/dbtest"
)

// seedExports writes, for the admin, an application with a would-be formula
// for a title, a closed vote and an award with three ledger lines in 2026
// (one reversing another), a trip report accepted in 2026, and one of each
// outside 2026 (and a report submitted but not yet accepted).
func (s *testServer) seedExports(t *testing.T, admin int64) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO organizations (id, legal_name, country, registration_number, created_by) VALUES (9900, '-2+3 Heart Fund', 'HN', 'R-1', $1)`,
		`INSERT INTO funding_rounds (id, name, rolling) VALUES (9900, 'Rolling', true)`,
		`INSERT INTO applications (id, organization_id, round_id, status, version, title, amount_requested_cents, submitted_at, created_by) VALUES
			(9901, 9900, 9900, 'approved', 1, '=HYPERLINK("http://evil.example","click")', 1000000, '2026-02-01 10:00Z', $1),
			(9902, 9900, 9900, 'submitted', 1, 'Second', 250050, '2026-05-01 10:00Z', $1),
			(9903, 9900, 9900, 'submitted', 1, 'Too early', 1, '2025-12-31 23:59Z', $1)`,
		`INSERT INTO votes (id, application_id, proposed_cents, opened_by, opened_at, closes_at, closed_at, result, decision, approved_cents) VALUES
			(9901, 9901, 1000000, $1, '2026-03-01Z', '2026-03-10Z', '2026-03-10Z',
			 '{"Eligible":4,"Cast":3,"Approve":2,"Decline":1,"Abstain":0,"QuorumMet":true,"Decision":"approved"}', 'approved', 1000000),
			(9902, 9902, 5000, $1, '2026-12-01Z', '2027-01-10Z', '2027-01-02Z', '{"Eligible":4,"Cast":0}', 'none', NULL)`,
		`INSERT INTO awards (id, application_id, round_id, vote_id, year, amount_cents, created_by, created_at) VALUES (9901, 9901, 9900, 9901, 2026, 1000000, $1, '2026-03-11Z')`,
		`INSERT INTO instalments (id, award_id, position, amount_cents, due_on) VALUES (9901, 9901, 1, 600000, '2026-04-01'), (9902, 9901, 2, 400000, '2026-09-01')`,
		dbtest.AllAgreementsSigned,
		`INSERT INTO payments (id, instalment_id, award_id, amount_cents, reverses, paid_on, method, reference, reason, idempotency_key, recorded_by, recorded_at) VALUES
			(9901, 9901, 9901, 300000, NULL, '2026-04-02', 'wire', '@SUM(A1)', '', 'key-0000000009901', $1, now()),
			(9902, 9901, 9901, 300000, NULL, '2026-04-20', 'check', 'CHK-7', '', 'key-0000000009902', $1, now()),
			(9903, 9901, 9901, -300000, 9902, '2026-04-21', 'check', '', '+paid twice', 'key-0000000009903', $1, now()),
			(9904, 9902, 9901, 100000, NULL, '2027-01-05', 'wire', '', '', 'key-0000000009904', $1, now())`,
		`UPDATE applications SET country = 'HN', trip_start = '2026-06-01', trip_end = '2026-06-10' WHERE id = 9901`,
		`INSERT INTO reports (application_id, status, patients, pediatric, open_heart, bypass, interventional, deaths, submitted_at, accepted_at, created_at, updated_at) VALUES
			(9901, 'accepted', 42, 30, 25, 20, 12, 1, '2026-08-01Z', '2026-08-15 09:00Z', '2026-07-01Z', '2026-08-15Z'),
			(9902, 'accepted', 7, 7, 3, 3, 2, 0, '2026-12-20Z', '2027-01-03Z', '2026-12-01Z', '2027-01-03Z'),
			(9903, 'submitted', 100, 50, 10, 5, 5, 2, '2026-09-01Z', NULL, '2026-08-01Z', '2026-09-01Z')`,
		// 9901's case mix: 20 children in RACHS-1 category 2 (3.8%: 0.76
		// expected), 10 in 3 (8.5%: 0.85) with the death, 12 adults.
		`INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths, deaths_hospital, deaths_after, ssi, bsi, predicted) VALUES
			(9901, 'child', '2', 20, 0, 0, 0, 1, 0, NULL), (9901, 'child', '3', 10, 1, 1, 0, 0, 1, NULL),
			(9901, 'adult', 'valve', 12, 0, NULL, NULL, NULL, NULL, 0.5), (9902, 'child', '1', 7, 0, 0, 0, 0, 0, NULL)`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, admin)
		}
		if _, err := s.db.Exec(q, args...); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

// Each export opens back as CSV and as XLSX with the period's rows, the
// header in the admin's language, and in the CSV every would-be formula
// neutralised.
func TestExportsAsCSVAndXLSX(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	s.seedExports(t, s.userID(t, demoAdmin))
	c := s.loginAs(t, people[demoAdmin]) // Sofía reads the portal in Spanish

	page := c.get("/admin/exports?from=2026-01-01&to=2026-12-31")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Exportaciones", `formaction="/admin/exports/payments"`, `formaction="/admin/exports/outcomes"`, `value="2026-01-01"`)
	bad := c.get("/admin/exports/payments.csv?from=2026-06-30&to=2026-01-01")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, `id="f-to-error"`)
	wantStatus(t, c.get("/admin/exports/users.csv"), http.StatusNotFound)
	wantStatus(t, c.get("/admin/exports/payments.pdf"), http.StatusNotFound)

	type want struct {
		rows   int      // data rows
		first  []string // column (Spanish header) → value in the first row, CSV form
		sumCol string   // a money column whose total is total
		total  float64
	}
	cases := map[string]want{
		"applications": {rows: 2, first: []string{"Título", `'=HYPERLINK("http://evil.example","click")`, "Organización", "'-2+3 Heart Fund", "Monto solicitado", "10000.00"},
			sumCol: "Monto solicitado", total: 12500.50},
		"decisions": {rows: 1, first: []string{"Votación", "9901", "A favor", "2", "En contra", "1", "Con derecho a voto", "4", "Quórum", s.cat.T("es", "page.minutes.yes"), "Decisión", "Aprobada"},
			sumCol: "Monto propuesto", total: 10000},
		"payments": {rows: 3, first: []string{"Referencia", "'@SUM(A1)", "Medio", "Transferencia", "Fecha de pago", "2026-04-02", "Cuota", "1", "Subvención", "9901", "Estado", s.cat.T("es", "export.state.counted")},
			sumCol: "Monto", total: 3000},
		"outcomes": {rows: 1, first: []string{"Solicitud", "9901", "Aceptado (UTC)", "2026-08-15 09:00:00", "País", "Honduras", "Fin del viaje", "2026-06-10",
			"Organización", "'-2+3 Heart Fund", "Pacientes pediátricos", "30", "Fallecimientos", "1"},
			sumCol: "Pacientes", total: 42},
		// One row per trip and category, the period's trip only.
		"case_mix": {rows: 3, first: []string{"Solicitud", "9901", "Grupo de edad", "Niños", "Categoría", "2", "Casos", "20",
			"Infecciones de herida quirúrgica", "1", "Mortalidad de referencia (%)", "3.8", "Muertes esperadas", "0.76"},
			sumCol: "Casos", total: 42},
		// Per trip: 1 death against 0.76 + 0.85 = 1.61 expected.
		"trip_outcomes": {rows: 1, first: []string{"Solicitud", "9901", "Casos", "30", "Muertes observadas", "1", "Muertes esperadas", "1.61",
			"Infecciones en sangre", "1", "Casos fuera del cálculo", "0"},
			sumCol: "Observadas/esperadas", total: 1 / 1.61},
	}
	for name, w := range cases {
		query := "?from=2026-01-01&to=2026-12-31"
		rec := c.get("/admin/exports/" + name + ".csv" + query)
		wantStatus(t, rec, http.StatusOK)
		if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="`+name+`-2026-01-01-2026-12-31.csv"` {
			t.Errorf("%s: Content-Disposition %q", name, cd)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: the CSV does not parse: %v", name, err)
		}
		checkExport(t, name+".csv", rows, w.rows, w.first, w.sumCol, w.total)

		rec = c.get("/admin/exports/" + name + query + "&format=xlsx")
		wantStatus(t, rec, http.StatusOK)
		if ct := rec.Header().Get("Content-Type"); ct != exportFormats["xlsx"] {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, name+"-2026-01-01-2026-12-31.xlsx") {
			t.Errorf("%s: Content-Disposition %q", name, cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s: the XLSX does not open: %v", name, err)
		}
		rows, err = f.GetRows("Sheet1")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// In a workbook text is stored as text, never run: nothing to neutralise.
		first := append([]string(nil), w.first...)
		for i := 1; i < len(first); i += 2 {
			first[i] = strings.TrimPrefix(first[i], "'")
		}
		checkExport(t, name+".xlsx", rows, w.rows, first, w.sumCol, w.total)
	}
}

func checkExport(t *testing.T, name string, rows [][]string, n int, first []string, sumCol string, total float64) {
	t.Helper()
	if len(rows) != n+1 {
		t.Fatalf("%s: %d rows, want a header and %d:\n%q", name, len(rows), n, rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i := 0; i < len(first); i += 2 {
		j, ok := col[first[i]]
		if !ok {
			t.Errorf("%s: no column %q in %q", name, first[i], rows[0])
			continue
		}
		if got := rows[1][j]; !strings.EqualFold(got, first[i+1]) { // a workbook's TRUE is the CSV's true
			t.Errorf("%s: %s = %q, want %q", name, first[i], got, first[i+1])
		}
	}
	var sum float64
	for _, r := range rows[1:] {
		var v float64
		if _, err := fmt.Sscan(r[col[sumCol]], &v); err != nil {
			t.Errorf("%s: %s %q: %v", name, sumCol, r[col[sumCol]], err)
		}
		sum += v
	}
	if fmt.Sprintf("%.2f", sum) != fmt.Sprintf("%.2f", total) {
		t.Errorf("%s: %s totals %.2f, want %.2f", name, sumCol, sum, total)
	}
}

// discard is a response writer that counts what it is sent and keeps none of it.
type discard struct {
	header http.Header
	n      int64
	status int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(b []byte) (int, error) { d.n += int64(len(b)); return len(b), nil }
func (d *discard) Flush()                      {}

// Exporting 100,000 ledger lines keeps the heap flat: the rows are written
// as they come. The peak heap growth over the request is logged (see
// docs/performance.md) and bounded.
//
//	go test ./internal/web/ -run TestExportMemory -v
func TestExportMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 payments")
	}
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.userID(t, demoAdmin)
	s.seedExports(t, admin)
	const n = 100000
	for _, q := range []string{
		`SELECT setval('payments_id_seq', 10000)`,
		`INSERT INTO applications (id, organization_id, round_id, status, version, title, submitted_at, created_by) VALUES (9990, 9900, 9900, 'approved', 1, 'Big', '2026-01-05Z', $1)`,
		`INSERT INTO votes (id, application_id, proposed_cents, opened_by, opened_at, closes_at, closed_at, result, decision, approved_cents)
			VALUES (9990, 9990, 100000000, $1, '2026-01-01Z', '2026-01-04Z', '2026-01-04Z', '{}', 'approved', 100000000)`,
		`INSERT INTO awards (id, application_id, round_id, vote_id, year, amount_cents, created_by, created_at) VALUES (9990, 9990, 9900, 9990, 2026, 100000000, $1, '2026-01-06Z')`,
		`INSERT INTO instalments (id, award_id, position, amount_cents, due_on) VALUES (9990, 9990, 1, 100000000, '2026-02-01')`,
		dbtest.AllAgreementsSigned,
		// Awaiting approval, so the trigger does not update one award's
		// totals 100,000 times in one transaction.
		`INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, reason, idempotency_key, needs_approval, recorded_by, recorded_at)
			SELECT 9990, 9990, 1 + g % 500, date '2026-01-01' + (g % 360), 'wire', 'REF-' || g || ' a reference of some length', '',
				'bulk-' || lpad(g::text, 12, '0'), true, $1, now() FROM generate_series(1, 100000) g`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, admin)
		}
		if _, err := s.db.Exec(q, args...); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	c := s.loginAs(t, people[demoAdmin])
	// A tight GC target, so the peak is what the export holds rather
	// than garbage not yet collected.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	for _, format := range []string{"csv", "xlsx"} {
		req := httptest.NewRequest(http.MethodGet, "/admin/exports/payments."+format+"?from=2026-01-01&to=2026-12-31", nil)
		for name, value := range c.cookies {
			req.AddCookie(&http.Cookie{Name: name, Value: value})
		}
		w := &discard{header: http.Header{}}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := before.HeapAlloc
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
				select {
				case <-done:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		start := time.Now()
		s.Handler().ServeHTTP(w, req)
		close(done)
		wg.Wait()
		if w.status != http.StatusOK && w.status != 0 {
			t.Fatalf("%s: status %d", format, w.status)
		}
		growth := float64(peak-before.HeapAlloc) / (1 << 20)
		t.Logf("%s: %d payment rows (+3 seeded), %.1f MB sent in %v, peak heap growth %.1f MB", format, n, float64(w.n)/(1<<20), time.Since(start).Round(time.Millisecond), growth)
		if w.n < n*50 {
			t.Errorf("%s: only %d bytes sent for %d rows", format, w.n, n)
		}
		if limit := map[string]float64{"csv": 16, "xlsx": 64}[format]; growth > limit {
			t.Errorf("%s: the heap grew by %.1f MB, more than %.0f MB: rows are being held", format, growth, limit)
		}
	}
}
