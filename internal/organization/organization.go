// Package organization owns the charities that apply: their details, their
// members, colleagues invited to join, and the eligibility check before a
// first application. A charity's data is visible to its members and to the
// IPA (board and admins), and to no other charity: every query that reads an
// organization says so itself.
package organization

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/refusal"
	"missiongrants/internal/secret"
	mailtmpl "missiongrants/templates/mail"
)

// ErrNotFound is also the answer for an organization the person may not
// see, so ids reveal nothing.
var ErrNotFound = db.ErrNotFound

// Organization is a charity as its members and the IPA see it.
type Organization struct {
	ID                 int64      `db:"id"`
	LegalName          string     `db:"legal_name"`
	Country            string     `db:"country"`
	RegistrationNumber string     `db:"registration_number"`
	Address            string     `db:"address"`
	Website            string     `db:"website"`
	Description        string     `db:"description"`
	ContactName        string     `db:"contact_name"`
	ContactEmail       string     `db:"contact_email"`
	ContactPhone       string     `db:"contact_phone"`
	EligibleAt         *time.Time `db:"eligible_at"`
	CreatedAt          time.Time  `db:"created_at"`
}

// Input is what a member may write.
type Input struct {
	LegalName, Country, RegistrationNumber, Address, Website, Description string
	ContactName, ContactEmail, ContactPhone                               string
}

// Validate checks every field and reports all mistakes at once.
func (in *Input) Validate() error {
	in.trim()
	fe := i18n.FieldErrors{}
	fe.Add("legal_name", field.Line(in.LegalName, true, 300))
	if !ValidCountry(in.Country) {
		fe["country"] = i18n.Msg("error.country.invalid")
	}
	fe.Add("registration_number", field.Text(in.RegistrationNumber, true, 100))
	fe.Add("address", field.Text(in.Address, false, 1000))
	fe.Add("description", field.Text(in.Description, false, 10000))
	fe.Add("contact_name", field.Line(in.ContactName, false, 200))
	fe.Add("contact_phone", field.Text(in.ContactPhone, false, 50))
	if in.Website != "" {
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.Website) > 500 {
			fe["website"] = i18n.Msg("error.website.invalid")
		}
	}
	fe.Add("contact_email", field.Email(in.ContactEmail, false))
	return fe.Err()
}

func (in *Input) trim() {
	for _, p := range []*string{&in.LegalName, &in.Country, &in.RegistrationNumber, &in.Address, &in.Website,
		&in.Description, &in.ContactName, &in.ContactEmail, &in.ContactPhone} {
		*p = strings.TrimSpace(*p)
	}
	in.Country = strings.ToUpper(in.Country)
	if in.Website != "" && !strings.Contains(in.Website, "://") {
		in.Website = "https://" + in.Website
	}
}

// Service runs organization actions.
type Service struct {
	db      *sqlx.DB
	outbox  *mail.Outbox
	baseURL string
	now     func() time.Time
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox  *mail.Outbox
	BaseURL string           // for links in emails
	Now     func() time.Time // the clock; nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: pool, outbox: o.Outbox, baseURL: strings.TrimRight(o.BaseURL, "/"), now: o.Now}
}

// Create registers an organization with its creator as its first member.
func (s *Service) Create(ctx context.Context, a account.Actor, in Input) (*Organization, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var o Organization
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &o, sqlInsert,
			in.LegalName, in.Country, in.RegistrationNumber, in.Address, in.Website, in.Description,
			in.ContactName, in.ContactEmail, in.ContactPhone, a.UserID, s.now())
		if err != nil {
			return fmt.Errorf("organization.Create: %w", err)
		}
		// Who registers the charity signs for it (its grant agreements) until
		// they name others.
		if _, err := tx.ExecContext(ctx, sqlCreatorMemberInsert,
			o.ID, a.UserID, s.now()); err != nil {
			return fmt.Errorf("organization.Create: member: %w", err)
		}
		return audit.Record(ctx, tx, a.Event("organization.created", "organization", o.ID, map[string]any{"legal_name": o.LegalName}))
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// Get returns organization id if u may see it.
func (s *Service) Get(ctx context.Context, u *account.User, id int64) (*Organization, error) {
	var o Organization
	err := s.db.GetContext(ctx, &o, sqlGet, u.ID, u.IPA(), id)
	if err != nil {
		return nil, fmt.Errorf("organization.Get: %w", db.NotFound(err))
	}
	return &o, nil
}

