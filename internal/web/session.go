package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"

	"missiongrants/internal/account"
	"missiongrants/internal/config"
	"missiongrants/internal/db"
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
// cost of every page. For page views it keeps what it read (sessionCache).
// Deleting, listing and sweeping expired sessions are postgresstore's.
type sessionStore struct {
	*postgresstore.PostgresStore
	accounts *account.Service
	cache    *sessionCache
}

// sessionPerson carries, through a request's context, the person sessionStore
// read with the session (nil: none); loadUser takes them from it. view says
// the request only reads (GET or HEAD), so a kept session may answer it.
type sessionPerson struct {
	user *account.User
	view bool
}

type sessionPersonKey struct{}

func (st sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	in, _ := ctx.Value(sessionPersonKey{}).(*sessionPerson)
	if in == nil || !in.view {
		return st.find(ctx, in, token)
	}
	kept, hit, at, keep := st.cache.get(token)
	if hit {
		if kept.user != nil {
			u := *kept.user // each request its own copy
			in.user = &u
		}
		return kept.data, true, nil
	}
	data, found, err := st.find(ctx, in, token)
	if keep && found && err == nil {
		st.cache.put(token, at, data, in.user)
	}
	return data, found, err
}

func (st sessionStore) find(ctx context.Context, in *sessionPerson, token string) ([]byte, bool, error) {
	data, found, u, err := st.accounts.FindSession(ctx, token)
	if in != nil && err == nil {
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
	defer st.cache.written()
	return st.accounts.CommitSession(ctx, token, b, expiry, sid)
}

func (st sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return st.CommitCtx(context.Background(), token, b, expiry)
}

func (st sessionStore) DeleteCtx(_ context.Context, token string) error {
	defer st.cache.written()
	return st.PostgresStore.Delete(token)
}

// sessionCache keeps, for page views, the sessions read and whom they sign
// in: reading them was a quarter of a page's cost. What it keeps answers
// only while none of the tables it was read from has changed since, in any
// process (db.Changes hears them: migrations/00044), while no request of
// this process that may write anything is running and none has ended since,
// and for at most account.TouchEvery, so that visits are still noted and a
// session's end comes on time. A request that may write (not GET or HEAD)
// always reads the database: a session ended in another process can never
// change anything, and can be shown pages only until this process hears of it.
type sessionCache struct {
	changes *db.Changes
	now     func() time.Time // the portal's clock, which the account's rules use

	writing atomic.Int64  // requests that may write, running
	ended   atomic.Uint64 // moves when one ends, or a session is written

	mu   sync.Mutex
	at   sessionStamp
	kept map[string]keptSession
}

// sessionTables are what a kept session was read from.
var sessionTables = []string{"sessions", "user_sessions", "users", "passkeys"}

// keptSessionsAtMost bounds what is kept between changes.
const keptSessionsAtMost = 10000

type sessionStamp struct {
	tables [2]uint64
	ended  uint64
}

type keptSession struct {
	data  []byte
	user  *account.User
	until time.Time // on the portal's clock, as the visit's note
	// deadline is when scs's session expires, on the wall clock, as
	// PostgreSQL's current_timestamp checks it.
	deadline time.Time
}

// stamp is where the session tables and this process's writes stand;
// taken before a read, so that a change made meanwhile makes it stale.
func (c *sessionCache) stamp() (sessionStamp, bool) {
	// writing before ended: a request that may write moves ended before it
	// leaves writing, so one that ended before writing was read has moved
	// ended too, and one running then is concurrent with this request.
	if c.writing.Load() > 0 {
		return sessionStamp{}, false
	}
	ended := c.ended.Load()
	tables, ok := c.changes.Stamp(sessionTables...)
	return sessionStamp{tables: tables, ended: ended}, ok
}

// get returns what is kept for token if it may answer (hit) and, if not,
// the stamp under which a read made now may be kept (keep).
func (c *sessionCache) get(token string) (k keptSession, hit bool, at sessionStamp, keep bool) {
	at, keep = c.stamp()
	if !keep {
		return keptSession{}, false, at, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k, found := c.kept[token]
	hit = found && c.at == at && c.now().Before(k.until) && time.Now().Before(k.deadline)
	return k, hit, at, keep
}

func (c *sessionCache) put(token string, at sessionStamp, data []byte, u *account.User) {
	deadline, _, err := (sessionCodec{}).Decode(data)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil || c.at != at || len(c.kept) >= keptSessionsAtMost {
		c.at, c.kept = at, map[string]keptSession{}
	}
	c.kept[token] = keptSession{data: data, user: u, until: c.now().Add(account.TouchEvery), deadline: deadline}
}

// writes marks a request that may write as running until done is called.
func (c *sessionCache) writes() (done func()) {
	c.writing.Add(1)
	return func() {
		c.written()
		c.writing.Add(-1)
	}
}

// written makes everything kept so far stale.
func (c *sessionCache) written() { c.ended.Add(1) }

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
		view := r.Method == http.MethodGet || r.Method == http.MethodHead
		if !view {
			defer s.sessionCache.writes()()
		}
		sessioned.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionPersonKey{}, &sessionPerson{view: view})))
	})
}
