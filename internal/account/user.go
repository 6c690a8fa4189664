package account

import (
	"database/sql"
	"time"
)

// User is an account as the rest of the portal sees it: no secrets.
type User struct {
	ID               int64      `db:"id"`
	Email            string     `db:"email"`
	Name             string     `db:"name"`
	IsAdmin          bool       `db:"is_admin"`
	IsBoard          bool       `db:"is_board"`
	Active           bool       `db:"active"`
	EmailConfirmedAt *time.Time `db:"email_confirmed_at"`
	Language         string     `db:"language"`
	NotifyEmail      bool       `db:"notify_email"`
	NotifyDigest     bool       `db:"notify_digest"` // a daily summary instead of each notice at once
	TimeZone         string     `db:"time_zone"`     // IANA name; "": the browser's
	TOTPEnabledAt    *time.Time `db:"totp_enabled_at"`
	Passkeys         int        `db:"passkeys"` // how many passkeys the person has
	// InvitationPending: invited, no password set yet.
	InvitationPending bool      `db:"invitation_pending"`
	CreatedAt         time.Time `db:"created_at"`
	UpdatedAt         time.Time `db:"updated_at"`
}

// Roles are the IPA roles; an applicant has neither.
type Roles struct {
	Admin bool
	Board bool
}

// Names lists the roles for audit details and emails.
func (r Roles) Names() []string {
	names := []string{}
	if r.Admin {
		names = append(names, "admin")
	}
	if r.Board {
		names = append(names, "board")
	}
	if len(names) == 0 {
		names = append(names, "applicant")
	}
	return names
}

// Roles of u.
func (u *User) Roles() Roles { return Roles{Admin: u.IsAdmin, Board: u.IsBoard} }

// TOTPEnabled reports whether logging in asks for a code.
func (u *User) TOTPEnabled() bool { return u.TOTPEnabledAt != nil }

// TwoFactorOn reports whether the account has a second factor: TOTP, or a
// passkey. Signing in then asks for one after the password.
func (u *User) TwoFactorOn() bool { return u.TOTPEnabled() || u.Passkeys > 0 }

// TwoFactorRequired: a board member's or admin's role requires a second
// factor (TOTP or a passkey).
func (u *User) TwoFactorRequired() bool { return u.IPA() }

// NeedsTwoFactor: a board member or admin without a second factor must set
// one up before reaching anything else.
func (u *User) NeedsTwoFactor() bool { return u.TwoFactorRequired() && !u.TwoFactorOn() }

// keepSecondFactor is the one rule on removing a second factor: a change
// that would leave u with neither TOTP (totpAfter) nor a passkey
// (passkeysAfter) is refused while u's role requires two factors. An
// admin's ResetTOTP, for a person who lost the phone, is the one way
// around it.
func keepSecondFactor(u *User, totpAfter bool, passkeysAfter int) error {
	if u.TwoFactorRequired() && !totpAfter && passkeysAfter <= 0 {
		return ErrTwoFactorRequired
	}
	return nil
}

// IPA reports whether u works for the IPA: a board member or an admin, who
// sees every charity's applications (what they may do to one is policy's).
func (u *User) IPA() bool { return u.IsAdmin || u.IsBoard }

// userRow is a user with the secrets only this package reads.
type userRow struct {
	User
	PasswordHash sql.NullString `db:"password_hash"`
	TOTPSecret   sql.NullString `db:"totp_secret"`
	TOTPLastStep int64          `db:"totp_last_step"`
	// WebAuthnHandle is the WebAuthn user handle, given with the first passkey.
	WebAuthnHandle []byte `db:"webauthn_handle"`
}
