// Package account owns the people who use the portal: sign-up and email
// confirmation, passwords, roles, TOTP, invitations, one-time links and the
// registry of logged-in sessions. Every action is one transaction that also
// writes its audit rows and queues its mail, so none of them can land alone.
package account

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/jmoiron/sqlx"

	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/mail"
	"missiongrants/internal/ratelimit"
)

// Paths of the pages that the links in emails open, with ?token=…; the web
// layer serves them.
const (
	PathLogin              = "/login"
	PathForgotPassword     = "/password/forgot"
	PathResetPassword      = "/password/reset"
	PathConfirmEmail       = "/account/confirm"
	PathConfirmEmailChange = "/account/email/confirm"
	PathAcceptInvitation   = "/invitation/accept"
)

// Limit allows N attempts per Window.
type Limit struct {
	N      int
	Window time.Duration
}

// Limits slow down guessing and mail flooding. Passwords are limited per
// account and address together: a stranger's wrong guesses never lock the
// owner out from another address. Per-address limits stop one client
// trying many accounts, and are looser because a hospital may share one
// address.
type Limits struct {
	LoginPerPair, LoginPerAddress    Limit
	CodePerAccount, CodePerAddress   Limit // TOTP and recovery codes, re-authentication
	SignupPerEmail, SignupPerAddress Limit
	ResetPerEmail, ResetPerAddress   Limit
}

var defaultLimits = Limits{
	LoginPerPair:     Limit{10, 15 * time.Minute},
	LoginPerAddress:  Limit{50, 15 * time.Minute},
	CodePerAccount:   Limit{10, 15 * time.Minute},
	CodePerAddress:   Limit{50, 15 * time.Minute},
	SignupPerEmail:   Limit{3, time.Hour},
	SignupPerAddress: Limit{20, time.Hour},
	ResetPerEmail:    Limit{3, time.Hour},
	ResetPerAddress:  Limit{20, time.Hour},
}

// Options are what the service needs besides its database. Zero fields
// take the defaults (see withDefaults and defaultLimits).
type Options struct {
	Outbox  *mail.Outbox
	BaseURL string           // e.g. https://grants.example.org, for links in emails
	Now     func() time.Time // the clock; nil: time.Now

	ConfirmEmailTTL  time.Duration
	ResetPasswordTTL time.Duration
	InvitationTTL    time.Duration
	ChangeEmailTTL   time.Duration
	// PasskeyCeremonyTTL is how long a passkey's challenge may be answered.
	PasskeyCeremonyTTL time.Duration
	// SessionIdle ends a session not seen for this long (to the minute:
	// see TouchEvery).
	SessionIdle time.Duration
	Limits      Limits
}

func (c Options) withDefaults() Options {
	for _, d := range []struct {
		got *time.Duration
		def time.Duration
	}{
		{&c.ConfirmEmailTTL, 48 * time.Hour},
		{&c.ResetPasswordTTL, time.Hour},
		{&c.InvitationTTL, 7 * 24 * time.Hour},
		{&c.ChangeEmailTTL, 24 * time.Hour},
		{&c.PasskeyCeremonyTTL, 5 * time.Minute},
		{&c.SessionIdle, 30 * 24 * time.Hour},
	} {
		if *d.got <= 0 {
			*d.got = d.def
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	def := defaultLimits
	for _, l := range []struct{ got, def *Limit }{
		{&c.Limits.LoginPerPair, &def.LoginPerPair}, {&c.Limits.LoginPerAddress, &def.LoginPerAddress},
		{&c.Limits.CodePerAccount, &def.CodePerAccount}, {&c.Limits.CodePerAddress, &def.CodePerAddress},
		{&c.Limits.SignupPerEmail, &def.SignupPerEmail}, {&c.Limits.SignupPerAddress, &def.SignupPerAddress},
		{&c.Limits.ResetPerEmail, &def.ResetPerEmail}, {&c.Limits.ResetPerAddress, &def.ResetPerAddress},
	} {
		if l.got.N <= 0 || l.got.Window <= 0 {
			*l.got = *l.def
		}
	}
	return c
}

// Service runs account actions.
type Service struct {
	db      *sqlx.DB
	outbox  *mail.Outbox
	limiter *ratelimit.Limiter
	cfg     Options
	rp      *webauthn.WebAuthn // the portal as relying party for passkeys
}

// New builds the service. The relying party of passkeys comes from
// o.BaseURL (config checks it); without one, passkeys are refused.
func New(pool *sqlx.DB, o Options) *Service {
	o = o.withDefaults()
	rp, _ := newRelyingParty(o.BaseURL)
	return &Service{db: pool, outbox: o.Outbox, limiter: ratelimit.New(o.Now), cfg: o, rp: rp}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Actor is who acts and from where; the web layer fills it for each request.
type Actor struct {
	UserID    int64  // 0 before login
	SessionID string // the sid kept in the scs session; "" before login
	IP        string
	UserAgent string
	RequestID string
}

// Event is an audit entry of an action a takes on an object, for the other
// domains' Record calls.
func (a Actor) Event(action, objectType string, objectID int64, details map[string]any) audit.Event {
	e := audit.Event{IP: a.IP, RequestID: a.RequestID, Action: action, ObjectType: objectType,
		ObjectID: strconv.FormatInt(objectID, 10), Details: details}
	if a.UserID != 0 {
		id := a.UserID
		e.ActorID = &id
	}
	return e
}

// committedRefusal wraps an error that must still commit the transaction:
// a refused attempt (a wrong password) is itself worth its audit row.
type committedRefusal struct{ err error }

func (r committedRefusal) Error() string { return r.err.Error() }

// refuse commits what fn wrote so far, then reports err to the caller.
func refuse(err error) error { return committedRefusal{err} }

// inTx runs fn in one transaction; see refuse.
func (s *Service) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	var refused error
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		err := fn(tx)
		var r committedRefusal
		if errors.As(err, &r) {
			refused = r.err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return refused
}

// record writes one audit row about the account subjectID. label names the
// actor when no one is logged in yet (the email a person typed).
func (s *Service) record(ctx context.Context, tx *sqlx.Tx, a Actor, action string, subjectID int64, label string, details map[string]any) error {
	e := audit.Event{
		ActorLabel: label,
		IP:         a.IP,
		RequestID:  a.RequestID,
		Action:     action,
		ObjectType: "user",
		Details:    details,
	}
	if a.UserID != 0 {
		e.ActorID = &a.UserID
	}
	if subjectID != 0 {
		e.ObjectID = strconv.FormatInt(subjectID, 10)
	}
	return audit.Record(ctx, tx, e)
}

// link is the absolute URL of path carrying a one-time token.
func (s *Service) link(path, token string) string {
	u := strings.TrimRight(s.cfg.BaseURL, "/") + path
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}
