package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// This file is the one way calls to OpenAI-compatible endpoints through
// go-openai are retried and their errors sorted: the embedder here and the
// chat model of package bot both use it, so a 429 or a 502 means the same
// thing, and is waited out the same way, wherever it comes from.

// Reasons a go-openai call failed, as ClassifyOpenAIError names them. They
// are short labels for metrics and logs.
const (
	ReasonTimeout    = "timeout"    // the deadline passed
	ReasonConnection = "connection" // no connection, or it broke
	ReasonRateLimit  = "rate_limit" // 429
	ReasonServer     = "server"     // 5xx
	ReasonAuth       = "auth"       // 401, 403
	ReasonClient     = "client"     // any other 4xx: the request itself is wrong
	ReasonMalformed  = "malformed"  // an answer go-openai could not read
)

// ClassifyOpenAIError sorts an error of a go-openai call into one of the
// Reason… labels. ctx is the call's context: once it is done, whatever
// broke is a timeout.
func ClassifyOpenAIError(ctx context.Context, err error) string {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return ReasonTimeout
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return statusReason(apiErr.HTTPStatusCode)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return statusReason(reqErr.HTTPStatusCode)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return ReasonConnection
	}
	if strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "connection reset") {
		return ReasonConnection
	}
	return ReasonMalformed
}

func statusReason(code int) string {
	switch {
	case code == http.StatusTooManyRequests:
		return ReasonRateLimit
	case code >= 500:
		return ReasonServer
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return ReasonAuth
	case code == 0:
		return ReasonMalformed
	default:
		return ReasonClient
	}
}

// TransientOpenAIReason reports whether a call that failed for reason may
// succeed when tried again: rate limits, server errors and broken
// connections may; a wrong request, a wrong key or a passed deadline do not.
func TransientOpenAIReason(reason string) bool {
	switch reason {
	case ReasonRateLimit, ReasonServer, ReasonConnection:
		return true
	}
	return false
}

// OpenAIRetry bounds the retries of one call.
type OpenAIRetry struct {
	// MaxRetries is how many times a failed call is tried again.
	MaxRetries int
	// Backoff is the first wait, doubled after each retry; a Retry-After
	// the endpoint sends (seen by RetryAfterTransport) replaces it.
	Backoff time.Duration
	// Retryable decides whether a failed attempt is tried again; nil means
	// TransientOpenAIReason of ClassifyOpenAIError.
	Retryable func(ctx context.Context, err error) bool
}

// RetryOpenAI runs call until it succeeds, fails for good, or the retries
// are used up, and returns its last error. It never waits past ctx's
// deadline: a retry that would start too late is not made, and the error
// says so. call gets a context that carries where RetryAfterTransport
// leaves the endpoint's Retry-After.
func RetryOpenAI(ctx context.Context, p OpenAIRetry, call func(ctx context.Context) error) error {
	retryable := p.Retryable
	if retryable == nil {
		retryable = func(ctx context.Context, err error) bool {
			return TransientOpenAIReason(ClassifyOpenAIError(ctx, err))
		}
	}
	backoff := p.Backoff
	for attempt := 0; ; attempt++ {
		hint := &retryHint{}
		err := call(context.WithValue(ctx, retryHintKey{}, hint))
		if err == nil || attempt >= p.MaxRetries || !retryable(ctx, err) {
			return err
		}
		wait := backoff
		if after := hint.get(); after > 0 {
			wait = after
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("retry in %s would pass the deadline: %w", wait, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		backoff *= 2
	}
}

// RetryAfterTransport notes the Retry-After of a 429 or 503 for
// RetryOpenAI, since go-openai's errors do not carry response headers.
type RetryAfterTransport struct{ Base http.RoundTripper }

type retryHintKey struct{}

type retryHint struct {
	mu    sync.Mutex
	after time.Duration
}

func (h *retryHint) get() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.after
}

// RoundTrip passes the request on and remembers a Retry-After.
func (t RetryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if h, ok := req.Context().Value(retryHintKey{}).(*retryHint); ok {
			h.mu.Lock()
			h.after = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
			h.mu.Unlock()
		}
	}
	return resp, err
}

// parseRetryAfter reads seconds or an HTTP date; 0 when there is none.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
