package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"missiongrants/internal/document"
)

// A charity's home lists what it still owes on its grants, and nothing for
// a grant finished years ago: the agreement to sign, then, once the trip
// is over, the report, until it is sent. (The home asks the rules only
// about the grants that still owe something: Application.Owes.)
func TestCharityHomeListsWhatIsOwedOnItsGrants(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	s.earlierTrip(t, ch) // its report accepted
	app := ch.submitted("Heart mission 2027")
	s.approve(t, app, 2_500_000)
	admin := s.loginAs(t, people[demoAdmin]) // in Spanish
	award := url.Values{"amount": {"18.000"}, "year": {"2027"}, "instalment_amount": {"8.000", "10.000"},
		"instalment_due": {"2027-02-01", "2027-08-01"}, "instalment_condition": {"before_trip", "report_accepted"}}
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/award", award), http.StatusSeeOther)

	sign := s.text("en", "page.todo.sign", "Title", "Heart mission 2027")
	report := s.text("en", "page.todo.report", "Title", "Heart mission 2027")
	earlier := []string{s.text("en", "page.todo.sign", "Title", "Earlier mission"), s.text("en", "page.todo.report", "Title", "Earlier mission")}
	home := ch.get("/dashboard")
	mustContain(t, home, sign)
	mustNotContain(t, home, append(earlier, report)...)

	ch.signAgreement(t, app)
	mustNotContain(t, ch.get("/dashboard"), append(earlier, sign, report)...)

	s.clock.Set(afterTheTrip)
	home = ch.get("/dashboard")
	mustContain(t, home, report)
	mustNotContain(t, home, append(earlier, sign)...)

	wantStatus(t, ch.post(app+"/report", goodReportForm()), http.StatusSeeOther)
	mustNotContain(t, ch.get("/dashboard"), append(earlier, sign, report)...)
}

// A draft's to-do says which documents it still needs and by when: its
// round's last day, in the charity's language; a round that never closes
// gives no date.
func TestCharityHomeListsADraftsMissingDocumentsAndItsDeadline(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startEmptyApplication()
	f := completeApplication()
	f.Set("title", "Misión Honduras 2027")
	wantStatus(t, ch.saveDraft(app, f), http.StatusSeeOther)
	wantStatus(t, ch.upload(app, string(document.CharitableStatus), "", "estatus.pdf", pdfBytes), http.StatusSeeOther)

	var names []string
	for _, k := range []document.Kind{document.BudgetSheet, document.HostAgreement, document.TeamLicence} {
		names = append(names, s.text("es", "document.kind."+string(k)))
	}
	docs := s.text("es", "page.todo.documents", "Title", "Misión Honduras 2027", "Documents", strings.Join(names, ", "))
	finish := s.text("es", "page.todo.finish", "Title", "Misión Honduras 2027")
	home := ch.get("/dashboard")
	mustContain(t, home, html.EscapeString(docs), `href="`+app+`/documents"`, html.EscapeString(finish))
	mustNotContain(t, home, s.text("es", "page.todo.due", "Date", ""))

	closes := mustDate("2027-03-31")
	if _, err := s.db.Exec(`UPDATE funding_rounds SET rolling = false, opens_on = '2026-01-01', closes_on = $2 WHERE id = $1`, ch.round, closes); err != nil {
		t.Fatal(err)
	}
	mustContain(t, ch.get("/dashboard"), s.text("es", "page.todo.due", "Date", s.cat.Date("es", closes)))

	ch.uploadRequired(app, "2028-01-01")
	home = ch.get("/dashboard")
	mustContain(t, home, html.EscapeString(finish))
	mustNotContain(t, home, html.EscapeString(docs))
}
