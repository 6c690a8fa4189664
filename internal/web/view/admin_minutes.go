package view

import (
	"missiongrants/internal/export"
	"missiongrants/internal/vote"
)

// AdminMinutes is the board's minutes for a period (admin_minutes).
type AdminMinutes struct {
	Page
	From, To string // the period as typed
	Period   export.Period
	Entries  []Minute
	CSV      string // the same period as CSV
	PDF      string // and as PDF
	// Approval is the admin's sign-off of these minutes as they stand (nil:
	// a draft).
	Approval   *vote.Approval
	ApprovedOn string
}

// Minute is one decision of the minutes.
type Minute struct {
	vote.Minute
	Proposed string
}
