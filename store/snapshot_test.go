package store

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/minsheng/minsheng/store/storetest"
)

func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	builder, starter := openDB(t, u, Options{}), openDB(t, u, Options{})
	ctx := context.Background()
	src := t.TempDir()
	big := rand.Text()
	for len(big) < snapshotChunk*2+1000 { // spans three chunks
		big += big
	}
	files := map[string]string{
		"manifest.json":            `{"key":"k1"}`,
		"vectors.bin":              big,
		"lexical/\u5206\u8bcd.idx": "postings",
		"empty":                    "",
	}
	writeTree(t, src, files)
	writeTree(t, src, map[string]string{"vectors.bin.tmp-1": "half"})
	if err := builder.PutSnapshot(ctx, "k1", src); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "index")
	writeTree(t, dst, map[string]string{"stale.bin": "from an older index"})

	tests := []struct {
		key    string
		wantOK bool
		want   map[string]string
	}{
		{"missing", false, map[string]string{"stale.bin": "from an older index"}},
		{"k1", true, files},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			ok, err := starter.GetSnapshot(ctx, tc.key, dst)
			if err != nil || ok != tc.wantOK {
				t.Fatalf("GetSnapshot = %v, %v; want %v", ok, err, tc.wantOK)
			}
			if got, _ := readTree(t, dst); !maps.Equal(got, tc.want) {
				t.Errorf("folder holds %d files %q..., want %d", len(got), slices.Sorted(maps.Keys(got)), len(tc.want))
			}
		})
	}
	if left := siblings(t, dst); len(left) != 1 {
		t.Errorf("temporary folders left beside the index: %q", left)
	}
}

func siblings(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestSnapshotKeepsNewest(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	ctx := context.Background()
	src := t.TempDir()
	keys := []string{"k1", "k2", "k3", "k4", "k2", "k5"} // k2 put again becomes newer
	for _, k := range keys {
		writeTree(t, src, map[string]string{"manifest.json": k})
		if err := db.PutSnapshot(ctx, k, src); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		key    string
		wantOK bool
	}{{"k1", false}, {"k3", false}, {"k4", true}, {"k2", true}, {"k5", true}} {
		dst := t.TempDir()
		ok, err := db.GetSnapshot(ctx, tc.key, dst)
		if err != nil || ok != tc.wantOK {
			t.Errorf("GetSnapshot(%s) = %v, %v; want %v", tc.key, ok, err, tc.wantOK)
		}
		if files, _ := readTree(t, dst); ok && files["manifest.json"] != tc.key {
			t.Errorf("snapshot %s holds %q", tc.key, files)
		}
	}
	var chunks int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM snapshot_chunks`).Scan(&chunks); err != nil || chunks != 3 {
		t.Errorf("%d chunks stored (%v), want 3: dropped snapshots must take their chunks", chunks, err)
	}
}

func TestSnapshotRejectsEscapingPaths(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	ctx := context.Background()
	tests := []struct {
		name string
		hdr  tar.Header
	}{
		{"parent", tar.Header{Name: "../evil", Typeflag: tar.TypeReg}},
		{"nested parent", tar.Header{Name: "a/../../evil", Typeflag: tar.TypeReg}},
		{"absolute", tar.Header{Name: "/tmp/evil", Typeflag: tar.TypeReg}},
		{"symlink", tar.Header{Name: "link", Typeflag: tar.TypeSymlink, Linkname: "../../etc/passwd"}},
		{"hard link", tar.Header{Name: "hard", Typeflag: tar.TypeLink, Linkname: "/etc/passwd"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tw := tar.NewWriter(&buf)
			good := tar.Header{Name: "ok.bin", Typeflag: tar.TypeReg, Size: 2, Mode: 0o644}
			if err := tw.WriteHeader(&good); err != nil {
				t.Fatal(err)
			}
			tw.Write([]byte("ok"))
			h := tc.hdr
			h.Mode = 0o644
			if h.Typeflag == tar.TypeReg {
				h.Size = 4
			}
			if err := tw.WriteHeader(&h); err != nil {
				t.Fatal(err)
			}
			if h.Typeflag == tar.TypeReg {
				tw.Write([]byte("evil"))
			}
			tw.Close()
			key := "bad-" + tc.name
			if _, err := db.pool.Exec(ctx, `INSERT INTO snapshots (key) VALUES ($1)`, key); err != nil {
				t.Fatal(err)
			}
			if _, err := db.pool.Exec(ctx, `INSERT INTO snapshot_chunks (key, seq, data) VALUES ($1, 0, $2)`, key, buf.Bytes()); err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			dst := filepath.Join(root, "a", "index")
			writeTree(t, dst, map[string]string{"current.bin": "in use"})
			ok, err := db.GetSnapshot(ctx, key, dst)
			if err == nil || ok {
				t.Fatalf("GetSnapshot = %v, %v; want an error", ok, err)
			}
			if files, _ := readTree(t, dst); !maps.Equal(files, map[string]string{"current.bin": "in use"}) {
				t.Errorf("index folder changed: %q", files)
			}
			if files, _ := readTree(t, root); len(files) != 1 {
				t.Errorf("files written around the index: %q", files)
			}
		})
	}
}
