package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"missiongrants/internal/application"
)

// taskState is the state the task list shows for task key, as its words.
func (s *testServer) taskState(t *testing.T, page *httptest.ResponseRecorder, lang, key string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)data-task="` + key + `".*?</li>`).FindString(page.Body.String())
	if m == "" {
		t.Fatalf("the task list has no task %s", key)
	}
	for _, st := range []application.State{application.NotStarted, application.InProgress, application.Completed, application.NeedsAttention} {
		if strings.Contains(m, ">"+s.text(lang, "app.task."+string(st))+"<") {
			return string(st)
		}
	}
	t.Fatalf("task %s shows no state: %s", key, m)
	return ""
}

// sectionValues are the answers of complete() that section key's page has.
func sectionValues(key string, complete url.Values) url.Values {
	out := url.Values{"section": {key}, "action": {"save"}}
	for name, v := range complete {
		field := name
		if strings.HasPrefix(name, "budget_") { // repeated, one per line
			field = name + "_0"
		}
		if application.SectionOf(field) == key {
			out[name] = v
		}
	}
	return out
}

// A Spanish charity answers the application part by part: the task list
// follows each part's state, a part's save changes that part only, "check
// your answers" shows every answer with a link to change it, a mistake
// links to its part's page at the field, and the application is sent.
func TestApplicationSectionBySectionInSpanish(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startApplication()

	tasks := ch.get(app + "/edit")
	wantStatus(t, tasks, http.StatusOK)
	for _, sec := range application.Sections {
		if got := s.taskState(t, tasks, "es", sec.Key); got != string(application.NotStarted) {
			t.Errorf("a new application's %s is %s", sec.Key, got)
		}
		mustContain(t, tasks, `href="`+app+`/edit/`+sec.Key+`"`, ">"+s.text("es", "app.section."+sec.Key)+"<")
	}
	if got := s.taskState(t, tasks, "es", "documents"); got != string(application.Completed) {
		t.Errorf("uploaded documents are %s", got)
	}

	complete := completeApplication()
	complete.Set("host_contact_email", "not-an-address") // to fix later
	delete(complete, "city")                             // to give later
	for _, sec := range application.Sections {
		page := ch.get(app + "/edit/" + sec.Key)
		wantStatus(t, page, http.StatusOK)
		mustContain(t, page, `name="section" value="`+sec.Key+`"`, s.text("es", "app.tasks.save_continue"))
		mustNotContain(t, page, `name="action" value="submit"`)
		wantRedirect(t, ch.saveDraft(app, sectionValues(sec.Key, complete)), app+"/edit")
	}
	tasks = ch.get(app + "/edit")
	for key, want := range map[string]application.State{"trip": application.InProgress, "host": application.NeedsAttention,
		"team": application.Completed, "budget": application.Completed, "attestation": application.Completed, "experience": application.NotStarted} {
		if got := s.taskState(t, tasks, "es", key); got != string(want) {
			t.Errorf("after one pass: %s is %s, want %s", key, got, want)
		}
	}
	// The wrong address shows beside its field when the part is opened.
	host := ch.get(app + "/edit/host")
	mustContain(t, host, `id="f-host_contact_email-error"`)
	mustNotContain(t, host, `name="title"`) // one part per page

	// Sent with a part unfinished: each mistake links to its part's page, at the field.
	check := ch.get(app + "/check")
	wantStatus(t, check, http.StatusOK)
	rev := draftRevField.FindStringSubmatch(check.Body.String())[1]
	rec := ch.post(app+"/submit", url.Values{"draft_rev": {rev}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `href="`+app+`/edit/trip?check=1#f-city"`, `href="`+app+`/edit/host?check=1#f-host_contact_email"`)
	mustContain(t, ch.get(app+"/edit/trip?check=1"), `id="f-city-error"`, s.text("es", "error.field.required"))
	if st := s.status(t, app); st != "draft" {
		t.Fatalf("a refused submission left the application %s", st)
	}

	// Fixed part by part: the other parts keep their answers.
	wantRedirect(t, ch.saveDraft(app, url.Values{"section": {"trip"}, "title": {complete.Get("title")}, "country": {"HN"}, "city": {"Tegucigalpa"},
		"trip_start": {complete.Get("trip_start")}, "trip_end": {complete.Get("trip_end")}, "action": {"save"}}), app+"/edit")
	fixHost := sectionValues("host", complete)
	fixHost.Set("host_contact_email", "mejia@hospital.example")
	wantRedirect(t, ch.saveDraft(app, fixHost), app+"/edit")
	if _, title, city, hospital, narrative := s.draftRow(t, app); title != complete.Get("title") || city != "Tegucigalpa" ||
		hospital != "Hospital Escuela" || narrative != complete.Get("narrative") {
		t.Fatalf("after saving two parts: %q %q %q %q", title, city, hospital, narrative)
	}
	tasks = ch.get(app + "/edit")
	for _, key := range []string{"trip", "host", "team", "patients", "readiness", "budget", "need", "attestation", "documents"} {
		if got := s.taskState(t, tasks, "es", key); got != string(application.Completed) {
			t.Errorf("when complete: %s is %s", key, got)
		}
	}
	mustContain(t, tasks, s.text("es", "app.tasks.send_ready"), s.text("es", "app.tasks.progress", "Done", 9, "Total", 10))

	// Check your answers: every answer, each with a link to change it.
	check = ch.get(app + "/check")
	mustContain(t, check, "Cirugía cardíaca pediátrica en Tegucigalpa", "Honduras", "Tegucigalpa", "Hospital Escuela", "mejia@hospital.example",
		"Dr. Mejía", "Vuelos", "Oxigenadores", "US$10.000,00", "US$15.000,50", "US$20.000,00", "US$5.000,50", s.text("es", "app.equipment.brought"),
		"Hay 300 niños en lista de espera.", "María López", `href="`+app+`/edit/budget#f-amount_requested"`, `href="`+app+`/edit/trip#f-title"`,
		s.text("es", "app.check.change"), s.text("es", "app.check.documents_ok"))
	mustNotContain(t, check, "app.check.", "app.task.")

	// Saved elsewhere after the check was shown: asked to check again, not sent.
	rev = draftRevField.FindStringSubmatch(check.Body.String())[1]
	other := s.loginAs(t, ch.person(t, s))
	wantStatus(t, other.autosave(app, url.Values{"section": {"need"}, "narrative": {"Hay 310 niños en lista de espera."}}), http.StatusOK)
	rec = ch.post(app+"/submit", url.Values{"draft_rev": {rev}})
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec, s.text("es", "app.check.changed"), "Hay 310 niños en lista de espera.")
	if st := s.status(t, app); st != "draft" {
		t.Fatalf("a submission of an unseen draft left it %s", st)
	}

	rev = draftRevField.FindStringSubmatch(rec.Body.String())[1]
	wantRedirect(t, ch.post(app+"/submit", url.Values{"draft_rev": {rev}}), app)
	if st := s.status(t, app); st != "submitted" {
		t.Fatalf("sent: %s", st)
	}
	wantStatus(t, ch.get(app+"/edit"), http.StatusSeeOther)
	wantStatus(t, ch.get(app+"/check"), http.StatusSeeOther)
}

// A budget line goes with its "remove" button, without JavaScript: the
// form is saved without it and comes back at the budget.
func TestRemoveABudgetLineWithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Rita")
	app := ch.startEmptyApplication()
	budget := url.Values{"section": {"budget"}, "budget_category": {"travel", "lodging", "supplies", ""}, "budget_description": {"Flights", "Hotel", "Oxygenators", ""},
		"budget_amount": {"1,000", "500", "2,000", ""}, "amount_requested": {"3,000"}, "action": {"save"}}
	wantRedirect(t, ch.saveDraft(app, budget), app+"/edit")
	page := ch.get(app + "/edit/budget")
	mustContain(t, page, `name="remove_line" value="1"`, s.text("en", "app.budget.remove_line", "N", 2))

	budget.Del("action")
	budget.Del("draft_rev") // based on the draft as saved now
	budget.Set("remove_line", "1")
	wantRedirect(t, ch.saveDraft(app, budget), app+"/edit/budget#f-budget")
	page = ch.get(app + "/edit/budget")
	mustContain(t, page, s.text("en", "flash.budget_line_removed"), `value="Flights"`, `value="Oxygenators"`, "US$3,000.00")
	mustNotContain(t, page, `value="Hotel"`)
	var lines int
	if err := s.db.Get(&lines, `SELECT jsonb_array_length(draft->'budget') FROM applications WHERE id = $1`, appID(app)); err != nil || lines != 2 {
		t.Fatalf("the draft has %d lines (%v)", lines, err)
	}
}

// A charity deletes a draft it never sent, after a page that asks; the
// audit keeps its title. What the IPA received is withdrawn, never deleted,
// whoever asks and however (the database refuses too).
func TestDeleteADraftNeverSent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "es", "Elena")
	app := ch.startApplication()
	wantStatus(t, ch.autosave(app, url.Values{"title": {"Misión que no va"}}), http.StatusOK)

	show := ch.get(app)
	mustContain(t, show, `href="`+app+`/delete"`, s.text("es", "app.delete.link"))
	mustNotContain(t, show, `action="`+app+`/withdraw"`) // a draft is deleted, not withdrawn
	ask := ch.get(app + "/delete")
	wantStatus(t, ask, http.StatusOK)
	mustContain(t, ask, s.text("es", "app.delete.title"), "Misión que no va", `action="`+app+`/delete"`, s.text("es", "app.delete.keep"))
	if n := s.count(t, `SELECT count(*) FROM applications WHERE id = $1`, appID(app)); n != 1 {
		t.Fatal("asking deleted it")
	}

	wantRedirect(t, ch.post(app+"/delete", nil), "/dashboard")
	mustContain(t, ch.get("/dashboard"), s.text("es", "flash.application_deleted"))
	if n := s.count(t, `SELECT count(*) FROM applications WHERE id = $1`, appID(app)); n != 0 {
		t.Fatal("the draft is still there")
	}
	if n := s.count(t, `SELECT count(*) FROM documents WHERE application_id = $1`, appID(app)); n != 0 {
		t.Fatal("its documents are still there")
	}
	if n := s.count(t, `SELECT count(*) FROM audit WHERE action = 'application.deleted' AND object_id = $1 AND details->>'title' = 'Misión que no va'`, appID(app)); n != 1 {
		t.Fatal("no audit row for the deletion")
	}
	wantStatus(t, ch.get(app), http.StatusNotFound)

	// Sent: withdrawn, not deleted.
	sent := ch.startApplication()
	wantRedirect(t, ch.saveDraft(sent, withAction(completeApplication(), "submit")), sent)
	show = ch.get(sent)
	mustContain(t, show, `action="`+sent+`/withdraw"`)
	mustNotContain(t, show, `href="`+sent+`/delete"`)
	wantStatus(t, ch.get(sent+"/delete"), http.StatusSeeOther)
	wantStatus(t, ch.post(sent+"/delete", nil), http.StatusConflict)
	if _, err := s.db.Exec(`DELETE FROM applications WHERE id = $1`, appID(sent)); err == nil || !strings.Contains(err.Error(), "never deleted") {
		t.Fatalf("the database deleted a sent application: %v", err)
	}
	if n := s.count(t, `SELECT count(*) FROM applications WHERE id = $1`, appID(sent)); n != 1 {
		t.Fatal("the sent application is gone")
	}
}

func withAction(v url.Values, action string) url.Values {
	v.Set("action", action)
	return v
}

func (s *testServer) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.Get(&n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// The documents' kind starts with "Choose…", not a real choice (a required
// select's first option must be empty), and a file sent without one is
// refused beside the field; a charity named "…, Inc." reads with one stop.
func TestDocumentKindIsChosenAndNamesKeepOneStop(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Rita")
	app := ch.startEmptyApplication()
	page := ch.get(app + "/documents")
	if !regexp.MustCompile(`<select id="f-kind" name="kind" required aria-required="true"[^>]*><option value="">` + regexp.QuoteMeta(s.text("en", "field.choose")) + `</option>`).MatchString(page.Body.String()) {
		t.Errorf("the kind's first option is not an empty choice: %s", regexp.MustCompile(`(?s)<select id="f-kind".{0,300}`).FindString(page.Body.String()))
	}
	rec := ch.upload(app, "", "", "charter.pdf", pdfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-kind-error"`)
	if n := s.count(t, `SELECT count(*) FROM documents`); n != 0 {
		t.Fatalf("%d documents stored without a kind", n)
	}

	if _, err := s.db.Exec(`UPDATE organizations SET legal_name = 'Corazones Unidos, Inc.' WHERE id = $1`, strings.TrimPrefix(ch.org, "/organizations/")); err != nil {
		t.Fatal(err)
	}
	choose := ch.get(ch.org + "/applications/new")
	mustContain(t, choose, "For Corazones Unidos, Inc.</p>")
	mustNotContain(t, choose, "Inc..")
}
