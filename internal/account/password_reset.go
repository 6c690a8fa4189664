package account

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"
	mailtmpl "missiongrants/templates/mail"
)

// RequestPasswordReset mails a one-time reset link when the address belongs
// to an active account. The answer is the same either way, so the form
// reveals nothing.
func (s *Service) RequestPasswordReset(ctx context.Context, a Actor, email string) error {
	email = normalizeEmail(email)
	fe := FieldErrors{}
	fe.Add("email", validateEmail(email))
	if err := fe.Err(); err != nil {
		return err
	}
	l := s.cfg.Limits
	if err := s.hit(ctx, byEmail("reset", email, l.ResetPerEmail), byAddress("reset", a.IP, l.ResetPerAddress)); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUserByEmail(ctx, tx, email)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil || !u.Active {
			return err
		}
		token, err := issueToken(ctx, tx, u.ID, PurposeResetPassword, tokenData{}, s.now(), s.cfg.ResetPasswordTTL)
		if err != nil {
			return err
		}
		err = s.outbox.Send(ctx, tx, u.Language, u.Email, mailtmpl.PasswordReset{
			Name: u.Name, Link: s.link(PathResetPassword, token), Expires: s.cfg.ResetPasswordTTL,
		})
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.password_reset_requested", u.ID, email, nil)
	})
}

// ResetPassword sets a new password with a reset link. The link works once
// and only until it expires; using it proves the address (so it also confirms
// it) and ends every session of the account.
func (s *Service) ResetPassword(ctx context.Context, a Actor, token, newPassword string) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		id, _, err := consumeToken(ctx, tx, PurposeResetPassword, token, now)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !u.Active {
			return ErrTokenInvalid
		}
		// A refused password rolls back, so the link still works for a better one.
		if err := ValidatePassword(newPassword, u.Email); err != nil {
			fe := FieldErrors{}
			fe.Add("password", err)
			return fe
		}
		hash, err := hashPassword(newPassword)
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, u.ID, hash, now); err != nil {
			return err
		}
		ended, err := deleteSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := s.outbox.Send(ctx, tx, u.Language, u.Email, mailtmpl.PasswordChanged{Name: u.Name, ForgotLink: s.link(PathForgotPassword, "")}); err != nil {
			return err
		}
		a.UserID = u.ID
		return s.record(ctx, tx, a, "account.password_reset", u.ID, u.Email, map[string]any{"sessions_ended": ended})
	})
}
