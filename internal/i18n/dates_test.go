package i18n

import (
	"testing"
	"time"
)

// A date names its month from the reader's catalog, and a moment always
// shows its zone, converted to the one asked for.
func TestDatesReadInTheReadersLanguage(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	moment := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	for _, lang := range Languages {
		want := c.T(lang, "date.day", "Day", 1, "Month", c.T(lang, "date.month.dec"), "Year", 2026)
		if got := c.Date(lang, moment); got != want {
			t.Errorf("%s: Date = %q, want %q", lang, got, want)
		}
		if got, want := c.DateTime(lang, moment, time.UTC), c.T(lang, "date.time", "Date", want, "Time", "18:00", "Zone", "UTC"); got != want {
			t.Errorf("%s: DateTime = %q, want %q", lang, got, want)
		}
	}
	// Every month has a name of its own in every language.
	for _, lang := range Languages {
		seen := map[string]bool{}
		for _, key := range monthKeys {
			name := c.T(lang, key)
			if name == key || seen[name] {
				t.Errorf("%s: month %s reads %q", lang, key, name)
			}
			seen[name] = true
		}
	}
	// The day is the one in the zone asked for: 02:00 UTC is the evening before in Honduras.
	tegucigalpa := time.FixedZone("CST", -6*3600)
	if got, want := c.DateTime("en", time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC), tegucigalpa), c.T("en", "date.time", "Date", c.Date("en", moment), "Time", "20:00", "Zone", "CST"); got != want {
		t.Errorf("DateTime in CST = %q, want %q", got, want)
	}
}

// A letter is dated in full, as each language writes it.
func TestLongDate(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "5 December 2026", "es": "5 de diciembre de 2026"} {
		if got := c.LongDate(lang, day); got != want {
			t.Errorf("LongDate(%s) = %q, want %q", lang, got, want)
		}
	}
}
