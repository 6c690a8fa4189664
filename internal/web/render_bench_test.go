package web

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"missiongrants/internal/account"
	"missiongrants/internal/i18n"
	"missiongrants/internal/organization"
	"missiongrants/internal/web/view"
)

// BenchmarkRenderQueuePage renders the board's queue with a full page of
// rows, the rendering work of the most used board page without its
// database: with its templ component ("templ") and, while both exist, its
// html/template page ("html").
// go test ./internal/web -run '^$' -bench RenderQueuePage -benchmem
func BenchmarkRenderQueuePage(b *testing.B) {
	s := testViews(b)
	benchRender(b, s, "board_queue", func(l string) any {
		p := &view.BoardQueue{Page: view.NewPage(s.cat, s.assets.url, l)}
		p.Path, p.CSRF, p.User = "/board/applications", "token", &account.User{ID: 1, Name: "Board Member", IsBoard: true}
		for _, co := range organization.Countries(l) {
			p.Countries = append(p.Countries, view.Option{Value: co.Code, Label: co.Name})
		}
		for i := range 25 {
			p.Rows = append(p.Rows, view.QueueRow{ID: int64(1000 + i), Title: fmt.Sprintf("Pediatric cardiac mission %d", i), Organization: "Heart Bridge Foundation",
				Country: "Honduras", Dates: "2027-01-04 – 2027-01-12", Amount: "$25,000.00", Status: "in_review", StatusLabel: "In review",
				Submitted: "2026-11-20", Reviews: "3 reviews · 3.40", VoteDue: i%3 == 0})
		}
		p.Next = "/board/applications?before=x"
		return p
	})
}

// benchRender renders view from data(lang) in each language, with each
// renderer the view has.
func benchRender(b *testing.B, s *Server, name string, data func(lang string) any) {
	for _, l := range i18n.Languages {
		d := data(l)
		renderers := map[string]func(*bytes.Buffer) error{}
		if f, ok := components[name]; ok {
			comp, ok := f(d)
			if !ok {
				b.Fatalf("%s: data of type %T", name, d)
			}
			renderers["templ"] = func(buf *bytes.Buffer) error { return comp.Render(context.Background(), buf) }
		}
		if _, ok := s.views.pages[l][name]; ok {
			renderers["html"] = func(buf *bytes.Buffer) error { return s.renderHTMLTemplate(l, buf, name, d) }
		}
		for _, r := range []string{"templ", "html"} {
			render, ok := renderers[r]
			if !ok {
				continue
			}
			b.Run(l+"/"+r, func(b *testing.B) {
				var buf bytes.Buffer
				b.ReportAllocs()
				for b.Loop() {
					buf.Reset()
					if err := render(&buf); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(buf.Len()), "bytes/page")
			})
		}
	}
}
