package document

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"missiongrants/internal/config"
)

// Store keeps documents' bytes under keys the Service generates. Both
// implementations (S3 and Disk) pass the same tests.
type Store interface {
	// Put streams body to key. The object appears whole or not at all: a
	// body that fails part-way leaves nothing readable under key (an
	// interrupted multipart upload or a temporary file may remain until
	// Sweep). It reads body to its end (io.EOF) before it succeeds.
	Put(ctx context.Context, key string, body io.Reader, contentType string) error
	// Open reads key's object; ErrObjectNotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key's object; deleting a missing object is no error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object, in no particular order, with leftovers
	// of interrupted writes included, so that Sweep can remove them too.
	List(ctx context.Context, fn func(Object) error) error
}

// Object is a stored object as List reports it.
type Object struct {
	Key      string
	Size     int64
	Modified time.Time
}

// URLSigner is a Store that can hand out a short-lived download link, so
// large files go to the browser without passing through the portal.
type URLSigner interface {
	SignedURL(ctx context.Context, key, filename, contentType string, ttl time.Duration) (string, error)
}

// staleCleaner is a Store that keeps leftovers List does not show (S3's
// incomplete multipart uploads); Sweep removes those older than before.
type staleCleaner interface {
	RemoveStale(ctx context.Context, before time.Time) (int, error)
}

// ErrObjectNotFound: the store has no object under the key.
var ErrObjectNotFound = errors.New("document: no such stored object")

// NewStore picks the store the configuration asks for: S3 when S3_BUCKET
// is set, otherwise local disk under DATA_DIR/documents (the embedded
// default).
func NewStore(ctx context.Context, cfg *config.Config) (Store, error) {
	if cfg.S3Bucket != "" {
		return NewS3(ctx, S3Config{
			Endpoint:        cfg.S3Endpoint,
			Region:          cfg.S3Region,
			Bucket:          cfg.S3Bucket,
			AccessKeyID:     cfg.S3AccessKeyID,
			SecretAccessKey: cfg.S3SecretAccessKey,
		})
	}
	return NewDisk(filepath.Join(cfg.DataDir, "documents"))
}

// newKey generates an object key: 128 random bits, so keys are neither
// guessable nor ever derived from anything the person sent. The first two
// hex digits make a folder, which keeps local-disk folders small.
func newKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("document: no randomness: %v", err)) // crypto/rand does not fail on Linux
	}
	h := hex.EncodeToString(b[:])
	return h[:2] + "/" + h
}
