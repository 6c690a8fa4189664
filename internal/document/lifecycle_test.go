package document_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/refusal"
	"missiongrants/internal/testenv"
)

// A member of another charity can neither see nor change a charity's
// documents by guessing ids, and does not even get to send bytes. The IPA
// reads them but does not change them.
func TestAnotherCharityCannotReachDocuments(t *testing.T) {
	t.Parallel()
	f := setup(t, diskStore(t))
	ctx := context.Background()
	d := f.mustUpload(t, document.BudgetSheet, "presupuesto.pdf", pdfFile(500))
	orgDoc, err := f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org,
		Kind: document.CharitableStatus, Filename: "estatus.pdf", Body: bytes.NewReader(pdfFile(300))})
	if err != nil {
		t.Fatal(err)
	}
	s := f.stranger
	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, document.ErrNotFound) {
			t.Errorf("stranger %s: %v, want not found", what, err)
		}
	}
	_, err = f.svc.List(ctx, s, f.app)
	notFound("lists", err)
	_, err = f.svc.ForOrganization(ctx, s, f.org)
	notFound("lists the organization's", err)
	for _, id := range []int64{d.ID, orgDoc.ID} {
		_, err = f.svc.Get(ctx, s, id)
		notFound("gets", err)
		_, _, err = f.svc.Open(ctx, act(s), s, id)
		notFound("opens", err)
		body := &countingReader{r: bytes.NewReader(pdfFile(100))}
		_, err = f.svc.Replace(ctx, act(s), s, id, document.ReplaceInput{Filename: "x.pdf", Body: body})
		notFound("replaces", err)
		if body.n != 0 {
			t.Errorf("a refused replacement read %d bytes", body.n)
		}
		notFound("deletes", f.svc.Delete(ctx, act(s), s, id))
	}
	for name, in := range map[string]document.UploadInput{
		"to the charity":                    {OrganizationID: f.org, Kind: document.Other},
		"to the charity's application":      {OrganizationID: f.org, ApplicationID: &f.app, Kind: document.Other},
		"its own, to the other application": {OrganizationID: f.strangerOrg, ApplicationID: &f.app, Kind: document.Other},
		"to an organization that is not":    {OrganizationID: 1 << 40, Kind: document.Other},
	} {
		body := &countingReader{r: bytes.NewReader(pdfFile(100))}
		in.Filename, in.Body = "x.pdf", body
		_, err := f.svc.Upload(ctx, act(s), s, in)
		notFound("uploads "+name, err)
		if body.n != 0 {
			t.Errorf("a refused upload %s read %d bytes", name, body.n)
		}
	}
	if docs, err := f.svc.ForVersion(ctx, s, f.app, 1); err != nil || len(docs) != 0 {
		t.Errorf("stranger's versions: %v, %v", docs, err)
	}

	// The board and admins read, and may not change.
	for name, u := range map[string]*account.User{"board": f.board, "admin": f.admin} {
		docs, err := f.svc.List(ctx, u, f.app)
		if err != nil || len(docs) != 2 {
			t.Fatalf("%s lists %d, %v", name, len(docs), err)
		}
		_, r, err := f.svc.Open(ctx, act(u), u, d.ID)
		if err != nil {
			t.Fatalf("%s opens: %v", name, err)
		}
		r.Close()
		if err := f.svc.Delete(ctx, act(u), u, d.ID); !errors.Is(err, document.ErrForbidden) {
			t.Errorf("%s deletes: %v", name, err)
		}
		_, err = f.svc.Replace(ctx, act(u), u, d.ID, document.ReplaceInput{Filename: "x.pdf", Body: bytes.NewReader(pdfFile(100))})
		if !errors.Is(err, document.ErrForbidden) {
			t.Errorf("%s replaces: %v", name, err)
		}
	}
	if f.rows(t) != 2 || len(objects(t, f.store)) != 2 {
		t.Errorf("the documents changed: %d rows, %d objects", f.rows(t), len(objects(t, f.store)))
	}
}

