package web

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"missiongrants/assets"
	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
	"missiongrants/internal/organization"
	"missiongrants/internal/policy"
	"missiongrants/internal/review"
	"missiongrants/internal/web/view"
	"missiongrants/templates"
)

// While pages move from html/template to templ, every page a test draws
// with its templ component is drawn with its html/template page too, from
// the same data, and the two must parse to the same tree (newTestServerOn
// sets compareViews to this). The comparison ends with the migration.
func compareRendered(t testing.TB) func(view string, got, want []byte, err error) {
	return func(view string, got, want []byte, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: html/template: %v", view, err)
			return
		}
		if d := treeDiff(want, got); d != "" {
			t.Errorf("%s: the templ page differs from the html/template page:\n%s", view, d)
		}
	}
}

// treeDiff compares two pages as the browser reads them: whitespace
// collapsed, empty text dropped, attributes sorted, classes as a set,
// character references decoded. "" when they are the same.
func treeDiff(want, got []byte) string {
	w, err := normalizedTree(want)
	if err != nil {
		return "html/template: " + err.Error()
	}
	g, err := normalizedTree(got)
	if err != nil {
		return "templ: " + err.Error()
	}
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			from := max(0, i-4)
			return fmt.Sprintf("first difference at node %d, after\n%s\nhtml/template: %s\ntempl:         %s",
				i, strings.Join(w[from:i], "\n"), wl, gl)
		}
	}
	return ""
}

func normalizedTree(page []byte) ([]string, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		indent := strings.Repeat("  ", depth)
		switch n.Type {
		case html.ElementNode:
			var attrs []string
			for _, a := range n.Attr {
				v := strings.Join(strings.Fields(a.Val), " ")
				if a.Key == "class" {
					f := strings.Fields(v)
					slices.Sort(f)
					if len(f) == 0 {
						continue
					}
					v = strings.Join(f, " ")
				}
				attrs = append(attrs, fmt.Sprintf("%s=%q", a.Key, v))
			}
			slices.Sort(attrs)
			out = append(out, indent+"<"+n.Data+" "+strings.Join(attrs, " ")+">")
		case html.TextNode:
			if t := strings.Join(strings.Fields(n.Data), " "); t != "" {
				out = append(out, indent+fmt.Sprintf("%q", t))
			}
		case html.DoctypeNode:
			out = append(out, "<!doctype "+strings.ToLower(n.Data)+">")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return out, nil
}

// testViews is a Server that can draw pages without a database.
func testViews(t testing.TB) *Server {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cat: cat}
	if s.assets, err = newAssetSet(assets.FS); err != nil {
		t.Fatal(err)
	}
	if s.views, err = loadViews(templates.FS, s.templateFuncs(), cat); err != nil {
		t.Fatal(err)
	}
	return s
}

