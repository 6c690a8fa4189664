//lint:file-ignore SA1019 manager.Uploader streams a body of unknown length in parts; its successor, transfermanager, is to be tried against versitygw before we switch

package document_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"missiongrants/internal/document"
	"missiongrants/internal/testenv"
)

// benchSize is the file BenchmarkUpload200MB sends.
const benchSize = 200 << 20

// BenchmarkUpload200MB sends the same 200 MB file to the same versitygw
// three ways, one after the other in each round (in turn first), so that
// whatever else the machine is doing weighs on all three alike:
//
//   - plain: the AWS upload manager alone, with document.S3's part size
//     and concurrency (the baseline);
//   - portal: the portal's Upload, with the S3 store (sniffing, size limit,
//     SHA-256, the database row and its audit entry);
//   - clamd: the same with clamd scanning the file.
//
// It reports each one's median throughput (MB/s, 10^6 bytes), the portal's
// as a share of the plain one's, and the most the Go heap grew (HeapInuse,
// sampled every 10 ms) during one upload. docs/performance.md has figures:
//
//	go test ./internal/document/ -run '^$' -bench Upload200MB -benchtime 5x
func BenchmarkUpload200MB(b *testing.B) {
	srv := testenv.VersityGW(b)
	bucket := srv.NewBucket(b)
	client := s3.New(s3.Options{
		Region:                     srv.Region,
		BaseEndpoint:               aws.String(srv.Endpoint),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
	plain := manager.NewUploader(client, func(u *manager.Uploader) {
		u.PartSize, u.Concurrency = manager.MinUploadPartSize, 3 // document.S3's defaults
	})
	portal := setup(b, s3Store(b), withMaxBytes(256<<20))
	scanned := setup(b, s3Store(b), withMaxBytes(256<<20), withClamd(b))
	seed := uint64(time.Now().UnixNano())
	// Each upload returns how to remove what it stored (untimed), so that
	// the rounds do not fill the server's disk.
	upload := func(f *fixture) func(io.Reader) func() {
		return func(body io.Reader) func() {
			d, err := f.svc.Upload(context.Background(), act(f.owner), f.owner, document.UploadInput{
				OrganizationID: f.org, ApplicationID: &f.app, Kind: document.OutcomeReport,
				Filename: "mission-report.pdf", Body: body})
			if err != nil {
				b.Fatal(err)
			}
			if d.Size != benchSize {
				b.Fatalf("stored %d bytes", d.Size)
			}
			return func() { f.store.Delete(context.Background(), d.StorageKey) }
		}
	}
	variants := []struct {
		name   string
		upload func(io.Reader) func()
		mbps   []float64
		heap   uint64
	}{
		{name: "plain", upload: func(body io.Reader) func() {
			// A new key each time, as the portal's.
			key := aws.String(fmt.Sprintf("plain/%d.pdf", seed))
			if _, err := plain.Upload(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: key, Body: body}); err != nil {
				b.Fatal(err)
			}
			return func() {
				client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: key})
			}
		}},
		{name: "portal", upload: upload(portal)},
		{name: "clamd", upload: upload(scanned)},
	}

	path := filepath.Join(b.TempDir(), "mission-report.pdf")
	round := 0
	for b.Loop() {
		// A new file each round, so that clamd cannot answer from its cache.
		b.StopTimer()
		seed++
		writeNoise(b, path, seed)
		b.StartTimer()
		// Each round starts with the next variant, so none is always first.
		round++
		for j := range variants {
			v := &variants[(round+j)%len(variants)]
			elapsed, heap := measure(b, path, v.upload)
			v.mbps = append(v.mbps, benchSize/1e6/elapsed.Seconds())
			b.Logf("round %d: %s %.0f MB/s", round, v.name, v.mbps[len(v.mbps)-1])
			v.heap = max(v.heap, heap)
		}
	}
	for _, v := range variants {
		b.ReportMetric(median(v.mbps), v.name+"-MB/s")
		b.ReportMetric(float64(v.heap)/(1<<20), v.name+"-heap-growth-MiB")
		if v.heap > 64<<20 {
			b.Errorf("%s: the heap grew by %d MiB during one upload; the target is under 64 MiB", v.name, v.heap>>20)
		}
	}
	b.ReportMetric(100*median(variants[1].mbps)/median(variants[0].mbps), "portal/plain-%")
}

// measure runs one upload of the file at path, read through a bare
// io.Reader as a request body is (no size, no seeking), and returns how
// long it took and how far the heap grew above where it was before.
func measure(b *testing.B, path string, upload func(io.Reader) func()) (time.Duration, uint64) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	start := time.Now()
	remove := upload(onlyReader{f})
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	b.StopTimer()
	remove()
	b.StartTimer()
	return elapsed, peak - min(peak, base.HeapInuse)
}

func writeNoise(b *testing.B, path string, seed uint64) {
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, noise(benchSize, seed)); err != nil {
		b.Fatal(err)
	}
	// On disk before the uploads start: the kernel writing it back must
	// not slow whichever upload comes first.
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
