package view

import (
	"strings"

	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/organization"
)

// ApplicationEdit is the charity's form (application_edit).
type ApplicationEdit struct {
	Page
	App         *application.Application
	Form        application.Form
	Countries   []organization.Country
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
}

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
