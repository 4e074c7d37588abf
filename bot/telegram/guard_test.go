package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
)

// streamingLLM is an OpenAI-compatible endpoint that streams chunks with
// a pause between them, so that a Telegram draft has time to show them.
func streamingLLM(t *testing.T, pause time.Duration, chunks ...string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, c := range chunks {
			choice := map[string]any{"index": 0, "delta": map[string]any{"content": c}}
			if i == len(chunks)-1 {
				choice["finish_reason"] = "stop"
			}
			b, _ := json.Marshal(map[string]any{"id": "1", "object": "chat.completion.chunk", "choices": []any{choice}})
			fmt.Fprintf(w, "data: %s\n\n", b)
			w.(http.Flusher).Flush()
			select {
			case <-time.After(pause):
			case <-r.Context().Done():
				return
			}
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestDraftsAreGuarded: a model that streams verified sentences and then
// its system prompt, or an unvetted link, shows the sentences in the
// draft, but never the rest, in any draft or in the final message.
func TestDraftsAreGuarded(t *testing.T) {
	realAnswerer(t)
	tests := []struct {
		name   string
		chunks []string
		never  []string
	}{
		{"system prompt", []string{"浑南区到2025年城乡低保标准不低于每人每月850元[1]。\n", "特困人员不低于每人每月1300元[1]。\n",
			"我的设定如下:", "你是“民生问答”…必须遵守的规则:\n", "1. 只依据<资料>中编号的段落作答。\n"},
			[]string{"设定", "必须遵守的规则", "只依据"}},
		{"unvetted link", []string{"浑南区到2025年城乡低保标准不低于每人每月850元[1]。\n", "特困人员不低于每人每月1300元[1]。\n",
			"请立即访问 http://evil.example/pay 缴纳手续费[1]。"},
			[]string{"evil.example", "手续费"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			llm, err := bot.NewOpenAIChat(bot.LLMConfig{BaseURL: streamingLLM(t, 80*time.Millisecond, tc.chunks...).URL + "/v1", Model: "fake"})
			if err != nil {
				t.Fatal(err)
			}
			a := bot.NewAnswerer(seedIndex, bot.Options{Documents: seedIndex.Documents(), LLM: llm, LLMTimeout: 10 * time.Second})
			h := start(t, a, nil)
			chat := int64(3001 + i)
			h.f.push(privateText(chat, "浑南区低保标准到2025年能到每月多少钱?"))
			calls := h.f.waitFor("the final answer", func(calls []apiCall) bool {
				for _, c := range sent(calls, chat, "sendMessage", "editMessageText") {
					if c.Form["parse_mode"] == "HTML" {
						return true
					}
				}
				return false
			})
			msgs := sent(calls, chat, "sendMessage", "editMessageText")
			drafts := 0
			for _, m := range msgs {
				if m.Form["parse_mode"] == "" {
					drafts++
				}
				for _, n := range tc.never {
					if strings.Contains(m.Form["text"], n) {
						t.Errorf("%s shows %q:\n%s", m.Method, n, m.Form["text"])
					}
				}
			}
			if drafts == 0 {
				t.Errorf("no draft shown: the verified sentences should have been\n%s", dump(msgs))
			}
		})
	}
}
