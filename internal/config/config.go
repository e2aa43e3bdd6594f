// Package config reads the service configuration from the environment (design.md §4), lets command
// line flags override it, and validates it. There is no package-level state: callers build a
// Config and pass it down.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Environments.
const (
	Development = "development"
	Production  = "production"
)

// Config is every setting of the service. Zero values are never used directly: Load fills defaults.
type Config struct {
	Addr          string // host:port to listen on
	DataDir       string
	DatabaseURL   string // "postgres://…", "sqlite:///path" or empty for DATA_DIR/sp404.db
	Environment   string
	SecretKey     string
	AuthPassword  string
	APITokens     []string
	CORSOrigins   []string
	MaxUploadMB   int64
	OpenRouterKey string
	OpenRouterURL string
	VibeModel     string
	BudgetUSD     float64
	BudgetTokens  int64
	Workers       int
	ImportRoots   []string
	BlobURL       string
	// S3 credentials for BLOB_URL=s3://… (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
	// AWS_SESSION_TOKEN).
	S3AccessKeyID, S3SecretKey, S3SessionToken string
	RateLimitRPS                               float64 // per client; 0 = no limit
	RateBurst                                  int
	// TrustedProxies are the networks whose X-Forwarded-For names the real client (a reverse
	// proxy in front of the app); from anywhere else the header is ignored.
	TrustedProxies []*net.IPNet
}

// Defaults used when a variable is unset.
const (
	DefaultPort          = "8100"
	DefaultDataDir       = "./data"
	DefaultMaxUploadMB   = 200
	DefaultOpenRouterURL = "https://openrouter.ai/api/v1"
	DefaultVibeModel     = "meta-llama/llama-3.1-8b-instruct"
	DefaultBudgetUSD     = 10
	DefaultBudgetTokens  = 100000
	// A page of the library fires a burst of waveform and audio requests; these leave a person
	// unhindered and stop a runaway script.
	DefaultRateLimitRPS = 50
	DefaultRateBurst    = 200
)

// Load reads the variables of design.md §4 through getenv (os.Getenv in production, a map in
// tests). It reports every malformed value at once.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DataDir:       orDefault(getenv("DATA_DIR"), DefaultDataDir),
		DatabaseURL:   getenv("DATABASE_URL"),
		Environment:   orDefault(getenv("ENVIRONMENT"), Development),
		SecretKey:     getenv("SECRET_KEY"),
		AuthPassword:  getenv("AUTH_PASSWORD"),
		APITokens:     splitList(getenv("API_TOKENS")),
		CORSOrigins:   splitList(getenv("CORS_ORIGINS")),
		OpenRouterKey: getenv("OPENROUTER_API_KEY"),
		OpenRouterURL: orDefault(getenv("OPENROUTER_BASE_URL"), DefaultOpenRouterURL),
		VibeModel:     orDefault(getenv("VIBE_MODEL"), DefaultVibeModel),
		BlobURL:       getenv("BLOB_URL"),
		S3AccessKeyID: getenv("AWS_ACCESS_KEY_ID"), S3SecretKey: getenv("AWS_SECRET_ACCESS_KEY"),
		S3SessionToken: getenv("AWS_SESSION_TOKEN"),
	}
	var errs []error
	c.Addr = getenv("ADDR")
	if c.Addr == "" {
		c.Addr = ":" + orDefault(getenv("PORT"), DefaultPort)
	}
	c.MaxUploadMB = parseInt(getenv, "MAX_UPLOAD_MB", DefaultMaxUploadMB, &errs)
	c.BudgetTokens = parseInt(getenv, "BUDGET_DAILY_TOKENS", DefaultBudgetTokens, &errs)
	c.Workers = int(parseInt(getenv, "WORKERS", int64(runtime.NumCPU()), &errs))
	if v := getenv("BUDGET_MONTHLY_USD"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("BUDGET_MONTHLY_USD: %q is not a number", v))
		}
		c.BudgetUSD = f
	} else {
		c.BudgetUSD = DefaultBudgetUSD
	}
	c.ImportRoots = splitList(getenv("IMPORT_ROOTS"))
	c.RateBurst = int(parseInt(getenv, "RATE_LIMIT_BURST", DefaultRateBurst, &errs))
	for _, p := range splitList(getenv("TRUSTED_PROXIES")) {
		if !strings.Contains(p, "/") {
			if strings.Contains(p, ":") {
				p += "/128"
			} else {
				p += "/32"
			}
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %q is not an address or CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	c.RateLimitRPS = DefaultRateLimitRPS
	if v := getenv("RATE_LIMIT_RPS"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("RATE_LIMIT_RPS: %q is not a number", v))
		}
		c.RateLimitRPS = f
	}
	return c, errors.Join(errs...)
}

// Finish fills the values derived from others (after flags have overridden the environment).
func (c *Config) Finish() {
	if len(c.ImportRoots) == 0 {
		c.ImportRoots = []string{filepath.Join(c.DataDir, "import")}
	}
}

// AuthEnabled reports whether requests must be authenticated.
func (c *Config) AuthEnabled() bool { return c.AuthPassword != "" || len(c.APITokens) > 0 }

