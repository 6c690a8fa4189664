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
//
// Nor the characters that reorder text as it is shown (bidi embeddings,
// overrides and isolates), which make a text read otherwise than it is.
func Text(s string, required bool, max int) error {
	switch {
	case strings.TrimSpace(s) == "" && required:
		return i18n.Msg("error.field.required")
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		return i18n.Msg("error.field.control_chars")
	case strings.ContainsFunc(s, bidiControl):
		return i18n.Msg("error.field.invisible_chars")
	case utf8.RuneCountInString(s) > max:
		return i18n.Msg("error.field.too_long", "Max", max)
	}
	return nil
}

// Line checks a one-line text that names someone or something (a person,
// a charity, a title, a search): Text, with no line breaks or tabs and no
// invisible characters (zero-width spaces and joiners, bidi marks), with
// which two names that read the same would differ, or one would read as
// another.
func Line(s string, required bool, max int) error {
	if err := Text(s, required, max); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\n\r\t") {
		return i18n.Msg("error.field.control_chars")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) {
		return i18n.Msg("error.field.invisible_chars")
	}
	return nil
}

// bidiControl is a character that reorders the text around it as shown:
// the embeddings, overrides and isolates (not the plain marks LRM and RLM).
func bidiControl(r rune) bool { return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 }

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
