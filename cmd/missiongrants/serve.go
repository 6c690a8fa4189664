package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"missiongrants/internal/config"
	"missiongrants/internal/portal"
)

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	pool, stopDB, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopDB()
	a, err := portal.New(ctx, cfg, pool, log, true)
	if err != nil {
		return err
	}
	if cfg.Embedded() {
		if err := seedDemo(ctx, a); err != nil {
			return err
		}
	}
	srv, err := a.Web(15 * time.Minute)
	if err != nil {
		return err
	}

	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	httpServer := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	failed := make(chan error, 2)
	go func() { failed <- httpServer.ListenAndServe() }()
	// Metrics listen apart, on an address the operator keeps internal.
	var metricsServer *http.Server
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", a.Metrics.Handler())
		metricsServer = &http.Server{Addr: cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { failed <- metricsServer.ListenAndServe() }()
		log.Info("metrics ready", "listen", cfg.MetricsAddr)
	}
	log.Info("portal ready", "url", cfg.BaseURL.String(), "listen", cfg.ListenAddr)
	if cfg.Embedded() {
		fmt.Printf("  IPA Mission Grants is running at %s  (Ctrl-C stops it)\n\n", cfg.BaseURL)
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
	if metricsServer != nil {
		_ = metricsServer.Shutdown(shutdownCtx)
	}
	if err := a.Jobs.Stop(shutdownCtx); err != nil {
		log.Error("job queue shutdown", "error", err)
	}
	log.Info("stopped")
	return nil
}
