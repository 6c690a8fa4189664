package notify

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

var queries = db.Load("notify", sqlFiles)

var (
	sqlDigestItemInsert = queries.Get("notify-digest-item-insert")
	sqlDigestRecipients = queries.Get("notify-digest-recipients")
	sqlDigestTake       = queries.Get("notify-digest-take")
)
