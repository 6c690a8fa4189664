package web

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
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
)

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
	return s
}

// renderPage draws view from data with its component.
func renderPage(t testing.TB, name string, data any) []byte {
	t.Helper()
	comp, ok := components[name](data)
	if !ok {
		t.Fatalf("%s: data of type %T", name, data)
	}
	var b bytes.Buffer
	if err := comp.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func samplePage(s *Server, l, path string) view.Page {
	p := view.NewPage(s.cat, s.assets.url, l)
	p.Path, p.CSRF = path, "token<&>"
	p.User = &account.User{ID: 1, Name: "Board <Member>", IsBoard: true, IsAdmin: true}
	return p
}

func sampleQueue(s *Server, l string, rows int) *view.BoardQueue {
	q := &view.BoardQueue{Page: samplePage(s, l, "/board/applications?q=a&b")}
	q.Filter.Country = "HN"
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

// Each page, in each language and in states its tests may not reach, is
// a whole document in that language: no catalog key left untranslated, and
// the Spanish page differs from the English one.
func TestPagesRenderInBothLanguages(t *testing.T) {
	drawn := map[string]map[string]string{}
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
		asked.Screening = &view.Screening{Checks: []view.ScreeningCheck{{Key: application.ScreeningChecks[0], Checked: true}, {Key: application.ScreeningChecks[1]}}, Outcome: "more_info"}
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
			page := renderPage(t, strings.Split(name, "/")[0], data)
			if err := wholeDocument(page, l); err != nil {
				t.Errorf("%s %s: %v", l, name, err)
			}
			if drawn[name] == nil {
				drawn[name] = map[string]string{}
			}
			drawn[name][l] = string(page)
		}
	}
	for name, by := range drawn {
		if by["en"] == by["es"] {
			t.Errorf("%s: the Spanish page is the English one", name)
		}
	}
}

// untranslated is what the catalog returns for a key it lacks: the key.
var untranslated = regexp.MustCompile(`^(page|field|app|nav|action|error|board|document|role|footer|form)\.[a-z0-9_.]+$`)

// wholeDocument parses page as a browser would and checks it is a page in
// lang: <html lang>, a title, a main, and no text or attribute that is a
// catalog key.
func wholeDocument(page []byte, lang string) error {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return err
	}
	var problems []string
	seen := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			seen[n.Data] = true
			for _, a := range n.Attr {
				if n.Data == "html" && a.Key == "lang" && a.Val != lang {
					problems = append(problems, fmt.Sprintf("<html lang=%q>", a.Val))
				}
				if untranslated.MatchString(a.Val) {
					problems = append(problems, fmt.Sprintf("%s=%q untranslated", a.Key, a.Val))
				}
			}
		case html.TextNode:
			if t := strings.TrimSpace(n.Data); untranslated.MatchString(t) {
				problems = append(problems, fmt.Sprintf("%q untranslated", t))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, el := range []string{"html", "title", "main", "h1"} {
		if !seen[el] {
			problems = append(problems, "no <"+el+">")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}
