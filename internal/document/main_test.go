package document_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/document"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// storeKinds are the two Store implementations every store test runs on.
var storeKinds = []struct {
	name string
	new  func(t testing.TB) document.Store
}{
	{"disk", diskStore},
	{"s3", s3Store},
}

func diskStore(t testing.TB) document.Store {
	s, err := document.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// s3Store is a store on a bucket of the test's own, on the shared versitygw.
func s3Store(t testing.TB) document.Store {
	return s3StoreOpts(t, document.S3Config{})
}

func s3StoreOpts(t testing.TB, c document.S3Config) *document.S3 {
	srv := testenv.VersityGW(t)
	c.Endpoint, c.Region, c.Bucket = srv.Endpoint, srv.Region, srv.NewBucket(t)
	c.AccessKeyID, c.SecretAccessKey = srv.AccessKey, srv.SecretKey
	s, err := document.NewS3(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture is two charities, each with a member and a draft application,
// and the IPA's admin and board member.
type fixture struct {
	db               *sqlx.DB
	store            document.Store
	svc              *document.Service
	owner, stranger  *account.User
	admin, board     *account.User
	org, strangerOrg int64
	app, strangerApp int64
	now              time.Time
	maxBytes         int64
	scanner          *document.Scanner
	grace            time.Duration
	log              *slog.Logger
}

type option func(*fixture)

func withMaxBytes(n int64) option            { return func(f *fixture) { f.maxBytes = n } }
func withScanner(s *document.Scanner) option { return func(f *fixture) { f.scanner = s } }

// withClamd scans every upload with the test process's clamd.
func withClamd(t testing.TB) option {
	return withScanner(document.NewScanner(testenv.Clamd(t).Addr))
}

func setup(t testing.TB, store document.Store, opts ...option) *fixture {
	t.Helper()
	f := &fixture{db: dbtest.New(t), store: store, now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), grace: time.Hour,
		log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(f)
	}
	f.svc = document.New(f.db, document.Options{Store: store, MaxBytes: f.maxBytes, Scanner: f.scanner, Grace: f.grace,
		Now: func() time.Time { return f.now }, Log: f.log})
	f.owner = f.user(t, "owner@corazones.example", false, false)
	f.stranger = f.user(t, "other@otra.example", false, false)
	f.admin = f.user(t, "admin@ipa.example", true, false)
	f.board = f.user(t, "board@ipa.example", false, true)
	f.org = f.organization(t, f.owner)
	f.strangerOrg = f.organization(t, f.stranger)
	var round int64
	if err := f.db.Get(&round, `INSERT INTO funding_rounds (name, rolling) VALUES ('2027 missions', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	f.app = f.application(t, f.org, f.owner, round)
	f.strangerApp = f.application(t, f.strangerOrg, f.stranger, round)
	return f
}

func (f *fixture) user(t testing.TB, email string, admin, board bool) *account.User {
	t.Helper()
	var u account.User
	if err := f.db.Get(&u, `INSERT INTO users (email, name, language, is_admin, is_board, email_confirmed_at) VALUES ($1, $1, 'es', $2, $3, now())
		RETURNING id, email, name, is_admin, is_board, active, language`, email, admin, board); err != nil {
		t.Fatal(err)
	}
	return &u
}

func (f *fixture) organization(t testing.TB, member *account.User) int64 {
	t.Helper()
	var id int64
	err := f.db.Get(&id, `WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
		VALUES ($1, 'DO', '123', $2, now()) RETURNING id)
		INSERT INTO organization_members (organization_id, user_id) SELECT id, $2 FROM o RETURNING organization_id`, member.Email+" org", member.ID)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) application(t testing.TB, org int64, by *account.User, round int64) int64 {
	t.Helper()
	var id int64
	if err := f.db.Get(&id, `INSERT INTO applications (organization_id, round_id, created_by) VALUES ($1, $2, $3) RETURNING id`,
		org, round, by.ID); err != nil {
		t.Fatal(err)
	}
	return id
}

// setStatus moves an application directly, as the state machine would.
func (f *fixture) setStatus(t testing.TB, app int64, status string) {
	t.Helper()
	if _, err := f.db.Exec(`UPDATE applications SET status = $2, version = greatest(version, 1) WHERE id = $1`, app, status); err != nil {
		t.Fatal(err)
	}
}

// submitVersion records version v of app and freezes its documents, as
// the application's submission does.
func (f *fixture) submitVersion(t testing.TB, app int64, v int) {
	t.Helper()
	ctx := context.Background()
	tx := f.db.MustBegin()
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO application_versions (application_id, version, data, submitted_by, submitted_at)
		VALUES ($1, $2, '{}', $3, now())`, app, v, f.owner.ID); err != nil {
		t.Fatal(err)
	}
	if err := document.Freeze(ctx, tx, app, v); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE applications SET status = 'submitted', version = $2 WHERE id = $1`, app, v); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func act(u *account.User) account.Actor {
	return account.Actor{UserID: u.ID, IP: "198.51.100.7", RequestID: "req-1"}
}

func ptr[T any](v T) *T { return &v }

// upload sends body as the owner's file of kind for the fixture's
// application.
func (f *fixture) upload(t testing.TB, kind document.Kind, name string, body []byte) (*document.Document, error) {
	t.Helper()
	in := document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app, Kind: kind, Filename: name, Body: bytes.NewReader(body)}
	if kind == document.TeamLicence {
		in.ExpiresOn = ptr(time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC))
	}
	return f.svc.Upload(context.Background(), act(f.owner), f.owner, in)
}

func (f *fixture) mustUpload(t testing.TB, kind document.Kind, name string, body []byte) *document.Document {
	t.Helper()
	d, err := f.upload(t, kind, name, body)
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return d
}

// objects lists the keys in the store.
func objects(t testing.TB, s document.Store) []string {
	t.Helper()
	var keys []string
	if err := s.List(context.Background(), func(o document.Object) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

func (f *fixture) rows(t testing.TB) int {
	t.Helper()
	var n int
	if err := f.db.Get(&n, `SELECT count(*) FROM documents`); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) auditActions(t testing.TB) []string {
	t.Helper()
	var actions []string
	if err := f.db.Select(&actions, `SELECT action FROM audit ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return actions
}

// --- files of each kind, made here so the tests carry no binaries ---

func pdfFile(size int) []byte {
	b := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
	for len(b) < size-6 {
		b = append(b, "% filler line of a test pdf\n"...)
	}
	b = append(b, "%%EOF\n"...)
	return b[:max(size, len(b))]
}

func imageFile(encode func(io.Writer, image.Image) error) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		img.Set(x, x, color.RGBA{200, 20, 20, 255})
	}
	var buf bytes.Buffer
	if err := encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func pngFile() []byte { return imageFile(png.Encode) }
