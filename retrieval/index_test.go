package retrieval

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	seedOnce sync.Once
	seedIx   *Index
	seedErr  error
)

func seedIndex(t testing.TB) *Index {
	t.Helper()
	seedOnce.Do(func() {
		docs, err := SeedDocuments()
		if err != nil {
			seedErr = err
			return
		}
		seedIx, seedErr = Build(context.Background(), docs, Options{})
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return seedIx
}

func smallDocs() []Document {
	return []Document{{
		Source: "a.txt", Title: "助餐通知", Issuer: "某区民政局", Region: []string{"辽宁省", "沈阳市", "浑南区"},
		Date: "2024-01-02", Kind: "通知",
		Text: "一、助餐服务\n1.建成社区老年食堂15个,为80岁以上老人提供助餐服务。\n2.低保标准提高到每月850元。",
	}}
}

func TestOpenPersistsAndReloads(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var log bytes.Buffer
	ix, err := Open(ctx, smallDocs(), Options{Dir: dir, Progress: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "building") {
		t.Errorf("first open should build: %s", log.String())
	}
	log.Reset()
	ix2, err := Open(ctx, smallDocs(), Options{Dir: dir, Progress: &log})
	if err != nil {
		t.Fatal(err)
	}
	if log.Len() != 0 {
		t.Errorf("second open should load silently, said: %s", log.String())
	}
	if ix2.Len() != ix.Len() {
		t.Errorf("reloaded %d passages, built %d", ix2.Len(), ix.Len())
	}
	res, err := ix2.Search(ctx, PlainQuery("老年食堂有几个"))
	if err != nil || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "食堂") {
		t.Fatalf("search after reload: %v %+v", err, res.Hits)
	}
}

func TestOpenRebuilds(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		docs   func() []Document
		opt    func(*Options)
		want   string
	}{
		{"truncated vectors", func(t *testing.T, dir string) { truncate(t, filepath.Join(dir, "index", "vectors.bin")) }, smallDocs, nil, "cannot be used"},
		{"truncated passages", func(t *testing.T, dir string) { truncate(t, filepath.Join(dir, "index", "passages.bin")) }, smallDocs, nil, "cannot be used"},
		{"truncated postings", func(t *testing.T, dir string) { truncate(t, filepath.Join(dir, "index", "lexical.bin")) }, smallDocs, nil, "cannot be used"},
		{"garbage manifest", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "index", "manifest.json"), []byte("{nope"), 0o644)
		}, smallDocs, nil, "cannot be used"},
		{"missing manifest (partial write)", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "index", "manifest.json")) }, smallDocs, nil, "building"},
		{"document changed", nil, func() []Document {
			d := smallDocs()
			d[0].Text += "\n3.新增养老床位700张。"
			return d
		}, nil, "out of date"},
		{"embedder changed", nil, smallDocs, func(o *Options) {
			e := LocalEmbedder()
			e.ID = "another-embedder"
			o.Embedder = e
		}, "embedder changed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Open(ctx, smallDocs(), Options{Dir: dir}); err != nil {
				t.Fatal(err)
			}
			if tc.damage != nil {
				tc.damage(t, dir)
			}
			var log bytes.Buffer
			opt := Options{Dir: dir, Progress: &log}
			if tc.opt != nil {
				tc.opt(&opt)
			}
			ix, err := Open(ctx, tc.docs(), opt)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(log.String(), tc.want) {
				t.Errorf("progress %q does not mention %q", log.String(), tc.want)
			}
			if ix.Len() == 0 {
				t.Error("rebuilt index is empty")
			}
			// and the rebuilt index loads cleanly next time
			log.Reset()
			if _, err := Open(ctx, tc.docs(), opt); err != nil || log.Len() != 0 {
				t.Errorf("after rebuild: %v, %s", err, log.String())
			}
		})
	}
}

