package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

const testToken = "test-token-0123456789abcdef"

func TestAuthenticationGuardsEveryRoute(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, func(c *config.Config) {
			c.AuthPassword, c.APITokens, c.SecretKey = "correct horse battery staple", []string{testToken}, "k3y-9f2c1e7ab04d6f38c5e29a17b6d40f8e"
		})
		bearer := map[string]string{"Authorization": "Bearer " + testToken}
		for _, p := range []string{"/api/v1/samples", "/api/v1/collections", "/api/v1/kits", "/api/v1/usage/summary",
			"/api/v1/batches", "/api/v1/duplicates", "/api/v1/preferences", "/api/v1/samples/1/audio", "/metrics", "/ws/vibe/1", "/ws/batches/1"} {
			if r := s.do("GET", p, nil, nil); r.status != http.StatusUnauthorized {
				t.Errorf("GET %s without credentials = %d, want 401", p, r.status)
			}
			if r := s.do("GET", p, nil, map[string]string{"Authorization": "Bearer wrong-token-wrong-token"}); r.status != http.StatusUnauthorized {
				t.Errorf("GET %s with a wrong token = %d, want 401", p, r.status)
			}
		}
		if r := s.upload(part{"file", "x.wav", toneWAV(t, 0.1, 440, 1)}); r.status != http.StatusUnauthorized {
			t.Errorf("upload without credentials = %d", r.status)
		}
		for _, p := range []string{"/health", "/api/v1/openapi.json", "/api/v1/auth/session", "/"} {
			if r := s.do("GET", p, nil, nil); r.status != http.StatusOK {
				t.Errorf("public %s = %d, want 200", p, r.status)
			}
		}
		if r := s.do("GET", "/api/v1/samples", nil, bearer); r.status != 200 {
			t.Fatalf("with the token = %d", r.status)
		}
		r := s.do("GET", "/metrics", nil, bearer)
		if r.status != 200 || !strings.Contains(string(r.body), "sp404_http_request_duration_seconds") || !strings.Contains(string(r.body), "go_goroutines") {
			t.Fatalf("metrics = %d", r.status)
		}

		// Password login gives a cookie; writes with it need the CSRF header.
		if r := s.sendJSON("POST", "/api/v1/auth/login", `{"password":"wrong"}`); r.status != http.StatusUnauthorized {
			t.Fatalf("wrong password = %d", r.status)
		}
		r = s.sendJSON("POST", "/api/v1/auth/login", `{"password":"correct horse battery staple"}`)
		if r.status != 200 {
			t.Fatalf("login = %d %s", r.status, r.body)
		}
		cookie := r.header.Get("Set-Cookie")
		if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
			t.Fatalf("cookie = %q", cookie)
		}
		var session struct {
			Authenticated bool   `json:"authenticated"`
			CSRF          string `json:"csrf_token"`
		}
		r.json(t, &session)
		jar := map[string]string{"Cookie": strings.Split(cookie, ";")[0]}
		if r := s.do("GET", "/api/v1/kits", nil, jar); r.status != 200 {
			t.Fatalf("GET with the session = %d", r.status)
		}
		jar["Content-Type"] = "application/json"
		if r := s.do("POST", "/api/v1/kits", strings.NewReader(`{"name":"x"}`), jar); r.status != http.StatusForbidden {
			t.Fatalf("write without CSRF = %d, want 403", r.status)
		}
		jar["X-CSRF-Token"] = session.CSRF
		if r := s.do("POST", "/api/v1/kits", strings.NewReader(`{"name":"x"}`), jar); r.status != http.StatusCreated {
			t.Fatalf("write with CSRF = %d %s", r.status, r.body)
		}
		forged := map[string]string{"Cookie": "sp404_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA"}
		if r := s.do("GET", "/api/v1/kits", nil, forged); r.status != http.StatusUnauthorized {
			t.Fatalf("forged session = %d", r.status)
		}

		// Login attempts are rate limited.
		var last response
		for range 8 {
			last = s.sendJSON("POST", "/api/v1/auth/login", `{"password":"guess"}`)
		}
		if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
			t.Fatalf("after many wrong passwords = %d (Retry-After %q)", last.status, last.header.Get("Retry-After"))
		}
	})
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	s := startApp(t, storetest.NewTarget(t, config.SQLite), func(c *config.Config) { c.RateLimitRPS, c.RateBurst = 1, 3 })
	var statuses []int
	var retry string
	for range 6 {
		r := s.do("GET", "/api/v1/samples", nil, nil)
		statuses = append(statuses, r.status)
		if r.status == http.StatusTooManyRequests {
			retry = r.header.Get("Retry-After")
		}
	}
	if statuses[0] != 200 || statuses[5] != http.StatusTooManyRequests || retry == "" {
		t.Fatalf("statuses = %v, Retry-After %q", statuses, retry)
	}
	if r := s.do("GET", "/health", nil, nil); r.status != 200 {
		t.Fatalf("health is never limited: %d", r.status)
	}
}

func TestHostileFiltersChangeNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, func(c *config.Config) { c.Workers = 0 })
		s.uploadIDs(t, "safe", 2)
		inject := []string{"' OR '1'='1", "1; DROP TABLE samples; --", `"; DELETE FROM samples; --`, "%", "_", `\`, "../../etc/passwd", "\x00"}
		for _, param := range []string{"q", "key", "scale", "type", "category", "tag", "sort", "analysis_state", "favorite", "bpm_min", "collection_id"} {
			for _, v := range inject {
				r := s.do("GET", "/api/v1/samples?"+param+"="+url.QueryEscape(v), nil, nil)
				if r.status != 200 && r.status != 422 && r.status != 400 {
					t.Errorf("%s=%q: %d %s", param, v, r.status, r.body)
				}
				if r.status == 500 {
					t.Errorf("%s=%q caused a server error", param, v)
				}
			}
		}
		for _, p := range []string{"/api/v1/samples/1%27%20OR%201=1", "/api/v1/samples/..%2F..%2Fetc%2Fpasswd/audio", "/api/v1/kits/1/pads/A%27/1"} {
			if r := s.do("GET", p, nil, nil); r.status < 400 || r.status >= 500 {
				t.Errorf("GET %s = %d", p, r.status)
			}
		}
		var page pageJSON
		s.getJSON("/api/v1/samples", &page)
		if page.Total != 2 {
			t.Fatalf("library changed by hostile filters: %d samples", page.Total)
		}
	})
}
