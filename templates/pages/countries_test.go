package pages

import (
	"bytes"
	"context"
	"testing"

	"missiongrants/internal/organization"
	"missiongrants/internal/web/view"
)

// The countries drawn once and written from memory are what Options draws
// for the same list, with the chosen one selected, in each language.
func TestCountryOptionsAreOptions(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		for _, chosen := range []string{"", "HN", "CI", "XX"} {
			var opts []view.Option
			for _, c := range organization.Countries(lang) {
				opts = append(opts, view.Option{Value: c.Code, Label: c.Name, Selected: c.Code == chosen})
			}
			var want, got bytes.Buffer
			if err := Options(opts).Render(context.Background(), &want); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second from memory
				got.Reset()
				if err := CountryOptions(lang, chosen).Render(context.Background(), &got); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Fatalf("%s, %q chosen: the options differ from Options'", lang, chosen)
				}
			}
		}
	}
	var b bytes.Buffer
	_ = CountryOptions("es", "CI").Render(context.Background(), &b)
	if !bytes.Contains(b.Bytes(), []byte(`<option value="CI" selected>Côte d’Ivoire</option>`)) {
		t.Errorf("Spanish options lack the chosen Côte d’Ivoire: %.300s", b.String())
	}
}
