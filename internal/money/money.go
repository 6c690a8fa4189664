// Package money keeps amounts exact: integer cents, parsed from what a person
// types and formatted for their language. Never a float.
package money

import (
	"strconv"
	"strings"
	"unicode"

	"missiongrants/internal/i18n"
)

// Cents is an amount in the smallest unit of its currency (USD cents).
type Cents int64

// Max is the largest amount the portal accepts anywhere: a billion dollars,
// far above any mission grant, and far below where sums of many amounts could
// overflow int64.
const Max Cents = 1_000_000_000_00

// Currency is an ISO 4217 code; the portal works in USD unless told otherwise.
type Currency string

// USD is the default currency.
const USD Currency = "USD"

// Errors of Parse, as messages a person can read in their language.
var (
	ErrEmpty    = i18n.Msg("error.money.empty")
	ErrInvalid  = i18n.Msg("error.money.invalid")
	ErrNegative = i18n.Msg("error.money.negative")
	ErrTooLarge = i18n.Msg("error.money.too_large", "Max", "1,000,000,000")
	// ErrAmbiguous: "1.234" in English, "1,234" in Spanish, "0.001": cents
	// or thousands? The message shows how to write an amount in the
	// person's language.
	ErrAmbiguous = i18n.Msg("error.money.ambiguous")
)

// Parse reads an amount as a person whose language is lang types it:
// "1,234.56", "1.234,56", "1234", "$ 1 234,5", "1234.5". A separator
// followed by one or two digits is the decimal mark, and separators every
// three digits group thousands, whatever the language, so both languages'
// habits are read. The one ambiguous case, a single separator followed by
// three digits, is read by lang's habit when the separator groups thousands
// there ("1,234" in English, "1.234" in Spanish) and refused when it is
// lang's decimal mark ("1.234" in English): cents or thousands? Negative
// amounts are refused: a refund is its own entry.
func Parse(s, lang string) (Cents, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "US$"), "$")
	s = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(s, "USD")), "$")
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "USD"))
	if s == "" {
		return 0, ErrEmpty
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "(") {
		return 0, ErrNegative
	}
	// Drop spaces (including non-breaking) and apostrophes used as groupings.
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\'' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if i := strings.IndexAny(s, ".,"); i >= 0 && i == strings.LastIndexAny(s, ".,") && len(s)-i-1 == 3 {
		if s[i] == decimalMark(lang) || strings.TrimLeft(s[:i], "0") == "" {
			return 0, ErrAmbiguous // "1.234" in English; "0,001" or "0.001"
		}
	}
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 <= 2 && len(s)-i-1 >= 1 {
		whole, frac = s[:i], s[i+1:]
	} else if i >= 0 && i == len(s)-1 {
		return 0, ErrInvalid
	}
	if strings.ContainsAny(frac, ".,") {
		return 0, ErrInvalid
	}
	whole, err := stripGroups(whole)
	if err != nil {
		return 0, err
	}
	if whole == "" {
		whole = "0"
	}
	if !allDigits(whole) || !allDigits(frac) {
		return 0, ErrInvalid
	}
	if len(whole) > 10 {
		return 0, ErrTooLarge
	}
	units, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	var cents int64
	switch len(frac) {
	case 1:
		cents = int64(frac[0]-'0') * 10
	case 2:
		cents = int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	c := Cents(units*100 + cents)
	if c > Max {
		return 0, ErrTooLarge
	}
	return c, nil
}

// decimalMark is lang's decimal separator.
func decimalMark(lang string) byte {
	if lang == "es" {
		return ','
	}
	return '.'
}

// stripGroups removes thousands separators, which must come every three
// digits ("1,234,567" but not "12,34").
func stripGroups(s string) (string, error) {
	if !strings.ContainsAny(s, ".,") {
		return s, nil
	}
	sep := ","
	if strings.Contains(s, ".") {
		sep = "."
	}
	if strings.Contains(s, ",") && strings.Contains(s, ".") {
		return "", ErrInvalid
	}
	parts := strings.Split(s, sep)
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return "", ErrInvalid
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return "", ErrInvalid
		}
	}
	return strings.Join(parts, ""), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Format writes c for lang, with the currency: "US$1,234.56" in English,
// "US$1.234,56" in Spanish (as used across Latin America and Spain alike,
// this is unambiguous next to the code).
func Format(c Cents, cur Currency, lang string) string {
	if cur == "" {
		cur = USD
	}
	neg := c < 0
	if neg {
		c = -c
	}
	units, cents := int64(c/100), int64(c%100)
	group, decimal := ",", "."
	if lang == "es" {
		group, decimal = ".", ","
	}
	digits := strconv.FormatInt(units, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	sign := ""
	if neg {
		sign = "-"
	}
	prefix := string(cur) + " "
	if cur == USD {
		prefix = "US$"
	}
	return sign + prefix + b.String() + decimal + pad2(cents)
}

// Input writes c the way Parse reads it back in lang, for a form field.
func Input(c Cents, lang string) string {
	s := Format(c, USD, lang)
	return strings.TrimPrefix(s, "US$")
}

// Decimal writes c as a plain number with two decimals, "1234.56" or
// "-1234.56", whatever the language: for files that programs read (CSV).
func Decimal(c Cents) string {
	sign, v := "", int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + pad2(v%100)
}

// Units is c in whole units (dollars), for a spreadsheet's number cell,
// which shows it with two decimals.
func Units(c Cents) float64 { return float64(c) / 100 }

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// Sum adds amounts, refusing a total beyond Max instead of overflowing.
func Sum(amounts ...Cents) (Cents, error) {
	var total Cents
	for _, a := range amounts {
		if a < 0 || a > Max || total > Max-a {
			return 0, ErrTooLarge
		}
		total += a
	}
	return total, nil
}
