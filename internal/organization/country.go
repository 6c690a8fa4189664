package organization

import (
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is an ISO 3166 country with its name in one language.
type Country struct {
	Code, Name string
}

var (
	countryOnce  sync.Once
	countryCodes []string
	countrySet   map[string]bool
)

// codes lists the ISO 3166-1 countries golang.org/x/text knows, so the list
// and its Spanish and English names come from one maintained source.
func codes() []string {
	countryOnce.Do(func() {
		countrySet = map[string]bool{}
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				code := string([]rune{a, b})
				r, err := language.ParseRegion(code)
				if err != nil || !r.IsCountry() || r.String() != code || display.English.Regions().Name(r) == code {
					continue
				}
				countryCodes = append(countryCodes, code)
				countrySet[code] = true
			}
		}
	})
	return countryCodes
}

// ValidCountry reports whether code is a country the portal knows.
func ValidCountry(code string) bool {
	codes()
	return countrySet[code]
}

// CountryName is code's name in lang.
func CountryName(code, lang string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	return display.Regions(language.Make(lang)).Name(r)
}

var byLanguage sync.Map // lang → []Country, built once per language

// Countries lists every country by its name in lang, sorted as that
// language sorts. The slice is shared: do not modify it.
func Countries(lang string) []Country {
	if l, ok := byLanguage.Load(lang); ok {
		return l.([]Country)
	}
	tag := language.Make(lang)
	namer := display.Regions(tag)
	out := make([]Country, 0, len(codes()))
	for _, code := range codes() {
		out = append(out, Country{Code: code, Name: namer.Name(language.MustParseRegion(code))})
	}
	col := collate.New(tag)
	sort.Slice(out, func(i, j int) bool { return col.CompareString(out[i].Name, out[j].Name) < 0 })
	byLanguage.Store(lang, out)
	return out
}
