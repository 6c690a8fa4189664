package testenv_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/bucket"
)

// The shared versitygw serves a test's own bucket through the AWS SDK,
// path-style.
func TestVersityGWServesABucket(t *testing.T) {
	t.Parallel()
	srv := testenv.VersityGW(t)
	if testenv.VersityGW(t) != srv {
		t.Fatal("VersityGW is not shared")
	}
	name := srv.NewBucket(t)
	client := s3.New(s3.Options{
		Region:       srv.Region,
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey, ""),
	})
	ctx := context.Background()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String("a/b.txt"),
		Body: strings.NewReader("hola")}); err != nil {
		t.Fatal(err)
	}
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(name), Key: aws.String("a/b.txt")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	if b, _ := io.ReadAll(out.Body); string(b) != "hola" {
		t.Fatalf("read back %q", b)
	}
}

// A private versitygw stops (requests are refused) and starts again on the
// same endpoint with its buckets and objects, and bucket.Contents sees them.
func TestVersityGWStopStart(t *testing.T) {
	t.Parallel()
	srv := testenv.NewVersityGW(t)
	name := srv.NewBucket(t)
	client := s3.New(s3.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey, "")})
	ctx := context.Background()
	put := func(key string) error {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(key), Body: strings.NewReader("hola")})
		return err
	}
	if err := put("before"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := put("during"); err == nil {
		t.Fatal("a stopped server took an object")
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := put("after"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(name), Key: aws.String("unfinished")}); err != nil {
		t.Fatal(err)
	}
	objects, uploads := bucket.Contents(t, srv, name)
	if strings.Join(objects, ",") != "after,before" || strings.Join(uploads, ",") != "unfinished" {
		t.Fatalf("objects %v, uploads %v", objects, uploads)
	}
}
