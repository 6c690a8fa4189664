package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/document"
	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/bucket"
)

// PostgreSQL restarted while the portal runs: requests meanwhile get a
// clear 503 page quickly (no crash, no hang), and the portal recovers by
// itself once the database is back, the person still logged in.
func TestDatabaseRestartMidTraffic(t *testing.T) {
	t.Parallel()
	cluster := dbtest.NewCluster(t)
	pool, err := db.Open(context.Background(), dbtest.NewURLIn(t, cluster))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	s := newTestServerOn(t, pool)
	ch := s.newCharity(t, "es", "Rosa")
	wantStatus(t, ch.get("/dashboard"), http.StatusOK)

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dashboard", "/readyz", "/"} {
		start := time.Now()
		rec := ch.get(path)
		if path != "/" && rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s during the outage: %d, want 503", path, rec.Code)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s took %v during the outage", path, took)
		}
	}
	wantStatus(t, s.client(t).get("/healthz"), http.StatusOK)

	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := ch.get("/dashboard")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec, "Rosa")
}

// s3Portal is the test server with its documents in a bucket of a private
// versitygw, as a portal with S3_BUCKET set keeps them; the test stops and
// starts that server.
type s3Portal struct {
	*testServer
	s3     *testenv.S3Server
	bucket string
	store  *document.S3
}

func newS3Portal(t *testing.T) *s3Portal {
	t.Helper()
	p := &s3Portal{testServer: newTestServer(t), s3: testenv.NewVersityGW(t)}
	p.bucket = p.s3.NewBucket(t)
	var err error
	p.store, err = document.NewS3(context.Background(), document.S3Config{Endpoint: p.s3.Endpoint, Region: p.s3.Region,
		Bucket: p.bucket, AccessKeyID: p.s3.AccessKey, SecretAccessKey: p.s3.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	p.docs = document.New(p.db, document.Options{Store: p.store, Log: slog.New(slog.DiscardHandler)})
	return p
}

// wantRecorded checks that the bucket holds exactly the objects the
// documents table names, and no unfinished upload.
func (p *s3Portal) wantRecorded(t *testing.T) {
	t.Helper()
	var named []string
	if err := p.db.Select(&named, `SELECT 'documents/' || storage_key FROM documents`); err != nil {
		t.Fatal(err)
	}
	bucket.WantExactly(t, p.s3, p.bucket, named)
}

func (p *s3Portal) rows(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := p.db.Get(&n, query); err != nil {
		t.Fatal(err)
	}
	return n
}

// S3 stopped while a file is on its way: the person is told why, in their
// language (JSON for the page's script, the page for a plain form), and
// quickly; no row is written; the same upload succeeds once S3 is back; and
// the sweep removes what the interrupted upload left in the bucket.
func TestS3StoppedDuringAnUpload(t *testing.T) {
	t.Parallel()
	p := newS3Portal(t)
	rosa := p.newCharity(t, "es", "Rosa")
	rosaApp := rosa.startEmptyApplication()
	ana := p.newCharity(t, "en", "Ana")
	anaApp := ana.startEmptyApplication()

	// Two parts' worth (S3's parts are 5 MiB): the upload manager has begun
	// a multipart upload by the time the body stalls after 6 MiB.
	file := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), 7<<20)...)
	byScript := func() *http.Request {
		req := rosa.multipartRequest(rosaApp+"/documents", url.Values{"kind": {"budget_sheet"}}, "file", "presupuesto.pdf", file)
		req.Header.Set("Accept", "application/json")
		return req
	}
	req := byScript()
	release := make(chan struct{})
	req.Body = io.NopCloser(held(req.Body, 6<<20, release))
	answer := make(chan *httptest.ResponseRecorder, 1)
	go func() { answer <- rosa.do(req) }()
	testenv.Eventually(t, time.Minute, "the upload's multipart upload in S3", func() bool {
		_, uploads := bucket.Contents(t, p.s3, p.bucket)
		return len(uploads) == 1
	})
	if err := p.s3.Stop(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	close(release)
	rec := <-answer
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the refusal took %v", took)
	}
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	var body struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error != p.cat.T("es", "error.document.store_unavailable") {
		t.Errorf("the script is told %q (%v)", rec.Body.String(), err)
	}

	// A plain form, in English, while S3 is still down: the page again, with
	// the reason beside the upload form.
	start = time.Now()
	rec = ana.upload(anaApp, "budget_sheet", "", "budget.pdf", pdfBytes)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the refusal took %v", took)
	}
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `class="error-summary"`, p.cat.T("en", "error.document.store_unavailable"), `name="file"`)
	if n := p.rows(t, `SELECT count(*) FROM documents`); n != 0 {
		t.Fatalf("%d document rows after the refusals", n)
	}

	// S3 back: the same uploads go through.
	if err := p.s3.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, rosa.do(byScript()), http.StatusOK)
	wantStatus(t, ana.upload(anaApp, "budget_sheet", "", "budget.pdf", pdfBytes), http.StatusSeeOther)
	if n := p.rows(t, `SELECT count(*) FROM documents`); n != 2 {
		t.Fatalf("%d document rows after the retries, want 2", n)
	}

	// A day later the sweep aborts the interrupted multipart upload and
	// keeps the recorded files.
	later := document.New(p.db, document.Options{Store: p.store, Now: func() time.Time { return time.Now().Add(2 * document.DefaultGrace) }})
	if n, err := later.Sweep(context.Background()); err != nil || n != 1 {
		t.Errorf("the sweep removed %d leftovers (%v), want the interrupted upload", n, err)
	}
	p.wantRecorded(t)
}

