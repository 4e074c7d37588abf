package retrieval

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCutSearchMatchesGse checks the search cut against gse's own
// CutSearch on every seed passage, the development questions, and text
// made of pieces of them run together, with the full dictionary and with
// one loaded from a snapshot piece by piece.
func TestCutSearchMatchesGse(t *testing.T) {
	docs, err := SeedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range docs {
		for _, p := range d.Passages(DefaultSplit) {
			texts = append(texts, p.indexText())
		}
	}
	for _, q := range devQuestions(t) {
		texts = append(texts, Fold(q))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	all := []rune(strings.Join(texts, ""))
	for range 500 {
		i := rng.IntN(len(all) - 40)
		texts = append(texts, string(all[i:i+1+rng.IntN(40)]))
	}
	texts = append(texts, "", " ", "a", "ABC低保Def", "低", "\u00e9\u0301x", "2025年850元")
	check := func(s *segmenter) {
		t.Helper()
		for _, text := range texts {
			s.ready(text)
			want := s.seg.CutSearch(text, true)
			got := cutSearch(&s.seg, text)
			s.mu.RUnlock()
			if !slices.Equal(got, want) {
				t.Fatalf("cut of %q:\n got %q\nwant %q", text, got, want)
			}
		}
	}
	if err := sharedSeg.load(); err != nil {
		t.Fatal(err)
	}
	check(sharedSeg)
	var snap strings.Builder
	if err := sharedSeg.writeSnapshot(&snap); err != nil {
		t.Fatal(err)
	}
	ds, err := readSnapshot([]byte(snap.String()))
	if err != nil {
		t.Fatal(err)
	}
	lazy := &segmenter{added: map[string]bool{}}
	lazy.useSnapshot(ds)
	check(lazy)
}

// TestHMMCutMatchesGse checks the HMM cut's splitting against gse's on
// text made of Han characters, figures, letters and punctuation.
func TestHMMCutMatchesGse(t *testing.T) {
	if err := sharedSeg.load(); err != nil {
		t.Fatal(err)
	}
	pieces := []string{"市", "合成", "养老服务", "4", "12", "3.5", "1.2.3", ".", "abc", "Ab9", ")", "\u3002", " ", "%", "é", "低保金", "x.5", "7."}
	rng := rand.New(rand.NewPCG(9, 10))
	texts := []string{"", "4市)\u3002", "12.5万元", "v1.2版", "市"}
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		want := sharedSeg.seg.HMMCut(text)
		if got := hmmCut(&sharedSeg.seg, text); !slices.Equal(got, want) {
			t.Fatalf("HMM cut of %q: got %q, gse gives %q", text, got, want)
		}
	}
}

// BenchmarkCutSearch segments every seed passage, beside gse's own
// CutSearch in the same run:
//
//	go test -run '^$' -bench CutSearch ./retrieval
func BenchmarkCutSearch(b *testing.B) {
	docs, err := SeedDocuments()
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, d := range docs {
		for _, p := range d.Passages(DefaultSplit) {
			texts = append(texts, p.indexText())
		}
	}
	if err := sharedSeg.load(); err != nil {
		b.Fatal(err)
	}
	b.Run("minsheng", func(b *testing.B) {
		for range b.N {
			for _, t := range texts {
				cutSearch(&sharedSeg.seg, t)
			}
		}
	})
	b.Run("gse", func(b *testing.B) {
		for range b.N {
			for _, t := range texts {
				sharedSeg.seg.CutSearch(t, true)
			}
		}
	})
}
