package blob

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"

	"github.com/sp404agent/sp404agent/internal/library"
)

const testBucket = "sp404-samples"

// fakeS3 is an in-process S3-compatible server on loopback, counting the requests it serves.
type fakeS3 struct {
	endpoint string
	requests atomic.Int64
	puts     atomic.Int64
}

func newFakeS3(t *testing.T) *fakeS3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	handler := gofakes3.New(backend).Server()
	f := &fakeS3{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		if r.Method == http.MethodPut {
			f.puts.Add(1)
		}
		if err := decodeChunkedPart(r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.endpoint = strings.TrimPrefix(srv.URL, "http://")
	return f
}

// decodeChunkedPart removes the aws-chunked framing (what minio-go sends over plain HTTP) from
// the body of a multipart part upload, as S3 does. gofakes3 v1.2.0 decodes it for whole-object
// PUTs only and would otherwise store the framing as content.
func decodeChunkedPart(r *http.Request) error {
	if r.Method != http.MethodPut || !r.URL.Query().Has("partNumber") ||
		r.Header.Get("X-Amz-Content-Sha256") != "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" {
		return nil
	}
	br := bufio.NewReader(r.Body)
	var body bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("chunk header: %w", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		size, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil {
			return fmt.Errorf("chunk size: %w", err)
		}
		if _, err := io.CopyN(&body, br, size); err != nil {
			return fmt.Errorf("chunk data: %w", err)
		}
		if _, err := br.Discard(2); err != nil { // "\r\n"
			return fmt.Errorf("chunk end: %w", err)
		}
		if size == 0 {
			break
		}
	}
	r.Body.Close()
	r.Body = io.NopCloser(&body)
	r.ContentLength = int64(body.Len())
	r.Header.Set("Content-Length", strconv.Itoa(body.Len()))
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	return nil
}

// store opens an S3 store on the fake server, as one machine would, with its own staging folder.
func (f *fakeS3) store(t *testing.T, prefix string) *S3 {
	t.Helper()
	s, err := NewS3(t.Context(), S3Config{
		Endpoint:    f.endpoint,
		Region:      "us-east-1",
		Bucket:      testBucket,
		Prefix:      prefix,
		Credentials: Credentials{AccessKeyID: "test-key", SecretAccessKey: "test-secret"},
		TempDir:     t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// objects lists every object name in the bucket.
func objects(t *testing.T, s *S3) []string {
	t.Helper()
	var names []string
	for obj := range s.client.ListObjects(t.Context(), s.bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		names = append(names, obj.Key)
	}
	return names
}

func assertTempEmpty(t *testing.T, s *S3) {
	t.Helper()
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("staging folder holds %d files, want none", len(entries))
	}
}

func randomBytes(seed uint64, n int) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	b := make([]byte, n)
	_, _ = rand.NewChaCha8(key).Read(b)
	return b
}

func commit(t *testing.T, s *S3, content []byte) string {
	t.Helper()
	st, err := s.Stage(t.Context(), bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	key, err := st.Commit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func readAll(t *testing.T, s *S3, key string) []byte {
	t.Helper()
	f, err := s.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestS3StageCommitOpenDelete(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "library/")
	content := randomBytes(1, 300_000)
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])

	st, err := s.Stage(t.Context(), bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if st.Hash() != hash || st.Size() != int64(len(content)) || !bytes.Equal(st.Head(), content[:headSize]) {
		t.Fatalf("staged hash %s size %d head %d bytes; want %s, %d, %d", st.Hash(), st.Size(), len(st.Head()), hash, len(content), headSize)
	}
	rc, err := st.Open()
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(back, content) {
		t.Fatalf("staged content read back differs (err %v)", err)
	}
	if got := objects(t, s); len(got) != 0 {
		t.Fatalf("bucket holds %v before commit, want nothing", got)
	}

	before := time.Now().Add(-time.Minute)
	key, err := st.Commit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if key != KeyFor(hash) {
		t.Errorf("key = %q, want %q", key, KeyFor(hash))
	}
	if got := objects(t, s); len(got) != 1 || got[0] != "library/"+key {
		t.Errorf("bucket holds %v, want [library/%s]", got, key)
	}
	assertTempEmpty(t, s)
	if _, err := st.Commit(t.Context()); err == nil {
		t.Error("second Commit of one staged file succeeded")
	}
	if _, err := st.Open(); err == nil {
		t.Error("Open of a committed staged file succeeded")
	}

	f, err := s.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != int64(len(content)) {
		t.Errorf("Size = %d, want %d", f.Size(), len(content))
	}
	if f.ModTime().Before(before) || f.ModTime().After(time.Now().Add(time.Minute)) {
		t.Errorf("ModTime = %v, want about now", f.ModTime())
	}
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read all: %d bytes, err %v; want the %d bytes committed", len(got), err, len(content))
	}

	buf := make([]byte, 500)
	if n, err := f.ReadAt(buf, 1000); err != nil || n != len(buf) || !bytes.Equal(buf, content[1000:1500]) {
		t.Errorf("ReadAt(500 bytes at 1000) = %d, %v; content differs or short", n, err)
	}
	tail := int64(len(content)) - 200
	if n, err := f.ReadAt(buf, tail); n != 200 || !errors.Is(err, io.EOF) || !bytes.Equal(buf[:n], content[tail:]) {
		t.Errorf("ReadAt over the end = %d, %v; want 200, io.EOF", n, err)
	}
	if n, err := f.ReadAt(buf, int64(len(content))); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("ReadAt at the end = %d, %v; want 0, io.EOF", n, err)
	}

	// The way http.ServeContent finds the size and then serves a range.
	if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(content)) {
		t.Errorf("Seek(0, End) = %d, %v; want %d", end, err, len(content))
	}
	if pos, err := f.Seek(-100, io.SeekEnd); err != nil || pos != tail+100 {
		t.Errorf("Seek(-100, End) = %d, %v", pos, err)
	}
	last, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(last, content[len(content)-100:]) {
		t.Errorf("read after Seek(-100, End): %d bytes, err %v", len(last), err)
	}
	if _, err := f.Seek(2000, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(10, io.SeekCurrent); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(f, buf); err != nil || !bytes.Equal(buf, content[2010:2510]) {
		t.Errorf("read after Seek(2000)+Seek(10, Current) differs (err %v)", err)
	}

	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(t.Context(), key); library.ErrorCode(err) != library.CodeNotFound {
		t.Errorf("Open after Delete: %v, want CodeNotFound", err)
	}
	if err := s.Delete(t.Context(), key); err != nil {
		t.Errorf("deleting a missing object: %v, want nil", err)
	}
	if got := objects(t, s); len(got) != 0 {
		t.Errorf("bucket holds %v after Delete, want nothing", got)
	}
}

func TestS3DiscardLeavesNothing(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "")
	st, err := s.Stage(t.Context(), strings.NewReader("kick"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Discard(); err != nil {
		t.Fatal(err)
	}
	if err := st.Discard(); err != nil {
		t.Errorf("second Discard: %v", err)
	}
	if _, err := st.Commit(t.Context()); err == nil {
		t.Error("Commit after Discard succeeded")
	}
	assertTempEmpty(t, s)
	if got := objects(t, s); len(got) != 0 {
		t.Errorf("bucket holds %v, want nothing", got)
	}
}

func TestS3IdenticalContentIsStoredOnce(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "")
	content := randomBytes(2, 50_000)

	first := commit(t, s, content)
	puts := fake.puts.Load()
	second := commit(t, s, content)
	if first != second {
		t.Errorf("keys differ: %q, %q", first, second)
	}
	if n := fake.puts.Load() - puts; n != 0 {
		t.Errorf("second commit of the same content made %d uploads, want none", n)
	}
	if got := objects(t, s); len(got) != 1 {
		t.Errorf("bucket holds %v, want one object", got)
	}
	assertTempEmpty(t, s)
}

func TestS3StageTooLargeIsRefusedAndLeavesNothing(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "")
	requests := fake.requests.Load()

	_, err := s.Stage(t.Context(), bytes.NewReader(randomBytes(3, 2<<20+1)), 2<<20)
	if library.ErrorCode(err) != library.CodeTooLarge {
		t.Fatalf("Stage over the limit: %v, want CodeTooLarge", err)
	}
	if n := fake.requests.Load() - requests; n != 0 {
		t.Errorf("refused staging made %d requests, want none", n)
	}
	assertTempEmpty(t, s)
	if got := objects(t, s); len(got) != 0 {
		t.Errorf("bucket holds %v, want nothing", got)
	}

	// Exactly at the limit is fine.
	content := randomBytes(4, 1<<20)
	st, err := s.Stage(t.Context(), bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatalf("Stage at the limit: %v", err)
	}
	st.Discard()
}

