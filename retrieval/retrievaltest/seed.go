// Package retrievaltest builds indexes of the embedded seed documents for
// the tests of other packages, so that each test binary builds the seed
// index once (about two seconds) and every package builds it the same way.
package retrievaltest

import (
	"context"
	"sync"
	"testing"

	"github.com/minsheng/minsheng/retrieval"
)

var (
	once sync.Once
	seed *retrieval.Index
	err  error
)

// SeedIndex returns the in-memory index of the embedded seed documents,
// built once per test binary and shared; with extra documents (a planted
// page, a made-up notice) it builds a fresh index of the seeds plus those.
func SeedIndex(tb testing.TB, extra ...retrieval.Document) *retrieval.Index {
	tb.Helper()
	if len(extra) > 0 {
		ix, err := build(extra)
		if err != nil {
			tb.Fatal(err)
		}
		return ix
	}
	once.Do(func() { seed, err = build(nil) })
	if err != nil {
		tb.Fatal(err)
	}
	return seed
}

func build(extra []retrieval.Document) (*retrieval.Index, error) {
	docs, err := retrieval.SeedDocuments()
	if err != nil {
		return nil, err
	}
	return retrieval.Build(context.Background(), append(docs, extra...), retrieval.Options{})
}
