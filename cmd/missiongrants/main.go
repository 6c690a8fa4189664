// Command missiongrants is the whole portal in one binary:
//
//	missiongrants [serve]      run the web portal (the default)
//	missiongrants migrate      apply database migrations and exit
//	missiongrants create-admin -email E -name N   the first admin account
//	missiongrants seed-demo    demo accounts of every role, printed, and the demo's history
//
// Configuration comes only from the environment (see the README).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones wherever the binary runs, for the pages' times

	"missiongrants/internal/config"
	"missiongrants/internal/portal"
)

func main() {
	cmd := "serve"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	commands := map[string]func(ctx context.Context, cfg *config.Config, log *slog.Logger) error{
		"serve":        serve,
		"migrate":      migrate,
		"create-admin": createAdmin,
		"seed-demo":    seedDemoCmd,
	}
	run, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(os.Stderr, "missiongrants: unknown command %q\nusage: missiongrants [serve|migrate|create-admin|seed-demo]\n", cmd)
		os.Exit(2)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "missiongrants:", err)
		os.Exit(2)
	}
	log := newLogger(cfg)
	slog.SetDefault(log)
	gogc, limit := portal.TuneGC(os.Getenv) // GOGC raised under GOMEMLIMIT unless set: docs/performance.md
	log.Debug("garbage collector", "GOGC", gogc, "GOMEMLIMIT", limit)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("stopped with an error", "command", cmd, "error", err)
		fmt.Fprintln(os.Stderr, "missiongrants:", err)
		os.Exit(1)
	}
}

func newLogger(cfg *config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: readableDuration}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// readableDuration writes durations as people read them ("1.5s"), where
// the JSON handler would write nanoseconds.
func readableDuration(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().String())
	}
	return a
}
