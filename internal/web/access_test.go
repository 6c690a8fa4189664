package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"missiongrants/internal/account"
	"missiongrants/internal/organization"
	"missiongrants/internal/testenv"
)

// role is who tries a route.
type role struct {
	name      string
	loggedIn  bool
	ipa       bool // a board member or admin: sees every charity
	admin     bool
	board     bool
	totpOn    bool // has set up two-step verification
	needsTOTP bool // a board member or admin who has not yet
}

var roles = []role{
	{name: "nobody"},
	{name: "applicant", loggedIn: true}, // of another charity than the one tried
	{name: "board member", loggedIn: true, ipa: true, board: true, totpOn: true},
	{name: "admin", loggedIn: true, ipa: true, admin: true, totpOn: true},
	{name: "board member without two-factor", loggedIn: true, ipa: true, board: true, needsTOTP: true},
	{name: "admin without two-factor", loggedIn: true, ipa: true, admin: true, needsTOTP: true},
}

// answer is what a route gives: a status and, for a redirect, where to.
type answer struct {
	status   int
	location string
}

var ok = answer{status: http.StatusOK}

func to(location string) answer { return answer{http.StatusSeeOther, location} }
func refused(status int) answer { return answer{status: status} }

// accessCase is one route of the table in routes.go as a test states it.
type accessCase struct {
	route string // as gin lists it: "GET /admin/users/:id"
	level access // 0: anyone
	want  answer // what someone let in gets (a POST's form is empty, so forms come back with 422)
	// When set, what anyone logged in, people with two-step verification
	// on, or board members and admins (let in) get instead of want.
	loggedIn, totpOn, ipa *answer
}

const anyone access = 0

