package view

import (
	"strings"

	"missiongrants/internal/application"
	"missiongrants/internal/document"
)

// ApplicationEdit is the charity's form (application_edit).
type ApplicationEdit struct {
	Page
	App         *application.Application
	Form        application.Form
	Roles       []string
	Categories  []string
	BudgetTotal string
	SavedAt     string
	SavedAtISO  string
	CanSubmit   bool
	// MaxLength is the longest each text question takes (application.MaxLength).
	MaxLength map[string]int
	// Help is the round's help text by question (application.HelpFields), in the page's language.
	Help map[string]string
	// Missing are the required documents not uploaded yet.
	Missing []document.Kind
	// Rev is the draft revision the form's values are based on: the
	// page's saves send it back (draft_rev).
	Rev int
	// Stale: the person's save was based on an older revision; what
	// differs from the draft saved since, to choose from.
	Stale *application.Stale
	// Section is the part of the form the page shows and saves ("": all).
	Section string
	// Next is the section after it ("": the task list comes next).
	Next string
}

// Shows reports whether the page shows section key.
func (p *ApplicationEdit) Shows(key string) bool { return p.Section == "" || p.Section == key }

// ConflictLabel names one part of the form in the conflicts' panel.
func (p *ApplicationEdit) ConflictLabel(unit string) string {
	if unit == "budget" {
		return p.T("app.section.budget")
	}
	if role, ok := strings.CutPrefix(unit, "team_"); ok {
		return p.T("app.role." + role)
	}
	return p.FieldLabel(unit)
}

// Task is one line of the application's task list: a section (or the
// documents) with its state.
type Task struct {
	Key   string // the section's key, or "documents"
	Title string
	Href  string
	State application.State
}

// ApplicationTasks is the application as a task list (application_tasks):
// each section with its state, then checking the answers and sending.
type ApplicationTasks struct {
	Page
	App   *application.Application
	Tasks []Task
	Done  int // tasks completed
	// CanCheck: every task is completed, the answers can be checked and sent.
	CanCheck  bool
	CanDelete bool // a draft never sent (policy.DeleteDraft)
	SavedAt   string
	// DropCopies: the part just saved with its button; the copies the
	// page's script kept on the device under this prefix are the server's now.
	DropCopies string
}

// Answer is one line of "check your answers": a question, the answer as
// the reader reads it, and where to change it.
type Answer struct {
	Name, Label, Value, Href string
}

// AnswerGroup is a section's answers.
type AnswerGroup struct {
	Key, Title, Href string
	State            application.State
	Answers          []Answer
}

// ApplicationCheck is "check your answers" (application_check): every
// answer by section with a link to change it, then the button that sends.
type ApplicationCheck struct {
	Page
	App       *application.Application
	Groups    []AnswerGroup
	Missing   []document.Kind
	Rev       int
	CanSubmit bool // the round is open (or the IPA asked for more)
	// ErrorHref is where each mistake is fixed: its section's page, at the field.
	ErrorHref map[string]string
}

// ApplicationDelete asks before a draft is thrown away (application_delete).
type ApplicationDelete struct {
	Page
	App *application.Application
}
