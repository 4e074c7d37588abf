package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Without an LLM, follow-ups carry the topic and the region over.
func TestConversationWithoutLLM(t *testing.T) {
	seedAnswerer(t)
	a := NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents()})
	ctx := context.Background()
	steps := []struct {
		q       string
		region  string // the answer's region must contain this
		sources []string
	}{
		{"浑南区低保标准到2025年能到每月多少钱?", "浑南区", []string{"001"}},
		{"那大连呢?", "大连市", []string{"002", "004"}},
		{"老年助餐有什么政策?", "大连市", []string{"002", "004"}}, // the region stays
		{"沈阳呢?", "沈阳市", []string{"000", "001"}},
	}
	for i, s := range steps {
		ans, err := a.Answer(ctx, Request{Question: s.q, Conversation: "chat-1"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ans.Region, s.region) {
			t.Errorf("step %d %q: region %q, want %s", i, s.q, ans.Region, s.region)
		}
		if ans.Abstained {
			t.Errorf("step %d %q abstained: %s", i, s.q, ans.Answer)
		}
		for _, p := range ans.Passages {
			if !startsWithAny(p.Source, s.sources) {
				t.Errorf("step %d %q: passage from %s", i, s.q, p.Source)
				break
			}
		}
	}
	// A follow-up with words of its own must be covered by them, not by
	// the topic it would carry.
	ans, _ := a.Answer(ctx, Request{Question: "那驾照怎么换?", Conversation: "chat-1"})
	if !ans.Abstained {
		t.Errorf("an uncovered follow-up was answered from the carried topic: %s", ans.Answer)
	}
	// Another conversation does not inherit any of it.
	ans, _ = a.Answer(ctx, Request{Question: "那大连呢?", Conversation: "chat-2"})
	if !ans.Abstained {
		t.Errorf("a fresh conversation answered a bare follow-up: %s", ans.Answer)
	}
	a.Forget("chat-1")
	if h := a.convs.History("chat-1"); len(h) != 0 {
		t.Errorf("forget kept %d turns", len(h))
	}
}

// A follow-up asking a figure of a thing it names is searched on its own
// words: the earlier topic would only find the earlier figure again.
func TestFollowUpOwnFigure(t *testing.T) {
	seedAnswerer(t)
	a := NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents()})
	ctx := context.Background()
	for _, tc := range []struct {
		history []string
		q, want string
		notWant string
	}{
		{[]string{"大连困难残疾人生活补贴到2025年提高到每人每月多少?"}, "那困难残疾人家庭无障碍改造要做多少户?", "4500", "300元"},
		// The region of an earlier question sent as history carries over.
		{[]string{"沙河口区的社区养老服务中心能给老人提供啥服务"}, "哪些服务是要收钱的", "营养配餐", "浑南"},
		// ...through a turn that names none, as in a live conversation.
		{[]string{"襄阳有没有专门调解纠纷的机构?", "医疗纠纷能调解吗?"}, "那物业纠纷呢?", "8类专业人民调解委员会", "沙河口"},
		// "那大连呢 哪个高" sets the new place beside the earlier one.
		{[]string{"浑南区街道养老服务综合体覆盖率到2025年要达到多少?"}, "那大连呢 哪个高", "100%", ""},
		// "那X呢" asks the earlier question of X.
		{[]string{"浑南区低保标准多少"}, "那孤儿的呢", "2600元", "850元"},
	} {
		ans, err := a.Answer(ctx, Request{Question: tc.q, History: tc.history})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Abstained || !strings.Contains(ans.Answer, tc.want) || (tc.notWant != "" && strings.Contains(ans.Answer, tc.notWant)) {
			t.Errorf("%q after %q: %s (want %q, not %q)", tc.q, tc.history, ans.Answer, tc.want, tc.notWant)
		}
	}
}

func TestConversationsAreBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newConversations(func() time.Time { return now })
	c.maxConvs = 3
	for i := 0; i < 10; i++ {
		c.Add(string(rune('a'+i)), Turn{Question: "q"})
		c.Add("a", Turn{Question: "q"}) // "a" stays the freshest
		now = now.Add(time.Second)
	}
	if len(c.m) > 3 {
		t.Errorf("%d conversations kept, want ≤ 3", len(c.m))
	}
	if len(c.History("a")) != c.maxTurns {
		t.Errorf("turns of a: %d, want %d", len(c.History("a")), c.maxTurns)
	}
	now = now.Add(time.Hour)
	if len(c.History("a")) != 0 {
		t.Error("an hour-old conversation was still remembered")
	}
}
