package bot

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/minsheng/minsheng/retrieval"
)

// BenchmarkAnswerBatch100 answers 100 questions (the dev set, cycled) per
// operation, extractively, as `ask --jsonl` does.
func BenchmarkAnswerBatch100(b *testing.B) {
	a := seedAnswerer(b)
	qs := devQuestions(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 100; j++ {
			if _, err := a.Answer(ctx, Request{Question: qs[j%len(qs)].Q}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSearchBatch100 is the baseline for BenchmarkAnswerBatch100,
// measured in the same run: the same 100 questions searched the plain way
// (retrieval.PlainQuery), without reading, judging or composing.
func BenchmarkSearchBatch100(b *testing.B) {
	seedAnswerer(b)
	qs := devQuestions(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 100; j++ {
			if _, err := seedIndex.Search(ctx, retrieval.PlainQuery(qs[j%len(qs)].Q)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLLMUnderLoad asks 200 questions at once of an answerer whose
// LLM takes 200 ms a call, per operation, and reports how long the
// answers took: those that got an LLM slot and those answered
// extractively because every slot was taken (the latter should take about
// as long as an extractive answer plus llmQueueWait, never a queue's
// worth).
//
//	go test -run '^$' -bench LLMUnderLoad -benchtime 5x ./bot/
func BenchmarkLLMUnderLoad(b *testing.B) {
	const clients = 200
	f := newFakeLLM(b, func(int, fakeRequest) fakeReply {
		return fakeReply{delay: 200 * time.Millisecond, chunks: []string{grounded}}
	})
	a := llmAnswererWith(b, f, Options{LLMTimeout: time.Minute})
	ctx := context.Background()
	var mu sync.Mutex
	byKind := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				t0 := time.Now()
				ans, err := a.Answer(ctx, Request{Question: dibaoQ})
				d := time.Since(t0)
				if err != nil {
					b.Error(err)
					return
				}
				kind := ans.Mode
				if ans.Fallback != "" {
					kind = ans.Fallback
				}
				mu.Lock()
				byKind[kind] = append(byKind[kind], d)
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	for kind, ds := range byKind {
		slices.Sort(ds)
		q := func(p float64) float64 {
			return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
		}
		b.ReportMetric(q(0.5), kind+"-p50-ms")
		b.ReportMetric(q(0.99), kind+"-p99-ms")
		b.ReportMetric(float64(len(ds))/float64(b.N), kind+"/op")
	}
	b.ReportMetric(float64(f.peak()), "peak-llm-calls")
}

// devQuestions are the dev set's questions, which the batch benchmarks ask.
func devQuestions(b *testing.B) []EvalQuestion {
	b.Helper()
	f, err := os.Open("../testdata/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQuestions(f)
	if err != nil {
		b.Fatal(err)
	}
	return qs
}
