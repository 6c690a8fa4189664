// Package document owns the files charities upload: charitable status,
// budget sheets, host-hospital agreements, team licences, outcome reports.
//
// A file is an object in a Store (S3, or local disk for the embedded
// default) under a generated key, and a row in the documents table that
// says whose it is and what it is. Uploads are streamed: the file is
// size-limited, hashed, sniffed and virus-scanned on its way to the store,
// and never held whole in memory (see upload.go). Access is part of every
// query: the owning organization's members, and the IPA.
package document

import (
	"errors"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/db"
	"missiongrants/internal/refusal"
)

// Kind says what a document is for.
type Kind string

// The kinds of document; the database checks the same list.
const (
	CharitableStatus Kind = "charitable_status"
	BudgetSheet      Kind = "budget_sheet"
	HostAgreement    Kind = "host_agreement"
	TeamLicence      Kind = "team_licence"
	OutcomeReport    Kind = "outcome_report"
	Other            Kind = "other"
	// Receipt is a payment's receipt, uploaded by an admin (receipt.go); not
	// among the kinds a charity's forms offer.
	Receipt Kind = "receipt"
)

// Kinds lists every kind, in the order forms offer them.
func Kinds() []Kind {
	return []Kind{CharitableStatus, BudgetSheet, HostAgreement, TeamLicence, OutcomeReport, Other}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds() {
		if k == v {
			return true
		}
	}
	return false
}

// Label is the translation key of the kind's name.
func (k Kind) Label() string { return "document.kind." + string(k) }

// Document is a stored file's description. Rows never change, except to
// record that a document was removed or replaced (see RemovedAt).
type Document struct {
	ID             int64  `db:"id"`
	OrganizationID int64  `db:"organization_id"`
	ApplicationID  *int64 `db:"application_id"` // nil: the organization's own
	Kind           Kind   `db:"kind"`
	// Filename is the person's name for the file, cleaned (CleanFilename):
	// safe to show and to put in Content-Disposition.
	Filename    string `db:"filename"`
	ContentType string `db:"content_type"` // judged from the content
	Size        int64  `db:"size_bytes"`
	SHA256      string `db:"sha256"` // hex
	// StorageKey names the object in the Store. It is generated, never
	// derived from the person's input, and not for showing.
	StorageKey       string     `db:"storage_key"`
	LicenceExpiresOn *time.Time `db:"licence_expires_on"`
	UploadedBy       int64      `db:"uploaded_by"`
	UploadedAt       time.Time  `db:"uploaded_at"`
	// RemovedAt is set when the document was deleted or replaced while a
	// submitted version still refers to it; such a document stays readable
	// but is no longer current.
	RemovedAt  *time.Time `db:"removed_at"`
	ReplacedBy *int64     `db:"replaced_by"`
}

// Current reports whether the document counts for its application now.
func (d *Document) Current() bool { return d.RemovedAt == nil }

// The package's refusals. A refusal made with arguments (With) still
// matches its sentinel (errors.Is).
var (
	// ErrNotFound is also the answer for a document, organization or
	// application the person may not see, so ids reveal nothing.
	ErrNotFound = db.ErrNotFound
	// ErrForbidden: the person may see the document but not change it (the
	// IPA reads charities' documents; only their members change them).
	ErrForbidden = refusal.Forbidden("error.http.403")
	// ErrNotEditable: the application is no longer a draft, nor waiting for
	// more information, so its documents are frozen.
	ErrNotEditable = refusal.Conflict("error.document.not_editable")
	// ErrReportAccepted: the IPA accepted the funded trip's post-trip
	// report, so its outcome documents are final too.
	ErrReportAccepted = refusal.Conflict("error.document.report_accepted")
	// ErrOutcomeOnly: once approved, only outcome documents are added.
	ErrOutcomeOnly = refusal.Conflict("error.document.outcome_only")

	ErrEmpty              = refusal.Invalid("error.document.empty")
	ErrTooLarge           = refusal.Invalid("error.document.too_large")
	ErrTypeNotAllowed     = refusal.Invalid("error.document.type_not_allowed")
	ErrInfected           = refusal.Invalid("error.document.infected")
	ErrScannerUnavailable = refusal.Unavailable("error.document.scanner_unavailable")
	// ErrStoreUnavailable: the store (S3) failed or could not be reached;
	// the person may send the file again later.
	ErrStoreUnavailable = refusal.Unavailable("error.document.store_unavailable")
	// ErrIncomplete: the store stopped before the end of the file.
	ErrIncomplete = errors.New("document: the store did not take the whole file")
)

// Defaults of Options.
const (
	DefaultMaxBytes = 25 << 20
	// DefaultGrace is how old an object no row names must be before Sweep
	// removes it. An S3 multipart object is dated from when its upload
	// began, so this must outlast the slowest upload, then some.
	DefaultGrace = 24 * time.Hour
	// DefaultURLLifetime bounds a download link from DownloadURL.
	DefaultURLLifetime = 5 * time.Minute
)

// Options are what the service needs besides its database; zero fields
// take the defaults.
type Options struct {
	Store    Store    // where the files are (NewStore); required
	MaxBytes int64    // UPLOAD_MAX_BYTES
	Scanner  *Scanner // nil: files are not virus-scanned
	Grace    time.Duration
	Now      func() time.Time
	Log      *slog.Logger
}

// Service runs document actions.
type Service struct {
	db      *sqlx.DB
	store   Store
	scanner *Scanner
	max     int64
	grace   time.Duration
	now     func() time.Time
	log     *slog.Logger
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	s := &Service{db: pool, store: o.Store, scanner: o.Scanner, max: o.MaxBytes, grace: o.Grace, now: o.Now, log: o.Log}
	if s.max <= 0 {
		s.max = DefaultMaxBytes
	}
	if s.grace <= 0 {
		s.grace = DefaultGrace
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// MaxBytes is the largest file Upload accepts.
func (s *Service) MaxBytes() int64 { return s.max }