func TestS3StageStopsWhenCancelled(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Stage(ctx, strings.NewReader("snare"), 1<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("Stage with a cancelled context: %v, want context.Canceled", err)
	}
	assertTempEmpty(t, s)
}

func TestS3MissingObjectIsNotFound(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "")
	sum := sha256.Sum256([]byte("never stored"))
	_, err := s.Open(t.Context(), KeyFor(hex.EncodeToString(sum[:])))
	if library.ErrorCode(err) != library.CodeNotFound {
		t.Fatalf("Open of a missing object: %v, want CodeNotFound", err)
	}
	if msg := library.ErrorMessage(err); msg != "the sample's file is missing from storage" {
		t.Errorf("message = %q", msg)
	}
}

func TestIsNoSuchKeyOnlyMatchesAMissingObject(t *testing.T) {
	// gofakes3 answers NoSuchKey for an object in a missing bucket, so this is checked on the
	// error values S3 sends rather than against the fake server.
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{minio.ErrorResponse{Code: minio.NoSuchKey, StatusCode: http.StatusNotFound}, true},
		{fmt.Errorf("open: %w", minio.ErrorResponse{Code: minio.NoSuchKey, StatusCode: http.StatusNotFound}), true},
		{minio.ErrorResponse{Code: minio.NoSuchBucket, StatusCode: http.StatusNotFound}, false},
		{minio.ErrorResponse{Code: "AccessDenied", StatusCode: http.StatusForbidden}, false},
		{errors.New("connection refused"), false},
	} {
		if got := isNoSuchKey(tc.err); got != tc.want {
			t.Errorf("isNoSuchKey(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestS3RefusesBadKeysWithoutARequest(t *testing.T) {
	fake := newFakeS3(t)
	s := fake.store(t, "")
	hash := strings.Repeat("ab", 32)
	for _, key := range []string{
		"",
		"../../etc/passwd",
		"ab/cd/" + hash[:63],
		"ab/cd/" + hash + "0",
		"AB/CD/" + strings.ToUpper(hash),
		"ab/cd/" + hash + "/../x",
		"/ab/cd/" + hash,
		"ab/cd/" + hash + "?versionId=1",
		"ab\\cd\\" + hash,
	} {
		requests := fake.requests.Load()
		if _, err := s.Open(t.Context(), key); err == nil {
			t.Errorf("Open(%q) succeeded", key)
		}
		if err := s.Delete(t.Context(), key); err == nil {
			t.Errorf("Delete(%q) succeeded", key)
		}
		if n := fake.requests.Load() - requests; n != 0 {
			t.Errorf("key %q reached the server (%d requests)", key, n)
		}
	}
}

func TestS3TwoMachinesShareOneLibrary(t *testing.T) {
	fake := newFakeS3(t)
	api := fake.store(t, "shared/")
	worker := fake.store(t, "shared/")
	content := randomBytes(5, 70_000)

	key := commit(t, api, content)
	if got := readAll(t, worker, key); !bytes.Equal(got, content) {
		t.Fatal("the worker reads different bytes than the API stored")
	}

	puts := fake.puts.Load()
	if again := commit(t, worker, content); again != key {
		t.Errorf("worker's key %q, want %q", again, key)
	}
	if n := fake.puts.Load() - puts; n != 0 {
		t.Errorf("the worker uploaded content the API had stored (%d uploads)", n)
	}

	if err := worker.Delete(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Open(t.Context(), key); library.ErrorCode(err) != library.CodeNotFound {
		t.Errorf("API opens a file the worker deleted: %v, want CodeNotFound", err)
	}

	// Another prefix is another library in the same bucket.
	other := fake.store(t, "other/")
	key = commit(t, api, content)
	if _, err := other.Open(t.Context(), key); library.ErrorCode(err) != library.CodeNotFound {
		t.Errorf("a store with another prefix sees the file: %v", err)
	}
}

func TestS3LargeFileUploadsInParts(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 20 MB")
	}
	fake := newFakeS3(t)
	s := fake.store(t, "")
	// Over minio-go's 16 MiB single-request threshold, so the upload is multipart.
	content := randomBytes(6, 20<<20)
	key := commit(t, s, content)
	if got := readAll(t, s, key); !bytes.Equal(got, content) {
		t.Fatal("large file read back differs")
	}
}

func TestS3ConcurrentCommitsAndOpens(t *testing.T) {
	fake := newFakeS3(t)
	a, b := fake.store(t, ""), fake.store(t, "")
	const workers, perWorker, distinct = 8, 6, 5
	contents := make([][]byte, distinct)
	for i := range contents {
		contents[i] = randomBytes(uint64(100+i), 10_000+i*3_000)
	}

	var wg sync.WaitGroup
	for w := range workers {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for i := range perWorker {
				content := contents[(w+i)%distinct]
				st, err := s.Stage(t.Context(), bytes.NewReader(content), 1<<20)
				if err != nil {
					t.Error(err)
					return
				}
				key, err := st.Commit(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				f, err := s.Open(t.Context(), key)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := io.ReadAll(f)
				f.Close()
				if err != nil || !bytes.Equal(got, content) {
					t.Errorf("worker %d: content %d read back differs (err %v)", w, (w+i)%distinct, err)
				}
			}
		})
	}
	wg.Wait()
	if got := objects(t, a); len(got) != distinct {
		t.Errorf("bucket holds %d objects, want %d", len(got), distinct)
	}
	assertTempEmpty(t, a)
	assertTempEmpty(t, b)
}

func TestNewS3RefusesABadSetup(t *testing.T) {
	fake := newFakeS3(t)
	creds := Credentials{AccessKeyID: "k", SecretAccessKey: "s"}
	for name, cfg := range map[string]S3Config{
		"missing bucket":    {Endpoint: fake.endpoint, Bucket: "no-such-bucket", Credentials: creds, TempDir: t.TempDir()},
		"no credentials":    {Endpoint: fake.endpoint, Bucket: testBucket, TempDir: t.TempDir()},
		"half credentials":  {Endpoint: fake.endpoint, Bucket: testBucket, Credentials: Credentials{AccessKeyID: "k"}, TempDir: t.TempDir()},
		"no staging folder": {Endpoint: fake.endpoint, Bucket: testBucket, Credentials: creds},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewS3(t.Context(), cfg); err == nil {
				t.Error("NewS3 succeeded")
			}
		})
	}
}

