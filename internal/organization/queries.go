package organization

import (
	"embed"

	"missiongrants/internal/db"
)

// The package's fixed statements, in the .sql file named after the Go file
// that runs each; every name is looked up as the process starts, so one
// missing from the files stops it (db.Load).
//
//go:embed *.sql
var sqlFiles embed.FS

var queries = db.Load("organization", sqlFiles)

var (
	sqlEligibilityUpdate   = queries.Get("organization-eligibility-update")
	sqlInsert              = queries.Get("organization-insert")
	sqlCreatorMemberInsert = queries.Get("organization-creator-member-insert")
	sqlGet                 = queries.Get("organization-get")
	sqlIsMember            = queries.Get("organization-is-member")
	sqlUpdate              = queries.Get("organization-update")
	sqlMembers             = queries.Get("organization-members")
	sqlInviter             = queries.Get("organization-inviter")
	sqlInvitationInsert    = queries.Get("organization-invitation-insert")
	sqlInvitationEmail     = queries.Get("organization-invitation-email")
	sqlHome                = queries.Get("organization-home")
	sqlInvitationByToken   = queries.Get("organization-invitation-by-token")
	sqlMemberJoin          = queries.Get("organization-member-join")
	sqlAcceptByToken       = queries.Get("organization-accept-by-token")
	sqlAcceptByID          = queries.Get("organization-accept-by-id")
	sqlSignatoryOwner      = queries.Get("organization-signatory-owner")
	sqlSignatoryUpdate     = queries.Get("organization-signatory-update")
)
