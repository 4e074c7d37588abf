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

// newBM25 indexes passages given as terms, one passage after another.
func newBM25(docs [][]string) *bm25 {
	bb := newBM25Builder(len(docs))
	for _, terms := range docs {
		bb.addTerms(terms)
	}
	return bb.build()
}

// TestLexicalRoundTrip checks that what is saved loads as the same index,
// and that the parallel build equals a plain one.
func TestLexicalRoundTrip(t *testing.T) {
	ix := seedIndex(t)
	raw, err := encodeLexical(ix.words, ix.grams)
	if err != nil {
		t.Fatal(err)
	}
	words, grams, err := decodeLexical(raw)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameBM25(words, ix.words); d != "" {
		t.Fatal("words: " + d)
	}
	if d := sameBM25(grams, ix.grams); d != "" {
		t.Fatal("bigrams: " + d)
	}
	for _, cut := range []int{len(raw) - 1, len(raw) / 2, len(lexicalMagic) + 3} {
		if _, _, err := decodeLexical(raw[:cut]); err == nil {
			t.Fatalf("cut at %d of %d bytes: no error", cut, len(raw))
		}
	}
	// The build segments in parallel, in slices; one pass in order must
	// give the same index.
	terms := make([][]string, len(ix.folded))
	for i, f := range ix.folded {
		terms[i] = sharedSeg.words(f)
	}
	if d := sameBM25(newBM25(terms), ix.words); d != "" {
		t.Fatal(d)
	}
	empty := newBM25(nil)
	if empty.idf("x") <= 0 || empty.has("x", 0) {
		t.Fatal("an empty index misbehaves")
	}
	raw, err = encodeLexical(empty, empty)
	if err != nil {
		t.Fatal(err)
	}
	if w, _, err := decodeLexical(raw); err != nil || sameBM25(w, empty) != "" {
		t.Fatalf("empty index round trip: %v", err)
	}
}
