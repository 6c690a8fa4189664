package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

// twoFactorShow starts (or shows again) the set-up: the same pending secret
// on every reload, so a QR code already scanned keeps working.
func (s *Server) twoFactorShow(c *gin.Context) error {
	if currentUser(c).TOTPEnabled() {
		c.Redirect(http.StatusSeeOther, "/account")
		return nil
	}
	p, err := s.twoFactorPage(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "two_factor_setup", p)
	return nil
}

func (s *Server) twoFactorPage(c *gin.Context) (*view.TwoFactor, error) {
	e, err := s.accounts.BeginEnrolment(c.Request.Context(), s.actor(c))
	if err != nil {
		return nil, err
	}
	return &view.TwoFactor{Page: s.page(c), Secret: e.Secret, Required: currentUser(c).NeedsTwoFactor()}, nil
}

// twoFactorQR is the QR code of the pending secret, as an image from this
// site (the CSP allows no other).
func (s *Server) twoFactorQR(c *gin.Context) error {
	if currentUser(c).TOTPEnabled() {
		return statusError(http.StatusNotFound)
	}
	e, err := s.accounts.BeginEnrolment(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", e.QRPNG)
	return nil
}

// twoFactorConfirm turns two-factor on with a first code and shows the
// recovery codes, once. A form sent again once it is on (a second press, the
// back button) goes to the account page, as the set-up page does.
func (s *Server) twoFactorConfirm(c *gin.Context) error {
	codes, err := s.accounts.ConfirmEnrolment(c.Request.Context(), s.actor(c), c.PostForm("code"))
	if errors.Is(err, account.ErrConflict) {
		c.Redirect(http.StatusSeeOther, "/account")
		return nil
	}
	if err != nil {
		p, perr := s.twoFactorPage(c)
		if perr != nil {
			return perr
		}
		return s.refuseAt(c, "code", err, &p.Page, "two_factor_setup", p)
	}
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, "recovery_codes", view.RecoveryCodes{Page: s.page(c), Codes: codes})
	return nil
}

func (s *Server) twoFactorDisable(c *gin.Context) error {
	err := s.accounts.DisableTOTP(c.Request.Context(), s.actor(c), c.PostForm("disable_password"), c.PostForm("disable_code"))
	if err != nil {
		p, perr := s.accountPage(c)
		if perr != nil {
			return perr
		}
		field := "disable_password"
		if errors.Is(err, account.ErrInvalidCode) {
			field = "disable_code"
		}
		return s.refuseAt(c, field, renamed(err, "password", "disable_password", "code", "disable_code"), &p.Page, "account_show", p)
	}
	s.flash(c, "flash.two_factor_disabled")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}
