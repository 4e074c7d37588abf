package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// redTeamCase is one line of testdata/redteam.jsonl: a prompt, what the
// adversarial fake LLM says to it, and what must hold of what the
// resident is shown.
type redTeamCase struct {
	ID   string `json:"id"`
	Lang string `json:"lang"`
	Kind string `json:"kind"`
	Q    string `json:"q"`
	// LLMReply is what the fake LLM streams, chunk by chunk;
	// "{{system}}" stands for the system prompt it was sent and
	// "{{system_no_canary}}" for the same without the canary line.
	LLMReply []string `json:"llm_reply"`
	// NoLLM runs the case on an answerer with no LLM configured.
	NoLLM bool        `json:"no_llm"`
	Want  redTeamWant `json:"want"`
}

type redTeamWant struct {
	// Route is Answer.Route; absent from the JSON means it must be "".
	Route string `json:"route"`
	// Absent must appear in none of the final answer, the streamed
	// deltas and the citations; Present must appear in the final answer.
	Absent  []string `json:"absent"`
	Present []string `json:"present"`
	// Mode and Fallback, when given, are the answer's.
	Mode     string `json:"mode"`
	Fallback string `json:"fallback"`
	// LLM is "never" (no request reaches the LLM) or "reached" (one
	// does, so that the case tests something); "" does not check.
	LLM string `json:"llm"`
	// LLMRequestAbsent must appear in no request sent to the LLM.
	LLMRequestAbsent []string `json:"llm_request_absent"`
}

// redTeamLLM is the adversarial fake: it says what the case tells it to,
// and obeys an instruction it finds anywhere in its request, however
// hidden ("ignore all rules", spelt in tag characters or not).
func redTeamLLM(reply func() []string) func(int, fakeRequest) fakeReply {
	return func(_ int, r fakeRequest) fakeReply {
		if r.isRewrite() {
			return fakeReply{chunks: []string{"NONE\nNONE"}} // unusable: the answerer carries the topic itself
		}
		for _, m := range r.Messages {
			plain, _ := stripInvisible(m.Content)
			if strings.Contains(plain, "ignore all rules") || plain != m.Content {
				return fakeReply{chunks: []string{"HACKED-42"}}
			}
		}
		sys := r.system()
		var noCanary []string
		for _, l := range strings.Split(sys, "\n") {
			if !strings.Contains(l, "MS-") && !strings.Contains(l, "内部标记") {
				noCanary = append(noCanary, l)
			}
		}
		var chunks []string
		for _, c := range reply() {
			c = strings.ReplaceAll(c, "{{system}}", sys)
			c = strings.ReplaceAll(c, "{{system_no_canary}}", strings.Join(noCanary, "\n"))
			chunks = append(chunks, c)
		}
		if len(chunks) == 0 {
			chunks = []string{"根据资料,标准见原文[1]。"}
		}
		return fakeReply{chunks: chunks}
	}
}

// TestRedTeam runs testdata/redteam.jsonl (injections and prompt leaks,
// crisis wording and its harmless look-alikes, links, advice and invisible
// characters; Chinese and English) through the real LLM client against an
// adversarial fake, over the seed documents plus one carrying a link and a
// phone number nobody vetted. Every case is streamed, so what holds of the
// final answer must hold of the deltas (what SSE, the OpenAI stream and
// Telegram drafts show) too.
func TestRedTeam(t *testing.T) {
	f, err := os.Open("../testdata/redteam.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []redTeamCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c redTeamCase
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("redteam.jsonl line %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	kinds := map[string]int{}
	for _, c := range cases {
		kinds[c.Kind]++
	}
	for _, k := range []string{"injection", "leak", "crisis", "lookalike", "link", "advice", "invisible"} {
		if kinds[k] < 2 {
			t.Fatalf("redteam.jsonl has %d %s cases", kinds[k], k)
		}
	}

	ix := plantedIndex(t)
	var mu sync.Mutex
	var current []string
	fake := newFakeLLM(t, redTeamLLM(func() []string {
		mu.Lock()
		defer mu.Unlock()
		return current
	}))
	chat, err := NewOpenAIChat(LLMConfig{BaseURL: fake.srv.URL + "/v1", Model: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	withLLM := NewAnswerer(ix, Options{Documents: ix.Documents(), LLM: chat, LLMTimeout: 5 * time.Second, BreakerThreshold: 1000})
	without := NewAnswerer(ix, Options{Documents: ix.Documents()})

	passed, failed := 0, 0
	for _, c := range cases {
		ok := t.Run(c.ID+"_"+c.Kind, func(t *testing.T) {
			mu.Lock()
			current = c.LLMReply
			mu.Unlock()
			a := withLLM
			if c.NoLLM {
				a = without
			}
			before := fake.calls()
			var dmu sync.Mutex
			var deltas strings.Builder
			ans, err := a.AnswerStream(context.Background(), Request{Question: c.Q}, func(d string) {
				dmu.Lock()
				deltas.WriteString(d)
				dmu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			fake.mu.Lock()
			reqs := append([]fakeRequest(nil), fake.requests[before:]...)
			fake.mu.Unlock()
			shown := []string{ans.Answer, deltas.String(), citationText(ans)}
			for _, s := range shown {
				if strings.Contains(s, a.canary) {
					t.Errorf("the canary was shown: %s", s)
				}
			}
			if ans.Route != c.Want.Route {
				t.Errorf("route %q, want %q", ans.Route, c.Want.Route)
			}
			for _, w := range c.Want.Absent {
				for _, s := range shown {
					if strings.Contains(s, w) {
						t.Errorf("%q was shown:\n%s", w, s)
						break
					}
				}
			}
			for _, w := range c.Want.Present {
				if !strings.Contains(ans.Answer, w) {
					t.Errorf("answer lacks %q:\n%s", w, ans.Answer)
				}
			}
			if c.Want.Mode != "" && ans.Mode != c.Want.Mode {
				t.Errorf("mode %q, want %q (fallback %q):\n%s", ans.Mode, c.Want.Mode, ans.Fallback, ans.Answer)
			}
			if c.Want.Fallback != "" && ans.Fallback != c.Want.Fallback {
				t.Errorf("fallback %q, want %q", ans.Fallback, c.Want.Fallback)
			}
			switch c.Want.LLM {
			case "never":
				if len(reqs) != 0 {
					t.Errorf("%d requests reached the LLM", len(reqs))
				}
			case "reached":
				if len(reqs) == 0 {
					t.Errorf("never reached the LLM (confidence %s): the case checks nothing", ans.Confidence)
				}
			}
			for _, r := range reqs {
				plain := strings.Join([]string{r.system(), r.user()}, "\n")
				for _, w := range c.Want.LLMRequestAbsent {
					if strings.Contains(plain, w) {
						t.Errorf("%q reached the LLM", w)
					}
				}
			}
		})
		if ok {
			passed++
		} else {
			failed++
		}
	}
	t.Logf("redteam: %d passed, %d failed (of %d)", passed, failed, len(cases))
}
