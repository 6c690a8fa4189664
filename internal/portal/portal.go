// Package portal wires the portal's services together: the one place that
// knows which service is built from which, shared by the binary's commands,
// the load tool and the web tests (web.New builds the router on a Portal).
package portal

import (
	"context"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/agreement"
	"missiongrants/internal/application"
	"missiongrants/internal/assign"
	"missiongrants/internal/award"
	"missiongrants/internal/config"
	"missiongrants/internal/db"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/mail"
	"missiongrants/internal/metrics"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/outcomes"
	"missiongrants/internal/papers"
	"missiongrants/internal/report"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
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
	Assign     *assign.Service
	Votes      *vote.Service
	Docs       *document.Service
	Awards     *award.Service
	Agreements *agreement.Service
	Reports    *report.Service
	Outcomes   *outcomes.Service
	Metrics    *metrics.Metrics
	// Now is the one clock: every service and the web layer read the date
	// from it, so a test that sets it moves the whole portal.
	Now func() time.Time
	// Changes hears which tables changed, for what services keep between
	// requests; nil without Options.DatabaseURL.
	Changes *db.Changes
}

// Close stops what New started beside the pool and the jobs.
func (a *Portal) Close() error { return a.Changes.Close() }

// Options are how the commands and the tests differ.
type Options struct {
	Log *slog.Logger
	// Work makes the job client run jobs (serve); the other commands only
	// queue them.
	Work bool
	// NoPeriodic leaves the periodic tasks unscheduled: tests run them
	// when they choose, on their clock, instead of at start.
	NoPeriodic bool
	Now        func() time.Time // nil: time.Now
	// StatementsChecked skips preparing every statement at start: the
	// schema is one the process has already checked them against (the web
	// tests' databases, all clones of one template, checked at the first).
	StatementsChecked bool
	// DatabaseURL is the pool's database, which the services' caches
	// listen to for changes (db.Changes); empty: they keep nothing.
	DatabaseURL string
}

// New wires the services.
func New(ctx context.Context, cfg *config.Config, pool *sqlx.DB, o Options) (*Portal, error) {
	log, now := o.Log, o.Now
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	// Every fixed statement of every package linked into the process
	// (each registers its own as it initialises), prepared once: one that
	// the schema no longer accepts stops the start, named, instead of
	// failing the first request that runs it.
	if !o.StatementsChecked {
		if err := db.CheckQueries(ctx, pool, db.Registered()...); err != nil {
			return nil, err
		}
	}
	cat, err := i18n.New()
	if err != nil {
		return nil, err
	}
	store, err := document.NewStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	docs := document.New(pool, document.Options{Store: store, MaxBytes: cfg.UploadMaxBytes, Scanner: document.NewScanner(cfg.ClamdAddress),
		Now: now, Log: log.With("component", "documents")})
	a := &Portal{Config: cfg, DB: pool, Catalog: cat, Log: log, Docs: docs, Metrics: metrics.New(), Now: now}
	if o.DatabaseURL != "" {
		if a.Changes, err = db.ListenForChanges(o.DatabaseURL); err != nil {
			return nil, err
		}
	}
	// The periodic tasks call services built below: the job client carries
	// the outbox they send mail through.
	periodic := []job.Periodic{
		{Name: "vote.close_due", Interval: time.Minute, Run: func(ctx context.Context) error { _, err := a.Votes.CloseDue(ctx); return err }},
		{Name: "vote.remind_due", Interval: 15 * time.Minute, Run: func(ctx context.Context) error { _, err := a.Votes.RemindDue(ctx); return err }},
		{Name: "assign.remind_due", Interval: time.Hour, Run: func(ctx context.Context) error { _, err := a.Assign.RemindDue(ctx); return err }},
		{Name: "report.remind_due", Interval: time.Hour, Run: func(ctx context.Context) error { _, err := a.Reports.RemindDue(ctx); return err }},
		{Name: "notify.digest", Interval: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Votes.SendDigests(ctx); return err }},
		{Name: "document.sweep", Interval: 6 * time.Hour, Run: func(ctx context.Context) error { _, err := docs.Sweep(ctx); return err }},
		{Name: "account.purge", Interval: 6 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Accounts.Purge(ctx); return err }},
	}
	if o.NoPeriodic {
		periodic = nil
	}
	jobs, err := job.New(pool.DB, job.Options{
		Work:         o.Work,
		Sender:       mail.NewSender(cfg, log),
		PollInterval: cfg.JobPollInterval,
		Log:          log.With("component", "jobs"),
		Metrics:      a.Metrics,
		Periodic:     periodic,
	})
	if err != nil {
		a.Close()
		return nil, err
	}
	outbox := &mail.Outbox{Composer: mail.NewComposer(cat), Queue: jobs}
	base := cfg.BaseURL.String()
	paper := papers.New(cat)
	a.Jobs = jobs
	a.Accounts = account.New(pool, account.Options{Outbox: outbox, BaseURL: base, Now: now, SessionIdle: cfg.SessionIdleTimeout})
	a.Orgs = organization.New(pool, organization.Options{Outbox: outbox, BaseURL: base, Now: now})
	a.Apps = application.New(pool, application.Options{Outbox: outbox, Letters: paper, BaseURL: base, Now: now, ReportDueDays: cfg.ReportDueDays,
		Changes: a.Changes})
	a.Reviews = review.New(pool, review.Options{Now: now})
	a.Assign = assign.New(pool, assign.Options{Outbox: outbox, BaseURL: base, Now: now})
	a.Votes = vote.New(pool, vote.Options{Outbox: outbox, Papers: paper, Rules: voteRules(cfg), BaseURL: base, Now: now})
	a.Agreements = agreement.New(pool, agreement.Options{Outbox: outbox, BaseURL: base, Papers: paper, ReportDueDays: cfg.ReportDueDays, Now: now})
	a.Awards = award.New(pool, award.Options{Outbox: outbox, ApprovalThreshold: money.Cents(cfg.PaymentApprovalCents), Agreements: a.Agreements, Now: now})
	a.Reports = report.New(pool, report.Options{Outbox: outbox, DueDays: cfg.ReportDueDays, BaseURL: base, Now: now})
	a.Outcomes = outcomes.New(pool, outcomes.Options{Now: now})
	return a, nil
}

// voteRules are the board's quorum and approval shares from the configuration.
func voteRules(cfg *config.Config) vote.Rules {
	return vote.Rules{QuorumNum: cfg.VoteQuorum.Num, QuorumDen: cfg.VoteQuorum.Den,
		ApproveNum: cfg.VoteApproval.Num, ApproveDen: cfg.VoteApproval.Den}
}
