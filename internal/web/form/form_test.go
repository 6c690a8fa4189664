package form

import (
	"net/url"
	"testing"

	"missiongrants/internal/application"
)

func TestApplicationBinding(t *testing.T) {
	v := url.Values{
		"title":                   {"Misión"},
		"team_count_perfusionist": {"2"},
		"budget_category":         {"travel", "", "supplies"},
		"budget_description":      {"Flights", "", ""},
		"budget_amount":           {"1,000", "", "500"},
		"narrative":               {"line\r\nline"},
	}
	f := Application(v)
	if f.Title != "Misión" || f.Team[1].Role != "perfusionist" || f.Team[1].Count != "2" || len(f.Team) != len(application.TeamRoles) {
		t.Fatalf("form: %+v", f)
	}
	if len(f.Budget) != 2 || f.Budget[1].Category != "supplies" || f.Budget[1].Amount != "500" {
		t.Fatalf("budget: %+v", f.Budget)
	}
	if f.Narrative != "line\nline" {
		t.Fatalf("narrative %q", f.Narrative)
	}
}

// Any posted values bind to a form of the normal shape, without panicking.
func FuzzApplicationBinding(f *testing.F) {
	f.Add("title=x&budget_amount=1&budget_amount=2&budget_category=travel")
	f.Add("team_count_other=%00&budget_description=%FF%FE&&&=")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		form := Application(v)
		if len(form.Team) != len(application.TeamRoles) || len(form.Budget) > application.MaxBudgetLines {
			t.Fatalf("shape: %d team rows, %d budget lines", len(form.Team), len(form.Budget))
		}
		for i, r := range application.TeamRoles {
			if form.Team[i].Role != r {
				t.Fatalf("team row %d is %q", i, form.Team[i].Role)
			}
		}
	})
}

// A save says the revision it was based on (none: NoBase) and which
// conflicts the person settled by taking the saved value.
func TestDraftEditBinding(t *testing.T) {
	e := DraftEdit(url.Values{"draft_rev": {"7"}, "keep_title": {"theirs"}, "keep_city": {"mine"}, "keep_budget": {"theirs"}, "title": {"x"}})
	if e.Base != 7 || e.Form.Title != "x" || len(e.TakeTheirs) != 2 || e.TakeTheirs[0] != "budget" || e.TakeTheirs[1] != "title" || e.Merge {
		t.Fatalf("edit: %+v", e)
	}
	for _, rev := range []string{"", "-1", "x"} {
		if e := DraftEdit(url.Values{"draft_rev": {rev}}); e.Base != application.NoBase {
			t.Errorf("draft_rev %q: base %d", rev, e.Base)
		}
	}
}
