package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// The load tool runs end to end on a small database: every page answers,
// and the report names the ceiling, each page and the targets. (Its
// figures are for docs/performance.md, never asserted here.)
func TestLoadToolRunsEveryPage(t *testing.T) {
	testenv.Full(t, "seconds of load on a seeded database")
	o := options{scales: []int{40}, clients: 2, duration: 200 * time.Millisecond, warmup: 50 * time.Millisecond}
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
		"Where PostgreSQL's time went", "## Targets"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	for _, p := range run.pages {
		if p.load.errors > 0 {
			t.Errorf("%s: %d requests failed (%s)", p.name, p.load.errors, p.load.firstErr)
		}
	}
}
