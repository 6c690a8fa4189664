package outcomes

import (
	"embed"

	"missiongrants/internal/db"
)

// The package's fixed statements (db.Load).
//
//go:embed *.sql
var sqlFiles embed.FS

var queries = db.Load("outcomes", sqlFiles)

var (
	sqlReference       = queries.Get("outcomes-reference")
	sqlReferenceLock   = queries.Get("outcomes-reference-lock")
	sqlReferenceUpdate = queries.Get("outcomes-reference-update")
	sqlTrips           = queries.Get("outcomes-trips")
	sqlUnseen          = queries.Get("outcomes-unseen")
	sqlHistory         = queries.Get("outcomes-history")
	sqlVersion         = queries.Get("outcomes-version")
)
