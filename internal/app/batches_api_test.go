package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

type batchJSON struct {
	ID         int64  `json:"id"`
	State      string `json:"state"`
	Total      int    `json:"total"`
	Done       int    `json:"done"`
	Added      int    `json:"added"`
	Duplicates int    `json:"duplicates"`
	Failed     int    `json:"failed"`
	Skipped    int    `json:"skipped"`
	Failures   []struct {
		Path, State, Reason string
	} `json:"failures"`
}

func TestFolderImportWithLiveProgress(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		root := filepath.Join(s.app.Config.ImportRoots[0], "pack")
		write := func(rel string, data []byte) {
			p := filepath.Join(root, rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 4 {
			write(fmt.Sprintf("Drums/Kicks/kick %d.wav", i), toneWAV(t, 0.2, float64(50+10*i), 1))
		}
		write("Loops/loop.wav", toneWAV(t, 1, 110, 2))
		write("Loops/loop copy.wav", toneWAV(t, 1, 110, 2)) // same content
		write("readme.txt", []byte("not audio"))
		if err := os.Symlink("/etc/hostname", filepath.Join(root, "escape.wav")); err != nil {
			t.Fatal(err)
		}

		r := s.sendJSON("POST", "/api/v1/batches", fmt.Sprintf(`{"path":%q,"tags":["pack"],"tags_from_folders":true}`, root))
		if r.status != 202 {
			t.Fatalf("create = %d %s", r.status, r.body)
		}
		var b batchJSON
		r.json(t, &b)

		// The socket streams progress and ends with complete.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.base, "http")+fmt.Sprintf("/ws/batches/%d", b.ID), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		var types []string
		var last struct {
			Total, Done, Failed int
		}
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				break
			}
			var m struct {
				Type string
				Data json.RawMessage
			}
			json.Unmarshal(data, &m)
			types = append(types, m.Type)
			if m.Type == "progress" {
				json.Unmarshal(m.Data, &last)
			}
		}
		if len(types) < 2 || types[len(types)-1] != "complete" || last.Total != 8 || last.Done != 8 {
			t.Fatalf("socket: %v, last progress %+v", types, last)
		}

		s.getJSON(fmt.Sprintf("/api/v1/batches/%d", b.ID), &b)
		if b.State != "done" || b.Total != 8 || b.Added != 5 || b.Duplicates != 1 || b.Skipped != 2 || b.Failed != 0 {
			t.Fatalf("batch = %+v", b)
		}
		reasons := map[string]string{}
		for _, f := range b.Failures {
			reasons[f.Path] = f.Reason
		}
		if !strings.Contains(reasons["readme.txt"], "not audio") || !strings.Contains(reasons["escape.wav"], "outside") {
			t.Fatalf("failures = %+v", b.Failures)
		}
		var page pageJSON
		s.getJSON("/api/v1/samples?tag=kicks&tag=pack", &page)
		if page.Total != 4 || !slices.Contains(page.Items[0].Tags, "drums") {
			t.Fatalf("folder tags: %+v", page)
		}

		// A second import of the same folder adds nothing new.
		var again batchJSON
		s.sendJSON("POST", "/api/v1/batches", fmt.Sprintf(`{"path":%q}`, root)).json(t, &again)
		deadline := time.Now().Add(20 * time.Second)
		for again.State != "done" && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			s.getJSON(fmt.Sprintf("/api/v1/batches/%d", again.ID), &again)
		}
		if again.Added != 0 || again.Duplicates != 6 {
			t.Fatalf("re-import = %+v", again)
		}

		for _, tt := range []struct {
			body string
			want int
		}{
			{`{"path":"/etc"}`, 422},
			{fmt.Sprintf(`{"path":%q}`, root+"/../../.."), 422},
			{fmt.Sprintf(`{"path":%q}`, root+"/nope"), 404},
			{fmt.Sprintf(`{"path":%q}`, filepath.Join(root, "readme.txt")), 422},
			{`{"path":""}`, 422},
		} {
			if r := s.sendJSON("POST", "/api/v1/batches", tt.body); r.status != tt.want {
				t.Errorf("%s = %d %s, want %d", tt.body, r.status, r.body, tt.want)
			}
		}
		if r := s.sendJSON("POST", fmt.Sprintf("/api/v1/batches/%d/cancel", b.ID), ``); r.status != 409 {
			t.Errorf("cancel a finished batch = %d, want 409", r.status)
		}
		if r := s.sendJSON("POST", fmt.Sprintf("/api/v1/batches/%d/retry", b.ID), ``); r.status != 409 {
			t.Errorf("retry without failures = %d, want 409", r.status)
		}
		var list struct{ Total int }
		if s.getJSON("/api/v1/batches", &list); list.Total != 2 {
			t.Errorf("batches listed = %d", list.Total)
		}
	})
}
