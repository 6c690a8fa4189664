package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"missiongrants/internal/config"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/mail"
	"missiongrants/internal/web"
	"missiongrants/templates"
)

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	pool, stopDB, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopDB()

	cat, err := i18n.New()
	if err != nil {
		return err
	}
	if _, err := mail.NewComposer(templates.FS, cat); err != nil {
		return err
	}
	jobs, err := job.New(pool.DB, job.Options{
		Work:         true,
		Sender:       mail.NewSender(cfg, log),
		PollInterval: cfg.JobPollInterval,
		Log:          log.With("component", "jobs"),
	})
	if err != nil {
		return err
	}
	srv, err := web.New(web.Deps{Config: cfg, DB: pool, Catalog: cat, Log: log, SessionCleanup: 15 * time.Minute})
	if err != nil {
		return err
	}

	if err := jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	httpServer := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	failed := make(chan error, 1)
	go func() { failed <- httpServer.ListenAndServe() }()
	log.Info("portal ready", "url", cfg.BaseURL.String(), "listen", cfg.ListenAddr)
	if cfg.Embedded() {
		fmt.Printf("\n  IPA Mission Grants is running at %s  (Ctrl-C stops it)\n\n", cfg.BaseURL)
	}

	select {
	case err := <-failed:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("http shutdown", "error", err)
	}
	if err := jobs.Stop(shutdownCtx); err != nil {
		log.Error("job queue shutdown", "error", err)
	}
	log.Info("stopped")
	return nil
}
