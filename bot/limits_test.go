package bot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const grounded = "到2025年不低于每人每月850元[1]。"

// 200 questions at once against a slow LLM: at most Concurrency calls
// reach it, and every other question is answered extractively, at once,
// with the busy note. "At once" is checked without a clock: the LLM holds
// every call until all the other questions are answered, so a question
// that waited for a slot would never be answered before the deadline.
func TestLLMConcurrencyBound(t *testing.T) {
	const clients, limit = 200, 8
	hold := make(chan struct{})
	var holdOnce sync.Once
	free := func() { holdOnce.Do(func() { close(hold) }) }
	defer free()
	f := newFakeLLM(t, func(int, fakeRequest) fakeReply { return fakeReply{hold: hold, chunks: []string{grounded}} })
	a := llmAnswererWith(t, f, Options{LLMTimeout: 3 * time.Minute, Limits: LLMLimits{Concurrency: limit}})

	// Generous: 200 retrievals take a few seconds, ten times that under
	// -race on two cores.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		ans Answer
		err error
	}
	results := make(chan result, clients)
	for range clients {
		go func() {
			ans, err := a.Answer(ctx, Request{Question: dibaoQ})
			results <- result{ans, err}
		}()
	}
	var got []result
	for len(got) < clients-limit {
		select {
		case r := <-results:
			got = append(got, r)
		case <-ctx.Done():
			t.Fatalf("only %d of %d questions answered while the LLM held %d calls: the others wait for a slot (peak %d at the LLM)",
				len(got), clients-limit, limit, f.peak())
		}
	}
	free()
	for len(got) < clients {
		select {
		case r := <-results:
			got = append(got, r)
		case <-ctx.Done():
			t.Fatalf("the %d LLM answers never came", limit)
		}
	}
	if p := f.peak(); p > limit {
		t.Errorf("%d calls at the LLM at once, bound %d", p, limit)
	}
	modes := map[string]int{}
	for _, r := range got {
		if r.err != nil {
			t.Fatalf("answer failed: %v", r.err)
		}
		modes[r.ans.Mode+"/"+r.ans.Fallback]++
		if r.ans.Fallback == FallbackBusy && (!strings.HasPrefix(r.ans.Answer, busyNote) || !strings.Contains(r.ans.Answer, "850")) {
			t.Errorf("busy answer without its note or the figure:\n%s", r.ans.Answer)
		}
	}
	want := map[string]int{ModeLLM + "/": limit, ModeExtractive + "/" + FallbackBusy: clients - limit}
	if len(modes) != len(want) || modes[ModeLLM+"/"] != limit || modes[ModeExtractive+"/"+FallbackBusy] != clients-limit {
		t.Errorf("answers by mode/fallback %v, want %v", modes, want)
	}
}

// The switch, the budget and the concurrency bound each answer at once,
// extractively, with their reason, and a change takes effect on the next
// question.
func TestLLMLimits(t *testing.T) {
	tests := []struct {
		name     string
		limits   LLMLimits
		used     int64 // tokens spent today before the question
		mode     string
		fallback string
		note     string
		calls    int
	}{
		{"on", LLMLimits{}, 0, ModeLLM, "", "", 1},
		{"off", LLMLimits{Off: true}, 0, ModeExtractive, FallbackDisabled, fallbackNote, 0},
		{"budget left", LLMLimits{DailyTokens: 1000}, 999, ModeLLM, "", "", 1},
		{"budget spent", LLMLimits{DailyTokens: 1000}, 1000, ModeExtractive, FallbackBudget, budgetNote, 0},
		{"no bound", LLMLimits{DailyTokens: 0}, 1 << 40, ModeLLM, "", "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLLM(t, say(grounded))
			budget, _ := OpenTokenBudget("", nil, nil)
			budget.Add(tc.used)
			a := llmAnswererWith(t, f, Options{LLMTimeout: 10 * time.Second, Limits: tc.limits, Budget: budget})
			ans, err := a.Answer(context.Background(), Request{Question: dibaoQ})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Mode != tc.mode || ans.Fallback != tc.fallback || f.calls() != tc.calls {
				t.Errorf("mode %q fallback %q calls %d, want %q %q %d", ans.Mode, ans.Fallback, f.calls(), tc.mode, tc.fallback, tc.calls)
			}
			if tc.note != "" && !strings.HasPrefix(ans.Answer, tc.note) {
				t.Errorf("answer lacks the note %q:\n%s", tc.note, ans.Answer)
			}
		})
	}

	t.Run("switched while running", func(t *testing.T) {
		f := newFakeLLM(t, say(grounded))
		a := llmAnswererWith(t, f, Options{LLMTimeout: 10 * time.Second})
		for i, l := range []LLMLimits{{Off: true}, {}, {Off: true}} {
			a.SetLLMLimits(l)
			ans, _ := a.Answer(context.Background(), Request{Question: dibaoQ})
			if (ans.Mode == ModeLLM) == l.Off {
				t.Errorf("step %d: off=%v, answer mode %s", i, l.Off, ans.Mode)
			}
		}
		if got := a.LLMLimits().Concurrency; got != DefaultLLMConcurrency {
			t.Errorf("concurrency %d, want the default %d", got, DefaultLLMConcurrency)
		}
	})
}

