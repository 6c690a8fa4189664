package view

import (
	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/organization"
)

// ApplicationNew lets an eligible charity pick the round to apply to (application_new).
type ApplicationNew struct {
	Page
	Org    *organization.Organization
	Rounds []application.Round
}

// ApplicationVersion is an application as it was submitted once (application_version).
type ApplicationVersion struct {
	Page
	App       *application.Application
	Version   application.Version
	Country   string
	Total     string
	Documents []document.Document
}
