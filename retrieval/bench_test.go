package retrieval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

func devQuestions(tb testing.TB) []string {
	f, err := os.Open("../testdata/dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct{ Q string }
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			tb.Fatal(err)
		}
		qs = append(qs, q.Q)
	}
	return qs
}

// reportLatency adds p50 and p99 (ms) of the recorded durations, their
// names prefixed.
func reportLatency(b *testing.B, ds []time.Duration, prefix string) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), prefix+"p50-ms")
	b.ReportMetric(ms(ds[len(ds)*99/100]), prefix+"p99-ms")
}

// BenchmarkSearchSeeds is a warm query on the seed corpus.
func BenchmarkSearchSeeds(b *testing.B) {
	ix := seedIndex(b)
	qs := devQuestions(b)
	ctx := context.Background()
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := ix.Search(ctx, PlainQuery(qs[i%len(qs)])); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds, "")
}

// syntheticDocs makes n passages' worth of documents from the seeds. Each
// copy is placed in its own made-up city, named in its region and in a
// bracketed note at the end of every sentence (as notices name who carries a
// measure out), and has its figures shifted, so that no two passages of the
// corpus have the same text and no cache keyed on text can skip work.
func syntheticDocs(tb testing.TB, passages int) []Document {
	seeds, err := SeedDocuments()
	if err != nil {
		tb.Fatal(err)
	}
	per := 0 // passages of one copy, notes included
	for _, d := range seeds {
		d.Text = placeNotes(d.Text, "(合成0市)")
		per += len(d.Passages(DefaultSplit))
	}
	copies := (passages + per - 1) / per
	var docs []Document
	for c := 0; c < copies; c++ {
		city := fmt.Sprintf("合成%d市", c)
		for _, d := range seeds {
			text := placeNotes(shiftDigits(d.Text, c%10), "("+city+")")
			region := append([]string{"合成省", city}, d.Region[2:]...)
			docs = append(docs, Document{Source: fmt.Sprintf("syn%04d_%s", c, d.Source), Title: d.Title, Issuer: d.Issuer,
				Region: region, Date: d.Date, Kind: d.Kind, Text: text})
		}
	}
	return docs
}

// placeNotes puts note before the end of every sentence, and at the end of
// every line that has no sentence end (titles, headings).
func placeNotes(text, note string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
		case strings.Contains(l, "\u3002"):
			lines[i] = strings.ReplaceAll(l, "\u3002", note+"\u3002")
		default:
			lines[i] = l + note
		}
	}
	return strings.Join(lines, "\n")
}

// shiftDigits adds by to every digit, modulo 10.
func shiftDigits(s string, by int) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '0' + (r-'0'+rune(by))%10
		}
		return r
	}, s)
}

// TestSyntheticCopiesDistinct guards the benchmark corpus: no passage's
// indexed text appears in two copies. (The seeds themselves repeat a few
// paragraphs from one document in another; those repeat within a copy.)
func TestSyntheticCopiesDistinct(t *testing.T) {
	seeds, err := SeedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	per := 0
	for _, d := range seeds {
		per += len(d.Passages(DefaultSplit))
	}
	docs := syntheticDocs(t, 4*per) // four copies
	copyOf := map[string]string{}   // text → copy (syn0003)
	n := 0
	for _, d := range docs {
		c := d.Source[:len("syn0000")]
		for _, p := range d.Passages(DefaultSplit) {
			n++
			text := p.indexText()
			if prev, ok := copyOf[text]; ok && prev != c {
				t.Fatalf("copies %s and %s have a passage with the same text:\n%s", prev, c, text)
			}
			copyOf[text] = c
		}
	}
	if len(docs) < 3*len(seeds) || len(copyOf) < n*95/100 {
		t.Fatalf("%d documents, %d passages, %d distinct texts: want three copies or more, nearly all distinct", len(docs), n, len(copyOf))
	}
}

// BenchmarkLargeCorpus builds an index of about 100,000 passages and
// measures its build time, memory, query latency and reload from its
// saved snapshot:
//
//	go test -run '^$' -bench LargeCorpus -benchtime 1x -timeout 30m ./retrieval
//
// build-s is the build's wall time; heap-MiB is HeapInuse after a GC with
// the index (and the benchmark's documents) live. The query figures are
// p50/p99 of Search, and beside them, in the same run and on the same
// question vectors, the vector list alone (vec-), chromem-go's own
// exhaustive query (chromem-) and a plain single-threaded Go loop with a
// top-k heap over the same vectors (loop-).
func BenchmarkLargeCorpus(b *testing.B) {
	docs := syntheticDocs(b, 100_000)
	benchCorpus(b, docs)
}

