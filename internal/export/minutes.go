package export

import (
	"io"
	"strconv"
	"strings"

	"missiongrants/internal/money"
	"missiongrants/internal/vote"
)

// minutesColumns name the minutes CSV's columns (page.minutes.csv.KEY).
var minutesColumns = []string{"closed_at", "application", "title", "organization", "proposed", "currency", "conditions",
	"decision", "quorum", "eligible", "cast", "approve", "decline", "abstain", "ballots", "recused"}

// WriteMinutesCSV writes the board's minutes (vote.Minutes) as a
// spreadsheet, one row per vote, in the words t (the reader's catalog)
// gives: every text cell is quoted and neutralised (CSV).
func WriteMinutesCSV(w io.Writer, list []vote.Minute, t func(key string) string) error {
	cw := NewCSV(w)
	header := []Cell{}
	for _, k := range minutesColumns {
		header = append(header, Text(t("page.minutes.csv."+k)))
	}
	cw.Row(header...)
	for _, m := range list {
		rec := m.Outcome
		if rec == nil {
			rec = &vote.Record{}
		}
		var ballots []string
		for _, b := range rec.Ballots {
			entry := b.Name + ": " + t("board.choice."+string(b.Choice))
			if b.Comment != "" {
				entry += " (" + b.Comment + ")"
			}
			ballots = append(ballots, entry)
		}
		decision := ""
		if m.Decision != nil {
			decision = t("board.decision." + *m.Decision)
		}
		quorum := t("page.minutes.no")
		if rec.QuorumMet {
			quorum = t("page.minutes.yes")
		}
		n := func(i int) Cell { return Plain(strconv.Itoa(i)) }
		cw.Row(Plain(m.ClosedAt.UTC().Format("2006-01-02 15:04")), Plain(strconv.FormatInt(m.ApplicationID, 10)),
			Text(m.Title), Text(m.Organization), Plain(money.Decimal(m.Vote.Proposed)), Text(m.Currency),
			Text(m.Conditions), Text(decision), Text(quorum),
			n(rec.Eligible), n(rec.Cast), n(rec.Approve), n(rec.Decline), n(rec.Abstain),
			Text(strings.Join(ballots, "; ")), Text(strings.Join(rec.Recused, "; ")))
	}
	return cw.Flush()
}
