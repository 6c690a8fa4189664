package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
)

// How an upload flows, and why.
//
// The file streams once, from the request body to the store, through
// intake: intake counts the bytes (refusing the one past the limit), feeds
// SHA-256, and copies every chunk to clamd as it passes. The type was
// judged beforehand on the first sniffLen bytes, which are then replayed.
// Memory is the sniff buffer plus the store's own bounded buffers (S3's
// upload manager: at most Concurrency+1 parts), whatever the file's size.
//
// The virus verdict gates the end of the stream: when the body ends,
// intake asks clamd for its verdict before it tells the store "end of
// file", and reports an error instead when the file is infected or clamd
// could not judge it. A store only completes an object on a clean end of
// file (S3: the last part, then CompleteMultipartUpload; disk: the rename),
// so a refused file never becomes an object at all; there is no
// quarantine copy to read back and rescan. The price: an upload in flight
// holds a clamd connection (and thread) for as long as the person takes to
// send the file, and clamd hangs up on a connection silent for its
// ReadTimeout; size MaxThreads and ReadTimeout for that. A hang-up refuses
// the file ("scanner unavailable"): nothing is ever accepted unscanned.
//
// Only then is the row written, in one transaction with its audit entry.
// If that fails, the object is deleted; if the process dies in between,
// the object has no row and Sweep removes it after the grace period. A row
// therefore never names a missing object, and an object without a row
// does not outlive Sweep.
//
// A store that fails or cannot be reached (S3 down) refuses the file as
// well, with "try again later": no row is written, and what the store
// kept of the file (an unfinished multipart upload) is Sweep's.

// UploadInput is a file to add.
type UploadInput struct {
	OrganizationID int64
	ApplicationID  *int64 // nil: the organization's own document
	Kind           Kind
	Filename       string     // as the browser sent it; cleaned here
	ExpiresOn      *time.Time // the licence's expiry date, team_licence only
	Body           io.Reader  // read once, to its end; never held whole
}

// ReplaceInput is a new file for an existing document.
type ReplaceInput struct {
	Filename  string
	ExpiresOn *time.Time
	Body      io.Reader
}

// Upload stores a file for an organization, or for one of its
// applications while that is editable (and outcome documents while its
// post-trip report waits for the IPA: OutcomesOpen). Only the organization's members
// may. Nothing is read from Body until the person's right to upload has
// been checked. A refused file (empty, too large, type not allowed,
// infected, scanner or store unavailable) is an error with an
// i18n.Message; see Message.
func (s *Service) Upload(ctx context.Context, ac account.Actor, u *account.User, in UploadInput) (*Document, error) {
	if err := checkInput(in.Kind, in.ExpiresOn); err != nil {
		return nil, err
	}
	if err := s.mayWrite(ctx, s.db, u, in.OrganizationID, in.ApplicationID, in.Kind, false); err != nil {
		return nil, fmt.Errorf("document.Upload: %w", err)
	}
	f, err := s.receive(ctx, ac, in)
	if err != nil {
		return nil, err
	}
	var d *Document
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.mayWrite(ctx, tx, u, in.OrganizationID, in.ApplicationID, in.Kind, true); err != nil {
			return err
		}
		if d, err = s.insert(ctx, tx, u, in, f); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("document.uploaded", "document", d.ID, d.auditDetails()))
	})
	if err != nil {
		s.discard(ctx, f.key)
		return nil, fmt.Errorf("document.Upload: %w", err)
	}
	return d, nil
}

// Replace puts a new file in place of document id, keeping its
// organization, application and kind. The old file stays (no longer
// current) when a submitted version refers to it, and is deleted
// otherwise.
func (s *Service) Replace(ctx context.Context, ac account.Actor, u *account.User, id int64, in ReplaceInput) (*Document, error) {
	old, err := s.editable(ctx, s.db, u, id, false)
	if err != nil {
		return nil, fmt.Errorf("document.Replace: %w", err)
	}
	up := UploadInput{OrganizationID: old.OrganizationID, ApplicationID: old.ApplicationID, Kind: old.Kind,
		Filename: in.Filename, ExpiresOn: in.ExpiresOn, Body: in.Body}
	if err := checkInput(up.Kind, up.ExpiresOn); err != nil {
		return nil, err
	}
	f, err := s.receive(ctx, ac, up)
	if err != nil {
		return nil, err
	}
	var d *Document
	var dropKey string
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		old, err := s.editable(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if d, err = s.insert(ctx, tx, u, up, f); err != nil {
			return err
		}
		if dropKey, err = s.retire(ctx, tx, u, old, &d.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("document.replaced", "document", d.ID,
			map[string]any{"replaces": old.ID, "filename": d.Filename, "sha256": d.SHA256, "size": d.Size}))
	})
	if err != nil {
		s.discard(ctx, f.key)
		return nil, fmt.Errorf("document.Replace: %w", err)
	}
	if dropKey != "" {
		s.discard(ctx, dropKey)
	}
	return d, nil
}

func checkInput(k Kind, expires *time.Time) error {
	fe := i18n.FieldErrors{}
	if !k.Valid() {
		fe["kind"] = i18n.Msg("error.document.kind_invalid")
	}
	if k == TeamLicence && expires == nil {
		fe["expires_on"] = i18n.Msg("error.document.expiry_required")
	}
	return fe.Err()
}

// received is a file safely in the store, not yet recorded.
type received struct {
	key, filename, contentType, sha256 string
	size                               int64
}

