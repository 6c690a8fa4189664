package export_test

import (
	"errors"
	"testing"
	"time"

	"missiongrants/internal/export"
	"missiongrants/internal/i18n"
)

func TestParsePeriod(t *testing.T) {
	today := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	p, err := export.ParsePeriod("", "", today)
	if err != nil || p.From.Format("2006-01-02") != "2026-01-01" || p.To.Format("2006-01-02") != "2026-11-25" {
		t.Fatalf("default period: %+v, %v", p, err)
	}
	p, err = export.ParsePeriod("2026-03-01", "2026-03-31", today)
	if err != nil || p.From.Format("2006-01-02") != "2026-03-01" || p.To.Format("2006-01-02") != "2026-03-31" {
		t.Fatalf("March: %+v, %v", p, err)
	}
	for _, tc := range []struct{ from, to, field string }{
		{"2026-13-01", "", "from"},
		{"", "tomorrow", "to"},
		{"2026-04-01", "2026-03-01", "to"},
		{"2000-01-01", "2026-01-01", "to"}, // more than ten years
	} {
		_, err := export.ParsePeriod(tc.from, tc.to, today)
		var fe i18n.FieldErrors
		if !errors.As(err, &fe) || fe[tc.field].Key == "" || len(fe) != 1 {
			t.Errorf("%q to %q: %v, want an error on %s", tc.from, tc.to, err, tc.field)
		}
	}
}

func TestPeriodLabel(t *testing.T) {
	p := export.Period{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
	if got := p.Label(); got != "2026-01-01-2026-03-31" {
		t.Errorf("Label() = %q", got)
	}
}
