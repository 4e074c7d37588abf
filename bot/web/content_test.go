package web_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
)

// POST routes of /v1/ take JSON only: a form or text/plain post is one
// any site's page can send without a CORS preflight.
func TestPostsTakeJSONOnly(t *testing.T) {
	f := &fake{ans: bot.Answer{Answer: "答案", Mode: bot.ModeExtractive}}
	srv := start(t, web.New(web.Options{Answerer: f,
		Feedback: bot.NewFeedbackLog(filepath.Join(t.TempDir(), "fb.jsonl"), "salt")}))
	routes := []struct {
		path string
		body string
		ok   int
	}{
		{"/v1/ask", `{"question":"浑南区低保标准是多少?"}`, http.StatusOK},
		{"/v1/feedback", `{"question":"低保","answer":"答案","helpful":true}`, http.StatusNoContent},
		{"/v1/chat/completions", `{"model":"minsheng","messages":[{"role":"user","content":"低保标准"}]}`, http.StatusOK},
	}
	types := []struct {
		ctype string
		ok    bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"Application/JSON; charset=UTF-8", true},
		{"text/plain", false},
		{"text/plain;charset=UTF-8", false},
		{"application/x-www-form-urlencoded", false},
		{"multipart/form-data; boundary=x", false},
		{"", false},
		{"application/json; charset=gbk", false},
		{"application/jsonp", false},
		{"application/json;;", false},
	}
	for _, r := range routes {
		for _, ct := range types {
			req, _ := http.NewRequest("POST", srv.URL+r.path, strings.NewReader(r.body))
			if ct.ctype != "" {
				req.Header.Set("Content-Type", ct.ctype)
			}
			req.Header.Set("Origin", "https://evil.example")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			want := r.ok
			if !ct.ok {
				want = http.StatusUnsupportedMediaType
			}
			if resp.StatusCode != want {
				t.Errorf("POST %s as %q: %d, want %d", r.path, ct.ctype, resp.StatusCode, want)
			}
			if !ct.ok && body["error"] == nil {
				t.Errorf("POST %s as %q: no error message", r.path, ct.ctype)
			}
		}
	}
	// Only the JSON posts reached the answerer: three types, two routes.
	if n := len(f.requests()); n != 6 {
		t.Errorf("%d questions reached the answerer, want 6", n)
	}
}

// The answer's log line says why an answer fell back, and every line
// carries one channel attribute at most.
func TestAnswerLogLine(t *testing.T) {
	var logs bytes.Buffer
	f := &fake{ans: bot.Answer{Answer: "答案", Mode: bot.ModeExtractive, Fallback: "busy"}}
	srv := start(t, web.New(web.Options{Answerer: f,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	ask := map[string]string{"question": "浑南区低保标准是多少?"}
	chat := map[string]any{"model": "minsheng", "messages": []any{map[string]string{"role": "user", "content": "低保标准"}}}
	do(t, "POST", srv.URL+"/v1/ask", ask)
	do(t, "POST", srv.URL+"/v1/ask", ask, "Accept", "text/event-stream")
	do(t, "POST", srv.URL+"/v1/chat/completions", chat)
	chat["stream"] = true
	do(t, "POST", srv.URL+"/v1/chat/completions", chat)

	answers := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if n := strings.Count(line, `"channel":`); n > 1 {
			t.Errorf("%d channel attributes: %s", n, line)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "answer" {
			answers[rec["channel"].(string)]++
			if rec["fallback"] != "busy" {
				t.Errorf("answer line without the fallback reason: %s", line)
			}
		}
	}
	if answers[web.ChannelWeb] != 2 || answers[web.ChannelOpenAI] != 2 {
		t.Errorf("answer lines by channel %v, want 2 and 2:\n%s", answers, logs.String())
	}
}
