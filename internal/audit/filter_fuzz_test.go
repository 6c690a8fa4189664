package audit

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The audit's filters come from the address bar: whatever is typed, a
// filter is refused beside its field or holds only what a person types,
// within bounds (a NUL once answered 500, a 500 KB filter took seconds).
func FuzzAuditFilter(f *testing.F) {
	f.Add("ana", "payment.", "12", "2026-01-01", "2026-12-31", "99")
	f.Add("ana\x00", "x\u202e", "-1", "yesterday", "", "0")
	f.Fuzz(func(t *testing.T, who, what, app, from, to, before string) {
		flt, err := FilterInput{Who: who, What: what, Application: app, From: from, To: to, Before: before}.Filter()
		if err != nil {
			return
		}
		for _, s := range []string{flt.Who, flt.ActionPrefix} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxFilter || strings.ContainsFunc(s, unicode.IsControl) {
				t.Fatalf("filter %q accepted", s)
			}
		}
		if flt.ApplicationID < 0 || flt.Before < 0 || !flt.From.IsZero() && !flt.To.IsZero() && flt.To.Before(flt.From) {
			t.Fatalf("filter %+v accepted", flt)
		}
	})
}
