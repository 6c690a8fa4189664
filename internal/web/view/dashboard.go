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
}
