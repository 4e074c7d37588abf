package main

import (
	"context"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/store"
	"github.com/minsheng/minsheng/store/storetest"
)

// The first replica builds the index and stores it; the next loads it
// from PostgreSQL instead of building.
func TestIndexSnapshotShared(t *testing.T) {
	db, err := store.Open(context.Background(), storetest.URL(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	open := func() string {
		var progress strings.Builder
		c := Config{DataDir: t.TempDir(), Snapshots: db}
		ix, err := c.openIndex(context.Background(), &progress, false)
		if err != nil || ix.Len() == 0 {
			t.Fatalf("open: %v", err)
		}
		return progress.String()
	}
	if first := open(); !strings.Contains(first, "stored in PostgreSQL") {
		t.Errorf("first replica:\n%s", first)
	}
	if second := open(); !strings.Contains(second, "loaded from PostgreSQL") || strings.Contains(second, "building") {
		t.Errorf("second replica:\n%s", second)
	}
}
