package account

import (
	"math"
	"time"

	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
)

// The package's refusals; the web layer says each in the person's language.
var (
	ErrNotFound = db.ErrNotFound
	// ErrConflict: the address is taken, or two-factor is already in the
	// state asked for.
	ErrConflict = refusal.Conflict("error.account.conflict")
	// ErrInvalidCredentials covers an unknown email, a wrong password and an
	// account that is unconfirmed or deactivated, so a login form tells an
	// attacker nothing about which accounts exist.
	ErrInvalidCredentials = refusal.Invalid("error.account.invalid_credentials")
	// ErrInvalidCode is a wrong, replayed or already used TOTP or recovery code.
	ErrInvalidCode = refusal.Invalid("error.totp.invalid_code")
	// ErrTokenInvalid is an emailed link that is unknown, expired or used.
	ErrTokenInvalid = refusal.Invalid("error.token.invalid")
	ErrForbidden    = refusal.Forbidden("error.account.forbidden")
	// ErrTwoFactorRequired: board members and admins keep a second factor
	// (TOTP or a passkey).
	ErrTwoFactorRequired = refusal.Conflict("error.account.two_factor_required")
	// ErrPasskeyRefused: a passkey that did not check out (another site's,
	// a replayed or expired challenge, a cloned key, an unknown passkey);
	// the audit trail says which.
	ErrPasskeyRefused = refusal.Invalid("error.passkey.refused")
	// ErrPasskeyNotFound: no such passkey of the person's (to remove).
	ErrPasskeyNotFound = refusal.Invalid("error.passkey.not_found")
	// ErrLastAdmin refuses to leave the portal without an active admin.
	ErrLastAdmin = refusal.Conflict("error.account.last_admin")
	// ErrRateLimited: too many attempts; the refusal says when to try again.
	ErrRateLimited = refusal.TooMany("error.rate_limited")
)

// rateLimited tells the person how long to wait, in minutes and as a UTC time.
func rateLimited(retryAt time.Time, wait time.Duration) error {
	minutes := max(int(math.Ceil(wait.Minutes())), 1)
	return ErrRateLimited.With("Count", minutes, "Time", retryAt.UTC().Format("15:04")).After(wait)
}

// FieldErrors are the form's field errors. Fields: name, email, password,
// current_password, code, language, roles.
type FieldErrors = i18n.FieldErrors
