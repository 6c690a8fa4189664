package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

// conceptAutosave posts the note's form the way the page's script does
// (app.js): the token in a header, the revision the page is based on, JSON back.
func (c *client) conceptAutosave(app string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	if c.cookies[csrfCookie] == "" {
		c.get("/")
	}
	saved := c.header.Clone()
	c.header.Set(csrfHeader, c.cookies[csrfCookie])
	c.header.Set("Accept", "application/json")
	defer func() { c.header = saved }()
	return c.send(http.MethodPost, app+"/concept/autosave", form)
}

// The concept note is saved as it is typed, as the application form is:
// the page carries the script's hooks and the revision it is based on;
// each save answers the next revision; a save based on an older one (a
// colleague saved meanwhile) is refused as stale and overwrites nothing;
// once the note is sent, the script is told it can no longer be changed.
func TestConceptNoteAutosave(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	round := s.twoStageRound(t, s.loginAs(t, people[demoAdmin]), false)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startConcept(round)

	page := ch.get(app + "/concept")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `data-autosave="`+app+`/concept/autosave"`, `data-save-status`, `data-msg-stale="`+s.text("es", "page.stages.concept.stale")+`"`,
		s.text("es", "app.form.autosave_hint"))
	m := draftRevField.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatal("the note's form has no draft_rev")
	}
	opened := m[1]

	type answer struct {
		Rev     int    `json:"rev"`
		SavedAt string `json:"saved_at"`
		Stale   bool   `json:"stale"`
		Error   string `json:"error"`
	}
	read := func(rec *httptest.ResponseRecorder) answer {
		t.Helper()
		var a answer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatalf("autosave answered %d %q: %v", rec.Code, rec.Body.String(), err)
		}
		return a
	}
	// Typed on the laptop: saved, as typed (unfinished is fine), the next revision given.
	rec := ch.conceptAutosave(app, url.Values{"draft_rev": {opened}, "title": {"Misión Tegucigalpa"}, "need": {"Hay 300 niños"}, "amount": {"20.00x"}})
	wantStatus(t, rec, http.StatusOK)
	first := read(rec)
	if strconv.Itoa(first.Rev) == opened || first.SavedAt == "" {
		t.Fatalf("the first save answered %+v", first)
	}
	rec = ch.conceptAutosave(app, url.Values{"draft_rev": {strconv.Itoa(first.Rev)}, "title": {"Misión Tegucigalpa 2027"}, "need": {"Hay 300 niños"}, "amount": {"20.00x"}})
	wantStatus(t, rec, http.StatusOK)
	second := read(rec)
	page = ch.get(app + "/concept")
	mustContain(t, page, `value="Misión Tegucigalpa 2027"`, "Hay 300 niños", `value="20.00x"`, `name="draft_rev" value="`+strconv.Itoa(second.Rev)+`"`)
	mustNotContain(t, page, s.text("es", "app.form.autosave_hint")) // says when it was saved instead

	// A colleague's page, opened before the second save, saves: refused, nothing overwritten.
	colleague := s.loginAs(t, ch.person(t, s))
	rec = colleague.conceptAutosave(app, url.Values{"draft_rev": {strconv.Itoa(first.Rev)}, "title": {"Otra misión"}})
	wantStatus(t, rec, http.StatusConflict)
	if a := read(rec); !a.Stale || a.Error != s.cat.T("es", "page.stages.concept.stale") { // the person's language
		t.Errorf("a stale save answered %+v", a)
	}
	rec = colleague.conceptAutosave(app, url.Values{"title": {"Otra misión"}}) // a page that does not say which
	wantStatus(t, rec, http.StatusConflict)
	var title string
	must(t, s.db.Get(&title, `SELECT concept->>'title' FROM applications WHERE id = $1`, appID(app)))
	if title != "Misión Tegucigalpa 2027" {
		t.Fatalf("after refused saves the note's title is %q", title)
	}

	// The button still saves and sends what the page holds; after that the
	// script is told the note can no longer be changed here.
	wantRedirect(t, ch.saveConcept(app, conceptNote("Misión Tegucigalpa 2027")), app)
	rec = ch.conceptAutosave(app, url.Values{"draft_rev": {strconv.Itoa(second.Rev + 1)}, "title": {"Tarde"}})
	wantStatus(t, rec, http.StatusConflict)
	if a := read(rec); a.Stale {
		t.Errorf("a save after the note was sent answered stale: %+v", a)
	}
	if st, _ := s.statusOf(t, app); st != "concept_submitted" {
		t.Fatalf("sent: %s", st)
	}
	// Another charity's member finds no note there.
	other := s.newCharity(t, "en", "Otra")
	wantStatus(t, other.conceptAutosave(app, url.Values{"draft_rev": {"0"}, "title": {"Mine"}}), http.StatusNotFound)
}

