package retrieval

import (
	"math"
	"slices"
)

// bm25 is an inverted index over one kind of term (words or bigrams).
// Postings are kept per term so a query touches only passages that share a
// term with it, which keeps a 100k-passage corpus fast. All postings live
// in one pointer-free slice, each term's a window of it in passage order:
// at 100k passages that is tens of millions of postings, which as one
// slice cost neither append slack nor garbage-collector scanning.
type bm25 struct {
	ids   map[string]int32 // term → id
	terms []string         // id → term
	// postings[start[id]:start[id+1]] are term id's.
	postings []posting
	start    []int32
	docLen   []float32
	avgLen   float32
	k1, b    float32
}

// df is how many passages hold term id.
func (b *bm25) df(id int32) int32 { return b.start[id+1] - b.start[id] }

type posting struct {
	doc int32
	tf  float32
}

// bm25Builder collects the terms of passages in order, then lays their
// postings out once.
type bm25Builder struct {
	ids    map[string]int32
	terms  []string
	df     []int32
	docs   [][]termCount // per passage, by term id
	docLen []float32
	ts     []int32 // scratch: one passage's term ids
}

type termCount struct {
	id int32
	tf float32
}

func newBM25Builder(passages int) *bm25Builder {
	return &bm25Builder{ids: map[string]int32{}, docs: make([][]termCount, 0, passages), docLen: make([]float32, 0, passages)}
}

// id interns a term. Looking up string(b) with b a []byte does not
// allocate, so callers cutting terms into a buffer pay for new terms only.
func (bb *bm25Builder) idBytes(b []byte) int32 {
	if id, ok := bb.ids[string(b)]; ok {
		return id
	}
	return bb.intern(string(b))
}

func (bb *bm25Builder) id(t string) int32 {
	if id, ok := bb.ids[t]; ok {
		return id
	}
	return bb.intern(t)
}

func (bb *bm25Builder) intern(t string) int32 {
	id := int32(len(bb.terms))
	bb.ids[t] = id
	bb.terms = append(bb.terms, t)
	bb.df = append(bb.df, 0)
	return id
}

// add takes the next passage's terms as ids gathered in bb.ts.
func (bb *bm25Builder) add() {
	ts := bb.ts
	slices.Sort(ts)
	var tc []termCount
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j] == ts[i] {
			j++
		}
		tc = append(tc, termCount{ts[i], float32(j - i)})
		bb.df[ts[i]]++
		i = j
	}
	bb.docs = append(bb.docs, tc)
	bb.docLen = append(bb.docLen, float32(len(ts)))
	bb.ts = ts[:0]
}

// addTerms adds a passage given as terms.
func (bb *bm25Builder) addTerms(terms []string) {
	for _, t := range terms {
		bb.ts = append(bb.ts, bb.id(t))
	}
	bb.add()
}

func (bb *bm25Builder) build() *bm25 {
	ix := &bm25{ids: bb.ids, terms: bb.terms, docLen: bb.docLen, k1: 1.2, b: 0.6}
	ix.start = make([]int32, len(bb.terms)+1)
	var total int64
	for id, n := range bb.df {
		ix.start[id] = int32(total)
		total += int64(n)
	}
	ix.start[len(bb.terms)] = int32(total)
	ix.postings = make([]posting, total)
	next := slices.Clone(ix.start[:len(bb.terms)])
	for d, tc := range bb.docs {
		for _, c := range tc {
			ix.postings[next[c.id]] = posting{doc: int32(d), tf: c.tf}
			next[c.id]++
		}
	}
	ix.setAvgLen()
	return ix
}

// setAvgLen sets the average passage length, summed in passage order so
// that a loaded index has the built one's to the bit.
func (ix *bm25) setAvgLen() {
	var sum float32
	for _, l := range ix.docLen {
		sum += l
	}
	ix.avgLen = 0
	if len(ix.docLen) > 0 {
		ix.avgLen = sum / float32(len(ix.docLen))
	}
	if ix.avgLen == 0 {
		ix.avgLen = 1
	}
}

// list is term's postings, in passage order.
func (ix *bm25) list(term string) []posting {
	id, ok := ix.ids[term]
	if !ok {
		return nil
	}
	return ix.postings[ix.start[id]:ix.start[id+1]]
}

// idf is the BM25 inverse document frequency; a term the corpus lacks gets
// the highest value, as the rarest possible term.
func (ix *bm25) idf(term string) float32 {
	n := float64(len(ix.docLen))
	df := float64(len(ix.list(term)))
	return float32(math.Log(1 + (n-df+0.5)/(df+0.5)))
}

// score adds weight×BM25 of each query term to scores (indexed by passage).
// allowed, when non-nil, limits scoring to some passages.
func (ix *bm25) score(query map[string]float32, allowed []bool, scores []float32) {
	for term, w := range query {
		ps := ix.list(term)
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
		ps := ix.list(term)
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
	ps := ix.list(term)
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
