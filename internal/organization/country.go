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

// notCountries are codes x/text counts as countries that no charity travels
// to as one: the Eurozone, the United Nations.
var notCountries = map[string]bool{"EZ": true, "UN": true}

// codes lists the ISO 3166-1 countries golang.org/x/text knows, so the list
// and its Spanish and English names come from one maintained source.
func codes() []string {
	countryOnce.Do(func() {
		countrySet = map[string]bool{}
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				code := string([]rune{a, b})
				r, err := language.ParseRegion(code)
				if err != nil || !r.IsCountry() || r.String() != code || notCountries[code] {
					continue
				}
				// Codes withdrawn from ISO 3166 (DD, UK, YU, …) either name
				// a current country again or have no name at all.
				if r.Canonicalize() != r {
					continue
				}
				if name := display.English.Regions().Name(r); name == "" || name == code {
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
	if n, ok := countries(lang).names[code]; ok {
		return n
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	return display.Regions(language.Make(lang)).Name(r)
}

// countryTable is every country in one language: sorted for lists, by code
// for the pages that name one per row.
type countryTable struct {
	list  []Country
	names map[string]string
}

var byLanguage sync.Map // lang → *countryTable, built once per language

// Countries lists every country by its name in lang, sorted as that
// language sorts. The slice is shared: do not modify it.
func Countries(lang string) []Country { return countries(lang).list }

func countries(lang string) *countryTable {
	if t, ok := byLanguage.Load(lang); ok {
		return t.(*countryTable)
	}
	tag := language.Make(lang)
	namer := display.Regions(tag)
	t := &countryTable{list: make([]Country, 0, len(codes())), names: map[string]string{}}
	for _, code := range codes() {
		name := namer.Name(language.MustParseRegion(code))
		t.list = append(t.list, Country{Code: code, Name: name})
		t.names[code] = name
	}
	col := collate.New(tag)
	sort.Slice(t.list, func(i, j int) bool { return col.CompareString(t.list[i].Name, t.list[j].Name) < 0 })
	byLanguage.Store(lang, t)
	return t
}
