package view

import (
	"missiongrants/internal/application"
)

// RoundRow is one funding round with its money.
type RoundRow struct {
	application.Round
	Budget                   string
	Awarded, Paid, Remaining string
	Open                     bool
}

// YearRow is one year's money.
type YearRow struct {
	Year                       int
	Awarded, Paid, Outstanding string
}

// AdminRounds is the rounds page (admin_rounds).
type AdminRounds struct {
	Page
	Rounds []RoundRow
	Years  []YearRow
	EditID int64
	Form   application.RoundInput
	// Help is the edited round's help texts: one entry per language and field.
	Help []HelpText
	// Stages is the edited round's stages and concept note (nil: not shown).
	Stages *RoundStages
}

// HelpText is one of a round's help texts, in one language.
type HelpText struct {
	Lang, Field, Name, Value string
}
