package view

import (
	"missiongrants/internal/organization"
)

// OrganizationForm registers or edits a charity (organization_form).
type OrganizationForm struct {
	Page
	ID   int64
	Form organization.Input
}

// Organization is a charity's page (organization_show).
type Organization struct {
	Page
	Org         *organization.Organization
	CountryName string
	Members     []organization.Member
	Member      bool
	Owner       bool // the viewer registered the charity: names who signs
	InviteEmail string
}

// EligibilityQuestion is one question of the eligibility check.
type EligibilityQuestion struct {
	Name, Text, Answer string
}

// Eligibility is the eligibility check (eligibility).
type Eligibility struct {
	Page
	OrgID     int64
	Questions []EligibilityQuestion
	Result    *organization.Eligibility
	Reasons   []string
}
