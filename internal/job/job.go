// Package job runs background work through River, a job queue kept in
// PostgreSQL: a job is inserted in the same transaction as the change that
// causes it, so it is never lost when the process restarts or SMTP is down,
// and failed jobs are retried with backoff.
package job

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"

	"missiongrants/internal/mail"
	"missiongrants/internal/metrics"
)

// Options configure a Client.
type Options struct {
	// Work makes the client run jobs; without it the client only inserts
	// (commands such as seed-demo).
	Work         bool
	Sender       mail.Sender
	PollInterval time.Duration
	// RetryDelay replaces River's growing backoff with a fixed delay (tests).
	RetryDelay time.Duration
	Log        *slog.Logger
	// Metrics, when set, counts the jobs run and how they ended.
	Metrics *metrics.Metrics
	// Periodic tasks run on one process at a time (River's elected leader
	// schedules them), each at its interval.
	Periodic []Periodic
}

// Periodic is a task the portal runs on a schedule, such as closing the
// votes that are due.
type Periodic struct {
	Name     string // unique and stable: it names the queued job
	Interval time.Duration
	Run      func(ctx context.Context) error
}

// Client inserts and runs the portal's jobs.
type Client struct {
	river *river.Client[*sql.Tx]
}

// New builds a client on the portal's database.
func New(db *sql.DB, o Options) (*Client, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &mailWorker{sender: o.Sender, metrics: o.Metrics})
	tasks := map[string]Periodic{}
	var periodic []*river.PeriodicJob
	for _, p := range o.Periodic {
		tasks[p.Name] = p
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(p.Interval),
			func() (river.JobArgs, *river.InsertOpts) { return PeriodicArgs{Name: p.Name}, nil },
			&river.PeriodicJobOpts{ID: p.Name, RunOnStart: true}))
	}
	river.AddWorker(workers, &periodicWorker{tasks: tasks, metrics: o.Metrics})
	cfg := &river.Config{
		Workers:           workers,
		Logger:            riverLogger(o.Log),
		PollOnly:          true, // lib/pq through database/sql has no LISTEN support in River
		FetchPollInterval: o.PollInterval,
		JobTimeout:        time.Minute,
	}
	if o.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, periodic...)
	}
	if o.RetryDelay > 0 {
		cfg.RetryPolicy = fixedRetry(o.RetryDelay)
	}
	rc, err := river.NewClient(riverdatabasesql.New(db), cfg)
	if err != nil {
		return nil, fmt.Errorf("job.New: %w", err)
	}
	return &Client{river: rc}, nil
}

// Start begins working jobs until Stop.
func (c *Client) Start(ctx context.Context) error { return c.river.Start(ctx) }

// Stop waits for running jobs to finish, or for ctx to end.
func (c *Client) Stop(ctx context.Context) error { return c.river.Stop(ctx) }

// SendMailTx queues m for delivery as part of tx: if tx rolls back, no mail
// goes out; if it commits, the mail is delivered even across restarts.
func (c *Client) SendMailTx(ctx context.Context, tx *sqlx.Tx, m mail.Message) error {
	if _, err := c.river.InsertTx(ctx, tx.Tx, MailArgs{Message: m}, nil); err != nil {
		return fmt.Errorf("job.SendMailTx: %w", err)
	}
	return nil
}

// MailArgs is a queued email.
type MailArgs struct {
	Message mail.Message `json:"message"`
}

// Kind names the job in the queue table; never change it once jobs exist.
func (MailArgs) Kind() string { return "mail.send" }

// InsertOpts: mail is retried for about three days before it is given up.
func (MailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 25} }

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	sender  mail.Sender
	metrics *metrics.Metrics
}

func (w *mailWorker) Work(ctx context.Context, j *river.Job[MailArgs]) error {
	err := w.sender.Send(ctx, j.Args.Message)
	count(w.metrics, "mail.send", err)
	return err
}

// count notes a job's run when metrics are kept.
func count(m *metrics.Metrics, kind string, err error) {
	if m != nil {
		m.Jobs.WithLabelValues(kind, metrics.Outcome(err)).Inc()
	}
}

// PeriodicArgs is one run of a periodic task.
type PeriodicArgs struct {
	Name string `json:"name"`
}

// Kind names the job in the queue table.
func (PeriodicArgs) Kind() string { return "periodic" }

// InsertOpts: one pending run per task at a time, however many processes
// schedule it.
func (a PeriodicArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

type periodicWorker struct {
	river.WorkerDefaults[PeriodicArgs]
	tasks   map[string]Periodic
	metrics *metrics.Metrics
}

func (w *periodicWorker) Work(ctx context.Context, j *river.Job[PeriodicArgs]) error {
	t, ok := w.tasks[j.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("no periodic task %q in this process", j.Args.Name))
	}
	err := t.Run(ctx)
	count(w.metrics, t.Name, err)
	return err
}

type fixedRetry time.Duration

func (d fixedRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(d)) }

// riverLogger keeps River's warnings and errors and moves its information
// (the poll-only notice at start, job counts every minute) to debug: they
// say nothing an operator acts on.
func riverLogger(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(demoteInfo{log.Handler()})
}

type demoteInfo struct{ slog.Handler }

func (h demoteInfo) Enabled(ctx context.Context, l slog.Level) bool {
	return h.Handler.Enabled(ctx, demote(l))
}

func (h demoteInfo) Handle(ctx context.Context, r slog.Record) error {
	r.Level = demote(r.Level)
	return h.Handler.Handle(ctx, r)
}

func (h demoteInfo) WithAttrs(as []slog.Attr) slog.Handler {
	return demoteInfo{h.Handler.WithAttrs(as)}
}

func (h demoteInfo) WithGroup(name string) slog.Handler {
	return demoteInfo{h.Handler.WithGroup(name)}
}

func demote(l slog.Level) slog.Level {
	if l == slog.LevelInfo {
		return slog.LevelDebug
	}
	return l
}
