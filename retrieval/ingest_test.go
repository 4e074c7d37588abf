package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var knownRegions = [][]string{{"辽宁省", "沈阳市", "浑南区"}, {"辽宁省", "大连市"}}

func TestParseFile(t *testing.T) {
	html := `<html><head><title>浑南区养老通知</title><script>var x="菜单"</script></head><body>
<nav>网站首页 | 关于我们</nav><h1>关于做好浑南区老年人助餐服务的通知</h1>
<p>发布日期:2024-03-05</p><p>一、工作目标</p><p>1.建成社区食堂15个。</p>
<footer>版权所有 辽ICP备123号</footer></body></html>`
	md := "# 大连市托育服务实施方案\n\n发布时间:2024年1月8日\n\n## 一、目标\n\n1. **新增托位** 500个。\n- [链接](http://x) 说明"
	tests := []struct {
		name, file, body string
		meta             Meta
		title, date      string
		region           string
		err              error
	}{
		{"html", "notice.html", html, Meta{}, "关于做好浑南区老年人助餐服务的通知", "2024-03-05", "辽宁省 › 沈阳市 › 浑南区", nil},
		{"markdown", "plan.md", md, Meta{}, "大连市托育服务实施方案", "2024-01-08", "辽宁省 › 大连市", nil},
		{"flags win", "plan.md", md, Meta{Region: []string{"湖北省", "襄阳市"}, Date: "2023"}, "大连市托育服务实施方案", "2023", "湖北省 › 襄阳市", nil},
		{"no region", "x.txt", "关于养老的通知\n1.建成食堂。", Meta{Date: "2024"}, "", "", "", ErrNeedMeta},
		{"no date", "x.txt", "关于浑南区养老的通知\n1.建成食堂。", Meta{}, "", "", "", ErrNeedMeta},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseFile(tc.file, []byte(tc.body), tc.meta, knownRegions)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != tc.title || d.Date != tc.date || RegionName(d.Region) != tc.region {
				t.Errorf("got %q %q %q", d.Title, d.Date, RegionName(d.Region))
			}
			for _, p := range d.Passages(DefaultSplit) {
				if strings.Contains(p.Text, "菜单") || strings.Contains(p.Text, "ICP") || strings.Contains(p.Text, "**") {
					t.Errorf("markup or chrome left: %q", p.Text)
				}
			}
		})
	}
}

func TestParseFileRejects(t *testing.T) {
	if _, err := ParseFile("a.pdf", []byte("x"), Meta{}, nil); err == nil {
		t.Error("pdf: want error")
	}
	if _, err := (Formats{Encoding: "utf-8"}).Parse(t.Context(), "a.txt", []byte("\xc4\xe3\xba\xc3"), Meta{}, nil); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("GBK bytes named UTF-8: %v", err)
	}
	if _, err := ParseFile("a.txt", nil, Meta{}, nil); !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "empty") {
		t.Errorf("0 bytes: %v", err)
	}
	if _, err := ParseFile("a.doc", []byte("x"), Meta{}, nil); err == nil || !strings.Contains(err.Error(), "save it as .docx") {
		t.Errorf(".doc: %v", err)
	}
	if _, err := ParseFile("a.txt", []byte("设为首页 | 加入收藏"), Meta{}, nil); err == nil {
		t.Error("chrome only: want error")
	}
}

func TestLibraryRoundTrip(t *testing.T) {
	lib := Library{Dir: t.TempDir()}
	raw := []byte("<p>关于浑南区养老的通知</p><p>1.建成食堂15个。</p>")
	d, err := ParseFile("n.html", raw, Meta{Date: "2024-05-01"}, knownRegions)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Add(d, raw); err != nil {
		t.Fatal(err)
	}
	docs, err := lib.Load()
	if err != nil || len(docs) != 1 {
		t.Fatalf("load: %v %d", err, len(docs))
	}
	if docs[0].Title != d.Title || docs[0].Date != "2024-05-01" || len(docs[0].Passages(DefaultSplit)) == 0 {
		t.Errorf("round trip lost facts: %+v", docs[0])
	}
	empty, err := Library{Dir: t.TempDir() + "/none"}.Load()
	if err != nil || len(empty) != 0 {
		t.Errorf("missing folder: %v %d", err, len(empty))
	}
}

