package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) {
	// The load generator is this binary started again (attack.go); under
	// go test, the test binary.
	if len(os.Args) == 2 && os.Args[1] == "-attack" {
		if err := attackerMain(os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	testenv.Main(m)
}

// The load tool runs end to end on a small database: every page answers
// in both loops, the generator runs in its own process, and the report
// names the ceiling, each page's CPU share run by run, the open loop with
// its capacities, the load average and the targets. (Its figures are for
// docs/performance.md, never asserted here.)
func TestLoadToolRunsEveryPage(t *testing.T) {
	testenv.Full(t, "seconds of load on a seeded database")
	o := options{scales: []int{40}, clients: 2, duration: 150 * time.Millisecond, warmup: 50 * time.Millisecond,
		runs: 2, rateDuration: 150 * time.Millisecond, rate: 20, mixRate: 40, capacityFrom: 50, capacityTo: 100, openApps: 40,
		compareGOGC: 100, gc: "GOGC=400"}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	server, err := startServer(ctx, "", log)
	if err != nil {
		t.Fatal(err)
	}
	defer server.stop()
	run, err := measureScale(ctx, server, 40, o, log)
	if err != nil {
		t.Fatal(err)
	}
	report := render([]*scaleRun{run}, o, machine(server.version))
	for _, want := range []string{"ceiling (fortunes)", "| review queue |", "| application page |", "| admin dashboard |",
		"Where PostgreSQL's time went", "Load average", "Open loop at 40 applications", "| mix at 40/s |", "## Targets",
		"The open loop's slow requests",
		"CPU share of", "with GOGC=100 over with GOGC=400"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	var serverCPU time.Duration
	for _, p := range run.pages {
		want := 2
		if p.name == "sign-in (password)" {
			want = 1 // sent in the first run only: the sign-in limit
		}
		if len(p.loads) != want || len(p.shares) != want || len(p.gcRatios) != want {
			t.Errorf("%s: %d runs, %d shares and %d GOGC ratios, want %d", p.name, len(p.loads), len(p.shares), len(p.gcRatios), want)
		}
		for _, m := range p.loads {
			if m.Errors > 0 {
				t.Errorf("%s: %d requests failed (%s)", p.name, m.Errors, m.FirstErr)
			}
			serverCPU += m.server
		}
	}
	if serverCPU == 0 { // in 10 ms ticks: one page's short run may show none
		t.Error("PostgreSQL's CPU was never read")
	}
	if testing.Verbose() {
		t.Log(report)
	}
	if run.open == nil || len(run.open.pages) != 6 {
		t.Fatalf("the open loop measured %+v, want the six main pages", run.open)
	}
	for _, p := range append(run.open.pages, &openPage{name: "mix", runs: run.open.mix}) {
		if len(p.runs) != 2 {
			t.Errorf("open loop, %s: %d runs, want 2", p.name, len(p.runs))
		}
		for _, m := range p.runs {
			if m.Errors > 0 || m.Requests == 0 {
				t.Errorf("open loop, %s: %d answered, %d failed (%s)", p.name, m.Requests, m.Errors, m.FirstErr)
			}
		}
	}
}

// Slow requests close together are one burst, the largest first.
func TestBurstsGroupSlowRequestsSentTogether(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	at := func(ms int, latency time.Duration) slowRequest {
		return slowRequest{At: t0.Add(time.Duration(ms) * time.Millisecond), Latency: latency}
	}
	got := bursts([]slowRequest{at(41000, 30*time.Millisecond), at(5000, 12*time.Millisecond),
		at(41100, 45*time.Millisecond), at(41300, 20*time.Millisecond)})
	if len(got) != 2 {
		t.Fatalf("%d bursts, want 2: %+v", len(got), got)
	}
	if b := got[0]; b.requests != 3 || b.worst != 45*time.Millisecond || !b.from.Equal(t0.Add(41*time.Second)) ||
		!b.to.Equal(t0.Add(41320*time.Millisecond)) {
		t.Errorf("the largest burst is %+v, want the 3 requests from 41 s to 41.32 s, worst 45 ms", b)
	}
	if b := got[1]; b.requests != 1 || !b.from.Equal(t0.Add(5*time.Second)) {
		t.Errorf("the second burst is %+v, want the one request at 5 s", b)
	}
}

// PostgreSQL's log gives the checkpoints, waits for locks and autovacuum's
// work after the offset, with how long each took; other lines are not
// events.
func TestPGEventsAreReadFromTheLog(t *testing.T) {
	before := "2026-12-07 10:00:00.000 UTC [7] LOG:  checkpoint starting: time\n"
	log := before + `2026-12-07 10:00:01.500 UTC [9] LOG:  automatic vacuum of table "lt.public.sessions": index scans: 1
	pages: 0 removed, 40 remain
	system usage: CPU: user: 0.01 s, system: 0.00 s, elapsed: 0.35 s
2026-12-07 10:00:02.000 UTC [12] ERROR:  relation "x" does not exist
2026-12-07 10:00:02.500 UTC [14] LOG:  process 14 still waiting for ShareLock on transaction 981 after 20.113 ms
2026-12-07 10:00:02.500 UTC [14] DETAIL:  Process holding the lock: 15. Wait queue: 14.
2026-12-07 10:00:03.250 UTC [7] LOG:  checkpoint complete: wrote 10 buffers (0.1%); write=1.1 s, sync=0.2 s, total=1.3 s
`
	path := t.TempDir() + "/postgres.log"
	if err := os.WriteFile(path, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	got := readPGEvents(path, int64(len(before)))
	if len(got) != 3 {
		t.Fatalf("%d events, want the vacuum, the wait for a lock and the checkpoint's end: %+v", len(got), got)
	}
	if e := got[0]; !strings.HasPrefix(e.what, "automatic vacuum of table") || !strings.HasSuffix(e.what, ", elapsed 0.35 s") ||
		e.at.Format(time.TimeOnly) != "10:00:01" {
		t.Errorf("the first event is %+v, want the vacuum at 10:00:01 with its 0.35 s", e)
	}
	if e := got[1]; !strings.HasPrefix(e.what, "process 14 still waiting for ShareLock") {
		t.Errorf("the second event is %+v, want the wait for a lock", e)
	}
	if e := got[2]; !strings.HasPrefix(e.what, "checkpoint complete") {
		t.Errorf("the third event is %+v, want the checkpoint's end", e)
	}
}

// A PostgreSQL process that ends while the machine is watched takes its
// time with it; the ones left are counted, never a negative share.
func TestWatchedServerShareSurvivesAProcessEnding(t *testing.T) {
	now := time.Now()
	a := machineSample{at: now, total: 1000, cpu: sample{server: map[int]int64{1: 100, 2: 5000}}}
	b := machineSample{at: now.Add(sampleEvery), total: 1100, cpu: sample{server: map[int]int64{1: 110, 3: 20}}}
	if got := between([]machineSample{a, b}).server; got != 0.30 {
		t.Fatalf("PostgreSQL's share: %v, want 0.30 (10 ticks of one process, 20 of one begun, of 100)", got)
	}
}
