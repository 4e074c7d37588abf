package bot

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/minsheng/minsheng/retrieval"
)

var (
	seedOnce  sync.Once
	seedIndex *retrieval.Index
	seedErr   error
)

// seedAnswerer builds the seed index once for all tests of the package.
func seedAnswerer(t testing.TB) *Answerer {
	t.Helper()
	seedOnce.Do(func() {
		docs, err := retrieval.SeedDocuments()
		if err != nil {
			seedErr = err
			return
		}
		seedIndex, seedErr = retrieval.Build(context.Background(), docs, retrieval.Options{})
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents()})
}

// TestDevSetBars runs the evaluation of testdata/dev.jsonl and fails below
// the bars of the core issue.
func TestDevSetBars(t *testing.T) {
	a := seedAnswerer(t)
	f, err := os.Open("../testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQuestions(f)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), a.Answer, qs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep.Table())
	bars := []struct {
		name      string
		got, want float64
	}{
		{"recall@5", rep.RecallAt5, 0.97},
		{"recall@1", rep.RecallAt1, 0.85},
		{"mrr@10", rep.MRRAt10, 0.90},
		{"facts_in_answer", rep.FactsInAnswer, 0.90},
		{"cited_right_doc", rep.CitedRightDoc, 0.95},
		{"answered_when_answerable", rep.AnsweredWhenAnswerable, 0.95},
		{"abstained_when_oos", rep.AbstainedWhenOOS, 0.90},
	}
	for _, b := range bars {
		if b.got < b.want {
			t.Errorf("%s = %.3f, below the bar %.2f", b.name, b.got, b.want)
		}
	}
}
