package web

import (
	"bytes"
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
	"missiongrants/internal/policy"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/view"
)

// BenchmarkRenderQueuePage renders the board's queue with a full page of
// rows, the rendering work of the most used board page without its
// database.
// go test ./internal/web -run '^$' -bench RenderQueuePage -benchmem
func BenchmarkRenderQueuePage(b *testing.B) {
	s := testViews(b)
	benchRender(b, "board_queue", func(l string) any {
		p := &view.BoardQueue{Page: view.NewPage(s.cat, s.assets.url, l)}
		p.Path, p.CSRF, p.User = "/board/applications", "token", &account.User{ID: 1, Name: "Board Member", IsBoard: true}
		for i := range 25 {
			p.Rows = append(p.Rows, view.QueueRow{ID: int64(1000 + i), Title: fmt.Sprintf("Pediatric cardiac mission %d", i), Organization: "Heart Bridge Foundation",
				Country: "Honduras", Dates: "2027-01-04 – 2027-01-12", Amount: "$25,000.00", Status: "in_review", StatusLabel: "In review",
				Submitted: "2026-11-20", Reviews: "3 reviews · 3.40", VoteDue: i%3 == 0})
		}
		p.Next = "/board/applications?before=x"
		return p
	})
}

// benchRender renders view from data(lang) with its component, in each language.
func benchRender(b *testing.B, name string, data func(lang string) any) {
	for _, l := range i18n.Languages {
		d := data(l)
		comp, ok := components[name](d)
		if !ok {
			b.Fatalf("%s: data of type %T", name, d)
		}
		b.Run(l, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				buf.Reset()
				if err := comp.Render(context.Background(), &buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(buf.Len()), "bytes/page")
		})
	}
}

// BenchmarkRenderApplicationPage renders an application in review as an
// admin on the board sees it: the summary, the conflicts, the review form,
// five reviews, an open vote, the discussion, the timeline and the thread.
// go test ./internal/web -run '^$' -bench RenderApplicationPage -benchmem
func BenchmarkRenderApplicationPage(b *testing.B) {
	s := testViews(b)
	benchRender(b, "application_show", func(l string) any { return sampleApplication(s, l) })
}

// cpuTime is the CPU the process has used, garbage collection included:
// on a shared machine ns/op counts the time other processes ran, and the
// CPU a render costs is what the targets measure.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func sampleApplication(s *Server, l string) *applicationShowPage {
	at := time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)
	start, end := at.AddDate(0, 2, 0), at.AddDate(0, 2, 8)
	a := &application.Application{ID: 42, OrganizationName: "Heart Bridge Foundation", RoundName: "2027 Spring", Status: policy.Voting,
		Version: 2, Title: "Pediatric cardiac mission to Honduras", TripStart: &start, TripEnd: &end}
	p := &applicationShowPage{ApplicationShow: view.ApplicationShow{Page: samplePage(s, l, "/applications/42"), App: a,
		Can:    policy.For(policy.Person{ID: 1, Admin: true, Board: true, Declared: true}, policy.Facts{Status: policy.Voting, VoteOpen: true}),
		Amount: "US$25,000.00", Country: "Honduras"}}
	for i := range 12 {
		p.Timeline = append(p.Timeline, application.TimelineEntry{At: at.Add(time.Duration(i) * time.Hour), ActorName: "Ana Pérez", Event: "submit", Note: "A note <b>"})
	}
	p.Versions = []application.Version{{Number: 1, SubmittedAt: at}, {Number: 2, SubmittedAt: at.Add(time.Hour)}}
	p.Latest = &p.Versions[1]
	p.Changes = []application.Change{{Field: "amount_requested", Old: "20000", New: "25000"}, {Field: "title", Old: "Mission", New: "Pediatric mission"}}
	for i := range 6 {
		p.Messages = append(p.Messages, application.Post{AuthorName: "Ana", FromIPA: i%2 == 0, Body: "Could you send the budget?\nThanks", CreatedAt: at})
	}
	b := &view.Board{Admin: true, Member: true, BeforeBoard: true, Standing: review.Standing{Declared: true, Reviewed: true},
		Choices: scoreChoices, Recommendations: review.Recommendations, Recommendation: "approve", Weighted: "3.80", Mean: "3.62"}
	for i := range 5 {
		b.Declarations = append(b.Declarations, review.Declaration{Name: fmt.Sprintf("Member %d", i), DeclaredAt: at, HasConflict: i == 4, Note: "Brother-in-law"})
		b.Criteria = append(b.Criteria, view.Criterion{Key: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Criterion %d", i), Weight: 1 + i%2, Value: "4"})
		b.Reviews = append(b.Reviews, view.Review{Review: review.Review{Name: fmt.Sprintf("Member %d", i), WeightedMilli: 3600, Recommendation: "approve", Comment: "Strong team."},
			Scores: []view.Score{{Name: "Criterion 0", Score: 4}, {Name: "Criterion 1", Score: 3}}, Mine: i == 0})
		b.Discussion = append(b.Discussion, review.Comment{AuthorName: "Member", Body: "I agree.", CreatedAt: at})
		b.Members = append(b.Members, review.Member{ID: int64(i + 1), Name: fmt.Sprintf("Member %d", i)})
	}
	b.Vote = &view.Vote{Vote: &vote.Vote{ID: 7, Conditions: "Report within 60 days"}, Open: true, Proposed: "US$25,000.00", Closes: "2026-12-01 12:00 UTC", ClosesISO: "2026-12-01T12:00:00Z"}
	p.Board = b
	return p
}
