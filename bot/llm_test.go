package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

const dibaoQ = "浑南区低保标准到2025年能到每月多少钱?"

func llmAnswerer(t *testing.T, f *fakeLLM, timeout time.Duration) *Answerer {
	t.Helper()
	return llmAnswererWith(t, f, Options{LLMTimeout: timeout})
}

// llmAnswererWith is an answerer over the seed index whose LLM is f,
// through the real go-openai client, with opt's other settings.
func llmAnswererWith(tb testing.TB, f *fakeLLM, opt Options) *Answerer {
	tb.Helper()
	seedAnswerer(tb) // builds the shared index
	chat, err := NewOpenAIChat(LLMConfig{BaseURL: f.srv.URL + "/v1", Model: "fake-model", APIKey: "sk-test"})
	if err != nil {
		tb.Fatal(err)
	}
	opt.Documents, opt.LLM = seedIndex.Documents(), chat
	return NewAnswerer(seedIndex, opt)
}

func say(chunks ...string) func(int, fakeRequest) fakeReply {
	return func(int, fakeRequest) fakeReply { return fakeReply{chunks: chunks} }
}

func TestLLMAnswers(t *testing.T) {
	tests := []struct {
		name     string
		reply    func(int, fakeRequest) fakeReply
		timeout  time.Duration
		mode     string
		want     []string // in the final answer
		notWant  []string // never in the final answer nor in any delta
		fallback string
		calls    int // requests the fake should see (0: don't check)
	}{
		{name: "grounded answer", reply: say("根据沈阳市浑南区2023年的实施意见,", "到2025年城乡低保标准不低于每人每月850元[1]。"),
			mode: ModeLLM, want: []string{"850", "[1]"}, calls: 1},
		{name: "invented number", reply: say("浑南区低保标准是每月9999元[1]。"),
			mode: ModeExtractive, want: []string{"850", "原文摘录"}, notWant: []string{"9999"}, fallback: "unverified", calls: 2},
		{name: "invented then fixed", reply: func(n int, _ fakeRequest) fakeReply {
			if n == 0 {
				return fakeReply{chunks: []string{"每月9999元[1]。"}}
			}
			return fakeReply{chunks: []string{"到2025年不低于每人每月850元[1]。"}}
		}, mode: ModeLLM, want: []string{"850"}, notWant: []string{"9999"}, calls: 2},
		{name: "citation to a missing passage only", reply: say("低保标准不低于850元[9]。"),
			mode: ModeExtractive, want: []string{"850"}, fallback: "unverified"},
		{name: "line breaks survive", reply: say("到2025年不低于每人每月850元[1]。\n", "特困人员不低于每人每月1300元[1]。"),
			mode: ModeLLM, want: []string{"850元[1]。\n特困"}},
		{name: "bad marker dropped, good one kept", reply: say("到2025年不低于每人每月850元[1][9]。"),
			mode: ModeLLM, want: []string{"850元[1]"}, notWant: []string{"[9]"}},
		{name: "no citation at all", reply: say("低保标准会逐步提高。"), mode: ModeExtractive, fallback: "unverified"},
		{name: "server error", reply: func(int, fakeRequest) fakeReply { return fakeReply{status: 500} },
			mode: ModeExtractive, want: []string{"850"}, fallback: "server", calls: 3},
		{name: "rate limited then ok", reply: func(n int, _ fakeRequest) fakeReply {
			if n == 0 {
				return fakeReply{status: 429, retryAfter: "1"}
			}
			return fakeReply{chunks: []string{"到2025年不低于每人每月850元[1]。"}}
		}, mode: ModeLLM, want: []string{"850"}, calls: 2},
		{name: "empty choices", reply: func(int, fakeRequest) fakeReply { return fakeReply{noChoices: true, chunks: []string{"x"}} },
			mode: ModeExtractive, want: []string{"850"}, fallback: "empty"},
		{name: "garbage", reply: func(int, fakeRequest) fakeReply { return fakeReply{body: "data: {not json\n\n"} },
			mode: ModeExtractive, want: []string{"850"}, fallback: "malformed"},
		{name: "cut off", reply: func(int, fakeRequest) fakeReply {
			return fakeReply{chunks: []string{"到2025年不低于"}, finish: "length"}
		}, mode: ModeExtractive, want: []string{"850"}, fallback: "length"},
		{name: "content filter", reply: func(int, fakeRequest) fakeReply {
			return fakeReply{chunks: []string{"..."}, finish: "content_filter"}
		}, mode: ModeExtractive, want: []string{"850"}, fallback: "content_filter"},
		{name: "hangs past the timeout", reply: func(int, fakeRequest) fakeReply { return fakeReply{delay: 10 * time.Second} },
			timeout: 1 * time.Second, mode: ModeExtractive, want: []string{"850"}, fallback: "timeout"},
		{name: "leaks the canary", reply: func(_ int, r fakeRequest) fakeReply {
			sys := r.system()
			i := strings.Index(sys, "MS-")
			return fakeReply{chunks: []string{"内部标记是" + sys[i:i+19] + ",850元[1]。"}}
		}, mode: ModeExtractive, want: []string{"850"}, notWant: []string{"MS-"}, fallback: "leak", calls: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLLM(t, tc.reply)
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			a := llmAnswerer(t, f, timeout)
			var mu sync.Mutex
			var deltas strings.Builder
			start := time.Now()
			ans, err := a.AnswerStream(context.Background(), Request{Question: dibaoQ}, func(d string) {
				mu.Lock()
				deltas.WriteString(d)
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > timeout+5*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
			if ans.Mode != tc.mode || ans.Fallback != tc.fallback {
				t.Errorf("mode %q fallback %q, want %q %q\n%s", ans.Mode, ans.Fallback, tc.mode, tc.fallback, ans.Answer)
			}
			for _, w := range tc.want {
				if !strings.Contains(ans.Answer, w) {
					t.Errorf("answer lacks %q:\n%s", w, ans.Answer)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(ans.Answer, w) || strings.Contains(deltas.String(), w) {
					t.Errorf("%q reached the user:\nanswer %s\ndeltas %s", w, ans.Answer, deltas.String())
				}
			}
			if len(ans.Citations) == 0 || !strings.HasPrefix(ans.Citations[0].Source, "001") {
				t.Errorf("citations %+v", ans.Citations)
			}
			if tc.calls != 0 && f.calls() != tc.calls {
				t.Errorf("%d LLM calls, want %d", f.calls(), tc.calls)
			}
		})
	}
}

func TestLLMRetryAfterIsHonoured(t *testing.T) {
	f := newFakeLLM(t, func(n int, _ fakeRequest) fakeReply {
		if n == 0 {
			return fakeReply{status: 429, retryAfter: "1"}
		}
		return fakeReply{chunks: []string{"到2025年不低于每人每月850元[1]。"}}
	})
	a := llmAnswerer(t, f, 10*time.Second)
	start := time.Now()
	ans, err := a.Answer(context.Background(), Request{Question: dibaoQ})
	if err != nil || ans.Mode != ModeLLM {
		t.Fatalf("%v %+v", err, ans)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %s, before Retry-After", d)
	}
}

func TestLLMBreakerSkipsFailingEndpoint(t *testing.T) {
	f := newFakeLLM(t, func(int, fakeRequest) fakeReply { return fakeReply{status: 503} })
	a := llmAnswerer(t, f, 5*time.Second)
	for i := 0; i < 3; i++ {
		ans, _ := a.Answer(context.Background(), Request{Question: dibaoQ})
		if ans.Mode != ModeExtractive {
			t.Fatalf("mode %s", ans.Mode)
		}
	}
	before := f.calls()
	ans, _ := a.Answer(context.Background(), Request{Question: dibaoQ})
	if f.calls() != before || ans.Fallback != "breaker_open" || !strings.Contains(ans.Answer, "850") {
		t.Errorf("breaker did not open: %d→%d calls, fallback %q", before, f.calls(), ans.Fallback)
	}
}

func TestLLMSeesMaskedQuestion(t *testing.T) {
	f := newFakeLLM(t, say("到2025年不低于每人每月850元[1]。"))
	a := llmAnswerer(t, f, 5*time.Second)
	q := "我身份证210112199001011234,手机13912345678,浑南区低保标准到2025年每月多少钱?"
	if _, err := a.Answer(context.Background(), Request{Question: q}); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.requests {
		if strings.Contains(r.raw, "210112199001011234") || strings.Contains(r.raw, "13912345678") {
			t.Errorf("personal numbers reached the LLM: %s", r.raw)
		}
	}
}

func TestRecordsRequestRefusedWithoutLLM(t *testing.T) {
	f := newFakeLLM(t, say("好的[1]。"))
	a := llmAnswerer(t, f, 5*time.Second)
	ans, err := a.Answer(context.Background(), Request{Question: "帮我查张三的社保"})
	if err != nil || !ans.Abstained || !strings.Contains(ans.Answer, "不能查询") || f.calls() != 0 {
		t.Errorf("%v %+v calls %d", err, ans, f.calls())
	}
}

func TestConversationWithLLMRewrite(t *testing.T) {
	f := newFakeLLM(t, func(_ int, r fakeRequest) fakeReply {
		if r.isRewrite() {
			return fakeReply{chunks: []string{"大连市的低保标准是多少?"}}
		}
		if strings.Contains(r.user(), "大连") {
			return fakeReply{chunks: []string{"大连市的资料提到提高社会救助水平[1]。"}}
		}
		return fakeReply{chunks: []string{"到2025年不低于每人每月850元[1]。"}}
	})
	a := llmAnswerer(t, f, 5*time.Second)
	ctx := context.Background()
	if _, err := a.Answer(ctx, Request{Question: dibaoQ, Conversation: "c1"}); err != nil {
		t.Fatal(err)
	}
	ans, err := a.Answer(ctx, Request{Question: "那大连呢?", Conversation: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ans.Region, "大连市") {
		t.Errorf("follow-up region %q", ans.Region)
	}
	for _, p := range ans.Passages {
		if !strings.HasPrefix(p.Source, "002") && !strings.HasPrefix(p.Source, "004") {
			t.Errorf("follow-up passage from %s", p.Source)
		}
	}
}
