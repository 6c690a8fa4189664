package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

// device names the browser and device of a session as its owner would.
func device(p *Page, userAgent string) string {
	d := account.DeviceOf(userAgent)
	var out string
	switch {
	case d.Browser != "" && d.System != "":
		out = p.T("page.account.session_on", "Browser", d.Browser, "System", d.System)
	case d.Browser != "":
		out = d.Browser
	default:
		return p.T("page.account.device_unknown")
	}
	if d.Kind != "" {
		out += ", " + p.T("page.account.device."+d.Kind)
	}
	return out
}

func (s *Server) accountPage(c *gin.Context) (*view.Account, error) {
	u := currentUser(c)
	p := &view.Account{Page: s.page(c), Name: u.Name, Language: u.Language, TimeZone: u.TimeZone, NotifyEmail: u.NotifyEmail, NotifyDigest: u.NotifyDigest}
	sessions, err := s.accounts.ListSessions(c.Request.Context(), s.actor(c))
	if err != nil {
		return nil, err
	}
	for _, ss := range sessions {
		p.Sessions = append(p.Sessions, view.SessionRow{
			ID: ss.ID, Device: device(&p.Page, ss.UserAgent), IP: ss.IP, Current: ss.Current,
			LastSeen: p.Moment(ss.LastSeenAt), LastSeenISO: ss.LastSeenAt.UTC().Format(time.RFC3339),
			Method: "page.passkeys.method." + ss.Method,
		})
	}
	keys, err := s.accounts.ListPasskeys(c.Request.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		r := view.PasskeyRow{ID: k.ID, Name: k.Name, BackedUp: k.BackedUp,
			Added: p.Moment(k.CreatedAt), AddedISO: k.CreatedAt.UTC().Format(time.RFC3339)}
		if k.LastUsedAt != nil {
			r.LastUsed, r.LastUsedISO = p.Moment(*k.LastUsedAt), k.LastUsedAt.UTC().Format(time.RFC3339)
		}
		p.Passkeys = append(p.Passkeys, r)
	}
	return p, nil
}

func (s *Server) accountShow(c *gin.Context) error {
	p, err := s.accountPage(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "account_show", p)
	return nil
}

func (s *Server) accountProfileSave(c *gin.Context) error {
	in := account.Profile{Name: c.PostForm("name"), Language: c.PostForm("language"), NotifyEmail: c.PostForm("notify_email") == "1",
		NotifyDigest: c.PostForm("notify_digest") == "1", TimeZone: c.PostForm("time_zone")}
	if err := s.accounts.UpdateProfile(c.Request.Context(), s.actor(c), in); err != nil {
		p, perr := s.accountPage(c)
		if perr != nil {
			return perr
		}
		p.Name, p.Language, p.NotifyEmail, p.NotifyDigest, p.TimeZone = in.Name, in.Language, in.NotifyEmail, in.NotifyDigest, in.TimeZone
		return s.refuse(c, err, &p.Page, "account_show", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

func (s *Server) accountPasswordSave(c *gin.Context) error {
	err := s.accounts.ChangePassword(c.Request.Context(), s.actor(c), c.PostForm("current_password"), c.PostForm("code"), c.PostForm("new_password"))
	if err != nil {
		p, perr := s.accountPage(c)
		if perr != nil {
			return perr
		}
		field := "current_password"
		if errors.Is(err, account.ErrInvalidCode) {
			field = "code"
		}
		return s.refuseAt(c, field, renamed(err, "password", "new_password"), &p.Page, "account_show", p)
	}
	s.flash(c, "flash.password_changed")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

func (s *Server) accountEmailSave(c *gin.Context) error {
	newEmail := c.PostForm("new_email")
	err := s.accounts.ChangeEmail(c.Request.Context(), s.actor(c), c.PostForm("email_password"), c.PostForm("email_code"), newEmail)
	if err != nil {
		p, perr := s.accountPage(c)
		if perr != nil {
			return perr
		}
		p.NewEmail = newEmail
		field := "email_password"
		if errors.Is(err, account.ErrInvalidCode) {
			field = "email_code"
		}
		return s.refuseAt(c, field, renamed(err, "password", "email_password", "code", "email_code", "email", "new_email"), &p.Page, "account_show", p)
	}
	s.flash(c, "flash.email_change_sent")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

func (s *Server) sessionsRevokeOthers(c *gin.Context) error {
	if _, err := s.accounts.RevokeOtherSessions(c.Request.Context(), s.actor(c)); err != nil {
		return err
	}
	s.flash(c, "flash.sessions_revoked")
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}

func (s *Server) sessionRevoke(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeSession(c.Request.Context(), s.actor(c), id); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account")
	return nil
}
