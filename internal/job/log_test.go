package job

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// River's notices (poll-only mode, job counts every minute) are debug
// lines; its warnings still reach an operator at the default level.
func TestRiverInformationIsDebug(t *testing.T) {
	var out bytes.Buffer
	log := riverLogger(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})))
	log.Info("Driver does not support listener; entering poll only mode")
	log.With("queue", "default").Info("producer: Producer job counts", "num_completed_jobs", 0)
	log.Warn("job failed", "attempt", 2)
	if got := out.String(); strings.Contains(got, "poll only") || strings.Contains(got, "job counts") || !strings.Contains(got, "level=WARN msg=\"job failed\"") {
		t.Fatalf("at info level the log reads:\n%s", got)
	}

	out.Reset()
	log = riverLogger(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.Info("Driver does not support listener; entering poll only mode")
	if !strings.Contains(out.String(), "level=DEBUG") {
		t.Fatalf("at debug level the notice is missing:\n%s", out.String())
	}
}
