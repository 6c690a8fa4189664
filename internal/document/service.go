package document

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
)

// Get returns document id's description if u may see it.
func (s *Service) Get(ctx context.Context, u *account.User, id int64) (*Document, error) {
	d, err := get(ctx, s.db, u, id, false)
	if err != nil {
		return nil, fmt.Errorf("document.Get: %w", err)
	}
	return d, nil
}

func get(ctx context.Context, q db.Querier, u *account.User, id int64, lock bool) (*Document, error) {
	var d Document
	query := sqlGet
	if lock {
		query = sqlGetForUpdate
	}
	if err := q.GetContext(ctx, &d, query, u.ID, u.IPA(), id); err != nil {
		return nil, db.NotFound(err)
	}
	return &d, nil
}

// List returns application applicationID's current documents, and its
// organization's own, oldest first, if u may see the application.
func (s *Service) List(ctx context.Context, u *account.User, applicationID int64) ([]Document, error) {
	var orgID int64
	err := s.db.GetContext(ctx, &orgID, sqlListApplication, u.ID, u.IPA(), applicationID)
	if err != nil {
		return nil, fmt.Errorf("document.List: %w", db.NotFound(err))
	}
	out := []Document{}
	err = s.db.SelectContext(ctx, &out, sqlList, applicationID, orgID)
	if err != nil {
		return nil, fmt.Errorf("document.List: %w", err)
	}
	return out, nil
}

// ForOrganization returns organization orgID's own current documents (those
// of no particular application), if u may see it.
func (s *Service) ForOrganization(ctx context.Context, u *account.User, orgID int64) ([]Document, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, sqlForOrganizationVisible, u.ID, u.IPA(), orgID)
	if err != nil {
		return nil, fmt.Errorf("document.ForOrganization: %w", db.NotFound(err))
	}
	out := []Document{}
	err = s.db.SelectContext(ctx, &out, sqlForOrganization, orgID)
	if err != nil {
		return nil, fmt.Errorf("document.ForOrganization: %w", err)
	}
	return out, nil
}

// ForVersion returns the documents application applicationID's submitted
// version was submitted with (see Freeze), if u may see the application;
// they may since have been replaced.
func (s *Service) ForVersion(ctx context.Context, u *account.User, applicationID int64, version int) ([]Document, error) {
	out := []Document{}
	err := s.db.SelectContext(ctx, &out, sqlForVersion, u.ID, u.IPA(), applicationID, version)
	if err != nil {
		return nil, fmt.Errorf("document.ForVersion: %w", err)
	}
	return out, nil
}

// Open streams document id's file to u, for a download through the portal
// (send it with Content-Disposition: ContentDisposition(d.Filename)). The
// download is in the audit trail. The caller closes the reader.
func (s *Service) Open(ctx context.Context, ac account.Actor, u *account.User, id int64) (*Document, io.ReadCloser, error) {
	d, err := get(ctx, s.db, u, id, false)
	if err != nil {
		return nil, nil, fmt.Errorf("document.Open: %w", err)
	}
	body, err := s.store.Open(ctx, d.StorageKey)
	if err != nil {
		return nil, nil, fmt.Errorf("document.Open %d: %w", d.ID, err)
	}
	if err := audit.Record(ctx, s.db, ac.Event("document.downloaded", "document", d.ID, nil)); err != nil {
		body.Close()
		return nil, nil, err // no download that the trail does not show
	}
	return d, body, nil
}

// ErrNoURL: the store cannot make download links (local disk); use Open.
var ErrNoURL = errors.New("document: the store makes no download links")

// DownloadURL gives u a link that downloads document id directly from the
// store for ttl (DefaultURLLifetime when 0), as d.Filename. The link is
// in the audit trail as a download.
func (s *Service) DownloadURL(ctx context.Context, ac account.Actor, u *account.User, id int64, ttl time.Duration) (*Document, string, error) {
	signer, ok := s.store.(URLSigner)
	if !ok {
		return nil, "", ErrNoURL
	}
	if ttl <= 0 {
		ttl = DefaultURLLifetime
	}
	d, err := get(ctx, s.db, u, id, false)
	if err != nil {
		return nil, "", fmt.Errorf("document.DownloadURL: %w", err)
	}
	url, err := signer.SignedURL(ctx, d.StorageKey, d.Filename, d.ContentType, ttl)
	if err != nil {
		return nil, "", fmt.Errorf("document.DownloadURL %d: %w", d.ID, err)
	}
	if err := audit.Record(ctx, s.db, ac.Event("document.downloaded", "document", d.ID, map[string]any{"link_seconds": int(ttl.Seconds())})); err != nil {
		return nil, "", err
	}
	return d, url, nil
}

