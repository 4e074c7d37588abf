package retrieval

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func libDoc(name, text string) Document {
	return Document{Source: name, Title: name, Issuer: "局", Region: []string{"辽宁省"}, Date: "2024", Kind: "通知", Text: text}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// A write that fails on the third document of a call undoes the two
// stored before it: a new one is removed, a replaced one comes back.
func TestAddAllUndoesMidway(t *testing.T) {
	dir := t.TempDir()
	lib := Library{Dir: dir}
	if err := lib.Add(libDoc("b.txt", "旧的"), []byte("旧的")); err != nil {
		t.Fatal(err)
	}
	before := dirNames(t, dir)
	writes := 0
	lib.write = func(w io.Writer, p []byte) error {
		writes++
		if writes > 4 { // two documents, each a copy and its facts
			return errors.New("disk full")
		}
		_, err := w.Write(p)
		return err
	}
	docs := []Document{libDoc("a.txt", "新的"), libDoc("b.txt", "新的"), libDoc("c.txt", "新的")}
	err := lib.AddAll(docs, [][]byte{[]byte("新的"), []byte("新的"), []byte("新的")})
	if err == nil {
		t.Fatal("AddAll succeeded with a failing write")
	}
	if got := dirNames(t, dir); !equalStrings(got, before) {
		t.Errorf("library holds %v, want %v as before", got, before)
	}
	if raw, _ := os.ReadFile(filepath.Join(dir, "b.txt")); !bytes.Equal(raw, []byte("旧的")) {
		t.Errorf("b.txt is %q, want its previous copy", raw)
	}
}

func TestLibraryRemoveAndSupersede(t *testing.T) {
	dir := t.TempDir()
	lib := Library{Dir: dir}
	for _, n := range []string{"a.txt", "b.txt"} {
		if err := lib.Add(libDoc(n, "正文"), []byte("正文")); err != nil {
			t.Fatal(err)
		}
	}
	if err := lib.Supersede("a.txt", "b.txt"); err != nil {
		t.Fatal(err)
	}
	if err := lib.Remove("b.txt"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  bool
	}{{"b.txt", true}, {"../x", true}, {"none.txt", true}} {
		if err := lib.Remove(tc.name); (err != nil) != tc.err {
			t.Errorf("Remove(%q): %v", tc.name, err)
		}
	}
	docs, err := lib.Load()
	if err != nil || len(docs) != 1 || docs[0].Source != "a.txt" {
		t.Fatalf("Load: %v %v", docs, err)
	}
	sup, err := lib.Supersessions()
	if err != nil {
		t.Fatal(err)
	}
	sup.Apply(docs)
	if docs[0].SupersededBy != "" {
		t.Errorf("a.txt still superseded by the removed %q", docs[0].SupersededBy)
	}
	if err := lib.Supersede("a.txt", "seed.txt"); err != nil {
		t.Fatal(err)
	}
	sup, _ = lib.Supersessions()
	sup.Apply(docs)
	if docs[0].SupersededBy != "seed.txt" {
		t.Errorf("a.txt superseded by %q, want seed.txt", docs[0].SupersededBy)
	}
	os.WriteFile(filepath.Join(dir, supersessionsFile), []byte(`{"a.txt": 3}`), 0o644)
	if _, err := lib.Supersessions(); err == nil {
		t.Error("a malformed supersessions file was accepted")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