// The note's Save button is held to the same rule as its autosave: two
// sessions open the note; the first saves; the second's Save, based on the
// note as it was, is refused (409) and overwrites nothing: its page comes
// back with what was typed, what differs from the note saved meanwhile, in
// the person's language, and the note's revision now, so that saving again
// keeps its version knowingly. Sending a stale note is refused as well.
func TestConceptNoteSaveRefusesStale(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	round := s.twoStageRound(t, s.loginAs(t, people[demoAdmin]), false)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startConcept(round)
	colleague := s.loginAs(t, ch.person(t, s))

	opened := func(c *client) string {
		t.Helper()
		m := draftRevField.FindStringSubmatch(c.get(app + "/concept").Body.String())
		if m == nil {
			t.Fatal("the note's form has no draft_rev")
		}
		return m[1]
	}
	mine, theirs := opened(ch.client), opened(colleague)

	first := conceptNote("Misión Tegucigalpa")
	first.Set("action", "save")
	first.Set("draft_rev", mine)
	wantRedirect(t, ch.post(app+"/concept", first), app+"/concept")

	second := conceptNote("Misión a Copán")
	second.Set("need", "Texto del colega: 120 niños esperan.")
	second.Set("action", "save")
	second.Set("draft_rev", theirs)
	page := colleague.post(app+"/concept", second)
	wantStatus(t, page, http.StatusConflict)
	mustContain(t, page, `value="Misión a Copán"`, "Texto del colega: 120 niños esperan.", // what was typed, kept
		"data-stale", s.text("es", "page.stages.concept.conflict.title"),
		"<td class=\"pre\" data-label=\""+s.text("es", "app.conflict.theirs")+"\">Misión Tegucigalpa</td>") // what the other save has
	var title string
	must(t, s.db.Get(&title, `SELECT concept->>'title' FROM applications WHERE id = $1`, appID(app)))
	if title != "Misión Tegucigalpa" {
		t.Fatalf("a stale Save overwrote the note: its title is %q", title)
	}
	m := draftRevField.FindStringSubmatch(page.Body.String())
	if m == nil || m[1] == theirs {
		t.Fatalf("the refused page is not based on the note as it is now: %v", m)
	}

	// Sending from a stale page is refused too, and sends nothing.
	send := conceptNote("Misión a Copán")
	send.Set("draft_rev", theirs)
	wantStatus(t, colleague.post(app+"/concept", send), http.StatusConflict)
	if st, _ := s.statusOf(t, app); st != "concept_draft" {
		t.Fatalf("a stale note was sent: %s", st)
	}

	// Saved again from the page that showed what differs: kept, knowingly.
	second.Set("draft_rev", m[1])
	wantRedirect(t, colleague.post(app+"/concept", second), app+"/concept")
	must(t, s.db.Get(&title, `SELECT concept->>'title' FROM applications WHERE id = $1`, appID(app)))
	if title != "Misión a Copán" {
		t.Fatalf("saved again knowingly, the note's title is %q", title)
	}
}
