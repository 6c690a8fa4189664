package view

import (
	"missiongrants/internal/assign"
	"missiongrants/internal/review"
)

// AssignPlan is the proposal of reviewers an admin changes and confirms,
// for one application or for every application of a round (assign_plan).
type AssignPlan struct {
	Page
	Heading        string
	Action         string // where the confirmed plan is posted
	Back           string // the application's or the round's page
	PerApplication int
	Apps           []AssignApp
	// Round: the round's review settings, on the round's plan only.
	Round    *assign.Settings
	Settings assign.SettingsInput
	Scores   []Option
}

// AssignApp is one application of a plan: the board members who may review
// it, those proposed ticked.
type AssignApp struct {
	ID                  int64
	Title, Organization string
	Field               string // the checkboxes' name: reviewers_ID
	Members             []Option
	None                bool // no board member may review it
}

// StandingConflicts is the page of conflicts known ahead (standing_conflicts):
// one's own, or every one for an admin, and the form to declare one.
type StandingConflicts struct {
	Page
	Admin     bool
	UserID    int64
	Conflicts []review.StandingConflict
	Charities []Option
	Reason    string
}
