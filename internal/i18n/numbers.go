package i18n

import "strings"

// Decimal writes a decimal number given with a point ("3.80") as a reader
// of lang writes it: "3.80" in English, "3,80" in Spanish.
func Decimal(lang, s string) string {
	if lang == "es" {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}
