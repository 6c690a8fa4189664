package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/i18n"
)

// Keys in the scs session.
const (
	sessSID          = "sid"          // the account session id (account.CreateSession)
	sessPendingUser  = "pending_user" // password checked, waiting for a TOTP code
	sessPendingUntil = "pending_until"
	sessPendingNext  = "pending_next"
	sessFlash        = "flash"
	sessSavedSection = "saved_section" // the part of the form just saved with its button
	keyUser          = "user"
	keyAccountAccess = "access"
)

// loadUser finds who is logged in. A session ended elsewhere (logout,
// "sign out everywhere else", deactivation) is dropped here, on the next
// request of every browser that held it.
func (s *Server) loadUser(c *gin.Context) {
	ctx := c.Request.Context()
	if sid := s.sessions.GetString(ctx, sessSID); sid != "" {
		u, err := s.sessionUser(ctx, sid)
		switch {
		case err == nil:
			c.Set(keyUser, u)
			// A signed-in page is never kept: on a shared phone, Back after
			// signing out must not show it again.
			c.Header("Cache-Control", "no-store")
		case errors.Is(err, account.ErrNotFound):
			_ = s.sessions.Destroy(ctx)
		default:
			c.Abort()
			s.fail(c, err)
			return
		}
	}
	c.Next()
}

// sessionUser is the person the session signs in: the one sessionStore
// read with it, or, for a session it could not join to its account session
// (written before they were joined, or ended), the account's own answer.
func (s *Server) sessionUser(ctx context.Context, sid string) (*account.User, error) {
	if in, ok := ctx.Value(sessionPersonKey{}).(*sessionPerson); ok && in.user != nil {
		return in.user, nil
	}
	return s.accounts.SessionUser(ctx, sid)
}

func currentUser(c *gin.Context) *account.User {
	if u, ok := c.Get(keyUser); ok {
		return u.(*account.User)
	}
	return nil
}

// actor is who acts and from where, for the domain and its audit trail.
func (s *Server) actor(c *gin.Context) account.Actor {
	a := account.Actor{
		SessionID: s.sessions.GetString(c.Request.Context(), sessSID),
		IP:        c.ClientIP(),
		UserAgent: c.Request.UserAgent(),
		RequestID: requestID(c),
	}
	if u := currentUser(c); u != nil {
		a.UserID = u.ID
	}
	return a
}

// access is what a route demands; the route table states it for each route.
type access int

const (
	// signedIn: any logged-in person, even a board member or admin who has
	// not set up two-factor yet (their account pages, where they set it up).
	signedIn access = iota + 1
	// member: any logged-in person who has set up two-factor if their role needs it.
	member
	// boardOnly: board members (who declare conflicts, score and vote).
	boardOnly
	adminOnly
	// ipaOnly: board members and admins (the board's queue and discussion).
	ipaOnly
)

// require enforces a route's access: nobody logged in goes to the login page
// and comes back after; the wrong role gets 403; a board member or admin
// without two-factor is sent to set it up first.
func (s *Server) require(level access) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			c.Abort()
			next := "/"
			if c.Request.Method == http.MethodGet {
				next = c.Request.URL.RequestURI()
			}
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
			return
		}
		if level != signedIn && u.NeedsTwoFactor() {
			c.Abort()
			c.Redirect(http.StatusSeeOther, "/account/two-factor")
			return
		}
		if (level == boardOnly && !u.IsBoard) || (level == adminOnly && !u.IsAdmin) || (level == ipaOnly && !u.IPA()) {
			c.Abort()
			s.renderError(c, http.StatusForbidden, i18n.Msg("error.http.403"))
			return
		}
		c.Next()
	}
}

// signedOut keeps the pages for signing in and making an account to people
// not signed in: a signed-in person is taken to their portal instead of a
// form to sign in again or make a second account, whatever they posted.
// Someone who has given their password and not yet their second factor is
// not signed in (pendingUser), so that step is theirs to finish.
func (s *Server) signedOut(c *gin.Context) {
	if currentUser(c) != nil {
		c.Abort()
		c.Redirect(http.StatusSeeOther, "/dashboard")
		return
	}
	c.Next()
}

// flash keeps a message for the next page the person sees.
func (s *Server) flash(c *gin.Context, key string) {
	s.sessions.Put(c.Request.Context(), sessFlash, key)
}

// formErrors turns a refusal into what the form shows: messages beside
// fields, or one message for the whole form. ok is false for failures a
// person cannot fix on the form (they become an error page: a 403, a 404,
// or a 500).
func (s *Server) formErrors(c *gin.Context, err error) (fields map[string]string, form string, ok bool) {
	status, m, ok := refusalOf(err)
	if !ok || status == http.StatusForbidden || status == http.StatusNotFound {
		return nil, "", false
	}
	var fe i18n.FieldErrors
	if errors.As(err, &fe) {
		fields = make(map[string]string, len(fe))
		for name, m := range fe {
			fields[name] = s.cat.Say(lang(c), m)
		}
		return fields, "", true
	}
	return nil, s.cat.Say(lang(c), m), true
}

// refuse re-renders a form with err shown, answering the refusal's status
// (422 for mistakes in the form); anything a person cannot fix goes to the
// error page instead.
func (s *Server) refuse(c *gin.Context, err error, p *Page, view string, data any) error {
	return s.refuseAt(c, "", err, p, view, data)
}

// refuseAt is refuse with a message about the whole form shown beside field.
func (s *Server) refuseAt(c *gin.Context, field string, err error, p *Page, view string, data any) error {
	fields, form, ok := s.formErrors(c, err)
	if !ok {
		return err
	}
	if form != "" && field != "" && !errors.Is(err, account.ErrRateLimited) {
		fields, form = map[string]string{field: form}, ""
	}
	p.Errors, p.FormError = fields, form
	status, _, _ := refusalOf(err)
	retryAfter(c, err)
	s.render(c, status, view, data)
	return nil
}
