package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// colleague is another member of the charity, signed in in their own browser.
func (c *charity) colleague(t *testing.T, s *testServer, name string) *client {
	t.Helper()
	p := s.signUpAndConfirm(t, s.client(t, "Accept-Language", "en"), name)
	if _, err := s.db.Exec(`INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2)`, strings.TrimPrefix(c.org, "/organizations/"), s.userID(t, p.email)); err != nil {
		t.Fatal(err)
	}
	return s.loginAs(t, p)
}

// draftRow is what the database holds of app's draft.
func (s *testServer) draftRow(t *testing.T, app string) (rev int, title, city, hospital, narrative string) {
	t.Helper()
	err := s.db.QueryRow(`SELECT draft_rev, draft->>'title', draft->>'city', draft->>'hospital', draft->>'narrative' FROM applications WHERE id = $1`,
		appID(app)).Scan(&rev, &title, &city, &hospital, &narrative)
	if err != nil {
		t.Fatal(err)
	}
	return
}

// Two members of a charity edit one draft at once, each in their own
// session. The laptop saves the narrative; the phone, opened before, edits
// only the city: its autosave is refused (409) and writes nothing, its
// save keeps both. Then both change the title: the second save is refused
// with what differs, keeps everything typed, and the person chooses.
func TestTwoMembersEditOneDraft(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	laptop := s.newCharity(t, "en", "Ana")
	app := laptop.startEmptyApplication()
	phone := laptop.colleague(t, s, "Luis")

	opened := laptop.draftRev(app)
	if opened == "" || phone.draftRev(app) != opened {
		t.Fatalf("the two pages open at revisions %q and %q", opened, phone.draftRev(app))
	}
	rec := laptop.autosave(app, url.Values{"narrative": {"300 children wait."}, "draft_rev": {opened}})
	wantStatus(t, rec, http.StatusOK)
	var ok struct {
		Rev     int
		SavedAt string `json:"saved_at"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ok); err != nil || strconv.Itoa(ok.Rev) == opened || ok.SavedAt == "" {
		t.Fatalf("autosave answered %s", rec.Body.String())
	}

	// The phone's autosave, based on the revision it opened: refused, nothing written.
	rec = phone.autosave(app, url.Values{"city": {"Tegucigalpa"}, "draft_rev": {opened}})
	wantStatus(t, rec, http.StatusConflict)
	var refused struct {
		Error string
		Stale bool
		Rev   *int
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &refused); err != nil || !refused.Stale || refused.Rev != nil ||
		refused.Error != s.cat.T("en", "app.form.stale") {
		t.Fatalf("stale autosave answered %s", rec.Body.String())
	}
	if rev, _, city, _, narrative := s.draftRow(t, app); rev != ok.Rev || city != "" || narrative != "300 children wait." {
		t.Fatalf("after the refused autosave: revision %d, city %q, narrative %q", rev, city, narrative)
	}

	// The phone saves with the button: both edits are kept, and it says so.
	rec = phone.post(app+"/edit", url.Values{"city": {"Tegucigalpa"}, "narrative": {""}, "draft_rev": {opened}, "action": {"submit"}})
	wantRedirect(t, rec, app+"/edit")
	mustContain(t, phone.get(app+"/edit"), s.cat.T("en", "flash.draft_merged"))
	mustContain(t, phone.get(app+"/edit/trip"), `value="Tegucigalpa"`)
	mustContain(t, phone.get(app+"/edit/need"), "300 children wait.")
	if _, _, city, _, narrative := s.draftRow(t, app); city != "Tegucigalpa" || narrative != "300 children wait." {
		t.Fatalf("merged: city %q, narrative %q", city, narrative)
	}
	if st := s.status(t, app); st != "draft" {
		t.Errorf("a merged save went on to submit: %s", st)
	}

	// Both change the title, the phone also the hospital.
	opened = laptop.draftRev(app)
	wantRedirect(t, laptop.post(app+"/edit", url.Values{"title": {"Hearts for Honduras"}, "city": {"Tegucigalpa"}, "narrative": {"300 children wait."}, "draft_rev": {opened}, "action": {"save"}}), app+"/edit")
	mine := url.Values{"title": {"Corazones 2027"}, "hospital": {"Hospital Escuela"}, "city": {"Tegucigalpa"}, "narrative": {"300 children wait."}, "draft_rev": {opened}, "action": {"save"}}
	rec = phone.post(app+"/edit", mine)
	wantStatus(t, rec, http.StatusConflict)
	now, _, _, _, _ := s.draftRow(t, app)
	mustContain(t, rec, s.cat.T("en", "error.app.stale"), s.cat.T("en", "app.conflict.title"),
		// What they typed, kept in the form, now based on the revision saved.
		`value="Corazones 2027"`, `value="Hospital Escuela"`, `name="draft_rev" value="`+strconv.Itoa(now)+`"`,
		// The title, both versions, and the choice.
		"<legend>Title of the mission</legend>", "<td>Title of the mission</td>",
		`>Corazones 2027</td>`, `>Hearts for Honduras</td>`, `name="keep_title" value="theirs"`)
	mustNotContain(t, rec, `name="keep_hospital"`, `name="keep_city"`)
	if _, title, _, hospital, _ := s.draftRow(t, app); title != "Hearts for Honduras" || hospital != "" {
		t.Fatalf("a refused save wrote: title %q, hospital %q", title, hospital)
	}

	// The phone takes the laptop's title and keeps its hospital.
	mine.Set("draft_rev", strconv.Itoa(now))
	mine.Set("keep_title", "theirs")
	wantRedirect(t, phone.post(app+"/edit", mine), app+"/edit")
	if _, title, city, hospital, narrative := s.draftRow(t, app); title != "Hearts for Honduras" || hospital != "Hospital Escuela" ||
		city != "Tegucigalpa" || narrative != "300 children wait." {
		t.Fatalf("combined: %q %q %q %q", title, hospital, city, narrative)
	}
}

// A save that says no revision (a page from before revisions, or a forged
// post) overwrites nothing: whatever differs is asked.
func TestASaveWithoutItsRevisionIsAsked(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "es", "Marta")
	app := ch.startEmptyApplication()
	wantStatus(t, ch.autosave(app, url.Values{"title": {"Misión 2027"}}), http.StatusOK)
	rec := ch.autosave(app, url.Values{"title": {"Otra"}, "draft_rev": {""}})
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec, `"stale":true`)
	rec = ch.post(app+"/edit", url.Values{"title": {"Otra"}, "action": {"save"}})
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec, s.cat.T("es", "app.conflict.title"), `value="Otra"`, `name="keep_title"`)
	if _, title, _, _, _ := s.draftRow(t, app); title != "Misión 2027" {
		t.Fatalf("the title is %q", title)
	}
}
