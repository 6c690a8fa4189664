package i18n

import (
	"fmt"
	"testing"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Languages {
		for _, b := range Languages {
			for _, k := range c.Keys(a) {
				if !c.Has(b, k) {
					t.Errorf("%q is in %s but missing in %s", k, a, b)
				}
			}
		}
	}
}

func TestNegotiate(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ chosen, accept, want string }{
		{"", "es-DO,es;q=0.9,en;q=0.5", "es"},
		{"", "es-419", "es"},
		{"", "fr-FR", "en"},
		{"", "", "en"},
		{"", "garbage;;;", "en"},
		{"en", "es", "en"},
		{"de", "es-HN", "es"},
	}
	for _, tc := range cases {
		if got := c.Negotiate(tc.chosen, tc.accept); got != tc.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tc.chosen, tc.accept, got, tc.want)
		}
	}
}

func TestTWithArguments(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("es", "mail.test.body", "Name", "Ana"); got != "Hola Ana, este mensaje confirma que el portal puede enviarle correos." {
		t.Errorf("got %q", got)
	}
	if got := c.T("es", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key shows %q", got)
	}
}

// Counted messages are remembered per number: asked twice, in either order
// and language, each number keeps its own plural form.
func TestTCountsKeepTheirPluralForms(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		for _, tc := range []struct {
			lang string
			n    int
			want string
		}{
			{"en", 1, "1 review"}, {"en", 2, "2 reviews"}, {"es", 1, "1 revisión"}, {"es", 0, "0 revisiones"},
			{"en", 250, "250 reviews"}, // beyond what is remembered
		} {
			if got := c.T(tc.lang, "page.queue.review_count", "Count", tc.n); got != tc.want {
				t.Errorf("%s, %d: got %q, want %q", tc.lang, tc.n, got, tc.want)
			}
		}
	}
}

// The quorum line agrees with the number of members who could vote.
func TestQuorumLineAgreesInNumber(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang           string
		cast, eligible int
		want           string
	}{
		{"en", 1, 1, "Quorum met: 1 of 1 member who could vote did."},
		{"en", 3, 5, "Quorum met: 3 of 5 members who could vote did."},
		{"es", 1, 1, "Hubo quórum: votó 1 de 1 miembro que podía votar."},
		{"es", 3, 5, "Hubo quórum: votaron 3 de los 5 miembros que podían votar."},
	} {
		if got := c.T(tc.lang, "page.board.quorum_met", "Cast", tc.cast, "Eligible", tc.eligible, "Count", tc.eligible); got != tc.want {
			t.Errorf("%s %d/%d: got %q, want %q", tc.lang, tc.cast, tc.eligible, got, tc.want)
		}
	}
}

// A message that shows a count but has no plural forms reads the same for
// every count, one included.
func TestCountWithoutPluralForms(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 2, 1000} {
		if got := c.T("en", "page.admin_dashboard.votes_open", "Count", n); got != fmt.Sprintf("Votes open: %d", n) {
			t.Errorf("Count %d: %q", n, got)
		}
	}
}

// A decimal reads as each language writes it; a value ending in a stop
// ("Inc.") before the message's own stop reads with one stop, not two.
func TestDecimalsAndStops(t *testing.T) {
	if got := Decimal("es", "3.80"); got != "3,80" {
		t.Errorf("Spanish decimal %q", got)
	}
	if got := Decimal("en", "3.80"); got != "3.80" {
		t.Errorf("English decimal %q", got)
	}
	cat, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "For Heartbridge Missions, Inc.", "es": "Para Heartbridge Missions, Inc."} {
		if got := cat.T(lang, "page.app_new.for", "Organization", "Heartbridge Missions, Inc."); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := cat.T("en", "page.app_new.for", "Organization", "Wait..."); got != "For Wait...." {
		t.Errorf("an ellipsis is not a stop: %q", got)
	}
}

// Every message T fills itself reads as go-i18n's template writes it, with
// words, numbers and a value ending in a full stop.
func TestFilledMessagesReadAsTheirTemplates(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, lang := range Languages {
		for key, pieces := range c.fills[lang] {
			for _, value := range []any{"Heartbridge <Missions>, Inc.", 1234, int64(-7)} {
				var args []any
				for _, p := range pieces {
					if p.name != "" {
						args = append(args, p.name, value)
					}
				}
				got, ok := c.fill(lang, key, args)
				if want := c.localize(lang, key, args...); !ok || got != want {
					t.Errorf("%s %s: filled %q (%v), template %q", lang, key, got, ok, want)
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d messages filled", n)
	}
	if _, ok := c.fill("en", "page.queue.to_review", []any{"Names", 3.5}); ok {
		t.Error("a float was filled, which the template may print otherwise")
	}
}
