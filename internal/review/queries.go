package review

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

var queries = db.Load("review", sqlFiles)

var (
	sqlAllCriteria       = queries.Get("review-all-criteria")
	sqlCriterionInsert   = queries.Get("review-criterion-insert")
	sqlCriterionUpdate   = queries.Get("review-criterion-update")
	sqlMembers           = queries.Get("review-members")
	sqlCriteria          = queries.Get("review-criteria")
	sqlRecordFor         = queries.Get("review-record-for")
	sqlDeclared          = queries.Get("review-declared")
	sqlConflictUpsert    = queries.Get("review-conflict-upsert")
	sqlOpenBallotsDelete = queries.Get("review-open-ballots-delete")
	sqlSubmit            = queries.Get("review-submit")
	sqlDiscuss           = queries.Get("review-discuss")
	sqlPanel             = queries.Get("review-panel")

	sqlStandingCharity       = queries.Get("review-standing-charity")
	sqlStandingInsert        = queries.Get("review-standing-insert")
	sqlStandingBallotsDelete = queries.Get("review-standing-ballots-delete")
	sqlStandingWithdraw      = queries.Get("review-standing-withdraw")
	sqlStandingActive        = queries.Get("review-standing-active")
	sqlStandingCharities     = queries.Get("review-standing-charities")
)
