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

// NeedsTOTP: a board member or admin without TOTP must set it up before
// reaching anything else.
func (u *User) NeedsTOTP() bool { return u.IPA() && !u.TOTPEnabled() }

// IPA reports whether u works for the IPA: a board member or an admin, who
// sees every charity's applications (what they may do to one is policy's).
func (u *User) IPA() bool { return u.IsAdmin || u.IsBoard }

// userRow is a user with the secrets only this package reads.
type userRow struct {
	User
	PasswordHash sql.NullString `db:"password_hash"`
	TOTPSecret   sql.NullString `db:"totp_secret"`
	TOTPLastStep int64          `db:"totp_last_step"`
}