// A follow-up is not rewritten by an LLM that is switched off.
func TestLLMOffSkipsRewrite(t *testing.T) {
	f := newFakeLLM(t, say(grounded))
	a := llmAnswererWith(t, f, Options{LLMTimeout: 10 * time.Second, Limits: LLMLimits{Off: true}})
	ctx := context.Background()
	a.Answer(ctx, Request{Question: dibaoQ, Conversation: "c"})
	a.Answer(ctx, Request{Question: "那大连呢?", Conversation: "c"})
	if n := f.calls(); n != 0 {
		t.Errorf("%d LLM calls with the LLM off", n)
	}
}

// The gate's bound can change while calls hold slots.
func TestLLMGateResize(t *testing.T) {
	g := newLLMGate(1)
	ctx := context.Background()
	if err := g.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.acquire(ctx); !errors.Is(err, errLLMBusy) {
		t.Fatalf("second slot of one: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- g.acquire(ctx) }()
	g.setLimit(2) // wakes the waiter, if it is waiting yet; else it finds room
	if err := <-got; err != nil && !errors.Is(err, errLLMBusy) {
		t.Fatal(err)
	} else if err == nil {
		g.release()
	}
	if err := g.acquire(ctx); err != nil {
		t.Errorf("a slot under the raised bound: %v", err)
	}
	g.setLimit(1) // two held, bound one: nothing new until both end
	if err := g.acquire(ctx); !errors.Is(err, errLLMBusy) {
		t.Errorf("over a lowered bound: %v", err)
	}
	g.release()
	if err := g.acquire(ctx); !errors.Is(err, errLLMBusy) {
		t.Errorf("at a lowered bound: %v", err)
	}
	g.release()
	if err := g.acquire(ctx); err != nil {
		t.Errorf("under a lowered bound: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.acquire(canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("a waiter whose asker left: %v", err)
	}
}

// What the endpoint reports is counted; where it reports nothing the text
// length is, and the request asks for the usage.
func TestLLMUsageCounted(t *testing.T) {
	tests := []struct {
		name  string
		usage int
		want  func(int64) bool
	}{
		{"reported", 37, func(n int64) bool { return n == 37 }},
		// the prompt alone is over a thousand characters
		{"estimated", -1, func(n int64) bool { return n > 500 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLLM(t, func(int, fakeRequest) fakeReply { return fakeReply{chunks: []string{grounded}, usage: tc.usage} })
			budget, _ := OpenTokenBudget("", nil, nil)
			a := llmAnswererWith(t, f, Options{LLMTimeout: 10 * time.Second, Budget: budget})
			if ans, err := a.Answer(context.Background(), Request{Question: dibaoQ}); err != nil || ans.Mode != ModeLLM {
				t.Fatalf("%v %s", err, ans.Mode)
			}
			if _, n := budget.Used(); !tc.want(n) {
				t.Errorf("%d tokens counted", n)
			}
			if r := f.requests[0]; r.StreamOptions == nil || !r.StreamOptions.IncludeUsage {
				t.Errorf("the stream did not ask for usage: %s", r.raw)
			}
		})
	}
}

// Past the daily tokens answers are extractive; the count survives a
// restart, and starts again at midnight Beijing time.
func TestTokenBudget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "llm-usage.json")
	f := newFakeLLM(t, func(int, fakeRequest) fakeReply { return fakeReply{chunks: []string{grounded}, usage: 10} })
	open := func() *TokenBudget {
		b, err := OpenTokenBudget(path, nil, func(err error) { t.Error(err) })
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	budget := open()
	a := llmAnswererWith(t, f, Options{LLMTimeout: 10 * time.Second, Budget: budget, Limits: LLMLimits{DailyTokens: 25}})
	var fallbacks []string
	for range 4 {
		ans, err := a.Answer(context.Background(), Request{Question: dibaoQ})
		if err != nil {
			t.Fatal(err)
		}
		fallbacks = append(fallbacks, ans.Fallback)
	}
	if strings.Join(fallbacks, ",") != ",,,budget" {
		t.Errorf("fallbacks %q, want three LLM answers and then budget", fallbacks)
	}

	// A restart reads the count back.
	again := open()
	if day, n := again.Used(); n != 30 || day == "" {
		t.Errorf("after a restart: %d tokens on %q, want 30", n, day)
	}
	b2 := llmAnswererWith(t, f, Options{LLMTimeout: 10 * time.Second, Budget: again, Limits: LLMLimits{DailyTokens: 25}})
	if ans, _ := b2.Answer(context.Background(), Request{Question: dibaoQ}); ans.Fallback != FallbackBudget {
		t.Errorf("after a restart: fallback %q, want budget", ans.Fallback)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the count: %v", entries)
	}

	// Days are Beijing's: 23:59 and 00:01 there are 15:59 and 16:01 UTC.
	day := open()
	day.now = func() time.Time { return time.Date(2026, 3, 1, 15, 59, 0, 0, time.UTC) }
	day.Add(100)
	if d, n := day.Used(); d != "2026-03-01" || n != 100 {
		t.Errorf("23:59 Beijing: %d on %s", n, d)
	}
	day.now = func() time.Time { return time.Date(2026, 3, 1, 16, 1, 0, 0, time.UTC) }
	if d, n := day.Used(); d != "2026-03-02" || n != 0 {
		t.Errorf("00:01 Beijing: %d on %s, want a new day", n, d)
	}
	utc, _ := OpenTokenBudget("", time.UTC, nil)
	utc.now = func() time.Time { return time.Date(2026, 3, 1, 15, 59, 0, 0, time.UTC) }
	utc.Add(100)
	utc.now = func() time.Time { return time.Date(2026, 3, 1, 16, 1, 0, 0, time.UTC) }
	if d, n := utc.Used(); d != "2026-03-01" || n != 100 {
		t.Errorf("UTC budget at 16:01: %d on %s, want the same day", n, d)
	}

	// A count that cannot be read is an error naming the file, not a
	// silently fresh budget.
	os.WriteFile(path, []byte(`{"day":"2026-03-01","tokens":`), 0o644)
	if _, err := OpenTokenBudget(path, nil, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("truncated count: %v", err)
	}
}

func TestLLMSwitchFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "llm-switch.json")
	if s, err := ReadLLMSwitch(path); err != nil || !s.On {
		t.Errorf("no file: %+v %v, want on", s, err)
	}
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	if err := WriteLLMSwitch(path, LLMSwitch{On: false, Changed: at}); err != nil {
		t.Fatal(err)
	}
	if s, err := ReadLLMSwitch(path); err != nil || s.On || !s.Changed.Equal(at) {
		t.Errorf("after off: %+v %v", s, err)
	}
	os.WriteFile(path, []byte("off"), 0o644)
	if _, err := ReadLLMSwitch(path); err == nil || !strings.Contains(err.Error(), "minsheng llm") {
		t.Errorf("garbage: %v", err)
	}
}
