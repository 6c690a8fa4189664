package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"missiongrants/internal/db"
)

// Two-stage rounds (issue 22), through the router: the concept note, the
// IPA's question, the invitation with its own deadline, the full proposal
// begun from the note, its submission and the board's review; and a note
// declined, the charity told why by mail in its language.

// twoStageRound has an admin make a rolling two-stage round, decided on by
// the board when byBoard, its "trip" question worded in Spanish; it returns
// the round's id.
func (s *testServer) twoStageRound(t *testing.T, admin *client, byBoard bool) string {
	t.Helper()
	round := s.openRound(t)
	form := url.Values{"two_stage": {"yes"}, "by_board": {"no"}, "q_es_trip_label": {"El viaje y el hospital"}}
	if byBoard {
		form.Set("by_board", "yes")
	}
	wantRedirect(t, admin.post("/admin/rounds/"+round+"/stages", form), "/admin/rounds/"+round)
	page := admin.get("/admin/rounds/" + round)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `name="two_stage" value="yes" checked`, `value="El viaje y el hospital"`)
	return round
}

// conceptNote is a complete note as a Spanish charity types it.
func conceptNote(title string) url.Values {
	return url.Values{"title": {title}, "trip": {"Tegucigalpa, junio de 2027, Hospital Escuela."},
		"need": {"Hay 300 niños en lista de espera."}, "team": {"Dos cirujanos, dos perfusionistas."},
		"amount": {"20.000"}, "action": {"submit"}}
}

// saveConcept posts the note's form as a page opened just now would: based
// on the note's revision as it is (unless form names one).
func (c *client) saveConcept(app string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	if !form.Has("draft_rev") {
		if m := draftRevField.FindStringSubmatch(c.get(app + "/concept").Body.String()); m != nil {
			form.Set("draft_rev", m[1])
		}
	}
	return c.post(app+"/concept", form)
}

// startConcept has the charity start an application in round and returns
// its URL: the form it is sent to is the concept note's.
func (c *charity) startConcept(round string) string {
	c.t.Helper()
	rec := c.post(c.org+"/applications", url.Values{"round": {round}})
	wantStatus(c.t, rec, http.StatusSeeOther)
	app := strings.TrimSuffix(rec.Header().Get("Location"), "/edit")
	wantRedirect(c.t, c.get(app+"/edit"), app+"/concept")
	return app
}

func (s *testServer) statusOf(t *testing.T, app string) (status, stage string) {
	t.Helper()
	if err := s.db.QueryRow(`SELECT status, stage FROM applications WHERE id = $1`, appID(app)).Scan(&status, &stage); err != nil {
		t.Fatal(err)
	}
	return status, stage
}

