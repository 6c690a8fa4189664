package mail

import "time"

// expiry says how long a link works: in days from two days on ("7 days"
// reads better than "168 hours"), in hours below, rounded up.
func expiry(r Reader, ttl time.Duration) string {
	key, n := expiryKey(ttl)
	return r.T(key, "Count", n)
}

func expiryKey(ttl time.Duration) (string, int) {
	const day = 24 * time.Hour
	if ttl >= 2*day {
		return "mail.account.link_expiry_days", int((ttl + day - 1) / day)
	}
	return "mail.account.link_expiry_hours", int((ttl + time.Hour - 1) / time.Hour)
}

func greeting(r Reader, name string) string { return r.T("mail.account.greeting", "Name", name) }

// AccountConfirm asks a new account's owner to confirm their address.
type AccountConfirm struct {
	Name, Link string
	Expires    time.Duration // how long Link works
}

func (AccountConfirm) Subject(r Reader) string { return r.T("mail.account_confirm.subject") }

func (d AccountConfirm) Text(r Reader) string {
	return paras(greeting(r, d.Name), r.T("mail.account_confirm.body"), d.Link, expiry(r, d.Expires), r.T("mail.account_confirm.ignore"))
}

// AccountExists answers a sign-up for an address that already has an
// account, without saying so to whoever typed it.
type AccountExists struct {
	Name, LoginLink, ForgotLink string
}

func (AccountExists) Subject(r Reader) string { return r.T("mail.account_exists.subject") }

func (d AccountExists) Text(r Reader) string {
	return paras(greeting(r, d.Name), r.T("mail.account_exists.body"),
		lines(r.T("mail.account_exists.login"), d.LoginLink), lines(r.T("mail.account_exists.forgot"), d.ForgotLink),
		r.T("mail.account_exists.ignore"))
}

// PasswordReset carries a link to choose a new password.
type PasswordReset struct {
	Name, Link string
	Expires    time.Duration
}

func (PasswordReset) Subject(r Reader) string { return r.T("mail.password_reset.subject") }

func (d PasswordReset) Text(r Reader) string {
	return paras(greeting(r, d.Name), r.T("mail.password_reset.body"), d.Link, expiry(r, d.Expires), r.T("mail.password_reset.ignore"))
}

// PasswordChanged tells the owner their password changed, with the way back
// if it was not them.
type PasswordChanged struct {
	Name, ForgotLink string
}

func (PasswordChanged) Subject(r Reader) string { return r.T("mail.password_changed.subject") }

func (d PasswordChanged) Text(r Reader) string {
	return paras(greeting(r, d.Name), r.T("mail.password_changed.body"), lines(r.T("mail.password_changed.warning"), d.ForgotLink))
}

// Invitation invites a person to the IPA's side of the portal.
type Invitation struct {
	Name, Inviter string
	RoleKey       string // the catalog key naming the roles given
	Link          string
	Expires       time.Duration
}

func (Invitation) Subject(r Reader) string { return r.T("mail.invitation.subject") }

func (d Invitation) body(r Reader) string {
	return r.T("mail.invitation.body", "Inviter", d.Inviter, "Role", r.T(d.RoleKey))
}

func (d Invitation) Text(r Reader) string {
	return paras(greeting(r, d.Name), d.body(r), r.T("mail.invitation.action"), d.Link, expiry(r, d.Expires), r.T("mail.invitation.two_factor"))
}

// EmailChange asks a person to confirm their new address.
type EmailChange struct {
	Name, Link string
	Expires    time.Duration
}

func (EmailChange) Subject(r Reader) string { return r.T("mail.email_change.subject") }

func (d EmailChange) Text(r Reader) string {
	return paras(greeting(r, d.Name), r.T("mail.email_change.body"), d.Link, expiry(r, d.Expires), r.T("mail.email_change.ignore"))
}

// AccountDeactivated tells a person an admin closed their account.
type AccountDeactivated struct {
	Name string
}

func (AccountDeactivated) Subject(r Reader) string { return r.T("mail.account_deactivated.subject") }

func (d AccountDeactivated) Text(r Reader) string {
	return paras(greeting(r, d.Name), r.T("mail.account_deactivated.body"), r.T("mail.account_deactivated.contact"))
}
