package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/metrics"
	"github.com/minsheng/minsheng/retrieval/retrievaltest"
)

func TestObserve(t *testing.T) {
	answered := bot.Answer{Answer: "…[1]。", Timing: bot.Timing{Retrieval: 3 * time.Millisecond, Total: 4 * time.Millisecond}}
	withLLM := bot.Answer{Answer: "…[1]。", Mode: bot.ModeLLM,
		Timing: bot.Timing{Retrieval: 3 * time.Millisecond, LLM: 2 * time.Second, Total: 2 * time.Second}}
	fellBack := bot.Answer{Answer: "…[1]。", Mode: bot.ModeExtractive, Fallback: "timeout",
		Timing: bot.Timing{Retrieval: 3 * time.Millisecond, LLM: 30 * time.Second, Total: 30 * time.Second}}
	abstained := bot.Answer{Abstained: true, Timing: bot.Timing{Total: time.Millisecond}}
	badInput := &bot.Error{Kind: bot.KindBadInput, Message: "问题是空的。"}
	unavailable := &bot.Error{Kind: bot.KindUnavailable, Message: "稍后再试"}

	tests := []struct {
		name    string
		ans     bot.Answer
		err     error
		outcome string
		kind    string // error kind counted, "" for none
		llm     int    // LLM latency observations
	}{
		{"answered", answered, nil, metrics.OutcomeAnswered, "", 0},
		{"answered by the LLM", withLLM, nil, metrics.OutcomeAnswered, "", 1},
		{"LLM timed out, extractive answer", fellBack, nil, metrics.OutcomeAnswered, "", 1},
		{"abstained", abstained, nil, metrics.OutcomeAbstained, "", 0},
		{"bad input", bot.Answer{}, badInput, metrics.OutcomeError, metrics.KindBadInput, 0},
		{"wrapped unavailable", bot.Answer{}, fmt.Errorf("ask: %w", unavailable), metrics.OutcomeError, metrics.KindUnavailable, 0},
		{"internal", bot.Answer{}, errors.New("disk on fire"), metrics.OutcomeError, metrics.KindInternal, 0},
		{"client gone", bot.Answer{}, fmt.Errorf("search: %w", context.Canceled), metrics.OutcomeError, metrics.KindCanceled, 0},
		{"timeout", bot.Answer{}, context.DeadlineExceeded, metrics.OutcomeError, metrics.KindTimeout, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewPedanticRegistry()
			m := metrics.New(reg)
			m.Observe("web", tc.ans, tc.err)

			if got := counter(t, reg, "minsheng_questions_total", "channel", "web", "outcome", tc.outcome); got != 1 {
				t.Errorf("questions{outcome=%s} = %v, want 1", tc.outcome, got)
			}
			if tc.kind != "" {
				if got := counter(t, reg, "minsheng_errors_total", "channel", "web", "kind", tc.kind); got != 1 {
					t.Errorf("errors{kind=%s} = %v, want 1", tc.kind, got)
				}
			}
			wantAbst := 0.0
			if tc.outcome == metrics.OutcomeAbstained {
				wantAbst = 1
			}
			if got := counter(t, reg, "minsheng_abstentions_total", "channel", "web"); got != wantAbst {
				t.Errorf("abstentions = %v, want %v", got, wantAbst)
			}
			if got := histCount(t, reg, "minsheng_answer_duration_seconds", "stage", "llm"); got != uint64(tc.llm) {
				t.Errorf("llm latency observations = %d, want %d", got, tc.llm)
			}
			wantFallback := 0.0
			if tc.ans.Fallback != "" {
				wantFallback = 1
			}
			if got := counter(t, reg, "minsheng_llm_fallbacks_total", "channel", "web", "reason", "timeout"); got != wantFallback {
				t.Errorf("fallbacks{reason=timeout} = %v, want %v", got, wantFallback)
			}
			wantTotal := uint64(1)
			if tc.err != nil {
				wantTotal = 0 // a failed question has no timing to speak of
			}
			if got := histCount(t, reg, "minsheng_answer_duration_seconds", "stage", "total"); got != wantTotal {
				t.Errorf("total latency observations = %d, want %d", got, wantTotal)
			}
		})
	}
}

