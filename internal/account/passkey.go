package account

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/secret"
)

// The kinds of WebAuthn ceremony a browser may be in the middle of.
const (
	ceremonyRegister     = "register"      // adding a passkey on the profile page
	ceremonySecondFactor = "second_factor" // a passkey after the password
	ceremonySignIn       = "sign_in"       // a passkey alone, from the sign-in page
)

// Passkey is one of a person's passkeys, as the profile page lists it.
type Passkey struct {
	ID           int64      `db:"id"`
	Name         string     `db:"name"`
	CreatedAt    time.Time  `db:"created_at"`
	LastUsedAt   *time.Time `db:"last_used_at"`
	BackedUp     bool       `db:"backup_state"` // synced by the phone or password manager
	Transports   string     `db:"transports"`
	UserVerified bool       `db:"user_verified"`
}

// Ceremony is what the browser needs to create or use a passkey: the
// options for navigator.credentials, as JSON, and the token that names the
// ceremony kept in the database until it is finished (the web layer keeps it
// in the person's session, never in the page).
type Ceremony struct {
	Options []byte
	Token   string
}

// newRelyingParty is the portal as WebAuthn sees it: its id is BASE_URL's
// host name and the only origin BASE_URL's, so a passkey made for the portal
// answers nowhere else and a page served from another address cannot use one.
func newRelyingParty(baseURL string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("account: BASE_URL %q names no host for passkeys", baseURL)
	}
	return webauthn.New(&webauthn.Config{
		RPID:          u.Hostname(),
		RPDisplayName: totpIssuer,
		RPOrigins:     []string{u.Scheme + "://" + u.Host},
	})
}

// passkeyUser is a person as the WebAuthn library asks for one.
type passkeyUser struct {
	id          int64
	handle      []byte
	email, name string
	creds       []webauthn.Credential
	rows        []passkeyRow
}

