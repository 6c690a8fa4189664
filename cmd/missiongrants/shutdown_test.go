package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/dbtest"
	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/bucket"
)

// SIGTERM while a charity's file and an admin's payment with its receipt are
// still arriving: within SHUTDOWN_TIMEOUT both finish, and everything they
// write is there (rows, objects, ledger, audit); the process exits cleanly.
func TestSIGTERMLetsRequestsInFlightFinish(t *testing.T) {
	t.Parallel()
	p := startShutdownPortal(t, "1m")
	upload, payment := p.beginUploadAndPayment(t)
	p.sigterm(t)

	if r := upload.finish(); r.status != http.StatusOK {
		t.Errorf("the upload after SIGTERM: %d %v %.300s", r.status, r.err, r.body)
	}
	if r := payment.finish(); r.status != http.StatusSeeOther {
		t.Errorf("the payment after SIGTERM: %d %v %.300s", r.status, r.err, r.body)
	}
	p.waitExit(t, time.Minute)

	want := map[string]int{"documents": 2, "receipts": 1, "payments": 1, "paid_cents": 500000,
		"document audits": 2, "payment audits": 1}
	if got := p.written(t); !maps.Equal(got, want) {
		t.Errorf("after the requests finished: %v, want %v", got, want)
	}
	p.wantRecorded(t)
}

// SIGTERM while a client stalls mid-file past a short SHUTDOWN_TIMEOUT: the
// process still exits promptly, and the stalled upload and payment leave
// nothing behind: no row, no object, no unfinished multipart upload.
func TestSIGTERMCutsStalledRequestsCleanly(t *testing.T) {
	t.Parallel()
	p := startShutdownPortal(t, "2s")
	upload, payment := p.beginUploadAndPayment(t)
	p.sigterm(t)
	p.waitExit(t, 30*time.Second)
	upload.abandon()
	payment.abandon()

	want := map[string]int{"documents": 0, "receipts": 0, "payments": 0, "paid_cents": 0,
		"document audits": 0, "payment audits": 0}
	if got := p.written(t); !maps.Equal(got, want) {
		t.Errorf("after the stalled requests: %v, want %v", got, want)
	}
	p.wantRecorded(t)
}

// shutdownPortal is the real binary with its documents in S3 (the test
// process's versitygw, a bucket of its own), on a database holding the demo
// accounts, a draft application of the demo applicant's charity and an
// approved one awarded in one instalment.
type shutdownPortal struct {
	*process
	db         *sqlx.DB
	s3         *testenv.S3Server
	bucket     string
	draft      int64 // the application the charity uploads to
	awarded    int64 // the application the admin pays
	instalment int64
}

func startShutdownPortal(t *testing.T, shutdownTimeout string) *shutdownPortal {
	t.Helper()
	bin := buildBinary(t)
	dbURL := dbtest.NewURL(t)
	srv := testenv.VersityGW(t) // on a new machine, built first: minutes
	bucket := srv.NewBucket(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"DATABASE_URL=" + dbURL,
		"DATA_DIR=" + t.TempDir(),
		"S3_BUCKET=" + bucket,
		"S3_ENDPOINT=" + srv.Endpoint,
		"S3_REGION=" + srv.Region,
		"S3_ACCESS_KEY_ID=" + srv.AccessKey,
		"S3_SECRET_ACCESS_KEY=" + srv.SecretKey,
		"SHUTDOWN_TIMEOUT=" + shutdownTimeout,
	}
	runSeedDemo(ctx, t, bin, env)
	p := &shutdownPortal{db: openDB(t, dbURL), s3: srv, bucket: bucket}
	p.seedApplications(ctx, t)
	p.process = startPortal(t, bin, env)
	if !waitReady(ctx, "http://"+p.addr+"/readyz", p.exited) {
		t.Fatalf("portal %s never became ready:\n%s", p.addr, p.out())
	}
	return p
}