// failAfter stands for a disk that fills up after n more bytes: it writes
// what fits and then fails as a full disk does.
func failAfter(n int) writeFunc {
	return func(w io.Writer, p []byte) error {
		k := min(n, len(p))
		n -= k
		if _, err := w.Write(p[:k]); err != nil {
			return err
		}
		if k < len(p) {
			return fmt.Errorf("write: %w", syscall.ENOSPC)
		}
		return nil
	}
}

// A replacement that fails at any step leaves the previous copy, its
// facts and the answers built from them as they were, says so, and leaves
// no temporary file behind.
func TestLibraryAddFailureKeepsPrevious(t *testing.T) {
	oldRaw := []byte("关于浑南区助餐补贴的通知\n1.对80周岁以上老人每餐补贴3元。")
	newRaw := []byte("关于浑南区助餐补贴的通知\n" + strings.Repeat("1.对80周岁以上老人每餐补贴5元,由社区食堂直接减免。\n", 200))
	tests := []struct {
		name    string
		setup   func(t *testing.T, lib *Library)
		wantErr error
		want    []string // in the error
	}{
		{"new copy fails halfway", func(t *testing.T, lib *Library) { lib.write = failAfter(len(newRaw) / 2) },
			syscall.ENOSPC, []string{"write the new copy", "no space left"}},
		{"facts fail halfway", func(t *testing.T, lib *Library) { lib.write = failAfter(len(newRaw) + 20) },
			syscall.ENOSPC, []string{"write the facts"}},
		{"no room", func(t *testing.T, lib *Library) {
			lib.free = func(string) (uint64, bool) { return uint64(len(newRaw)) + freeMargin/2, true }
		}, ErrNoSpace, []string{"MB free", "MB needed", "free some space"}},
		{"facts cannot be moved into place", func(t *testing.T, lib *Library) {
			// A folder in the facts file's place makes the last rename fail
			// after the new copy has moved in; the old copy must come back.
			meta := filepath.Join(lib.Dir, "n.txt"+metaSuffix)
			os.Remove(meta)
			os.MkdirAll(filepath.Join(meta, "x"), 0o755)
		}, nil, []string{"move the facts into place"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := Library{Dir: t.TempDir()}
			old, err := ParseFile("n.txt", oldRaw, Meta{Date: "2024-05-01"}, knownRegions)
			if err != nil {
				t.Fatal(err)
			}
			if err := lib.Add(old, oldRaw); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, &lib)
			before := readDir(t, lib.Dir)
			d, err := ParseFile("n.txt", newRaw, Meta{Date: "2025-01-01"}, knownRegions)
			if err != nil {
				t.Fatal(err)
			}
			err = lib.Add(d, newRaw)
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			for _, w := range append(tc.want, "previous copy of n.txt and its facts are kept") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if after := readDir(t, lib.Dir); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("library changed:\nbefore %q\nafter  %q", before, after)
			}
			if tc.name == "facts cannot be moved into place" {
				return // the facts are a folder: nothing to load
			}
			docs, err := lib.Load()
			if err != nil || len(docs) != 1 || docs[0].Date != "2024-05-01" {
				t.Fatalf("load after failure: %v %+v", err, docs)
			}
			ix, err := Build(context.Background(), docs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.Search(context.Background(), PlainQuery("80岁老人每餐补贴多少"))
			if err != nil || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "3元") {
				t.Errorf("answers changed: %v %+v", err, res.Hits)
			}
		})
	}
}

// readDir maps each file of dir to its contents.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			files[e.Name()] = "(folder)"
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// A new name whose write fails is not added at all: no copy without facts
// that would stop the next start.
func TestLibraryAddFailureNewName(t *testing.T) {
	lib := Library{Dir: t.TempDir(), write: failAfter(10)}
	raw := []byte("关于浑南区助餐补贴的通知\n1.对80周岁以上老人每餐补贴3元。")
	d, err := ParseFile("n.txt", raw, Meta{Date: "2024"}, knownRegions)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Add(d, raw); !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "n.txt was not added") {
		t.Errorf("err %v", err)
	}
	if files := readDir(t, lib.Dir); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
	if docs, err := lib.Load(); err != nil || len(docs) != 0 {
		t.Errorf("load: %v %d", err, len(docs))
	}
}

