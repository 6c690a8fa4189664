//lint:file-ignore SA1019 manager.Uploader streams a body of unknown length in parts; its successor, transfermanager, is to be tried against versitygw before we switch

package document

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3Config says where the S3 store is.
type S3Config struct {
	Endpoint        string // empty: AWS; otherwise an S3-compatible server
	Region          string
	Bucket          string
	AccessKeyID     string // empty: the AWS default credential chain
	SecretAccessKey string
	// Prefix is put before every key, so the bucket may hold other things
	// that List (and so Sweep) never sees. Default "documents/".
	Prefix string
	// PartSize and Concurrency bound an upload's memory: the upload
	// manager holds at most Concurrency+1 parts of PartSize (defaults 5 MiB
	// and 3: about 20 MiB per upload in flight, whatever the file's size).
	PartSize    int64
	Concurrency int
}

// S3 keeps objects in an S3 bucket, path-style addressed so that any
// S3-compatible server works.
type S3 struct {
	client   *s3.Client
	presign  *s3.PresignClient
	uploader *manager.Uploader
	bucket   string
	prefix   string
}

// NewS3 builds the store; it makes no request.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	if c.Bucket == "" {
		return nil, errors.New("document.NewS3: no bucket")
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.Prefix == "" {
		c.Prefix = "documents/"
	}
	if c.PartSize <= 0 {
		c.PartSize = manager.MinUploadPartSize
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 3
	}
	// An S3 that stops answering must refuse an upload in seconds, not hold
	// the person's request open: the SDK waits 30 s to connect and sets no
	// response timeout for S3. (Its retries already back off from 50 ms.)
	httpClient := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = 5 * time.Second }).
		WithTransportOptions(func(t *http.Transport) { t.ResponseHeaderTimeout = 15 * time.Second })
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(c.Region), awsconfig.WithHTTPClient(httpClient)}
	if c.AccessKeyID != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("document.NewS3: %w", err)
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.UsePathStyle = true
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		// Checksums only where S3 demands them: many S3-compatible servers
		// reject the newer default trailing checksums, and every file's
		// SHA-256 is kept in its row anyway.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &S3{
		client:  client,
		presign: s3.NewPresignClient(client),
		uploader: manager.NewUploader(client, func(u *manager.Uploader) {
			u.PartSize = c.PartSize
			u.Concurrency = c.Concurrency
			u.LeavePartsOnError = true // Put aborts, with a context of its own
		}),
		bucket: c.Bucket,
		prefix: c.Prefix,
	}, nil
}

// Put streams body through the upload manager: one PutObject for a small
// file, a multipart upload for a larger one, aborted when body fails, so
// no object appears unless body reached its end.
func (s *S3) Put(ctx context.Context, key string, body io.Reader, contentType string) error {
	_, err := s.uploader.Upload(ctx, &s3.PutObjectInput{
		Bucket:      aws.String(s.bucket),
		Key:         aws.String(s.prefix + key),
		Body:        body,
		ContentType: aws.String(contentType),
	})
	if err != nil {
		var multi manager.MultiUploadFailure
		if errors.As(err, &multi) && multi.UploadID() != "" {
			s.abort(ctx, key, multi.UploadID())
		}
		return fmt.Errorf("document: s3 put: %w", err)
	}
	return nil
}

// abort drops a failed multipart upload's parts, even when ctx has ended:
// a connection cut mid-file fails the body and ends the request's context
// at once, and the upload manager's own abort would go with it. If S3 does
// not answer, the parts wait for Sweep (RemoveStale).
func (s *S3) abort(ctx context.Context, key, uploadID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, _ = s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: aws.String(s.bucket), Key: aws.String(s.prefix + key), UploadId: aws.String(uploadID)})
}

// Open streams key's object.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.prefix + key)})
	var noKey *types.NoSuchKey
	if errors.As(err, &noKey) {
		return nil, ErrObjectNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("document: s3 open: %w", err)
	}
	return out.Body, nil
}

// Delete removes key's object.
func (s *S3) Delete(ctx context.Context, key string) error {
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.prefix + key)})
	if err != nil {
		return fmt.Errorf("document: s3 delete: %w", err)
	}
	return nil
}

// List pages through the objects under the prefix.
func (s *S3) List(ctx context.Context, fn func(Object) error) error {
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("document: s3 list: %w", err)
		}
		for _, o := range page.Contents {
			o := Object{Key: strings.TrimPrefix(aws.ToString(o.Key), s.prefix), Size: aws.ToInt64(o.Size), Modified: aws.ToTime(o.LastModified)}
			if err := fn(o); err != nil {
				return err
			}
		}
	}
	return nil
}

// RemoveStale aborts multipart uploads begun before `before` and never
// finished (the portal stopped mid-upload): S3 keeps, and bills, their
// parts until then.
func (s *S3) RemoveStale(ctx context.Context, before time.Time) (int, error) {
	n := 0
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix)}
	for {
		page, err := s.client.ListMultipartUploads(ctx, in)
		if err != nil {
			return n, fmt.Errorf("document: s3 list uploads: %w", err)
		}
		for _, u := range page.Uploads {
			if !aws.ToTime(u.Initiated).Before(before) {
				continue
			}
			if _, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
				Bucket: aws.String(s.bucket), Key: u.Key, UploadId: u.UploadId,
			}); err != nil {
				return n, fmt.Errorf("document: s3 abort upload: %w", err)
			}
			n++
		}
		if !aws.ToBool(page.IsTruncated) {
			return n, nil
		}
		in.KeyMarker, in.UploadIdMarker = page.NextKeyMarker, page.NextUploadIdMarker
	}
}

// SignedURL presigns a GET of key that the browser saves as filename.
func (s *S3) SignedURL(ctx context.Context, key, filename, contentType string, ttl time.Duration) (string, error) {
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:                     aws.String(s.bucket),
		Key:                        aws.String(s.prefix + key),
		ResponseContentDisposition: aws.String(ContentDisposition(filename)),
		ResponseContentType:        aws.String(contentType),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("document: s3 presign: %w", err)
	}
	return req.URL, nil
}
