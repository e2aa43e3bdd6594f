package httpapi

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAPanicBecomesA500ProblemWithTheDetailInTheLogOnly(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	h := withRequestID(withAccessLog(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret internal state /etc/sp404/key")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/samples", nil))
	body := rec.Body.String()
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if strings.Contains(body, "secret") || strings.Contains(body, "goroutine") || !strings.Contains(body, rec.Header().Get("X-Request-Id")) {
		t.Fatalf("body leaks or lacks the request id: %s", body)
	}
	if !strings.Contains(logs.String(), "secret internal state") || !strings.Contains(logs.String(), "stack") {
		t.Fatalf("the log lacks the panic: %s", logs.String())
	}
}

func TestRealClientBelievesOnlyTrustedProxies(t *testing.T) {
	_, proxyNet, err := net.ParseCIDR("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	proxy := []*net.IPNet{proxyNet}
	for _, tt := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.7:5000", "1.2.3.4", "203.0.113.7"},                       // not a proxy: header ignored
		{"10.0.0.2:5000", "198.51.100.9", "198.51.100.9"},                    // our proxy names the client
		{"10.0.0.2:5000", "6.6.6.6, 198.51.100.9, 10.0.0.3", "198.51.100.9"}, // spoofed prefix skipped
		{"10.0.0.2:5000", "", "10.0.0.2"},
		{"10.0.0.2:5000", "garbage", "10.0.0.2"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := realClient(r, proxy); got != tt.want {
			t.Errorf("%s via %q = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}
