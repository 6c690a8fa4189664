// Package portal wires the portal's services together: the one place that
// knows which service is built from which, shared by the binary's commands
// and the load tool.
package portal

import (
	"context"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/agreement"
	"missiongrants/internal/application"
	"missiongrants/internal/award"
	"missiongrants/internal/config"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/mail"
	"missiongrants/internal/metrics"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/papers"
	"missiongrants/internal/report"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
	"missiongrants/internal/web"
)

// Portal is the portal's services, wired.
type Portal struct {
	Config     *config.Config
	DB         *sqlx.DB
	Catalog    *i18n.Catalog
	Log        *slog.Logger
	Jobs       *job.Client
	Accounts   *account.Service
	Orgs       *organization.Service
	Apps       *application.Service
	Reviews    *review.Service
	Votes      *vote.Service
	Docs       *document.Service
	Awards     *award.Service
	Agreements *agreement.Service
	Reports    *report.Service
	Metrics    *metrics.Metrics
}

// New wires the services. work makes the job client run jobs (serve); the
// other commands only queue them.
func New(ctx context.Context, cfg *config.Config, pool *sqlx.DB, log *slog.Logger, work bool) (*Portal, error) {
	cat, err := i18n.New()
	if err != nil {
		return nil, err
	}
	store, err := document.NewStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	docs := document.New(pool, store, document.Options{MaxBytes: cfg.UploadMaxBytes, Scanner: document.NewScanner(cfg.ClamdAddress),
		Log: log.With("component", "documents")})
	a := &Portal{Config: cfg, DB: pool, Catalog: cat, Log: log, Docs: docs, Metrics: metrics.New()}
	// The periodic tasks call services built below: the job client carries
	// the outbox they send mail through.
	jobs, err := job.New(pool.DB, job.Options{
		Work:         work,
		Sender:       mail.NewSender(cfg, log),
		PollInterval: cfg.JobPollInterval,
		Log:          log.With("component", "jobs"),
		Metrics:      a.Metrics,
		Periodic: []job.Periodic{
			{Name: "vote.close_due", Interval: time.Minute, Run: func(ctx context.Context) error { _, err := a.Votes.CloseDue(ctx); return err }},
			{Name: "vote.remind_due", Interval: 15 * time.Minute, Run: func(ctx context.Context) error { _, err := a.Votes.RemindDue(ctx); return err }},
			{Name: "report.remind_due", Interval: time.Hour, Run: func(ctx context.Context) error { _, err := a.Reports.RemindDue(ctx); return err }},
			{Name: "notify.digest", Interval: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Votes.SendDigests(ctx); return err }},
			{Name: "document.sweep", Interval: 6 * time.Hour, Run: func(ctx context.Context) error { _, err := docs.Sweep(ctx); return err }},
			{Name: "account.purge", Interval: 6 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Accounts.Purge(ctx); return err }},
		},
	})
	if err != nil {
		return nil, err
	}
	outbox := &mail.Outbox{Composer: mail.NewComposer(cat), Queue: jobs}
	accounts := account.New(pool, outbox, account.Config{BaseURL: cfg.BaseURL.String(), SessionIdle: cfg.SessionIdleTimeout})
	orgs := organization.New(pool, outbox, cfg.BaseURL.String(), nil)
	apps := application.New(pool, outbox, cfg.BaseURL.String(), nil)
	a.Jobs, a.Accounts, a.Orgs, a.Apps = jobs, accounts, orgs, apps
	a.Reviews = review.New(pool, nil)
	a.Votes = vote.New(pool, outbox, voteRules(cfg), cfg.BaseURL.String(), nil)
	a.Agreements = agreement.New(pool, papers.New(cat), cfg.ReportDueDays, nil)
	a.Awards = award.New(pool, outbox, money.Cents(cfg.PaymentApprovalCents), a.Agreements, nil)
	a.Reports = report.New(pool, outbox, cfg.ReportDueDays, cfg.BaseURL.String(), nil)
	a.Apps.ReportDueDays = cfg.ReportDueDays
	return a, nil
}

// voteRules are the board's quorum and approval shares from the configuration.
func voteRules(cfg *config.Config) vote.Rules {
	return vote.Rules{QuorumNum: cfg.VoteQuorum.Num, QuorumDen: cfg.VoteQuorum.Den,
		ApproveNum: cfg.VoteApproval.Num, ApproveDen: cfg.VoteApproval.Den}
}

// Web builds the web server on the services. sessionCleanup is how often
// expired sessions are deleted (0: never).
func (a *Portal) Web(sessionCleanup time.Duration) (*web.Server, error) {
	return web.New(web.Deps{Config: a.Config, DB: a.DB, Catalog: a.Catalog, Log: a.Log, Accounts: a.Accounts, Orgs: a.Orgs,
		Apps: a.Apps, Docs: a.Docs, Awards: a.Awards, Agreements: a.Agreements, Reports: a.Reports, Metrics: a.Metrics, Reviews: a.Reviews, Votes: a.Votes,
		SessionCleanup: sessionCleanup})
}
