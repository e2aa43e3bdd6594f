package config

import (
	"strings"
	"testing"
)

func load(t *testing.T, env map[string]string) (Config, error) {
	t.Helper()
	c, err := Load(func(k string) string { return env[k] })
	if err != nil {
		return c, err
	}
	c.Finish()
	return c, c.Validate()
}

func TestDefaultsAreTheDesignsDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8100" || c.DataDir != "./data" || c.Environment != Development || c.MaxUploadMB != 200 ||
		c.BudgetUSD != 10 || c.BudgetTokens != 100000 || c.Workers < 1 || c.AuthEnabled() ||
		len(c.ImportRoots) != 1 || c.ImportRoots[0] != "data/import" {
		t.Fatalf("defaults = %+v", c)
	}
	kind, dsn, err := ParseDatabaseURL(c.DatabaseURL, c.DataDir)
	if err != nil || kind != SQLite || dsn != "data/sp404.db" {
		t.Fatalf("default database = %s %s %v", kind, dsn, err)
	}
}

func TestEnvironmentIsRead(t *testing.T) {
	c, err := load(t, map[string]string{
		"PORT": "9000", "DATA_DIR": "/srv/sp", "DATABASE_URL": "postgres://u:p@db/sp", "WORKERS": "0",
		"CORS_ORIGINS": "https://a.example, http://localhost:5173", "IMPORT_ROOTS": "/music,/more", "MAX_UPLOAD_MB": "50",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" || c.Workers != 0 || len(c.CORSOrigins) != 2 || c.ImportRoots[1] != "/more" || c.MaxUploadBytes() != 50<<20 {
		t.Fatalf("config = %+v", c)
	}
	if kind, _, _ := ParseDatabaseURL(c.DatabaseURL, c.DataDir); kind != Postgres {
		t.Fatalf("kind = %s", kind)
	}
}

func TestInvalidSettingsAreAllReported(t *testing.T) {
	_, err := load(t, map[string]string{"ENVIRONMENT": "staging", "PORT": "99999", "MAX_UPLOAD_MB": "0",
		"DATABASE_URL": "mysql://x", "CORS_ORIGINS": "*", "BLOB_URL": "ftp://x"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"ENVIRONMENT", "PORT", "MAX_UPLOAD_MB", "DATABASE_URL", "CORS_ORIGINS", "BLOB_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
	if _, err := load(t, map[string]string{"WORKERS": "many"}); err == nil || !strings.Contains(err.Error(), "WORKERS") {
		t.Errorf("non-numeric WORKERS: %v", err)
	}
}

func TestProductionWithAuthNeedsAStrongSecret(t *testing.T) {
	base := map[string]string{"ENVIRONMENT": "production", "AUTH_PASSWORD": "hunter2hunter2"}
	for _, tt := range []struct {
		secret string
		ok     bool
	}{
		{"", false},
		{"short", false},
		{"changeme-changeme-changeme-changeme", false},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"9f2c1e7ab04d6f38c5e29a17b6d40f8e3a7c51d2", true},
	} {
		env := map[string]string{"SECRET_KEY": tt.secret}
		for k, v := range base {
			env[k] = v
		}
		_, err := load(t, env)
		if (err == nil) != tt.ok {
			t.Errorf("SECRET_KEY %q: err = %v, want ok=%v", tt.secret, err, tt.ok)
		}
	}
	// A production server without auth is refused unless it only listens on localhost; commands
	// that do not listen are not.
	c, err := load(t, map[string]string{"ENVIRONMENT": "production"})
	if err != nil {
		t.Fatalf("production without auth, not serving: %v", err)
	}
	if err := c.ValidateServe(); err == nil || !strings.Contains(err.Error(), "AUTH_PASSWORD") {
		t.Errorf("production server without auth on all interfaces: %v", err)
	}
	c, _ = load(t, map[string]string{"ENVIRONMENT": "production", "ADDR": "127.0.0.1:8100"})
	if err := c.ValidateServe(); err != nil {
		t.Errorf("production without auth on localhost: %v", err)
	}
	c, err = load(t, map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.5, ::1"})
	if err != nil || len(c.TrustedProxies) != 3 {
		t.Errorf("trusted proxies: %v %v", c.TrustedProxies, err)
	}
	if _, err := load(t, map[string]string{"TRUSTED_PROXIES": "not-an-ip"}); err == nil {
		t.Error("bad TRUSTED_PROXIES accepted")
	}
	// In development a weak secret is fine.
	if _, err := load(t, map[string]string{"AUTH_PASSWORD": "x", "SECRET_KEY": "dev"}); err != nil {
		t.Errorf("development with a weak secret: %v", err)
	}
}

func TestDatabaseURLs(t *testing.T) {
	for _, tt := range []struct {
		url, kind, dsn string
		bad            bool
	}{
		{"sqlite:///var/lib/sp.db", SQLite, "/var/lib/sp.db", false},
		{"postgresql://h/db", Postgres, "postgresql://h/db", false},
		{"sqlite://", "", "", true},
		{"redis://h", "", "", true},
	} {
		kind, dsn, err := ParseDatabaseURL(tt.url, "d")
		if (err != nil) != tt.bad || kind != tt.kind || dsn != tt.dsn {
			t.Errorf("%s: %s %s %v", tt.url, kind, dsn, err)
		}
	}
	_, _, err := ParseDatabaseURL("mysql://user:secretpw@h/db", "d")
	if err == nil || strings.Contains(err.Error(), "secretpw") {
		t.Errorf("password leaked or no error: %v", err)
	}
}