// Delete removes document id: only a member of its organization may, and
// only while its application is editable. A document a submitted version
// refers to stays readable for that version and is only marked removed;
// any other is deleted, file included.
func (s *Service) Delete(ctx context.Context, ac account.Actor, u *account.User, id int64) error {
	var dropKey string
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		d, err := s.editable(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if dropKey, err = s.retire(ctx, tx, u, d, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("document.deleted", "document", d.ID,
			map[string]any{"filename": d.Filename, "kind": d.Kind, "kept_for_versions": dropKey == ""}))
	})
	if err != nil {
		return fmt.Errorf("document.Delete: %w", err)
	}
	if dropKey != "" {
		s.discard(ctx, dropKey) // after the commit: the row is gone first
	}
	return nil
}

// mayWrite checks that u may add a document to organization orgID (and
// application appID, which must be the organization's and take a document
// of kind now: appState.allows). With
// lock, the application's state is held until the transaction ends, so a
// submission cannot slip in between the check and the insert.
func (s *Service) mayWrite(ctx context.Context, q db.Querier, u *account.User, orgID int64, appID *int64, kind Kind, lock bool) error {
	var member bool
	if err := q.GetContext(ctx, &member, sqlMayWriteMember,
		orgID, u.ID); err != nil {
		return err
	}
	if !member {
		var exists bool
		if err := q.GetContext(ctx, &exists, sqlMayWriteOrganization, orgID); err != nil {
			return err
		}
		if exists && u.IPA() {
			return ErrForbidden
		}
		return ErrNotFound
	}
	if appID == nil {
		return nil
	}
	st, err := openness(ctx, q, orgID, *appID, lock)
	if err != nil {
		return err
	}
	return st.allows(kind)
}

// appState is what an application's documents may be now.
type appState struct {
	Editable       bool `db:"editable"` // a draft, or asked for more information: any kind
	Approved       bool `db:"approved"`
	ReportAccepted bool `db:"report_accepted"`
}

// outcomes: a funded trip's outcome documents (photos, reports) go with its
// post-trip report after the application is frozen, until the IPA accepts
// the report. They are the application's current documents; the versions
// submitted keep theirs (Freeze).
func (st appState) outcomes() bool { return st.Approved && !st.ReportAccepted }

// openness reads application appID (of organization orgID)'s appState.
// With lock, its row is shared-locked until the transaction ends, so a
// submission cannot slip in between the check and the insert. The report's
// status is read in SQL (service.sql), like the editable statuses, so
// that document and report do not depend on each other. The report's row is not locked: an
// outcome document sent at the very moment the IPA accepts the report may
// still be added, which harms nothing, and locking the report here would
// take reports and applications in the opposite order to a review.
func openness(ctx context.Context, q db.Querier, orgID, appID int64, lock bool) (appState, error) {
	query := sqlOpenness
	if lock {
		query = sqlOpennessForShare
	}
	var st appState
	if err := q.GetContext(ctx, &st, query, appID, orgID); err != nil {
		return st, db.NotFound(err)
	}
	return st, nil
}

// allows refuses a document of kind that the application does not take now.
func (st appState) allows(kind Kind) error {
	switch {
	case st.Editable, st.outcomes() && kind == OutcomeReport:
		return nil
	case st.outcomes():
		return ErrOutcomeOnly
	case st.Approved:
		return ErrReportAccepted
	}
	return ErrNotEditable
}