func (p *passkeyUser) WebAuthnID() []byte                         { return p.handle }
func (p *passkeyUser) WebAuthnName() string                       { return p.email }
func (p *passkeyUser) WebAuthnDisplayName() string                { return p.name }
func (p *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

// passkeyRow is a stored credential, each field in its own column.
type passkeyRow struct {
	ID                int64          `db:"id"`
	UserID            int64          `db:"user_id"`
	Name              string         `db:"name"`
	CredentialID      []byte         `db:"credential_id"`
	PublicKey         []byte         `db:"public_key"`
	AttestationType   string         `db:"attestation_type"`
	AttestationFormat string         `db:"attestation_format"`
	Attestation       []byte         `db:"attestation"`
	Extensions        []byte         `db:"extensions"`
	Transports        pq.StringArray `db:"transports"`
	AAGUID            []byte         `db:"aaguid"`
	Attachment        string         `db:"attachment"`
	SignCount         int64          `db:"sign_count"`
	CloneWarning      bool           `db:"clone_warning"`
	Flags             int16          `db:"flags"`
}

func (r *passkeyRow) credential() (webauthn.Credential, error) {
	c := webauthn.Credential{
		ID: r.CredentialID, PublicKey: r.PublicKey,
		AttestationType: r.AttestationType, AttestationFormat: r.AttestationFormat,
		Flags: webauthn.NewCredentialFlags(protocol.AuthenticatorFlags(r.Flags)),
		Authenticator: webauthn.Authenticator{AAGUID: r.AAGUID, SignCount: uint32(r.SignCount),
			CloneWarning: r.CloneWarning, Attachment: protocol.AuthenticatorAttachment(r.Attachment)},
	}
	for _, t := range r.Transports {
		c.Transport = append(c.Transport, protocol.AuthenticatorTransport(t))
	}
	if len(r.Attestation) > 0 {
		if err := json.Unmarshal(r.Attestation, &c.Attestation); err != nil {
			return c, err
		}
	}
	if len(r.Extensions) > 0 {
		if err := json.Unmarshal(r.Extensions, &c.Extensions); err != nil {
			return c, err
		}
	}
	return c, nil
}

// errNoRelyingParty: the service was built without a BASE_URL.
var errNoRelyingParty = errors.New("account: passkeys need a BASE_URL with a host")

// loadPasskeyUser reads u's handle and passkeys under the portal's RP id.
func (s *Service) loadPasskeyUser(ctx context.Context, q db.Querier, u *userRow) (*passkeyUser, error) {
	p := &passkeyUser{id: u.ID, handle: u.WebAuthnHandle, email: u.Email, name: u.Name}
	if err := q.SelectContext(ctx, &p.rows, sqlPasskeysOfUser, u.ID, s.rp.Config.RPID); err != nil {
		return nil, fmt.Errorf("account.loadPasskeyUser: %w", err)
	}
	for i := range p.rows {
		c, err := p.rows[i].credential()
		if err != nil {
			return nil, fmt.Errorf("account.loadPasskeyUser: passkey %d: %w", p.rows[i].ID, err)
		}
		p.creds = append(p.creds, c)
	}
	return p, nil
}

// saveCeremony keeps a begun ceremony until it is finished or expires, and
// returns its token.
func (s *Service) saveCeremony(ctx context.Context, q db.Querier, kind string, userID int64, sd *webauthn.SessionData) (string, error) {
	data, err := json.Marshal(sd)
	if err != nil {
		return "", err
	}
	token := secret.New()
	now := s.now()
	owner := sql.NullInt64{Int64: userID, Valid: userID != 0}
	if _, err := q.ExecContext(ctx, sqlCeremonyDeleteExpired, now); err != nil {
		return "", fmt.Errorf("account.saveCeremony: %w", err)
	}
	if _, err := q.ExecContext(ctx, sqlCeremonyInsert, secret.Hash(token), kind, owner, data, now, now.Add(s.cfg.PasskeyCeremonyTTL)); err != nil {
		return "", fmt.Errorf("account.saveCeremony: %w", err)
	}
	return token, nil
}

// takeCeremony deletes the ceremony named by token and returns it: once
// only, whichever process asks, and only before it expires. An unknown,
// finished or expired one is ErrPasskeyRefused, with reason.
func (s *Service) takeCeremony(ctx context.Context, q db.Querier, token, kind string, userID int64) (*webauthn.SessionData, int64, error) {
	if token == "" {
		return nil, 0, errCeremony("no_ceremony")
	}
	var row struct {
		UserID    sql.NullInt64 `db:"user_id"`
		Data      []byte        `db:"session_data"`
		ExpiresAt time.Time     `db:"expires_at"`
	}
	err := q.GetContext(ctx, &row, sqlCeremonyTake, secret.Hash(token), kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, errCeremony("unknown_challenge")
	}
	if err != nil {
		return nil, 0, fmt.Errorf("account.takeCeremony: %w", err)
	}
	if !row.ExpiresAt.After(s.now()) {
		return nil, 0, errCeremony("expired_challenge")
	}
	if userID != 0 && row.UserID.Int64 != userID {
		return nil, 0, errCeremony("other_person")
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal(row.Data, &sd); err != nil {
		return nil, 0, fmt.Errorf("account.takeCeremony: %w", err)
	}
	// The expiry was checked just now on the portal's clock; the library
	// would check it again on the machine's.
	sd.Expires = time.Time{}
	return &sd, row.UserID.Int64, nil
}

// ceremonyError is a ceremony refused before the library looked at it.
type ceremonyError struct{ reason string }

func (e ceremonyError) Error() string { return "passkey ceremony refused: " + e.reason }

func errCeremony(reason string) error { return ceremonyError{reason} }

// reasonOf names why a passkey was refused, for the audit trail.
func reasonOf(err error) string {
	var ce ceremonyError
	var pe *protocol.Error
	switch {
	case errors.As(err, &ce):
		return ce.reason
	case errors.As(err, &pe):
		return strings.TrimSpace(pe.Type + ": " + pe.Details)
	}
	return "invalid"
}

// passkeyRefused records a refused passkey, to be committed, and refuses it.
func (s *Service) passkeyRefused(ctx context.Context, tx *sqlx.Tx, a Actor, userID int64, label, ceremony string, err error) error {
	if rerr := s.record(ctx, tx, a, "account.passkey_refused", userID, label,
		map[string]any{"ceremony": ceremony, "reason": reasonOf(err)}); rerr != nil {
		return rerr
	}
	return refuse(ErrPasskeyRefused)
}

// BeginPasskeyRegistration starts adding a passkey for the signed-in person:
// a discoverable one (so it can sign in alone), asking for the screen lock
// when the device has one, never one the person already has.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, a Actor) (*Ceremony, error) {
	if s.rp == nil {
		return nil, errNoRelyingParty
	}
	var out Ceremony
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if !u.Active || u.InvitationPending {
			return ErrForbidden
		}
		if len(u.WebAuthnHandle) == 0 {
			u.WebAuthnHandle = make([]byte, 32)
			_, _ = rand.Read(u.WebAuthnHandle)
			if _, err := tx.ExecContext(ctx, sqlPasskeySetHandle, u.ID, u.WebAuthnHandle); err != nil {
				return fmt.Errorf("account.BeginPasskeyRegistration: %w", err)
			}
		}
		pu, err := s.loadPasskeyUser(ctx, tx, u)
		if err != nil {
			return err
		}
		creation, sd, err := s.rp.BeginRegistration(pu,
			webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
				ResidentKey:      protocol.ResidentKeyRequirementRequired,
				UserVerification: protocol.VerificationPreferred,
			}),
			webauthn.WithExclusions(webauthn.Credentials(pu.creds).CredentialDescriptors()),
			webauthn.WithExtensions(webauthn.WithExtensionCredProps()),
		)
		if err != nil {
			return fmt.Errorf("account.BeginPasskeyRegistration: %w", err)
		}
		if out.Options, err = json.Marshal(creation); err != nil {
			return err
		}
		out.Token, err = s.saveCeremony(ctx, tx, ceremonyRegister, u.ID, sd)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// FinishPasskeyRegistration checks what the browser's authenticator made in
