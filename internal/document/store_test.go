package document_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/config"
	"missiongrants/internal/document"
	"missiongrants/internal/testenv"
)

// Both stores behave the same: put, read back, list, delete.
func TestStorePutOpenListDelete(t *testing.T) {
	t.Parallel()
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) {
			t.Parallel()
			s := sk.new(t)
			ctx := context.Background()
			before := time.Now().Add(-time.Minute)
			if err := s.Put(ctx, "ab/abcdef", onlyReader{strings.NewReader("presupuesto")}, "text/csv"); err != nil {
				t.Fatal(err)
			}
			r, err := s.Open(ctx, "ab/abcdef")
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			r.Close()
			if err != nil || string(b) != "presupuesto" {
				t.Fatalf("read back %q, %v", b, err)
			}
			var listed []document.Object
			if err := s.List(ctx, func(o document.Object) error { listed = append(listed, o); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(listed) != 1 || listed[0].Key != "ab/abcdef" || listed[0].Size != 11 || listed[0].Modified.Before(before) {
				t.Fatalf("listed %+v", listed)
			}
			if err := s.Delete(ctx, "ab/abcdef"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Open(ctx, "ab/abcdef"); !errors.Is(err, document.ErrObjectNotFound) {
				t.Fatalf("open after delete: %v", err)
			}
			if err := s.Delete(ctx, "ab/abcdef"); err != nil {
				t.Fatalf("deleting a missing object: %v", err)
			}
			if keys := objects(t, s); len(keys) != 0 {
				t.Fatalf("left %v", keys)
			}
		})
	}
}

// A large body streams through (S3: a multipart upload) and reads back
// byte for byte.
func TestStoreLargeStreamedObject(t *testing.T) {
	t.Parallel()
	const size = 40 << 20
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) {
			t.Parallel()
			s := sk.new(t)
			ctx := context.Background()
			sent := sha256.New()
			if err := s.Put(ctx, "cd/large", io.TeeReader(noise(size, 1), sent), "application/pdf"); err != nil {
				t.Fatal(err)
			}
			r, err := s.Open(ctx, "cd/large")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := sha256.New()
			n, err := io.Copy(got, r)
			if err != nil || n != size || !bytes.Equal(got.Sum(nil), sent.Sum(nil)) {
				t.Fatalf("read back %d bytes (want %d), same content %v, %v", n, size, bytes.Equal(got.Sum(nil), sent.Sum(nil)), err)
			}
		})
	}
}

// A body that fails part-way leaves nothing behind: no object, no
// temporary file, no unfinished multipart upload.
func TestStoreFailedBodyLeavesNothing(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{1 << 20, 12 << 20} { // one part, and several
		for _, sk := range storeKinds {
			t.Run(fmt.Sprintf("%s/%dMiB", sk.name, size>>20), func(t *testing.T) {
				t.Parallel()
				s := sk.new(t)
				cut := errors.New("connection reset by peer")
				err := s.Put(context.Background(), "ef/cut", failingReader(noise(int(size)*2, 2), size, cut), "application/pdf")
				if !errors.Is(err, cut) {
					t.Fatalf("put of a failing body: %v", err)
				}
				if keys := objects(t, s); len(keys) != 0 {
					t.Fatalf("left %v", keys)
				}
				if s3, ok := s.(*document.S3); ok {
					n, err := s3.RemoveStale(context.Background(), time.Now().Add(time.Hour))
					if err != nil || n != 0 {
						t.Fatalf("unfinished multipart uploads: %d, %v", n, err)
					}
				}
			})
		}
	}
}

// The disk store never leaves its folder, whatever key it is given.
func TestDiskRefusesKeysOutsideItsFolder(t *testing.T) {
	t.Parallel()
	s := diskStore(t)
	for _, key := range []string{"../escape", "a/../../escape", "/etc/passwd", "a//b", "", "a/./b", `a\b`} {
		if err := s.Put(context.Background(), key, strings.NewReader("x"), "text/plain"); err == nil {
			t.Errorf("Put(%q) accepted", key)
		}
		if _, err := s.Open(context.Background(), key); err == nil {
			t.Errorf("Open(%q) accepted", key)
		}
	}
}

