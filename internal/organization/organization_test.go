package organization_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/organization"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type fixture struct {
	svc   *organization.Service
	db    *sqlx.DB
	queue *mailtest.Outbox
}

func setup(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	q := mailtest.NewOutbox(t)
	return &fixture{svc: organization.New(pool, organization.Options{Outbox: q.Outbox, BaseURL: "https://grants.example.org"}), db: pool, queue: q}
}

// user adds an account directly: these tests are about organizations.
func (f *fixture) user(t *testing.T, email string, board bool) *account.User {
	t.Helper()
	var u account.User
	err := f.db.Get(&u, `INSERT INTO users (email, name, is_board, email_confirmed_at) VALUES ($1, $1, $2, now())
		RETURNING id, email, name, is_admin, is_board, active, language`, email, board)
	if err != nil {
		t.Fatal(err)
	}
	return &u
}

func actor(u *account.User) account.Actor { return account.Actor{UserID: u.ID, IP: "192.0.2.1"} }

func validInput() organization.Input {
	return organization.Input{LegalName: "Corazones Unidos", Country: "do", RegistrationNumber: "RNC 1-23-45678-9",
		Website: "corazones.example.org", ContactEmail: "info@corazones.example.org", Description: "Pediatric cardiac surgery missions"}
}

func TestMembersAndIPASeeAnOrganizationNobodyElseDoes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	owner, stranger, board := f.user(t, "owner@a.example", false), f.user(t, "stranger@b.example", false), f.user(t, "board@ipa.example", true)

	o, err := f.svc.Create(ctx, actor(owner), validInput())
	if err != nil {
		t.Fatal(err)
	}
	if o.Country != "DO" || o.Website != "https://corazones.example.org" {
		t.Errorf("stored %+v", o)
	}
	if _, err := f.svc.Get(ctx, owner, o.ID); err != nil {
		t.Errorf("the owner cannot see it: %v", err)
	}
	if _, err := f.svc.Get(ctx, board, o.ID); err != nil {
		t.Errorf("the board cannot see it: %v", err)
	}
	if mine, _, err := f.svc.Home(ctx, owner.ID, owner.Email); err != nil || len(mine) != 1 || mine[0].ID != o.ID || mine[0].LegalName != o.LegalName {
		t.Errorf("Home = %v, %v", mine, err)
	}

	// Another charity's person guesses the id: every door is closed.
	changed := validInput()
	changed.LegalName = "Hijacked"
	for name, err := range map[string]error{
		"get":         errOnly(f.svc.Get(ctx, stranger, o.ID)),
		"members":     errOnly(f.svc.Members(ctx, stranger, o.ID)),
		"update":      f.svc.Update(ctx, actor(stranger), o.ID, changed),
		"invite":      f.svc.Invite(ctx, actor(stranger), o.ID, "friend@b.example", "en"),
		"eligibility": errOnly(f.svc.CheckEligibility(ctx, actor(stranger), o.ID, map[string]bool{"charitable": true})),
	} {
		if !errors.Is(err, organization.ErrNotFound) {
			t.Errorf("%s by a stranger: %v, want not found", name, err)
		}
	}
	// The board reads but does not edit a charity's details.
	if err := f.svc.Update(ctx, actor(board), o.ID, changed); !errors.Is(err, organization.ErrNotFound) {
		t.Errorf("update by the board: %v", err)
	}
	got, _ := f.svc.Get(ctx, owner, o.ID)
	if got.LegalName != "Corazones Unidos" {
		t.Errorf("the name changed to %q", got.LegalName)
	}
	if len(f.queue.Sent()) != 0 {
		t.Errorf("a refused invitation sent mail")
	}
}

func errOnly[T any](_ T, err error) error { return err }

func TestValidationKeepsTextAsGivenAndNamesEachField(t *testing.T) {
	t.Parallel()
	f := setup(t)
	owner := f.user(t, "owner@a.example", false)
	bad := organization.Input{Country: "XX", Website: "javascript:alert(1)", ContactEmail: "not an address",
		RegistrationNumber: strings.Repeat("9", 101), Description: "bell\x07"}
	_, err := f.svc.Create(context.Background(), actor(owner), bad)
	var fe i18n.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	want := map[string]string{"legal_name": "error.field.required", "country": "error.country.invalid", "website": "error.website.invalid",
		"contact_email": "error.email.invalid", "registration_number": "error.field.too_long", "description": "error.field.control_chars"}
	for field, key := range want {
		if fe[field].Key != key {
			t.Errorf("%s: %q, want %q", field, fe[field].Key, key)
		}
	}

	odd := validInput()
	odd.LegalName = "<script>alert(1)</script> قلب ❤️ Corazón"
	o, err := f.svc.Create(context.Background(), actor(owner), odd)
	if err != nil {
		t.Fatal(err)
	}
	if o.LegalName != odd.LegalName {
		t.Errorf("stored %q", o.LegalName)
	}
}