func jpegFile() []byte {
	return imageFile(func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })
}

// officeFile is a minimal Office Open XML package with part as its main
// part ("word/document.xml", "xl/workbook.xml"), plus any extra entries.
func officeFile(part string, extra map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`},
		{part, `<?xml version="1.0" encoding="UTF-8"?><root/>`},
	}
	for name, body := range extra {
		entries = append(entries, struct{ name, body string }{name, body})
	}
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			panic(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func docxFile() []byte { return officeFile("word/document.xml", nil) }
func xlsxFile() []byte { return officeFile("xl/workbook.xml", nil) }

func csvFile() []byte {
	return []byte("name,role,licence\nAna Pérez,perfusionist,PF-1234\nLuis Gómez,surgeon,CS-9876\n")
}

// noise is n bytes of cheap pseudo-random data after a PDF header: it
// compresses nothing and sniffs as a PDF.
func noise(n int, seed uint64) io.Reader {
	return io.MultiReader(bytes.NewReader([]byte("%PDF-1.7\n")), io.LimitReader(&prng{rand.NewPCG(seed, seed)}, int64(n-9)))
}

type prng struct{ src *rand.PCG }

func (p *prng) Read(b []byte) (int, error) {
	for i := 0; i < len(b); i += 8 {
		v := p.src.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return len(b), nil
}

// onlyReader hides every method but Read, as a request body does.
type onlyReader struct{ io.Reader }

// failingReader gives n bytes of r, then fails as a cut connection does.
func failingReader(r io.Reader, n int64, err error) io.Reader {
	return io.MultiReader(io.LimitReader(r, n), errReader{err})
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// countingReader counts what was read of it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newPCG(seed uint64) *rand.PCG { return rand.NewPCG(seed, seed) }
