package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A colleague invited before she had an account signs up and confirms her
// address: the link in the invitation is lost on the way, and the
// invitation waits on her dashboard instead. Nobody else can use it.
func TestInvitedColleagueJoinsFromTheDashboard(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ana := s.newCharity(t, "en", "Ana")
	luis := person{name: "Luis", email: newEmail("luis"), password: goodPassword}
	wantRedirect(t, ana.post(ana.org+"/invite", url.Values{"email": {luis.email}}), ana.org)

	// The emailed link's page says what the person would join.
	link := s.mailedLink(t, luis.email, "Join Ana Heart Missions")
	browser := s.client(t, "Accept-Language", "es")
	browser.signUp(luis)
	wantRedirect(t, browser.press(browser.openLink(s.mailedLink(t, luis.email, s.cat.T("es", "mail.account_confirm.subject")))), "/dashboard")
	luisIn := browser
	dash := luisIn.get("/dashboard")
	said := s.text("es", "page.dashboard.invitation", "Inviter", "Ana", "Organization", "Ana Heart Missions")
	mustContain(t, dash, s.text("es", "page.dashboard.invitations_title"), said)
	accept := regexp.MustCompile(`action="(/organizations/invitations/\d+/accept)"`).FindStringSubmatch(dash.Body.String())
	if accept == nil {
		t.Fatal("the dashboard offers no invitation to accept")
	}

	// Someone else, signed in, cannot take it.
	eve := s.newCharity(t, "en", "Eve")
	wantStatus(t, eve.post(accept[1], url.Values{}), http.StatusConflict)
	wantStatus(t, eve.get(ana.org), http.StatusNotFound)

	joinPage := luisIn.get(link)
	wantStatus(t, joinPage, http.StatusOK)
	mustContain(t, joinPage, said)
	wantRedirect(t, luisIn.post(accept[1], url.Values{}), ana.org)
	used := luisIn.get(link) // the link is spent with the invitation
	wantStatus(t, used, http.StatusGone)
	mustNotContain(t, used, `name="token"`)
	wantStatus(t, luisIn.get(ana.org), http.StatusOK)
	mustNotContain(t, luisIn.get("/dashboard"), "Invitaciones")
	wantStatus(t, luisIn.post(accept[1], url.Values{}), http.StatusConflict) // used

	// Ana, who registered the charity, names Luis to sign its grant
	// agreements; he cannot name himself or anyone, and she always signs.
	luisID := itoa(s.userID(t, luis.email))
	signs := url.Values{"member": {luisID}, "signs": {"yes"}}
	wantStatus(t, luisIn.post(ana.org+"/signatories", signs), http.StatusForbidden)
	mustContain(t, ana.get(ana.org), `action="`+ana.org+`/signatories"`)
	mustNotContain(t, luisIn.get(ana.org), `action="`+ana.org+`/signatories"`)
	wantRedirect(t, ana.post(ana.org+"/signatories", signs), ana.org)
	var signatories int
	if err := s.db.Get(&signatories, `SELECT count(*) FROM organization_members WHERE signatory AND organization_id = $1`,
		strings.TrimPrefix(ana.org, "/organizations/")); err != nil || signatories != 2 {
		t.Errorf("%d signatories after Ana named Luis (%v), want Ana and Luis", signatories, err)
	}
	wantStatus(t, ana.post(ana.org+"/signatories", url.Values{"member": {itoa(s.userID(t, ana.person(t, s).email))}, "signs": {"no"}}), http.StatusForbidden)
}

// A round named in both languages reads in each charity's: the Spanish
// name where the portal is read in Spanish, the English one elsewhere.
func TestRoundNamesInBothLanguages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	admin := s.loginAs(t, s.seedDemo(t)[demoAdmin])
	es, en := s.newCharity(t, "es", "Ana"), s.newCharity(t, "en", "Bob")
	wantRedirect(t, admin.post("/admin/rounds", url.Values{"name": {"Spring 2027 missions"}, "name_es": {"Misiones de primavera 2027"},
		"rolling": {"yes"}, "budget": {"100000"}}), "/admin/rounds")
	mustContain(t, es.get(es.org+"/applications/new"), "Misiones de primavera 2027")
	page := en.get(en.org + "/applications/new")
	mustContain(t, page, "Spring 2027 missions")
	mustNotContain(t, page, "Misiones de primavera 2027")
}
