package retrieval

import (
	"slices"
	"testing"
)

// sameBM25 reports where two indexes differ, "" when they hold the same
// terms with the same postings and lengths.
func sameBM25(a, b *bm25) string {
	if len(a.terms) != len(b.terms) || !slices.Equal(a.docLen, b.docLen) || a.avgLen != b.avgLen {
		return "sizes or lengths differ"
	}
	for _, t := range a.terms {
		if !slices.Equal(a.list(t), b.list(t)) {
			return "postings of " + t
		}
	}
	return ""
}

func TestGramIndexIsBigrams(t *testing.T) {
	ix := seedIndex(t)
	grams := make([][]string, len(ix.folded))
	for i, f := range ix.folded {
		grams[i] = bigrams(f)
	}
	if d := sameBM25(gramIndex(ix.folded), newBM25(grams)); d != "" {
		t.Fatal(d)
	}
	// Edge cases: one Han character alone, digits, nothing to index.
	folded := []string{"低 保", "2025年850元", "", "a b c"}
	grams = grams[:0]
	for _, f := range folded {
		grams = append(grams, bigrams(f))
	}
	if d := sameBM25(gramIndex(folded), newBM25(grams)); d != "" {
		t.Fatal(d)
	}
}

// TestDocTermsRebuild checks that what is saved rebuilds the same index.
func TestDocTermsRebuild(t *testing.T) {
	ix := seedIndex(t)
	if d := sameBM25(newBM25(ix.words.docTerms()), ix.words); d != "" {
		t.Fatal(d)
	}
	// The build segments in parallel, in slices; one pass in order must
	// give the same index.
	words := make([][]string, len(ix.folded))
	for i, f := range ix.folded {
		words[i] = sharedSeg.words(f)
	}
	if d := sameBM25(newBM25(words), ix.words); d != "" {
		t.Fatal(d)
	}
	empty := newBM25(nil)
	if empty.idf("x") <= 0 || empty.has("x", 0) || len(empty.docTerms()) != 0 {
		t.Fatal("an empty index misbehaves")
	}
}
