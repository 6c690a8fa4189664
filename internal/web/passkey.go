package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

// sessPasskeyCeremony names, in the person's session, the passkey ceremony
// this browser began; the ceremony itself is in the database, so whichever
// process answers the next request finishes it.
const sessPasskeyCeremony = "passkey_ceremony"

// passkeyOptions answers assets/js/passkey.js with the options of a begun
// ceremony (JSON for navigator.credentials), keeping its token in the
// session, never in the page.
func (s *Server) passkeyOptions(c *gin.Context, cer *account.Ceremony, err error) error {
	if err != nil {
		status, m, ok := refusalOf(err)
		if !ok {
			return err
		}
		retryAfter(c, err)
		c.JSON(status, gin.H{"error": s.cat.Say(lang(c), m)})
		return nil
	}
	s.sessions.Put(c.Request.Context(), sessPasskeyCeremony, cer.Token)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json; charset=utf-8", cer.Options)
	return nil
}

// passkeyCeremony is the token of the ceremony this browser began, which a
// finish spends whatever its outcome.
func (s *Server) passkeyCeremony(c *gin.Context) string {
	return s.sessions.PopString(c.Request.Context(), sessPasskeyCeremony)
}

// passkeyRegisterOptions begins adding a passkey (profile page).
func (s *Server) passkeyRegisterOptions(c *gin.Context) error {
	cer, err := s.accounts.BeginPasskeyRegistration(c.Request.Context(), s.actor(c))
	return s.passkeyOptions(c, cer, err)
}

// passkeyRegister keeps the passkey the browser made, under the name given.
func (s *Server) passkeyRegister(c *gin.Context) error {
	name := c.PostForm("passkey_name")
	err := s.accounts.FinishPasskeyRegistration(c.Request.Context(), s.actor(c), s.passkeyCeremony(c), name, []byte(c.PostForm("credential")))
	if err != nil {
		p, perr := s.accountPage(c)
		if perr != nil {
			return perr
		}
		p.PasskeyName = name
		return s.refuseAt(c, "passkey_name", err, &p.Page, "account_show", p)
	}
	s.flash(c, "flash.passkey_added")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

// passkeyRemove removes one of the person's passkeys, after the password
// (and a code, with TOTP) again.
func (s *Server) passkeyRemove(c *gin.Context) error {
	id, _ := strconv.ParseInt(c.PostForm("passkey_id"), 10, 64)
	err := s.accounts.RemovePasskey(c.Request.Context(), s.actor(c), id, c.PostForm("remove_password"), c.PostForm("remove_code"))
	if err != nil {
		p, perr := s.accountPage(c)
		if perr != nil {
			return perr
		}
		field := "remove_password"
		switch {
		case errors.Is(err, account.ErrInvalidCode):
			field = "remove_code"
		case errors.Is(err, account.ErrNotFound):
			field = "passkey_id"
			err = account.ErrPasskeyNotFound
		}
		return s.refuseAt(c, field, renamed(err, "current_password", "remove_password", "code", "remove_code"), &p.Page, "account_show", p)
	}
	s.flash(c, "flash.passkey_removed")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

// passkeyLoginOptions begins a sign-in with a passkey alone.
func (s *Server) passkeyLoginOptions(c *gin.Context) error {
	cer, err := s.accounts.BeginPasskeyLogin(c.Request.Context(), s.actor(c), 0)
	return s.passkeyOptions(c, cer, err)
}

// passkeyLogin signs in whoever the passkey belongs to.
func (s *Server) passkeyLogin(c *gin.Context) error {
	next := localPath(c.PostForm("next"))
	u, err := s.accounts.FinishPasskeyLogin(c.Request.Context(), s.actor(c), s.passkeyCeremony(c), 0, []byte(c.PostForm("credential")))
	if err != nil {
		p := view.Login{Page: s.page(c), Next: next}
		return s.refuse(c, err, &p.Page, "login", &p)
	}
	return s.startSession(c, u, account.LoginPasskey, next)
}

// passkeySecondOptions begins the passkey step after the password.
func (s *Server) passkeySecondOptions(c *gin.Context) error {
	userID := s.pendingUser(c)
	if userID == 0 {
		return statusError(http.StatusForbidden) // no password given in this browser
	}
	cer, err := s.accounts.BeginPasskeyLogin(c.Request.Context(), s.actor(c), userID)
	return s.passkeyOptions(c, cer, err)
}

// passkeySecond accepts a passkey of the person who gave the password.
func (s *Server) passkeySecond(c *gin.Context) error {
	ctx := c.Request.Context()
	userID := s.pendingUser(c)
	if userID == 0 {
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	}
	u, err := s.accounts.FinishPasskeyLogin(ctx, s.actor(c), s.passkeyCeremony(c), userID, []byte(c.PostForm("credential")))
	if err != nil {
		p, perr := s.loginCodePage(c, userID)
		if perr != nil {
			return perr
		}
		return s.refuse(c, err, &p.Page, "login_code", p)
	}
	next := s.sessions.GetString(ctx, sessPendingNext)
	s.sessions.Remove(ctx, sessPendingUser)
	s.sessions.Remove(ctx, sessPendingUntil)
	s.sessions.Remove(ctx, sessPendingNext)
	return s.startSession(c, u, account.LoginPasskey2FA, next)
}
