package pages

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/a-h/templ"

	"missiongrants/internal/organization"
	"missiongrants/internal/web/view"
)

// CountryOptions are the countries as a select's choices in lang, chosen
// selected. The list is about 250 names long and the same for every
// request, so each option is drawn by Options once per language, plain and
// selected, and written from there (escaping it again was a tenth of the
// review queue's CPU).
func CountryOptions(lang, chosen string) templ.Component {
	l := countryList(lang)
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, code := range l.codes {
			html := l.plain[i]
			if code == chosen {
				html = l.selected[i]
			}
			if _, err := io.WriteString(w, html); err != nil {
				return err
			}
		}
		return nil
	})
}

type optionList struct{ codes, plain, selected []string }

var countryLists sync.Map // language → *optionList

func countryList(lang string) *optionList {
	if l, ok := countryLists.Load(lang); ok {
		return l.(*optionList)
	}
	l := &optionList{}
	var buf bytes.Buffer
	draw := func(o view.Option) string {
		buf.Reset()
		// Rendering into a buffer with constant options cannot fail.
		_ = Options([]view.Option{o}).Render(context.Background(), &buf)
		return buf.String()
	}
	for _, c := range organization.Countries(lang) {
		l.codes = append(l.codes, c.Code)
		l.plain = append(l.plain, draw(view.Option{Value: c.Code, Label: c.Name}))
		l.selected = append(l.selected, draw(view.Option{Value: c.Code, Label: c.Name, Selected: true}))
	}
	countryLists.Store(lang, l)
	return l
}
