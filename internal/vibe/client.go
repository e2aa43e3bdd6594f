package vibe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors callers branch on with errors.Is.
var (
	// ErrBudget means the Guard refused a call because it would exceed a budget; the error is
	// a *BudgetError saying which budget and how much is left.
	ErrBudget = errors.New("budget exhausted")
	// ErrUnavailable means the provider could not answer: network failure, timeout, 429 or 5xx
	// after every retry. Worth trying again later.
	ErrUnavailable = errors.New("model provider unavailable")
	// ErrRejected means the provider refused the request itself (bad key, bad request, no
	// credits, moderation); retrying the same request will not help.
	ErrRejected = errors.New("model provider rejected the request")
	// ErrBadOutput means the model answered but the answer was not the JSON asked for.
	ErrBadOutput = errors.New("model output is not valid")
)

// APIError is a failed HTTP exchange with the provider. It matches ErrUnavailable or
// ErrRejected under errors.Is according to its status.
type APIError struct {
	Status     int           // HTTP status, or the error.code of a 200 response carrying an error
	Message    string        // the provider's message, if any
	RetryAfter time.Duration // from the Retry-After header, 0 when absent
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return fmt.Sprintf("openrouter: status %d: %s", e.Status, msg)
}

// Is makes retryable statuses match ErrUnavailable and the rest ErrRejected.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnavailable:
		return retryableStatus(e.Status)
	case ErrRejected:
		return !retryableStatus(e.Status)
	}
	return false
}

// retryableStatus reports whether a status is worth retrying: rate limits (429), request
// timeouts (408) and server or upstream failures (5xx).
func retryableStatus(s int) bool { return s == 429 || s == 408 || s >= 500 }

// Message is one chat message.
type Message struct {
	Role    string `json:"role"` // "system" | "user" | "assistant"
	Content string `json:"content"`
}

// JSONSchema names a schema the answer must follow.
type JSONSchema struct {
	Name   string          // [a-zA-Z0-9_-], ≤ 64 characters
	Schema json.RawMessage // a JSON Schema object
}

// Request is one chat completion.
type Request struct {
	Model       string
	Messages    []Message
	JSONSchema  *JSONSchema // nil: free text
	MaxTokens   int         // 0: the provider's default
	Temperature *float64
}

// Response is a completed chat completion.
type Response struct {
	Content      string
	InputTokens  int64
	OutputTokens int64
	// CostUSD is the provider's usage.cost, valid when CostReported; otherwise the Guard prices
	// the tokens from its PriceTable.
	CostUSD      float64
	CostReported bool
	Model        string        // the model that answered (OpenRouter may route to a variant)
	Latency      time.Duration // from the first attempt to the answer, backoff waits included
	Attempts     int
}

// Completer runs chat completions; *Client is the real one.
type Completer interface {
	Complete(ctx context.Context, req Request) (Response, error)
}

// Options configure a Client. Zero values pick the defaults given per field.
type Options struct {
	BaseURL       string       // e.g. https://openrouter.ai/api/v1 (config.DefaultOpenRouterURL)
	APIKey        string       // sent as a bearer token
	HTTPClient    *http.Client // default: a client without an overall timeout (Timeout applies per attempt)
	MaxConcurrent int          // requests in flight at once; default 4
	Timeout       time.Duration
	// MaxRetries is how many times a failed attempt is retried: default 3 (so at most 4
	// attempts); negative disables retries.
	MaxRetries int
	BaseDelay  time.Duration // first backoff ceiling; default 500 ms
	MaxDelay   time.Duration // backoff ceiling; default 20 s
	// MaxRetryAfter is the longest Retry-After the client will wait; a longer one ends the
	// call with ErrUnavailable instead of holding a request (and a WebSocket) open. Default 60 s.
	MaxRetryAfter time.Duration
	Now           func() time.Time
	Sleep         func(ctx context.Context, d time.Duration) error
	// Jitter returns a duration in [0, d); default uniform random ("full jitter").
	Jitter func(d time.Duration) time.Duration
	// Referer and Title are OpenRouter's optional app attribution headers.
	Referer, Title string
}

// Client is an OpenRouter chat-completions client with retries, backoff and a concurrency
// limit. It is safe for concurrent use.
type Client struct {
	opt Options
	sem chan struct{}
}

