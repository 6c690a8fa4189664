package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"missiongrants/internal/account"
	"missiongrants/internal/testenv"
)

// Today's features attacked as a careless or hostile user would, through
// the router: what must hold, and the holes found (each fixed where its
// rule lives).

// A save naming a part of the form that does not exist (a tab left open
// across a release, a hand-made request) is refused: read as a save of
// the whole form, it emptied every other part of the draft.
func TestAttackUnknownSectionLosesNoAnswers(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	wantRedirect(t, ch.saveDraft(app, withAction(completeApplication(), "save")), app+"/edit")
	_, title, city, hospital, narrative := s.draftRow(t, app)

	for _, section := range []string{"Trip", "nope", "trip "} {
		if rec := ch.autosave(app, url.Values{"section": {section}, "title": {"Changed"}}); rec.Code == http.StatusOK {
			t.Errorf("an autosave of part %q was taken", section)
		}
		rec := ch.saveDraft(app, url.Values{"section": {section}, "title": {"Changed"}, "action": {"save"}})
		if rec.Code < 400 {
			t.Errorf("a save of part %q answered %d", section, rec.Code)
		}
		if _, t2, c2, h2, n2 := s.draftRow(t, app); t2 != title || c2 != city || h2 != hospital || n2 != narrative {
			t.Fatalf("a save of part %q left the draft %q %q %q %q", section, t2, c2, h2, n2)
		}
	}
	wantStatus(t, ch.get(app+"/edit/nope"), http.StatusNotFound)
}

// Another charity's draft: none of the form's new pages shows it, nor
// deletes, sends or changes it; a charity decides no concept note and
// reads neither the board's outcomes nor the admins' reference.
func TestAttackAnotherCharitysDraft(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	owner := s.newCharity(t, "en", "Olga")
	app := owner.startApplication()
	wantRedirect(t, owner.saveDraft(app, withAction(completeApplication(), "save")), app+"/edit")
	rev, title, _, _, narrative := s.draftRow(t, app)

	other := s.newCharity(t, "es", "Pablo")
	for _, path := range []string{"/edit", "/edit/trip", "/check", "/delete", "/concept"} {
		if rec := other.get(app + path); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("another charity's GET %s answered %d", path, rec.Code)
		}
	}
	for _, path := range []string{"/delete", "/submit", "/concept"} {
		if rec := other.post(app+path, url.Values{"draft_rev": {"1"}, "title": {"Mine"}, "action": {"submit"}}); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("another charity's POST %s answered %d", path, rec.Code)
		}
	}
	if rec := other.saveDraft(app, url.Values{"section": {"trip"}, "title": {"Mine"}, "draft_rev": {"1"}}); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
		t.Errorf("another charity's section save answered %d", rec.Code)
	}
	if r2, t2, _, _, n2 := s.draftRow(t, app); r2 != rev || t2 != title || n2 != narrative {
		t.Fatalf("another charity changed the draft: %d %q %q", r2, t2, n2)
	}
	if st := s.status(t, app); st != "draft" {
		t.Fatalf("another charity left it %s", st)
	}
	for _, c := range []*charity{owner, other} {
		wantStatus(t, c.post("/board/applications/"+appID(app)+"/concept", url.Values{"outcome": {"invite"}, "due": {"2099-01-01"}}), http.StatusForbidden)
		wantStatus(t, c.get("/board/outcomes"), http.StatusForbidden)
		wantStatus(t, c.post("/admin/outcomes/reference", url.Values{}), http.StatusForbidden)
		wantStatus(t, c.get("/admin/applications/"+appID(app)+"/assign"), http.StatusForbidden)
		wantStatus(t, c.get("/board/conflicts"), http.StatusForbidden)
	}
}

// A round's assignment form assigns the reviewers of that round's
// applications only: an application of another round slipped into its
// form (a forged or stale id) is refused and nothing is assigned.
func TestAttackRoundAssignmentOfAnotherRoundsApplication(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	admin := s.loginAs(t, people[demoAdmin])
	app := ch.submitted("Heart mission to Tegucigalpa")
	sendToBoard(t, admin, app)
	id, bruno := appID(app), itoa(s.userID(t, demoBoard))
	other := s.openRound(t)
	if other == ch.round {
		t.Fatal("one round")
	}
	rec := admin.post("/admin/rounds/"+other+"/assign", url.Values{"app": {id}, "reviewers_" + id: {bruno}})
	if rec.Code < 400 {
		t.Errorf("round %s's form assigned on another round's application: %d", other, rec.Code)
	}
	if n := s.count(t, `SELECT count(*) FROM assignments WHERE application_id = $1`, id); n != 0 {
		t.Fatalf("%d reviewers assigned through another round's form", n)
	}
	// Its own round's form assigns.
	wantRedirect(t, admin.post("/admin/rounds/"+ch.round+"/assign", url.Values{"app": {id}, "reviewers_" + id: {bruno}}), "/admin/rounds/"+ch.round+"/assign")
	if n := s.count(t, `SELECT count(*) FROM assignments WHERE application_id = $1`, id); n != 1 {
		t.Fatalf("%d reviewers assigned through the round's own form", n)
	}
}

