// Package bucket reads what a test S3 server's bucket holds, through the
// AWS SDK. Its own package, so that test binaries that never look into a
// bucket do not link the SDK's S3 client.
package bucket

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"missiongrants/internal/testenv"
)

// Contents lists what bucket holds: the keys of its objects, and of its
// multipart uploads begun and not yet completed or aborted.
func Contents(t testing.TB, s *testenv.S3Server, bucket string) (objects, uploads []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := s3.New(s3.Options{Region: s.Region, BaseEndpoint: aws.String(s.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, "")})
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("bucket: list %s: %v", bucket, err)
		}
		for _, o := range page.Contents {
			objects = append(objects, aws.ToString(o.Key))
		}
	}
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)}
	for {
		page, err := client.ListMultipartUploads(ctx, in)
		if err != nil {
			t.Fatalf("bucket: list uploads in %s: %v", bucket, err)
		}
		for _, u := range page.Uploads {
			uploads = append(uploads, aws.ToString(u.Key))
		}
		if !aws.ToBool(page.IsTruncated) {
			return objects, uploads
		}
		in.KeyMarker, in.UploadIdMarker = page.NextKeyMarker, page.NextUploadIdMarker
	}
}

// WantExactly fails the test unless bucket holds exactly the objects keys,
// in any order, and no unfinished multipart upload.
func WantExactly(t testing.TB, s *testenv.S3Server, bucket string, keys []string) {
	t.Helper()
	objects, uploads := Contents(t, s, bucket)
	objects, keys = slices.Sorted(slices.Values(objects)), slices.Sorted(slices.Values(keys))
	if !slices.Equal(objects, keys) || len(uploads) != 0 {
		t.Errorf("bucket %s holds %q and unfinished uploads %q; want %q and none", bucket, objects, uploads, keys)
	}
}
