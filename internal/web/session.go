package web

import (
	"net/http"
	"strings"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"

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
func newSessions(cfg *config.Config, store *postgresstore.PostgresStore) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
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
		sessioned.ServeHTTP(w, r)
	})
}