// seedApplications writes, as the pages would have, the demo applicant's
// charity with a draft application, and an approved one that the demo
// admin awarded US$5,000 in one instalment.
func (p *shutdownPortal) seedApplications(ctx context.Context, t *testing.T) {
	t.Helper()
	err := p.db.QueryRowContext(ctx, `
		WITH applicant AS (SELECT id FROM users WHERE email = 'applicant@demo.missiongrants.test'),
		admin AS (SELECT id FROM users WHERE email = 'admin@demo.missiongrants.test'),
		org AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			SELECT 'Corazones Abiertos', 'HN', 'REG-77', id, now() FROM applicant RETURNING id),
		member AS (INSERT INTO organization_members (organization_id, user_id) SELECT org.id, applicant.id FROM org, applicant),
		round AS (INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling 2027', true) RETURNING id),
		draft AS (INSERT INTO applications (organization_id, round_id, created_by)
			SELECT org.id, round.id, applicant.id FROM org, round, applicant RETURNING id),
		approved AS (INSERT INTO applications (organization_id, round_id, status, version, title, country, amount_requested_cents, submitted_at, created_by)
			SELECT org.id, round.id, 'approved', 1, 'Honduras 2027', 'HN', 500000, now(), applicant.id FROM org, round, applicant RETURNING id),
		vote AS (INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at, closed_at, result, decision, approved_cents)
			SELECT approved.id, 500000, admin.id, now() - interval '8 days', now() - interval '1 day', now() - interval '1 day', '{}', 'approved', 500000
			FROM approved, admin RETURNING id),
		award AS (INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, created_by, created_at)
			SELECT approved.id, round.id, vote.id, 2027, 500000, admin.id, now() FROM approved, round, admin, vote RETURNING id),
		instalment AS (INSERT INTO instalments (award_id, position, amount_cents, due_on)
			SELECT award.id, 1, 500000, current_date FROM award RETURNING id)
		SELECT draft.id, approved.id, instalment.id FROM draft, approved, instalment`).Scan(&p.draft, &p.awarded, &p.instalment)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.SignAgreements(t, p.db)
}

// beginUploadAndPayment logs in the charity and the admin, and starts the
// charity's upload (as the page's script sends it) and the admin's payment
// with its receipt. It returns once both files are streaming into S3: past
// their first 5 MiB part, with the rest still to send.
func (p *shutdownPortal) beginUploadAndPayment(t *testing.T) (upload, payment *slowUpload) {
	t.Helper()
	charity, admin := newBrowser(t), newBrowser(t)
	charity.login(p.addr, "applicant@demo.missiongrants.test", "demo-applicant-passphrase", "")
	admin.login(p.addr, "admin@demo.missiongrants.test", "demo-admin-passphrase", "DEMOADMINTOTPSECRETAAAAAAAAAAAAA")

	upload = charity.beginUpload(p.addr, fmt.Sprintf("/applications/%d/documents", p.draft),
		url.Values{"kind": {"budget_sheet"}}, "file", "presupuesto.pdf")
	payment = admin.beginUpload(p.addr, fmt.Sprintf("/admin/applications/%d/payments", p.awarded),
		url.Values{"key": {"shutdown-test-payment-key"}, "instalment": {fmt.Sprint(p.instalment)}, "amount": {"5000"},
			"paid_on": {time.Now().UTC().Format(time.DateOnly)}, "method": {"wire"}}, "receipt", "recibo.pdf")
	testenv.Eventually(t, time.Minute, "both files streaming into S3", func() bool {
		_, uploads := bucket.Contents(t, p.s3, p.bucket)
		return len(uploads) == 2
	})
	return upload, payment
}

// sigterm sends SIGTERM and waits until the portal says it is shutting down.
func (p *shutdownPortal) sigterm(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 30*time.Second, "the portal shutting down", func() bool {
		return strings.Contains(p.out(), "shutting down")
	})
}

// waitExit waits for the process to exit cleanly, failing after within
// (a "did not hang" bound, not a timing).
func (p *shutdownPortal) waitExit(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("portal exit after SIGTERM: %v\n%s", err, p.out())
		}
	case <-time.After(within):
		_ = p.cmd.Process.Kill()
		t.Fatalf("portal still running %v after SIGTERM:\n%s", within, p.out())
	}
}

