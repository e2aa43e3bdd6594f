package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/sp404agent/sp404agent/internal/library"
)

// Store is a blob store: what the library and the backup need from one. Local and S3 are Stores.
type Store interface {
	Stage(ctx context.Context, r io.Reader, maxBytes int64) (library.Staged, error)
	Open(ctx context.Context, key string) (library.BlobFile, error)
	Delete(ctx context.Context, key string) error
}

var (
	_ Store         = (*Local)(nil)
	_ Store         = (*S3)(nil)
	_ library.Blobs = (*S3)(nil)
)

// Open opens the blob store blobURL names:
//
//   - "" is the folder "samples" in dataDir;
//   - file:///abs/path is a local folder;
//   - s3://bucket?endpoint=host:port&region=r&secure=false&prefix=p is a bucket of an
//     S3-compatible object store; uploads are staged in dataDir/s3-staging. endpoint defaults to
//     s3.amazonaws.com, secure to true, region and prefix to none.
//
// creds are only used for s3 URLs, which refuse to carry credentials themselves.
func Open(ctx context.Context, blobURL, dataDir string, creds Credentials) (Store, error) {
	loc, err := parseURL(blobURL, dataDir)
	if err != nil {
		return nil, err
	}
	if loc.s3 == nil {
		return NewLocal(loc.dir)
	}
	cfg := *loc.s3
	cfg.Credentials = creds
	return NewS3(ctx, cfg)
}

// location is a parsed blob URL: a local folder, or an S3 bucket (without credentials).
type location struct {
	dir string
	s3  *S3Config
}

var (
	regionPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	// prefixPattern allows plain path segments only: no leading slash, no empty segment.
	prefixPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?$`)
)

var s3Params = []string{"endpoint", "region", "secure", "prefix"}

func parseURL(blobURL, dataDir string) (location, error) {
	if blobURL == "" {
		if dataDir == "" {
			return location{}, errors.New("blob store: no data folder")
		}
		return location{dir: filepath.Join(dataDir, "samples")}, nil
	}
	u, err := url.Parse(blobURL)
	if err != nil {
		// url.Error repeats the whole URL, which is not ours to print in full.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return location{}, fmt.Errorf("blob url: %w", err)
	}
	if u.User != nil {
		return location{}, errors.New("blob url: credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	if strings.Contains(blobURL, "#") {
		return location{}, errors.New("blob url: a fragment (#…) is not allowed")
	}
	switch u.Scheme {
	case "file":
		return parseFileURL(u)
	case "s3":
		cfg, err := parseS3URL(u)
		if err != nil {
			return location{}, err
		}
		if dataDir == "" {
			return location{}, errors.New("blob store: no data folder to stage uploads in")
		}
		cfg.TempDir = filepath.Join(dataDir, "s3-staging")
		return location{s3: cfg}, nil
	default:
		return location{}, fmt.Errorf("blob url: scheme %q is not supported (use file:///path or s3://bucket)", u.Scheme)
	}
}

func parseFileURL(u *url.URL) (location, error) {
	if u.Opaque != "" || (u.Host != "" && u.Host != "localhost") || !strings.HasPrefix(u.Path, "/") {
		return location{}, errors.New("blob url: a file URL needs an absolute path, as in file:///var/lib/sp404agent/samples")
	}
	if u.RawQuery != "" || u.ForceQuery {
		return location{}, errors.New("blob url: a file URL takes no query")
	}
	return location{dir: filepath.Clean(filepath.FromSlash(u.Path))}, nil
}

func parseS3URL(u *url.URL) (*S3Config, error) {
	if u.Opaque != "" {
		return nil, errors.New("blob url: write s3://bucket, not s3:bucket")
	}
	if u.Port() != "" {
		return nil, errors.New("blob url: the s3 host is the bucket name; give the server as endpoint=host:port")
	}
	if err := s3utils.CheckValidBucketNameStrict(u.Host); err != nil {
		return nil, fmt.Errorf("blob url: bucket %q: %w", u.Host, err)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("blob url: an s3 URL has no path; use prefix=… for a folder inside the bucket")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("blob url: query: %w", err)
	}
	for name, vals := range q {
		if !slices.Contains(s3Params, name) {
			return nil, fmt.Errorf("blob url: unknown parameter %q (known: %s)", name, strings.Join(s3Params, ", "))
		}
		if len(vals) > 1 {
			return nil, fmt.Errorf("blob url: parameter %q is given more than once", name)
		}
	}
	cfg := &S3Config{Bucket: u.Host, Endpoint: "s3.amazonaws.com", Secure: true}
	if q.Has("endpoint") {
		if cfg.Endpoint, err = parseEndpoint(q.Get("endpoint")); err != nil {
			return nil, err
		}
	}
	if q.Has("region") {
		cfg.Region = q.Get("region")
		if !regionPattern.MatchString(cfg.Region) {
			return nil, fmt.Errorf("blob url: region %q is not valid", cfg.Region)
		}
	}
	if q.Has("secure") {
		if cfg.Secure, err = strconv.ParseBool(q.Get("secure")); err != nil {
			return nil, fmt.Errorf("blob url: secure must be true or false, not %q", q.Get("secure"))
		}
	}
	if q.Has("prefix") {
		p := q.Get("prefix")
		if !prefixPattern.MatchString(p) || slices.ContainsFunc(strings.Split(strings.TrimSuffix(p, "/"), "/"), isDotSegment) {
			return nil, fmt.Errorf("blob url: prefix %q must be a relative path such as sp404/samples", p)
		}
		cfg.Prefix = strings.TrimSuffix(p, "/") + "/"
	}
	return cfg, nil
}

func isDotSegment(s string) bool { return s == "." || s == ".." }

// parseEndpoint checks that e is host or host:port, without a scheme or a path.
func parseEndpoint(e string) (string, error) {
	if strings.Contains(e, "://") {
		return "", fmt.Errorf("blob url: endpoint %q must be host:port without a scheme (use secure=false for plain HTTP)", e)
	}
	u, err := url.Parse("//" + e)
	if err != nil || e == "" || u.Host != e || u.User != nil || u.Hostname() == "" {
		return "", fmt.Errorf("blob url: endpoint %q must be host or host:port", e)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("blob url: endpoint %q has a bad port", e)
		}
	}
	return e, nil
}