// the ceremony named by token and keeps the passkey under name.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, a Actor, token, name string, response []byte) error {
	if s.rp == nil {
		return errNoRelyingParty
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return FieldErrors{"passkey_name": i18n.Msg("error.passkey.name_required")}
	case len([]rune(name)) > 100:
		return FieldErrors{"passkey_name": i18n.Msg("error.passkey.name_long")}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		sd, _, err := s.takeCeremony(ctx, tx, token, ceremonyRegister, u.ID)
		if err != nil {
			var ce ceremonyError
			if errors.As(err, &ce) {
				return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, ceremonyRegister, err)
			}
			return err
		}
		pu, err := s.loadPasskeyUser(ctx, tx, u)
		if err != nil {
			return err
		}
		parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
		if err != nil {
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, ceremonyRegister, err)
		}
		cred, err := s.rp.CreateCredential(pu, *sd, parsed)
		if err != nil {
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, ceremonyRegister, err)
		}
		att, err := json.Marshal(cred.Attestation)
		if err != nil {
			return err
		}
		ext, err := json.Marshal(cred.Extensions)
		if err != nil {
			return err
		}
		transports := pq.StringArray{}
		for _, t := range cred.Transport {
			transports = append(transports, string(t))
		}
		var id int64
		err = tx.GetContext(ctx, &id, sqlPasskeyInsert, u.ID, s.rp.Config.RPID, cred.ID, name, cred.PublicKey,
			cred.AttestationType, cred.AttestationFormat, att, ext, transports, cred.Authenticator.AAGUID,
			string(cred.Authenticator.Attachment), int64(cred.Authenticator.SignCount), int16(cred.Flags.ProtocolValue()),
			cred.Flags.UserVerified, cred.Flags.BackupEligible, cred.Flags.BackupState, s.now())
		if errors.Is(err, sql.ErrNoRows) {
			// Another account's (or this one's) passkey already: the
			// exclusion list normally stops the browser making it.
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, ceremonyRegister, errCeremony("credential_taken"))
		}
		if err != nil {
			return fmt.Errorf("account.FinishPasskeyRegistration: %w", err)
		}
		return s.record(ctx, tx, a, "account.passkey_added", u.ID, u.Email,
			map[string]any{"passkey_id": id, "name": name, "backup_eligible": cred.Flags.BackupEligible, "user_verified": cred.Flags.UserVerified})
	})
}

