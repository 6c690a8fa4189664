package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"missiongrants/internal/config"
	"missiongrants/internal/portal"
	"missiongrants/internal/web"
)

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	// The address first: a port already taken fails at once, before the
	// database starts and before any demo login is printed.
	listener, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("LISTEN_ADDR=%s: %w", cfg.ListenAddr, err)
	}
	defer listener.Close()
	pool, url, stopDB, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopDB()
	a, err := portal.New(ctx, cfg, pool, portal.Options{Log: log, Work: true, DatabaseURL: url})
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Embedded() {
		if err := seedDemo(ctx, a); err != nil {
			return err
		}
	}
	srv, err := web.New(a, 15*time.Minute)
	if err != nil {
		return err
	}

	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	// conns counts open connections; each closes only after its handler has
	// returned, so waiting for them waits for the requests in flight.
	var conns sync.WaitGroup
	httpServer := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ConnState: func(_ net.Conn, state http.ConnState) {
			switch state {
			case http.StateNew:
				conns.Add(1)
			case http.StateHijacked, http.StateClosed:
				conns.Done()
			}
		},
	}
	failed := make(chan error, 2)
	go func() { failed <- httpServer.Serve(listener) }()
	// Metrics listen apart, on an address the operator keeps internal.
	var metricsServer *http.Server
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", a.Metrics.Handler())
		metricsServer = &http.Server{Addr: cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { failed <- metricsServer.ListenAndServe() }()
		log.Info("metrics ready", "listen", cfg.MetricsAddr)
	}
	log.Info("portal ready", "url", cfg.BaseURL.String(), "listen", listener.Addr().String())
	if cfg.ClamdAddress == "" {
		log.Warn("no virus scanner: uploads are not scanned (set CLAMD_ADDRESS)")
	}
	if cfg.Embedded() {
		fmt.Printf("  IPA Mission Grants is running at http://%s  (Ctrl-C stops it)\n\n", listener.Addr())
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
		// Closing the connections fails stalled requests' reads, so their handlers unwind and roll back before the database goes.
		log.Warn("shutdown timeout: closing the connections of requests still running", "error", err)
		_ = httpServer.Close()
	}
	unwound := make(chan struct{})
	go func() { conns.Wait(); close(unwound) }() // Shutdown returns after the last StateNew, so no Add races this Wait
	select {
	case <-unwound:
	case <-time.After(10 * time.Second):
		log.Error("requests still running after their connections closed; stopping anyway")
	}
	// The jobs get time of their own: the requests may have used up shutdownCtx.
	stopCtx, cancelStop := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelStop()
	if metricsServer != nil {
		_ = metricsServer.Shutdown(stopCtx)
	}
	if err := a.Jobs.Stop(stopCtx); err != nil {
		log.Error("job queue shutdown", "error", err)
	}
	log.Info("stopped")
	return nil
}
