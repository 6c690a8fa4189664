package audit

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

var queries = db.Load("audit", sqlFiles)

var (
	sqlRecord      = queries.Get("audit-record")
	sqlRecent      = queries.Get("audit-recent")
	sqlGenesis     = queries.Get("audit-genesis")
	sqlVerifyBatch = queries.Get("audit-verify-batch")
)