// While a draft, a document is replaced or deleted outright; once a
// version was submitted with it, it stays readable for that version.
func TestReplaceAndDeleteKeepSubmittedVersions(t *testing.T) {
	t.Parallel()
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, sk.new(t))
			ctx := context.Background()
			first := f.mustUpload(t, document.BudgetSheet, "presupuesto v1.csv", csvFile())
			second, err := f.svc.Replace(ctx, act(f.owner), f.owner, first.ID, document.ReplaceInput{Filename: "presupuesto v2.xlsx",
				Body: bytes.NewReader(xlsxFile())})
			if err != nil {
				t.Fatal(err)
			}
			if second.Kind != document.BudgetSheet || *second.ApplicationID != f.app {
				t.Fatalf("replacement %+v", second)
			}
			// Never submitted: the first is gone, row and file.
			if _, err := f.svc.Get(ctx, f.owner, first.ID); !errors.Is(err, document.ErrNotFound) {
				t.Errorf("replaced draft document still there: %v", err)
			}
			if keys := objects(t, f.store); len(keys) != 1 || keys[0] != second.StorageKey {
				t.Errorf("objects %v, want only %s", keys, second.StorageKey)
			}

			// Submitted with the second; frozen while submitted.
			f.submitVersion(t, f.app, 1)
			_, err = f.svc.Replace(ctx, act(f.owner), f.owner, second.ID, document.ReplaceInput{Filename: "v3.pdf", Body: bytes.NewReader(pdfFile(100))})
			refused(t, err, document.ErrNotEditable, "error.document.not_editable")
			refused(t, f.svc.Delete(ctx, act(f.owner), f.owner, second.ID), document.ErrNotEditable, "error.document.not_editable")
			_, err = f.upload(t, document.Other, "more.pdf", pdfFile(100))
			refused(t, err, document.ErrNotEditable, "error.document.not_editable")

			// The IPA asks for more: the charity replaces the sheet.
			f.setStatus(t, f.app, "more_info_requested")
			third, err := f.svc.Replace(ctx, act(f.owner), f.owner, second.ID, document.ReplaceInput{Filename: "presupuesto v3.pdf",
				Body: bytes.NewReader(pdfFile(400))})
			if err != nil {
				t.Fatal(err)
			}
			current, _ := f.svc.List(ctx, f.owner, f.app)
			if len(current) != 1 || current[0].ID != third.ID {
				t.Errorf("current documents %+v", current)
			}
			// Version 1 still shows the board the file it was submitted with.
			v1, err := f.svc.ForVersion(ctx, f.board, f.app, 1)
			if err != nil || len(v1) != 1 || v1[0].ID != second.ID || v1[0].Current() || *v1[0].ReplacedBy != third.ID {
				t.Fatalf("version 1 documents %+v, %v", v1, err)
			}
			_, r, err := f.svc.Open(ctx, act(f.board), f.board, second.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			r.Close()
			if !bytes.Equal(got, xlsxFile()) {
				t.Errorf("the submitted file changed")
			}
			// A kept document is not current: it cannot be replaced again.
			_, err = f.svc.Replace(ctx, act(f.owner), f.owner, second.ID, document.ReplaceInput{Filename: "x.pdf", Body: bytes.NewReader(pdfFile(100))})
			if !errors.Is(err, document.ErrNotFound) {
				t.Errorf("replacing a replaced document: %v", err)
			}
			// Deleting the current one removes it outright (no version has it).
			if err := f.svc.Delete(ctx, act(f.owner), f.owner, third.ID); err != nil {
				t.Fatal(err)
			}
			if keys := objects(t, f.store); len(keys) != 1 || keys[0] != second.StorageKey {
				t.Errorf("objects %v, want only the submitted %s", keys, second.StorageKey)
			}
			// The database itself refuses to change a document's content.
			if _, err := f.db.Exec(`UPDATE documents SET storage_key = 'x' WHERE id = $1`, second.ID); err == nil {
				t.Error("a document row was changed")
			}
			if _, err := f.db.Exec(`DELETE FROM documents WHERE id = $1`, second.ID); err == nil {
				t.Error("a document a version refers to was deleted")
			}
			want := []string{"document.uploaded", "document.replaced", "document.replaced", "document.downloaded", "document.deleted"}
			if got := f.auditActions(t); !slices.Equal(got, want) {
				t.Errorf("audit %v, want %v", got, want)
			}
		})
	}
}

