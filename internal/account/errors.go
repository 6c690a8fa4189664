package account

import (
	"errors"
	"math"
	"time"

	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
)

// Errors the web layer maps to responses; Message gives each its text.
var (
	ErrNotFound = db.ErrNotFound
	ErrConflict = db.ErrConflict
	// ErrInvalidCredentials covers an unknown email, a wrong password and an
	// account that is unconfirmed or deactivated, so a login form tells an
	// attacker nothing about which accounts exist.
	ErrInvalidCredentials = errors.New("account: invalid credentials")
	// ErrInvalidCode is a wrong, replayed or already used TOTP or recovery code.
	ErrInvalidCode = errors.New("account: invalid code")
	// ErrTokenInvalid is an emailed link that is unknown, expired or used.
	ErrTokenInvalid = errors.New("account: link invalid, expired or used")
	ErrForbidden    = errors.New("account: forbidden")
	// ErrTwoFactorRequired: board members and admins keep TOTP on.
	ErrTwoFactorRequired = errors.New("account: two-factor authentication required for this role")
	// ErrLastAdmin refuses to leave the portal without an active admin.
	ErrLastAdmin = errors.New("account: the last active admin must stay")
	// ErrRateLimited matches every *RateLimitedError (errors.Is).
	ErrRateLimited = errors.New("account: too many attempts")
)

// RateLimitedError says when the person may try again.
type RateLimitedError struct {
	RetryAt time.Time
	Wait    time.Duration // from the moment of refusal to RetryAt
}

func (e *RateLimitedError) Error() string {
	return "account: too many attempts, retry at " + e.RetryAt.Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitedError) Is(target error) bool { return target == ErrRateLimited }

// Message tells the person how long to wait, in minutes and as a UTC time.
func (e *RateLimitedError) Message() i18n.Message {
	minutes := int(math.Ceil(e.Wait.Minutes()))
	if minutes < 1 {
		minutes = 1
	}
	return i18n.Msg("error.rate_limited", "Count", minutes, "Time", e.RetryAt.UTC().Format("15:04"))
}

// FieldErrors are the form's field errors. Fields: name, email, password,
// current_password, code, language, roles.
type FieldErrors = i18n.FieldErrors

// Message is the text to show for one of the package's errors, or false for
// FieldErrors (shown per field) and unexpected errors (a 500).
func Message(err error) (i18n.Message, bool) {
	var rl *RateLimitedError
	if errors.As(err, &rl) {
		return rl.Message(), true
	}
	return refusals.Message(err)
}

// refusals are the package's refusals and what a person reads for each.
var refusals = i18n.Refusals{
	{Err: ErrInvalidCredentials, Key: "error.account.invalid_credentials"},
	{Err: ErrInvalidCode, Key: "error.totp.invalid_code"},
	{Err: ErrTokenInvalid, Key: "error.token.invalid"},
	{Err: ErrForbidden, Key: "error.account.forbidden"},
	{Err: ErrLastAdmin, Key: "error.account.last_admin"},
	{Err: ErrTwoFactorRequired, Key: "error.account.two_factor_required"},
	{Err: ErrNotFound, Key: "error.account.not_found"},
	{Err: ErrConflict, Key: "error.account.conflict"},
}
