package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeChat is an OpenAI-compatible endpoint that streams one fixed reply,
// fails with a status, or hangs.
func fakeChat(t *testing.T, reply string, status int, hang bool) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice when the client gives up.
		io.Copy(io.Discard, r.Body)
		if hang {
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":{"message":"down"}}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		chunk, _ := json.Marshal(map[string]any{"id": "1", "object": "chat.completion.chunk",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": reply}, "finish_reason": "stop"}}})
		fmt.Fprintf(w, "data: %s\n\ndata: [DONE]\n\n", chunk)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAskWithLLM(t *testing.T) {
	tests := []struct {
		name          string
		reply         string
		status        int
		hang          bool
		mode          string
		want, mustNot string
	}{
		{"grounded", "浑南区到2025年城乡低保标准不低于每人每月850元[1]。", 0, false, "llm", "850", ""},
		{"invented figure", "浑南区低保标准是每月9999元[1]。", 0, false, "extractive", "850", "9999"},
		{"server error", "", 500, false, "extractive", "850", ""},
		{"hangs", "", 0, true, "extractive", "850", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeChat(t, tc.reply, tc.status, tc.hang)
			t.Setenv("MINSHENG_LLM_BASE_URL", srv.URL+"/v1")
			t.Setenv("MINSHENG_LLM_MODEL", "fake")
			t.Setenv("MINSHENG_LLM_API_KEY", "sk-test")
			t.Setenv("MINSHENG_LLM_TIMEOUT", "3s")
			// The hanging fake holds on for 30 s; the answer must come from the
			// 3 s LLM budget, well inside this deadline, or the run is cut.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, []string{"ask", "--data-dir", dataDir(t), "--json", "浑南区低保标准到2025年能到每月多少钱?"}, strings.NewReader(""), &stdout, &stderr)
			out, errOut := stdout.String(), stderr.String()
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var ans struct {
				Answer    string
				Mode      string
				Citations []struct{ Source string }
			}
			if err := json.Unmarshal([]byte(out), &ans); err != nil {
				t.Fatal(err)
			}
			if ans.Mode != tc.mode || !strings.Contains(ans.Answer, tc.want) || (tc.mustNot != "" && strings.Contains(ans.Answer, tc.mustNot)) {
				t.Errorf("mode %s, answer:\n%s", ans.Mode, ans.Answer)
			}
			if len(ans.Citations) == 0 || ans.Citations[0].Source != "001_1a1d5eee5e46f0c9.txt" {
				t.Errorf("citations %+v", ans.Citations)
			}
		})
	}
}

func TestLLMConfigErrors(t *testing.T) {
	t.Setenv("MINSHENG_LLM_BASE_URL", "http://127.0.0.1:1/v1")
	t.Setenv("MINSHENG_LLM_MODEL", "")
	code, _, errOut := runCLI(t, "", "ask", "--data-dir", dataDir(t), "低保")
	if code != exitBadInput || !strings.Contains(errOut, "MINSHENG_LLM_MODEL") {
		t.Errorf("missing model: exit %d %s", code, errOut)
	}
	t.Setenv("MINSHENG_LLM_MODEL", "m")
	t.Setenv("MINSHENG_LLM_TIMEOUT", "soon")
	code, _, errOut = runCLI(t, "", "ask", "--data-dir", dataDir(t), "低保")
	if code != exitBadInput || !strings.Contains(errOut, "MINSHENG_LLM_TIMEOUT") {
		t.Errorf("bad timeout: exit %d %s", code, errOut)
	}
}