// NewClient returns a client for opt.BaseURL.
func NewClient(opt Options) *Client {
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{}
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = 4
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	switch {
	case opt.MaxRetries == 0:
		opt.MaxRetries = 3
	case opt.MaxRetries < 0:
		opt.MaxRetries = 0
	}
	if opt.BaseDelay <= 0 {
		opt.BaseDelay = 500 * time.Millisecond
	}
	if opt.MaxDelay <= 0 {
		opt.MaxDelay = 20 * time.Second
	}
	if opt.MaxRetryAfter <= 0 {
		opt.MaxRetryAfter = 60 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = sleepCtx
	}
	if opt.Jitter == nil {
		opt.Jitter = func(d time.Duration) time.Duration {
			if d <= 0 {
				return 0
			}
			return rand.N(d)
		}
	}
	opt.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	return &Client{opt: opt, sem: make(chan struct{}, opt.MaxConcurrent)}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wireRequest is the body of POST /chat/completions.
//
// The request fields follow OpenRouter's documentation:
//   - response_format {type: "json_schema", json_schema: {name, strict: true, schema}} —
//     https://openrouter.ai/docs/structured-outputs ("Structured Outputs").
//   - provider.require_parameters: true routes only to providers that support every parameter
//     sent, so the schema is not silently dropped —
//     https://openrouter.ai/docs/features/provider-routing.
//   - usage {include: true}: https://openrouter.ai/docs/use-cases/usage-accounting now says
//     usage (prompt_tokens, completion_tokens, cost in credits = USD) is always returned and
//     this parameter is deprecated with no effect; it is still sent because it costs nothing and
//     older deployments and compatible gateways need it.
type wireRequest struct {
	Model          string          `json:"model"`
	Messages       []Message       `json:"messages"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	Temperature    *float64        `json:"temperature,omitempty"`
	ResponseFormat *wireFormat     `json:"response_format,omitempty"`
	Provider       *wireProvider   `json:"provider,omitempty"`
	Usage          wireUsageOption `json:"usage"`
}

type wireFormat struct {
	Type       string         `json:"type"`
	JSONSchema wireJSONSchema `json:"json_schema"`
}

type wireJSONSchema struct {
	Name   string          `json:"name"`
	Strict bool            `json:"strict"`
	Schema json.RawMessage `json:"schema"`
}

type wireProvider struct {
	RequireParameters bool `json:"require_parameters"`
}

type wireUsageOption struct {
	Include bool `json:"include"`
}

// wireResponse is the part of the answer we read. Errors that happen after the model started
// come back as HTTP 200 with an error object (https://openrouter.ai/docs/errors).
type wireResponse struct {
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int64    `json:"prompt_tokens"`
		CompletionTokens int64    `json:"completion_tokens"`
		Cost             *float64 `json:"cost"`
	} `json:"usage"`
	Error *wireError `json:"error"`
}

type wireError struct {
	Code    json.RawMessage `json:"code"` // a number per the docs; tolerated as a string
	Message string          `json:"message"`
}

// maxResponseBytes bounds what is read from the provider; a vibe answer is a few hundred bytes.
const maxResponseBytes = 1 << 20

// Complete sends req and returns the answer. On ErrBadOutput the Response still carries the
// token counts and cost the provider reported. It retries on 429, 408, 5xx, network errors and per-attempt timeouts with
// exponential backoff and full jitter (a uniform wait in [0, min(MaxDelay, BaseDelay·2ⁿ))), or
// exactly the Retry-After the provider asked for. It stops at 1+MaxRetries attempts, when ctx
// ends, or when the provider asks for a wait longer than MaxRetryAfter or than ctx allows.
// Every attempt holds one of MaxConcurrent slots; backoff waits do not, so a sleeping retry
// never blocks other calls from starting.
func (c *Client) Complete(ctx context.Context, req Request) (Response, error) {
	body, err := json.Marshal(c.wire(req))
	if err != nil {
		return Response{}, fmt.Errorf("openrouter: encode request: %w", err)
	}
	start := c.opt.Now()
	var lastErr error
	for attempt := 0; ; attempt++ {
		resp, err := c.attempt(ctx, body)
		if err == nil {
			resp.Latency = c.opt.Now().Sub(start)
			resp.Attempts = attempt + 1
			if resp.Model == "" {
				resp.Model = req.Model
			}
			return resp, nil
		}
		lastErr = err
		if errors.Is(err, ErrBadOutput) {
			// The model answered and was charged for; keep the usage for the accounting.
			resp.Latency = c.opt.Now().Sub(start)
			resp.Attempts = attempt + 1
			if resp.Model == "" {
				resp.Model = req.Model
			}
			return resp, err
		}
		if ctx.Err() != nil {
			return Response{}, ctx.Err()
		}
		if !errors.Is(err, ErrUnavailable) || attempt >= c.opt.MaxRetries {
			break
		}
		wait := c.backoff(attempt)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			if apiErr.RetryAfter > c.opt.MaxRetryAfter {
				return Response{}, fmt.Errorf("retry-after %s exceeds %s: %w", apiErr.RetryAfter, c.opt.MaxRetryAfter, err)
			}
			wait = apiErr.RetryAfter
		}
		if dl, ok := ctx.Deadline(); ok && c.opt.Now().Add(wait).After(dl) {
			return Response{}, fmt.Errorf("no time left to retry: %w", err)
		}
		if err := c.opt.Sleep(ctx, wait); err != nil {
			return Response{}, err
		}
	}
	if n := c.opt.MaxRetries + 1; errors.Is(lastErr, ErrUnavailable) && n > 1 {
		return Response{}, fmt.Errorf("after %d attempts: %w", n, lastErr)
	}
	return Response{}, lastErr
}

// backoff is the full-jitter wait before retry n+1 (n counts from 0).
func (c *Client) backoff(n int) time.Duration {
	ceil := c.opt.MaxDelay
	if n < 30 {
		if d := c.opt.BaseDelay << n; d > 0 && d < ceil {
			ceil = d
		}
	}
	return c.opt.Jitter(ceil)
}

func (c *Client) wire(req Request) wireRequest {
	w := wireRequest{
		Model: req.Model, Messages: req.Messages, MaxTokens: req.MaxTokens, Temperature: req.Temperature,
		Usage: wireUsageOption{Include: true},
	}
	if req.JSONSchema != nil {
		w.ResponseFormat = &wireFormat{Type: "json_schema", JSONSchema: wireJSONSchema{
			Name: req.JSONSchema.Name, Strict: true, Schema: req.JSONSchema.Schema,
		}}
		w.Provider = &wireProvider{RequireParameters: true}
	}
	return w
}

// attempt makes one HTTP exchange under the concurrency limit and the per-attempt timeout.
func (c *Client) attempt(ctx context.Context, body []byte) (Response, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return Response{}, ctx.Err()
	}
	defer func() { <-c.sem }()

	actx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, c.opt.BaseURL+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return Response{}, fmt.Errorf("openrouter: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if c.opt.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.opt.APIKey)
	}
	if c.opt.Referer != "" {
		hreq.Header.Set("HTTP-Referer", c.opt.Referer)
	}
	if c.opt.Title != "" {
		hreq.Header.Set("X-Title", c.opt.Title)
	}
	hresp, err := c.opt.HTTPClient.Do(hreq)
	if err != nil {
		return Response{}, c.transportError(ctx, actx, err)
	}
	defer hresp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hresp.Body, maxResponseBytes+1))
	if err != nil {
		return Response{}, c.transportError(ctx, actx, err)
	}
	if hresp.StatusCode != http.StatusOK {
		e := &APIError{Status: hresp.StatusCode, RetryAfter: parseRetryAfter(hresp.Header.Get("Retry-After"), c.opt.Now())}
		var wr wireResponse
		if json.Unmarshal(raw, &wr) == nil && wr.Error != nil {
			e.Message = wr.Error.Message
		}
		return Response{}, e
	}
	if len(raw) > maxResponseBytes {
		return Response{}, fmt.Errorf("%w: response larger than %d bytes", ErrBadOutput, maxResponseBytes)
	}
	return decodeResponse(raw)
}

// transportError classifies a failed exchange: the caller's own cancellation is returned as
// is; a per-attempt timeout or any network failure is ErrUnavailable (and so retried).
func (c *Client) transportError(ctx, actx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if actx.Err() != nil {
		return fmt.Errorf("openrouter: %w: attempt timed out after %s", ErrUnavailable, c.opt.Timeout)
	}
	return fmt.Errorf("openrouter: %w: %v", ErrUnavailable, err)
}

// decodeResponse reads a 200 answer. An error object inside it is an APIError with its code;
// an answer without a message is ErrBadOutput. Token counts are kept even for bad output, so
// the caller can account for what the provider charged.
func decodeResponse(raw []byte) (Response, error) {
	var wr wireResponse
	if err := json.Unmarshal(raw, &wr); err != nil {
		return Response{}, fmt.Errorf("%w: response is not JSON: %v", ErrBadOutput, err)
	}
	if wr.Error != nil {
		code, _ := strconv.Atoi(strings.Trim(string(wr.Error.Code), `"`))
		if code == 0 {
			code = http.StatusBadGateway
		}
		return Response{}, &APIError{Status: code, Message: wr.Error.Message}
	}
	var r Response
	r.Model = wr.Model
	if wr.Usage != nil {
		r.InputTokens, r.OutputTokens = wr.Usage.PromptTokens, wr.Usage.CompletionTokens
		if wr.Usage.Cost != nil && *wr.Usage.Cost >= 0 {
			r.CostUSD, r.CostReported = *wr.Usage.Cost, true
		}
	}
	if len(wr.Choices) == 0 || wr.Choices[0].Message.Content == nil {
		return r, fmt.Errorf("%w: no message in the response", ErrBadOutput)
	}
	r.Content = *wr.Choices[0].Message.Content
	if wr.Choices[0].FinishReason == "length" {
		return r, fmt.Errorf("%w: answer cut off at max_tokens", ErrBadOutput)
	}
	return r, nil
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP-date (RFC 9110
// §10.2.3). Unreadable or past values give 0, meaning "use the backoff".
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(h, 64); err == nil {
		if s <= 0 || s > 1e6 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
