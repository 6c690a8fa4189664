package export

import (
	"strings"
	"time"

	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
)

// Period is the span of days an export or the minutes cover, both
// included (UTC midnights).
type Period struct {
	From, To time.Time
}

// MaxDays bounds one period.
const MaxDays = 3660

// ParsePeriod reads a period's from and to as typed (YYYY-MM-DD); an empty
// from is the first day of today's year, an empty to is today. A period
// that ends before it begins, or spans more than MaxDays, is refused on to.
func ParsePeriod(from, to string, today time.Time) (Period, error) {
	y, m, d := today.UTC().Date()
	p := Period{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	fe := i18n.FieldErrors{}
	if strings.TrimSpace(from) != "" {
		t, err := field.Date(from, false)
		fe.Add("from", err)
		p.From = t
	}
	if strings.TrimSpace(to) != "" {
		t, err := field.Date(to, false)
		fe.Add("to", err)
		p.To = t
	}
	if len(fe) == 0 && (p.To.Before(p.From) || p.To.Sub(p.From) > MaxDays*24*time.Hour) {
		fe["to"] = i18n.Msg("error.minutes.period")
	}
	return p, fe.Err()
}

// Label names the period in a file name: 2026-01-01-2026-12-31.
func (p Period) Label() string {
	return p.From.Format(time.DateOnly) + "-" + p.To.Format(time.DateOnly)
}

// bounds is the half-open range of instants the period covers.
func (p Period) bounds() (time.Time, time.Time) { return p.From, p.To.AddDate(0, 0, 1) }