func truncate(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBuildRejectsEmpty(t *testing.T) {
	if _, err := Build(context.Background(), nil, Options{}); err == nil {
		t.Error("no documents: want error")
	}
	docs := []Document{{Source: "x.txt", Title: "x", Region: []string{"某市"}, Date: "2020", Text: "设为首页 | 加入收藏\n版权所有"}}
	if _, err := Build(context.Background(), docs, Options{}); err == nil {
		t.Error("only chrome: want error")
	}
}

// A corpus smaller than the number of results asked for must not trip
// chromem-go's nResults check.
func TestSearchTinyCorpus(t *testing.T) {
	docs := []Document{{Source: "t.txt", Title: "t", Region: []string{"辽宁省", "大连市"}, Date: "2023",
		Text: "1.建设养老服务综合体,提供助餐、助浴、日托服务。"}}
	ix, err := Build(context.Background(), docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	big := PlainQuery("养老服务综合体")
	big.K = 50
	region := PlainQuery("养老")
	region.Regions = [][]string{{"辽宁省", "大连市"}}
	for _, q := range []Query{big, region, PlainQuery("浑南养老")} {
		if _, err := ix.Search(context.Background(), q); err != nil {
			t.Errorf("%+v: %v", q, err)
		}
	}
}

// A file edited after saving is noticed, not served.
func TestOpenRejectsEditedIndex(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := Open(ctx, smallDocs(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "index", "passages.bin")
	b, _ := os.ReadFile(path)
	edited := bytes.Replace(b, []byte("850"), []byte("950"), 1)
	if bytes.Equal(edited, b) {
		t.Fatal("fixture lacks 850")
	}
	os.WriteFile(path, edited, 0o644)
	var log bytes.Buffer
	ix, err := Open(ctx, smallDocs(), Options{Dir: dir, Progress: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "does not match") {
		t.Errorf("edit not noticed: %s", log.String())
	}
	res, _ := ix.Search(ctx, PlainQuery("低保标准每月多少"))
	for _, h := range res.Hits {
		if strings.Contains(h.Text, "950") {
			t.Errorf("edited text served: %s", h.Text)
		}
	}
}

// Processes that open one data directory at once all get an index.
func TestOpenConcurrently(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix, err := Open(context.Background(), smallDocs(), Options{Dir: dir})
			if err == nil && ix.Len() == 0 {
				err = errors.New("empty index")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	var log bytes.Buffer
	if _, err := Open(context.Background(), smallDocs(), Options{Dir: dir, Progress: &log}); err != nil || log.Len() != 0 {
		t.Errorf("after concurrent opens: %v %s", err, log.String())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "index.*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestRebuildReplacesSavedIndex(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(context.Background(), smallDocs(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if _, err := Open(context.Background(), smallDocs(), Options{Dir: dir, Rebuild: true, Progress: &log}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "saved") {
		t.Errorf("rebuild did not save: %s", log.String())
	}
}

// Leftovers of an interrupted save are removed after an hour by an ordinary
// open (a younger one may be a save under way) and at once by a rebuild.
func TestOpenSweepsLeftovers(t *testing.T) {
	hourAgo := time.Now().Add(-TempGrace - time.Minute)
	tests := []struct {
		name    string
		rebuild bool
		mtime   time.Time
		gone    bool
	}{
		{"fresh, open", false, time.Now(), false},
		{"old, open", false, hourAgo, true},
		{"fresh, rebuild", true, time.Now(), true},
		{"old, rebuild", true, hourAgo, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			left := []string{filepath.Join(dir, "index.tmp-1"), filepath.Join(dir, "index.old-2")}
			for _, d := range left {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(d, "manifest.json"), []byte("{"), 0o644)
				os.Chtimes(d, tc.mtime, tc.mtime)
			}
			if _, err := Open(context.Background(), smallDocs(), Options{Dir: dir, Rebuild: tc.rebuild}); err != nil {
				t.Fatal(err)
			}
			for _, d := range left {
				if _, err := os.Stat(d); (err != nil) != tc.gone {
					t.Errorf("%s: removed %v, want %v", filepath.Base(d), err != nil, tc.gone)
				}
			}
		})
	}
}

// TestLoadedIndexSearchesAsBuilt checks that an index read back from its
// saved files ranks every development question as the built one did,
// score for score, and that damaged files are refused, not misread.
func TestLoadedIndexSearchesAsBuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	docs, err := SeedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	built, err := Open(ctx, docs, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Open(ctx, docs, Options{Dir: dir, Progress: failWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(built.passages, loaded.passages) || !slices.Equal(built.folded, loaded.folded) {
		t.Fatal("passages differ after reload")
	}
	for _, q := range devQuestions(t) {
		a, err1 := built.Search(ctx, PlainQuery(q))
		b, err2 := loaded.Search(ctx, PlainQuery(q))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if len(a.Hits) != len(b.Hits) {
			t.Fatalf("%s: %d hits built, %d loaded", q, len(a.Hits), len(b.Hits))
		}
		for i := range a.Hits {
			if a.Hits[i].Index != b.Hits[i].Index || a.Hits[i].Score != b.Hits[i].Score {
				t.Fatalf("%s: hit %d built %d (%v), loaded %d (%v)", q, i, a.Hits[i].Index, a.Hits[i].Score, b.Hits[i].Index, b.Hits[i].Score)
			}
		}
	}
	raw := encodePassages(built.passages)
	if ps, err := decodePassages(raw); err != nil || !reflect.DeepEqual(ps, built.passages) {
		t.Fatalf("passages round trip: %v", err)
	}
	vraw := encodeVectors(built.flat)
	for _, f := range []float64{0, 0.5, 0.999} {
		if cut := int(f * float64(len(raw))); cut < len(raw) {
			if _, err := decodePassages(raw[:cut]); err == nil {
				t.Errorf("passages cut at %d of %d bytes: no error", cut, len(raw))
			}
		}
		if cut := int(f * float64(len(vraw))); cut < len(vraw) {
			if _, err := decodeVectors(vraw[:cut]); err == nil {
				t.Errorf("vectors cut at %d of %d bytes: no error", cut, len(vraw))
			}
		}
	}
}

// failWriter fails a test that reports progress where none is expected.
type failWriter struct{ t *testing.T }

func (f failWriter) Write(p []byte) (int, error) {
	f.t.Errorf("unexpected progress: %s", p)
	return len(p), nil
}

// Written finds text as a passage writes it, not its character pairs
// scattered over several passages.
func TestWritten(t *testing.T) {
	ix := seedIndex(t)
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"三事", true}, // in 三事工作法
		{"三事工作法", true},
		{"养劳金", false},  // a typo
		{"低保老年", false}, // both pairs occur, never together
		{"", false},
	} {
		if got := ix.Written(tc.s); got != tc.want {
			t.Errorf("Written(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// WrittenWithin reads only the passages of the regions asked for.
func TestWrittenWithin(t *testing.T) {
	ix := seedIndex(t)
	inDalian := func(r []string) bool { return Within(r, []string{"辽宁省", "大连市"}) }
	inHunnan := func(r []string) bool { return Within(r, []string{"辽宁省", "沈阳市", "浑南区"}) }
	if !ix.WrittenWithin("流感疫苗", inHunnan) || ix.WrittenWithin("流感疫苗", inDalian) {
		t.Error("流感疫苗 is written in 浑南's document only")
	}
	if !ix.WrittenWithin("高龄津贴", inDalian) || ix.WrittenWithin("高龄津贴", inHunnan) {
		t.Error("高龄津贴 is written in 大连's document only")
	}
}
