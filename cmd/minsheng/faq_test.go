package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const faqHeader = "问题,其他问法,答复,来源文件,地区,有效期至,作者\n"

const goodFAQRow = "浑南区低保标准是多少?,浑南低保每个月发多少钱?,浑南区城乡低保标准不低于每人每月850元。,001_1a1d5eee5e46f0c9.txt,浑南区,2099-12-31,民政窗口\n"

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A sheet with one bad row imports nothing, says which row and why, and
// exits 2; bad files exit 2 as well.
func TestFAQImportRefuses(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file, body string
		want             []string
	}{
		{"figure not in its source", "faq.csv", faqHeader + goodFAQRow +
			"浑南区特困供养标准是多少?,,每人每月1400元。,001_1a1d5eee5e46f0c9.txt,浑南区,,\n",
			[]string{"row 3:", "figure 1400", "001_1a1d5eee5e46f0c9.txt", "nothing imported: 1 of 2 rows"}},
		{"unknown document, no answer, bad date", "faq.csv", faqHeader +
			"q1?,,每人每月850元。,notice.pdf,,,\nq2?,,,001_1a1d5eee5e46f0c9.txt,,,\nq3?,,见文件。,001_1a1d5eee5e46f0c9.txt,,下个月,\n",
			[]string{`row 2: cites "notice.pdf"`, "row 3: no answer", `row 4: valid-until "下个月"`, "3 of 3 rows"}},
		{"unknown region", "faq.csv", faqHeader + "q?,,见文件。,001_1a1d5eee5e46f0c9.txt,火星,,\n", []string{`row 2: unknown region "火星"`}},
		{"not a workbook", "faq.xlsx", "just text", []string{"not a sheet of curated answers", "faq.xlsx"}},
		{"not a sheet format", "faq.txt", faqHeader, []string{"neither .csv nor .xlsx"}},
		{"columns missing", "faq.csv", "question,answer\nq,a\n", []string{"missing 来源文件"}},
		{"header only", "faq.csv", faqHeader, []string{"no rows"}},
		{"no such file", "", "", []string{"cannot read"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.csv")
			if tc.file != "" {
				path = writeFile(t, tc.file, tc.body)
			}
			code, _, errOut := runCLI(t, "", "faq", "import", "--data-dir", dir, path)
			if code != exitBadInput {
				t.Errorf("exit %d, want %d: %s", code, exitBadInput, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "curated.json")); err == nil {
				t.Error("a refused import wrote curated answers")
			}
		})
	}
	if code, _, _ := runCLI(t, "", "faq"); code != exitBadInput {
		t.Errorf("faq without a command: exit %d", code)
	}
}

// Import, ask, list, export and import again: the pair answers with its
// label and source, its use is counted, and the exported sheet imports
// back as the same pair.
func TestFAQImportAskExport(t *testing.T) {
	dir := t.TempDir()
	sheet := writeFile(t, "faq.csv", faqHeader+goodFAQRow)
	code, out, errOut := runCLI(t, "", "faq", "import", "--data-dir", dir, sheet)
	if code != exitOK || !strings.Contains(out, "imported 1 rows of faq.csv: 1 new") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "ask", "--data-dir", dir, "--json", "浑南这边吃低保的一个月能拿多少钱啊")
	if code != exitOK {
		t.Fatalf("ask: exit %d: %s", code, errOut)
	}
	var ans struct {
		Mode      string `json:"mode"`
		Answer    string `json:"answer"`
		Citations []struct {
			Source, Quote string
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatal(err)
	}
	if ans.Mode != "curated" || !strings.HasPrefix(ans.Answer, "社区整理的答复(") || !strings.Contains(ans.Answer, "沈阳市浑南区)") ||
		len(ans.Citations) != 1 || ans.Citations[0].Source != "001_1a1d5eee5e46f0c9.txt" || !strings.Contains(ans.Citations[0].Quote, "850元") {
		t.Errorf("ask: %s", out)
	}
	code, out, _ = runCLI(t, "", "faq", "list", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "1     浑南区低保标准是多少?") || !strings.Contains(out, "辽宁省 › 沈阳市 › 浑南区") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	for _, name := range []string{"faq.xlsx", "faq.csv"} {
		exported := filepath.Join(t.TempDir(), name)
		if code, out, errOut := runCLI(t, "", "faq", "export", "--data-dir", dir, exported); code != exitOK || !strings.Contains(out, "exported 1 curated answers") {
			t.Fatalf("export %s: exit %d %s%s", name, code, out, errOut)
		}
		code, out, errOut = runCLI(t, "", "faq", "import", "--replace", "--data-dir", dir, exported)
		if code != exitOK || !strings.Contains(out, "0 new, 0 changed, 1 unchanged; 1 curated answers in all") {
			t.Errorf("import of the export %s: exit %d\n%s%s", name, code, out, errOut)
		}
	}
	// A sheet without the row drops it only with --replace.
	other := writeFile(t, "other.csv", faqHeader+"浑南区有老年食堂吗?,,有。,001_1a1d5eee5e46f0c9.txt,浑南,,\n")
	if _, out, _ := runCLI(t, "", "faq", "import", "--data-dir", dir, other); !strings.Contains(out, "2 curated answers in all") {
		t.Errorf("merge: %s", out)
	}
	if _, out, _ := runCLI(t, "", "faq", "import", "--replace", "--data-dir", dir, other); !strings.Contains(out, "1 dropped (--replace); 1 curated answers in all") {
		t.Errorf("replace: %s", out)
	}
}