func TestColleagueJoinsByTheEmailedLinkOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	owner, colleague := f.user(t, "owner@a.example", false), f.user(t, "colleague@a.example", false)
	o, err := f.svc.Create(ctx, actor(owner), validInput())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Invite(ctx, actor(owner), o.ID, "colleague@a.example", "es"); err != nil {
		t.Fatal(err)
	}
	if len(f.queue.Sent()) != 1 || !strings.Contains(f.queue.Sent()[0].Subject, "Únase a Corazones Unidos") {
		t.Fatalf("mail: %+v", f.queue.Sent())
	}
	tok := regexp.MustCompile(`token=([A-Za-z0-9_-]+)`).FindStringSubmatch(f.queue.Sent()[0].Text)
	if tok == nil {
		t.Fatalf("no link in %q", f.queue.Sent()[0].Text)
	}
	// A forwarded link lets no one else in: only the invited address joins.
	stranger := f.user(t, "stranger@b.example", false)
	if _, err := f.svc.Join(ctx, actor(stranger), stranger.Email, tok[1]); !errors.Is(err, organization.ErrInvitationElsewhere) {
		t.Fatalf("someone else used the link: %v", err)
	}
	id, err := f.svc.Join(ctx, actor(colleague), "Colleague@a.example", tok[1])
	if err != nil || id != o.ID {
		t.Fatalf("Join = %d, %v", id, err)
	}
	if _, err := f.svc.Get(ctx, colleague, o.ID); err != nil {
		t.Errorf("the colleague cannot see the organization: %v", err)
	}
	if _, err := f.svc.Join(ctx, actor(colleague), colleague.Email, tok[1]); !errors.Is(err, organization.ErrInvitationInvalid) {
		t.Errorf("a used link worked again: %v", err)
	}
}

func TestInvitationLinkExpires(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	now := time.Now()
	svc := organization.New(f.db, organization.Options{Outbox: f.queue.Outbox, BaseURL: "https://x.example", Now: func() time.Time { return now }})
	owner := f.user(t, "owner@a.example", false)
	o, err := svc.Create(ctx, actor(owner), validInput())
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Invite(ctx, actor(owner), o.ID, "late@a.example", "en"); err != nil {
		t.Fatal(err)
	}
	tok := regexp.MustCompile(`token=([A-Za-z0-9_-]+)`).FindStringSubmatch(f.queue.Sent()[0].Text)[1]
	now = now.Add(15 * 24 * time.Hour)
	if _, err := svc.Join(ctx, actor(f.user(t, "late@a.example", false)), "late@a.example", tok); !errors.Is(err, organization.ErrInvitationInvalid) {
		t.Errorf("an expired link worked: %v", err)
	}
}

func TestEligibility(t *testing.T) {
	all := map[string]bool{"charitable": true, "cardiac_mission": true, "host_agreed": true, "team_qualified": true}
	if e := organization.Assess(all); !e.Eligible || len(e.Reasons) != 0 {
		t.Errorf("all yes: %+v", e)
	}
	noHost := map[string]bool{"charitable": true, "cardiac_mission": true, "team_qualified": true}
	e := organization.Assess(noHost)
	if e.Eligible || len(e.Reasons) != 1 || e.Reasons[0].Key != "eligibility.fix.host_agreed" {
		t.Errorf("no host: %+v", e)
	}
	if e := organization.Assess(nil); e.Eligible || len(e.Reasons) != len(organization.Questions) {
		t.Errorf("nothing answered: %+v", e)
	}
}

func TestCountries(t *testing.T) {
	es := organization.Countries("es")
	if len(es) < 240 {
		t.Fatalf("%d countries", len(es))
	}
	if organization.CountryName("DO", "es") != "República Dominicana" || organization.CountryName("HN", "en") != "Honduras" {
		t.Error("names")
	}
	if !organization.ValidCountry("DO") || organization.ValidCountry("XX") || organization.ValidCountry("do") {
		t.Error("validity")
	}
	// Each country once, by a name: no withdrawn code (East Germany, the
	// USSR) and no union of countries.
	for _, code := range []string{"DD", "UK", "YU", "SU", "CS", "AN", "JT", "EZ", "UN"} {
		if organization.ValidCountry(code) {
			t.Errorf("%s is offered", code)
		}
	}
	for _, lang := range []string{"en", "es"} {
		seen := map[string]string{}
		for _, c := range organization.Countries(lang) {
			if c.Name == "" || c.Name == c.Code {
				t.Errorf("%s: %s has no name", lang, c.Code)
			}
			if other, ok := seen[c.Name]; ok {
				t.Errorf("%s: %q is both %s and %s", lang, c.Name, other, c.Code)
			}
			seen[c.Name] = c.Code
		}
	}
}

// The charity's home reads, in one statement, the person's charities in
// the order of their names (whatever their case) and the invitations still
// open to them, not those expired.
func TestHomeListsTheCharitiesAndTheOpenInvitations(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	ana, other := f.user(t, "ana@a.example", false), f.user(t, "owner@c.example", false)
	create := func(u *account.User, name string) int64 {
		t.Helper()
		in := validInput()
		in.LegalName = name
		o, err := f.svc.Create(ctx, actor(u), in)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	create(ana, "corazones del Sur")
	create(ana, "Amigos del Corazón")
	inviting, expired := create(other, "Latidos"), create(other, "Pulso")
	for _, id := range []int64{inviting, expired} {
		if err := f.svc.Invite(ctx, actor(other), id, "ANA@a.example", "es"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.Exec(`UPDATE organization_invitations SET expires_at = now() - interval '1 minute' WHERE organization_id = $1`, expired); err != nil {
		t.Fatal(err)
	}
	orgs, invitations, err := f.svc.Home(ctx, ana.ID, ana.Email)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range orgs {
		names = append(names, o.LegalName)
	}
	if strings.Join(names, ", ") != "Amigos del Corazón, corazones del Sur" {
		t.Errorf("the home lists the charities %q", names)
	}
	if len(invitations) != 1 || invitations[0].Organization != "Latidos" || invitations[0].Inviter != other.Name {
		t.Errorf("the home lists the invitations %+v, want the one from Latidos", invitations)
	}
	if _, invitations, _ := f.svc.Home(ctx, other.ID, other.Email); len(invitations) != 0 {
		t.Errorf("the inviter is offered %+v", invitations)
	}
}