// receive streams in.Body into the store under a new key (see the comment
// at the top of this file). On error nothing is left in the store, except
// what the store itself could not clean up, which Sweep removes.
func (s *Service) receive(ctx context.Context, ac account.Actor, in UploadInput) (*received, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(in.Body, head)
	switch {
	case n == 0 && (err == nil || errors.Is(err, io.EOF)):
		return nil, ErrEmpty
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("document: reading the upload: %w", err)
	}
	head = head[:n]
	f, ok := detect(head)
	if !ok {
		return nil, ErrTypeNotAllowed.With("Allowed", AllowedTypes())
	}

	r := &intake{ctx: ctx, src: io.MultiReader(bytes.NewReader(head), in.Body), max: s.max, hash: sha256.New()}
	if s.scanner != nil {
		if r.scan, err = s.scanner.start(ctx); err != nil {
			s.log.Error("document: virus scanner unavailable", "err", err)
			return nil, ErrScannerUnavailable
		}
		defer r.scan.close()
	}

	key := newKey()
	putErr := s.store.Put(ctx, key, r, f.mime)
	switch {
	case putErr == nil && !r.done:
		putErr = ErrIncomplete
	case putErr != nil && r.err == nil && ctx.Err() == nil:
		// Neither the file nor the person's connection failed: the store
		// did (S3 down or unreachable). The person may send it again; the
		// cause is logged here, where it leaves the error.
		s.log.Error("document: store unavailable", "err", putErr, "request_id", ac.RequestID, "user_id", ac.UserID)
		putErr = ErrStoreUnavailable
	}
	if putErr != nil {
		// Normally there is nothing to delete; this covers a store that
		// finished an object it should not have.
		s.discard(ctx, key)
		if r.err != nil { // what intake refused is the real reason
			putErr = r.err
		}
		switch {
		case errors.Is(putErr, ErrInfected):
			s.recordInfected(ctx, ac, in, r)
		case errors.Is(putErr, ErrScannerUnavailable):
			s.log.Error("document: virus scan failed", "err", r.cause)
		}
		return nil, putErr
	}
	return &received{key: key, filename: storedFilename(in.Filename, f), contentType: f.mime,
		sha256: hex.EncodeToString(r.hash.Sum(nil)), size: r.n}, nil
}

// recordInfected writes the refused attempt to the audit trail: there is
// no document, so the organization is the object.
func (s *Service) recordInfected(ctx context.Context, ac account.Actor, in UploadInput, r *intake) {
	details := map[string]any{"kind": in.Kind, "filename": CleanFilename(in.Filename), "signature": r.signature,
		"size": r.n, "sha256": hex.EncodeToString(r.hash.Sum(nil))}
	if in.ApplicationID != nil {
		details["application_id"] = *in.ApplicationID
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := audit.Record(ctx, s.db, ac.Event("document.infected", "organization", in.OrganizationID, details)); err != nil {
		s.log.Error("document: recording an infected upload", "err", err)
	}
	s.log.Warn("document: infected upload refused", "organization_id", in.OrganizationID, "signature", r.signature, "user_id", ac.UserID)
}

// discard deletes an object no row will name, even when the request's
// context is over; if it fails, Sweep gets it later.
func (s *Service) discard(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.store.Delete(ctx, key); err != nil {
		s.log.Warn("document: could not delete an unrecorded object; the sweep will", "err", err)
	}
}

// intake is what the store reads the file through: see the top of this
// file.
type intake struct {
	ctx  context.Context
	src  io.Reader
	max  int64
	n    int64
	hash hash.Hash
	scan *scan // nil without a scanner

	eof       bool   // src has ended; the verdict is next
	done      bool   // the end was reported: every byte counted, hashed, judged clean
	err       error  // the first failure, reported to every later Read
	cause     error  // the scanner's own error behind ErrScannerUnavailable
	signature string // what clamd found
}

func (r *intake) Read(p []byte) (int, error) {
	switch {
	case r.err != nil:
		return 0, r.err
	case r.done:
		return 0, io.EOF
	case r.eof:
		return 0, r.finish()
	}
	if err := r.ctx.Err(); err != nil {
		return 0, r.fail(err)
	}
	// Never read past the first byte over the limit: a huge body is
	// refused after max+1 bytes, not after the store's next buffer-full.
	if room := r.max - r.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := r.src.Read(p)
	if n > 0 {
		r.n += int64(n)
		if r.n > r.max {
			return 0, r.fail(ErrTooLarge.With("Limit", FormatSize(r.max)))
		}
		r.hash.Write(p[:n])
		if r.scan != nil {
			if _, werr := r.scan.Write(p[:n]); werr != nil {
				r.cause = werr
				return 0, r.fail(ErrScannerUnavailable)
			}
		}
	}
	switch {
	case errors.Is(err, io.EOF):
		r.eof = true
		if n == 0 {
			return 0, r.finish()
		}
	case err != nil:
		return 0, r.fail(fmt.Errorf("document: reading the upload: %w", err))
	}
	return n, nil
}

// finish gets the verdict before the store may see the end of the file.
func (r *intake) finish() error {
	if r.scan != nil {
		sig, err := r.scan.verdict()
		switch {
		case err != nil:
			r.cause = err
			return r.fail(ErrScannerUnavailable)
		case sig != "":
			r.signature = sig
			return r.fail(ErrInfected.With("Signature", sig))
		}
	}
	r.done = true
	return io.EOF
}

func (r *intake) fail(err error) error {
	r.err = err
	return err
}

// FormatSize writes a size the way people read it: "25 MB", "1.5 MB",
// "340 KB". The upload limit and the documents' sizes are shown with it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
