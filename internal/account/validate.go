package account

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"missiongrants/internal/i18n"
)

const maxNameLength = 200

// normalizeEmail trims what forms add around an address. Case is kept as
// typed; uniqueness and look-ups ignore it.
func normalizeEmail(s string) string { return strings.TrimSpace(s) }

// validateEmail accepts a bare address with a dotted domain; whether it
// really exists is proven by the confirmation link, not by rules here.
func validateEmail(s string) error {
	if s == "" {
		return i18n.Msg("error.email.required")
	}
	addr, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || addr.Address != s || len(s) > 254 || at < 1 ||
		!strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return i18n.Msg("error.email.invalid")
	}
	return nil
}

func validateName(s string) error {
	if s == "" {
		return i18n.Msg("error.name.required")
	}
	if utf8.RuneCountInString(s) > maxNameLength {
		return i18n.Msg("error.name.too_long", "Max", maxNameLength)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
		return i18n.Msg("error.name.invalid") // invisible characters would let one name pass for another
	}
	return nil
}

func validateLanguage(s string) error {
	if !i18n.Supported(s) {
		return i18n.Msg("error.language.unsupported")
	}
	return nil
}
