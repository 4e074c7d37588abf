package store

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store/storetest"
)

// writeTree creates files (slash paths) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns every regular file under dir by slash path, and the
// folders it holds.
func readTree(t *testing.T, dir string) (files map[string]string, dirs []string) {
	t.Helper()
	files = map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			dirs = append(dirs, filepath.ToSlash(rel))
			return nil
		}
		b, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, dirs
}

// listen runs Listen on db until the test ends and returns its payloads.
func listen(t *testing.T, db *DB, channel string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := db.Listen(ctx, channel, func(p string) { got <- p }); err != nil {
			t.Errorf("Listen: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return got
}

func expectPayload(t *testing.T, got <-chan string, want string) {
	t.Helper()
	select {
	case p := <-got:
		if p != want {
			t.Fatalf("notification %q, want %q", p, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no notification %q within 5 s", want)
	}
}

func TestPushPullFiles(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	pusher, puller := openDB(t, u, Options{}), openDB(t, u, Options{})
	ctx := context.Background()
	heard := listen(t, puller, FilesChannel)
	expectPayload(t, heard, "")

	src, dst := t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{
		"a.md":                "alpha",
		"sub/\u653f\u7b56.md": "policy",
		"sub/deep/c.json":     `{"c":1}`,
		"a.md.tmp-123":        "half written",
		"sub/.x.tmp":          "half written",
		"partial.tmp-9/d.md":  "in a temporary folder",
	})
	writeTree(t, dst, map[string]string{
		"a.md":            "old alpha",
		"stale.md":        "removed document",
		"sub/stale/z.md":  "removed too",
		"sub/deep/c.json": `{"c":1}`,
	})
	unchanged, err := os.Stat(filepath.Join(dst, "sub/deep/c.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.md": "alpha", "sub/\u653f\u7b56.md": "policy", "sub/deep/c.json": `{"c":1}`}

	steps := []struct {
		name   string
		change func()
		want   map[string]string
	}{
		{"first push", func() {}, want},
		{"change, remove and add", func() {
			os.Remove(filepath.Join(src, "sub/\u653f\u7b56.md"))
			writeTree(t, src, map[string]string{"a.md": "alpha 2", "new/e.md": "e"})
		}, map[string]string{"a.md": "alpha 2", "sub/deep/c.json": `{"c":1}`, "new/e.md": "e"}},
		{"empty folder empties the set", func() {
			os.RemoveAll(src)
			os.Mkdir(src, 0o755)
		}, map[string]string{}},
	}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			v, err := pusher.PushFiles(ctx, "library", src)
			if err != nil || v != int64(i+1) {
				t.Fatalf("PushFiles = %d, %v; want version %d", v, err, i+1)
			}
			expectPayload(t, heard, "library:"+strconv.FormatInt(v, 10))
			got, err := puller.PullFiles(ctx, "library", dst)
			if err != nil || got != v {
				t.Fatalf("PullFiles = %d, %v; want %d", got, err, v)
			}
			files, dirs := readTree(t, dst)
			if !maps.Equal(files, st.want) {
				t.Errorf("folder holds %q, want %q", files, st.want)
			}
			for _, d := range dirs {
				if d == "sub/stale" {
					t.Errorf("emptied folder %s left behind", d)
				}
			}
			if fv, err := puller.FilesVersion(ctx, "library"); err != nil || fv != v {
				t.Errorf("FilesVersion = %d, %v; want %d", fv, err, v)
			}
		})
		if i == 0 {
			now, err := os.Stat(filepath.Join(dst, "sub/deep/c.json"))
			if err != nil || !os.SameFile(unchanged, now) {
				t.Errorf("an identical file was rewritten (%v)", err)
			}
		}
	}
}

func TestPullFilesUnknownSet(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"keep.md": "local"})
	v, err := db.PullFiles(context.Background(), "curated", dir)
	if err != nil || v != 0 {
		t.Fatalf("PullFiles of a set never pushed = %d, %v; want 0, nil", v, err)
	}
	if files, _ := readTree(t, dir); files["keep.md"] != "local" || len(files) != 1 {
		t.Errorf("folder changed: %q", files)
	}
	if v, err := db.FilesVersion(context.Background(), "curated"); err != nil || v != 0 {
		t.Errorf("FilesVersion = %d, %v", v, err)
	}
}

func TestPushFilesBadInput(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	ctx := context.Background()
	for _, tc := range []struct{ name, set, dir string }{
		{"empty set", "", t.TempDir()},
		{"colon in set", "a:b", t.TempDir()},
		{"missing folder", "library", filepath.Join(t.TempDir(), "nope")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := db.PushFiles(ctx, tc.set, tc.dir); err == nil {
				t.Error("PushFiles succeeded")
			}
		})
	}
	if v, err := db.FilesVersion(ctx, "library"); err != nil || v != 0 {
		t.Errorf("a failed push left version %d, %v", v, err)
	}
}
