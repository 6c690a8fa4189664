package view

import (
	"missiongrants/internal/vote"
)

// AdminMinutes is the board's minutes for a period (admin_minutes).
type AdminMinutes struct {
	Page
	From, To string // the period as typed
	Period   vote.Period
	Entries  []Minute
	CSV      string // the same period as CSV
}

// Minute is one decision of the minutes.
type Minute struct {
	vote.Minute
	Proposed string
}
