package account

import (
	"context"
	"errors"
	"missiongrants/internal/field"
	mailtmpl "missiongrants/templates/mail"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/i18n"
)

// Profile is what a person edits about themselves without re-authenticating.
type Profile struct {
	Name        string
	Language    string
	NotifyEmail bool
	// NotifyDigest gathers the board's notices into one daily summary.
	NotifyDigest bool
	// TimeZone is the IANA zone times are shown in; "": the browser's.
	TimeZone string
}

// validateTimeZone accepts "" (the browser's) or a zone this program knows
// by its IANA name.
func validateTimeZone(name string) error {
	if name == "" {
		return nil
	}
	if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		return i18n.Msg("error.time_zone.unknown")
	}
	return nil
}

// User returns one account.
func (s *Service) User(ctx context.Context, id int64) (*User, error) { return getUser(ctx, s.db, id) }

// UserFilter selects accounts for the admins' page.
type UserFilter struct {
	Search        string // part of a name or email; "" for all
	Limit, Offset int    // Limit 0 means 100
}

// Users lists accounts by name. A search that is no name or address (too
// long, or with characters no one types) is refused beside its field, q.
func (s *Service) Users(ctx context.Context, f UserFilter) ([]User, error) {
	if err := field.Line(f.Search, false, 254); err != nil {
		return nil, FieldErrors{"q": err.(i18n.Message)}
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	return listUsers(ctx, s.db, strings.TrimSpace(f.Search), f.Limit, max(f.Offset, 0))
}

// UpdateProfile saves the logged-in person's name, language and email choice.
func (s *Service) UpdateProfile(ctx context.Context, a Actor, p Profile) error {
	p.Name = strings.TrimSpace(p.Name)
	fe := FieldErrors{}
	fe.Add("name", validateName(p.Name))
	fe.Add("language", validateLanguage(p.Language))
	fe.Add("time_zone", validateTimeZone(p.TimeZone))
	if err := fe.Err(); err != nil {
		return err
	}
	return s.editProfile(ctx, a, func(Profile) Profile { return p })
}

// SetLanguage makes the language chosen with the pages' switcher the
// person's own: the pages and the mail they get follow it from then on.
func (s *Service) SetLanguage(ctx context.Context, a Actor, lang string) error {
	fe := FieldErrors{}
	fe.Add("language", validateLanguage(lang))
	if err := fe.Err(); err != nil {
		return err
	}
	return s.editProfile(ctx, a, func(p Profile) Profile { p.Language = lang; return p })
}

// editProfile saves edit's change to the person's profile, as it is under
// the row's lock, and records what changed.
func (s *Service) editProfile(ctx context.Context, a Actor, edit func(Profile) Profile) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		p := edit(Profile{Name: u.Name, Language: u.Language, NotifyEmail: u.NotifyEmail, NotifyDigest: u.NotifyDigest, TimeZone: u.TimeZone})
		changed := map[string]any{}
		if u.Name != p.Name {
			changed["name"] = map[string]string{"from": u.Name, "to": p.Name}
		}
		if u.Language != p.Language {
			changed["language"] = map[string]string{"from": u.Language, "to": p.Language}
		}
		if u.NotifyEmail != p.NotifyEmail {
			changed["notify_email"] = map[string]bool{"from": u.NotifyEmail, "to": p.NotifyEmail}
		}
		if u.TimeZone != p.TimeZone {
			changed["time_zone"] = map[string]string{"from": u.TimeZone, "to": p.TimeZone}
		}
		if u.NotifyDigest != p.NotifyDigest {
			changed["notify_digest"] = map[string]bool{"from": u.NotifyDigest, "to": p.NotifyDigest}
		}
		if len(changed) == 0 {
			return nil
		}
		if err := setProfile(ctx, tx, u.ID, p, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.profile_updated", u.ID, u.Email, changed)
	})
}

