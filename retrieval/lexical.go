package retrieval

import "math"

// bm25 is an inverted index over one kind of term (words or bigrams).
// Postings are kept per term so a query touches only passages that share a
// term with it, which keeps a 100k-passage corpus fast.
type bm25 struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float32
	k1, b    float32
}

type posting struct {
	doc int32
	tf  float32
}

func newBM25(docs [][]string) *bm25 {
	ix := &bm25{postings: map[string][]posting{}, docLen: make([]float32, len(docs)), k1: 1.2, b: 0.6}
	var total float32
	for d, terms := range docs {
		tf := map[string]float32{}
		for _, t := range terms {
			tf[t]++
		}
		for t, n := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(d), tf: n})
		}
		ix.docLen[d] = float32(len(terms))
		total += float32(len(terms))
	}
	if len(docs) > 0 {
		ix.avgLen = total / float32(len(docs))
	}
	if ix.avgLen == 0 {
		ix.avgLen = 1
	}
	return ix
}

// idf is the BM25 inverse document frequency; a term the corpus lacks gets
// the highest value, as the rarest possible term.
func (ix *bm25) idf(term string) float32 {
	n := float64(len(ix.docLen))
	df := float64(len(ix.postings[term]))
	return float32(math.Log(1 + (n-df+0.5)/(df+0.5)))
}

// score adds weight×BM25 of each query term to scores (indexed by passage).
// allowed, when non-nil, limits scoring to some passages.
func (ix *bm25) score(query map[string]float32, allowed []bool, scores []float32) {
	for term, w := range query {
		ps := ix.postings[term]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(term) * w
		for _, p := range ps {
			if allowed != nil && !allowed[p.doc] {
				continue
			}
			norm := ix.k1 * (1 - ix.b + ix.b*ix.docLen[p.doc]/ix.avgLen)
			scores[p.doc] += idf * p.tf * (ix.k1 + 1) / (p.tf + norm)
		}
	}
}

// presence adds weight×IDF of each query term a passage contains, however
// often: an IDF-weighted coverage of the question. It rewards passages that
// touch every part of a question over ones that repeat one part of it.
func (ix *bm25) presence(query map[string]float32, allowed []bool, scores []float32) {
	for term, w := range query {
		ps := ix.postings[term]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(term) * w
		for _, p := range ps {
			if allowed == nil || allowed[p.doc] {
				scores[p.doc] += idf
			}
		}
	}
}

// has reports whether passage d contains term.
func (ix *bm25) has(term string, d int32) bool {
	ps := ix.postings[term]
	// postings are in passage order
	lo, hi := 0, len(ps)
	for lo < hi {
		m := (lo + hi) / 2
		if ps[m].doc < d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(ps) && ps[lo].doc == d
}
