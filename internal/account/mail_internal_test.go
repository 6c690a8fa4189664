package account

import (
	"strings"
	"testing"
	"time"

	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/templates"
)

// Every account mail renders in every language with no key left untranslated.
func TestMailTemplatesRenderInEveryLanguage(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	c, err := mail.NewComposer(templates.FS, cat)
	if err != nil {
		t.Fatal(err)
	}
	data := expiry(mailData{
		Name: "Ana", Link: "https://grants.example.org/x?token=abc", LoginLink: "https://grants.example.org/login",
		ForgotLink: "https://grants.example.org/password/forgot", Inviter: "Ida", RoleKey: "mail.invitation.role_admin_board",
	}, 7*24*time.Hour)
	for _, name := range []string{"account_confirm", "account_exists", "password_reset", "password_changed", "invitation", "email_change", "account_deactivated"} {
		for _, lang := range i18n.Languages {
			m, err := c.Compose(lang, name, "ana@example.org", data)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			for _, part := range []string{m.Subject, m.Text, m.HTML} {
				if strings.Contains(part, "mail.") || strings.Contains(part, "<no value>") {
					t.Errorf("%s/%s has an untranslated key or missing value: %q", name, lang, part)
				}
			}
			if !strings.Contains(m.Text, "Ana") {
				t.Errorf("%s/%s does not greet the person", name, lang)
			}
		}
	}
}

func TestExpiryReadsInDaysOrHours(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ttl   time.Duration
		key   string
		count int
	}{
		{time.Hour, "mail.account.link_expiry_hours", 1},
		{24 * time.Hour, "mail.account.link_expiry_hours", 24},
		{48 * time.Hour, "mail.account.link_expiry_days", 2},
		{7 * 24 * time.Hour, "mail.account.link_expiry_days", 7},
	}
	for _, tc := range cases {
		if d := expiry(mailData{}, tc.ttl); d.ExpiryKey != tc.key || d.ExpiryCount != tc.count {
			t.Errorf("%v: %s %d, want %s %d", tc.ttl, d.ExpiryKey, d.ExpiryCount, tc.key, tc.count)
		}
	}
}
