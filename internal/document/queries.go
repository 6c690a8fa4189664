package document

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

var queries = db.Load("document", sqlFiles)

var (
	sqlList                   = queries.Get("document-list")
	sqlForOrganization        = queries.Get("document-for-organization")
	sqlMayWriteMember         = queries.Get("document-may-write-member")
	sqlMayWriteOrganization   = queries.Get("document-may-write-organization")
	sqlStateFor               = queries.Get("document-state-for")
	sqlInsert                 = queries.Get("document-insert")
	sqlRetireFrozen           = queries.Get("document-retire-frozen")
	sqlRetireUpdate           = queries.Get("document-retire-update")
	sqlRetireDelete           = queries.Get("document-retire-delete")
	sqlMissing                = queries.Get("document-missing")
	sqlFreeze                 = queries.Get("document-freeze")
	sqlLicenceExpiringBefore  = queries.Get("document-licence-expiring-before")
	sqlSweep                  = queries.Get("document-sweep")
	sqlGet                    = queries.Get("document-get")
	sqlGetForUpdate           = queries.Get("document-get-for-update")
	sqlListApplication        = queries.Get("document-list-application")
	sqlForOrganizationVisible = queries.Get("document-for-organization-visible")
	sqlForVersion             = queries.Get("document-for-version")
	sqlOpenness               = queries.Get("document-openness")
	sqlOpennessForShare       = queries.Get("document-openness-for-share")
)
