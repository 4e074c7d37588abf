package retrieval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"sync"

	chromem "github.com/philippgille/chromem-go"
)

// VectorSearcher finds the passages whose vectors are nearest a question's
// vector: passage indexes, best first, at most k. It is the seam for an
// approximate-nearest-neighbour engine (docs/scaling.md says when one pays);
// the default is an exact scan over a contiguous copy of the vectors held
// by the chromem-go collection. Regions are filtered by the caller, after
// the k nearest are found, as chromem-go's query was used before.
type VectorSearcher interface {
	Nearest(ctx context.Context, vec []float32, k int) ([]int, error)
}

// flatVectors holds every passage's vector in one slice, passage i at
// data[i*dim:(i+1)*dim], normalised exactly as chromem-go stores it, so
// that a scan scores every passage bit for bit as chromem-go's query does
// while reading memory in order and allocating nothing per passage.
type flatVectors struct {
	dim  int
	data []float32
}

// chromemNormal is the vector chromem-go stores or queries for v: v itself
// when its length is 1 within chromem-go's tolerance, else v divided by its
// length as chromem-go computes it (float32 sums). The two functions copy
// chromem-go v0.7.0's isNormalized and normalizeVector, which it does not
// export; TestFlatVectorsMatchChromem fails if they drift apart.
func chromemNormal(v []float32) []float32 {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	if math.Abs(math.Sqrt(sq)-1) < 1e-6 {
		return v
	}
	var norm float32
	for _, x := range v {
		norm += x * x
	}
	norm = float32(math.Sqrt(float64(norm)))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / norm
	}
	return out
}

// newFlatVectors lays vecs out contiguously and returns, for each passage,
// the slice to hand to chromem-go: a window of the flat copy when chromem-go
// will keep it as it is (so the vectors are held once), else a vector that
// chromem-go normalises into its own copy — the flat copy then holds that
// normalised form.
func newFlatVectors(vecs [][]float32) (*flatVectors, [][]float32, error) {
	if len(vecs) == 0 {
		return &flatVectors{}, nil, nil
	}
	dim := len(vecs[0])
	if dim == 0 {
		return nil, nil, errors.New("the embedder returned empty vectors")
	}
	f := &flatVectors{dim: dim, data: make([]float32, len(vecs)*dim)}
	give := make([][]float32, len(vecs))
	for i, v := range vecs {
		if len(v) != dim {
			return nil, nil, fmt.Errorf("passage %d has a vector of %d dimensions, not %d", i, len(v), dim)
		}
		u := chromemNormal(v)
		row := f.data[i*dim : (i+1)*dim : (i+1)*dim]
		stored := chromemNormal(u)
		copy(row, stored)
		if &stored[0] == &u[0] {
			give[i] = row
		} else {
			give[i] = u
		}
	}
	return f, give, nil
}

func (f *flatVectors) len() int {
	if f.dim == 0 {
		return 0
	}
	return len(f.data) / f.dim
}

// Nearest scans every vector on all cores, each part keeping its own best
// k; ties go to the earlier passage.
func (f *flatVectors) Nearest(ctx context.Context, vec []float32, k int) ([]int, error) {
	n := f.len()
	if n == 0 || k <= 0 {
		return nil, nil
	}
	if len(vec) != f.dim {
		return nil, fmt.Errorf("question vector has %d dimensions, the index %d", len(vec), f.dim)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q := chromemNormal(vec)
	parts := min(runtime.GOMAXPROCS(0), max(1, n/4096))
	heaps := make([]scoreHeap, parts)
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			heaps[p] = f.scan(q, lo, hi, k)
		}()
	}
	wg.Wait()
	all := heaps[0]
	for _, h := range heaps[1:] {
		all = append(all, h...)
	}
	sort.Slice(all, func(a, b int) bool { return worse(all[b], all[a]) })
	out := make([]int, 0, min(k, len(all)))
	for _, e := range all[:min(k, len(all))] {
		out = append(out, e.i)
	}
	return out, nil
}

// scan keeps the best k of passages lo..hi-1. Eight passages are scored
// at once, each sum still taken in dimension order as chromem-go's is, so
// the scores are the same to the last bit while eight sums overlap in the
// CPU (four left it waiting on each addition's latency).
func (f *flatVectors) scan(q []float32, lo, hi, k int) scoreHeap {
	dim := f.dim
	h := make(scoreHeap, 0, k)
	push := func(i int, s float32) {
		if len(h) < k {
			h = append(h, scored{i, s})
			h.up(len(h) - 1)
		} else if h.less(0, i, s) {
			h[0] = scored{i, s}
			h.down(0)
		}
	}
	i := lo
	for ; i+8 <= hi; i += 8 {
		rows := f.data[i*dim : (i+8)*dim]
		a, b, c, d := rows[:dim], rows[dim:2*dim], rows[2*dim:3*dim], rows[3*dim:4*dim]
		e, g, m, n := rows[4*dim:5*dim], rows[5*dim:6*dim], rows[6*dim:7*dim], rows[7*dim:8*dim]
		a, b, c, d = a[:len(q)], b[:len(q)], c[:len(q)], d[:len(q)]
		e, g, m, n = e[:len(q)], g[:len(q)], m[:len(q)], n[:len(q)]
		var sa, sb, sc, sd, se, sg, sm, sn float32
		for j, x := range q {
			sa += x * a[j]
			sb += x * b[j]
			sc += x * c[j]
			sd += x * d[j]
			se += x * e[j]
			sg += x * g[j]
			sm += x * m[j]
			sn += x * n[j]
		}
		push(i, sa)
		push(i+1, sb)
		push(i+2, sc)
		push(i+3, sd)
		push(i+4, se)
		push(i+5, sg)
		push(i+6, sm)
		push(i+7, sn)
	}
	for ; i < hi; i++ {
		push(i, dot(q, f.data[i*dim:(i+1)*dim]))
	}
	return h
}

// dot is chromem-go's dot product: one float32 sum in dimension order.
func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// chromemSearcher asks chromem-go's own exhaustive query: the reference
// the flat scan is tested and benchmarked against.
type chromemSearcher struct {
	coll *chromem.Collection
	n    int
}

func (c chromemSearcher) Nearest(ctx context.Context, vec []float32, k int) ([]int, error) {
	k = min(k, c.coll.Count()) // chromem-go fails when asked for more than it has
	if k <= 0 {
		return nil, nil
	}
	results, err := c.coll.QueryEmbedding(ctx, vec, k, nil, nil)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(results))
	for _, r := range results {
		i, err := strconv.Atoi(r.ID)
		if err != nil || i < 0 || i >= c.n {
			continue
		}
		out = append(out, i)
	}
	return out, nil
}
