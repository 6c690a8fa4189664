package agreement

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

var queries = db.Load("agreement", sqlFiles)

var (
	sqlInsert           = queries.Get("agreement-insert")
	sqlSignatories      = queries.Get("agreement-signatories")
	sqlFacts            = queries.Get("agreement-facts")
	sqlFactsInstalments = queries.Get("agreement-facts-instalments")
	sqlStanding         = queries.Get("agreement-standing")
	sqlHistory          = queries.Get("agreement-history")
	sqlPdf              = queries.Get("agreement-pdf")
	sqlSignOpen         = queries.Get("agreement-sign-open")
	sqlSignUpdate       = queries.Get("agreement-sign-update")
	sqlVoid             = queries.Get("agreement-void")
	sqlTemplate         = queries.Get("agreement-template")
	sqlTerms            = queries.Get("agreement-terms")
	sqlSaveTemplates    = queries.Get("agreement-save-templates")
)
