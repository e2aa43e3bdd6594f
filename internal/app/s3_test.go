package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// TestSamplesLiveInS3 runs the app with BLOB_URL=s3://… against an in-process S3-compatible
// server: the upload, analysis, audio and delete all go through the bucket.
func TestSamplesLiveInS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("library"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	defer s3.Close()
	endpoint := strings.TrimPrefix(s3.URL, "http://")
	s := startApp(t, storetest.NewTarget(t, config.SQLite), func(c *config.Config) {
		c.BlobURL = "s3://library?endpoint=" + endpoint + "&secure=false&region=us-east-1&prefix=samples"
		c.S3AccessKeyID, c.S3SecretKey = "test-access", "test-secret-key"
	})
	wav := toneWAV(t, 0.5, 330, 2)
	r := s.upload(part{"file", "tone.wav", wav})
	if r.status != http.StatusCreated {
		t.Fatalf("upload = %d %s", r.status, r.body)
	}
	var up struct{ Items []sampleJSON }
	r.json(t, &up)
	id := up.Items[0].ID
	if smp := s.waitAnalysed(id); smp.AnalysisState != "done" {
		t.Fatalf("analysis from S3: %+v", smp)
	}
	objects, err := backend.ListBucket("library", nil, gofakes3.ListBucketPage{})
	if err != nil || len(objects.Contents) != 1 || !strings.HasPrefix(objects.Contents[0].Key, "samples/") {
		t.Fatalf("bucket holds %+v (%v)", objects, err)
	}
	if r := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", id), nil, map[string]string{"Range": "bytes=100-199"}); r.status != 206 || !bytes.Equal(r.body, wav[100:200]) {
		t.Fatalf("range from S3 = %d", r.status)
	}
	if r := s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d", id), nil, nil); r.status != 204 {
		t.Fatalf("delete = %d", r.status)
	}
	objects, _ = backend.ListBucket("library", nil, gofakes3.ListBucketPage{})
	if len(objects.Contents) != 0 {
		t.Fatalf("object left after delete: %+v", objects.Contents)
	}
}
