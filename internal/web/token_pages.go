package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

func (s *Server) emailConfirmShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "token_confirm", s.emailConfirmPage(c))
	return nil
}

func (s *Server) emailConfirmPage(c *gin.Context) *view.TokenConfirm {
	return &view.TokenConfirm{Page: s.page(c), Title: "page.confirm_email.title", Body: "page.confirm_email.body",
		Submit: "page.confirm_email.submit", Action: "/account/confirm", Token: c.Query("token")}
}

func (s *Server) emailConfirmSubmit(c *gin.Context) error {
	u, err := s.accounts.ConfirmEmail(c.Request.Context(), s.actor(c), c.PostForm("token"))
	if err != nil {
		p := s.emailConfirmPage(c)
		p.Token = c.PostForm("token")
		return s.refuse(c, err, &p.Page, "token_confirm", p)
	}
	// The link proves the address: asking for the password just typed at
	// sign-up would only be in the way. An account with a second factor
	// still signs in with it.
	if u.TwoFactorOn() {
		s.flash(c, "flash.email_confirmed")
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	}
	s.flash(c, "flash.email_confirmed_signed_in")
	return s.startSession(c, u, account.LoginEmailLink, "/dashboard")
}

func (s *Server) emailChangeConfirmPage(c *gin.Context) *view.TokenConfirm {
	return &view.TokenConfirm{Page: s.page(c), Title: "page.email_change.title", Body: "page.email_change.body",
		Submit: "page.email_change.submit", Action: "/account/email/confirm", Token: c.Query("token")}
}

func (s *Server) emailChangeConfirmShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "token_confirm", s.emailChangeConfirmPage(c))
	return nil
}

func (s *Server) emailChangeConfirmSubmit(c *gin.Context) error {
	if err := s.accounts.ConfirmEmailChange(c.Request.Context(), s.actor(c), c.PostForm("token")); err != nil {
		p := s.emailChangeConfirmPage(c)
		p.Token = c.PostForm("token")
		return s.refuse(c, err, &p.Page, "token_confirm", p)
	}
	s.flash(c, "flash.email_changed")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

func (s *Server) passwordForgotShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "password_forgot", view.PasswordForgot{Page: s.page(c)})
	return nil
}

// passwordForgotSubmit says the same whether or not the address has an account.
func (s *Server) passwordForgotSubmit(c *gin.Context) error {
	p := view.PasswordForgot{Page: s.page(c), Email: c.PostForm("email")}
	if err := s.accounts.RequestPasswordReset(c.Request.Context(), s.actor(c), p.Email); err != nil {
		return s.refuseAt(c, "email", err, &p.Page, "password_forgot", &p)
	}
	s.render(c, http.StatusOK, "message", view.Message{Page: s.page(c), Title: "page.password_forgot_sent.title", Body: "page.password_forgot_sent.body"})
	return nil
}

// passwordResetShow checks the link before offering the form, so a used or
// expired one says so at once rather than after a new password is typed.
func (s *Server) passwordResetShow(c *gin.Context) error {
	p := view.PasswordReset{Page: s.page(c), Token: c.Query("token")}
	if _, err := s.accounts.TokenUser(c.Request.Context(), account.PurposeResetPassword, p.Token); err != nil {
		if !errors.Is(err, account.ErrTokenInvalid) {
			return err
		}
		p.Invalid, p.FormError = true, s.cat.T(lang(c), "error.token.invalid")
		s.render(c, http.StatusGone, "password_reset", p)
		return nil
	}
	s.render(c, http.StatusOK, "password_reset", p)
	return nil
}

func (s *Server) passwordResetSubmit(c *gin.Context) error {
	p := view.PasswordReset{Page: s.page(c), Token: c.PostForm("token")}
	if err := s.accounts.ResetPassword(c.Request.Context(), s.actor(c), p.Token, c.PostForm("password")); err != nil {
		p.Invalid = errors.Is(err, account.ErrTokenInvalid)
		return s.refuse(c, err, &p.Page, "password_reset", &p)
	}
	s.flash(c, "flash.password_reset")
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

// invitationShow greets the invited person with the name the admin typed,
// in the language the admin chose for them (unless this browser chose one);
// a used or expired link says so at once.
func (s *Server) invitationShow(c *gin.Context) error {
	tok := c.Query("token")
	u, err := s.accounts.TokenUser(c.Request.Context(), account.PurposeInvitation, tok)
	if errors.Is(err, account.ErrTokenInvalid) {
		p := view.Invitation{Page: s.page(c), Token: tok, Invalid: true}
		p.FormError = s.cat.T(lang(c), "error.token.invalid")
		s.render(c, http.StatusGone, "invitation_accept", p)
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := c.Cookie(cookieName(s.cfg, langCookie)); err != nil { // this browser has not chosen
		c.Set(keyLang, u.Language)
	}
	s.render(c, http.StatusOK, "invitation_accept", view.Invitation{Page: s.page(c), Token: tok, Name: u.Name})
	return nil
}

// invitationSubmit sets the invited person's name and password and logs them
// in; as board members or admins they go on to set up two-factor.
func (s *Server) invitationSubmit(c *gin.Context) error {
	p := view.Invitation{Page: s.page(c), Token: c.PostForm("token"), Name: c.PostForm("name")}
	u, err := s.accounts.AcceptInvitation(c.Request.Context(), s.actor(c), p.Token, p.Name, c.PostForm("password"))
	if err != nil {
		p.Invalid = errors.Is(err, account.ErrTokenInvalid)
		return s.refuse(c, err, &p.Page, "invitation_accept", &p)
	}
	s.flash(c, "flash.welcome")
	return s.startSession(c, u, account.LoginInvitation, "/dashboard")
}
