package view

import (
	"missiongrants/internal/audit"
)

// AdminAudit is the audit trail (admin_audit).
type AdminAudit struct {
	Page
	Filter   audit.FilterInput
	Rows     []AuditRow
	Next     string // the next page's URL, "" on the last
	First    string // the first page's URL, when this is a later page
	Verified bool   // the chain was just checked
	BrokenID int64  // the first broken entry; 0: intact
	Broken   string // the page and anchor of the broken entry
}

// AuditRow is one entry, formatted for the page.
type AuditRow struct {
	audit.Entry
	When       string
	Who        string
	ObjectLink string // the object's page, when it has one
	// What is the action in the reader's words ("" when the catalog has
	// none: the page shows the code); Changes are the details, one line
	// each, a change as "from → to".
	What    string
	Changes []string
	// Lang is the language of quoted text in the details (an agreement's
	// statement, signed in the charity's language), when they name one.
	Lang string
}
