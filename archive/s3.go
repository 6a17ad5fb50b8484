package archive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/omsd/omsd/config"
)

// S3 is the back end on an S3-compatible object store: one object per
// segment, PREFIX NAME.seg. A PUT that returned is durable by S3's
// contract; objects are written once and never overwritten.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string
	region string
	where  string

	mu       sync.Mutex
	bucketOK bool // the bucket exists
}

// NewS3 is the store cfg names; the bucket is created, if missing, when
// the store first answers.
func NewS3(ctx context.Context, cfg config.ArchiveS3) (*S3, error) {
	secret := ""
	if cfg.SecretKeyFile != "" {
		b, err := os.ReadFile(cfg.SecretKeyFile)
		if err != nil {
			return nil, fmt.Errorf("archive.s3.secret_key_file: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(cfg.AccessKey, secret, ""), Secure: !cfg.Insecure,
		Region: cfg.Region, BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("archive.s3: %w", err)
	}
	return &S3{c: c, bucket: cfg.Bucket, prefix: cfg.Prefix, region: cfg.Region, where: "s3://" + cfg.Endpoint + "/" + cfg.Bucket + "/" + cfg.Prefix}, nil
}

// ready creates the bucket if it is missing, once the store answers.
func (s *S3) ready(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bucketOK {
		return nil
	}
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.c.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region}); err != nil {
			return fmt.Errorf("creating bucket %s: %w", s.bucket, err)
		}
	}
	s.bucketOK = true
	return nil
}

func (s *S3) key(name string) string { return s.prefix + name + segExt }

func (s *S3) String() string { return s.where }

// Put uploads the segment with its SHA-256 for the store to check.
func (s *S3) Put(ctx context.Context, name string, data []byte) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.c.PutObject(ctx, s.bucket, s.key(name), bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: "application/octet-stream", SendContentMd5: true})
	return err
}

func (s *S3) Get(ctx context.Context, name string) ([]byte, error) {
	return s.read(ctx, name, minio.GetObjectOptions{})
}

func (s *S3) GetRange(ctx context.Context, name string, off, n int64) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	var opt minio.GetObjectOptions
	if err := opt.SetRange(off, off+n-1); err != nil {
		return nil, err
	}
	b, err := s.read(ctx, name, opt)
	if err == nil && int64(len(b)) != n {
		return nil, fmt.Errorf("%w: %s has no bytes %d+%d", ErrDamaged, name, off, n)
	}
	return b, err
}

func (s *S3) read(ctx context.Context, name string, opt minio.GetObjectOptions) ([]byte, error) {
	o, err := s.c.GetObject(ctx, s.bucket, s.key(name), opt)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, fmt.Errorf("%w: %s", ErrNoSegment, name)
		}
		return nil, err
	}
	return b, nil
}

func (s *S3) List(ctx context.Context) ([]string, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	var names []string
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, o.Err
		}
		if n, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, s.prefix), segExt); ok && !strings.Contains(n, "/") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

func (s *S3) Delete(ctx context.Context, name string) error {
	err := s.c.RemoveObject(ctx, s.bucket, s.key(name), minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return nil
	}
	return err
}
