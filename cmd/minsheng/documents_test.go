package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lowIncomeNotice states a 浑南 figure other than the seed's 850元: it
// takes over the check question about 浑南's 低保 standard.
const lowIncomeNotice = "关于调整浑南区城乡居民最低生活保障标准的通知\n发布机构:浑南区民政局 发布日期:2024-03-01\n一、保障标准\n1.浑南区城乡居民最低生活保障标准调整为每人每月990元。\n"

// canteenText has a figure no seed has (7元).
const canteenText = "关于浑南区老年助餐补贴的通知\n发布机构:浑南区民政局 发布日期:2024-03-01\n一、补贴标准\n1.对90周岁以上老人每餐补贴7元,由社区食堂直接减免。\n"

// heatingNotice covers what no seed does.
const heatingNotice = "关于苏家屯区低保家庭冬季供暖补贴的通知\n发布机构:浑南区民政局 发布日期:2019-10-01\n一、补贴标准\n1.苏家屯区低保家庭冬季供暖补贴每户每年1200元。\n"

func writeDoc(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func libraryFiles(t *testing.T, data string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(data, "docs"))
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestIngestFolderAllOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name     string
		bad      string // a second file's text; "" is empty
		wantCode int
		wantDocs int
	}{
		{"one empty file", "", exitBadInput, 0},
		{"all good", canteenText, exitOK, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, in := t.TempDir(), t.TempDir()
			writeDoc(t, in, "a.txt", strings.ReplaceAll(canteenText, "7元", "8元"))
			writeDoc(t, in, "b.txt", tc.bad)
			code, _, errOut := runCLI(t, "", "ingest", "--data-dir", data, in)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tc.wantCode, errOut)
			}
			if got := libraryFiles(t, data); len(got) != tc.wantDocs {
				t.Errorf("library holds %v, want %d files", got, tc.wantDocs)
			}
			if tc.wantCode != exitOK && !strings.Contains(errOut, "nothing was added") {
				t.Errorf("error does not say nothing was added: %q", errOut)
			}
		})
	}
}

func TestIngestDuplicateName(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantText string // what the stored copy says after
	}{
		{"refused without --replace", nil, exitBadInput, "7元"},
		{"replaced with --replace", []string{"--replace"}, exitOK, "9元"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, in := t.TempDir(), t.TempDir()
			doc := writeDoc(t, in, "canteen.txt", canteenText)
			if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", data, doc); code != exitOK {
				t.Fatalf("first ingest: exit %d: %s", code, errOut)
			}
			writeDoc(t, in, "canteen.txt", strings.ReplaceAll(canteenText, "7元", "9元"))
			args := append(append([]string{"ingest", "--data-dir", data}, tc.args...), doc)
			code, _, errOut := runCLI(t, "", args...)
			if code != tc.wantCode {
				t.Fatalf("second ingest: exit %d, want %d: %s", code, tc.wantCode, errOut)
			}
			if code != exitOK && !strings.Contains(errOut, "--replace") {
				t.Errorf("refusal does not name --replace: %q", errOut)
			}
			raw, _ := os.ReadFile(filepath.Join(data, "docs", "canteen.txt"))
			if !strings.Contains(string(raw), tc.wantText) {
				t.Errorf("stored copy %q lacks %s", raw, tc.wantText)
			}
		})
	}
}

