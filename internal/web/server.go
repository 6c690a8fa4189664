// Package web is the portal's HTTP side: the gin engine, its middleware, the
// route table and one file per page or action. Handlers stay thin: they bind
// a form, call a domain package and render or redirect.
package web

import (
	"fmt"
	"log/slog"
	"missiongrants/internal/assign"
	"net/http"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"missiongrants/assets"
	"missiongrants/internal/account"
	"missiongrants/internal/agreement"
	"missiongrants/internal/application"
	"missiongrants/internal/award"
	"missiongrants/internal/config"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/metrics"
	"missiongrants/internal/organization"
	"missiongrants/internal/outcomes"
	"missiongrants/internal/papers"
	"missiongrants/internal/portal"
	"missiongrants/internal/report"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
)

// Server holds the shared dependencies of every handler.
type Server struct {
	cfg        *config.Config
	db         *sqlx.DB
	cat        *i18n.Catalog
	log        *slog.Logger
	accounts   *account.Service
	orgs       *organization.Service
	apps       *application.Service
	docs       *document.Service
	awards     *award.Service
	agreements *agreement.Service
	papers     *papers.Papers
	reports    *report.Service
	outcomes   *outcomes.Service
	metrics    *metrics.Metrics
	reviews    *review.Service
	assign     *assign.Service
	votes      *vote.Service
	now        func() time.Time // the date pages show and forms default to
	// sessionCache keeps sessions read for page views (session.go).
	sessionCache *sessionCache
	assets       *assetSet
	cop          *http.CrossOriginProtection
	sessions     *scs.SessionManager
	engine       *gin.Engine
	handler      http.Handler
	// timeouts bound how long a request's body may take to arrive and its
	// answer to leave (defaultTimeouts; tests shorten them).
	timeouts timeouts
}

// New builds the router on the portal's services (portal.New), with their
// clock. Templates are parsed here, so a broken page stops start-up instead
// of a person's request. sessionCleanup is how often expired sessions are
// deleted; 0 never (tests, where the database goes away with the test).
func New(p *portal.Portal, sessionCleanup time.Duration) (*Server, error) {
	s := &Server{timeouts: defaultTimeouts, cfg: p.Config, db: p.DB, cat: p.Catalog, log: p.Log, accounts: p.Accounts, orgs: p.Orgs, apps: p.Apps, docs: p.Docs, awards: p.Awards, agreements: p.Agreements, papers: papers.New(p.Catalog), reports: p.Reports, outcomes: p.Outcomes, metrics: p.Metrics,
		reviews: p.Reviews, votes: p.Votes, assign: p.Assign, now: p.Now}
	var err error
	if s.assets, err = newAssetSet(assets.FS); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.cop = http.NewCrossOriginProtection()
	if err := s.cop.AddTrustedOrigin(p.Config.BaseURL.Scheme + "://" + p.Config.BaseURL.Host); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	s.engine = gin.New()
	s.engine.HandleMethodNotAllowed = true
	s.engine.RedirectTrailingSlash = true
	// Client addresses feed rate limits and the audit trail: believe
	// X-Forwarded-For only from the proxies the operator names.
	if err := s.engine.SetTrustedProxies(p.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: TRUSTED_PROXIES: %w", err)
	}
	s.routes(s.engine)
	s.sessionCache = &sessionCache{changes: p.Changes, now: s.now}
	s.sessions = newSessions(p.Config, sessionStore{postgresstore.NewWithCleanupInterval(p.DB.DB, sessionCleanup), s.accounts, s.sessionCache})
	s.handler = headAsGet(s.withSessions(s.engine))
	return s, nil
}

// headAsGet answers HEAD as the GET of the same address (the route table
// lists GETs only): monitors and link checkers ask HEAD /, which answered
// 405. The server sends the headers and drops the body of a HEAD answer.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.Clone(r.Context())
			r.Method = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}

// Handler is the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.handler }
