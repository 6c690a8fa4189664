package export_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/export"
	"missiongrants/internal/vote"
)

// The minutes CSV: one row per vote, cells in the reader's words (here the
// keys themselves), the amount as money writes it for files, and text typed
// by people quoted and neutralised.
func TestWriteMinutesCSV(t *testing.T) {
	closed := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	decision := "approved"
	m := vote.Minute{Vote: vote.Vote{ID: 7, ApplicationID: 42, Proposed: -123456, Currency: "USD", Conditions: "=1+1", ClosedAt: &closed, Decision: &decision},
		Title: "Heart, mission", Organization: "Org",
		Outcome: &vote.Record{Result: vote.Result{Eligible: 3, Cast: 2, Approve: 2, QuorumMet: true},
			Ballots: []vote.BallotRecord{{Name: "Ana", Choice: "approve", Comment: "ok"}}, Recused: []string{"Bo"}}}
	var buf bytes.Buffer
	if err := export.WriteMinutesCSV(&buf, []vote.Minute{m, {Vote: vote.Vote{ClosedAt: &closed}}}, func(k string) string { return k }); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(buf.String(), "\ufeff"), "\r\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], `"page.minutes.csv.closed_at","page.minutes.csv.application"`) {
		t.Fatalf("minutes CSV %q", buf.String())
	}
	want := `2026-03-02 14:05,42,"Heart, mission","Org",-1234.56,"USD","'=1+1","board.decision.approved","page.minutes.yes",3,2,2,0,0,"Ana: board.choice.approve (ok)","Bo"`
	if lines[1] != want {
		t.Errorf("row\n%s\nwant\n%s", lines[1], want)
	}
	if !strings.Contains(lines[2], `"page.minutes.no"`) {
		t.Errorf("a vote without a record: %q", lines[2])
	}
}
