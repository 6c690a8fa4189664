package application

import (
	"slices"
	"testing"
)

// Every field of the form belongs to exactly one section, and the sections
// hold every merge unit: a section's save can lose nothing.
func TestEveryFieldHasItsSection(t *testing.T) {
	f := ValidForm()
	for _, kv := range f.fields() {
		if SectionOf(kv[0]) == "" {
			t.Errorf("field %s is in no section", kv[0])
		}
	}
	var all []string
	for _, s := range Sections {
		all = append(all, s.Units...)
	}
	for u := range units(f) {
		if n := countOf(all, u); n != 1 {
			t.Errorf("unit %s is in %d sections", u, n)
		}
	}
}

func countOf(list []string, s string) (n int) {
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// The task list's states: untouched, under way, done, and a filled answer
// that is wrong.
func TestProgressBySection(t *testing.T) {
	empty := Form{}
	empty.Normalize()
	pr := empty.Progress(today, "en")
	for _, s := range Sections {
		if pr.States[s.Key] != NotStarted {
			t.Errorf("empty form: %s is %s", s.Key, pr.States[s.Key])
		}
	}
	if pr.Complete() {
		t.Error("an empty form is complete")
	}

	f := ValidForm()
	pr = f.Progress(today, "en")
	if !pr.Complete() {
		t.Fatalf("a valid form is not complete: %v", pr.Errors)
	}
	for _, s := range Sections {
		want := Completed
		if s.Key == "experience" { // optional, left empty
			want = NotStarted
		}
		if pr.States[s.Key] != want {
			t.Errorf("valid form: %s is %s, want %s", s.Key, pr.States[s.Key], want)
		}
	}

	f.City = ""                          // required, not given: under way
	f.HostContactEmail = "not an e-mail" // given, wrong: needs attention
	f.Budget = append(f.Budget, BudgetLine{Amount: "12x"})
	pr = f.Progress(today, "en")
	if pr.States["trip"] != InProgress || pr.States["host"] != NeedsAttention || pr.States["budget"] != NeedsAttention {
		t.Errorf("states: %v", pr.States)
	}
	if got := SectionErrors(pr.Errors, "host"); len(got) != 1 || got["host_contact_email"].Key == "" {
		t.Errorf("host's errors: %v", got)
	}
	if f.Budget[2].Amount != "12x" || len(f.Budget) != 3 {
		t.Error("Progress changed the form it checked")
	}
}

// A section's save changes its own units and keeps the rest as saved.
func TestOnlyKeepsOtherSections(t *testing.T) {
	saved := ValidForm()
	posted := Form{Hospital: "Otro hospital", Title: "ignored: not this section's"}
	got := Only(Sections[slices.IndexFunc(Sections, func(s Section) bool { return s.Key == "host" })], saved, posted)
	if got.Hospital != "Otro hospital" || got.HostContactName != "" || got.Title != saved.Title || len(got.Budget) != 2 || got.Narrative != saved.Narrative {
		t.Fatalf("section save: %+v", got)
	}
}