func TestTwoStageRoundEndToEnd(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	round := s.twoStageRound(t, admin, false)

	// The eligibility check comes before the note: a charity not yet
	// eligible is sent to it, and told why it is not, before writing anything.
	p := s.signUpAndConfirm(t, s.client(t, "Accept-Language", "es"), "Marta")
	c := s.loginAs(t, p)
	rec := c.post("/organizations", url.Values{"legal_name": {"Marta Heart Missions"}, "country": {"HN"}, "registration_number": {"EIN 12-3456780"}})
	org := strings.TrimSuffix(rec.Header().Get("Location"), "/eligibility")
	wantRedirect(t, c.get(org+"/applications/new"), org+"/eligibility")
	wantStatus(t, c.post(org+"/applications", url.Values{"round": {round}}), http.StatusForbidden)
	no := url.Values{"charitable": {"yes"}, "cardiac_mission": {"yes"}, "host_agreed": {"no"}, "team_qualified": {"yes"}}
	refusedPage := c.post(org+"/eligibility", no)
	wantStatus(t, refusedPage, http.StatusUnprocessableEntity)
	mustContain(t, refusedPage, s.text("es", "eligibility.fix.host_agreed"))
	var started int
	must(t, s.db.Get(&started, `SELECT count(*) FROM applications a JOIN organizations o ON o.id = a.organization_id WHERE o.legal_name = 'Marta Heart Missions'`))
	if started != 0 {
		t.Fatalf("an ineligible charity has %d applications", started)
	}
	yes := url.Values{"charitable": {"yes"}, "cardiac_mission": {"yes"}, "host_agreed": {"yes"}, "team_qualified": {"yes"}}
	wantStatus(t, c.post(org+"/eligibility", yes), http.StatusOK)
	ch := &charity{client: c, org: org, round: round}
	email := p.email

	// The concept note, in the round's words; a mistake comes back beside
	// its field with what was typed.
	app := ch.startConcept(round)
	page := ch.get(app + "/concept")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "El viaje y el hospital", s.text("es", "stages.question.need.label"), s.text("es", "stages.stage.concept"))
	note := conceptNote("Corazones para Honduras")
	note.Del("need")
	page = ch.saveConcept(app, note)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	mustContain(t, page, `id="f-need-error"`, `value="Corazones para Honduras"`)
	// The full form is not for now.
	f := completeApplication()
	f.Set("action", "submit")
	f.Set("draft_rev", "0")
	wantStatus(t, ch.post(app+"/edit", f), http.StatusConflict)

	wantRedirect(t, ch.saveConcept(app, conceptNote("Corazones para Honduras")), app)
	if st, stage := s.statusOf(t, app); st != "concept_submitted" || stage != "concept" {
		t.Fatalf("a sent note stands %s at %s", st, stage)
	}
	s.waitMail(t, email, s.text("es", "mail.app_received.subject", "Title", "Corazones para Honduras"), 1)

	// The admins see it in the queue, at its stage, and ask a question in
	// the thread; the charity answers by sending the note again.
	dash := admin.get("/admin/dashboard")
	mustContain(t, dash, s.text("es", "app.status.concept_submitted"), `href="/board/applications?status=concept_submitted"`)
	queue := admin.get("/board/applications?status=concept_submitted")
	wantStatus(t, queue, http.StatusOK)
	mustContain(t, queue, "Corazones para Honduras", s.text("es", "stages.stage.concept"))
	question := "¿Cuántos niños operarán?"
	wantRedirect(t, admin.post("/board/applications/"+appID(app)+"/concept", url.Values{"outcome": {"ask"}, "note": {question}}), app)
	asked := s.waitMail(t, email, s.text("es", "mail.app_info.subject", "Title", "Corazones para Honduras"), 1)
	if !strings.Contains(asked.Text, question) {
		t.Errorf("the question's mail does not carry it:\n%s", asked.Text)
	}
	mustContain(t, ch.get(app), question)
	again := conceptNote("Corazones para Honduras")
	again.Set("need", "Hay 300 niños en lista de espera; operaremos a 20.")
	wantRedirect(t, ch.saveConcept(app, again), app)

	// The invitation: its own deadline, mailed in Spanish.
	due := s.today().AddDate(0, 0, 30)
	wantRedirect(t, admin.post("/board/applications/"+appID(app)+"/concept",
		url.Values{"outcome": {"invite"}, "due": {due.Format("2006-01-02")}, "note": {"Bienvenidos."}}), app)
	invited := s.waitMail(t, email, s.text("es", "mail.stages.invited.subject", "Title", "Corazones para Honduras"), 1)
	if !strings.Contains(invited.Text, s.cat.Date("es", due)) || !strings.Contains(invited.Text, app+"/edit") {
		t.Errorf("the invitation does not give its deadline and its link:\n%s", invited.Text)
	}
	if st, stage := s.statusOf(t, app); st != "invited" || stage != "full" {
		t.Fatalf("an invited note stands %s at %s", st, stage)
	}

	// Both versions of the note are kept, with the timeline.
	notePage := ch.get(app + "/concept")
	mustContain(t, notePage, s.text("es", "page.stages.concept.version", "Number", 2), s.text("es", "page.stages.concept.version", "Number", 1))
	mustContain(t, ch.get(app), s.text("es", "app.event.invite"), s.text("es", "app.event.request_info"), s.text("es", "app.status.invited"))

	// The full proposal begins from the note.
	// The full proposal begins from the note: "check your answers" shows
	// the note's title, amount and answers already in the form.
	edit := ch.get(app + "/check")
	wantStatus(t, edit, http.StatusOK)
	mustContain(t, edit, "Corazones para Honduras", "20.000", "operaremos a 20", "Hospital Escuela.")

	// The charity completes and sends it: by the invitation's deadline.
	ch.uploadRequired(app, "2028-01-01")
	full := completeApplication()
	full.Set("title", "Corazones para Honduras")
	full.Set("action", "submit")
	wantRedirect(t, ch.saveDraft(app, full), app)
	if st, stage := s.statusOf(t, app); st != "submitted" || stage != "full" {
		t.Fatalf("the full proposal stands %s at %s", st, stage)
	}

	// Screening and the board's review go as for any application.
	sendToBoard(t, admin, app)
	member := s.loginAs(t, people[demoBoard])
	wantRedirect(t, member.post(board(app, "/conflict"), url.Values{"conflict": {"no"}}), app)
	wantRedirect(t, member.post(board(app, "/review"), goodReview("4")), app)
	var reviews int
	must(t, s.db.Get(&reviews, `SELECT count(*) FROM reviews WHERE application_id = $1`, appID(app)))
	if reviews != 1 {
		t.Fatalf("%d reviews of the full proposal", reviews)
	}
	queue = admin.get("/board/applications")
	mustContain(t, queue, s.text("es", "stages.stage.full"))

	// The export says the stage in the admin's words.
	day := s.today()
	csv := admin.get("/admin/exports/applications.csv?from=" + day.AddDate(0, 0, -1).Format("2006-01-02") + "&to=" + day.AddDate(0, 0, 1).Format("2006-01-02"))
	wantStatus(t, csv, http.StatusOK)
	mustContain(t, csv, s.text("es", "export.column.stage"), s.text("es", "stages.stage.full"))
}

