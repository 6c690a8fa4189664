package policy

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

var queries = db.Load("policy", sqlFiles)

var (
	sqlLoad       = queries.Get("policy-load")
	sqlLoadShare  = queries.Get("policy-load-share")
	sqlLoadUpdate = queries.Get("policy-load-update")
	sqlLoadMany   = queries.Get("policy-load-many")
	sqlBoard      = queries.Get("policy-board")
)
