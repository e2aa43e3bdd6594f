package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// route is one operation of the API.
type route struct {
	method, path string
	query        []string // query parameter names
}

// apiRoutes lists every operation: those in the OpenAPI document and the raw handlers beside it
// (multipart uploads, downloads, CSV and WebSockets), so a route added later is covered too.
func apiRoutes(t *testing.T, s *server) []route {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if s.getJSON("/api/v1/openapi.json", &doc) != 200 {
		t.Fatal("no OpenAPI document")
	}
	var out []route
	for p, ops := range doc.Paths {
		for method, op := range ops {
			r := route{method: strings.ToUpper(method), path: p}
			for _, prm := range op.Parameters {
				if prm.In == "query" {
					r.query = append(r.query, prm.Name)
				}
			}
			out = append(out, r)
		}
	}
	for _, raw := range []string{"POST /api/v1/samples", "POST /api/v1/samples/analyze", "GET /api/v1/samples/{id}/audio",
		"GET /api/v1/exports/{id}/download", "POST /api/v1/kits/import", "GET /api/v1/usage/export",
		"GET /ws/vibe/{id}", "GET /ws/batches/{id}", "GET /metrics"} {
		method, p, _ := strings.Cut(raw, " ")
		out = append(out, route{method: method, path: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].method+out[i].path < out[j].method+out[j].path })
	if len(out) < 40 {
		t.Fatalf("only %d routes found", len(out))
	}
	return out
}

// fill replaces every {param} of a path with v (already escaped for a path).
func fill(path, v string) string {
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return path
		}
		j := strings.IndexByte(path[i:], '}')
		path = path[:i] + v + path[i+j+1:]
	}
}

// With authentication on, every route but the public ones refuses a request without credentials;
// with credentials, hostile path and query values never cause a server error, and none of it
// changes the library.
func TestEveryRouteRefusesHostileRequests(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, func(c *config.Config) {
			c.Workers = 0
			c.AuthPassword, c.APITokens, c.SecretKey = "correct horse battery staple", []string{testToken}, "k3y-9f2c1e7ab04d6f38c5e29a17b6d40f8e"
			c.RateLimitRPS = 0
		})
		bearer := map[string]string{"Authorization": "Bearer " + testToken}
		r := s.do("POST", "/api/v1/kits", strings.NewReader(`{"name":"Keep","device":"mk2"}`),
			map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"})
		if r.status != 201 {
			t.Fatalf("create kit = %d %s", r.status, r.body)
		}
		state := func() string {
			var samples, kits, collections struct{ Total int }
			for p, v := range map[string]any{"/api/v1/samples": &samples, "/api/v1/kits": &kits, "/api/v1/collections": &collections} {
				r := s.do("GET", p, nil, bearer)
				if r.status != 200 {
					t.Fatalf("GET %s = %d", p, r.status)
				}
				if err := json.Unmarshal(r.body, v); err != nil {
					t.Fatal(err)
				}
			}
			b, _ := json.Marshal([]int{samples.Total, kits.Total, collections.Total})
			return string(b)
		}
		before := state()

		public := []string{"GET /health", "GET /api/v1/openapi.json", "GET /api/v1/docs", "GET /api/v1/auth/session",
			"POST /api/v1/auth/login", "POST /api/v1/auth/logout"}
		hostile := []string{"1%27%20OR%20%271%27=%271", "..%2F..%2Fetc%2Fpasswd", "-1", "99999999999999999999999", "%00", "1;DROP%20TABLE%20samples"}
		inject := []string{"' OR '1'='1", "1; DROP TABLE samples; --", "../../etc/passwd", "\x00", strings.Repeat("9", 400)}
		routes := apiRoutes(t, s)
		for _, rt := range routes {
			name := rt.method + " " + rt.path
			p := fill(rt.path, "1")
			if !slices.Contains(public, name) {
				if r := s.do(rt.method, p, nil, nil); r.status != http.StatusUnauthorized {
					t.Errorf("%s without credentials = %d, want 401", name, r.status)
				}
			}
			if strings.Contains(rt.path, "{") {
				for _, v := range hostile {
					if r := s.do(rt.method, fill(rt.path, v), nil, bearer); r.status >= 500 || r.status < 400 {
						t.Errorf("%s with %q = %d, want a 4xx refusal: %s", name, v, r.status, r.body)
					}
				}
			}
			for _, q := range rt.query {
				for _, v := range inject {
					if r := s.do(rt.method, p+"?"+q+"="+url.QueryEscape(v), nil, bearer); r.status >= 500 {
						t.Errorf("%s?%s=%q = %d: %s", name, q, v, r.status, r.body)
					}
				}
			}
			// Errors never show a stack trace or where the server keeps its files.
			if r := s.do(rt.method, fill(rt.path, hostile[1]), nil, bearer); strings.Contains(string(r.body), s.app.Config.DataDir) ||
				strings.Contains(string(r.body), "goroutine ") {
				t.Errorf("%s leaks internals: %s", name, r.body)
			}
		}
		if after := state(); after != before {
			t.Fatalf("hostile requests changed the library: %s → %s", before, after)
		}
		t.Logf("%d routes checked", len(routes))
	})
}