// A note declined by the board (as its round says): the charity is told the
// reason by mail in its language, with nothing more to write; an admin who
// is not on the board may not decide in such a round.
func TestConceptNoteDeclinedByTheBoard(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	round := s.twoStageRound(t, admin, true)
	ch := s.newCharity(t, "es", "Inés")
	ch.round = round
	app := ch.startConcept(round)
	wantRedirect(t, ch.saveConcept(app, conceptNote("Misión a Copán")), app)

	reason := "Esta convocatoria no financia equipos."
	wantStatus(t, admin.post("/board/applications/"+appID(app)+"/concept", url.Values{"outcome": {"decline"}, "note": {reason}}), http.StatusForbidden)
	member := s.loginAs(t, people[demoBoard])
	// The board member declares first, as for any decision of the board.
	wantStatus(t, member.post(board(app, "/concept"), url.Values{"outcome": {"decline"}, "note": {reason}}), http.StatusConflict)
	mustContain(t, member.get(app+"/concept"), s.text("en", "error.review.undeclared")) // the demo board member reads English
	wantRedirect(t, member.post(board(app, "/conflict"), url.Values{"conflict": {"no"}}), app)
	page := member.get(app + "/concept")
	mustContain(t, page, `action="/board/applications/`+appID(app)+`/concept"`)
	// Without a reason, the decline comes back.
	wantStatus(t, member.post(board(app, "/concept"), url.Values{"outcome": {"decline"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, member.post(board(app, "/concept"), url.Values{"outcome": {"decline"}, "note": {reason}}), app)

	if st, stage := s.statusOf(t, app); st != "declined" || stage != "concept" {
		t.Fatalf("a declined note stands %s at %s", st, stage)
	}
	m := s.waitMail(t, ch.person(t, s).email, s.text("es", "mail.app_declined.subject", "Title", "Misión a Copán"), 1)
	if !strings.Contains(m.Text, reason) || !strings.Contains(m.Text, s.text("es", "mail.app_declined.after")) {
		t.Errorf("the decline's mail does not say why, in Spanish:\n%s", m.Text)
	}
	// Nothing more to write: neither the note nor a full proposal.
	wantStatus(t, ch.saveConcept(app, conceptNote("Otra vez")), http.StatusConflict)
	wantRedirect(t, ch.get(app+"/edit"), app)
	mustNotContain(t, ch.get(app+"/concept"), `action="/applications/`+appID(app)+`/concept"`)
}

// The database refuses a full proposal in a two-stage round that nobody
// invited, and a round's stages once it has applications.
func TestTwoStageRoundLastLine(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	round := s.twoStageRound(t, admin, false)
	ch := s.newCharity(t, "en", "Ada")
	app := ch.startConcept(round)

	_, err := s.db.Exec(`UPDATE applications SET stage = 'full', status = 'draft' WHERE id = $1`, appID(app))
	if !db.IsCheckViolation(err, "full_proposal_invited") {
		t.Errorf("a full proposal without an invitation: %v", err)
	}
	var org int64
	must(t, s.db.Get(&org, `SELECT organization_id FROM applications WHERE id = $1`, appID(app)))
	_, err = s.db.Exec(`INSERT INTO applications (organization_id, round_id, created_by)
		SELECT organization_id, round_id, created_by FROM applications WHERE id = $1`, appID(app))
	if !db.IsCheckViolation(err, "full_proposal_invited") {
		t.Errorf("a full proposal inserted in a two-stage round: %v", err)
	}
	rec := admin.post("/admin/rounds/"+round+"/stages", url.Values{"two_stage": {"no"}, "by_board": {"no"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, s.text("es", "error.stages.fixed"))
	_, err = s.db.Exec(`UPDATE funding_rounds SET two_stage = false WHERE id = $1`, round)
	if !db.IsCheckViolation(err, "round_stages_fixed") {
		t.Errorf("a round's stages changed under its applications: %v", err)
	}
	// A round without applications changes freely.
	other := s.openRound(t)
	wantRedirect(t, admin.post("/admin/rounds/"+other+"/stages", url.Values{"two_stage": {"yes"}}), "/admin/rounds/"+other)
}
