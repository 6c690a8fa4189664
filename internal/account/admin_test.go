package account_test

import (
	"errors"
	"strings"
	"testing"

	"missiongrants/internal/account"
)

func TestInviteAndAccept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.admin("ida@ipa.example")
	const email = "bruno@ipa.example"

	u, err := e.svc.Invite(ctx, admin, account.Invitation{Email: email, Name: "Bruno", Language: "es", Roles: account.Roles{Board: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !u.InvitationPending || !u.IsBoard || u.IsAdmin {
		t.Fatalf("invited %+v", u)
	}
	m := e.lastMail(email, "Le invitamos")
	if !strings.Contains(m.Text, "Ida Admin le invitó a unirse a Becas de Misión IPA como miembro de la junta.") {
		t.Fatalf("invitation mail: %q", m.Text)
	}
	token := e.token(email, "Le invitamos")
	if got, err := e.svc.TokenUser(ctx, account.PurposeInvitation, token); err != nil || got.Email != email {
		t.Fatalf("invitation page: %v", err)
	}
	// No password yet: nobody can log in as the invited person.
	if _, err := e.svc.Authenticate(ctx, web, email, ""); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("login before accepting: %v", err)
	}

	if _, err := e.svc.AcceptInvitation(ctx, web, token, "Bruno Díaz", "1234567890"); fieldError(err, "password") != "error.password.common" {
		t.Fatalf("common password: %v", err)
	}
	u, err = e.svc.AcceptInvitation(ctx, web, token, "Bruno Díaz", "valves and oxygenators")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Bruno Díaz" || u.InvitationPending || u.EmailConfirmedAt == nil || !u.NeedsTwoFactor() {
		t.Fatalf("accepted %+v", u)
	}
	if _, err := e.svc.AcceptInvitation(ctx, web, token, "Mallory", "valves and oxygenators"); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("invitation used twice: %v", err)
	}
	if _, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginInvitation); err != nil {
		t.Fatal(err)
	}
	var details string
	e.db.Get(&details, `SELECT details::text FROM audit WHERE action = 'account.invited'`)
	if !strings.Contains(details, `"board"`) || e.auditCount("account.invitation_accepted") != 1 {
		t.Fatalf("audit: %s", details)
	}

	// An address with an account cannot be invited; the admin is told.
	_, err = e.svc.Invite(ctx, admin, account.Invitation{Email: "BRUNO@ipa.example", Name: "B", Language: "en", Roles: account.Roles{Admin: true}})
	if fieldError(err, "email") != "error.email.taken" {
		t.Fatalf("invite an existing account: %v", err)
	}
	_, err = e.svc.Invite(ctx, admin, account.Invitation{Email: "x@ipa.example", Name: "X", Language: "en"})
	if fieldError(err, "roles") != "error.roles.required" {
		t.Fatalf("invite without a role: %v", err)
	}
}

func TestOnlyAnEnrolledAdminAdministers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	applicant := e.login(e.applicant("ana@example.org", "perfusion pumps at dawn"))
	inv := account.Invitation{Email: "x@ipa.example", Name: "X", Language: "en", Roles: account.Roles{Board: true}}
	if _, err := e.svc.Invite(ctx, applicant, inv); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("applicant invites: %v", err)
	}
	if err := e.svc.SetRoles(ctx, applicant, applicant.UserID, account.Roles{Admin: true}); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("applicant makes themselves admin: %v", err)
	}
	// An admin without TOTP yet may not act as one.
	u, _ := e.svc.CreateAdmin(ctx, "new@ipa.example", "New Admin", "correct horse battery staple")
	if _, err := e.svc.Invite(ctx, e.login(u), inv); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("admin without TOTP invites: %v", err)
	}
}

func TestSetRolesKeepsAnAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.admin("ida@ipa.example")
	if err := e.svc.SetRoles(ctx, admin, admin.UserID, account.Roles{Board: true}); !errors.Is(err, account.ErrLastAdmin) {
		t.Fatalf("last admin drops the role: %v", err)
	}
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	if err := e.svc.SetRoles(ctx, admin, u.ID, account.Roles{Admin: true, Board: true}); err != nil {
		t.Fatal(err)
	}
	if u, _ = e.svc.User(ctx, u.ID); !u.IsAdmin || !u.IsBoard || !u.NeedsTwoFactor() {
		t.Fatalf("roles %+v", u.Roles())
	}
	// Now there is another admin, so this one may step down.
	if err := e.svc.SetRoles(ctx, admin, admin.UserID, account.Roles{Board: true}); err != nil {
		t.Fatal(err)
	}
	var details string
	e.db.Get(&details, `SELECT details::text FROM audit WHERE action = 'account.roles_changed' ORDER BY id LIMIT 1`)
	if !strings.Contains(details, `"from": ["applicant"]`) || !strings.Contains(details, `"to": ["admin", "board"]`) {
		t.Fatalf("audit details %s", details)
	}
}

func TestDeactivateEndsEverySession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.admin("ida@ipa.example")
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	laptop, phone := e.login(u), e.login(u)
	for _, a := range []account.Actor{laptop, phone} {
		if _, err := e.svc.SessionUser(ctx, a.SessionID); err != nil {
			t.Fatal(err)
		}
	}

	if err := e.svc.Deactivate(ctx, admin, admin.UserID); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("admin deactivates themselves: %v", err)
	}
	if err := e.svc.Deactivate(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, a := range []account.Actor{laptop, phone} {
		if _, err := e.svc.SessionUser(ctx, a.SessionID); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("session after deactivation: %v", err)
		}
	}
	var n int
	e.db.Get(&n, `SELECT count(*) FROM user_sessions WHERE user_id = $1`, u.ID)
	if n != 0 {
		t.Fatalf("%d sessions left", n)
	}
	e.lastMail("ana@example.org", "deactivated")
	if _, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginPassword); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("session for a deactivated account: %v", err)
	}
	if e.auditCount("account.deactivated") != 1 {
		t.Error("deactivation not in the audit trail")
	}

	if err := e.svc.Reactivate(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(ctx, web, "ana@example.org", "perfusion pumps at dawn"); err != nil {
		t.Fatalf("login after reactivation: %v", err)
	}
}

func TestResetTOTPByAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.admin("ida@ipa.example")
	other := e.admin("otto@ipa.example")
	if err := e.svc.ResetTOTP(ctx, admin, other.UserID); err != nil {
		t.Fatal(err)
	}
	u, _ := e.svc.User(ctx, other.UserID)
	if !u.NeedsTwoFactor() {
		t.Fatal("TOTP still on")
	}
	if _, err := e.svc.SessionUser(ctx, other.SessionID); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("session survived: %v", err)
	}
}

func TestCreateAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u, err := e.svc.CreateAdmin(ctx, "ida@ipa.example", "Ida", "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !u.IsAdmin || u.EmailConfirmedAt == nil || !u.NeedsTwoFactor() {
		t.Fatalf("admin %+v", u)
	}
	if _, err := e.svc.CreateAdmin(ctx, "IDA@ipa.example", "Ida", "correct horse battery staple"); !errors.Is(err, account.ErrConflict) {
		t.Fatalf("second admin with the address: %v", err)
	}
	if _, err := e.svc.CreateAdmin(ctx, "x@ipa.example", "X", "password1"); fieldError(err, "password") == "" {
		t.Fatalf("weak password accepted: %v", err)
	}
	users, err := e.svc.Users(ctx, account.UserFilter{Search: "IDA"})
	if err != nil || len(users) != 1 {
		t.Fatalf("search: %v %v", users, err)
	}
}

// Admins find people however the name's accents were typed.
func TestUserSearchIgnoresAccents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, name := range []string{"José Hernández", "Maria Nunez"} {
		if _, err := e.svc.CreateAdmin(ctx, strings.ToLower(strings.Fields(name)[0])+"@ipa.example", name, "correct horse battery staple"); err != nil {
			t.Fatal(err)
		}
	}
	for search, want := range map[string]string{"hernandez": "José Hernández", "JOSE": "José Hernández", "Núñez": "Maria Nunez"} {
		users, err := e.svc.Users(ctx, account.UserFilter{Search: search})
		if err != nil || len(users) != 1 || users[0].Name != want {
			t.Errorf("search %q found %+v (%v), want %s", search, users, err, want)
		}
	}
}
