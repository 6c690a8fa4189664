package field

import (
	"strings"
	"testing"

	"missiongrants/internal/i18n"
)

func key(err error) string {
	if m, ok := err.(i18n.Message); ok {
		return m.Key
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// Text takes any script and emoji; it refuses control characters and the
// characters that reorder what is shown (Trojan Source). Line, for names
// and titles, also refuses line breaks and invisible characters.
func TestTextAndLine(t *testing.T) {
	for _, tc := range []struct {
		in         string
		text, line string // the refusal's key, "" when taken
	}{
		{"Misión Honduras 2027 ❤️", "", ""},
		{"שלום · مرحبا · 你好", "", ""},
		{"Two\nlines", "", "error.field.control_chars"},
		{"a\x00b", "error.field.control_chars", "error.field.control_chars"},
		{"Heart\u202Eevil", "error.field.invisible_chars", "error.field.invisible_chars"}, // right-to-left override
		{"Heart\u2066x\u2069", "error.field.invisible_chars", "error.field.invisible_chars"},
		{"Ana\u200BMaría", "", "error.field.invisible_chars"},   // zero-width space
		{"👨\u200D⚕️ doctor", "", "error.field.invisible_chars"}, // a joiner: fine in a story, not in a name
		{strings.Repeat("a", 201), "error.field.too_long", "error.field.too_long"},
	} {
		if got := key(Text(tc.in, false, 200)); got != tc.text {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
		}
		if got := key(Line(tc.in, false, 200)); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
	}
}