// IsProduction reports whether strict production checks apply.
func (c *Config) IsProduction() bool { return c.Environment == Production }

// MaxUploadBytes is the per-file upload limit in bytes.
func (c *Config) MaxUploadBytes() int64 { return c.MaxUploadMB << 20 }

// Validate reports every invalid setting at once.
func (c *Config) Validate() error {
	var errs []error
	if c.Environment != Development && c.Environment != Production {
		errs = append(errs, fmt.Errorf("ENVIRONMENT must be %q or %q, not %q", Development, Production, c.Environment))
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("ADDR/PORT: %q is not host:port", c.Addr))
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		errs = append(errs, fmt.Errorf("PORT: %q is not a port number", port))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("DATA_DIR must not be empty"))
	}
	if c.DatabaseURL != "" {
		if _, _, err := ParseDatabaseURL(c.DatabaseURL, c.DataDir); err != nil {
			errs = append(errs, err)
		}
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 4096 {
		errs = append(errs, fmt.Errorf("MAX_UPLOAD_MB must be between 1 and 4096, not %d", c.MaxUploadMB))
	}
	if c.Workers < 0 || c.Workers > 256 {
		errs = append(errs, fmt.Errorf("WORKERS must be between 0 and 256, not %d", c.Workers))
	}
	if c.BudgetUSD < 0 {
		errs = append(errs, errors.New("BUDGET_MONTHLY_USD must not be negative"))
	}
	if c.BudgetTokens < 0 {
		errs = append(errs, errors.New("BUDGET_DAILY_TOKENS must not be negative"))
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("CORS_ORIGINS: %q is not an http(s) origin", o))
		}
	}
	if u, err := url.Parse(c.OpenRouterURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		errs = append(errs, fmt.Errorf("OPENROUTER_BASE_URL: %q is not an http(s) URL", c.OpenRouterURL))
	}
	if c.BlobURL != "" && !strings.HasPrefix(c.BlobURL, "s3://") && !strings.HasPrefix(c.BlobURL, "file://") {
		errs = append(errs, fmt.Errorf("BLOB_URL: %q must start with s3:// or file://", c.BlobURL))
	}
	if c.IsProduction() && c.AuthEnabled() {
		if err := checkSecret(c.SecretKey); err != nil {
			errs = append(errs, err)
		}
	}
	if c.RateLimitRPS < 0 || c.RateBurst < 1 {
		errs = append(errs, errors.New("RATE_LIMIT_RPS must not be negative and RATE_LIMIT_BURST must be at least 1"))
	}
	for _, t := range c.APITokens {
		if len(t) < 16 {
			errs = append(errs, errors.New("API_TOKENS: every token needs at least 16 characters"))
			break
		}
	}
	return errors.Join(errs...)
}

// ValidateServe adds the checks that matter only for a process that listens: in production, a
// server reachable beyond localhost must require authentication.
func (c *Config) ValidateServe() error {
	if c.IsProduction() && !c.AuthEnabled() && !loopbackAddr(c.Addr) {
		return errors.New("ENVIRONMENT=production listening beyond localhost needs authentication: set AUTH_PASSWORD and/or API_TOKENS (and SECRET_KEY)")
	}
	return nil
}

// loopbackAddr reports whether addr listens on the loopback interface only.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// weakSecrets are placeholder values people copy from examples.
var weakSecrets = []string{"changeme", "change-me", "secret", "password", "development", "sp404"}

func checkSecret(s string) error {
	if s == "" {
		return errors.New("SECRET_KEY is required in production when authentication is on")
	}
	if len(s) < 32 {
		return errors.New("SECRET_KEY is too short for production: use at least 32 random characters")
	}
	lower := strings.ToLower(s)
	for _, w := range weakSecrets {
		if strings.Contains(lower, w) {
			return errors.New("SECRET_KEY looks like a placeholder: generate a random one (e.g. openssl rand -hex 32)")
		}
	}
	distinct := map[rune]bool{}
	for _, r := range s {
		distinct[r] = true
	}
	if len(distinct) < 10 {
		return errors.New("SECRET_KEY has too little variety to be random")
	}
	return nil
}

// Database kinds.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ParseDatabaseURL returns the database kind and its driver DSN (a file path for SQLite).
func ParseDatabaseURL(raw, dataDir string) (kind, dsn string, err error) {
	switch {
	case raw == "":
		return SQLite, filepath.Join(dataDir, "sp404.db"), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return "", "", fmt.Errorf("DATABASE_URL: %w", err)
		}
		return Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite://"):
		p := strings.TrimPrefix(raw, "sqlite://")
		if p == "" || p == "/" {
			return "", "", errors.New("DATABASE_URL: sqlite:// needs a file path, e.g. sqlite:///var/lib/sp404/sp404.db")
		}
		return SQLite, p, nil
	}
	return "", "", fmt.Errorf("DATABASE_URL: %q must start with postgres:// or sqlite://", redact(raw))
}

// redact hides a password in a URL before it is shown in an error message.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func parseInt(getenv func(string) string, name string, def int64, errs *[]error) int64 {
	v := getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %q is not a whole number", name, v))
		return def
	}
	return n
}
