package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
	"github.com/pquerna/otp/totp"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"missiongrants/internal/config"
	"missiongrants/internal/db"
	"missiongrants/internal/devdb"
	"missiongrants/internal/portal"
	"missiongrants/internal/seed"
	"missiongrants/internal/web"
	"missiongrants/migrations"
)

// The demo accounts the load signs in as, beside the seeded people who
// share their password and second factor (see internal/seed).
const (
	demoAdmin          = "admin@demo.missiongrants.test"
	demoStaff          = "staff@demo.missiongrants.test"
	demoAdminPassword  = "demo-admin-passphrase"
	demoAdminTOTP      = "DEMOADMINTOTPSECRETAAAAAAAAAAAAA"
	demoStaffPassword  = "demo-staff-passphrase"
	demoStaffTOTP      = "DEMOSTAFFTOTPSECRETCCCCCCCCCCCCC"
	demoBoardPassword  = "demo-board-passphrase"
	demoBoardTOTP      = "DEMOBOARDTOTPSECRETBBBBBBBBBBBBB"
	applicantPassword  = "demo-applicant-passphrase"
	boardSize          = 12 // board members seeded
	reviewsPerApp      = 5
	openAppsForReading = 200 // the application pages read in turn
)

// dbServer is where the scales' databases live.
type dbServer struct {
	url     func(name string) string
	cluster *devdb.Cluster
	version string
	cpu     cpuMeter
}

