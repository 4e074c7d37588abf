package bot

import (
	"context"
	"os"
	"testing"
)

// BenchmarkAnswerBatch100 answers 100 questions (the dev set, cycled) per
// operation, extractively, as `ask --jsonl` does.
func BenchmarkAnswerBatch100(b *testing.B) {
	a := seedAnswerer(b)
	f, err := os.Open("../testdata/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	qs, err := ReadQuestions(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
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