// IsMember reports whether userID belongs to organization id.
func IsMember(ctx context.Context, q db.Querier, userID, id int64) (bool, error) {
	var ok bool
	err := q.GetContext(ctx, &ok, sqlIsMember, id, userID)
	return ok, err
}

// Update changes an organization's details; only its members may. Someone
// else learns nothing, not even whether their input was valid.
func (s *Service) Update(ctx context.Context, a account.Actor, id int64, in Input) error {
	if ok, err := IsMember(ctx, s.db, a.UserID, id); err != nil || !ok {
		return errors.Join(ErrNotFound, err)
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlUpdate,
			a.UserID, id, in.LegalName, in.Country, in.RegistrationNumber, in.Address, in.Website, in.Description,
			in.ContactName, in.ContactEmail, in.ContactPhone, s.now())
		if err != nil {
			return fmt.Errorf("organization.Update: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, tx, a.Event("organization.updated", "organization", id, nil))
	})
}

// Home is what the charity's home shows: the organizations userID belongs
// to (their ID, LegalName and EligibleAt; the other fields are left empty)
// and the open invitations sent to email. Someone invited before they had
// an account finds them once signed in, whatever became of the link.
func (s *Service) Home(ctx context.Context, userID int64, email string) ([]Organization, []Invitation, error) {
	var rows []struct {
		Invitation bool       `db:"invitation"`
		ID         int64      `db:"id"`
		LegalName  string     `db:"legal_name"`
		EligibleAt *time.Time `db:"eligible_at"`
		Inviter    string     `db:"inviter"`
		SortName   string     `db:"sort_name"` // sort_name and sent_at only order the rows
		SentAt     *time.Time `db:"sent_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, sqlHome, userID, email, s.now()); err != nil {
		return nil, nil, fmt.Errorf("organization.Home: %w", err)
	}
	var orgs []Organization
	var invitations []Invitation
	for _, r := range rows {
		if r.Invitation {
			invitations = append(invitations, Invitation{ID: r.ID, Organization: r.LegalName, Inviter: r.Inviter})
		} else {
			orgs = append(orgs, Organization{ID: r.ID, LegalName: r.LegalName, EligibleAt: r.EligibleAt})
		}
	}
	return orgs, invitations, nil
}

// Member is a person in an organization.
type Member struct {
	UserID   int64     `db:"user_id"`
	Name     string    `db:"name"`
	Email    string    `db:"email"`
	JoinedAt time.Time `db:"joined_at"`
	// Signatory: signs the charity's grant agreements (who registered it,
	// and whom they name).
	Signatory bool `db:"signatory"`
	// Owner: registered the charity; names who else signs.
	Owner bool `db:"owner"`
}

// Members lists organization id's people, if u may see it.
func (s *Service) Members(ctx context.Context, u *account.User, id int64) ([]Member, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return nil, err
	}
	var out []Member
	err := s.db.SelectContext(ctx, &out, sqlMembers, id)
	if err != nil {
		return nil, fmt.Errorf("organization.Members: %w", err)
	}
	return out, nil
}

// ErrNotOwner: only who registered the charity names who signs for it.
var ErrNotOwner = refusal.Forbidden("error.organization.not_owner")

// SetSignatory names member (or stops naming them) as one who signs the
// charity's grant agreements; only the charity's owner, who registered it
// and always signs, may.
func (s *Service) SetSignatory(ctx context.Context, a account.Actor, orgID, memberID int64, signs bool) error {
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var owner int64
		if err := tx.GetContext(ctx, &owner, sqlSignatoryOwner, orgID, a.UserID); err != nil {
			return db.NotFound(err)
		}
		if owner != a.UserID || memberID == owner {
			return ErrNotOwner
		}
		res, err := tx.ExecContext(ctx, sqlSignatoryUpdate, orgID, memberID, signs)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return db.ErrNotFound
		}
		return audit.Record(ctx, tx, a.Event("organization.signatory", "organization", orgID, map[string]any{"member": memberID, "signs": signs}))
	})
}

// invitationTTL: a colleague has two weeks to join.
const invitationTTL = 14 * 24 * time.Hour

// PathJoin is the page an invitation links to, with ?token=….
const PathJoin = "/organizations/join"

// Invite mails a colleague a link to join organization id; only members may.
func (s *Service) Invite(ctx context.Context, a account.Actor, id int64, email, lang string) error {
	email = strings.TrimSpace(email)
	if addr, err := netmail.ParseAddress(email); err != nil || addr.Address != email {
		return i18n.FieldErrors{"email": i18n.Msg("error.email.invalid")}
	}
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var o struct {
			LegalName string `db:"legal_name"`
			Inviter   string `db:"inviter"`
		}
		err := tx.GetContext(ctx, &o, sqlInviter, a.UserID, id)
		if err != nil {
			return fmt.Errorf("organization.Invite: %w", db.NotFound(err))
		}
		tok := secret.New()
		now := s.now()
		if _, err := tx.ExecContext(ctx, sqlInvitationInsert, id, email, secret.Hash(tok), a.UserID, now, now.Add(invitationTTL)); err != nil {
			return fmt.Errorf("organization.Invite: %w", err)
		}
		if err := audit.Record(ctx, tx, a.Event("organization.member_invited", "organization", id, map[string]any{"email": email})); err != nil {
			return err
		}
		return s.outbox.Send(ctx, tx, lang, email, mailtmpl.OrganizationInvitation{
			Organization: o.LegalName, Inviter: o.Inviter,
			Link: s.baseURL + PathJoin + "?token=" + url.QueryEscape(tok), Days: int(invitationTTL.Hours() / 24),
		})
	})
}

// ErrInvitationInvalid is an unknown, used or expired invitation link.
var ErrInvitationInvalid = refusal.Conflict("error.organization.invitation_invalid")

// Join adds the logged-in person, whose address is email, to the
// organization an invitation names, and returns its id. The link works once,
// and only for the address it was sent to: a forwarded or leaked link lets
// no one else in.
func (s *Service) Join(ctx context.Context, a account.Actor, email, tok string) (int64, error) {
	var to string
	err := s.db.GetContext(ctx, &to, sqlInvitationEmail, secret.Hash(tok), s.now())
	switch {
	case errors.Is(db.NotFound(err), db.ErrNotFound):
		return 0, ErrInvitationInvalid
	case err != nil:
		return 0, fmt.Errorf("organization.Join: %w", err)
	case !strings.EqualFold(to, email):
		return 0, ErrInvitationElsewhere
	}
	return s.accept(ctx, a, sqlAcceptByToken, secret.Hash(tok), email)
}

// ErrInvitationElsewhere: the invitation was sent to another address than
// the signed-in person's.
var ErrInvitationElsewhere = refusal.Forbidden("error.organization.invitation_elsewhere")

// Invitation is an open invitation to join an organization.
type Invitation struct {
	ID           int64  `db:"id"`
	Organization string `db:"legal_name"`
	Inviter      string `db:"inviter"`
}

// InvitationByToken is the open invitation behind an emailed link, without
// using it: the page behind the link names the organization.
func (s *Service) InvitationByToken(ctx context.Context, tok string) (*Invitation, error) {
	var inv Invitation
	err := s.db.GetContext(ctx, &inv, sqlInvitationByToken, secret.Hash(tok), s.now())
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, ErrInvitationInvalid
	}
	return &inv, err
}

// Accept joins by invitation id, which must have been sent to email, the
// logged-in person's own (confirmed: only confirmed accounts sign in).
func (s *Service) Accept(ctx context.Context, a account.Actor, email string, invitationID int64) (int64, error) {
	return s.accept(ctx, a, sqlAcceptByID, invitationID, email)
}

// accept uses the open invitation that take (sqlAcceptByToken or
// sqlAcceptByID, on $3 and after) marks accepted.
func (s *Service) accept(ctx context.Context, a account.Actor, take string, args ...any) (int64, error) {
	var id int64
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.now()
		err := tx.GetContext(ctx, &id, take, append([]any{a.UserID, now}, args...)...)
		if err != nil {
			if errors.Is(db.NotFound(err), db.ErrNotFound) {
				return ErrInvitationInvalid
			}
			return fmt.Errorf("organization.Join: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlMemberJoin, id, a.UserID, now); err != nil {
			return fmt.Errorf("organization.Join: %w", err)
		}
		return audit.Record(ctx, tx, a.Event("organization.member_joined", "organization", id, nil))
	})
	return id, err
}
