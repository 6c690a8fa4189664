package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/document"
	"missiongrants/internal/testenv"
)

// charity is an applicant logged in, with an eligible organization, in an
// open round.
type charity struct {
	*client
	org   string // /organizations/N
	round string
}

func (s *testServer) openRound(t *testing.T) string {
	t.Helper()
	var id int64
	if err := s.db.Get(&id, `INSERT INTO funding_rounds (name, rolling) VALUES ('Rolling 2027', true) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

func (s *testServer) newCharity(t *testing.T, accept, name string) *charity {
	t.Helper()
	p := s.signUpAndConfirm(t, s.client(t, "Accept-Language", accept), name)
	c := s.loginAs(t, p)
	rec := c.post("/organizations", url.Values{"legal_name": {name + " Heart Missions"}, "country": {"HN"}, "registration_number": {"EIN 12-3456789"}})
	wantStatus(t, rec, http.StatusSeeOther)
	org := strings.TrimSuffix(rec.Header().Get("Location"), "/eligibility")
	yes := url.Values{"charitable": {"yes"}, "cardiac_mission": {"yes"}, "host_agreed": {"yes"}, "team_qualified": {"yes"}}
	wantStatus(t, c.post(org+"/eligibility", yes), http.StatusOK)
	return &charity{client: c, org: org, round: s.openRound(t)}
}

// startApplication returns the new application's URL. The charity uploads
// the required documents at once, so the tests about other things can
// submit.
func (c *charity) startApplication() string {
	c.t.Helper()
	app := c.startEmptyApplication()
	c.uploadRequired(app, "2028-01-01")
	return app
}

// uploadRequired uploads one document of each required kind to app, the
// licence valid until licenceExpires.
func (c *charity) uploadRequired(app, licenceExpires string) {
	c.t.Helper()
	for _, kind := range document.RequiredKinds() {
		wantStatus(c.t, c.upload(app, string(kind), licenceExpires, string(kind)+".pdf", pdfBytes), http.StatusSeeOther)
	}
}

// startEmptyApplication is a new draft without documents.
func (c *charity) startEmptyApplication() string {
	c.t.Helper()
	rec := c.post(c.org+"/applications", url.Values{"round": {c.round}})
	wantStatus(c.t, rec, http.StatusSeeOther)
	return strings.TrimSuffix(rec.Header().Get("Location"), "/edit")
}

// pdfBytes is a file any PDF sniffer recognises.
var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// upload posts one file as the documents page's plain form does (the token
// in the address, the fields before the file).
func (c *client) upload(app, kind, expires, filename string, content []byte) *httptest.ResponseRecorder {
	c.t.Helper()
	fields := url.Values{"kind": {kind}}
	if kind == string(document.TeamLicence) {
		fields.Set("expires_on", expires)
	}
	return c.multipart(app+"/documents", fields, "file", filename, content)
}

// multipart posts a form with a file, the way a browser sends one: the
// token first, then the fields, the file last (none when
// filename is empty).
func (c *client) multipart(path string, fields url.Values, fileField, filename string, content []byte) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.do(c.multipartRequest(path, fields, fileField, filename, content))
}

// multipartRequest is the request multipart sends.
func (c *client) multipartRequest(path string, fields url.Values, fileField, filename string, content []byte) *http.Request {
	c.t.Helper()
	if c.cookies[csrfCookie] == "" {
		c.get("/")
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField(csrfField, c.cookies[csrfCookie]) // first, as the page's forms send it
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if filename != "" {
		part, _ := w.CreateFormFile(fileField, filename)
		_, _ = part.Write(content)
	}
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

// draftRev is the draft revision the edit page bases its saves on, as a
// page opened now would send it ("" when the page does not open).
func (c *client) draftRev(app string) string {
	c.t.Helper()
	rec := c.get(app + "/check")
	if m := draftRevField.FindStringSubmatch(rec.Body.String()); rec.Code == http.StatusOK && m != nil {
		return m[1]
	}
	return ""
}

var draftRevField = regexp.MustCompile(`name="draft_rev" value="(\d+)"`)

// saveDraft posts the edit page's form as a page opened just now would:
// based on the draft's revision as it is (unless form names one).
func (c *client) saveDraft(app string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	if !form.Has("draft_rev") {
		form.Set("draft_rev", c.draftRev(app))
	}
	return c.post(app+"/edit", form)
}

// autosave posts the form the way the page's script does: with the token in
// a header, the revision the page is based on (the current one unless form
// names one), and JSON back.
func (c *client) autosave(app string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	if !form.Has("draft_rev") {
		form.Set("draft_rev", c.draftRev(app))
	}
	if c.cookies[csrfCookie] == "" {
		c.get("/")
	}
	saved := c.header.Clone()
	c.header.Set(csrfHeader, c.cookies[csrfCookie])
	c.header.Set("Accept", "application/json")
	defer func() { c.header = saved }()
	return c.send(http.MethodPost, app+"/autosave", form)
}

func completeApplication() url.Values {
	return url.Values{
		"title": {"Cirugía cardíaca pediátrica en Tegucigalpa"}, "country": {"HN"}, "city": {"Tegucigalpa"},
		"hospital": {"Hospital Escuela"}, "host_contact_name": {"Dr. Mejía"}, "host_contact_email": {"mejia@hospital.example"},
		"trip_start": {"2027-06-01"}, "trip_end": {"2027-06-10"},
		"team_count_cardiac_surgeon": {"2"}, "team_count_perfusionist": {"2"},
		"patients_adult": {"5"}, "patients_pediatric": {"15"}, "proc_bypass": {"18"}, "proc_interventional": {"2"},
		"blood_bank": {"yes"}, "icu_beds": {"4"}, "intensivist": {"yes"}, "perfusion_equipment": {"brought"},
		"narrative":       {"Hay 300 niños en lista de espera."},
		"budget_category": {"travel", "supplies"}, "budget_description": {"Vuelos", "Oxigenadores"}, "budget_amount": {"10 000", "15.000,50"},
		"amount_requested": {"20 000"}, "other_funding": {"5.000,50"},
		"attest": {"yes"}, "signer_name": {"María López"}, "signed_on": {time.Now().UTC().Format(time.DateOnly)},
	}
}

// A charity fills an application over two sittings, submits with mistakes,
// sees each beside its field with everything it typed kept, fixes them and
// submits; its status and timeline follow.
func TestApplicationOverTwoSittingsInSpanish(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "es", "Lucía")
	app := ch.startApplication()

	// First sitting: the script saves half a form as she types.
	rec := ch.autosave(app, url.Values{"title": {"Misión Tegucigalpa"}, "amount_requested": {"20.000,5x"}, "city": {"Tegucigalpa"}})
	wantStatus(t, rec, http.StatusOK)
	var saved struct{ Message string }
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); err != nil || !strings.Contains(saved.Message, "Borrador guardado") {
		t.Fatalf("autosave answered %q (%v)", rec.Body.String(), err)
	}

	// Second sitting, in a new session: the draft is there, as typed.
	again := s.loginAs(t, ch.person(t, s))
	page := again.get(app + "/edit/trip")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `value="Misión Tegucigalpa"`, `lang="es"`)
	mustContain(t, again.get(app+"/edit/budget"), `value="20.000,5x"`)

	// Submitting with mistakes: 422, every value kept, each error beside its field, in Spanish.
	bad := completeApplication()
	bad.Set("city", "")
	bad.Set("amount_requested", "20.000,5x")
	bad.Set("trip_end", "2027-05-01")
	bad.Set("action", "submit")
	rec = again.saveDraft(app, bad)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `value="Cirugía cardíaca pediátrica en Tegucigalpa"`, `value="20.000,5x"`, `value="Oxigenadores"`,
		`id="f-city-error"`, "Este campo es obligatorio", `id="f-amount_requested-error"`, "Ingrese el monto en números",
		`id="f-trip_end-error"`, "El viaje no puede terminar antes de comenzar")
	if strings.Contains(rec.Body.String(), "Enviada") {
		t.Error("a refused submission shows as submitted")
	}
	// The summary above the form names each field, with its currency.
	mustContain(t, rec, `<a href="#f-amount_requested">Monto solicitado a la IPA (USD): Ingrese el monto en números`)
	mustNotContain(t, rec, "no value")
	// ... in the order of the form, not of the fields' names.
	body := rec.Body.String()
	if city, end, amount := strings.Index(body, `<a href="#f-city">`), strings.Index(body, `<a href="#f-trip_end">`), strings.Index(body, `<a href="#f-amount_requested">`); !(0 <= city && city < end && end < amount) {
		t.Errorf("the summary lists city at %d, trip end at %d, amount at %d: not in the form's order", city, end, amount)
	}

	// Fixed and submitted.
	good := completeApplication()
	good.Set("action", "submit")
	rec = again.saveDraft(app, good)
	wantStatus(t, rec, http.StatusSeeOther)
	show := again.get(app)
	wantStatus(t, show, http.StatusOK)
	mustContain(t, show, s.text("es", "app.status.submitted"), s.text("es", "app.event.created"), s.text("es", "page.app.version", "Number", 1), "US$20.000,00", "Honduras")
	// The version keeps the documents it was submitted with.
	// The version reads as answers, not as the form's codes: choices by
	// their labels, amounts in the round's currency, an empty count as "–".
	version := again.get(app + "/versions/1")
	mustContain(t, version, "Cirugía cardíaca pediátrica en Tegucigalpa", "charitable_status.pdf", "host_agreement.pdf",
		"banco de sangre: Sí", s.text("es", "app.equipment.brought"), "US$20.000,00", "US$5.000,50", "– sin bomba")
	mustNotContain(t, version, "brought", "5.000,50 USD")
	// The same version as a PDF, for the IPA's files and the charity's:
	// its answers, its budget and each document's SHA-256.
	pdf := again.get(app + "/versions/1/pdf")
	wantStatus(t, pdf, http.StatusOK)
	if ct := pdf.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("the version's PDF is sent as %q", ct)
	}
	text := strings.Join(strings.Fields(testenv.PDFText(t, pdf.Body.Bytes())), " ")
	for _, want := range []string{"Cirugía cardíaca pediátrica en Tegucigalpa", "charitable_status.pdf", "US$20.000,00", s.cat.T("es", "app.section.budget")} {
		if !strings.Contains(text, want) {
			t.Errorf("the version's PDF lacks %q", want)
		}
	}
	// Frozen: the edit page sends her back, the autosave refuses.
	wantStatus(t, again.get(app+"/edit"), http.StatusSeeOther)
	wantStatus(t, again.autosave(app, url.Values{"title": {"changed"}}), http.StatusConflict)
}

// person is the charity's account, for logging in again elsewhere.
func (c *charity) person(t *testing.T, s *testServer) person {
	t.Helper()
	var email string
	row := s.db.QueryRow(`SELECT u.email FROM users u JOIN organization_members m ON m.user_id = u.id
		WHERE m.organization_id = $1`, strings.TrimPrefix(c.org, "/organizations/"))
	if err := row.Scan(&email); err != nil {
		t.Fatal(err)
	}
	return person{email: email, password: goodPassword}
}

// A member of another charity tries every page and form of this charity's
// organization and application by their ids: all refused, nothing changed.
func TestAnotherCharityCannotReachAnApplicationByItsID(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	owner := s.newCharity(t, "en", "Olga")
	app := owner.startApplication()
	wantStatus(t, owner.autosave(app, url.Values{"title": {"Olga's trip"}}), http.StatusOK)
	good := completeApplication()
	good.Set("action", "submit")
	wantStatus(t, owner.saveDraft(app, good), http.StatusSeeOther)
	wantStatus(t, owner.post(app+"/messages", url.Values{"body": {"private note to the IPA"}}), http.StatusSeeOther)

	other := s.newCharity(t, "en", "Mallory")
	var before string
	_ = s.db.Get(&before, `SELECT status || draft::text FROM applications WHERE id = $1`, strings.TrimPrefix(app, "/applications/"))

	gets := []string{app, app + "/edit", app + "/versions/1", owner.org, owner.org + "/edit", owner.org + "/eligibility", owner.org + "/applications/new"}
	for _, path := range gets {
		rec := other.get(path)
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 404 or 403", path, rec.Code)
		}
		mustNotContain(t, rec, "Cirugía cardíaca", "private note", "Olga Heart Missions", "EIN 12-3456789")
	}
	posts := map[string]url.Values{
		app + "/edit":               {"title": {"hijacked"}, "action": {"save"}},
		app + "/withdraw":           {},
		app + "/messages":           {"body": {"hello"}},
		owner.org:                   {"legal_name": {"Hijacked"}, "country": {"HN"}, "registration_number": {"1"}},
		owner.org + "/invite":       {"email": {"mallory2@example.org"}},
		owner.org + "/eligibility":  {"charitable": {"no"}},
		owner.org + "/applications": {"round": {other.round}},
	}
	for path, form := range posts {
		rec := other.post(path, form)
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("POST %s: %d, want 404 or 403", path, rec.Code)
		}
	}
	if rec := other.autosave(app, url.Values{"title": {"hijacked"}}); rec.Code != http.StatusNotFound {
		t.Errorf("autosave of another charity's application: %d", rec.Code)
	}
	var after string
	_ = s.db.Get(&after, `SELECT status || draft::text FROM applications WHERE id = $1`, strings.TrimPrefix(app, "/applications/"))
	if after != before {
		t.Error("another charity changed the application")
	}
	var name string
	var eligible bool
	_ = s.db.QueryRow(`SELECT legal_name, eligible_at IS NOT NULL FROM organizations WHERE id = $1`, strings.TrimPrefix(owner.org, "/organizations/")).Scan(&name, &eligible)
	if name != "Olga Heart Missions" || !eligible {
		t.Errorf("organization changed: %q eligible=%v", name, eligible)
	}
	var apps int
	_ = s.db.Get(&apps, `SELECT count(*) FROM applications WHERE organization_id = $1`, strings.TrimPrefix(owner.org, "/organizations/"))
	if apps != 1 {
		t.Errorf("%d applications in the owner's organization", apps)
	}
	if regexp.MustCompile(`Olga`).MatchString(other.get("/dashboard").Body.String()) {
		t.Error("the other charity's dashboard names the owner")
	}
}
