package account

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/i18n"
	mailtmpl "missiongrants/templates/mail"
)

// SignupInput is the sign-up form. Language is the page's language, which
// the person's emails will use.
type SignupInput struct {
	Name, Email, Password, Language string
}

// Signup creates an applicant account and mails a confirmation link. When
// the address already has an account, that account's owner gets a "someone
// tried to register with your address" mail instead and the answer is the
// same, so the form reveals nothing.
func (s *Service) Signup(ctx context.Context, a Actor, in SignupInput) error {
	in.Name, in.Email = strings.TrimSpace(in.Name), normalizeEmail(in.Email)
	if !i18n.Supported(in.Language) {
		in.Language = i18n.Default
	}
	fe := FieldErrors{}
	fe.Add("name", validateName(in.Name))
	fe.Add("email", validateEmail(in.Email))
	fe.Add("password", ValidatePassword(in.Password, in.Email))
	if err := fe.Err(); err != nil {
		return err
	}
	l := s.cfg.Limits
	if err := s.hit(ctx, byEmail("signup", in.Email, l.SignupPerEmail), byAddress("signup", a.IP, l.SignupPerAddress)); err != nil {
		return err
	}
	// Hashed even for a taken address, so both answers take as long.
	hash, err := hashPassword(in.Password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		id, err := insertUser(ctx, tx, newUser{Email: in.Email, Name: in.Name, Language: in.Language, PasswordHash: hash}, now)
		if errors.Is(err, ErrConflict) {
			return s.signupTaken(ctx, tx, a, in.Email)
		}
		if err != nil {
			return err
		}
		if err := s.sendConfirmation(ctx, tx, id, in.Email, in.Name, in.Language); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.signup", id, in.Email, nil)
	})
}

// signupTaken tells the owner of email that someone tried to use it.
func (s *Service) signupTaken(ctx context.Context, tx *sqlx.Tx, a Actor, email string) error {
	u, err := lockUserByEmail(ctx, tx, email)
	if err != nil {
		return err
	}
	if err := s.sendAccountExists(ctx, tx, &u.User); err != nil {
		return err
	}
	return s.record(ctx, tx, a, "account.signup_address_taken", u.ID, email, nil)
}

func (s *Service) sendAccountExists(ctx context.Context, tx *sqlx.Tx, u *User) error {
	return s.outbox.Send(ctx, tx, u.Language, u.Email, mailtmpl.AccountExists{
		Name: u.Name, LoginLink: s.link(PathLogin, ""), ForgotLink: s.link(PathForgotPassword, ""),
	})
}

// sendConfirmation issues a confirm_email token and mails its link.
func (s *Service) sendConfirmation(ctx context.Context, tx *sqlx.Tx, id int64, email, name, lang string) error {
	token, err := issueToken(ctx, tx, id, PurposeConfirmEmail, tokenData{}, s.now(), s.cfg.ConfirmEmailTTL)
	if err != nil {
		return err
	}
	return s.outbox.Send(ctx, tx, lang, email, mailtmpl.AccountConfirm{
		Name: name, Link: s.link(PathConfirmEmail, token), Expires: s.cfg.ConfirmEmailTTL,
	})
}

// ConfirmEmail uses a confirmation link and returns the account, which the
// person who opened the link is then signed in to (LoginEmailLink).
func (s *Service) ConfirmEmail(ctx context.Context, a Actor, token string) (*User, error) {
	now := s.now()
	var confirmed *User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		id, _, err := consumeToken(ctx, tx, PurposeConfirmEmail, token, now)
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
		if err := confirmEmail(ctx, tx, id, now); err != nil {
			return err
		}
		confirmed = &u.User
		a.UserID = id
		return s.record(ctx, tx, a, "account.email_confirmed", id, u.Email, nil)
	})
	if err != nil {
		return nil, err
	}
	return confirmed, nil
}
