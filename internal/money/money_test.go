package money

import (
	"errors"
	"testing"

	"missiongrants/internal/i18n"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		lang string // "" tries both
		want Cents
		err  error
	}{
		{"1234", "", 123400, nil},
		{"1,234.56", "", 123456, nil},
		{"1.234,56", "", 123456, nil},
		{"1 234,5", "", 123450, nil},
		{"$1,234", "en", 123400, nil},
		{"US$ 25.000", "es", 2500000, nil},
		{"25000 USD", "", 2500000, nil},
		{"0.5", "", 50, nil},
		{",75", "", 75, nil},
		{"12,5", "", 1250, nil},
		{"1,234,567.89", "", 123456789, nil},
		{"1.234.567,89", "", 123456789, nil},
		{"1.234.567", "", 123456700, nil},
		{"1000000000", "", 100000000000, nil},
		// A single separator before three digits: thousands where the
		// language groups with it, a question where it marks decimals.
		{"1,234", "en", 123400, nil},
		{"1.234", "es", 123400, nil},
		{"1.234", "en", 0, ErrAmbiguous},
		{"1,234", "es", 0, ErrAmbiguous},
		{"0.001", "", 0, ErrAmbiguous},
		{"0,001", "", 0, ErrAmbiguous},
		{"", "", 0, ErrEmpty},
		{"   ", "", 0, ErrEmpty},
		{"-5", "", 0, ErrNegative},
		{"(5.00)", "", 0, ErrNegative},
		{"abc", "", 0, ErrInvalid},
		{"1.2.3", "", 0, ErrInvalid},
		{"12,34,567", "", 0, ErrInvalid},
		{"1,234.567", "", 0, ErrInvalid},
		{"1,2345", "", 0, ErrInvalid},
		{"1.", "", 0, ErrInvalid},
		{"1,000.000,00", "", 0, ErrInvalid},
		{"1e9", "", 0, ErrInvalid},
		{"0x10", "", 0, ErrInvalid},
		{"1000000001", "", 0, ErrTooLarge},
		{"99999999999999999999", "", 0, ErrTooLarge},
		{"١٢٣", "", 0, ErrInvalid},
	}
	for _, tc := range cases {
		langs := []string{tc.lang}
		if tc.lang == "" {
			langs = i18n.Languages
		}
		for _, lang := range langs {
			got, err := Parse(tc.in, lang)
			if tc.err != nil {
				var m i18n.Message
				if !errors.As(err, &m) || m.Key != tc.err.(i18n.Message).Key {
					t.Errorf("Parse(%q, %s) = %v, %v; want error %v", tc.in, lang, got, err, tc.err)
				}
				continue
			}
			if err != nil || got != tc.want {
				t.Errorf("Parse(%q, %s) = %v, %v; want %v", tc.in, lang, got, err, tc.want)
			}
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		c    Cents
		lang string
		want string
	}{
		{123456, "en", "US$1,234.56"},
		{123456, "es", "US$1.234,56"},
		{5, "en", "US$0.05"},
		{100000000000, "en", "US$1,000,000,000.00"},
		{-2500, "es", "-US$25,00"},
	}
	for _, tc := range cases {
		if got := Format(tc.c, USD, tc.lang); got != tc.want {
			t.Errorf("Format(%d, %s) = %q, want %q", tc.c, tc.lang, got, tc.want)
		}
	}
	if got := Format(1000, "EUR", "en"); got != "EUR 10.00" {
		t.Errorf("EUR: %q", got)
	}
}

func TestSumRefusesOverflow(t *testing.T) {
	if s, err := Sum(1, 2, 3); err != nil || s != 6 {
		t.Fatalf("Sum = %v, %v", s, err)
	}
	if _, err := Sum(Max, 1); err == nil {
		t.Fatal("a total beyond Max was accepted")
	}
	if _, err := Sum(-1); err == nil {
		t.Fatal("a negative amount was added")
	}
}

// Whatever a person types, Parse either refuses it or returns an amount in
// range that formats and parses back to itself in each language; and no
// text is read as two different amounts by the two languages.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1,234.56", "1.234,56", "0", "-1", "$ 1 000", "9999999999", "1.", ",5", "١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s, "en")
		if err != nil {
			var m i18n.Message
			if !errors.As(err, &m) {
				t.Fatalf("Parse(%q) returned a non-message error %v", s, err)
			}
			return
		}
		if c < 0 || c > Max {
			t.Fatalf("Parse(%q) = %d out of range", s, c)
		}
		if es, err := Parse(s, "es"); err == nil && es != c {
			t.Fatalf("Parse(%q) is %d in English and %d in Spanish", s, c, es)
		}
		for _, lang := range i18n.Languages {
			back, err := Parse(Input(c, lang), lang)
			if err != nil || back != c {
				t.Fatalf("Parse(Input(%d, %s)=%q) = %d, %v", c, lang, Input(c, lang), back, err)
			}
		}
	})
}

func TestDecimal(t *testing.T) {
	for c, want := range map[Cents]string{0: "0.00", 5: "0.05", 250050: "2500.50", -300000: "-3000.00", -7: "-0.07"} {
		if got := Decimal(c); got != want {
			t.Errorf("Decimal(%d) = %q, want %q", int64(c), got, want)
		}
	}
}
