package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

type collectionJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	ParentID    *int64 `json:"parent_id"`
	SampleCount int    `json:"sample_count"`
}

func (s *server) sendJSON(method, path, body string) response {
	s.t.Helper()
	return s.do(method, path, strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
}

func (s *server) uploadIDs(t *testing.T, tags string, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		r := s.upload(part{"file", fmt.Sprintf("s%d.wav", i), toneWAV(t, 0.1, float64(100+37*i)+float64(len(tags)), 1)}, part{"tags", "", []byte(tags)})
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var up struct{ Items []sampleJSON }
		r.json(t, &up)
		ids = append(ids, up.Items[0].ID)
	}
	return ids
}

func TestCollections(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, func(c *config.Config) { c.Workers = 0 })
		drums := s.uploadIDs(t, "drums", 3)
		keys := s.uploadIDs(t, "keys,dusty", 2)

		// A manual collection keeps the order samples were added in.
		var man collectionJSON
		r := s.sendJSON("POST", "/api/v1/collections", `{"name":"Beat 1"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create = %d %s", r.status, r.body)
		}
		r.json(t, &man)
		if man.Kind != "manual" || man.SampleCount != 0 {
			t.Fatalf("created %+v", man)
		}
		order := []int64{keys[1], drums[0], keys[0]}
		r = s.sendJSON("POST", fmt.Sprintf("/api/v1/collections/%d/samples", man.ID), fmt.Sprintf(`{"sample_ids":[%d,%d,%d]}`, order[0], order[1], order[2]))
		r.json(t, &man)
		if r.status != 200 || man.SampleCount != 3 {
			t.Fatalf("add = %d %s", r.status, r.body)
		}
		var page pageJSON
		s.getJSON(fmt.Sprintf("/api/v1/collections/%d/samples", man.ID), &page)
		if got := ids(page.Items); !slices.Equal(got, order) {
			t.Fatalf("manual order = %v, want %v", got, order)
		}
		// The sample list filters by collection too.
		s.getJSON(fmt.Sprintf("/api/v1/samples?collection_id=%d&tag=keys", man.ID), &page)
		if page.Total != 2 {
			t.Fatalf("samples in collection with tag keys = %d, want 2", page.Total)
		}
		r = s.do("DELETE", fmt.Sprintf("/api/v1/collections/%d/samples?sample_id=%d", man.ID, drums[0]), nil, nil)
		r.json(t, &man)
		if r.status != 200 || man.SampleCount != 2 {
			t.Fatalf("remove = %d %s", r.status, r.body)
		}

		// A smart collection is evaluated when asked, so it follows later changes.
		var smart collectionJSON
		r = s.sendJSON("POST", "/api/v1/collections", `{"name":"Dusty favourites","rules":{"tags_any":["dusty"],"favorite":true}}`)
		r.json(t, &smart)
		if r.status != http.StatusCreated || smart.Kind != "smart" || smart.SampleCount != 0 {
			t.Fatalf("smart = %d %s", r.status, r.body)
		}
		s.sendJSON("PATCH", fmt.Sprintf("/api/v1/samples/%d", keys[0]), `{"favorite":true}`)
		s.getJSON(fmt.Sprintf("/api/v1/collections/%d", smart.ID), &smart)
		if smart.SampleCount != 1 {
			t.Fatalf("smart count after favouriting = %d, want 1", smart.SampleCount)
		}
		// Its page answers with the list's own filters applied on top of its rules.
		for _, tt := range []struct {
			query string
			want  []int64
		}{{"", []int64{keys[0]}}, {"?q=keys", []int64{keys[0]}}, {"?q=-dusty", nil}, {"?q=dusty&sort=-name", []int64{keys[0]}}} {
			var page pageJSON
			if st := s.getJSON(fmt.Sprintf("/api/v1/collections/%d/samples%s", smart.ID, tt.query), &page); st != 200 {
				t.Fatalf("smart samples%s = %d", tt.query, st)
			}
			if got := ids(page.Items); !slices.Equal(got, tt.want) || page.Total != len(tt.want) {
				t.Fatalf("smart samples%s = %v (total %d), want %v", tt.query, got, page.Total, tt.want)
			}
		}
		var count struct{ Total int }
		if r = s.sendJSON("POST", "/api/v1/collections/count", `{"tags_all":["drums"]}`); r.status != 200 {
			t.Fatalf("count = %d %s", r.status, r.body)
		}
		r.json(t, &count)
		if count.Total != 3 {
			t.Fatalf("live count = %d, want 3", count.Total)
		}
		if r = s.sendJSON("POST", fmt.Sprintf("/api/v1/collections/%d/samples", smart.ID), fmt.Sprintf(`{"sample_ids":[%d]}`, drums[1])); r.status != http.StatusConflict {
			t.Fatalf("adding to a smart collection = %d, want 409", r.status)
		}

		// Nesting, and no cycles.
		var child, grandchild collectionJSON
		s.sendJSON("POST", "/api/v1/collections", fmt.Sprintf(`{"name":"Sub","parent_id":%d}`, man.ID)).json(t, &child)
		s.sendJSON("POST", "/api/v1/collections", fmt.Sprintf(`{"name":"Sub sub","parent_id":%d}`, child.ID)).json(t, &grandchild)
		if grandchild.ParentID == nil || *grandchild.ParentID != child.ID {
			t.Fatalf("grandchild = %+v", grandchild)
		}
		if r = s.sendJSON("PATCH", fmt.Sprintf("/api/v1/collections/%d", man.ID), fmt.Sprintf(`{"parent_id":%d}`, grandchild.ID)); r.status != http.StatusConflict {
			t.Fatalf("cycle = %d %s, want 409", r.status, r.body)
		}
		if r = s.sendJSON("PATCH", fmt.Sprintf("/api/v1/collections/%d", man.ID), fmt.Sprintf(`{"parent_id":%d}`, man.ID)); r.status != http.StatusConflict {
			t.Fatalf("self parent = %d, want 409", r.status)
		}
		var children struct {
			Items []collectionJSON
			Total int
		}
		s.getJSON(fmt.Sprintf("/api/v1/collections?parent_id=%d", man.ID), &children)
		if children.Total != 1 || children.Items[0].ID != child.ID {
			t.Fatalf("children = %+v", children)
		}
		// Deleting a parent keeps its children, now at the top level, and keeps the samples.
		if r = s.do("DELETE", fmt.Sprintf("/api/v1/collections/%d", man.ID), nil, nil); r.status != http.StatusNoContent {
			t.Fatalf("delete = %d", r.status)
		}
		s.getJSON(fmt.Sprintf("/api/v1/collections/%d", child.ID), &child)
		if child.ParentID != nil {
			t.Fatalf("child after parent deleted = %+v", child)
		}
		s.getJSON("/api/v1/samples", &page)
		if page.Total != 5 {
			t.Fatalf("samples after deleting a collection = %d, want 5", page.Total)
		}

		// Bad input is refused with the failing rule named, and changes nothing.
		for _, tt := range []struct {
			method, path, body string
			want               int
			detail             string
		}{
			{"POST", "/api/v1/collections", `{"name":"x","rules":{"bpm_min":120,"bpm_max":90}}`, 422, "bpm_min"},
			{"POST", "/api/v1/collections", `{"name":"x","rules":{"keys":["H"]}}`, 422, "keys"},
			{"POST", "/api/v1/collections", `{"name":"x","rules":{"categories":["banjo"]}}`, 422, "categories"},
			{"POST", "/api/v1/collections", `{"name":"x","rules":{"compatible_keys":true}}`, 422, "compatible_keys"},
			{"POST", "/api/v1/collections", `{"name":"x","kind":"manual","rules":{}}`, 422, "manual"},
			{"POST", "/api/v1/collections", `{"name":""}`, 422, "name"},
			{"POST", "/api/v1/collections", `{"name":"x","parent_id":999999}`, 404, "999999"},
			{"POST", fmt.Sprintf("/api/v1/collections/%d/samples", child.ID), `{"sample_ids":[999999]}`, 404, "999999"},
			{"POST", "/api/v1/collections/999999/samples", fmt.Sprintf(`{"sample_ids":[%d]}`, drums[0]), 404, "999999"},
			{"GET", "/api/v1/collections/999999", ``, 404, "999999"},
			{"GET", "/api/v1/collections/999999/samples", ``, 404, "999999"},
			{"GET", "/api/v1/samples?collection_id=999999", ``, 404, "999999"},
			{"GET", "/api/v1/samples?sort=position", ``, 422, "position"},
		} {
			r := s.sendJSON(tt.method, tt.path, tt.body)
			if r.status != tt.want || !strings.Contains(string(r.body), tt.detail) {
				t.Errorf("%s %s %s = %d %s, want %d mentioning %q", tt.method, tt.path, tt.body, r.status, r.body, tt.want, tt.detail)
			}
		}
		var all struct{ Total int }
		s.getJSON("/api/v1/collections", &all)
		if all.Total != 3 {
			t.Errorf("collections after bad requests = %d, want 3", all.Total)
		}
	})
}

func ids(items []sampleJSON) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}
