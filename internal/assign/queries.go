package assign

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

var queries = db.Load("assign", sqlFiles)

var (
	sqlSettings          = queries.Get("assign-settings")
	sqlSettingsUpdate    = queries.Get("assign-settings-update")
	sqlRoundApplications = queries.Get("assign-round-applications")
	sqlApplication       = queries.Get("assign-application")
	sqlMembers           = queries.Get("assign-members")
	sqlReviewers         = queries.Get("assign-reviewers")
	sqlInsert            = queries.Get("assign-insert")
	sqlDelete            = queries.Get("assign-delete")
	sqlRemindDue         = queries.Get("assign-remind-due")
	sqlRemindedUpdate    = queries.Get("assign-reminded-update")
)