// BeginPasskeyLogin starts a sign-in with a passkey: userID's after their
// password (the second factor), or anyone's when userID is 0 (the passkey,
// discoverable, says whose it is; the device must then check its owner too).
func (s *Service) BeginPasskeyLogin(ctx context.Context, a Actor, userID int64) (*Ceremony, error) {
	if s.rp == nil {
		return nil, errNoRelyingParty
	}
	if userID == 0 {
		// Anyone may begin one: each keeps a row until it expires.
		if err := s.hit(ctx, byAddress("passkey_begin", a.IP, s.cfg.Limits.LoginPerAddress)); err != nil {
			return nil, err
		}
	}
	var out Ceremony
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var (
			assertion *protocol.CredentialAssertion
			sd        *webauthn.SessionData
			kind      = ceremonySignIn
			err       error
		)
		if userID != 0 {
			kind = ceremonySecondFactor
			u, err := lockUser(ctx, tx, userID)
			if err != nil {
				return err
			}
			pu, err := s.loadPasskeyUser(ctx, tx, u)
			if err != nil {
				return err
			}
			if len(pu.creds) == 0 {
				return ErrNotFound
			}
			assertion, sd, err = s.rp.BeginLogin(pu, webauthn.WithUserVerification(protocol.VerificationPreferred))
			if err != nil {
				return fmt.Errorf("account.BeginPasskeyLogin: %w", err)
			}
		} else {
			assertion, sd, err = s.rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
			if err != nil {
				return fmt.Errorf("account.BeginPasskeyLogin: %w", err)
			}
		}
		if out.Options, err = json.Marshal(assertion); err != nil {
			return err
		}
		out.Token, err = s.saveCeremony(ctx, tx, kind, userID, sd)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// FinishPasskeyLogin checks the assertion of the ceremony named by token and
// returns who signed in: userID (after their password) or, when userID is 0,
// the owner of the discoverable passkey. A counter that did not grow (a
// cloned key, or an assertion replayed) is refused, as is anything the
// library refuses; each refusal is in the audit trail. The passkey's
// counter, flags and last use are written back.
func (s *Service) FinishPasskeyLogin(ctx context.Context, a Actor, token string, userID int64, response []byte) (*User, error) {
	if s.rp == nil {
		return nil, errNoRelyingParty
	}
	if userID != 0 {
		if err := s.hitCode(ctx, a, userID); err != nil {
			return nil, err
		}
	} else if err := s.hit(ctx, byAddress("passkey", a.IP, s.cfg.Limits.CodePerAddress)); err != nil {
		return nil, err
	}
	kind := ceremonySignIn
	if userID != 0 {
		kind = ceremonySecondFactor
	}
	var user *User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		sd, _, err := s.takeCeremony(ctx, tx, token, kind, userID)
		if err != nil {
			var ce ceremonyError
			if errors.As(err, &ce) {
				return s.passkeyRefused(ctx, tx, a, userID, "", kind, err)
			}
			return err
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
		if err != nil {
			return s.passkeyRefused(ctx, tx, a, userID, "", kind, err)
		}
		var pu *passkeyUser
		var u *userRow
		if userID != 0 {
			if u, err = lockUser(ctx, tx, userID); err != nil {
				return err
			}
			if pu, err = s.loadPasskeyUser(ctx, tx, u); err != nil {
				return err
			}
		} else {
			// The passkey's user handle says whose it is.
			var id int64
			err := tx.GetContext(ctx, &id, sqlPasskeyOwner, parsed.Response.UserHandle, parsed.RawID, s.rp.Config.RPID)
			if errors.Is(err, sql.ErrNoRows) {
				return s.passkeyRefused(ctx, tx, a, 0, "", kind, errCeremony("unknown_passkey"))
			}
			if err != nil {
				return fmt.Errorf("account.FinishPasskeyLogin: %w", err)
			}
			if u, err = lockUser(ctx, tx, id); err != nil {
				return err
			}
			if pu, err = s.loadPasskeyUser(ctx, tx, u); err != nil {
				return err
			}
		}
		var cred *webauthn.Credential
		if userID != 0 {
			cred, err = s.rp.ValidateLogin(pu, *sd, parsed)
		} else {
			_, cred, err = s.rp.ValidatePasskeyLogin(func(_, _ []byte) (webauthn.User, error) { return pu, nil }, *sd, parsed)
		}
		if err != nil {
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, kind, err)
		}
		var row *passkeyRow
		for i := range pu.rows {
			if bytes.Equal(pu.rows[i].CredentialID, cred.ID) {
				row = &pu.rows[i]
			}
		}
		if row == nil {
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, kind, errCeremony("unknown_passkey"))
		}
		if cred.Authenticator.CloneWarning {
			// The library's advice: a counter that did not grow means two
			// copies of the key may exist. The portal refuses the sign-in
			// and keeps the stored counter; the person can remove the
			// passkey and add a new one.
			if _, err := tx.ExecContext(ctx, sqlPasskeyCloneWarning, row.ID); err != nil {
				return err
			}
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, kind, errCeremony(fmt.Sprintf("counter_regression: stored %d, got %d", row.SignCount, parsed.Response.AuthenticatorData.Counter)))
		}
		if !u.Active || u.InvitationPending || u.EmailConfirmedAt == nil {
			return s.passkeyRefused(ctx, tx, a, u.ID, u.Email, kind, errCeremony("inactive"))
		}
		if _, err := tx.ExecContext(ctx, sqlPasskeyUsed, row.ID, int64(cred.Authenticator.SignCount), int16(cred.Flags.ProtocolValue()),
			cred.Flags.UserVerified, cred.Flags.BackupState, s.now()); err != nil {
			return fmt.Errorf("account.FinishPasskeyLogin: %w", err)
		}
		if err := s.record(ctx, tx, a, "account.passkey_used", u.ID, u.Email,
			map[string]any{"passkey_id": row.ID, "ceremony": kind, "sign_count": cred.Authenticator.SignCount, "backup_state": cred.Flags.BackupState}); err != nil {
			return err
		}
		user = &u.User
		return nil
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// ListPasskeys lists the signed-in person's passkeys, newest first.
func (s *Service) ListPasskeys(ctx context.Context, userID int64) ([]Passkey, error) {
	out := []Passkey{}
	if err := s.db.SelectContext(ctx, &out, sqlPasskeyList, userID); err != nil {
		return nil, fmt.Errorf("account.ListPasskeys: %w", err)
	}
	return out, nil
}

// RemovePasskey removes one of the person's passkeys after asking for the
// password (and a code, when TOTP is on) again. A board member's or admin's
// last second factor stays (keepSecondFactor).
func (s *Service) RemovePasskey(ctx context.Context, a Actor, passkeyID int64, password, code string) error {
	if err := s.hitCode(ctx, a, a.UserID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		var name string
		if err := tx.GetContext(ctx, &name, sqlPasskeyName, passkeyID, u.ID); err != nil {
			return fmt.Errorf("account.RemovePasskey: %w", db.NotFound(err))
		}
		if err := keepSecondFactor(&u.User, u.TOTPEnabled(), u.Passkeys-1); err != nil {
			return err
		}
		if err := s.reauthenticate(ctx, tx, a, u, password, code); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlPasskeyDelete, passkeyID, u.ID); err != nil {
			return fmt.Errorf("account.RemovePasskey: %w", err)
		}
		return s.record(ctx, tx, a, "account.passkey_removed", u.ID, u.Email, map[string]any{"passkey_id": passkeyID, "name": name})
	})
}
