package bot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"github.com/minsheng/minsheng/retrieval"
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
	oc.HTTPClient = &http.Client{Transport: retrieval.RetryAfterTransport{Base: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}}}
	return &OpenAIChat{client: openai.NewClientWithConfig(oc), cfg: cfg}, nil
}

// Chat streams one completion, retrying transient failures that happen
// before any text arrived.
func (c *OpenAIChat) Chat(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, error) {
	text, _, err := c.ChatUsage(ctx, msgs, onDelta)
	return text, err
}

// ChatUsage is Chat that also says what the completion used: the usage the
// endpoint reported (it is asked to, with stream_options.include_usage) or,
// where it reported none, an estimate from the length of the text. Every
// attempt that reached the model counts.
func (c *OpenAIChat) ChatUsage(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, Usage, error) {
	var text string
	var sent bool
	var total Usage
	err := retrieval.RetryOpenAI(ctx, retrieval.OpenAIRetry{MaxRetries: c.cfg.MaxRetries, Backoff: llmBackoff,
		Retryable: func(_ context.Context, err error) bool { return !sent && transient(err) },
	}, func(ctx context.Context) error {
		var err error
		var u Usage
		text, sent, u, err = c.stream(ctx, msgs, onDelta)
		total.Prompt += u.Prompt
		total.Completion += u.Completion
		total.Estimated = total.Estimated || u.Estimated
		return err
	})
	switch {
	case err == nil:
		return text, total, nil
	case ctx.Err() != nil && ReasonOf(err) != "timeout":
		return "", total, llmErr("timeout", err)
	}
	return "", total, err
}

// llmBackoff is the first wait before a retry; a chat answer has a person
// waiting, and its deadline (LLMTimeout) bounds the retries anyway.
const llmBackoff = 500 * time.Millisecond

func (c *OpenAIChat) stream(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (text string, sent bool, u Usage, err error) {
	req := openai.ChatCompletionRequest{Model: c.cfg.Model, Stream: true, MaxTokens: c.cfg.MaxTokens, Temperature: 0.2,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true}}
	for _, m := range msgs {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	st, err := c.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", false, Usage{}, classify(ctx, err)
	}
	defer st.Close()
	var b strings.Builder
	var reported *openai.Usage
	// From here the model has the prompt: what it used counts, however the
	// stream ends.
	usage := func() Usage {
		if reported != nil && reported.TotalTokens > 0 {
			return Usage{Prompt: reported.PromptTokens, Completion: reported.TotalTokens - reported.PromptTokens}
		}
		return Usage{Prompt: estimatePrompt(msgs), Completion: estimateTokens(utf8.RuneCountInString(b.String())), Estimated: true}
	}
	finish := openai.FinishReason("")
	for {
		resp, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", b.Len() > 0, usage(), classify(ctx, err)
		}
		if resp.Usage != nil {
			reported = resp.Usage
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
		return "", true, usage(), llmErr("length", errors.New("reply cut off at the token limit"))
	case openai.FinishReasonContentFilter:
		return "", true, usage(), llmErr("content_filter", errors.New("reply withheld by the provider's filter"))
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", false, usage(), llmErr("empty", errors.New("empty reply"))
	}
	return b.String(), true, usage(), nil
}

// classify sorts a go-openai error into a reason, the way every
// OpenAI-compatible call is sorted (retrieval.ClassifyOpenAIError).
func classify(ctx context.Context, err error) error {
	return llmErr(retrieval.ClassifyOpenAIError(ctx, err), err)
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
