package bot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLLM is an OpenAI-compatible chat endpoint for tests, driven through
// the real go-openai client. reply decides each response from the request.
type fakeLLM struct {
	mu          sync.Mutex
	requests    []fakeRequest
	inFlight    int
	maxInFlight int
	reply       func(n int, req fakeRequest) fakeReply
	srv         *httptest.Server
}

type fakeRequest struct {
	Model         string `json:"model"`
	Stream        bool   `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	raw string
}

// system, user and last return message contents.
func (r fakeRequest) system() string { return r.content("system") }
func (r fakeRequest) user() string   { return r.content("user") }
func (r fakeRequest) content(role string) string {
	s := ""
	for _, m := range r.Messages {
		if m.Role == role {
			s = m.Content
		}
	}
	return s
}
func (r fakeRequest) isRewrite() bool { return strings.Contains(r.user(), "<最后的问题>") }

type fakeReply struct {
	status     int
	retryAfter string
	body       string        // raw body for non-200 or garbage
	chunks     []string      // streamed content pieces
	finish     string        // finish_reason of the last chunk (default "stop")
	delay      time.Duration // before answering
	noChoices  bool          // a stream whose chunks have empty choices
	hold       chan struct{} // answer only once this is closed
	usage      int           // total_tokens reported when asked for (default 10; -1 none)
}

func newFakeLLM(t testing.TB, reply func(n int, req fakeRequest) fakeReply) *fakeLLM {
	f := &fakeLLM{reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// peak is the most requests the fake was answering at once.
func (f *fakeLLM) peak() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInFlight
}

func (f *fakeLLM) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var req fakeRequest
	var raw strings.Builder
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	b, _ := json.Marshal(req)
	raw.Write(b)
	req.raw = raw.String()
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, req)
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	rep := f.reply(n, req)
	if rep.hold != nil {
		select {
		case <-rep.hold:
		case <-r.Context().Done():
			return
		}
	}
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	if rep.status != 0 && rep.status != 200 {
		if rep.retryAfter != "" {
			w.Header().Set("Retry-After", rep.retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.status)
		body := rep.body
		if body == "" {
			body = fmt.Sprintf(`{"error":{"message":"status %d","type":"server_error"}}`, rep.status)
		}
		w.Write([]byte(body))
		return
	}
	if rep.body != "" { // garbage
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte(rep.body))
		return
	}
	finish := rep.finish
	if finish == "" {
		finish = "stop"
	}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": finish,
				"message": map[string]any{"role": "assistant", "content": strings.Join(rep.chunks, "")}}}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(content, finish string) map[string]any {
		choice := map[string]any{"index": 0, "delta": map[string]any{"content": content}}
		if finish != "" {
			choice["finish_reason"] = finish
		}
		choices := []any{choice}
		if rep.noChoices {
			choices = []any{}
		}
		return map[string]any{"id": "x", "object": "chat.completion.chunk", "model": req.Model, "choices": choices}
	}
	for i, c := range rep.chunks {
		f := ""
		if i == len(rep.chunks)-1 {
			f = finish
		}
		send(chunk(c, f))
	}
	if len(rep.chunks) == 0 {
		send(chunk("", finish))
	}
	// a usage chunk with no choices, as OpenAI sends when asked to
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage && rep.usage >= 0 {
		total := rep.usage
		if total == 0 {
			total = 10
		}
		send(map[string]any{"id": "x", "object": "chat.completion.chunk", "choices": []any{},
			"usage": map[string]any{"prompt_tokens": total - 1, "completion_tokens": 1, "total_tokens": total}})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}