// BenchmarkSeedCorpus is BenchmarkLargeCorpus on the seed corpus alone.
func BenchmarkSeedCorpus(b *testing.B) {
	docs, err := SeedDocuments()
	if err != nil {
		b.Fatal(err)
	}
	benchCorpus(b, docs)
}

func benchCorpus(b *testing.B, docs []Document) {
	ctx := context.Background()
	var ix *Index
	b.Run("build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix = nil
			runtime.GC()
			start := time.Now()
			var err error
			ix, err = Build(ctx, docs, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "build-s")
			b.ReportMetric(heapMiB(), "heap-MiB")
			b.ReportMetric(float64(ix.Len()), "passages")
		}
	})
	if ix == nil {
		return
	}
	qs := devQuestions(b)
	// Each operation asks every development question three times, so that
	// even -benchtime 1x gives a latency distribution.
	b.Run("query", func(b *testing.B) {
		flat := ix.vectors.(*flatVectors)
		ref := chromemSearcher{coll: ix.coll, n: ix.Len()}
		rows := make([][]float32, flat.len())
		for i := range rows {
			rows[i] = flat.data[i*flat.dim : (i+1)*flat.dim]
		}
		var search, vec, chrom, loop []time.Duration
		timed := func(ds *[]time.Duration, f func() error) {
			start := time.Now()
			if err := f(); err != nil {
				b.Fatal(err)
			}
			*ds = append(*ds, time.Since(start))
		}
		for i := 0; i < b.N; i++ {
			for r := 0; r < 3; r++ {
				for _, q := range qs {
					pq := PlainQuery(q)
					timed(&search, func() error { _, err := ix.Search(ctx, pq); return err })
					vs, err := ix.embedder.Embed(ctx, []string{pq.Text})
					if err != nil {
						b.Fatal(err)
					}
					k := min(candidates, ix.Len())
					timed(&vec, func() error { _, err := flat.Nearest(ctx, vs[0], k); return err })
					timed(&chrom, func() error { _, err := ref.Nearest(ctx, vs[0], k); return err })
					timed(&loop, func() error { loopScan(rows, vs[0], k); return nil })
				}
			}
		}
		reportLatency(b, search, "")
		reportLatency(b, vec, "vec-")
		reportLatency(b, chrom, "chromem-")
		reportLatency(b, loop, "loop-")
	})
	b.Run("load", func(b *testing.B) {
		dir := b.TempDir()
		opt := Options{Dir: dir}
		opt.defaults()
		ix.key = contentKey(docs, opt)
		if err := ix.save(dir); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			resetSegmenter() // as in a new process
			runtime.GC()
			start := time.Now()
			got, err := Open(ctx, docs, Options{Dir: dir, Progress: failOnRebuild{b}})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := got.Search(ctx, PlainQuery(qs[0])); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "ready-s")
		}
	})
}

// failOnRebuild fails a load benchmark that would measure a build instead.
type failOnRebuild struct{ b *testing.B }

func (f failOnRebuild) Write(p []byte) (int, error) {
	f.b.Fatalf("the snapshot was not loaded: %s", p)
	return len(p), nil
}

// heapMiB is the heap in use after a collection.
func heapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}

// loopScan is the plain baseline: one thread, one dot product per passage
// vector, a bounded heap.
func loopScan(rows [][]float32, q []float32, k int) []int {
	q = chromemNormal(q)
	h := make(scoreHeap, 0, k)
	for i, row := range rows {
		s := dot(q, row)
		if len(h) < k {
			h = append(h, scored{i, s})
			h.up(len(h) - 1)
		} else if h.less(0, i, s) {
			h[0] = scored{i, s}
			h.down(0)
		}
	}
	out := make([]int, len(h))
	for i, e := range h {
		out[i] = e.i
	}
	return out
}

// BenchmarkLoadLargeCorpus measures only the reload of a saved index of
// about 100,000 passages, so that a CPU profile shows the load path:
//
//	MINSHENG_BENCH_DIR=/tmp/bench100k go test -run '^$' -bench LoadLargeCorpus -benchtime 1x -cpuprofile load.pprof ./retrieval
//
// MINSHENG_BENCH_DIR keeps the saved index between runs; the first run
// (or one after a format change) builds and saves it before timing.
func BenchmarkLoadLargeCorpus(b *testing.B) {
	ctx := context.Background()
	docs := syntheticDocs(b, 100_000)
	dir := os.Getenv("MINSHENG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	if SavedKey(dir) != Key(docs, Options{}) {
		if _, err := Open(ctx, docs, Options{Dir: dir, Rebuild: true}); err != nil {
			b.Fatal(err)
		}
	}
	q := PlainQuery(devQuestions(b)[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resetSegmenter() // as in a new process
		runtime.GC()
		start := time.Now()
		got, err := Open(ctx, docs, Options{Dir: dir, Progress: failOnRebuild{b}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := got.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "ready-s")
	}
}
