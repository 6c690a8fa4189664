package view

import (
	"missiongrants/internal/application"
	"missiongrants/internal/organization"
)

// Home is the public front page (home).
type Home struct {
	Page
}

// Dashboard is where everyone lands after login (dashboard).
type Dashboard struct {
	Page
	Organizations []organization.Organization
	Invitations   []organization.Invitation // open ones sent to the person's address
	Applications  []application.Application
	// Todo is what the charity should do next, most urgent first.
	Todo []Todo
}

// Todo is one thing to do, where, and by when ("" when no date).
type Todo struct {
	Text, Link, Due string
	Late            bool // past its date, or waited on by the IPA
}