// renderBoth draws view from data with its component and its html/template page.
func renderBoth(t testing.TB, s *Server, l, name string, data any) (templOut, htmlOut []byte) {
	t.Helper()
	comp, ok := components[name](data)
	if !ok {
		t.Fatalf("%s: data of type %T", name, data)
	}
	var a, b bytes.Buffer
	if err := comp.Render(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	if err := s.renderHTMLTemplate(l, &b, name, data); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes()
}

func samplePage(s *Server, l, path string) view.Page {
	p := view.NewPage(s.cat, s.assets.url, l)
	p.Path, p.CSRF = path, "token<&>"
	p.User = &account.User{ID: 1, Name: "Board <Member>", IsBoard: true, IsAdmin: true}
	return p
}

func sampleQueue(s *Server, l string, rows int) *view.BoardQueue {
	q := &view.BoardQueue{Page: samplePage(s, l, "/board/applications?q=a&b")}
	for _, co := range organization.Countries(l) {
		q.Countries = append(q.Countries, view.Option{Value: co.Code, Label: co.Name, Selected: co.Code == "HN"})
	}
	q.Statuses = []view.Option{{Value: "submitted", Label: "Submitted"}, {Value: "in_review", Label: "In <review>", Selected: true}}
	q.Rounds = []view.Option{{Value: "1", Label: "Spring \"2027\""}}
	for i := range rows {
		q.Rows = append(q.Rows, view.QueueRow{ID: int64(1000 + i), Title: fmt.Sprintf("Pediatric cardiac mission %d <b>", i), Organization: "Heart & Bridge Foundation",
			Country: "Honduras", Dates: "2027-01-04 – 2027-01-12", Amount: "$25,000.00", Status: "in_review", StatusLabel: "In review",
			Submitted: "2026-11-20", Reviews: "3 reviews · 3.40", VoteDue: i%3 == 0, Recused: i%5 == 1})
	}
	q.Next = "/board/applications?before=x&q=%C3%A9"
	return q
}

// Each migrated page, in each language and in the states its tests may not
// reach, reads the same drawn by templ as by html/template.
func TestTemplPagesMatchHTMLTemplate(t *testing.T) {
	s := testViews(t)
	for _, l := range i18n.Languages {
		cases := map[string]any{}
		q := sampleQueue(s, l, 7)
		q.Flash, q.MoreOpen, q.Mine, q.First = "Saved.", true, "vote", "/board/applications"
		cases["board_queue"] = q
		empty := sampleQueue(s, l, 0)
		empty.User = nil
		cases["board_queue/empty"] = empty
		bad := sampleQueue(s, l, 3)
		bad.Errors = map[string]string{"trip_from": "Not a date", "status": "Unknown", "q": "Too <long>"}
		bad.Filter.TripFrom, bad.Filter.Search = "2027-13-01", "x\"y"
		cases["board_queue/errors"] = bad
		app := sampleApplication(s, l)
		cases["application_show"] = app
		asked := sampleApplication(s, l)
		asked.Errors = map[string]string{"choice": "Choose one", "score_c1": "Required", "conflict_note": "Too long", "member": "Unknown"}
		asked.Board.Standing = review.Standing{}
		asked.Decision = &view.Decision{Approved: true, Amount: "US$1", Conditions: "<none>"}
		asked.Screening = &view.Screening{Checks: []view.ScreeningCheck{{Key: "budget", Checked: true}, {Key: "team"}}, Outcome: "more_info"}
		cases["application_show/errors"] = asked
		home := &view.Home{Page: samplePage(s, l, "/")}
		home.User = nil
		cases["home"] = home
		at := time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)
		apps := []application.Application{{ID: 1, Title: "Mission <1>", OrganizationName: "Heart & Co", Status: policy.Draft, CreatedAt: at},
			{ID: 2, OrganizationName: "Heart & Co", Status: policy.Submitted, SubmittedAt: &at, CreatedAt: at}}
		cases["dashboard/ipa"] = &view.Dashboard{Page: samplePage(s, l, "/dashboard"), Applications: apps}
		charity := &view.Dashboard{Page: samplePage(s, l, "/dashboard"), Applications: apps,
			Organizations: []organization.Organization{{ID: 3, LegalName: "Heart & Co", EligibleAt: &at}, {ID: 4, LegalName: "Other"}},
			Invitations:   []organization.Invitation{{ID: 5, Organization: "Third <org>", Inviter: "Ana"}}}
		charity.User = &account.User{ID: 2, Name: "Ana"}
		cases["dashboard/charity"] = charity
		none := &view.Dashboard{Page: samplePage(s, l, "/dashboard")}
		none.User = &account.User{ID: 2, Name: "Ana"}
		cases["dashboard/empty"] = none
		for name, data := range cases {
			got, want := renderBoth(t, s, l, strings.Split(name, "/")[0], data)
			if d := treeDiff(want, got); d != "" {
				t.Errorf("%s %s:\n%s", l, name, d)
			}
		}
	}
}
