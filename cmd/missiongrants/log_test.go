package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestJSONLogDurationsReadAsDurations(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: readableDuration}))
	log.Info("request", "took", 1500*time.Millisecond)
	if !strings.Contains(out.String(), `"took":"1.5s"`) {
		t.Fatalf("log line: %s", out.String())
	}
}