// OutcomesOpen reports whether u may add outcome documents to application
// appID now that it is frozen (approved, its report not yet accepted):
// the rule Upload refuses by, for the pages to offer the upload only then.
// Only the organization's members may.
func (s *Service) OutcomesOpen(ctx context.Context, u *account.User, appID int64) (bool, error) {
	st, err := s.stateFor(ctx, u, appID)
	if errors.Is(err, ErrForbidden) {
		return false, nil // not a member: nothing to offer
	}
	return err == nil && !st.Editable && st.outcomes(), err
}

// MayAdd is nil when u may add some document to application appID now
// (any kind while it is editable; outcome documents once approved), and
// otherwise the refusal Upload would give: asked before an upload's body is
// read. Upload checks again, kind by kind.
func (s *Service) MayAdd(ctx context.Context, u *account.User, appID int64) error {
	st, err := s.stateFor(ctx, u, appID)
	if err != nil {
		return err
	}
	if st.Editable || st.outcomes() {
		return nil
	}
	return st.allows(Other)
}

// stateFor is application appID's appState for u, a member of its
// organization (ErrForbidden otherwise).
func (s *Service) stateFor(ctx context.Context, u *account.User, appID int64) (appState, error) {
	var orgID int64
	err := s.db.GetContext(ctx, &orgID, sqlStateFor, u.ID, appID)
	if err = db.NotFound(err); errors.Is(err, ErrNotFound) {
		return appState{}, ErrForbidden
	}
	if err != nil {
		return appState{}, fmt.Errorf("document: %w", err)
	}
	st, err := openness(ctx, s.db, orgID, appID, false)
	if err != nil {
		return appState{}, fmt.Errorf("document: %w", err)
	}
	return st, nil
}

// editable loads current document id for a change by u: a member of its
// organization, while its application (if any) is editable. With lock,
// the application is locked before the document, the order a submission
// takes them in (its Freeze locks the documents it refers to), so the two
// cannot deadlock.
func (s *Service) editable(ctx context.Context, q db.Querier, u *account.User, id int64, lock bool) (*Document, error) {
	d, err := get(ctx, q, u, id, false)
	if err != nil {
		return nil, err
	}
	if !d.Current() {
		return nil, ErrNotFound
	}
	if err := s.mayWrite(ctx, q, u, d.OrganizationID, d.ApplicationID, d.Kind, lock); err != nil {
		return nil, err
	}
	if !lock {
		return d, nil
	}
	if d, err = get(ctx, q, u, id, true); err != nil {
		return nil, err
	}
	if !d.Current() { // removed while we waited
		return nil, ErrNotFound
	}
	return d, nil
}

func (s *Service) insert(ctx context.Context, tx *sqlx.Tx, u *account.User, in UploadInput, f *received) (*Document, error) {
	expires := in.ExpiresOn
	if in.Kind != TeamLicence {
		expires = nil
	}
	var d Document
	err := tx.GetContext(ctx, &d, sqlInsert,
		in.OrganizationID, in.ApplicationID, in.Kind, f.filename, f.contentType, f.size, f.sha256, f.key, expires, u.ID, s.now())
	if err != nil {
		return nil, fmt.Errorf("document: insert: %w", err)
	}
	return &d, nil
}

// retire takes d out of its application: marked removed when a submitted
// version refers to it, deleted otherwise, in which case its storage key
// is returned for deleting the object after the commit.
func (s *Service) retire(ctx context.Context, tx *sqlx.Tx, u *account.User, d *Document, replacedBy *int64) (string, error) {
	var kept bool
	if err := tx.GetContext(ctx, &kept, sqlRetireFrozen, d.ID); err != nil {
		return "", err
	}
	if kept {
		_, err := tx.ExecContext(ctx, sqlRetireUpdate,
			d.ID, s.now(), u.ID, replacedBy)
		return "", err
	}
	if _, err := tx.ExecContext(ctx, sqlRetireDelete, d.ID); err != nil {
		return "", err
	}
	return d.StorageKey, nil
}

func (d *Document) auditDetails() map[string]any {
	m := map[string]any{"organization_id": d.OrganizationID, "kind": d.Kind, "filename": d.Filename,
		"content_type": d.ContentType, "size": d.Size, "sha256": d.SHA256}
	if d.ApplicationID != nil {
		m["application_id"] = *d.ApplicationID
	}
	return m
}
