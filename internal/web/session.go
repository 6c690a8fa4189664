package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"

	"missiongrants/internal/account"
	"missiongrants/internal/config"
)

const sessionCookie = "mg_session"

// cookieName is name, with the __Host- prefix when cookies are Secure: the
// browser then keeps the cookie to this host, path /, over HTTPS only, so a
// neighbouring subdomain cannot set or shadow it.
func cookieName(cfg *config.Config, name string) string {
	if cfg.CookieSecure {
		return "__Host-" + name
	}
	return name
}

// newSessions keeps sessions in PostgreSQL, so any number of portal
// processes share them.
func newSessions(cfg *config.Config, store scs.Store) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Codec = sessionCodec{}
	// No IdleTimeout here: scs would then write the session on every
	// request. The account session ends idle ones instead (SessionUser),
	// noting a visit at most once a minute, so a page view only reads.
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = cookieName(cfg, sessionCookie)
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.CookieSecure
	sm.Cookie.Path = "/"
	return sm
}

// sessionStore is scs's PostgreSQL store, except that it reads a session
// with the person it signs in, in one statement (account.FindSession), and
// leaves that person where loadUser finds them: two round trips were the
// cost of every page. Deleting, listing and sweeping expired sessions are
// postgresstore's.
type sessionStore struct {
	*postgresstore.PostgresStore
	accounts *account.Service
}

// sessionPerson carries, through a request's context, the person sessionStore
// read with the session (nil: none); loadUser takes them from it.
type sessionPerson struct{ user *account.User }

type sessionPersonKey struct{}

func (st sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	data, found, u, err := st.accounts.FindSession(ctx, token)
	if in, ok := ctx.Value(sessionPersonKey{}).(*sessionPerson); ok && err == nil {
		in.user = u
	}
	return data, found, err
}

func (st sessionStore) Find(token string) ([]byte, bool, error) {
	return st.FindCtx(context.Background(), token)
}

// CommitCtx writes the session with the hash of the account session its
// data holds, which FindCtx joins on.
func (st sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	sid := ""
	if _, values, err := (sessionCodec{}).Decode(b); err == nil {
		sid, _ = values[sessSID].(string)
	}
	return st.accounts.CommitSession(ctx, token, b, expiry, sid)
}

func (st sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return st.CommitCtx(context.Background(), token, b, expiry)
}

func (st sessionStore) DeleteCtx(_ context.Context, token string) error {
	return st.PostgresStore.Delete(token)
}

// withSessions loads the session for every request but the health checks and
// assets, which must answer without touching the database.
func (s *Server) withSessions(next http.Handler) http.Handler {
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.log.Warn("session store unavailable", "error", err, "path", r.URL.Path)
		setSecurityHeaders(w.Header(), s.cfg)
		w.Header().Set("Retry-After", "30")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		lang := s.cat.Negotiate("", r.Header.Get("Accept-Language"))
		_, _ = w.Write([]byte(s.cat.T(lang, "error.http.503") + "\n"))
	}
	sessioned := s.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/healthz" || p == "/readyz" || strings.HasPrefix(p, "/assets/") {
			// An empty session, never read from or saved to the store.
			ctx, err := s.sessions.Load(r.Context(), "")
			if err != nil {
				s.sessions.ErrorFunc(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		sessioned.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionPersonKey{}, &sessionPerson{})))
	})
}