// S3 hands out a short-lived link that downloads under the cleaned name.
func TestS3SignedURL(t *testing.T) {
	t.Parallel()
	s := s3Store(t).(document.URLSigner)
	ctx := context.Background()
	if err := s.(document.Store).Put(ctx, "aa/signed", strings.NewReader("%PDF-1.4 x"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	url, err := s.SignedURL(ctx, "aa/signed", "Informe año 2027.pdf", "application/pdf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpGet(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "%PDF-1.4 x" {
		t.Fatalf("GET %s: %s %q", url, resp.Status, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != document.ContentDisposition("Informe año 2027.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
}

func httpGet(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// A multipart upload abandoned mid-way (the portal stopped) is aborted by
// RemoveStale once older than the cut-off, and only then.
func TestS3RemovesStaleMultipartUploads(t *testing.T) {
	t.Parallel()
	s := s3StoreOpts(t, document.S3Config{})
	ctx := context.Background()
	pr, pw := io.Pipe()
	put := make(chan error, 1)
	go func() { put <- s.Put(ctx, "ab/abandoned", pr, "application/pdf") }()
	// Two parts' worth: the first part is on its way once the second is read.
	go io.Copy(pw, noise(11<<20, 7))
	testenv.Eventually(t, 30*time.Second, "a multipart upload to abort", func() bool {
		if n, err := s.RemoveStale(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("a fresh upload was removed: %d, %v", n, err)
		}
		n, err := s.RemoveStale(ctx, time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
	pw.CloseWithError(errors.New("the portal stopped"))
	if err := <-put; err == nil {
		t.Fatal("an aborted upload succeeded")
	}
	if keys := objects(t, s); len(keys) != 0 {
		t.Fatalf("left %v", keys)
	}
}

// A connection cut mid-file ends the request's context together with its
// body: the unfinished multipart upload is aborted all the same, not left
// for the sweep.
func TestS3CutConnectionLeavesNoUnfinishedUpload(t *testing.T) {
	t.Parallel()
	s := s3StoreOpts(t, document.S3Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cut := readerFunc(func([]byte) (int, error) { cancel(); return 0, io.ErrUnexpectedEOF })
	if err := s.Put(ctx, "cd/cut", io.MultiReader(io.LimitReader(noise(12<<20, 4), 7<<20), cut), "application/pdf"); err == nil {
		t.Fatal("a cut upload succeeded")
	}
	if n, err := s.RemoveStale(context.Background(), time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("unfinished multipart uploads: %d, %v", n, err)
	}
	if keys := objects(t, s); len(keys) != 0 {
		t.Fatalf("left %v", keys)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// The configuration picks S3 when a bucket is named, else the disk under
// DATA_DIR/documents.
func TestNewStoreFollowsTheConfiguration(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	cfg, err := config.Load(func(k string) string { return map[string]string{"DATA_DIR": dataDir}[k] })
	if err != nil {
		t.Fatal(err)
	}
	s, err := document.NewStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*document.Disk); !ok {
		t.Fatalf("without S3_BUCKET: %T", s)
	}
	if err := s.Put(context.Background(), "ab/x", strings.NewReader("x"), "text/plain"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "documents", "ab", "x")); err != nil {
		t.Fatalf("not under DATA_DIR/documents: %v", err)
	}

	srv := testenv.VersityGW(t)
	bucket := srv.NewBucket(t)
	cfg, err = config.Load(func(k string) string {
		return map[string]string{"DATA_DIR": dataDir, "S3_BUCKET": bucket, "S3_ENDPOINT": srv.Endpoint,
			"S3_ACCESS_KEY_ID": srv.AccessKey, "S3_SECRET_ACCESS_KEY": srv.SecretKey}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = document.NewStore(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*document.S3); !ok {
		t.Fatalf("with S3_BUCKET: %T", s)
	}
	if err := s.Put(context.Background(), "ab/x", strings.NewReader("x"), "text/plain"); err != nil {
		t.Fatal(err)
	}
	if keys := objects(t, s); len(keys) != 1 || keys[0] != "ab/x" {
		t.Fatalf("listed %v", keys)
	}
}
