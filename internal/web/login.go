package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

func (s *Server) loginShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "login", view.Login{Page: s.page(c), Next: localPath(c.Query("next"))})
	return nil
}

// loginSubmit checks the password; an account with a second factor (TOTP or
// a passkey) then goes on to the code page, holding only a "pending" mark in
// its session.
func (s *Server) loginSubmit(c *gin.Context) error {
	p := view.Login{Page: s.page(c), Email: c.PostForm("email"), Next: localPath(c.PostForm("next"))}
	u, err := s.accounts.Authenticate(c.Request.Context(), s.actor(c), p.Email, c.PostForm("password"))
	if err != nil {
		return s.refuse(c, err, &p.Page, "login", &p)
	}
	ctx := c.Request.Context()
	if u.TwoFactorOn() {
		if err := s.sessions.RenewToken(ctx); err != nil {
			return err
		}
		s.sessions.Put(ctx, sessPendingUser, u.ID)
		s.sessions.Put(ctx, sessPendingUntil, s.now().Add(pendingCodeWait).Unix())
		s.sessions.Put(ctx, sessPendingNext, p.Next)
		c.Redirect(http.StatusSeeOther, "/login/code")
		return nil
	}
	return s.startSession(c, u, account.LoginPassword, p.Next)
}

// pendingCodeWait is how long a checked password waits for its code.
const pendingCodeWait = 15 * time.Minute

// pendingUser is who passed the password step in this browser and may
// still give the code (0: nobody).
func (s *Server) pendingUser(c *gin.Context) int64 {
	ctx := c.Request.Context()
	if s.now().Unix() > s.sessions.GetInt64(ctx, sessPendingUntil) {
		return 0
	}
	return s.sessions.GetInt64(ctx, sessPendingUser)
}

// loginCodePage offers what the pending person has: a code field with
// TOTP, a passkey button with passkeys.
func (s *Server) loginCodePage(c *gin.Context, userID int64) (*view.LoginCode, error) {
	u, err := s.accounts.User(c.Request.Context(), userID)
	if err != nil {
		return nil, err
	}
	return &view.LoginCode{Page: s.page(c), TOTP: u.TOTPEnabled(), Passkey: u.Passkeys > 0}, nil
}

func (s *Server) loginCodeShow(c *gin.Context) error {
	userID := s.pendingUser(c)
	if userID == 0 {
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	}
	p, err := s.loginCodePage(c, userID)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "login_code", p)
	return nil
}

// loginCodeSubmit accepts a TOTP code, or a recovery code in its place.
func (s *Server) loginCodeSubmit(c *gin.Context) error {
	ctx := c.Request.Context()
	userID := s.pendingUser(c)
	if userID == 0 {
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	}
	code := c.PostForm("code")
	method := account.LoginTOTP
	err := s.accounts.VerifyCode(ctx, s.actor(c), userID, code)
	if errors.Is(err, account.ErrInvalidCode) && len(code) > 8 {
		method = account.LoginRecoveryCode
		err = s.accounts.UseRecoveryCode(ctx, s.actor(c), userID, code)
	}
	if err != nil {
		p, perr := s.loginCodePage(c, userID)
		if perr != nil {
			return perr
		}
		return s.refuseAt(c, "code", err, &p.Page, "login_code", p)
	}
	u, err := s.accounts.User(ctx, userID)
	if err != nil {
		return err
	}
	next := s.sessions.GetString(ctx, sessPendingNext)
	s.sessions.Remove(ctx, sessPendingUser)
	s.sessions.Remove(ctx, sessPendingUntil)
	s.sessions.Remove(ctx, sessPendingNext)
	return s.startSession(c, u, method, next)
}

// startSession logs u in: a new session id (so one planted before login is
// worthless), recorded by the account service.
func (s *Server) startSession(c *gin.Context, u *account.User, method, next string) error {
	ctx := c.Request.Context()
	sid, err := s.accounts.CreateSession(ctx, s.actor(c), u.ID, method)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessSID, sid)
	switch {
	case u.NeedsTwoFactor():
		next = "/account/two-factor"
	case next == "" || next == "/":
		next = "/dashboard"
	}
	c.Redirect(http.StatusSeeOther, localPath(next))
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	ctx := c.Request.Context()
	if err := s.accounts.Logout(ctx, s.actor(c)); err != nil {
		return err
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	s.flash(c, "flash.signed_out")
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}
