package web

import (
	"bytes"
	"fmt"
	"testing"

	"missiongrants/assets"
	"missiongrants/internal/account"
	"missiongrants/internal/i18n"
	"missiongrants/internal/organization"
	"missiongrants/templates"
)

// BenchmarkRenderQueuePage renders the board's queue with a full page of
// rows, the rendering work of the most used board page without its
// database. go test ./internal/web -run '^$' -bench RenderQueuePage -benchmem
func BenchmarkRenderQueuePage(b *testing.B) {
	cat, err := i18n.New()
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{cat: cat}
	if s.assets, err = newAssetSet(assets.FS); err != nil {
		b.Fatal(err)
	}
	v, err := loadViews(templates.FS, s.templateFuncs(), cat)
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range i18n.Languages {
		b.Run(l, func(b *testing.B) {
			p := &boardQueuePage{Page: Page{Lang: l, Path: "/board/applications", CSRF: "token", User: &account.User{ID: 1, Name: "Board Member", IsBoard: true}, cat: cat}}
			countries := organization.Countries(l)
			opts := make([]option, len(countries))
			for i, co := range countries {
				opts[i] = option{Value: co.Code, Label: co.Name}
			}
			p.Countries = optionsHTML(opts)
			var rows []queueRowView
			for i := range 25 {
				rows = append(rows, queueRowView{ID: int64(1000 + i), Title: fmt.Sprintf("Pediatric cardiac mission %d", i), Organization: "Heart Bridge Foundation",
					Country: "Honduras", Dates: "2027-01-04 – 2027-01-12", Amount: "$25,000.00", Status: "in_review", StatusLabel: "In review",
					Submitted: "2026-11-20", Reviews: "3 reviews · 3.40", VoteDue: i%3 == 0})
			}
			p.Next = "/board/applications?before=x"
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				p.Rows = queueRowsHTML(p.Page, rows)
				if err := v.pages[l]["board_queue"].ExecuteTemplate(&buf, "base", p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/page")
		})
	}
}