// A payment's receipt takes the same path: with S3 stopped the admin is told
// why and nothing of the payment is recorded; once S3 is back the same form
// records the payment with its receipt.
func TestS3StoppedDuringAPaymentReceipt(t *testing.T) {
	t.Parallel()
	p := newS3Portal(t)
	admin := p.loginAs(t, p.seedDemo(t)[demoAdmin]) // in Spanish
	ana := p.newCharity(t, "en", "Ana")
	app := ana.submitted("Mission 2027")
	p.approve(t, app, 500_000)
	award := url.Values{"amount": {"5000"}, "year": {"2027"}, "instalment_amount": {"5000"}, "instalment_due": {"2027-02-01"}, "instalment_condition": {"before_trip"}}
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/award", award), http.StatusSeeOther)
	ana.signAgreement(t, app)
	payment := paymentForm(t, admin.get(app), 1, "5000")
	pay := func() *httptest.ResponseRecorder {
		return admin.multipart("/admin/applications/"+appID(app)+"/payments", payment, "receipt", "recibo.pdf", pdfBytes)
	}

	if err := p.s3.Stop(); err != nil {
		t.Fatal(err)
	}
	rec := pay()
	wantStatus(t, rec, http.StatusServiceUnavailable) // the form comes back, saying to try again later
	mustContain(t, rec, p.cat.T("es", "error.document.store_unavailable"))
	if n := p.rows(t, `SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM documents WHERE kind = 'receipt')`); n != 0 {
		t.Fatalf("%d payment and receipt rows after the refusal", n)
	}

	if err := p.s3.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, pay(), http.StatusSeeOther)
	if n := p.rows(t, `SELECT count(*) FROM payments p JOIN documents d ON d.id = p.receipt_id`); n != 1 {
		t.Fatalf("%d payments with their receipt, want 1", n)
	}
	p.wantRecorded(t)
}

// held is a request body that stops after its first n bytes until release
// is closed, as a slow connection does.
func held(body io.Reader, n int64, release <-chan struct{}) io.Reader {
	return io.MultiReader(io.LimitReader(body, n), waiting(release), body)
}

type waiting <-chan struct{}

func (w waiting) Read([]byte) (int, error) {
	<-w
	return 0, io.EOF
}
