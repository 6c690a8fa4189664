package report

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

var queries = db.Load("report", sqlFiles)

var (
	sqlImpact                  = queries.Get("report-impact")
	sqlPublic                  = queries.Get("report-public")
	sqlSetPublic               = queries.Get("report-set-public")
	sqlRemindDue               = queries.Get("report-remind-due")
	sqlReminderInsert          = queries.Get("report-reminder-insert")
	sqlNotifyHost              = queries.Get("report-notify-host")
	sqlGet                     = queries.Get("report-get")
	sqlSave                    = queries.Get("report-save")
	sqlSubmitReport            = queries.Get("report-submit-report")
	sqlSubmitApplication       = queries.Get("report-submit-application")
	sqlSubmitUpdate            = queries.Get("report-submit-update")
	sqlReviewUpdate            = queries.Get("report-review-update")
	sqlReviewMessageInsert     = queries.Get("report-review-message-insert")
	sqlAccepted                = queries.Get("report-accepted")
	sqlAwaitingReview          = queries.Get("report-awaiting-review")
	sqlNotifyMembers           = queries.Get("report-notify-members")
	sqlOverdueForOrganization  = queries.Get("report-overdue-for-organization")
	sqlNotifyAdminsApplication = queries.Get("report-notify-admins-application")
	sqlNotifyAdminsRecipients  = queries.Get("report-notify-admins-recipients")
	sqlMixDelete               = queries.Get("report-mix-delete")
	sqlMixInsert               = queries.Get("report-mix-insert")
	sqlPerfusionUpdate         = queries.Get("report-perfusion-update")
	sqlImpactMix               = queries.Get("report-impact-mix")
)
