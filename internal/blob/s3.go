package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/sp404agent/sp404agent/internal/library"
)

// S3 is a blob store in a bucket of an S3-compatible object store, so that processes on several
// machines share one library. Uploads are still staged in a local folder first: the key is the
// content's hash, which is only known once the whole file has been read, and a file over the
// size limit never reaches the bucket.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
	tmp    string
}

// S3Config says where an S3 store lives and how to sign in to it.
type S3Config struct {
	Endpoint string // host or host:port of the S3 API, without a scheme
	Region   string // may be empty for servers that do not care
	Secure   bool   // HTTPS rather than HTTP
	Bucket   string // must already exist
	Prefix   string // put before every key; "" or a path such as "sp404/"

	Credentials Credentials

	// TempDir is the local folder uploads are staged in before they go to the bucket.
	TempDir string
}

// Credentials are the keys for an S3 store. The caller reads them (from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN); this package never looks at the environment.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // optional, for temporary credentials
}

// NewS3 connects to the bucket, checking that it exists so that a wrong setting fails at start
// rather than on the first upload, and removes staged files an earlier crash left behind.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Credentials.AccessKeyID == "" || cfg.Credentials.SecretAccessKey == "" {
		return nil, errors.New("s3 blob store: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set")
	}
	if cfg.TempDir == "" {
		return nil, errors.New("s3 blob store: no folder to stage uploads in")
	}
	if err := os.MkdirAll(cfg.TempDir, 0o750); err != nil {
		return nil, fmt.Errorf("s3 blob store: %w", err)
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.Credentials.AccessKeyID, cfg.Credentials.SecretAccessKey, cfg.Credentials.SessionToken),
		Secure: cfg.Secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 blob store: %w", err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 blob store: check bucket %q at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 blob store: bucket %q does not exist at %s", cfg.Bucket, cfg.Endpoint)
	}
	s := &S3{client: client, bucket: cfg.Bucket, prefix: cfg.Prefix, tmp: cfg.TempDir}
	sweepTempDir(s.tmp, time.Hour)
	return s, nil
}

// objectName is where key lives in the bucket; keys that do not match keyPattern are refused
// before any request is made.
func (s *S3) objectName(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", fmt.Errorf("blob key %q is malformed", key)
	}
	return s.prefix + key, nil
}

// Stage copies r into a local temp file, hashing it on the way; nothing reaches the bucket until
// Commit.
func (s *S3) Stage(ctx context.Context, r io.Reader, maxBytes int64) (library.Staged, error) {
	t, err := stageTemp(ctx, s.tmp, r, maxBytes)
	if err != nil {
		return nil, err
	}
	return &s3Staged{s: s, temp: t}, nil
}

// Open opens a stored object. The returned file reads through to the bucket: sequential reads
// stream one response, and each Seek or ReadAt starts a ranged request. It stops working when
// ctx is cancelled.
func (s *S3) Open(ctx context.Context, key string) (library.BlobFile, error) {
	name, err := s.objectName(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	// Stat sends the first GET; its body is kept, so reading from the start costs no second
	// request.
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if isNoSuchKey(err) {
			return nil, library.Errorf(library.CodeNotFound, "the sample's file is missing from storage")
		}
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return &s3File{Object: obj, size: info.Size, modTime: info.LastModified}, nil
}

// Delete removes a stored object; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.objectName(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil && !isNoSuchKey(err) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// exists reports whether an object is stored under name.
func (s *S3) exists(ctx context.Context, name string) (bool, error) {
	_, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	switch {
	case err == nil:
		return true, nil
	case isNoSuchKey(err):
		return false, nil
	default:
		return false, err
	}
}

// isNoSuchKey tells a missing object apart from other failures, such as a missing bucket, which
// must not look like a missing sample.
func isNoSuchKey(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == minio.NoSuchKey
}

type s3File struct {
	*minio.Object
	size    int64
	modTime time.Time
}

func (f *s3File) Size() int64        { return f.size }
func (f *s3File) ModTime() time.Time { return f.modTime }

type s3Staged struct {
	s    *S3
	temp *tempFile
	done bool
}

func (st *s3Staged) Hash() string { return st.temp.hash }
func (st *s3Staged) Size() int64  { return st.temp.size }
func (st *s3Staged) Head() []byte { return st.temp.head }

// Open reads the staged content back (for analysing an upload that is not kept).
func (st *s3Staged) Open() (io.ReadSeekCloser, error) {
	if st.done {
		return nil, errors.New("staged file already committed or discarded")
	}
	return os.Open(st.temp.f.Name())
}

// Commit uploads the staged file under its content key, unless an object with that key is
// already stored: the key is the content's hash, so that object holds the same bytes. Two
// processes committing the same content at once both upload it, which is harmless for the same
// reason. The temp file is removed whatever happens.
func (st *s3Staged) Commit(ctx context.Context) (string, error) {
	if st.done {
		return "", errors.New("staged file already committed or discarded")
	}
	defer st.Discard()
	key := KeyFor(st.temp.hash)
	name, err := st.s.objectName(key)
	if err != nil {
		return "", err
	}
	found, err := st.s.exists(ctx, name)
	if err != nil {
		return "", fmt.Errorf("commit blob: %w", err)
	}
	if found {
		return key, nil
	}
	if _, err := st.temp.f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("commit blob: %w", err)
	}
	_, err = st.s.client.PutObject(ctx, st.s.bucket, name, st.temp.f, st.temp.size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
	})
	if err != nil {
		return "", fmt.Errorf("commit blob: %w", err)
	}
	return key, nil
}

// Discard removes the temp file.
func (st *s3Staged) Discard() error {
	if st.done {
		return nil
	}
	st.done = true
	return st.temp.remove()
}
