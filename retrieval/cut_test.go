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