func startServer(ctx context.Context, adminURL string, log *slog.Logger) (*dbServer, error) {
	s := &dbServer{}
	if adminURL != "" {
		u, err := url.Parse(adminURL)
		if err != nil {
			return nil, fmt.Errorf("-database-url: %w", err)
		}
		s.url = func(name string) string { c := *u; c.Path = "/" + name; return c.String() }
	} else {
		dir := filepath.Join("/var/tmp", fmt.Sprintf("missiongrants-loadtest-%d", os.Getpid()))
		log.Info("starting a private PostgreSQL cluster", "dir", dir)
		c, err := devdb.Start(ctx, devdb.Options{Dir: dir, Durable: true, Settings: statementSettings})
		if err != nil {
			return nil, err
		}
		s.cluster, s.url, s.cpu = c, c.URL, newCPUMeter(c.DataDir())
	}
	pool, err := db.Open(ctx, s.url("postgres"))
	if err != nil {
		s.stop()
		return nil, err
	}
	defer pool.Close()
	if err := pool.GetContext(ctx, &s.version, `SHOW server_version`); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// logFile is the private cluster's log ("": the server is elsewhere).
func (s *dbServer) logFile() string {
	if s.cluster == nil {
		return ""
	}
	return s.cluster.LogFile()
}

func (s *dbServer) stop() {
	if s.cluster != nil {
		_ = s.cluster.Remove()
	}
}

// fresh is an empty database for one scale.
func (s *dbServer) fresh(ctx context.Context, name string) (string, error) {
	admin, err := db.Open(ctx, s.url("postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		return "", err
	}
	return s.url(name), nil
}

// scaleRun is one scale's measurements.
type scaleRun struct {
	apps    int
	seeded  time.Duration
	runs    []closedRun
	pages   []*pageResult
	ceiling *pageResult // the first run's first ceiling, for the table
	open    *openLoop   // nil: the open loop was not run at this scale
}

// closedRun is one pass of the closed loop over every page, each between
// two measurements of the ceiling, and the load average around it.
type closedRun struct {
	loadBefore, loadAfter string
	ceilings              []measurement
}

// pageResult is one page: how it answered alone, then under load, run by
// run.
type pageResult struct {
	name, path string
	clients    int
	statements int64 // SQL statements of one request (-1: not counted)
	bytes      int64 // the page and the assets it loads, on a first visit
	external   []string
	loads      []measurement  // one per run of the closed loop (only the first for a page sent once)
	shares     []float64      // the ceiling's CPU per request over the page's, run by run
	top        []topStatement // where PostgreSQL's time went, in the first run
	gcRatios   []float64      // with -compare-gogc: CPU per request at that GOGC over the run's own, run by run
}

// load is the page's first run, whose throughput and latency are shown.
func (p *pageResult) load() measurement {
	if len(p.loads) == 0 {
		return measurement{}
	}
	return p.loads[0]
}

// cpu is the median CPU per request over the runs.
func (p *pageResult) cpu() time.Duration {
	var d []time.Duration
	for _, m := range p.loads {
		d = append(d, m.cpuPerRequest())
	}
	return median(d)
}

// share is the median of the runs' CPU shares.
func (p *pageResult) share() float64 {
	return median(append([]float64(nil), p.shares...))
}

func median[T int | float64 | time.Duration](v []T) T {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// measureScale seeds n applications into a fresh database, serves the
// portal and the ceiling, signs people in and measures every page.
func measureScale(ctx context.Context, server *dbServer, n int, o options, log *slog.Logger) (*scaleRun, error) {
	log.Info("seeding", "applications", n)
	dbURL, err := server.fresh(ctx, fmt.Sprintf("loadtest_%d", n))
	if err != nil {
		return nil, err
	}
	pool, err := db.OpenCounting(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if err := migrations.Up(ctx, pool.DB); err != nil {
		return nil, err
	}
	var stats *statementStats // only on the private cluster, which loads the extension
	if server.cluster != nil {
		if stats, err = newStatementStats(ctx, pool); err != nil {
			return nil, err
		}
	}

	portalLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + portalLn.Addr().String()
	env := map[string]string{
		"DATABASE_URL":    dbURL,
		"BASE_URL":        base,
		"TRUSTED_PROXIES": "127.0.0.1", // the load tool is the proxy: it says which address each person is at
		"DATA_DIR":        filepath.Join(os.TempDir(), fmt.Sprintf("missiongrants-loadtest-%d", os.Getpid())),
		"LOG_LEVEL":       "error",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(env["DATA_DIR"])
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	p, err := portal.New(ctx, cfg, pool, portal.Options{Log: quiet, DatabaseURL: dbURL})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	if _, err := p.Accounts.SeedDemo(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	vol, err := seed.Seed(ctx, pool, seed.Options{Applications: n, PerApp: reviewsPerApp, Board: boardSize})
	if err != nil {
		return nil, err
	}
	run := &scaleRun{apps: n, seeded: time.Since(start)}
	log.Info("seeded", "applications", n, "took", run.seeded.Round(time.Second))

	web, err := web.New(p, 0) // from here on, web is the server, not the package
	if err != nil {
		return nil, err
	}
	portalSrv := &http.Server{Handler: timed(web.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = portalSrv.Serve(portalLn) }()
	defer portalSrv.Close()

	bare, err := db.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer bare.Close()
	if err := createFortunes(ctx, bare); err != nil {
		return nil, err
	}
	ceilLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ceilSrv := &http.Server{Handler: ceiling(bare), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = ceilSrv.Serve(ceilLn) }()
	defer ceilSrv.Close()

	pages, err := plan(ctx, base, vol, o.clients)
	if err != nil {
		return nil, err
	}
	gen, err := startAttacker(ctx)
	if err != nil {
		return nil, err
	}
	defer gen.stop()
	anon := newVisitor("http://" + ceilLn.Addr().String())
	fortunes := attackSpec{Targets: []vegeta.Target{anon.target(http.MethodGet, "/fortunes", nil)}, Workers: o.clients,
		Duration: o.duration, Want: http.StatusOK}
	ceilingRun := func() (measurement, error) {
		m, err := hammer(gen, server.cpu, fortunes)
		if err == nil && m.Requests == 0 {
			err = fmt.Errorf("the ceiling: no request succeeded (%s)", m.FirstErr)
		}
		return m, err
	}
	warm := fortunes
	warm.Duration = o.warmup
	if _, err := gen.run(warm); err != nil {
		return nil, err
	}
	for _, pg := range pages {
		if !o.wanted(pg.name) {
			continue
		}
		r := &pageResult{name: pg.name, path: pg.path, clients: pg.clients, statements: -1}
		if pg.probe != nil {
			path := cmp.Or(pg.probePath, pg.path)
			if r.statements, r.bytes, r.external, err = measure(ctx, web.Handler(), pg.probe, path); err != nil {
				return nil, fmt.Errorf("%s: %w", pg.name, err)
			}
		}
		run.pages = append(run.pages, r)
	}

	// The closed loop, o.runs times: the ceiling, then each page followed
	// by the ceiling again, so that every page's CPU share is taken against
	// the ceiling measured just before and just after it.
	for i := range o.runs {
		cr := closedRun{loadBefore: loadAverage()}
		c, err := ceilingRun()
		if err != nil {
			return nil, err
		}
		cr.ceilings = append(cr.ceilings, c)
		if i == 0 {
			run.ceiling = &pageResult{name: "ceiling (fortunes)", path: "/fortunes", clients: o.clients, statements: 1, loads: []measurement{c}}
		}
		k := 0
		for _, pg := range pages {
			if !o.wanted(pg.name) {
				continue
			}
			r := run.pages[k]
			k++
			if pg.once && i > 0 {
				continue
			}
			spec := attackSpec{Targets: pg.targets, Once: pg.once, Workers: pg.clients, Duration: o.warmup, Want: pg.want}
			if pg.once {
				spec.Targets = pg.warm
			}
			if _, err := gen.run(spec); err != nil {
				return nil, err
			}
			if i == 0 {
				if err := stats.reset(ctx); err != nil {
					return nil, err
				}
			}
			stop, err := o.profile(n, pg.name)
			if err != nil {
				return nil, err
			}
			spec.Targets, spec.Duration = pg.targets, o.duration
			m, err := hammer(gen, server.cpu, spec)
			stop()
			if err != nil {
				return nil, err
			}
			if i == 0 {
				if r.top, err = stats.top(ctx, 4); err != nil {
					return nil, err
				}
			}
			if m.Requests == 0 {
				return nil, fmt.Errorf("%s: no request succeeded (%s)", pg.name, m.FirstErr)
			}
			if o.compareGOGC != 0 {
				// The GOGC lever, measured in the same run: the page again,
				// at once, with the other setting (the portal's process).
				was := debug.SetGCPercent(o.compareGOGC)
				alt, err := hammer(gen, server.cpu, spec)
				debug.SetGCPercent(was)
				if err != nil {
					return nil, err
				}
				r.gcRatios = append(r.gcRatios, float64(alt.cpuPerRequest())/float64(m.cpuPerRequest()))
			}
			after, err := ceilingRun()
			if err != nil {
				return nil, err
			}
			before := cr.ceilings[len(cr.ceilings)-1]
			cr.ceilings = append(cr.ceilings, after)
			r.loads = append(r.loads, m)
			r.shares = append(r.shares, float64(before.cpuPerRequest()+after.cpuPerRequest())/2/float64(m.cpuPerRequest()))
			log.Info("measured", "run", i+1, "page", r.name, "rps", int(m.rps()), "cpu_ms", fmt.Sprintf("%.3f", float64(m.cpuPerRequest().Microseconds())/1000),
				"share", fmt.Sprintf("%.3f", r.shares[len(r.shares)-1]), "errors", m.Errors)
		}
		cr.loadAfter = loadAverage()
		run.runs = append(run.runs, cr)
	}
	if o.openLoop(n) {
		if run.open, err = measureOpen(gen, server, pages, o, log); err != nil {
			return nil, err
		}
	}
	return run, nil
}

// page is one page to measure and how to ask for it.
type page struct {
	name, path string
	probePath  string // what the probe reads, when path names many pages
	clients    int
	want       int
	main       bool     // one of the main pages: latency at an offered load, and in the mix
	probe      *visitor // who reads it once to count statements and bytes (nil: not read alone)
	targets    []vegeta.Target
	once       bool            // each target sent once at most, and only in the first run
	warm       []vegeta.Target // the warm-up's targets, when once
}

// plan signs the people in and lists the pages. Board members and admins
// share sessions between requests, as one person's tabs do; every charity's
// requests come from a different charity.
func plan(ctx context.Context, base string, vol *seed.Volume, clients int) ([]page, error) {
	var board, admins, charities []*visitor
	for i, email := range vol.BoardEmail {
		v, err := signIn(ctx, base, email, demoBoardPassword, demoBoardTOTP, i)
		if err != nil {
			return nil, err
		}
		board = append(board, v)
	}
	for i, who := range [][3]string{{demoAdmin, demoAdminPassword, demoAdminTOTP}, {demoStaff, demoStaffPassword, demoStaffTOTP}} {
		v, err := signIn(ctx, base, who[0], who[1], who[2], 100+i)
		if err != nil {
			return nil, err
		}
		admins = append(admins, v)
	}
	for i := range min(clients, len(vol.Applicants)) {
		v, err := signIn(ctx, base, vol.Applicants[i], applicantPassword, "", 200+i)
		if err != nil {
			return nil, err
		}
		charities = append(charities, v)
	}
	if len(vol.Open) < 1 {
		return nil, errors.New("the seed made no application before the board")
	}
	open := vol.Open[:min(len(vol.Open), openAppsForReading)]
	anon := newVisitor(base)
	// A filter that fills a page at every size: with a country too it listed
	// 7 rows at 1,000 applications and 25 at 100,000, so its slope measured
	// the rows drawn, not the data walked.
	filtered := "/board/applications?mine=review&status=in_review&amount_min=1000"
	searched := "/board/applications?q=" + url.QueryEscape(vol.Titles[0])
	deep := "/board/applications?before=" + url.QueryEscape(vol.Deep.String())
	year := time.Now().Year()
	export := fmt.Sprintf("/admin/exports/applications.csv?from=%d-01-01&to=%d-12-31", year-1, year-1)

	// Sign-in checks a password (argon2id, deliberately slow) and counts
	// the attempt against the account and the address: each request is a
	// charity at an address of its own, and each charity signs in at most
	// 8 times in all (warm-up included), under the limit of 10 in 15
	// minutes. So it is sent in the first run only.
	csrfToken := strings.Repeat("l", 43)
	var signIns []vegeta.Target
	for k := 1; k <= len(vol.Applicants)*8; k++ {
		v := newVisitor(base)
		v.ip = fmt.Sprintf("10.%d.%d.%d", k>>16&255, k>>8&255, k&255)
		v.cookies["mg_csrf"] = csrfToken
		signIns = append(signIns, v.target(http.MethodPost, "/login", url.Values{"csrf_token": {csrfToken},
			"email": {vol.Applicants[k%len(vol.Applicants)]}, "password": {applicantPassword}}))
	}
	warmSignIns := len(vol.Applicants)
	getAs := func(vs []*visitor, paths ...string) []vegeta.Target {
		var out []vegeta.Target
		for i := range max(len(vs), len(paths)) {
			out = append(out, vs[i%len(vs)].target(http.MethodGet, paths[i%len(paths)], nil))
		}
		return out
	}
	var apps []string
	for _, id := range open {
		apps = append(apps, fmt.Sprintf("/applications/%d", id))
	}
	return []page{
		{name: "login page", path: "/login", clients: clients, want: http.StatusOK, probe: anon, targets: getAs([]*visitor{anon}, "/login")},
		{name: "sign-in (password)", path: "POST /login", clients: clients, want: http.StatusSeeOther, once: true,
			warm: signIns[:warmSignIns], targets: signIns[warmSignIns:]},
		{name: "charity home", path: "/dashboard", clients: clients, want: http.StatusOK, main: true, probe: charities[0], targets: getAs(charities, "/dashboard")},
		{name: "review queue", path: "/board/applications", clients: clients, want: http.StatusOK, main: true, probe: board[0], targets: getAs(board, "/board/applications")},
		{name: "review queue, filtered", path: filtered, clients: clients, want: http.StatusOK, main: true, probe: board[0], targets: getAs(board, filtered)},
		{name: "review queue, searched", path: searched, clients: clients, want: http.StatusOK, main: true, probe: board[0], targets: getAs(board, searched)},
		{name: "review queue, 90% down", path: deep, clients: clients, want: http.StatusOK, probe: board[0], targets: getAs(board, deep)},
		{name: "application page", path: "/applications/{id}", probePath: fmt.Sprintf("/applications/%d", vol.Busy), clients: clients, want: http.StatusOK,
			main: true, probe: board[0], targets: getAs(board, apps...)},
		// Every accepted report's trip, judged and placed on the funnel plot (the seed's case mixes).
		{name: "outcomes page", path: "/board/outcomes", clients: 4, want: http.StatusOK, probe: board[0], targets: getAs(board, "/board/outcomes")},
		{name: "admin dashboard", path: "/admin/dashboard", clients: clients, want: http.StatusOK, main: true, probe: admins[0], targets: getAs(admins, "/admin/dashboard")},
		{name: "export (a year's applications, CSV)", path: export, clients: 4, want: http.StatusOK, probe: admins[0], targets: getAs(admins, export)},
	}, nil
}

// signIn logs a person in through the pages, with their second factor
// when they have one; addr makes their address distinct.
func signIn(ctx context.Context, base, email, password, totpSecret string, addr int) (*visitor, error) {
	v := newVisitor(base)
	v.ip = fmt.Sprintf("192.168.%d.%d", addr/250, 1+addr%250)
	if _, err := v.step(ctx, http.MethodGet, "/login", nil); err != nil {
		return nil, err
	}
	status, err := v.step(ctx, http.MethodPost, "/login", url.Values{"csrf_token": {v.cookies["mg_csrf"]}, "email": {email}, "password": {password}})
	if err != nil || status != http.StatusSeeOther {
		return nil, fmt.Errorf("signing in as %s: %d %v", email, status, err)
	}
	if totpSecret != "" {
		code, err := totp.GenerateCode(totpSecret, time.Now())
		if err != nil {
			return nil, err
		}
		status, err := v.step(ctx, http.MethodPost, "/login/code", url.Values{"csrf_token": {v.cookies["mg_csrf"]}, "code": {code}})
		if err != nil || status != http.StatusSeeOther {
			return nil, fmt.Errorf("second factor of %s: %d %v", email, status, err)
		}
	}
	v.ip = "" // later requests come from the proxy's own address
	return v, nil
}

var (
	assetRef    = regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`)
	externalRef = regexp.MustCompile(`(?:href|src|action|poster|srcset)\s*=\s*["']?(?:https?:)?//([^/"'\s>]+)|url\(\s*["']?(?:https?:)?//([^/"')]+)`)
)

// measure reads path as v, straight through the portal's handler so that
// its statements can be counted: the statements, the bytes a first visit
// transfers (the page, then each asset it names, once) and the other hosts
// it names. The page is read twice and the second counted, as the load
// reads it: what the process keeps between requests (the queue's round
// filter) is read at the first only.
func measure(ctx context.Context, h http.Handler, v *visitor, path string) (int64, int64, []string, error) {
	var statements atomic.Int64
	serve := func(path string) ([]byte, error) {
		req, err := v.request(db.CountStatements(ctx, &statements), http.MethodGet, path, nil)
		if err != nil {
			return nil, err
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.Bytes(), nil
	}
	if _, err := serve(path); err != nil {
		return 0, 0, nil, err
	}
	statements.Store(0)
	body, err := serve(path)
	if err != nil {
		return 0, 0, nil, err
	}
	counted, total := statements.Load(), int64(len(body))
	var hosts []string
	seen := map[string]bool{}
	check := func(b []byte) {
		for _, m := range externalRef.FindAllSubmatch(b, -1) {
			h := string(m[1]) + string(m[2])
			if !seen[h] {
				seen[h] = true
				hosts = append(hosts, h)
			}
		}
	}
	check(body)
	if !strings.HasPrefix(path, "/admin/exports/") {
		for _, m := range assetRef.FindAllSubmatch(body, -1) {
			if seen[string(m[1])] {
				continue
			}
			seen[string(m[1])] = true
			asset, err := serve(string(m[1]))
			if err != nil {
				return 0, 0, nil, err
			}
			total += int64(len(asset))
			check(asset)
		}
	}
	return counted, total, hosts, nil
}

// profile starts a CPU profile of one page at one scale when asked to; the
// returned func stops it.
func (o options) profile(apps int, page string) (func(), error) {
	if o.profiles == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(o.profiles, 0o755); err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%d-%s.pprof", apps, strings.NewReplacer(" ", "_", "(", "", ")", "", ",", "", "'", "").Replace(page))
	f, err := os.Create(filepath.Join(o.profiles, name))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