// A two-stage round's charity cannot skip its note, change it once sent,
// nor send the full proposal after its invitation's deadline, by any
// route; another charity sees none of it.
func TestAttackConceptStageAndInvitationDeadline(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	round := s.twoStageRound(t, admin, false)
	ch := s.newCharity(t, "es", "Ana")
	ch.round = round
	app := ch.startConcept(round)

	// Skipping the note: the full form's routes refuse, nothing changes.
	full := completeApplication()
	if rec := ch.autosave(app, url.Values{"title": {"Full already"}}); rec.Code == http.StatusOK {
		t.Error("the full form's autosave was taken at the concept stage")
	}
	wantStatus(t, ch.post(app+"/submit", url.Values{"draft_rev": {"0"}}), http.StatusConflict)
	for _, path := range []string{"/edit/trip", "/check"} {
		wantRedirect(t, ch.get(app+path), app+"/concept")
	}
	if st, stage := s.statusOf(t, app); st != "concept_draft" || stage != "concept" {
		t.Fatalf("skipping the note left it %s at %s", st, stage)
	}

	// Sent, the note is no longer the charity's to change.
	wantRedirect(t, ch.saveConcept(app, conceptNote("Corazones")), app)
	changed := conceptNote("Changed after sending")
	changed.Set("action", "save")
	wantStatus(t, ch.saveConcept(app, changed), http.StatusConflict)
	changed.Set("action", "submit")
	wantStatus(t, ch.saveConcept(app, changed), http.StatusConflict)
	var title string
	must(t, s.db.Get(&title, `SELECT concept->>'title' FROM applications WHERE id = $1`, appID(app)))
	if title != "Corazones" {
		t.Fatalf("the note sent became %q", title)
	}
	// Its own charity does not decide it; another charity does not read it.
	wantStatus(t, ch.post("/board/applications/"+appID(app)+"/concept", url.Values{"outcome": {"invite"}, "due": {"2099-01-01"}}), http.StatusForbidden)
	stranger := s.newCharity(t, "en", "Pablo")
	wantStatus(t, stranger.get(app+"/concept"), http.StatusNotFound)
	wantStatus(t, stranger.saveConcept(app, conceptNote("Mine")), http.StatusNotFound)

	// Invited; past the invitation's deadline the full proposal is not sent.
	due := s.today().AddDate(0, 0, 1)
	wantRedirect(t, admin.post("/board/applications/"+appID(app)+"/concept",
		url.Values{"outcome": {"invite"}, "due": {due.Format("2006-01-02")}}), app)
	ch.uploadRequired(app, "2028-01-01")
	full.Set("title", "Corazones")
	wantRedirect(t, ch.saveDraft(app, withAction(full, "save")), app+"/edit")
	if _, err := s.db.Exec(`UPDATE applications SET invitation_due = $2 WHERE id = $1`, appID(app), s.today().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ch.post(app+"/submit", url.Values{"draft_rev": {ch.draftRev(app)}}), http.StatusConflict)
	wantStatus(t, ch.saveDraft(app, withAction(full, "submit")), http.StatusConflict)
	if st, _ := s.statusOf(t, app); st != "invited" {
		t.Fatalf("sent after its invitation's deadline: %s", st)
	}
}

