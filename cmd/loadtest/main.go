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
// people in through the login pages, and has a load generator of its own
// process (this binary with -attack, vegeta as a library; attack.go) send
// the pages:
//
//   - a closed loop of -clients for -duration per page, -runs times, each
//     page between two measurements of the ceiling: throughput, and the
//     CPU a request costs the portal and PostgreSQL, as a share of the
//     ceiling's (its CPU per request over the page's);
//   - at the largest scale, an open loop: each main page at -rate requests
//     a second and a mix of them at -mix-rate, -rate-duration each, -runs
//     times, and each page's capacity, the rate at which its p99 passes
//     100 ms (open.go).
//
// It prints the SQL statements a page sends, the bytes a first visit
// transfers (the page and its assets), any other host a page would load
// from, and the machine's load average beside each run; for the open loop,
// when its slow requests came and what the machine and PostgreSQL did then
// (tail.go). It checks the
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
	"slices"
	"strconv"
	"strings"
	"time"

	"missiongrants/internal/portal"
)

func main() {
	// The load generator's process (attack.go): this binary, started again.
	if len(os.Args) == 2 && os.Args[1] == "-attack" {
		if err := attackerMain(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest -attack:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	apps := flag.String("apps", "1000,10000,100000", "comma-separated numbers of applications to seed, one run each")
	flag.IntVar(&o.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each page (and each measurement of the ceiling) is sent in the closed loop")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "how long each page is sent before it is measured")
	flag.IntVar(&o.runs, "runs", 3, "how many times the closed loop and the open loop are run")
	flag.DurationVar(&o.rateDuration, "rate-duration", 60*time.Second, "how long each rate of the open loop is sent")
	flag.DurationVar(&o.capacityDuration, "capacity-duration", 0, "how long each rate of the capacity search is sent (0: -rate-duration)")
	flag.IntVar(&o.rate, "rate", 50, "the open loop's rate for each main page, requests per second (0: only the mix)")
	flag.IntVar(&o.mixRate, "mix-rate", 300, "the open loop's rate for the mix of the main pages")
	flag.IntVar(&o.capacityFrom, "capacity-from", 100, "the capacity search's first rate, doubled until the p99 passes 100 ms (0: no search)")
	flag.IntVar(&o.capacityTo, "capacity-to", 3200, "the capacity search's highest rate")
	flag.IntVar(&o.compareGOGC, "compare-gogc", 0, "also measure each page at once with this GOGC in the portal's process, for the lever's ratio (0: not)")
	openApps := flag.Int("open-apps", 0, "run the open loop at this scale only (0: the largest of -apps; -1: every scale)")
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
	o.openApps = *openApps
	if o.openApps == 0 {
		o.openApps = slices.Max(o.scales)
	}
	if o.runs < 1 {
		fmt.Fprintln(os.Stderr, "loadtest: -runs must be at least 1")
		os.Exit(2)
	}
	// A measurement of no duration would send nothing (attacker.run).
	if o.duration <= 0 || o.rateDuration <= 0 || o.capacityDuration < 0 || o.warmup < 0 {
		fmt.Fprintln(os.Stderr, "loadtest: -duration and -rate-duration must be more than 0, -warmup and -capacity-duration at least 0")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// The portal served here runs with the binary's garbage collector
	// settings (GOGC=100 in the environment measures Go's default).
	gogc, limit := portal.TuneGC(os.Getenv)
	o.gc = "GOGC=" + gogc + ", GOMEMLIMIT=" + limit
	log.Info("garbage collector", "GOGC", gogc, "GOMEMLIMIT", limit)
	if err := run(ctx, o, log); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	scales       []int
	clients      int
	duration     time.Duration
	warmup       time.Duration
	runs         int
	rateDuration time.Duration
	// capacityDuration is each capacity step's (0: rateDuration).
	capacityDuration time.Duration
	rate             int
	mixRate          int
	capacityFrom     int
	capacityTo       int
	openApps         int // the scale the open loop runs at (-1: every scale)
	databaseURL      string
	out              string
	only             string
	profiles         string
	gc               string // the portal's garbage collector settings, for the report
	compareGOGC      int    // see -compare-gogc
}

// openLoop reports whether the open loop runs at scale apps.
func (o options) openLoop(apps int) bool { return o.openApps < 0 || o.openApps == apps }

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