// A replacement that succeeds brings the new copy and its facts, and
// nothing else.
func TestLibraryReplace(t *testing.T) {
	lib := Library{Dir: t.TempDir()}
	for i, date := range []string{"2024-05-01", "2025-01-01"} {
		raw := []byte(fmt.Sprintf("关于浑南区助餐补贴的通知\n1.对80周岁以上老人每餐补贴%d元。", i+3))
		d, err := ParseFile("n.txt", raw, Meta{Date: date}, knownRegions)
		if err != nil {
			t.Fatal(err)
		}
		if err := lib.Add(d, raw); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := lib.Load()
	if err != nil || len(docs) != 1 || docs[0].Date != "2025-01-01" || !strings.Contains(docs[0].Text, "4元") {
		t.Fatalf("after replace: %v %+v", err, docs)
	}
	if files := readDir(t, lib.Dir); len(files) != 2 {
		t.Errorf("files: %v", files)
	}
	if st, err := os.Stat(filepath.Join(lib.Dir, "n.txt")); err != nil || st.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("stored copy not readable by others: %v %v", st.Mode(), err)
	}
}

// Sweep removes only the library's own temporary files, and young ones
// only when told to.
func TestLibrarySweep(t *testing.T) {
	tests := []struct {
		name      string
		age       time.Duration
		olderThan time.Duration
		gone      bool
	}{
		{"young, ordinary start", 0, TempGrace, false},
		{"old, ordinary start", TempGrace + time.Minute, TempGrace, true},
		{"young, ingest", 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := Library{Dir: t.TempDir()}
			at := time.Now().Add(-tc.age)
			for _, name := range []string{".ingest-n.txt-1", ".ingest-n.txt.meta.json-1", ".ingest-n.txt-2.previous", "n.txt", "n.txt.meta.json", ".hidden.txt"} {
				p := filepath.Join(lib.Dir, name)
				os.WriteFile(p, []byte("x"), 0o644)
				os.Chtimes(p, at, at)
			}
			lib.Sweep(tc.olderThan)
			left := readDir(t, lib.Dir)
			for _, keep := range []string{"n.txt", "n.txt.meta.json", ".hidden.txt"} {
				if _, ok := left[keep]; !ok {
					t.Errorf("%s removed", keep)
				}
			}
			if n := len(left) - 3; (n == 0) != tc.gone {
				t.Errorf("%d temporary files left, want gone=%v: %v", n, tc.gone, left)
			}
		})
	}
}

func TestFreeSpace(t *testing.T) {
	free, ok := freeSpace(t.TempDir())
	if ok && free == 0 {
		t.Error("free space 0 on a disk the tests write to")
	}
	if _, ok := freeSpace(filepath.Join(t.TempDir(), "none")); ok {
		t.Error("a missing folder has known free space")
	}
}

func TestParseFileRejectsTempName(t *testing.T) {
	if _, err := ParseFile(".ingest-n.txt", []byte("关于浑南区的通知\n1.x"), Meta{Date: "2024"}, knownRegions); err == nil || !strings.Contains(err.Error(), "rename") {
		t.Errorf("err %v", err)
	}
}

// A document whose text is not its file's bytes (a .docx, a GBK text) is
// stored as the original file, with the text it was read as in its facts,
// and loads as that text; a UTF-8 text keeps no second copy.
func TestLibraryKeepsReadText(t *testing.T) {
	tests := []struct {
		name     string
		raw      []byte
		keepText bool
	}{
		{"notice.docx", writeDocx(t, testNotice, testTable, true), true},
		{"notice.txt", encode(t, simplifiedchinese.GBK, gbkNotice), true},
		{"plain.txt", []byte(gbkNotice), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := Library{Dir: t.TempDir()}
			d, err := ParseFile(tc.name, tc.raw, Meta{}, knownRegions)
			if err != nil {
				t.Fatal(err)
			}
			if err := lib.Add(d, tc.raw); err != nil {
				t.Fatal(err)
			}
			stored, err := os.ReadFile(filepath.Join(lib.Dir, tc.name))
			if err != nil || !bytes.Equal(stored, tc.raw) {
				t.Errorf("original not kept as it was: %v", err)
			}
			meta, _ := os.ReadFile(filepath.Join(lib.Dir, tc.name+metaSuffix))
			if got := strings.Contains(string(meta), `"text"`); got != tc.keepText {
				t.Errorf("facts hold the text: %v, want %v", got, tc.keepText)
			}
			docs, err := lib.Load()
			if err != nil || len(docs) != 1 {
				t.Fatalf("load: %v %d", err, len(docs))
			}
			if docs[0].Text != d.Text || !strings.Contains(docs[0].Text, "123元") {
				t.Errorf("loaded text %q, want %q", docs[0].Text, d.Text)
			}
		})
	}
}