// The submission asks which required documents are missing; the
// organization's own count for each of its applications.
func TestMissingDocumentsAndExpiringLicences(t *testing.T) {
	t.Parallel()
	f := setup(t, diskStore(t))
	ctx := context.Background()
	missing, err := document.Missing(ctx, f.db, f.app)
	if err != nil || !slices.Equal(missing, document.RequiredKinds()) {
		t.Fatalf("missing %v, %v", missing, err)
	}
	if _, err := f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, Kind: document.CharitableStatus,
		Filename: "estatus.pdf", Body: bytes.NewReader(pdfFile(200))}); err != nil {
		t.Fatal(err)
	}
	f.mustUpload(t, document.BudgetSheet, "presupuesto.xlsx", xlsxFile())
	f.mustUpload(t, document.HostAgreement, "acuerdo.docx", docxFile())
	missing, _ = document.Missing(ctx, f.db, f.app)
	if !slices.Equal(missing, []document.Kind{document.TeamLicence}) {
		t.Fatalf("missing %v", missing)
	}
	// Another application of the same charity has the charity's own.
	if other, _ := document.Missing(ctx, f.db, f.strangerApp); len(other) != 4 {
		t.Errorf("the other charity's application misses %v", other)
	}

	// A licence needs its expiry date.
	_, err = f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
		Kind: document.TeamLicence, Filename: "licencia.pdf", Body: bytes.NewReader(pdfFile(200))})
	var fe i18n.FieldErrors
	if !errors.As(err, &fe) || fe["expires_on"].Key != "error.document.expiry_required" {
		t.Fatalf("licence without expiry: %v", err)
	}
	for _, exp := range []string{"2027-01-10", "2027-06-30"} {
		day, _ := time.Parse(time.DateOnly, exp)
		if _, err := f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
			Kind: document.TeamLicence, ExpiresOn: &day, Filename: "licencia " + exp + ".pdf", Body: bytes.NewReader(pdfFile(200))}); err != nil {
			t.Fatal(err)
		}
	}
	if missing, _ = document.Missing(ctx, f.db, f.app); len(missing) != 0 {
		t.Fatalf("still missing %v", missing)
	}
	tripStart, _ := time.Parse(time.DateOnly, "2027-02-01")
	expiring, err := document.LicenceExpiringBefore(ctx, f.db, f.app, tripStart)
	if err != nil || len(expiring) != 1 || expiring[0].Filename != "licencia 2027-01-10.pdf" ||
		expiring[0].LicenceExpiresOn.Format(time.DateOnly) != "2027-01-10" {
		t.Fatalf("expiring %+v, %v", expiring, err)
	}
}

// An upload whose connection is cut leaves no row, and no object once the
// sweep has run; the sweep spares uploads in flight and recorded files.
func TestInterruptedUploadLeavesNothingAfterSweep(t *testing.T) {
	t.Parallel()
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, sk.new(t))
			ctx := context.Background()
			kept := f.mustUpload(t, document.BudgetSheet, "presupuesto.pdf", pdfFile(1000))
			for _, size := range []int64{100 << 10, 7 << 20} {
				_, err := f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
					Kind: document.BudgetSheet, Filename: "cut.pdf", Body: failingReader(noise(16<<20, 5), size, io.ErrUnexpectedEOF)})
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("cut upload: %v", err)
				}
				if r := (*refusal.Error)(nil); errors.As(err, &r) {
					t.Errorf("a cut connection is not the person's file's fault: %v", err)
				}
			}
			if f.rows(t) != 1 {
				t.Fatalf("%d rows after cut uploads", f.rows(t))
			}
			// A process that died between the store and the database leaves
			// an object no row names.
			if err := f.store.Put(ctx, "zz/orphan", strings.NewReader("%PDF-1.4 orphan"), "application/pdf"); err != nil {
				t.Fatal(err)
			}
			f.now = time.Now()
			if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
				t.Fatalf("sweep within the grace period removed %d, %v", n, err)
			}
			f.now = time.Now().Add(2 * f.grace)
			if n, err := f.svc.Sweep(ctx); err != nil || n != 1 {
				t.Fatalf("sweep removed %d, %v", n, err)
			}
			if keys := objects(t, f.store); len(keys) != 1 || keys[0] != kept.StorageKey {
				t.Fatalf("after the sweep: %v, want only %s", keys, kept.StorageKey)
			}
		})
	}
}

