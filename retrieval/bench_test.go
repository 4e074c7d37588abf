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

// reportLatency adds p50 and p99 (ms) of the recorded durations.
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[len(ds)*99/100]), "p99-ms")
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
	reportLatency(b, ds)
}

// syntheticDocs makes n passages' worth of documents from the seeds: each
// copy is placed in its own made-up city and has its figures shifted, so
// copies are alike in shape but not identical in text.
func syntheticDocs(b *testing.B, passages int) []Document {
	seeds, err := SeedDocuments()
	if err != nil {
		b.Fatal(err)
	}
	per := 0
	for _, d := range seeds {
		per += len(d.Passages(DefaultSplit))
	}
	copies := (passages + per - 1) / per
	var docs []Document
	for c := 0; c < copies; c++ {
		shift := strings.NewReplacer("0", "1", "1", "2", "2", "3", "3", "4", "4", "5", "5", "6", "6", "7", "7", "8", "8", "9", "9", "0")
		for _, d := range seeds {
			text := d.Text
			for k := 0; k < c%10; k++ {
				text = shift.Replace(text)
			}
			city := fmt.Sprintf("合成%d市", c)
			region := append([]string{"合成省", city}, d.Region[2:]...)
			docs = append(docs, Document{Source: fmt.Sprintf("syn%04d_%s", c, d.Source), Title: d.Title, Issuer: d.Issuer,
				Region: region, Date: d.Date, Kind: d.Kind, Text: text})
		}
	}
	return docs
}

// BenchmarkLargeCorpus builds an index of about 100,000 passages and
// measures its build time, memory and query latency:
//
//	go test -run '^$' -bench LargeCorpus -benchtime 1x -timeout 30m ./retrieval
func BenchmarkLargeCorpus(b *testing.B) {
	docs := syntheticDocs(b, 100_000)
	ctx := context.Background()
	var ix *Index
	b.Run("build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			var err error
			ix, err = Build(ctx, docs, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "build-s")
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MiB")
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
		var ds []time.Duration
		for i := 0; i < b.N; i++ {
			for r := 0; r < 3; r++ {
				for _, q := range qs {
					start := time.Now()
					if _, err := ix.Search(ctx, PlainQuery(q)); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(start))
				}
			}
		}
		reportLatency(b, ds)
	})
}
