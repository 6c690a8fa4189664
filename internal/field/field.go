// Package field holds the checks that every domain's validator shares: free
// text, email addresses, whole numbers and dates, each failing with a message
// a person can read in their language.
package field

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"missiongrants/internal/i18n"
)

// Text checks free text: stored as given (any script, emoji, markup shown as
// text), but within max characters and without control characters other
// than line breaks and tabs.
func Text(s string, required bool, max int) error {
	switch {
	case strings.TrimSpace(s) == "" && required:
		return i18n.Msg("error.field.required")
	case !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		return i18n.Msg("error.field.control_chars")
	case utf8.RuneCountInString(s) > max:
		return i18n.Msg("error.field.too_long", "Max", max)
	}
	return nil
}

// Email checks a bare address.
func Email(s string, required bool) error {
	if s == "" {
		if required {
			return i18n.Msg("error.field.required")
		}
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return i18n.Msg("error.email.invalid")
	}
	return nil
}

// Int reads a whole number between min and max.
func Int(s string, required bool, min, max int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return 0, i18n.Msg("error.field.required")
		}
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, i18n.Msg("error.number.invalid")
	}
	if n < min || n > max {
		return 0, i18n.Msg("error.number.range", "Min", min, "Max", max)
	}
	return n, nil
}

// DateLayout is how dates travel in forms (what <input type=date> sends).
const DateLayout = "2006-01-02"

// Date reads a YYYY-MM-DD date.
func Date(s string, required bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return time.Time{}, i18n.Msg("error.field.required")
		}
		return time.Time{}, nil
	}
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, i18n.Msg("error.date.invalid")
	}
	return d, nil
}

// OneOf checks that s is one of the allowed values.
func OneOf(s string, required bool, allowed ...string) error {
	if s == "" {
		if required {
			return i18n.Msg("error.field.choose")
		}
		return nil
	}
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return i18n.Msg("error.field.choose")
}