// accessCases lists every route, in the order they are tried: logout last.
var accessCases = []accessCase{
	{route: "GET /healthz", want: ok},
	{route: "GET /readyz", want: ok},
	{route: "GET /assets/:hash/*path", want: ok},
	{route: "GET /", want: ok},
	{route: "POST /language", want: refused(http.StatusBadRequest)}, // no language chosen
	// The impact page is private until admins make it public: the IPA sees it.
	{route: "GET /impact", want: refused(http.StatusNotFound), ipa: &ok},
	{route: "GET /login", want: ok, loggedIn: &answer{http.StatusSeeOther, "/dashboard"}},
	{route: "POST /login", want: refused(http.StatusUnprocessableEntity), loggedIn: &answer{http.StatusSeeOther, "/dashboard"}},
	{route: "GET /login/code", want: to("/login")},
	{route: "POST /login/code", want: to("/login")},
	// Passkeys: the options (JSON) of a sign-in anyone may begin; the
	// second factor's only after a password; an empty answer is refused.
	{route: "POST /login/code/passkey/options", want: refused(http.StatusForbidden)},
	{route: "POST /login/code/passkey", want: to("/login")},
	{route: "POST /login/passkey/options", want: ok},
	{route: "POST /login/passkey", want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /signup", want: ok, loggedIn: &answer{http.StatusSeeOther, "/dashboard"}},
	{route: "POST /signup", want: refused(http.StatusUnprocessableEntity), loggedIn: &answer{http.StatusSeeOther, "/dashboard"}},
	{route: "GET /signup/sent", want: ok},
	{route: "GET /account/confirm", want: ok},
	{route: "POST /account/confirm", want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /account/email/confirm", want: ok},
	{route: "POST /account/email/confirm", want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /password/forgot", want: ok},
	{route: "POST /password/forgot", want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /password/reset", want: refused(http.StatusGone)}, // no valid link: says so at once
	{route: "POST /password/reset", want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /invitation/accept", want: refused(http.StatusGone)}, // no valid link: says so at once
	{route: "POST /invitation/accept", want: refused(http.StatusUnprocessableEntity)},

	{route: "GET /account", level: signedIn, want: ok},
	{route: "POST /account/profile", level: signedIn, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /account/password", level: signedIn, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /account/email", level: signedIn, want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /account/two-factor", level: signedIn, want: ok, totpOn: &answer{http.StatusSeeOther, "/account"}},
	{route: "GET /account/two-factor/qr.png", level: signedIn, want: ok, totpOn: &answer{status: http.StatusNotFound}},
	{route: "POST /account/two-factor", level: signedIn, want: refused(http.StatusUnprocessableEntity), totpOn: &answer{http.StatusSeeOther, "/account"}},
	{route: "POST /account/two-factor/disable", level: signedIn, want: refused(http.StatusConflict)}, // off already, or required by the role
	{route: "POST /account/passkeys/options", level: signedIn, want: ok},
	{route: "POST /account/passkeys", level: signedIn, want: refused(http.StatusUnprocessableEntity)}, // no name, no passkey
	{route: "POST /account/passkeys/remove", level: signedIn, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /account/sessions/revoke-others", level: signedIn, want: to("/account")},
	{route: "POST /account/sessions/:id/revoke", level: signedIn, want: refused(http.StatusNotFound)},

	{route: "GET /dashboard", level: member, want: ok},
	{route: "GET /organizations/new", level: member, want: ok},
	{route: "POST /organizations", level: member, want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /organizations/join", level: member, want: refused(http.StatusGone)},                        // no valid link: says so at once
	{route: "POST /organizations/join", level: member, want: refused(http.StatusConflict)},                   // no valid link
	{route: "POST /organizations/invitations/:id/accept", level: member, want: refused(http.StatusConflict)}, // not sent to them
	// The charity tried is the subject's: another charity's person finds
	// nothing there; the IPA sees it but may not change it.
	{route: "GET /organizations/:id", level: member, want: refused(http.StatusNotFound), ipa: &ok},
	{route: "GET /organizations/:id/edit", level: member, want: refused(http.StatusNotFound), ipa: &answer{status: http.StatusForbidden}},
	{route: "POST /organizations/:id", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /organizations/:id/signatories", level: member, want: refused(http.StatusBadRequest)}, // no member named
	{route: "POST /organizations/:id/invite", level: member, want: refused(http.StatusNotFound), ipa: &answer{status: http.StatusUnprocessableEntity}},
	{route: "GET /organizations/:id/eligibility", level: member, want: refused(http.StatusNotFound), ipa: &ok},
	{route: "POST /organizations/:id/eligibility", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /organizations/:id/applications/new", level: member, want: refused(http.StatusNotFound), ipa: &answer{status: http.StatusForbidden}},
	{route: "POST /organizations/:id/applications", level: member, want: refused(http.StatusNotFound)},
	// An application that does not exist (nor one of another charity) is
	// not found.
	{route: "GET /applications/:id", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/concept", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/concept", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/concept/autosave", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/edit", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/edit", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/edit/:section", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/check", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/submit", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/delete", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/delete", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/autosave", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/withdraw", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/messages", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/documents", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/report", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/report", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/documents", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /documents/:id", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /documents/:id/delete", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /documents/:id/replace", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/versions/:version", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/versions/:version/pdf", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/agreement", level: member, want: refused(http.StatusNotFound)},
	{route: "POST /applications/:id/agreement/sign", level: member, want: refused(http.StatusNotFound)},
	{route: "GET /applications/:id/agreements/:agreement/pdf", level: member, want: refused(http.StatusNotFound)},

	{route: "GET /admin/dashboard", level: adminOnly, want: ok},
	{route: "GET /admin/users", level: adminOnly, want: ok},
	{route: "POST /admin/users/invite", level: adminOnly, want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /admin/users/:id", level: adminOnly, want: ok},
	{route: "POST /admin/users/:id/roles", level: adminOnly, want: to("/admin/users/:id")}, // no roles: as the subject has
	{route: "POST /admin/users/:id/deactivate", level: adminOnly, want: to("/admin/users/:id")},
	{route: "POST /admin/users/:id/reactivate", level: adminOnly, want: to("/admin/users/:id")},
	{route: "GET /admin/rounds", level: adminOnly, want: ok},
	{route: "GET /admin/criteria", level: adminOnly, want: ok},
	{route: "POST /admin/criteria", level: adminOnly, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /admin/criteria/:id", level: adminOnly, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /admin/rounds", level: adminOnly, want: refused(http.StatusUnprocessableEntity)},
	{route: "GET /admin/rounds/:id", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/rounds/:id", level: adminOnly, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /admin/rounds/:id/help", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "GET /admin/rounds/:id/assign", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/rounds/:id/assign", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/rounds/:id/review-settings", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "GET /admin/applications/:id/assign", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/assign", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/conflicts/:id/withdraw", level: adminOnly, want: refused(http.StatusUnprocessableEntity)}, // the reason first
	{route: "POST /admin/rounds/:id/help", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/rounds/:id/stages", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/request-info", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/award", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/agreement/void", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "GET /admin/agreement", level: adminOnly, want: ok},
	{route: "POST /admin/agreement", level: adminOnly, want: refused(http.StatusUnprocessableEntity)}, // empty templates
	{route: "POST /admin/applications/:id/report/review", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/impact/visibility", level: adminOnly, want: answer{http.StatusSeeOther, "/impact"}},
	{route: "POST /admin/outcomes/reference", level: adminOnly, want: refused(http.StatusUnprocessableEntity)}, // no source given
	{route: "POST /admin/applications/:id/payments", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/payments/approve", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/payments/cancel", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/payments/reverse", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "GET /admin/screening", level: adminOnly, want: ok},
	{route: "POST /admin/applications/:id/screen", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/conflicts", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/vote", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "POST /admin/applications/:id/vote/close", level: adminOnly, want: refused(http.StatusNotFound)},
	{route: "GET /admin/minutes", level: adminOnly, want: ok},
	{route: "GET /admin/minutes.csv", level: adminOnly, want: ok},
	{route: "GET /admin/minutes.pdf", level: adminOnly, want: ok},
	{route: "POST /admin/minutes/approve", level: adminOnly, want: refused(http.StatusBadRequest)}, // no period named
	{route: "GET /admin/exports", level: adminOnly, want: ok},
	{route: "GET /admin/exports/:file", level: adminOnly, want: ok},
	{route: "GET /admin/audit", level: adminOnly, want: ok},
	{route: "POST /admin/audit/verify", level: adminOnly, want: ok}, // changes nothing: shows the result

	// The board's queue and discussion: board members and admins; declaring,
	// scoring and voting: board members. An application that does not exist
	// is not found.
	{route: "GET /board/applications", level: ipaOnly, want: ok},
	{route: "GET /board/packet.pdf", level: ipaOnly, want: ok},
	{route: "GET /board/outcomes", level: ipaOnly, want: ok},
	{route: "POST /board/applications/:id/discussion", level: ipaOnly, want: refused(http.StatusNotFound)},
	{route: "POST /board/applications/:id/conflict", level: ipaOnly, want: refused(http.StatusNotFound)}, // admins declare their own too
	{route: "GET /board/conflicts", level: ipaOnly, want: ok},
	{route: "POST /board/conflicts", level: ipaOnly, want: refused(http.StatusUnprocessableEntity)},
	{route: "POST /board/applications/:id/concept", level: ipaOnly, want: refused(http.StatusNotFound)}, // the admins or the board, as the round says
	{route: "POST /board/applications/:id/review", level: boardOnly, want: refused(http.StatusNotFound)},
	{route: "POST /board/applications/:id/ballot", level: boardOnly, want: refused(http.StatusNotFound)},

	{route: "POST /logout", want: to("/login")},
}

// Every route, tried as every role and as nobody, answers as its access level
// says: nobody is sent to log in, the wrong role gets 403, a board member or
// admin without two-step verification is sent to set it up, nothing answers
// 500, and only the IPA ever sees another person's or charity's data. A
// route missing from the table fails the test.
func TestEveryRouteAsEveryRole(t *testing.T) {
	testenv.Full(t, "every route × role (slow)")
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	// The subject is a charity's person, whom the admin pages are about,
	// and whose charity the organization pages show.
	subject := people["solicitante@demo.missiongrants.test"]
	subjectID := s.userID(t, subject.email)
	charity, err := s.orgs.Create(context.Background(), account.Actor{UserID: subjectID}, organization.Input{
		LegalName: "Corazones Unidos", Country: "DO", RegistrationNumber: "RNC-1-01-12345-6",
	})
	if err != nil {
		t.Fatal(err)
	}
	const missing = "2147483647" // no such session, application or round
	private := []string{subject.email, subject.name, charity.LegalName}
	ids := strings.NewReplacer("/admin/users/:id", "/admin/users/"+strconv.FormatInt(subjectID, 10),
		"/organizations/:id", "/organizations/"+strconv.FormatInt(charity.ID, 10),
		"/account/sessions/:id", "/account/sessions/"+missing, // not the person's session
		"/documents/:id", "/documents/"+missing, "/criteria/:id", "/criteria/"+missing,
		"/applications/:id", "/applications/"+missing, "/versions/:version", "/versions/1", "/rounds/:id", "/rounds/"+missing, "/conflicts/:id", "/conflicts/"+missing,
		"/exports/:file", "/exports/payments.csv", "/invitations/:id", "/invitations/"+missing, "/agreements/:agreement", "/agreements/1",
		"/assets/:hash/*path", s.assets.url("css/app.css"))

	tried := map[string]bool{}
	for _, tc := range accessCases {
		tried[tc.route] = true
	}
	for _, r := range s.engine.Routes() {
		if !tried[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in accessCases: add what each role should get", r.Method, r.Path)
		}
		delete(tried, r.Method+" "+r.Path)
	}
	for route := range tried {
		t.Errorf("accessCases lists %s, which the router does not have", route)
	}

	browsers := map[string]*client{
		"nobody":                          s.client(t, "Accept-Language", "en"),
		"applicant":                       s.loginAs(t, people[demoApplicant]),
		"board member":                    s.loginAs(t, people[demoBoard]),
		"admin":                           s.loginAs(t, people[demoAdmin]),
		"board member without two-factor": s.loginAs(t, s.withoutTOTP(t, account.Roles{Board: true})),
		"admin without two-factor":        s.loginAs(t, s.withoutTOTP(t, account.Roles{Admin: true})),
	}
	for _, who := range roles {
		t.Run(who.name, func(t *testing.T) {
			c := browsers[who.name]
			c.t = t
			for _, tc := range accessCases {
				method, path, _ := strings.Cut(tc.route, " ")
				target := ids.Replace(path)
				want := tc.expect(who, method, target)
				want.location = ids.Replace(want.location)

				var rec *httptest.ResponseRecorder
				if method == http.MethodPost {
					rec = c.post(target, url.Values{})
				} else {
					rec = c.get(target)
				}
				if rec.Code != want.status || rec.Header().Get("Location") != want.location {
					t.Errorf("%s %s: got %d to %q, want %d to %q; body:\n%.300s", method, target,
						rec.Code, rec.Header().Get("Location"), want.status, want.location, mainRE.FindString(rec.Body.String()))
				}
				if rec.Code == http.StatusForbidden {
					mustContain(t, rec, s.cat.T(rec.Header().Get("Content-Language"), "error.http.403"))
				}
				// Only the IPA, let in, sees the subject and their charity.
				if !who.ipa || who.needsTOTP || rec.Code != http.StatusOK && rec.Code != http.StatusUnprocessableEntity {
					for _, p := range private {
						if strings.Contains(rec.Body.String(), p) {
							t.Errorf("%s %s (%d) shows %q", method, target, rec.Code, p)
						}
					}
				}
			}
			if who.loggedIn {
				wantRedirect(t, c.get("/account"), "/login?next=%2Faccount") // logged out last
			}
		})
	}
}

// expect is what who gets from the case's route at target.
func (tc accessCase) expect(who role, method, target string) answer {
	switch {
	case tc.level != anyone && !who.loggedIn:
		next := "/"
		if method == http.MethodGet {
			next = target
		}
		return to("/login?next=" + url.QueryEscape(next))
	case tc.level >= member && who.needsTOTP:
		return to("/account/two-factor")
	case tc.level == adminOnly && !who.admin, tc.level == boardOnly && !who.board, tc.level == ipaOnly && !who.ipa:
		return refused(http.StatusForbidden)
	case tc.ipa != nil && who.ipa:
		return *tc.ipa
	case tc.totpOn != nil && who.totpOn:
		return *tc.totpOn
	case tc.loggedIn != nil && who.loggedIn:
		return *tc.loggedIn
	}
	return tc.want
}

// withoutTOTP creates a confirmed account with roles that has not set up
// two-step verification yet.
func (s *testServer) withoutTOTP(t *testing.T, roles account.Roles) person {
	t.Helper()
	ctx := context.Background()
	p := person{name: "New " + strings.Join(roles.Names(), " "), email: newEmail("new"), password: goodPassword}
	u, err := s.accounts.CreateAdmin(ctx, p.email, p.name, p.password)
	if err != nil {
		t.Fatal(err)
	}
	admin := account.Actor{UserID: s.userID(t, "admin@demo.missiongrants.test")}
	if err := s.accounts.SetRoles(ctx, admin, u.ID, roles); err != nil {
		t.Fatal(err)
	}
	return p
}
