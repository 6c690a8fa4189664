package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// elfBytes is the start of a Linux program: never a document, whatever its name.
var elfBytes = append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 120)...)

func TestUploadsAreJudgedByContentAndSayWhyTheyAreRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startEmptyApplication()

	rec := ch.upload(app, "budget_sheet", "", "presupuesto.pdf", elfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "PDF") // the reason names what is allowed
	rec = ch.upload(app, "budget_sheet", "", "vacío.pdf", nil)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	rec = ch.upload(app, "team_licence", "", "licencia.pdf", pdfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity) // a licence needs its expiry date

	big := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), 25<<20)...)
	rec = ch.upload(app, "budget_sheet", "", "grande.pdf", big)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "25")

	var stored int
	if err := s.db.Get(&stored, `SELECT count(*) FROM documents`); err != nil || stored != 0 {
		t.Fatalf("%d documents stored after refusals (%v)", stored, err)
	}

	// An accepted file downloads as an attachment, under its cleaned name.
	wantStatus(t, ch.upload(app, "host_agreement", "", "../../Acuerdo  hospital — año 2027.pdf", pdfBytes), http.StatusSeeOther)
	page := ch.get(app + "/documents")
	wantStatus(t, page, http.StatusOK)
	link := regexp.MustCompile(`href="(/documents/\d+)"`).FindStringSubmatch(page.Body.String())
	if link == nil {
		t.Fatalf("no download link on the page")
	}
	dl := ch.get(link[1])
	wantStatus(t, dl, http.StatusOK)
	if cd := dl.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || strings.Contains(cd, "..") || !strings.Contains(cd, "Acuerdo") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.Equal(dl.Body.Bytes(), pdfBytes) {
		t.Error("the download differs from the upload")
	}
}

func TestSubmissionNeedsTheRequiredDocuments(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	form := completeApplication()
	form.Set("action", "submit")
	rec := ch.saveDraft(app, form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	// The summary's link leads to the documents' notice, which names them.
	mustContain(t, rec, `<a href="#f-documents">`, "required documents are missing", `id="f-documents"`,
		"<li>Proof of charitable status · missing</li>", "<li>Budget sheet · missing</li>")
	mustContain(t, ch.get(app+"/documents"), "Required before you submit", `class="missing"`)
}

// Charity A's documents are out of reach of charity B, whatever id it guesses.
func TestAnotherCharityCannotReachDocuments(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	owner := s.newCharity(t, "en", "Olga")
	app := owner.startApplication()
	var doc string
	if err := s.db.Get(&doc, `SELECT min(id)::text FROM documents`); err != nil {
		t.Fatal(err)
	}
	other := s.newCharity(t, "en", "Mallory")
	for _, path := range []string{"/documents/" + doc, app + "/documents"} {
		if rec := other.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	if rec := other.post("/documents/"+doc+"/delete", url.Values{}); rec.Code != http.StatusNotFound {
		t.Errorf("delete: %d", rec.Code)
	}
	if rec := other.upload(app, "other", "", "x.pdf", pdfBytes); rec.Code != http.StatusNotFound {
		t.Errorf("upload into another charity's application: %d", rec.Code)
	}
	var n int
	_ = s.db.Get(&n, `SELECT count(*) FROM documents WHERE removed_at IS NULL`)
	if n != 4 {
		t.Errorf("%d documents after the attempts, want the owner's 4", n)
	}
}

// While the application is a draft a document can be replaced; the page
// then lists the new file in the old one's place.
func TestReplaceADocumentWhileADraft(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	wantStatus(t, ch.upload(app, "budget_sheet", "", "budget-v1.pdf", pdfBytes), http.StatusSeeOther)
	var doc string
	if err := s.db.Get(&doc, `SELECT id::text FROM documents`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ch.multipart("/documents/"+doc+"/replace", url.Values{}, "file", "budget-v2.pdf", pdfBytes), http.StatusSeeOther)
	page := ch.get(app + "/documents")
	mustContain(t, page, "budget-v2.pdf")
	mustNotContain(t, page, "budget-v1.pdf")
	rec := ch.multipart("/documents/"+doc+"/replace", url.Values{}, "file", "", nil)
	if rec.Code != http.StatusNotFound { // the old document is gone
		t.Errorf("replacing a replaced document: %d", rec.Code)
	}
}

// A licence that expired no longer counts: the charity is asked for a
// renewed one before it can submit.
func TestAnExpiredLicenceIsMissing(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	ch.uploadRequired(app, "2025-01-01")
	form := completeApplication()
	form.Set("action", "submit")
	rec := ch.saveDraft(app, form)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "1 required document is missing", "professional licence · missing")
	mustContain(t, ch.get(app+"/documents"), `class="missing"`)
}

// A licence that runs out before the trip is flagged; once the documents
// are frozen the flag says what to do instead of asking for an upload.
func TestALicenceExpiringBeforeTheTripIsFlagged(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	wantStatus(t, ch.upload(app, "team_licence", "2027-05-01", "licence.pdf", pdfBytes), http.StatusSeeOther)
	wantStatus(t, ch.autosave(app, url.Values{"trip_start": {"2027-06-01"}, "trip_end": {"2027-06-10"}}), http.StatusOK)
	mustContain(t, ch.get(app+"/documents"), "This licence expires before the trip starts: upload a renewed one.")
	if _, err := s.db.Exec(`UPDATE applications SET status = 'approved', version = 1, trip_start = '2027-06-01', trip_end = '2027-06-10'`); err != nil {
		t.Fatal(err)
	}
	page := ch.get(app + "/documents")
	mustContain(t, page, "tell the IPA in a message on the application")
	mustNotContain(t, page, "upload a renewed one")
}
