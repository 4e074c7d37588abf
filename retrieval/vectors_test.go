package retrieval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	chromem "github.com/philippgille/chromem-go"
)

// TestFlatVectorsMatchChromem checks that the flat scan ranks as
// chromem-go's own query does, score for score to the last bit, both for
// the seed corpus's questions and for vectors chromem-go must normalise.
func TestFlatVectorsMatchChromem(t *testing.T) {
	ctx := context.Background()
	ix := seedIndex(t)
	flat := ix.vectors.(*flatVectors)
	ref := chromemSearcher{coll: ix.coll, n: ix.Len()}
	rng := rand.New(rand.NewPCG(1, 2))
	var queries [][]float32
	for _, q := range devQuestions(t) {
		vs, err := ix.embedder.Embed(ctx, []string{PlainQuery(q).Text})
		if err != nil {
			t.Fatal(err)
		}
		queries = append(queries, vs[0])
	}
	for range 5 {
		v := make([]float32, flat.dim)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 3) // far from length 1
		}
		queries = append(queries, v)
	}
	for qi, q := range queries {
		for _, k := range []int{1, 10, 100, ix.Len()} {
			got, err := flat.Nearest(ctx, q, k)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.coll.QueryEmbedding(ctx, q, min(k, ix.Len()), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(res) {
				t.Fatalf("query %d k=%d: %d hits, chromem-go %d", qi, k, len(got), len(res))
			}
			nq := chromemNormal(q)
			for r, i := range got {
				s := dot(nq, flat.data[i*flat.dim:(i+1)*flat.dim])
				if math.Float32bits(s) != math.Float32bits(res[r].Similarity) {
					t.Fatalf("query %d k=%d rank %d: flat passage %d scores %v, chromem-go's passage %s %v",
						qi, k, r, i, s, res[r].ID, res[r].Similarity)
				}
				if strconv.Itoa(i) != res[r].ID && (r == 0 || res[r-1].Similarity != res[r].Similarity) &&
					(r+1 == len(res) || res[r+1].Similarity != res[r].Similarity) {
					t.Fatalf("query %d k=%d rank %d: flat passage %d, chromem-go %s, with no tie", qi, k, r, i, res[r].ID)
				}
			}
		}
	}
	// The reference searcher is what the benchmarks compare with.
	a, _ := flat.Nearest(ctx, queries[0], 10)
	b, err := ref.Nearest(ctx, queries[0], 10)
	if err != nil || len(a) != len(b) {
		t.Fatalf("reference searcher: %v, %d hits against %d", err, len(b), len(a))
	}
}

// TestFlatVectorsStoredOnce checks that the flat copy holds what
// chromem-go holds, also for vectors it normalises itself.
func TestFlatVectorsStoredOnce(t *testing.T) {
	ctx := context.Background()
	vecs := [][]float32{{3, 4, 0}, {0.6, 0.8, 0}, {1e-3, 0, 0}, {0, 0, 1}}
	flat, give, err := newFlatVectors(vecs)
	if err != nil {
		t.Fatal(err)
	}
	coll, err := chromem.NewDB().CreateCollection("t", nil, noEmbedding)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range give {
		if err := coll.AddDocument(ctx, chromem.Document{ID: strconv.Itoa(i), Embedding: v}); err != nil {
			t.Fatal(err)
		}
	}
	back, err := flatFromCollection(ctx, coll, len(vecs))
	if err != nil {
		t.Fatal(err)
	}
	for i := range flat.data {
		if math.Float32bits(flat.data[i]) != math.Float32bits(back.data[i]) {
			t.Fatalf("value %d: flat %v, chromem-go %v", i, flat.data[i], back.data[i])
		}
	}
	if got, _ := flat.Nearest(ctx, []float32{0, 0, 2}, 1); len(got) != 1 || got[0] != 3 {
		t.Fatalf("nearest to the z axis: %v, want [3]", got)
	}
	if _, _, err := newFlatVectors([][]float32{{1, 0}, {1}}); err == nil {
		t.Fatal("vectors of two sizes were accepted")
	}
	if _, err := flat.Nearest(ctx, []float32{1}, 1); err == nil {
		t.Fatal("a question vector of the wrong size was accepted")
	}
}

// TestLoadedVectorsMatchBuilt checks that an index read back from its
// snapshot scans the same vectors it was built with.
func TestLoadedVectorsMatchBuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	built, err := Open(ctx, smallDocs(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Open(ctx, smallDocs(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, b := built.vectors.(*flatVectors), loaded.vectors.(*flatVectors)
	if a.dim != b.dim || len(a.data) != len(b.data) {
		t.Fatalf("built %d×%d, loaded %d×%d", a.len(), a.dim, b.len(), b.dim)
	}
	for i := range a.data {
		if math.Float32bits(a.data[i]) != math.Float32bits(b.data[i]) {
			t.Fatalf("value %d: built %v, loaded %v", i, a.data[i], b.data[i])
		}
	}
	// chromem-go holds them too, as it did after the build.
	c, err := flatFromCollection(ctx, loaded.coll, loaded.Len())
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.data {
		if math.Float32bits(a.data[i]) != math.Float32bits(c.data[i]) {
			t.Fatalf("value %d: built %v, loaded into chromem-go %v", i, a.data[i], c.data[i])
		}
	}
}

// flatFromCollection copies the vectors of a collection whose documents
// are named by passage index, as a loaded index's are.
func flatFromCollection(ctx context.Context, coll *chromem.Collection, n int) (*flatVectors, error) {
	f := &flatVectors{}
	for i := 0; i < n; i++ {
		doc, err := coll.GetByID(ctx, strconv.Itoa(i))
		if err != nil {
			return nil, fmt.Errorf("vector of passage %d: %w", i, err)
		}
		if i == 0 {
			f.dim = len(doc.Embedding)
			f.data = make([]float32, n*f.dim)
		}
		if len(doc.Embedding) != f.dim {
			return nil, fmt.Errorf("passage %d has a vector of %d dimensions, not %d", i, len(doc.Embedding), f.dim)
		}
		copy(f.data[i*f.dim:], doc.Embedding)
	}
	return f, nil
}

// resetSegmenter forgets the loaded dictionary, as a new process starts
// without it.
func resetSegmenter() { sharedSeg = &segmenter{added: map[string]bool{}} }

// BenchmarkFlatScan is the vector list alone over 100,000 random vectors
// of the local embedder's size, beside the plain single-thread loop in the
// same run:
//
//	go test -run '^$' -bench FlatScan ./retrieval
func BenchmarkFlatScan(b *testing.B) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	vecs := make([][]float32, 100_000)
	for i := range vecs {
		v := make([]float32, LocalDim)
		for j := range v {
			v[j] = float32(rng.NormFloat64())
		}
		normalize(v)
		vecs[i] = v
	}
	flat, rows, err := newFlatVectors(vecs)
	if err != nil {
		b.Fatal(err)
	}
	q := vecs[0]
	b.Run("flat", func(b *testing.B) {
		for range b.N {
			flat.Nearest(ctx, q, candidates)
		}
	})
	b.Run("loop", func(b *testing.B) {
		for range b.N {
			loopScan(rows, q, candidates)
		}
	})
}
