package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

func TestClassifyOpenAIError(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want string
	}{
		{"429", context.Background(), &openai.APIError{HTTPStatusCode: 429}, ReasonRateLimit},
		{"500", context.Background(), &openai.APIError{HTTPStatusCode: 500}, ReasonServer},
		{"HTML 502", context.Background(), &openai.RequestError{HTTPStatusCode: 502, Err: errors.New("bad gateway")}, ReasonServer},
		{"401", context.Background(), &openai.APIError{HTTPStatusCode: 401}, ReasonAuth},
		{"403", context.Background(), &openai.RequestError{HTTPStatusCode: 403}, ReasonAuth},
		{"400", context.Background(), &openai.APIError{HTTPStatusCode: 400}, ReasonClient},
		{"no status", context.Background(), &openai.RequestError{Err: errors.New("?")}, ReasonMalformed},
		{"wrapped by a stream", context.Background(), fmt.Errorf("recv: %w", &openai.APIError{HTTPStatusCode: 503}), ReasonServer},
		{"refused", context.Background(), &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, ReasonConnection},
		{"refused as text", context.Background(), errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), ReasonConnection},
		{"deadline", context.Background(), fmt.Errorf("post: %w", context.DeadlineExceeded), ReasonTimeout},
		{"context done", done, errors.New("anything"), ReasonTimeout},
		{"garbage", context.Background(), errors.New("invalid character 'x'"), ReasonMalformed},
	}
	for _, tc := range tests {
		if got := ClassifyOpenAIError(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRetryOpenAI(t *testing.T) {
	tests := []struct {
		name     string
		errs     []error // what the calls return, in order; past the end nil
		retries  int
		deadline time.Duration // 0: none
		calls    int
		wantErr  string // part of the error, "" for success
	}{
		{"succeeds at once", nil, 2, 0, 1, ""},
		{"retries a 500", []error{&openai.APIError{HTTPStatusCode: 500}}, 2, 0, 2, ""},
		{"retries a 429", []error{&openai.APIError{HTTPStatusCode: 429}}, 2, 0, 2, ""},
		{"gives up", []error{&openai.APIError{HTTPStatusCode: 503}, &openai.APIError{HTTPStatusCode: 503}, &openai.APIError{HTTPStatusCode: 503}}, 2, 0, 3, "503"},
		{"no retry on 400", []error{&openai.APIError{HTTPStatusCode: 400, Message: "bad"}}, 2, 0, 1, "bad"},
		{"no retry on 401", []error{&openai.APIError{HTTPStatusCode: 401, Message: "key"}}, 2, 0, 1, "key"},
		{"no retry past the deadline", []error{&openai.APIError{HTTPStatusCode: 500}}, 2, 5 * time.Millisecond, 1, "would pass the deadline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			calls := 0
			err := RetryOpenAI(ctx, OpenAIRetry{MaxRetries: tc.retries, Backoff: time.Millisecond * 20}, func(context.Context) error {
				calls++
				if calls <= len(tc.errs) {
					return tc.errs[calls-1]
				}
				return nil
			})
			if calls != tc.calls {
				t.Errorf("%d calls, want %d", calls, tc.calls)
			}
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// The embedder waits out a Retry-After the way the chat model does: one
// that lies past the call's deadline ends the call at once instead of
// hammering an endpoint that asked for a pause.
func TestRemoteEmbedderHonoursRetryAfter(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "30")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"message":"slow down","type":"rate_limit"}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"object":"list","data":[{"object":"embedding","index":0,"embedding":[1,0]}],"model":"m"}`))
	}))
	defer srv.Close()
	emb, err := RemoteEmbedder(RemoteConfig{BaseURL: srv.URL + "/v1", Model: "m", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = emb.Embed(context.Background(), []string{"低保"})
	if err == nil || !strings.Contains(err.Error(), "would pass the deadline") {
		t.Errorf("err %v, want one saying the Retry-After passes the deadline", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls, want 1: the endpoint asked for 30 s", n)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"-1", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tc := range tests {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