func TestLLMCountersAndHTTP(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := metrics.New(reg)
	m.LLMFallback("telegram")
	m.LLMFallback("telegram")
	m.LLMError("timeout")
	m.ObserveHTTP("POST /v1/ask", 200, 20*time.Millisecond)
	m.ObserveHTTP("POST /v1/ask", 400, time.Millisecond)
	m.ReplyDropped("telegram", "rate_limit")

	if got := counter(t, reg, "minsheng_llm_fallbacks_total", "channel", "telegram", "reason", "unspecified"); got != 2 {
		t.Errorf("fallbacks = %v, want 2", got)
	}
	if got := counter(t, reg, "minsheng_llm_errors_total", "reason", "timeout"); got != 1 {
		t.Errorf("llm errors = %v, want 1", got)
	}
	if got := counter(t, reg, "minsheng_http_requests_total", "route", "POST /v1/ask", "code", "400"); got != 1 {
		t.Errorf("http 400 = %v, want 1", got)
	}
	if got := counter(t, reg, "minsheng_replies_dropped_total", "channel", "telegram", "reason", "rate_limit"); got != 1 {
		t.Errorf("dropped replies = %v, want 1", got)
	}
	// The pedantic registry checks the collectors' consistency on Gather.
	if _, err := reg.Gather(); err != nil {
		t.Errorf("gather: %v", err)
	}
}

// TestRoutesAndStripped: the answerer's hooks count crisis routes and
// stripped invisible characters, and the crisis text is in no label.
func TestRoutesAndStripped(t *testing.T) {
	ix := retrievaltest.SeedIndex(t)
	reg := prometheus.NewPedanticRegistry()
	m := metrics.New(reg)
	a := bot.NewAnswerer(ix, bot.Options{Documents: ix.Documents(), OnRoute: m.Route, OnStripped: m.Stripped})
	for _, q := range []string{"我不想活了", "活着没意思", "谢谢", "浑南区低保\u200b标准\u202e是多少?"} {
		if _, err := a.Answer(context.Background(), bot.Request{Question: q}); err != nil {
			t.Fatal(err)
		}
	}
	if got := counter(t, reg, "minsheng_routes_total", "kind", bot.RouteCrisis); got != 2 {
		t.Errorf("crisis routes = %v, want 2", got)
	}
	if got := counter(t, reg, "minsheng_routes_total", "kind", bot.RouteThanks); got != 1 {
		t.Errorf("thanks routes = %v, want 1", got)
	}
	for _, class := range []string{bot.StripZeroWidth, bot.StripBidi} {
		if got := counter(t, reg, "minsheng_input_stripped_total", "class", class); got != 1 {
			t.Errorf("stripped{class=%s} = %v, want 1", class, got)
		}
	}
	if _, err := reg.Gather(); err != nil {
		t.Errorf("gather: %v", err)
	}
}

func TestHandler(t *testing.T) {
	m := metrics.New(nil) // own registry, with Go and process collectors
	m.Observe("web", bot.Answer{Timing: bot.Timing{Total: time.Millisecond}}, nil)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`minsheng_questions_total{channel="web",outcome="answered"} 1`,
		"minsheng_answer_duration_seconds_bucket",
		"go_goroutines",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics output lacks %q", want)
		}
	}
}

func TestNilIsNoop(t *testing.T) {
	var m *metrics.Metrics
	m.Observe("web", bot.Answer{}, nil)
	m.LLMFallback("web")
	m.LLMError("x")
	m.ObserveHTTP("/", 200, 0)
	m.ReplyDropped("telegram", "failed")
	m.Route(bot.RouteCrisis)
	m.Stripped(bot.StripTag)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Metrics handler: %d, want 404", rec.Code)
	}
}

// counter reads one counter series; labels are name, value pairs.
func counter(t *testing.T, g prometheus.Gatherer, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if hasLabels(m.GetLabel(), labels) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func histCount(t *testing.T, g prometheus.Gatherer, name string, labels ...string) uint64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if hasLabels(m.GetLabel(), labels) {
				return m.GetHistogram().GetSampleCount()
			}
		}
	}
	return 0
}

func hasLabels[L interface {
	GetName() string
	GetValue() string
}](have []L, want []string) bool {
	for i := 0; i+1 < len(want); i += 2 {
		found := false
		for _, l := range have {
			if l.GetName() == want[i] && l.GetValue() == want[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}
