package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"
)

// AuthOptions turn authentication on: with a password the UI logs in with a session cookie; with
// tokens scripts send "Authorization: Bearer …". Neither set means a local, open install.
type AuthOptions struct {
	Password     string
	Tokens       []string
	SecretKey    string // signs session cookies; random per process when empty
	SecureCookie bool   // production: cookies only over HTTPS
}

const (
	sessionCookie = "sp404_session"
	csrfHeader    = "X-CSRF-Token"
	sessionTTL    = 30 * 24 * time.Hour
)

// auth checks credentials. Passwords are compared by bcrypt against a hash made at start, tokens
// by constant-time comparison of their SHA-256, sessions by HMAC.
type auth struct {
	enabled      bool
	passwordHash []byte
	tokenHashes  [][32]byte
	key          []byte
	secure       bool
	logins       *limiter // login attempts per client
}

func newAuth(o AuthOptions) *auth {
	a := &auth{enabled: o.Password != "" || len(o.Tokens) > 0, secure: o.SecureCookie,
		logins: newLimiter(rate.Every(12*time.Second), 5)} // 5 attempts, then one per 12 s
	if !a.enabled {
		return a
	}
	if o.Password != "" {
		// bcrypt reads at most 72 bytes: hash a SHA-256 of the password so every byte counts.
		// It cannot fail for a 32-byte input at the default cost.
		a.passwordHash, _ = bcrypt.GenerateFromPassword(prehash(o.Password), bcrypt.DefaultCost)
	}
	for _, t := range o.Tokens {
		a.tokenHashes = append(a.tokenHashes, sha256.Sum256([]byte(t)))
	}
	a.key = []byte(o.SecretKey)
	if len(a.key) == 0 {
		a.key = make([]byte, 32)
		_, _ = rand.Read(a.key)
	}
	return a
}

func prehash(p string) []byte {
	h := sha256.Sum256([]byte(p))
	return []byte(base64.StdEncoding.EncodeToString(h[:]))
}

func (a *auth) tokenOK(tok string) bool {
	h := sha256.Sum256([]byte(tok))
	ok := 0
	for _, t := range a.tokenHashes {
		ok |= subtle.ConstantTimeCompare(h[:], t[:])
	}
	return ok == 1
}

// newSession returns a cookie value: expiry and random id, signed.
func (a *auth) newSession(now time.Time) string {
	var b [8 + 16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.Add(sessionTTL).Unix()))
	_, _ = rand.Read(b[8:])
	return base64.RawURLEncoding.EncodeToString(b[:]) + "." + base64.RawURLEncoding.EncodeToString(a.sign(b[:]))
}

func (a *auth) sign(b []byte) []byte {
	m := hmac.New(sha256.New, a.key)
	m.Write(b)
	return m.Sum(nil)
}

// sessionOK checks a cookie value's signature and expiry.
func (a *auth) sessionOK(v string, now time.Time) bool {
	body, sig, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	b, err1 := base64.RawURLEncoding.DecodeString(body)
	s, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || len(b) != 24 || !hmac.Equal(s, a.sign(b)) {
		return false
	}
	return now.Unix() < int64(binary.BigEndian.Uint64(b[:8]))
}

// csrfToken is derived from the session, so a page can send it back and another site cannot
// know it.
func (a *auth) csrfToken(session string) string {
	return base64.RawURLEncoding.EncodeToString(a.sign([]byte("csrf:" + session)))[:32]
}

// publicPath lists what answers without credentials: health (minimal), login, the API
// description, and the UI's files (the login page is part of it).
func publicPath(p string) bool {
	switch {
	case p == "/health", strings.HasPrefix(p, "/api/v1/auth/"), p == "/api/v1/openapi.json",
		p == "/api/v1/openapi.yaml", p == "/api/v1/docs", strings.HasPrefix(p, "/api/v1/schemas/"):
		return true
	case strings.HasPrefix(p, "/api/"), strings.HasPrefix(p, "/ws/"), p == "/metrics":
		return false
	}
	return true
}

type authKey struct{}

// authenticated reports whether the request carried valid credentials (always true with auth off).
func authenticated(ctx context.Context) bool {
	v, _ := ctx.Value(authKey{}).(bool)
	return v
}

// withAuth refuses unauthenticated requests to protected paths, and cookie-authenticated writes
// without the CSRF header.
func (a *auth) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.enabled {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey{}, true)))
			return
		}
		ok := false
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			ok = a.tokenOK(strings.TrimPrefix(h, "Bearer "))
		} else if c, err := r.Cookie(sessionCookie); err == nil && a.sessionOK(c.Value, time.Now()) {
			ok = true
			// Browsers send cookies with cross-site requests; a write must also prove it came
			// from our page.
			if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions &&
				!strings.HasPrefix(r.URL.Path, "/api/v1/auth/") &&
				subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(a.csrfToken(c.Value))) != 1 {
				writeProblem(w, http.StatusForbidden, "missing or wrong "+csrfHeader+" header")
				return
			}
		}
		if !ok && !publicPath(r.URL.Path) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sp404agent"`)
			writeProblem(w, http.StatusUnauthorized, "log in, or send an API token as Authorization: Bearer …")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey{}, ok)))
	})
}

