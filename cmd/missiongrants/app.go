package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
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
	"missiongrants/internal/report"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
	"missiongrants/templates"
)

// app is the portal's domain wiring, shared by every command.
type app struct {
	cfg      *config.Config
	db       *sqlx.DB
	cat      *i18n.Catalog
	jobs     *job.Client
	accounts *account.Service
	orgs     *organization.Service
	apps     *application.Service
	reviews  *review.Service
	votes    *vote.Service
	docs     *document.Service
	awards   *award.Service
	reports  *report.Service
	metrics  *metrics.Metrics
}

// newApp wires the services. work makes the job client run jobs (serve);
// the other commands only queue them.
func newApp(ctx context.Context, cfg *config.Config, pool *sqlx.DB, log *slog.Logger, work bool) (*app, error) {
	cat, err := i18n.New()
	if err != nil {
		return nil, err
	}
	composer, err := mail.NewComposer(templates.FS, cat)
	if err != nil {
		return nil, err
	}
	store, err := document.NewStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	docs := document.New(pool, store, document.Options{MaxBytes: cfg.UploadMaxBytes, Scanner: document.NewScanner(cfg.ClamdAddress),
		Log: log.With("component", "documents")})
	a := &app{cfg: cfg, db: pool, cat: cat, docs: docs, metrics: metrics.New()}
	// The periodic tasks call services built below: the job client carries
	// the outbox they send mail through.
	jobs, err := job.New(pool.DB, job.Options{
		Work:         work,
		Sender:       mail.NewSender(cfg, log),
		PollInterval: cfg.JobPollInterval,
		Log:          log.With("component", "jobs"),
		Metrics:      a.metrics,
		Periodic: []job.Periodic{
			{Name: "vote.close_due", Interval: time.Minute, Run: func(ctx context.Context) error { _, err := a.votes.CloseDue(ctx); return err }},
			{Name: "vote.remind_due", Interval: 15 * time.Minute, Run: func(ctx context.Context) error { _, err := a.votes.RemindDue(ctx); return err }},
			{Name: "report.remind_due", Interval: time.Hour, Run: func(ctx context.Context) error { _, err := a.reports.RemindDue(ctx); return err }},
			{Name: "notify.digest", Interval: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.votes.SendDigests(ctx); return err }},
			{Name: "document.sweep", Interval: 6 * time.Hour, Run: func(ctx context.Context) error { _, err := docs.Sweep(ctx); return err }},
		},
	})
	if err != nil {
		return nil, err
	}
	outbox := &mail.Outbox{Composer: composer, Queue: jobs}
	accounts := account.New(pool, outbox, account.Config{BaseURL: cfg.BaseURL.String(), SessionIdle: cfg.SessionLifetime})
	orgs := organization.New(pool, outbox, cfg.BaseURL.String(), nil)
	apps := application.New(pool, outbox, cfg.BaseURL.String(), nil)
	a.jobs, a.accounts, a.orgs, a.apps = jobs, accounts, orgs, apps
	a.reviews = review.New(pool, nil)
	a.votes = vote.New(pool, outbox, voteRules(cfg), cfg.BaseURL.String(), nil)
	a.awards = award.New(pool, outbox, money.Cents(cfg.PaymentApprovalCents), nil)
	a.reports = report.New(pool, outbox, cfg.ReportDueDays, cfg.BaseURL.String(), nil)
	a.apps.ReportDueDays = cfg.ReportDueDays
	return a, nil
}

// voteRules are the board's quorum and approval shares from the configuration.
func voteRules(cfg *config.Config) vote.Rules {
	return vote.Rules{QuorumNum: cfg.VoteQuorum.Num, QuorumDen: cfg.VoteQuorum.Den,
		ApproveNum: cfg.VoteApproval.Num, ApproveDen: cfg.VoteApproval.Den}
}

// seedDemo loads the demo accounts and prints how to log in with them.
func (a *app) seedDemo(ctx context.Context) error {
	demo, err := a.accounts.SeedDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("\n  Demo accounts (password, and the TOTP secret to add to an authenticator app):\n")
	for _, d := range demo {
		fmt.Printf("    %-36s %-27s %-15s", d.Email, d.Password, strings.Join(d.Roles.Names(), "+"))
		if d.TOTPSecret != "" {
			fmt.Printf(" TOTP %s", d.TOTPSecret)
		}
		fmt.Println()
	}
	fmt.Println()
	return nil
}
