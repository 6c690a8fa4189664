package account

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"
)

// Authenticate checks an email and password: the first step of logging in.
// Then, when u.TOTPEnabled(), the web layer asks for a code (VerifyCode or
// UseRecoveryCode) before CreateSession; otherwise it calls CreateSession at
// once. An unknown email, a wrong password, an unconfirmed and a deactivated
// account all give ErrInvalidCredentials; an unconfirmed account with the
// right password is mailed a fresh confirmation link, so its owner finds one.
func (s *Service) Authenticate(ctx context.Context, a Actor, email, password string) (*User, error) {
	email = truncate(normalizeEmail(email), 254) // no account has a longer one
	l := s.cfg.Limits
	if err := s.hit(ctx, byPair("login", email, a.IP, l.LoginPerPair), byAddress("login", a.IP, l.LoginPerAddress)); err != nil {
		return nil, err
	}
	var user *User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUserByEmail(ctx, tx, email)
		if errors.Is(err, ErrNotFound) {
			checkPassword(password, "") // as slow as a wrong password
			return s.loginFailed(ctx, tx, a, 0, email, "unknown_email")
		}
		if err != nil {
			return err
		}
		switch {
		case !checkPassword(password, u.PasswordHash.String):
			return s.loginFailed(ctx, tx, a, u.ID, email, "wrong_password")
		case !u.Active:
			return s.loginFailed(ctx, tx, a, u.ID, email, "inactive")
		case u.EmailConfirmedAt == nil:
			if err := s.sendConfirmation(ctx, tx, u.ID, u.Email, u.Name, u.Language); err != nil {
				return err
			}
			return s.loginFailed(ctx, tx, a, u.ID, email, "unconfirmed")
		}
		user = &u.User
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Earlier typos no longer count against the person.
	if err := s.limiter.Reset(ctx, s.db, byPair("login", email, a.IP, l.LoginPerPair).key); err != nil {
		return nil, err
	}
	return user, nil
}

// loginFailed records a refused login, to be committed, and refuses it with
// ErrInvalidCredentials.
func (s *Service) loginFailed(ctx context.Context, tx *sqlx.Tx, a Actor, userID int64, email, reason string) error {
	if err := s.record(ctx, tx, a, "account.login_failed", userID, email, map[string]any{"reason": reason}); err != nil {
		return err
	}
	return refuse(ErrInvalidCredentials)
}

// VerifyCode checks a TOTP code at login, after Authenticate. A code is
// accepted once: replaying it, even within its 30 seconds, is refused.
func (s *Service) VerifyCode(ctx context.Context, a Actor, userID int64, code string) error {
	if err := s.hitCode(ctx, a, userID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !u.Active || !u.TOTPEnabled() {
			return ErrInvalidCode
		}
		if err := s.checkTOTP(ctx, tx, u, code); err != nil {
			if err := s.record(ctx, tx, a, "account.totp_failed", u.ID, u.Email, nil); err != nil {
				return err
			}
			return refuse(err)
		}
		return nil
	})
}

// UseRecoveryCode spends one recovery code at login instead of a TOTP code.
func (s *Service) UseRecoveryCode(ctx context.Context, a Actor, userID int64, code string) error {
	if err := s.hitCode(ctx, a, userID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !u.Active || !u.TOTPEnabled() {
			return ErrInvalidCode
		}
		return s.spendRecoveryCode(ctx, tx, a, u, code)
	})
}

func (s *Service) hitCode(ctx context.Context, a Actor, userID int64) error {
	l := s.cfg.Limits
	return s.hit(ctx, byUser("code", userID, l.CodePerAccount), byAddress("code", a.IP, l.CodePerAddress))
}
