package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An admin screens three applications through the router: one goes to the
// board once every check is ticked, one back to the charity with a
// question, one is declined with a reason that the charity reads in
// Spanish, on the page and by email. Mistakes come back beside their field;
// a move the state machine does not allow is refused with a clear message.
func TestScreeningThroughTheRouter(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "es", "Lucía")
	toBoard := ch.submitted("Misión Tegucigalpa 2027")
	askMore := ch.submitted("Misión San Pedro Sula 2027")
	decline := ch.submitted("Misión La Ceiba 2027")
	admin := s.loginAs(t, people[demoAdmin]) // Sofía, who reads the portal in Spanish

	queue := admin.get("/admin/screening")
	wantStatus(t, queue, http.StatusOK)
	mustContain(t, queue, s.text("es", "page.screening.title"), "Misión Tegucigalpa 2027", "Misión San Pedro Sula 2027", "Misión La Ceiba 2027",
		`href="`+toBoard+`#screening"`)
	page := admin.get(toBoard)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `action="/admin/applications/`+appID(toBoard)+`/screen"`, `name="check" value="documents_complete"`,
		"Los documentos requeridos están completos", `name="outcome" value="to_board"`,
		// The application itself, as submitted, is one click from the top.
		`href="`+toBoard+`/versions/1">Leer la solicitud (versión 1)</a>`)
	// One way to ask the charity while it waits to be screened: the screening's.
	mustNotContain(t, page, `action="/admin/applications/`+appID(toBoard)+`/request-info"`)

	// Sending to the board with a check left out, and with no outcome: each
	// mistake beside its field, the ticks kept.
	some := allChecks()
	some.Del("check")
	some.Add("check", "charitable_status")
	rec := screen(admin, toBoard, some, "to_board", "")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-checks-error"`, "Marque todas las verificaciones", `value="charitable_status" checked`,
		`value="to_board" checked`)
	rec = screen(admin, toBoard, allChecks(), "", "")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-outcome-error"`, "Elija una de las opciones")
	if got := s.status(t, toBoard); got != "submitted" {
		t.Fatalf("a refused screening moved the application to %s", got)
	}

	sendToBoard(t, admin, toBoard)
	if got := s.status(t, toBoard); got != "in_review" {
		t.Fatalf("after screening the application is %s", got)
	}
	var checks string
	if err := s.db.Get(&checks, `SELECT checks::text FROM screenings WHERE application_id = $1`, appID(toBoard)); err != nil {
		t.Fatal(err)
	}
	mustContain(t, admin.get(toBoard), s.text("es", "app.status.in_review"), s.text("es", "app.event.send_to_board"), s.text("es", "page.board.conflict_title"))
	mustNotContain(t, admin.get("/admin/screening"), "Misión Tegucigalpa 2027")
	// Screening it again is not a move the state machine allows.
	rec = screen(admin, toBoard, allChecks(), "declined", "Too late")
	wantStatus(t, rec, http.StatusConflict)
	mustContain(t, rec, s.text("es", "error.app.invalid_transition"))
	if got := s.status(t, toBoard); got != "in_review" {
		t.Fatalf("an impossible screening moved the application to %s", got)
	}

	// More information: the question is required, then goes to the charity.
	rec = screen(admin, askMore, url.Values{}, "more_info", " ")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-note-error"`, s.text("es", "error.field.required"))
	wantRedirect(t, screen(admin, askMore, url.Values{}, "more_info", "¿Quién dirige el equipo de perfusión?"), askMore)
	mustContain(t, ch.get(askMore), s.text("es", "app.status.more_info_requested"), "¿Quién dirige el equipo de perfusión?")
	// The charity amends and resubmits; the IPA reads what changed as
	// questions and answers, not as the form's codes.
	amended := completeApplication()
	amended.Set("perfusion_equipment", "partly")
	amended.Set("amount_requested", "18.000")
	amended.Set("action", "submit")
	wantStatus(t, ch.saveDraft(askMore, amended), http.StatusSeeOther)
	changes := admin.get(askMore)
	mustContain(t, changes, s.text("es", "page.app.changes"), "<td>"+s.text("es", "field.app.perfusion_equipment")+"</td>",
		"<del>"+s.text("es", "app.equipment.brought")+"</del>", "<del>US$20.000,00</del>", "<ins>US$18.000,00</ins>")
	mustNotContain(t, changes, "<td>perfusion_equipment</td>", "<ins>partly</ins>")

	// Declined with a reason, which the charity reads in Spanish.
	rec = screen(admin, decline, url.Values{}, "declined", "")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-note-error"`)
	reason := "El presupuesto no incluye los oxigenadores."
	wantRedirect(t, screen(admin, decline, url.Values{}, "declined", reason), decline)
	seen := ch.get(decline)
	wantStatus(t, seen, http.StatusOK)
	mustContain(t, seen, `lang="es"`, s.text("es", "app.status.declined"), s.text("es", "page.board.decision_declined_reason"), reason)
	// The charity sees the decision, never the screening form or the board's parts.
	mustNotContain(t, seen, "/screen\"", s.text("es", "page.board.conflict_title"), s.text("es", "page.board.discussion_title"), s.text("es", "page.screening.checklist"))
	mail := s.waitMail(t, ch.person(t, s).email, "Decisión sobre su solicitud", 1)
	if !strings.Contains(mail.Text, reason) {
		t.Errorf("the decline mail does not give the reason:\n%s", mail.Text)
	}
}

// status is an application's status in the database.
func (s *testServer) status(t *testing.T, app string) string {
	t.Helper()
	var st string
	if err := s.db.Get(&st, `SELECT status FROM applications WHERE id = $1`, appID(app)); err != nil {
		t.Fatal(err)
	}
	return st
}