func TestOpenPicksTheStoreFromTheURL(t *testing.T) {
	fake := newFakeS3(t)
	dataDir := t.TempDir()
	creds := Credentials{AccessKeyID: "k", SecretAccessKey: "s"}

	s, err := Open(t.Context(), "", dataDir, creds)
	if l, ok := s.(*Local); err != nil || !ok || l.root != dataDir+"/samples" {
		t.Errorf(`Open("") = %#v, %v; want Local in DATA_DIR/samples`, s, err)
	}
	dir := t.TempDir()
	s, err = Open(t.Context(), "file://"+dir, dataDir, Credentials{})
	if l, ok := s.(*Local); err != nil || !ok || l.root != dir {
		t.Errorf("Open(file://%s) = %#v, %v; want Local there", dir, s, err)
	}
	u := fmt.Sprintf("s3://%s?endpoint=%s&region=us-east-1&secure=false&prefix=lib", testBucket, fake.endpoint)
	s, err = Open(t.Context(), u, dataDir, creds)
	if err != nil {
		t.Fatal(err)
	}
	s3, ok := s.(*S3)
	if !ok || s3.prefix != "lib/" || s3.tmp != dataDir+"/s3-staging" {
		t.Fatalf("Open(%s) = %#v; want S3 with prefix lib/ staging in DATA_DIR", u, s)
	}
	key := commit(t, s3, []byte("hat"))
	if got := readAll(t, s3, key); string(got) != "hat" {
		t.Errorf("read back %q", got)
	}
	if _, err := Open(t.Context(), u, dataDir, Credentials{}); err == nil {
		t.Error("Open of an s3 URL without credentials succeeded")
	}
}

