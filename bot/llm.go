package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// ChatMessage is one message of a chat completion request.
type ChatMessage struct {
	Role    string // "system", "user" or "assistant"
	Content string
}

// ChatModel is one chat completion, streamed: onDelta receives the text as
// it arrives (it may be nil) and the whole text is returned. It is the seam
// between answering and any OpenAI-compatible endpoint.
type ChatModel interface {
	Chat(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, error)
}

// LLMConfig names an OpenAI-compatible chat endpoint: OpenAI, DeepSeek,
// Qwen (DashScope compatible mode), Ollama, vLLM, llama.cpp server.
type LLMConfig struct {
	BaseURL, Model, APIKey string
	// MaxRetries bounds retries of 429 and 5xx answers (default 2).
	MaxRetries int
	// MaxTokens bounds the reply (default 800).
	MaxTokens int
}

// LLMError says why an LLM answer was not used; Reason is a short label
// for metrics and logs.
type LLMError struct {
	Reason string
	Err    error
}

func (e *LLMError) Error() string {
	if e.Err != nil {
		return "llm " + e.Reason + ": " + e.Err.Error()
	}
	return "llm " + e.Reason
}

func (e *LLMError) Unwrap() error { return e.Err }

func llmErr(reason string, err error) error { return &LLMError{Reason: reason, Err: err} }

// ReasonOf returns the LLMError reason of err, or "other".
func ReasonOf(err error) string {
	var le *LLMError
	if errors.As(err, &le) {
		return le.Reason
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return "other"
}

// OpenAIChat calls an OpenAI-compatible endpoint through go-openai, which
// neither retries nor times out by itself: the deadline comes from ctx, and
// 429 and 5xx answers are retried here, honouring Retry-After.
type OpenAIChat struct {
	client *openai.Client
	cfg    LLMConfig
}

// NewOpenAIChat returns a client for cfg.
func NewOpenAIChat(cfg LLMConfig) (*OpenAIChat, error) {
	if cfg.Model == "" {
		return nil, errors.New("llm: no model configured")
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 2
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 800
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	// No client-wide timeout: it would also cut a long stream. Connection
	// set-up is bounded here; the whole answer is bounded by ctx.
	oc.HTTPClient = &http.Client{Transport: hintTransport{base: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}}}
	return &OpenAIChat{client: openai.NewClientWithConfig(oc), cfg: cfg}, nil
}

// hintTransport notes a 429's Retry-After for the retry loop, which
// go-openai's errors do not carry.
type hintTransport struct{ base http.RoundTripper }

type hintKey struct{}

type retryHint struct {
	mu    sync.Mutex
	after time.Duration
}

func (t hintTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if h, ok := req.Context().Value(hintKey{}).(*retryHint); ok {
			h.mu.Lock()
			h.after = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
			h.mu.Unlock()
		}
	}
	return resp, err
}

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

// Chat streams one completion, retrying transient failures that happen
// before any text arrived.
func (c *OpenAIChat) Chat(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, error) {
	backoff := 500 * time.Millisecond
	for attempt := 0; ; attempt++ {
		hint := &retryHint{}
		text, sent, err := c.stream(context.WithValue(ctx, hintKey{}, hint), msgs, onDelta)
		if err == nil {
			return text, nil
		}
		if sent || attempt >= c.cfg.MaxRetries || !transient(err) {
			return "", err
		}
		wait := backoff
		hint.mu.Lock()
		if hint.after > 0 {
			wait = hint.after
		}
		hint.mu.Unlock()
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return "", llmErr(ReasonOf(err), fmt.Errorf("retry in %s would pass the deadline: %w", wait, err))
		}
		select {
		case <-ctx.Done():
			return "", llmErr("timeout", ctx.Err())
		case <-time.After(wait):
		}
		backoff *= 2
	}
}

func (c *OpenAIChat) stream(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (text string, sent bool, err error) {
	req := openai.ChatCompletionRequest{Model: c.cfg.Model, Stream: true, MaxTokens: c.cfg.MaxTokens, Temperature: 0.2}
	for _, m := range msgs {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	st, err := c.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", false, classify(ctx, err)
	}
	defer st.Close()
	var b strings.Builder
	finish := openai.FinishReason("")
	for {
		resp, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", b.Len() > 0, classify(ctx, err)
		}
		// A final usage chunk has no choices; never index blindly.
		for _, ch := range resp.Choices {
			if ch.Delta.Content != "" {
				b.WriteString(ch.Delta.Content)
				if onDelta != nil {
					onDelta(ch.Delta.Content)
				}
			}
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
	}
	switch finish {
	case openai.FinishReasonLength:
		return "", true, llmErr("length", errors.New("reply cut off at the token limit"))
	case openai.FinishReasonContentFilter:
		return "", true, llmErr("content_filter", errors.New("reply withheld by the provider's filter"))
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", false, llmErr("empty", errors.New("empty reply"))
	}
	return b.String(), true, nil
}

// classify sorts a go-openai error into a reason.
func classify(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return llmErr("timeout", err)
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return llmErr(statusReason(apiErr.HTTPStatusCode), err)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return llmErr(statusReason(reqErr.HTTPStatusCode), err)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return llmErr("connection", err)
	}
	if strings.Contains(err.Error(), "connection refused") {
		return llmErr("connection", err)
	}
	return llmErr("malformed", err)
}

func statusReason(code int) string {
	switch {
	case code == http.StatusTooManyRequests:
		return "rate_limit"
	case code >= 500:
		return "server"
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "auth"
	case code == 0:
		return "malformed"
	default:
		return "client"
	}
}

func transient(err error) bool {
	switch ReasonOf(err) {
	case "rate_limit", "server", "connection", "empty":
		return true
	}
	return false
}

// breaker skips the LLM for a while after repeated failures, so that each
// question does not pay the timeout while an endpoint is down. When the
// pause ends, one question tries the endpoint (half-open) while the others
// keep skipping it; its outcome closes the breaker or pauses it again. A
// trial that never reports (its asker went away) is given up after a
// cooldown, so the breaker cannot stick.
type breaker struct {
	mu        sync.Mutex
	failures  int
	open      bool
	openUntil time.Time
	trialAt   time.Time // when the running trial began; zero when none
	threshold int
	cooldown  time.Duration
	now       func() time.Time
}

func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.open {
		return true
	}
	if now.Before(b.openUntil) {
		return false
	}
	if !b.trialAt.IsZero() && now.Sub(b.trialAt) < b.cooldown {
		return false // a trial is under way
	}
	b.trialAt = now
	return true
}

func (b *breaker) record(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ok {
		b.failures, b.open, b.trialAt = 0, false, time.Time{}
		return
	}
	if b.open { // the trial failed: pause again
		b.openUntil, b.trialAt = b.now().Add(b.cooldown), time.Time{}
		return
	}
	b.failures++
	if b.failures >= b.threshold {
		b.open, b.openUntil, b.failures = true, b.now().Add(b.cooldown), 0
	}
}
