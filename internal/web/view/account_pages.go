package view

// Login is the sign-in page (login).
type Login struct {
	Page
	Email string
	Next  string
}

// LoginCode asks for the second factor after the password (login_code):
// the authenticator's code with TOTP, a passkey with passkeys.
type LoginCode struct {
	Page
	TOTP, Passkey bool
}

// ErrorPage is the friendly error page (error).
type ErrorPage struct {
	Page
	Message string // in the page's language
}

// Signup is the sign-up form (signup).
type Signup struct {
	Page
	Name, Email string
}

// Message is a page that only says something, with an optional link.
type Message struct {
	Page
	Title, Body   string
	Link, LinkKey string
}

// Emailed links open a page with a button: the change happens on the POST,
// so a mail scanner that follows links changes nothing.
type TokenConfirm struct {
	Page
	Title, Body, Submit, Action, Token string
	Said                               string // Body already said, with what the link is about
	Invalid                            bool   // the link is used or expired: no button
}

// PasswordForgot asks for the address to send a reset link to (password_forgot).
type PasswordForgot struct {
	Page
	Email string
}

// PasswordReset sets a new password (password_reset).
type PasswordReset struct {
	Page
	Token   string
	Invalid bool // the link is used or expired: no form, a way to ask again
}

// Invitation accepts an admin's invitation (invitation_accept).
type Invitation struct {
	Page
	Token, Name string
	Invalid     bool // the link is used or expired: no form
}

// TwoFactor sets up the authenticator (two_factor_setup).
type TwoFactor struct {
	Page
	Secret   string
	Required bool
}

// RecoveryCodes shows the recovery codes, once (recovery_codes).
type RecoveryCodes struct {
	Page
	Codes []string
}