func TestParseURL(t *testing.T) {
	good := []struct {
		url  string
		want location
	}{
		{"", location{dir: "/data/samples"}},
		{"file:///srv/samples", location{dir: "/srv/samples"}},
		{"file://localhost/srv/samples/", location{dir: "/srv/samples"}},
		{"s3://bucket", location{s3: &S3Config{Bucket: "bucket", Endpoint: "s3.amazonaws.com", Secure: true, TempDir: "/data/s3-staging"}}},
		{"s3://my.bucket-1/?region=eu-west-1", location{s3: &S3Config{Bucket: "my.bucket-1", Endpoint: "s3.amazonaws.com", Region: "eu-west-1", Secure: true, TempDir: "/data/s3-staging"}}},
		{"s3://samples?endpoint=minio:9000&region=us-east-1&secure=false&prefix=sp404/lib/", location{s3: &S3Config{Bucket: "samples", Endpoint: "minio:9000", Region: "us-east-1", Prefix: "sp404/lib/", TempDir: "/data/s3-staging"}}},
		{"s3://samples?endpoint=127.0.0.1:9000&secure=true&prefix=p", location{s3: &S3Config{Bucket: "samples", Endpoint: "127.0.0.1:9000", Prefix: "p/", Secure: true, TempDir: "/data/s3-staging"}}},
		{"s3://samples?endpoint=[::1]:9000&secure=0", location{s3: &S3Config{Bucket: "samples", Endpoint: "[::1]:9000", TempDir: "/data/s3-staging"}}},
		{"s3://samples?endpoint=storage.example.com", location{s3: &S3Config{Bucket: "samples", Endpoint: "storage.example.com", Secure: true, TempDir: "/data/s3-staging"}}},
	}
	for _, tc := range good {
		t.Run("accepts "+tc.url, func(t *testing.T) {
			got, err := parseURL(tc.url, "/data")
			if err != nil {
				t.Fatal(err)
			}
			if got.dir != tc.want.dir || (got.s3 == nil) != (tc.want.s3 == nil) || got.s3 != nil && *got.s3 != *tc.want.s3 {
				t.Errorf("got %+v %+v, want %+v %+v", got, got.s3, tc.want, tc.want.s3)
			}
		})
	}

	bad := []struct{ url, wantErr string }{
		{"ftp://host/path", "not supported"},
		{"/srv/samples", "not supported"},
		{"samples", "not supported"},
		{"file://srv/samples", "absolute path"},
		{"file:samples", "absolute path"},
		{"file:///srv/samples?x=1", "no query"},
		{"file:///srv/samples#top", "fragment"},
		{"s3://", "bucket"},
		{"s3:bucket", "s3://bucket"},
		{"s3://Bucket", "bucket"},
		{"s3://ab", "bucket"},
		{"s3://bucket_name", "bucket"},
		{"s3://bucket:9000", "endpoint=host:port"},
		{"s3://key:secret@bucket", "credentials"},
		{"s3://key@bucket", "credentials"},
		{"s3://bucket/folder", "prefix="},
		{"s3://bucket?endpoint=", "host or host:port"},
		{"s3://bucket?endpoint=http://minio:9000", "without a scheme"},
		{"s3://bucket?endpoint=minio:9000/x", "host or host:port"},
		{"s3://bucket?endpoint=minio:port", "host or host:port"},
		{"s3://bucket?endpoint=minio:70000", "bad port"},
		{"s3://bucket?endpoint=:9000", "host or host:port"},
		{"s3://bucket?endpoint=a&endpoint=b", "more than once"},
		{"s3://bucket?secure=maybe", "true or false"},
		{"s3://bucket?region=us%20east", "region"},
		{"s3://bucket?region=", "region"},
		{"s3://bucket?prefix=/abs", "relative path"},
		{"s3://bucket?prefix=a/../b", "relative path"},
		{"s3://bucket?prefix=a//b", "relative path"},
		{"s3://bucket?prefix=", "relative path"},
		{"s3://bucket?Endpoint=minio:9000", "unknown parameter"},
		{"s3://bucket?access_key=k", "unknown parameter"},
		{"s3://bucket?endpoint=minio:9000;region=x", "query"},
		{"s3://bucket#frag", "fragment"},
		{"s3://bucket?endpoint=%zz", "blob url"},
	}
	for _, tc := range bad {
		t.Run("refuses "+tc.url, func(t *testing.T) {
			_, err := parseURL(tc.url, "/data")
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not mention %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q repeats the secret", err)
			}
		})
	}

	if _, err := parseURL("s3://bucket", ""); err == nil {
		t.Error("an s3 URL without a data folder to stage in was accepted")
	}
}
