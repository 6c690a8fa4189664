package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// "Check your answers" sends what the person saw, or nothing: a colleague's
// save racing the submit either lands first, and the submit is refused as a
// stale page with the save kept and shown, or lands after, and is refused
// because the application is sent. Never is the save sent unseen. Each
// round races the two real requests through the router on its own draft.
func TestSubmitRacingASaveSendsOnlyWhatWasSeen(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Rosa")
	colleague := s.loginAs(t, ch.person(t, s))
	const rounds = 30
	const seen = "Seen: 300 children are waiting."
	var sent, refused int
	for i := range rounds {
		app := ch.startApplication()
		complete := completeApplication()
		complete.Set("narrative", seen)
		wantRedirect(t, ch.saveDraft(app, complete), app+"/edit")
		check := ch.get(app + "/check")
		wantStatus(t, check, http.StatusOK)
		mustContain(t, check, seen)
		rev := draftRevField.FindStringSubmatch(check.Body.String())[1]
		later := "Later: " + strconv.Itoa(300+i) + " children are waiting."

		var save, submit *httptest.ResponseRecorder
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			save = colleague.autosave(app, url.Values{"section": {"need"}, "narrative": {later}, "draft_rev": {rev}})
		}()
		go func() {
			defer wg.Done()
			<-start
			submit = ch.post(app+"/submit", url.Values{"draft_rev": {rev}})
		}()
		close(start)
		wg.Wait()

		var draft, version string
		if err := s.db.Get(&draft, `SELECT draft->>'narrative' FROM applications WHERE id = $1`, appID(app)); err != nil {
			t.Fatal(err)
		}
		switch submit.Code {
		case http.StatusSeeOther: // sent: what was seen, and the save came too late
			sent++
			if err := s.db.Get(&version, `SELECT data->>'narrative' FROM application_versions WHERE application_id = $1 AND version = 1`, appID(app)); err != nil {
				t.Fatal(err)
			}
			if version != seen {
				t.Fatalf("round %d: sent %q, but the page showed %q (the save answered %d)", i, version, seen, save.Code)
			}
			if save.Code == http.StatusOK {
				t.Fatalf("round %d: the save was kept (%s) and the application sent without it", i, save.Body)
			}
			if st := s.status(t, app); st != "submitted" {
				t.Fatalf("round %d: sent, yet %s", i, st)
			}
		case http.StatusConflict: // the save came first: asked to check again, nothing lost
			refused++
			wantStatus(t, save, http.StatusOK)
			mustContain(t, submit, s.text("en", "app.check.changed"), later)
			if draft != later {
				t.Fatalf("round %d: after a refused submit the draft says %q, want the save's %q", i, draft, later)
			}
			if st := s.status(t, app); st != "draft" {
				t.Fatalf("round %d: a refused submit left the application %s", i, st)
			}
			// The page shown again is the draft as saved: it sends.
			again := draftRevField.FindStringSubmatch(submit.Body.String())[1]
			wantRedirect(t, ch.post(app+"/submit", url.Values{"draft_rev": {again}}), app)
		default:
			t.Fatalf("round %d: submit answered %d:\n%.600s", i, submit.Code, submit.Body.String())
		}
	}
	t.Logf("%d rounds: %d sent as seen, %d refused as stale", rounds, sent, refused)
}
