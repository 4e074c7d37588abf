package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store/storetest"
)

// BenchmarkSnapshotTransfer stores a saved index folder in PostgreSQL and
// reads it back into an empty folder: what a new replica adds to loading
// its index. The folder is MINSHENG_BENCH_DIR/index, as retrieval's
// BenchmarkLoadLargeCorpus leaves it (102,470 passages); without it the
// benchmark is skipped. The baseline is copying the same files on disk.
func BenchmarkSnapshotTransfer(b *testing.B) {
	dir := os.Getenv("MINSHENG_BENCH_DIR")
	if dir == "" {
		b.Skip("set MINSHENG_BENCH_DIR to a folder holding a saved index (see retrieval's BenchmarkLoadLargeCorpus)")
	}
	src := filepath.Join(dir, "index")
	db, err := Open(context.Background(), storetest.URL(b), Options{BulkTimeout: 10 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	b.Run("put", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := db.PutSnapshot(ctx, "bench", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if ok, err := db.GetSnapshot(ctx, "bench", filepath.Join(b.TempDir(), "index")); err != nil || !ok {
				b.Fatalf("get: %v %v", ok, err)
			}
		}
	})
	b.Run("copy-on-disk", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := os.CopyFS(filepath.Join(b.TempDir(), "index"), os.DirFS(src)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
