package field

import (
	"math"
	"strconv"
	"strings"

	"missiongrants/internal/i18n"
)

// Decimal reads a number with a decimal point or comma (people write 2,5
// in Spanish and 2.5 in English; both are accepted in either language), between min and max.
func Decimal(s string, required bool, min, max float64) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		if required {
			return 0, i18n.Msg("error.field.required")
		}
		return 0, nil
	}
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return 0, i18n.Msg("error.number.invalid")
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, i18n.Msg("error.number.invalid")
	}
	if v < min || v > max {
		return 0, i18n.Msg("error.number.range", "Min", min, "Max", max)
	}
	return v, nil
}
