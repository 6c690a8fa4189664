package view

import "missiongrants/internal/application"

// ConceptNote is a two-stage round's concept note (concept_note): the
// charity's form while the note is theirs to edit, each version sent, and,
// for whoever decides on it, the decision's form.
type ConceptNote struct {
	Page
	App       *application.Application
	Title     string            // the note's title as saved
	Questions []ConceptQuestion // the note's questions, worded as the round says, with the answers as saved
	Versions  []ConceptVersion  // newest first
	// Editable: the charity may change and send the note now; CanDecide:
	// this person may invite, decline or ask (policy.DecideConcept).
	Editable, CanDecide bool
	// DeclareFirst: a board member who would decide once they declare
	// their conflicts (on the application's page).
	DeclareFirst bool
	// The decision's form as typed, when it came back.
	Outcome, Note, Due string
	// Rev is the note's revision the page is based on (its autosave's
	// base); SavedAt when it was last saved, for reading and as RFC 3339.
	Rev                 int
	SavedAt, SavedAtISO string
	// Stale: the person's save was refused, the note having been saved
	// elsewhere since the page was opened; the form holds what they typed.
	Stale *application.ConceptStale
}

// ConceptQuestion is one question of the note and its answer.
type ConceptQuestion struct {
	Name, Label, Help, Value string
}

// ConceptVersion is a note as sent, its answers under the round's words.
type ConceptVersion struct {
	application.ConceptVersion
	Answers []ConceptQuestion
}

// RoundStages is a round's stages on its admin page: one or two, who
// decides on concept notes, and the note's questions in each language.
type RoundStages struct {
	TwoStage, ByBoard bool
	Questions         []StageQuestion
}

// StageQuestion is one question's words in one language, as the admin
// edits them (empty: the catalog's, shown as the field's hint).
type StageQuestion struct {
	Lang, Name, Default, Label, Help string
}
