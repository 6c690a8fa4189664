package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"missiongrants/internal/i18n"
	"missiongrants/internal/web/view"
)

// Labels translated once at start-up must read, and be escaped, exactly as
// the call at render time did, in each language and each context.
func TestViewsTranslateLabelsOnceAndEscapeThem(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"layout/base.html":    {Data: []byte(`{{define "base"}}{{block "content" .}}{{end}}{{end}}`)},
		"partials/label.html": {Data: []byte(`{{define "label"}}<b>{{.}}</b>{{end}}`)},
		"pages/sample.html": {Data: []byte(`{{define "content"}}<p title="{{.T "page.award.awaiting_approval"}}">{{.T "page.award.awaiting_approval"}}</p>` +
			`{{range .Items}}<i>{{$.T "app.name"}}</i>{{end}}{{template "label" (.T "nav.skip")}}` +
			`<span>{{.T "page.queue.review_count" "Count" 3}}</span>{{end}}`)},
	}
	v, err := loadViews(fsys, nil, cat)
	if err != nil {
		t.Fatal(err)
	}
	type data struct {
		Page
		Items []int
	}
	for _, l := range i18n.Languages {
		var got bytes.Buffer
		d := data{Page: view.NewPage(cat, nil, l), Items: []int{1}}
		if err := v.pages[l]["sample"].ExecuteTemplate(&got, "base", d); err != nil {
			t.Fatal(err)
		}
		// The same page written with the translations done by hand, then
		// escaped by html/template as usual.
		var want bytes.Buffer
		awaiting := cat.T(l, "page.award.awaiting_approval")
		want.WriteString(`<p title="` + template.HTMLEscapeString(awaiting) + `">` + template.HTMLEscapeString(awaiting) + `</p><i>` + template.HTMLEscapeString(cat.T(l, "app.name")) +
			`</i><b>` + template.HTMLEscapeString(cat.T(l, "nav.skip")) + `</b><span>` + template.HTMLEscapeString(cat.T(l, "page.queue.review_count", "Count", 3)) + `</span>`)
		// A label that needs no escaping is plain text in the page's tree.
		if tree := v.pages[l]["sample"].Lookup("content").Tree.Root.String(); !strings.Contains(tree, "<i>"+cat.T(l, "app.name")+"</i>") {
			t.Errorf("%s: the label inside range is still an action: %s", l, tree)
		}
		if got.String() != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", l, got.String(), want.String())
		}
	}
	if en, es := cat.T("en", "nav.skip"), cat.T("es", "nav.skip"); en == es {
		t.Fatalf("the sample needs a label that differs between languages, got %q twice", en)
	}
}

// A page html/template cannot escape stops start-up, not a person's request.
func TestViewsRefuseAPageThatCannotBeEscaped(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"layout/base.html":   {Data: []byte(`{{define "base"}}{{block "content" .}}{{end}}{{end}}`)},
		"partials/none.html": {Data: []byte(``)},
		"pages/broken.html":  {Data: []byte(`{{define "content"}}<a href="{{if .Lang}}x{{end}}{{.Path}}" {{if .Lang}}title="a"{{else}}title="b{{end}}>` + "{{end}}")},
	}
	if _, err := loadViews(fsys, nil, cat); err == nil || !strings.Contains(err.Error(), "broken.html") {
		t.Fatalf("loadViews = %v, want an error naming broken.html", err)
	}
}