func TestDocumentsListShowRemove(t *testing.T) {
	data, in := t.TempDir(), t.TempDir()
	doc := writeDoc(t, in, "canteen.txt", canteenText)
	if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", data, "--number", "浑民发〔2024〕3号", doc); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	const q = "浑南区90周岁以上老人每餐补贴多少钱?"
	if _, out, _ := runCLI(t, "", "ask", "--data-dir", data, q); !strings.Contains(out, "canteen") && !strings.Contains(out, "老年助餐补贴的通知") {
		t.Fatalf("before remove the notice is not cited: %s", out)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"list"}, []string{"6. canteen.txt", "浑民发〔2024〕3号", "built-in"}},
		{[]string{"show", "canteen.txt"}, []string{"number:", "浑民发〔2024〕3号", "in force"}},
		{[]string{"show", "6"}, []string{"name:      canteen.txt"}},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"documents", tc.args[0], "--data-dir", data}, tc.args[1:]...)...)
		if code != exitOK {
			t.Fatalf("documents %v: exit %d: %s", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("documents %v lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
	if code, out, errOut := runCLI(t, "", "documents", "remove", "--data-dir", data, "6"); code != exitOK || !strings.Contains(out, "removed canteen.txt") {
		t.Fatalf("remove: exit %d: %s %s", code, out, errOut)
	}
	if _, out, _ := runCLI(t, "", "ask", "--data-dir", data, q); strings.Contains(out, "老年助餐补贴的通知") {
		t.Errorf("after remove the notice is still cited: %s", out)
	}
	if _, out, _ := runCLI(t, "", "documents", "list", "--data-dir", data); strings.Contains(out, "canteen.txt") {
		t.Errorf("after remove list still shows it: %s", out)
	}
}

func TestIngestSupersededByUnknownRefused(t *testing.T) {
	data, in := t.TempDir(), t.TempDir()
	doc := writeDoc(t, in, "canteen.txt", canteenText)
	code, _, errOut := runCLI(t, "", "ingest", "--data-dir", data, "--superseded-by", "none.txt", doc)
	if code != exitBadInput || !strings.Contains(errOut, "none.txt") {
		t.Fatalf("exit %d, %q; want %d naming none.txt", code, errOut, exitBadInput)
	}
	if got := libraryFiles(t, data); len(got) != 0 {
		t.Errorf("library holds %v after a refused ingest", got)
	}
}

func TestDocumentsRemoveSeedRefused(t *testing.T) {
	data := t.TempDir()
	code, _, errOut := runCLI(t, "", "documents", "remove", "--data-dir", data, "1")
	if code != exitBadInput || !strings.Contains(errOut, "supersede") {
		t.Fatalf("removing a seed: exit %d, %q; want %d and a pointer to supersede", code, errOut, exitBadInput)
	}
}

// A 浑南 notice with another 低保 figure moves the check question about
// the seed's figure: refused and undone without --accept, made with it.
func TestChecksRefuseBreakingChange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantDocs int
	}{
		{"refused", nil, exitFailure, 0},
		{"accepted", []string{"--accept"}, exitOK, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, in := t.TempDir(), t.TempDir()
			doc := writeDoc(t, in, "dibao.txt", lowIncomeNotice)
			args := append(append([]string{"ingest", "--data-dir", data}, tc.args...), doc)
			code, out, errOut := runCLI(t, "", args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.wantCode, out, errOut)
			}
			if !strings.Contains(out, "chk03") || !strings.Contains(out, "lost its facts or its document") {
				t.Errorf("diff does not show chk03 breaking:\n%s", out)
			}
			if got := libraryFiles(t, data); len(got) != tc.wantDocs {
				t.Errorf("library holds %v, want %d files", got, tc.wantDocs)
			}
			// The saved index is the one of the library as it now is.
			_, out, _ = runCLI(t, "", "documents", "list", "--data-dir", data)
			if strings.Contains(out, "dibao.txt") != (tc.wantCode == exitOK) {
				t.Errorf("documents list after the change:\n%s", out)
			}
			if _, ans, _ := runCLI(t, "", "ask", "--data-dir", data, "浑南区低保标准是多少?"); strings.Contains(ans, "990元") != (tc.wantCode == exitOK) {
				t.Errorf("answer after the change:\n%s", ans)
			}
		})
	}
}

func TestValidityNotesInAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ingest []string
		after  []string // a documents command run after the ingest
		q      string
		want   string
	}{
		{"expired", []string{"--expires", "2020-01-01", "--region", "辽宁省/沈阳市/苏家屯区"}, nil, "苏家屯区低保家庭冬季供暖补贴每户多少钱?", "已于2020-01-01失效"},
		{"superseded seed", []string{"--accept"}, []string{"supersede", "--accept", "--by", "dibao.txt", "003_bf48473883a653a0.txt"},
			"襄阳五年内规划建设多少个新型农村社区?", "已被《关于调整浑南区城乡居民最低生活保障标准的通知》取代"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, in := t.TempDir(), t.TempDir()
			name, text := "heating.txt", heatingNotice
			if tc.after != nil {
				name, text = "dibao.txt", lowIncomeNotice
			}
			doc := writeDoc(t, in, name, text)
			args := append(append([]string{"ingest", "--data-dir", data}, tc.ingest...), doc)
			if code, out, errOut := runCLI(t, "", args...); code != exitOK {
				t.Fatalf("ingest: exit %d: %s %s", code, out, errOut)
			}
			if tc.after != nil {
				args := append([]string{"documents", tc.after[0], "--data-dir", data}, tc.after[1:]...)
				code, out, errOut := runCLI(t, "", args...)
				if code != exitOK {
					t.Fatalf("documents %v: exit %d: %s %s", tc.after, code, out, errOut)
				}
				if !strings.Contains(out, "meant to move") {
					t.Errorf("supersede diff does not say answers are meant to move:\n%s", out)
				}
			}
			_, out, _ := runCLI(t, "", "ask", "--data-dir", data, tc.q)
			if !strings.Contains(out, tc.want) {
				t.Errorf("answer lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
