package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
)

// The "answered" line says why an answer fell back from the LLM.
func TestAnsweredLogCarriesFallback(t *testing.T) {
	fa := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
		ans := fixedAnswer(req)
		ans.Fallback = "timeout"
		return ans, nil
	}}
	h := start(t, fa, nil)
	const chat = 931
	h.f.push(privateText(chat, "低保标准是多少?"))
	h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(h.logs.String(), "msg=answered") {
		if time.Now().After(deadline) {
			t.Fatalf("no answered line:\n%s", h.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, line := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(line, "msg=answered") && !strings.Contains(line, "fallback=timeout") {
			t.Errorf("answered line without the fallback reason: %s", line)
		}
	}
}
