// Command loadtest measures the pages people use most, under load, on a
// database seeded the way years of use would leave it, at several scales,
// against a ceiling measured in the same run on the same database:
//
//	go run ./cmd/loadtest                          # 1,000, 10,000 and 100,000 applications
//	go run ./cmd/loadtest -apps 10000 -duration 20s
//
// For each scale it seeds a fresh database (internal/seed), serves the real
// portal (the same wiring as `missiongrants serve`) and the ceiling (a bare
// gin + lib/pq "fortunes" handler, see ceiling.go) on loopback ports, signs
// people in through the login pages, and sends each page from -clients
// concurrent clients for -duration. It prints requests per second, p50 and
// p99 latency, each page's throughput as a share of the ceiling's, the SQL
// statements a page sends, the bytes a first visit transfers (the page and
// its assets) and any other host a page would load from. It checks the
// targets of docs/performance.md and says which are met.
//
// With -database-url (a role that may create databases) it uses that
// server; otherwise it starts a private PostgreSQL cluster of its own,
// durable as in production, and removes it at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	var o options
	apps := flag.String("apps", "1000,10000,100000", "comma-separated numbers of applications to seed, one run each")
	flag.IntVar(&o.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each page is measured")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "how long each page is sent before it is measured")
	flag.StringVar(&o.databaseURL, "database-url", "", "PostgreSQL URL of a role that may create databases (empty: a private cluster)")
	flag.StringVar(&o.out, "out", "", "also write the report (Markdown) to this file")
	flag.StringVar(&o.only, "pages", "", "measure only the pages whose names contain one of these comma-separated words")
	flag.StringVar(&o.profiles, "cpuprofile", "", "write a CPU profile of each page's measured run (portal and clients) into this folder")
	flag.Parse()
	for _, a := range strings.Split(*apps, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(a, "_", "")))
		if err != nil || n < 20 {
			fmt.Fprintf(os.Stderr, "loadtest: -apps: %q is not a number of applications (at least 20)\n", a)
			os.Exit(2)
		}
		o.scales = append(o.scales, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(ctx, o, log); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	scales      []int
	clients     int
	duration    time.Duration
	warmup      time.Duration
	databaseURL string
	out         string
	only        string
	profiles    string
}

// wanted reports whether page name is to be measured.
func (o options) wanted(name string) bool {
	if o.only == "" {
		return true
	}
	for _, w := range strings.Split(o.only, ",") {
		if strings.Contains(name, strings.TrimSpace(w)) {
			return true
		}
	}
	return false
}

func run(ctx context.Context, o options, log *slog.Logger) error {
	server, err := startServer(ctx, o.databaseURL, log)
	if err != nil {
		return err
	}
	defer server.stop()
	var runs []*scaleRun
	for _, n := range o.scales {
		r, err := measureScale(ctx, server, n, o, log)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	report := render(runs, o, machine(server.version))
	fmt.Print(report)
	if o.out != "" {
		return os.WriteFile(o.out, []byte(report), 0o644)
	}
	return nil
}

// machine describes where the figures were measured.
func machine(pgVersion string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s, %d cores, %s %s/%s, PostgreSQL %s, on %s", cpuModel(), runtime.NumCPU(), runtime.Version(),
		runtime.GOOS, runtime.GOARCH, pgVersion, host)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