// written counts what the upload and the payment write.
func (p *shutdownPortal) written(t *testing.T) map[string]int {
	t.Helper()
	got := map[string]int{}
	// The demo (seed-demo) has documents and payments of its own: these
	// are the test's charity's ($1) and award's.
	const ours = `(SELECT id FROM documents WHERE organization_id = (SELECT organization_id FROM applications WHERE id = $1))`
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{
		"documents":       {`SELECT count(*) FROM documents WHERE id IN ` + ours, []any{p.draft}},
		"receipts":        {`SELECT count(*) FROM documents WHERE kind = 'receipt' AND id IN ` + ours, []any{p.draft}},
		"payments":        {`SELECT count(*) FROM payments WHERE receipt_id IS NOT NULL AND instalment_id = $1`, []any{p.instalment}},
		"paid_cents":      {`SELECT paid_cents FROM instalments WHERE id = $1`, []any{p.instalment}},
		"document audits": {`SELECT count(*) FROM audit WHERE action = 'document.uploaded' AND object_id IN (SELECT id::text FROM ` + ours + ` d)`, []any{p.draft}},
		"payment audits":  {`SELECT count(*) FROM audit WHERE action = 'payment.recorded' AND object_id = $1::text`, []any{p.awarded}},
	} {
		var n int
		if err := p.db.Get(&n, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got[name] = n
	}
	return got
}

// wantRecorded checks that the bucket holds exactly the objects
// the documents table names, and no unfinished multipart upload.
func (p *shutdownPortal) wantRecorded(t *testing.T) {
	t.Helper()
	var named []string
	if err := p.db.Select(&named, `SELECT 'documents/' || storage_key FROM documents`); err != nil {
		t.Fatal(err)
	}
	bucket.WantExactly(t, p.s3, p.bucket, named)
}

// slowUpload is a multipart post whose file is still arriving, as from a
// slow connection: the form's fields and the file's first 6 MiB are sent,
// the last MiB waits for finish.
type slowUpload struct {
	body   *io.PipeWriter
	form   *multipart.Writer
	file   io.Writer // the file's part of the form
	answer chan answer
}

type answer struct {
	status int
	body   string
	err    error
}

// slowFile is a 7 MiB PDF: two of S3's 5 MiB parts.
var slowFile = append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("% filler\n"), 7<<20/9)...)

const slowSent = 6 << 20

func (b *browser) beginUpload(addr, path string, fields url.Values, fileField, filename string) *slowUpload {
	b.t.Helper()
	pr, pw := io.Pipe()
	u := &slowUpload{body: pw, form: multipart.NewWriter(pw), answer: make(chan answer, 1)}
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+path, pr)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", u.form.FormDataContentType())
	req.Header.Set("Accept", "application/json") // as the page's script; the payment form answers with a redirect anyway
	client := *b.client
	client.Timeout = 0 // the test decides when the body ends
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			u.answer <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		u.answer <- answer{status: resp.StatusCode, body: string(body)}
	}()
	// The token first, as the page's forms send it.
	if err := u.form.WriteField("csrf_token", b.csrf(addr)); err != nil {
		b.t.Fatal(err)
	}
	for k, vs := range fields {
		for _, v := range vs {
			if err := u.form.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	if u.file, err = u.form.CreateFormFile(fileField, filename); err == nil {
		_, err = u.file.Write(slowFile[:slowSent])
	}
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// finish sends the rest of the file, ends the form and returns the answer.
func (u *slowUpload) finish() answer {
	_, err := u.file.Write(slowFile[slowSent:])
	if err == nil {
		err = u.form.Close()
	}
	u.body.CloseWithError(err)
	return <-u.answer
}

// abandon gives up mid-file, as a client that went away.
func (u *slowUpload) abandon() answer {
	u.body.CloseWithError(errors.New("the client went away"))
	return <-u.answer
}
