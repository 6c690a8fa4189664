package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
)

// dashboardShow is where everyone lands after login; each role sees its part.
func (s *Server) dashboardShow(c *gin.Context) error {
	p := &view.Dashboard{Page: s.page(c)}
	ctx, u := c.Request.Context(), currentUser(c)
	var err error
	if u.IPA() {
		p.Applications, err = s.apps.Recent(ctx, u, 50)
	} else {
		if p.Organizations, p.Invitations, err = s.orgs.Home(ctx, u.ID, u.Email); err == nil {
			p.Applications, err = s.apps.ForUser(ctx, u)
		}
		if err == nil {
			p.Todo, err = s.todo(c, &p.Page, p.Applications)
		}
	}
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "dashboard", p)
	return nil
}

// todo is what a charity's person should do next on its applications: answer
// the IPA's question, sign the grant agreement, send the post-trip report,
// upload a draft's missing documents and finish it; what the IPA waits on
// and what is late first, then by date, then what has no date.
func (s *Server) todo(c *gin.Context, p *view.Page, apps []application.Application) ([]view.Todo, error) {
	ctx, u := c.Request.Context(), currentUser(c)
	today := s.today()
	type item struct {
		view.Todo
		due time.Time
	}
	// The rules are asked only about the grants that may still owe
	// something; the documents, only of the drafts.
	var owing, drafts []int64
	for _, a := range apps {
		switch {
		case a.Owes:
			owing = append(owing, a.ID)
		case a.Status == policy.Draft:
			drafts = append(drafts, a.ID)
		}
	}
	var can map[int64]policy.Can
	var missing map[int64][]document.Kind
	var err error
	if len(owing) > 0 {
		if can, err = s.apps.CanEach(ctx, u, owing); err != nil {
			return nil, err
		}
	}
	if len(drafts) > 0 {
		if missing, err = document.MissingEach(ctx, s.db, drafts); err != nil {
			return nil, err
		}
	}
	var items []item
	for _, a := range apps {
		link := "/applications/" + strconv.FormatInt(a.ID, 10)
		switch a.Status {
		case policy.MoreInfoRequested:
			items = append(items, item{Todo: view.Todo{Text: p.T("page.todo.answer", "Title", a.DisplayTitle()), Link: link + "/edit", Late: true}})
		case policy.Draft:
			// By when: the round's last day, for a round that closes.
			var due time.Time
			var dueOn string
			if a.RoundClosesOn != nil {
				due, dueOn = *a.RoundClosesOn, p.Date(*a.RoundClosesOn)
			}
			if kinds := missing[a.ID]; len(kinds) > 0 {
				names := make([]string, len(kinds))
				for i, k := range kinds {
					names[i] = p.T("document.kind." + string(k))
				}
				items = append(items, item{due: due, Todo: view.Todo{Text: p.T("page.todo.documents", "Title", a.DisplayTitle(),
					"Documents", strings.Join(names, ", ")), Link: link + "/documents", Due: dueOn}})
			}
			items = append(items, item{due: due, Todo: view.Todo{Text: p.T("page.todo.finish", "Title", a.DisplayTitle()), Link: link + "/edit", Due: dueOn}})
		case policy.Approved:
			can := can[a.ID]
			if can.Do(policy.SignAgreement) {
				items = append(items, item{Todo: view.Todo{Text: p.T("page.todo.sign", "Title", a.DisplayTitle()), Link: link + "/agreement", Late: true}})
			}
			if a.TripEnd == nil || a.TripEnd.After(today) || !can.Do(policy.WriteReport) {
				continue
			}
			due := s.reports.DueOn(*a.TripEnd)
			items = append(items, item{due: due, Todo: view.Todo{Text: p.T("page.todo.report", "Title", a.DisplayTitle()),
				Link: link + "/report", Due: p.Date(due), Late: due.Before(today)}})
		}
	}
	slices.SortStableFunc(items, func(x, y item) int {
		if x.Late != y.Late {
			if x.Late {
				return -1
			}
			return 1
		}
		if x.due.IsZero() != y.due.IsZero() { // a date before none
			if x.due.IsZero() {
				return 1
			}
			return -1
		}
		return x.due.Compare(y.due)
	})
	out := make([]view.Todo, len(items))
	for i, it := range items {
		out[i] = it.Todo
	}
	return out, nil
}