type loginInput struct {
	Body struct {
		Password string `json:"password" minLength:"1" maxLength:"1024"`
	}
}

type sessionOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      sessionInfo
}

type sessionInfo struct {
	AuthEnabled   bool   `json:"auth_enabled"`
	Authenticated bool   `json:"authenticated"`
	CSRFToken     string `json:"csrf_token,omitempty" doc:"Send as X-CSRF-Token on writes made with the session cookie"`
}

type meInput struct {
	Cookie string `cookie:"sp404_session"`
}

func (s *Server) registerAuth() {
	tags := []string{"auth"}
	register(s.api, s.log, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Tags: tags,
		Summary: "Log in with the password (AUTH_PASSWORD); attempts are rate limited",
	}, func(ctx context.Context, in *loginInput) (*sessionOutput, error) {
		a := s.auth
		if !a.enabled || a.passwordHash == nil {
			return nil, huma.NewError(http.StatusConflict, "password login is not enabled (set AUTH_PASSWORD)")
		}
		ip := clientIP(ctx)
		if ok, wait := a.logins.allow(ip); !ok {
			return nil, tooMany(wait, "too many login attempts")
		}
		if bcrypt.CompareHashAndPassword(a.passwordHash, prehash(in.Body.Password)) != nil {
			return nil, huma.NewError(http.StatusUnauthorized, "wrong password")
		}
		v := a.newSession(time.Now())
		out := &sessionOutput{SetCookie: http.Cookie{
			Name: sessionCookie, Value: v, Path: "/", HttpOnly: true, Secure: a.secure,
			SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL.Seconds()),
		}}
		out.Body = sessionInfo{AuthEnabled: true, Authenticated: true, CSRFToken: a.csrfToken(v)}
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Tags: tags, Summary: "End the session",
	}, func(ctx context.Context, _ *struct{}) (*sessionOutput, error) {
		out := &sessionOutput{SetCookie: http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
			Secure: s.auth.secure, SameSite: http.SameSiteStrictMode, MaxAge: -1}}
		out.Body = sessionInfo{AuthEnabled: s.auth.enabled}
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "session", Method: http.MethodGet, Path: "/api/v1/auth/session", Tags: tags,
		Summary: "Whether authentication is on and this client is logged in (and its CSRF token)",
	}, func(ctx context.Context, in *meInput) (*struct{ Body sessionInfo }, error) {
		a := s.auth
		info := sessionInfo{AuthEnabled: a.enabled, Authenticated: authenticated(ctx)}
		if a.enabled && in.Cookie != "" && a.sessionOK(in.Cookie, time.Now()) {
			info.CSRFToken = a.csrfToken(in.Cookie)
		}
		return &struct{ Body sessionInfo }{Body: info}, nil
	})
}

// limiter is a token bucket per client.
type limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	clients map[string]*clientLimit
	swept   time.Time
}

type clientLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(every rate.Limit, burst int) *limiter {
	return &limiter{every: every, burst: burst, clients: map[string]*clientLimit{}}
}

// allow takes a token for the client, or says how long to wait for one.
func (l *limiter) allow(client string) (bool, time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute { // forget idle clients so the map stays small
		for k, c := range l.clients {
			if now.Sub(c.seen) > 10*time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[client]
	if c == nil {
		c = &clientLimit{lim: rate.NewLimiter(l.every, l.burst)}
		l.clients[client] = c
	}
	c.seen = now
	r := c.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

type clientKey struct{}

func clientIP(ctx context.Context) string {
	v, _ := ctx.Value(clientKey{}).(string)
	return v
}

// realClient is the request's client address: the connection's, or, when that is a trusted
// proxy, the nearest address in X-Forwarded-For that is not one (a client can prepend anything,
// so only hops added by our own proxies are believed).
func realClient(r *http.Request, trusted []*net.IPNet) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	isTrusted := func(s string) bool {
		a := net.ParseIP(strings.TrimSpace(s))
		for _, n := range trusted {
			if a != nil && n.Contains(a) {
				return true
			}
		}
		return false
	}
	if !isTrusted(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h != "" && !isTrusted(h) {
			if net.ParseIP(h) == nil {
				return ip // malformed: fall back to the proxy's own address
			}
			return h
		}
	}
	return ip
}

// withRateLimit limits each client to a steady rate with bursts, answering 429 with Retry-After.
func withRateLimit(l *limiter, trusted []*net.IPNet, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := realClient(r, trusted)
		r = r.WithContext(context.WithValue(r.Context(), clientKey{}, ip))
		if l != nil && r.URL.Path != "/health" {
			if ok, wait := l.allow(ip); !ok {
				w.Header().Set("Retry-After", retryAfter(wait))
				writeProblem(w, http.StatusTooManyRequests, "too many requests; slow down")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(int(d.Seconds()+0.999), 1))
}

// tooMany is a 429 with Retry-After.
func tooMany(wait time.Duration, msg string) error {
	return huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests, msg), http.Header{"Retry-After": {retryAfter(wait)}})
}