// Passkeys attacked: another person's removed with one's own password, one's
// own without it, a ceremony begun in another browser finished in this one,
// another's passkey as the step after one's password, and whose accounts
// have passkeys asked of the sign-in page. Each is refused.
func TestAttackPasskeys(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.seedDemo(t)
	pa, pb := s.withoutTOTP(t, account.Roles{Board: true}), s.withoutTOTP(t, account.Roles{Board: true})
	a, b := s.loginAs(t, pa), s.loginAs(t, pb)
	a.addPasskey("Ana's phone")
	bAuth := b.addPasskey("Bea's phone")
	b.addPasskey("Bea's laptop")
	keys := func(p person) []account.Passkey {
		t.Helper()
		k, err := s.accounts.ListPasskeys(t.Context(), s.userID(t, p.email))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	beas := strconv.FormatInt(keys(pb)[0].ID, 10)

	for _, try := range []struct {
		who  *client
		form url.Values
	}{
		{a, url.Values{"passkey_id": {beas}, "remove_password": {pa.password}}},
		{b, url.Values{"passkey_id": {beas}}},
		{b, url.Values{"passkey_id": {beas}, "remove_password": {"not the password"}}},
	} {
		if rec := try.who.post("/account/passkeys/remove", try.form); rec.Code < 400 {
			t.Errorf("removal %v answered %d", try.form, rec.Code)
		}
	}
	if n := len(keys(pb)); n != 2 {
		t.Fatalf("Bea has %d passkeys after the refused removals", n)
	}

	// A registration begun in Ana's browser, finished in Bea's: Bea's
	// browser has no ceremony, or another challenge.
	stolen, err := testenv.NewAuthenticator(testOrigin).Register(a.passkeyOptions("/account/passkeys/options"))
	if err != nil {
		t.Fatal(err)
	}
	if rec := b.post("/account/passkeys", url.Values{"passkey_name": {"Stolen"}, "credential": {string(stolen)}}); rec.Code < 400 {
		t.Errorf("a ceremony of another browser answered %d", rec.Code)
	}
	b.passkeyOptions("/account/passkeys/options")
	if rec := b.post("/account/passkeys", url.Values{"passkey_name": {"Stolen"}, "credential": {string(stolen)}}); rec.Code < 400 {
		t.Errorf("an answer to another browser's challenge answered %d", rec.Code)
	}
	if len(keys(pa)) != 1 || len(keys(pb)) != 2 {
		t.Fatalf("after the stolen ceremonies: Ana %d passkeys, Bea %d", len(keys(pa)), len(keys(pb)))
	}

	// Ana's password, then Bea's passkey: no session.
	c := s.client(t, "Accept-Language", "en")
	wantRedirect(t, c.enterPassword(pa), "/login/code")
	assertion, err := bAuth.Assert(c.passkeyOptions("/login/code/passkey/options"))
	if err != nil {
		t.Fatal(err)
	}
	if rec := c.post("/login/code/passkey", url.Values{"credential": {string(assertion)}}); rec.Code == http.StatusSeeOther {
		t.Fatalf("Ana's password and Bea's passkey signed in to %q", rec.Header().Get("Location"))
	}
	if rec := c.get("/dashboard"); rec.Code == http.StatusOK {
		t.Fatal("Ana's password and Bea's passkey opened a session")
	}

	// The sign-in page's options name nobody: alike for every visitor.
	o1 := s.client(t, "Accept-Language", "en").passkeyOptions("/login/passkey/options")
	for _, k := range []string{pa.email, pb.email, "allowCredentials"} {
		if strings.Contains(string(o1), k) {
			t.Errorf("the sign-in options carry %q: %s", k, o1)
		}
	}
}

// "Check your answers" offers to send an invited full proposal by the
// invitation's deadline, not the round's dates: invitations come after
// the notes, often once the round has closed, and the page said the
// round was closed and had no button; past the invitation's deadline in
// a round still open it offered one that was then refused.
func TestAttackCheckPageFollowsTheInvitation(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	round := s.twoStageRound(t, admin, false)
	ch := s.newCharity(t, "es", "Ana")
	app := ch.startConcept(round)
	wantRedirect(t, ch.saveConcept(app, conceptNote("Corazones")), app)
	wantRedirect(t, admin.post("/board/applications/"+appID(app)+"/concept",
		url.Values{"outcome": {"invite"}, "due": {s.today().AddDate(0, 0, 30).Format("2006-01-02")}}), app)
	ch.uploadRequired(app, "2028-01-01")
	full := completeApplication()
	full.Set("title", "Corazones")
	wantRedirect(t, ch.saveDraft(app, withAction(full, "save")), app+"/edit")
	send := `action="` + app + `/submit"`

	// The round closed yesterday; the invitation runs a month more.
	if _, err := s.db.Exec(`UPDATE funding_rounds SET rolling = false, opens_on = $2, closes_on = $3 WHERE id = $1`,
		round, s.today().AddDate(0, -2, 0), s.today().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	check := ch.get(app + "/check")
	wantStatus(t, check, http.StatusOK)
	mustContain(t, check, send)
	mustNotContain(t, check, s.text("es", "app.form.round_closed"))

	// The invitation's deadline passed; the round open again.
	if _, err := s.db.Exec(`UPDATE funding_rounds SET rolling = true WHERE id = $1`, round); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE applications SET invitation_due = $2 WHERE id = $1`, appID(app), s.today().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, ch.get(app+"/check"), send)
}
