package account_test

import (
	"strings"
	"testing"

	"missiongrants/internal/account"
	"missiongrants/internal/i18n"
)

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, password, email, want string
	}{
		{"empty", "", "", "error.password.too_short"},
		{"nine characters", "tr0mb0ne!", "", "error.password.too_short"},
		{"ten characters", "tr0mb0nes!", "", ""},
		{"characters, not bytes", "ñandúñandú", "", ""},
		{"nine accented characters are short", "ñandúñand", "", "error.password.too_short"},
		{"passphrase", "perfusion pumps at dawn", "", ""},
		{"no character rules", "alllowercaseletters", "", ""},
		{"longest allowed", strings.Repeat("x", account.MaxPasswordLength), "", ""},
		{"too long", strings.Repeat("x", account.MaxPasswordLength+1), "", "error.password.too_long"},
		{"common", "1234567890", "", "error.password.common"},
		{"common, other case", "QwertyUIOP", "", "error.password.common"},
		{"common with spaces around", " iloveyou12 ", "", "error.password.common"},
		{"common word", "basketball", "", "error.password.common"},
		{"is the email", "Ana.Perez@example.org", "ana.perez@example.org", "error.password.is_email"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := account.ValidatePassword(tc.password, tc.email)
			got := ""
			if err != nil {
				m, ok := err.(i18n.Message)
				if !ok {
					t.Fatalf("error %v is not an i18n.Message", err)
				}
				got = m.Key
			}
			if got != tc.want {
				t.Fatalf("ValidatePassword(%q) = %q, want %q", tc.password, got, tc.want)
			}
		})
	}
}

// The shipped list is the real one, not a token sample.
func TestCommonPasswordListIsLarge(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"123456", "password", "dragon", "sunshine", "trustno1", "1qaz2wsx3edc", "starwars"} {
		if !account.IsCommonPassword(pw) {
			t.Errorf("%q is not on the list", pw)
		}
	}
	if account.IsCommonPassword("perfusion pumps at dawn") {
		t.Error("a passphrase is on the list")
	}
}