// statusFlipper is a store that, while a file is being stored, has the
// application submitted by someone else.
type statusFlipper struct {
	document.Store
	flip func()
}

func (s statusFlipper) Put(ctx context.Context, key string, body io.Reader, ct string) error {
	err := s.Store.Put(ctx, key, body, ct)
	s.flip()
	return err
}

// When the row cannot be written after the file is stored, the file goes:
// row and object agree.
func TestStoredFileIsRemovedWhenItsRowCannotBeWritten(t *testing.T) {
	t.Parallel()
	var f *fixture
	f = setup(t, statusFlipper{Store: diskStore(t), flip: func() { f.setStatus(t, f.app, "submitted") }})
	_, err := f.upload(t, document.BudgetSheet, "late.pdf", pdfFile(1000))
	refused(t, err, document.ErrNotEditable, "error.document.not_editable")
	f.nothingStored(t)
}

// Uploads and downloads are in the audit trail, with who and from where.
func TestUploadsAndDownloadsAreAudited(t *testing.T) {
	t.Parallel()
	f := setup(t, diskStore(t))
	ctx := context.Background()
	d := f.mustUpload(t, document.Other, "carta.pdf", pdfFile(100))
	_, r, err := f.svc.Open(ctx, act(f.board), f.board, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	var rows []struct {
		Action  string `db:"action"`
		ActorID int64  `db:"actor_id"`
		IP      string `db:"ip"`
		Details string `db:"details"`
	}
	if err := f.db.Select(&rows, `SELECT action, actor_id, ip, details::text AS details FROM audit WHERE object_type = 'document' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Action != "document.uploaded" || rows[0].ActorID != f.owner.ID || rows[0].IP != "198.51.100.7" ||
		!strings.Contains(rows[0].Details, d.SHA256) || rows[1].Action != "document.downloaded" || rows[1].ActorID != f.board.ID {
		t.Fatalf("audit %+v", rows)
	}
	if _, _, err := f.svc.DownloadURL(ctx, act(f.board), f.board, d.ID, 0); !errors.Is(err, document.ErrNoURL) {
		t.Errorf("disk store made a link: %v", err)
	}
}

// On S3, a download can be a short-lived link, also audited.
func TestDownloadURL(t *testing.T) {
	t.Parallel()
	f := setup(t, s3Store(t))
	ctx := context.Background()
	d := f.mustUpload(t, document.Other, "Carta de apoyo.pdf", pdfFile(100))
	if _, _, err := f.svc.DownloadURL(ctx, act(f.stranger), f.stranger, d.ID, time.Minute); !errors.Is(err, document.ErrNotFound) {
		t.Fatalf("stranger's link: %v", err)
	}
	_, url, err := f.svc.DownloadURL(ctx, act(f.owner), f.owner, d.ID, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpGet(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(got, pdfFile(100)) ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="Carta de apoyo.pdf"; filename*=UTF-8''Carta%20de%20apoyo.pdf` {
		t.Fatalf("download: %s %q", resp.Status, resp.Header.Get("Content-Disposition"))
	}
	if actions := f.auditActions(t); !slices.Equal(actions, []string{"document.uploaded", "document.downloaded"}) {
		t.Errorf("audit %v", actions)
	}
}

// Sweep runs as a periodic job (job.Options.Periodic), once at start and
// then at its interval, as the portal wires it.
func TestJobSweepsLeftovers(t *testing.T) {
	t.Parallel()
	f := setup(t, diskStore(t))
	ctx := context.Background()
	if err := f.store.Put(ctx, "zz/orphan", strings.NewReader("%PDF-1.4 orphan"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	f.now = time.Now().Add(2 * f.grace)
	client, err := job.New(f.db.DB, job.Options{Work: true, PollInterval: 100 * time.Millisecond, Log: slog.New(slog.DiscardHandler),
		Periodic: []job.Periodic{{Name: "document.sweep", Interval: 6 * time.Hour, Run: func(ctx context.Context) error {
			_, err := f.svc.Sweep(ctx)
			return err
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.Stop(ctx)
	})
	testenv.Eventually(t, 30*time.Second, "the sweep job removes the leftovers", func() bool { return len(objects(t, f.store)) == 0 })
}