// ChangePassword sets a new password after asking for the current one (and a
// code when TOTP is on). Every other session of the person ends: whoever
// might have been using the account is out.
func (s *Service) ChangePassword(ctx context.Context, a Actor, current, code, newPassword string) error {
	if err := s.hitCode(ctx, a, a.UserID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if err := ValidatePassword(newPassword, u.Email); err != nil {
			fe := FieldErrors{}
			fe.Add("password", err)
			return fe
		}
		if err := s.reauthenticate(ctx, tx, a, u, current, code); err != nil {
			return err
		}
		hash, err := hashPassword(newPassword)
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, u.ID, hash, s.now()); err != nil {
			return err
		}
		if err := retireTokens(ctx, tx, u.ID, s.now(), PurposeResetPassword); err != nil {
			return err
		}
		ended, err := deleteSessions(ctx, tx, u.ID, a.SessionID)
		if err != nil {
			return err
		}
		if err := s.outbox.Send(ctx, tx, u.Language, u.Email, mailtmpl.PasswordChanged{Name: u.Name, ForgotLink: s.link(PathForgotPassword, "")}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.password_changed", u.ID, u.Email, map[string]any{"sessions_ended": ended})
	})
}

// ChangeEmail asks for the password (and a code when TOTP is on), then mails
// a confirmation link to the new address; the address changes only when that
// link is used (ConfirmEmailChange). A new address that already has an
// account gets a "this address has an account" mail instead, and the answer
// is the same.
func (s *Service) ChangeEmail(ctx context.Context, a Actor, password, code, newEmail string) error {
	newEmail = normalizeEmail(newEmail)
	fe := FieldErrors{}
	fe.Add("email", validateEmail(newEmail))
	if err := fe.Err(); err != nil {
		return err
	}
	if err := s.hitCode(ctx, a, a.UserID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if strings.EqualFold(u.Email, newEmail) {
			return FieldErrors{"email": i18n.Msg("error.email.unchanged")}
		}
		if err := s.reauthenticate(ctx, tx, a, u, password, code); err != nil {
			return err
		}
		details := map[string]any{"new_email": newEmail}
		other, err := lockUserByEmail(ctx, tx, newEmail)
		switch {
		case err == nil:
			if err := s.sendAccountExists(ctx, tx, &other.User); err != nil {
				return err
			}
			details["address_taken"] = true
		case errors.Is(err, ErrNotFound):
			token, err := issueToken(ctx, tx, u.ID, PurposeChangeEmail, tokenData{Email: newEmail}, s.now(), s.cfg.ChangeEmailTTL)
			if err != nil {
				return err
			}
			err = s.outbox.Send(ctx, tx, u.Language, newEmail, mailtmpl.EmailChange{
				Name: u.Name, Link: s.link(PathConfirmEmailChange, token), Expires: s.cfg.ChangeEmailTTL,
			})
			if err != nil {
				return err
			}
		default:
			return err
		}
		return s.record(ctx, tx, a, "account.email_change_requested", u.ID, u.Email, details)
	})
}

// ConfirmEmailChange uses the link sent to the new address. ErrConflict means
// the address was taken in the meantime.
func (s *Service) ConfirmEmailChange(ctx context.Context, a Actor, token string) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		id, data, err := consumeToken(ctx, tx, PurposeChangeEmail, token, now)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !u.Active || data.Email == "" {
			return ErrTokenInvalid
		}
		if err := setEmail(ctx, tx, u.ID, data.Email, now); err != nil {
			return err
		}
		a.UserID = u.ID
		return s.record(ctx, tx, a, "account.email_changed", u.ID, data.Email,
			map[string]any{"from": u.Email, "to": data.Email})
	})
}

// reauthenticate checks the password again, and a TOTP or recovery code when
// TOTP is on, before a change that could lock the owner out. A failure is
// recorded, committed and answered with FieldErrors on current_password or
// code. u must be locked.
func (s *Service) reauthenticate(ctx context.Context, tx *sqlx.Tx, a Actor, u *userRow, password, code string) error {
	if !checkPassword(password, u.PasswordHash.String) {
		return s.reauthFailed(ctx, tx, a, u, "current_password", i18n.Msg("error.password.wrong"))
	}
	if !u.TOTPEnabled() {
		return nil
	}
	var err error
	if code = strings.TrimSpace(code); len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		err = s.checkTOTP(ctx, tx, u, code)
	} else {
		_, err = useRecoveryCode(ctx, tx, u.ID, code, s.now())
	}
	if errors.Is(err, ErrInvalidCode) {
		return s.reauthFailed(ctx, tx, a, u, "code", i18n.Msg("error.totp.invalid_code"))
	}
	return err
}

func (s *Service) reauthFailed(ctx context.Context, tx *sqlx.Tx, a Actor, u *userRow, field string, m i18n.Message) error {
	if err := s.record(ctx, tx, a, "account.reauth_failed", u.ID, u.Email, map[string]any{"field": field}); err != nil {
		return err
	}
	return refuse(FieldErrors{field: m})
}
