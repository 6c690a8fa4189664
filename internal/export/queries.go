package export

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

var queries = db.Load("export", sqlFiles)

var (
	sqlApplications = queries.Get("export-applications")
	sqlDecisions    = queries.Get("export-decisions")
	sqlOutcomes     = queries.Get("export-outcomes")
	sqlPayments     = queries.Get("export-payments")
	sqlCaseMix      = queries.Get("export-case-mix")
	sqlTripOutcomes = queries.Get("export-trip-outcomes")
)
