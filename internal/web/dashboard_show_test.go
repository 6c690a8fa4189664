package web

import (
	"net/http"
	"net/url"
	"testing"
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
