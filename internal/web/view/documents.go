package view

import (
	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/report"
)

// RequiredDoc is a kind of document the application needs, and whether it is there.
type RequiredDoc struct {
	Kind    document.Kind
	Present bool
}

// DocumentRow is one uploaded document as the pages list it.
type DocumentRow struct {
	document.Document
	Size        string
	ExpiresSoon bool // a licence that expires before the trip
	Changeable  bool // the person may replace or delete it now
}

// Documents is an application's documents page (documents).
type Documents struct {
	Page
	App       *application.Application
	Required  []RequiredDoc
	Documents []DocumentRow
	Kinds     []document.Kind // what the upload form offers; none: no form
	Editable  bool
	// Outcomes: the application is frozen, and takes outcome documents
	// until its post-trip report is accepted.
	Outcomes  bool
	MaxBytes  string // the limit for people
	Limit     int64  // and for the page's script, which refuses a larger file before sending it
	Allowed   string
	Kind      string
	ExpiresOn string
}

// ReportPage is a trip's post-trip report (report).
type ReportPage struct {
	Page
	Budget   []BudgetLine // the submitted budget, to report spending against
	AppID    int64
	Title    string
	Report   *report.Report
	Form     report.Form
	Spent    string // the total spent, for reading
	Editable bool
	Review   bool // an admin may accept it or ask for corrections
	Note     string
	// Documents are the trip's outcome documents (photos, reports);
	// Outcomes: the charity may add more now (document.OutcomesOpen).
	Documents []DocumentRow
	Outcomes  bool
}

// BudgetLine is one line of the submitted budget beside what was spent on
// it: Spent as typed, for the form; SpentShown for reading.
type BudgetLine struct {
	Index                                 int
	Category, Description, Planned, Spent string
	SpentShown                            string
}
