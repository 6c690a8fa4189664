package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"missiongrants/internal/secret"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/db"
)

// How a session was opened, for the audit trail.
const (
	LoginPassword     = "password"         // no TOTP on the account
	LoginTOTP         = "totp"             // password, then a TOTP code
	LoginRecoveryCode = "recovery_code"    // password, then a recovery code
	LoginInvitation   = "invitation"       // just accepted an invitation
	LoginEmailLink    = "email_link"       // just confirmed the address by its link
	LoginPasskey2FA   = "password_passkey" // password, then a passkey
	LoginPasskey      = "passkey"          // a passkey alone (it checked its owner)
)

// oneFactor lists the methods that prove the password, or an emailed link,
// alone: not enough for an account with a second factor.
var oneFactor = map[string]bool{LoginPassword: true, LoginInvitation: true, LoginEmailLink: true}

// TouchEvery: last_seen_at is written at most this often, so an ordinary
// page view reads without writing.
const TouchEvery = time.Minute

// Session is one logged-in browser, as the profile page lists it.
type Session struct {
	ID         int64     `db:"id"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	IP         string    `db:"ip"`
	UserAgent  string    `db:"user_agent"`
	Method     string    `db:"method"` // how it signed in: Login…
	Current    bool      `db:"current"`
}

// CreateSession logs userID in and returns the session id to keep in the
// scs session. Call it only after Authenticate and, when the account has a
// second factor, VerifyCode, UseRecoveryCode or FinishPasskeyLogin
// succeeded, or after FinishPasskeyLogin alone (method says which).
func (s *Service) CreateSession(ctx context.Context, a Actor, userID int64, method string) (string, error) {
	sid := secret.New()
	now := s.now()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !u.Active || u.InvitationPending || (u.TwoFactorOn() && oneFactor[method]) {
			return ErrForbidden
		}
		// Forget this person's sessions that ended idle.
		if _, err := tx.ExecContext(ctx, sqlSessionDeleteIdle,
			userID, now.Add(-s.cfg.SessionIdle)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlSessionInsert,
			secret.Hash(sid), userID, now, truncate(a.IP, 64), truncate(a.UserAgent, 512), method)
		if err != nil {
			return fmt.Errorf("account.CreateSession: %w", err)
		}
		a.UserID = userID
		return s.record(ctx, tx, a, "account.login", userID, u.Email, map[string]any{"method": method})
	})
	if err != nil {
		return "", err
	}
	return sid, nil
}

// SessionUser returns the active user of session sid, in one query that also
// notes the visit at most once a minute. ErrNotFound means the session was
// ended (logout, "log out everywhere else", deactivation, password reset) or
// the account is inactive: the web layer then drops the scs session.
func (s *Service) SessionUser(ctx context.Context, sid string) (*User, error) {
	if sid == "" {
		return nil, ErrNotFound
	}
	now := s.now()
	var u User
	// The update is a data-modifying CTE: it runs even though the SELECT does
	// not read it, and the SELECT sees the row as it was.
	err := s.db.GetContext(ctx, &u, sqlSessionUser,
		secret.Hash(sid), now, now.Add(-TouchEvery), now.Add(-s.cfg.SessionIdle))
	if err != nil {
		return nil, fmt.Errorf("account.SessionUser: %w", db.NotFound(err))
	}
	return &u, nil
}

// FindSession reads a browser's session (scs's data, by its token) and the
// person its account session signs in, in one statement: every page asks
// both. u is nil when the session signs nobody in by its own row: nobody
// signed in, a session ended elsewhere or idle, a deactivated person, or a
// session written before the row named its account session, which the
// caller then asks SessionUser about.
func (s *Service) FindSession(ctx context.Context, token string) (data []byte, found bool, u *User, err error) {
	now := s.now()
	var row struct {
		Data     []byte `db:"data"`
		SignedIn bool   `db:"signed_in"`
		User
	}
	err = s.db.GetContext(ctx, &row, sqlSessionFind, token, now, now.Add(-TouchEvery), now.Add(-s.cfg.SessionIdle))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil, nil
	case err != nil:
		return nil, false, nil, fmt.Errorf("account.FindSession: %w", err)
	case row.SignedIn:
		return row.Data, true, &row.User, nil
	}
	return row.Data, true, nil, nil
}

// CommitSession writes a browser's session as scs's store does, naming the
// account session sid it holds ("": none) for FindSession.
func (s *Service) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time, sid string) error {
	var sidHash []byte
	if sid != "" {
		sidHash = secret.Hash(sid)
	}
	if _, err := s.db.ExecContext(ctx, sqlSessionCommit, token, data, expiry, sidHash); err != nil {
		return fmt.Errorf("account.CommitSession: %w", err)
	}
	return nil
}

// ListSessions lists the logged-in person's sessions, the current one marked.
func (s *Service) ListSessions(ctx context.Context, a Actor) ([]Session, error) {
	var out []Session
	err := s.db.SelectContext(ctx, &out, sqlListSessions, a.UserID, secret.Hash(a.SessionID), s.now().Add(-s.cfg.SessionIdle))
	if err != nil {
		return nil, fmt.Errorf("account.ListSessions: %w", err)
	}
	return out, nil
}

// RevokeOtherSessions is "log out everywhere else": every session of the
// person but the current one ends. It returns how many ended.
func (s *Service) RevokeOtherSessions(ctx context.Context, a Actor) (int64, error) {
	var ended int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if ended, err = deleteSessions(ctx, tx, u.ID, a.SessionID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.sessions_revoked", u.ID, u.Email, map[string]any{"sessions_ended": ended})
	})
	return ended, err
}

// RevokeSession ends one of the person's own sessions, by its listed ID.
func (s *Service) RevokeSession(ctx context.Context, a Actor, sessionID int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlRevokeSession, sessionID, a.UserID)
		if err != nil {
			return fmt.Errorf("account.RevokeSession: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.record(ctx, tx, a, "account.session_revoked", a.UserID, "", map[string]any{"session_id": sessionID})
	})
}

// Logout ends the current session; the web layer then destroys the scs
// session.
func (s *Service) Logout(ctx context.Context, a Actor) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var userID int64
		err := tx.GetContext(ctx, &userID, sqlLogout, secret.Hash(a.SessionID))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // already ended elsewhere: nothing to record
		}
		if err != nil {
			return fmt.Errorf("account.Logout: %w", err)
		}
		a.UserID = userID
		return s.record(ctx, tx, a, "account.logout", userID, "", nil)
	})
}

// deleteSessions ends every session of userID except keepSID's.
func deleteSessions(ctx context.Context, q db.Querier, userID int64, keepSID string) (int64, error) {
	keep := []byte{}
	if keepSID != "" {
		keep = secret.Hash(keepSID)
	}
	res, err := q.ExecContext(ctx, sqlDeleteSessions, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("account.deleteSessions: %w", err)
	}
	return res.RowsAffected()
}

// truncate cuts s to at most n bytes on a character boundary.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
