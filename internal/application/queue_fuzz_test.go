package application

import (
	"strings"
	"testing"
	"time"

	"missiongrants/internal/account"
)

// The queue's filters come from the address bar and are written into its
// SQL as quoted literals (queueQuery): whatever is typed, a filter is
// refused or becomes literals that stay literals (quotes balanced, no NUL),
// and a cursor reads back as it was written.
func FuzzQueueFilter(f *testing.F) {
	f.Add("in_review", "3", "HN", "2027-01-01", "2027-12-31", "1,000", "20,000.50", "misión", "2026-03-01T10:00:00Z_7")
	f.Add("", "", "", "", "", "", "", "o'brien\\'; DROP TABLE applications; --", "")
	f.Add("voting' OR 1=1 --", "-1", "H'N", "x", "", "1e9", "", "%_\\", "2026-03-01T10:00:00Z_")
	f.Fuzz(func(t *testing.T, status, round, country, from, to, min, max, search, before string) {
		in := QueueInput{Status: status, Round: round, Country: country, TripFrom: from, TripTo: to,
			AmountMin: min, AmountMax: max, Search: search, Before: before}
		flt, err := in.Filter()
		if err != nil {
			return
		}
		for _, u := range []*account.User{{ID: 1, IsAdmin: true}, {ID: 2, IsBoard: true}} {
			query, _ := queueQuery(u, flt, []int64{1, 2}, time.Unix(0, 0), 25)
			if strings.Count(query, "'")%2 != 0 || strings.ContainsRune(query, 0) {
				t.Fatalf("a filter broke out of its literal: %q", query)
			}
		}
		if flt.Before != nil {
			back, err := ParseCursor(flt.Before.String())
			if err != nil || !back.SubmittedAt.Equal(flt.Before.SubmittedAt) || back.ID != flt.Before.ID {
				t.Fatalf("cursor %q read back as %+v, %v", before, back, err)
			}
		}
	})
}
