package curated

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/minsheng/minsheng/retrieval"
)

var testDocs = []retrieval.Document{
	{Source: "dibao.txt", Title: "关于调整浑南区低保标准的通知", Region: []string{"辽宁省", "沈阳市", "浑南区"},
		Text: "一、城乡低保标准调整为每人每月850元,特困人员供养标准为每人每月1300元。\n二、自2024年1月1日起执行。"},
	{Source: "canteen.txt", Title: "大连市老年助餐补贴办法", Region: []string{"辽宁省", "大连市"},
		Text: "对80周岁以上老人每餐补贴3.5元。"},
}

var testRegions = map[string][][]string{
	"浑南区":         {{"辽宁省", "沈阳市", "浑南区"}},
	"浑南":          {{"辽宁省", "沈阳市", "浑南区"}},
	"辽宁省/沈阳市/浑南区": {{"辽宁省", "沈阳市", "浑南区"}},
	"大连":          {{"辽宁省", "大连市"}},
	"辽宁省/大连市":     {{"辽宁省", "大连市"}},
	"和平区":         {{"辽宁省", "沈阳市", "和平区"}, {"天津市", "和平区"}},
}

func resolve(name string) ([][]string, error) {
	if p, ok := testRegions[name]; ok {
		return p, nil
	}
	return nil, retrieval.ErrUnknownRegion
}

func goodRow(line int) Row {
	return Row{Line: line, Question: "浑南区低保标准是多少?", Wordings: "浑南低保一个月多少钱\n浑南低保给多少", Answer: "每人每月850元,2024年1月1日起执行。",
		Sources: "dibao.txt", Region: "浑南区", ValidUntil: "2026-12-31", Author: "李红"}
}

// Each kind of bad row is refused with its row number and why; the good
// rows beside them are checked as well, so that one import reports all.
func TestCheckRows(t *testing.T) {
	tests := []struct {
		name string
		row  func(Row) Row
		want []string // in the reason; none means the row is good
	}{
		{"good", func(r Row) Row { return r }, nil},
		{"figure with a thousands separator", func(r Row) Row { r.Answer = "特困供养每人每月1,300元。"; return r }, nil},
		{"several sources, figure in the second", func(r Row) Row {
			r.Sources, r.Answer = "dibao.txt;canteen.txt", "每餐补贴3.5元"
			return r
		}, nil},
		{"figure not in its source", func(r Row) Row { r.Answer = "每人每月900元。"; return r }, []string{"figure 900", "dibao.txt"}},
		{"figure of another document", func(r Row) Row { r.Answer = "每餐补贴3.5元。"; return r }, []string{"figure 3.5"}},
		{"a number inside a larger one is not found", func(r Row) Row { r.Answer = "每人每月85元。"; return r }, []string{"figure 85 "}},
		{"unknown document", func(r Row) Row { r.Sources = "nosuch.pdf"; return r }, []string{`cites "nosuch.pdf"`}},
		{"no source", func(r Row) Row { r.Sources = ""; return r }, []string{"no source document"}},
		{"no answer", func(r Row) Row { r.Answer = ""; return r }, []string{"no answer"}},
		{"no question", func(r Row) Row { r.Question = ""; return r }, []string{"no question"}},
		{"bad date", func(r Row) Row { r.ValidUntil = "明年底"; return r }, []string{`valid-until "明年底"`}},
		{"impossible date", func(r Row) Row { r.ValidUntil = "2026-02-30"; return r }, []string{"not a date"}},
		{"a bare year", func(r Row) Row { r.ValidUntil = "2026"; return r }, []string{"not a date"}},
		{"unknown region", func(r Row) Row { r.Region = "火星"; return r }, []string{`unknown region "火星"`}},
		{"ambiguous region", func(r Row) Row { r.Region = "和平区"; return r }, []string{"辽宁省/沈阳市/和平区 or 天津市/和平区"}},
		{"two faults at once", func(r Row) Row { r.Answer, r.ValidUntil = "每月900元", "x"; return r }, []string{"figure 900", `valid-until "x"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			row := tc.row(goodRow(7))
			pairs, problems := Check([]Row{row}, testDocs, resolve)
			if tc.want == nil {
				if len(problems) > 0 || len(pairs) != 1 {
					t.Fatalf("good row refused: %v", problems)
				}
				return
			}
			if len(problems) != 1 || len(pairs) != 0 {
				t.Fatalf("pairs %v, problems %v", pairs, problems)
			}
			got := problems[0].String()
			if !strings.HasPrefix(got, "row 7: ") {
				t.Errorf("%q does not name its row", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got+" ", w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
		})
	}
	_, problems := Check([]Row{goodRow(2), goodRow(3)}, testDocs, resolve)
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "row 3: asks the same question as row 2") {
		t.Errorf("duplicate question: %v", problems)
	}
}

func TestCheckedPair(t *testing.T) {
	pairs, problems := Check([]Row{goodRow(2)}, testDocs, resolve)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	want := Pair{ID: IDOf("浑南区低保标准是多少?"), Question: "浑南区低保标准是多少?", Wordings: []string{"浑南低保一个月多少钱", "浑南低保给多少"},
		Answer: "每人每月850元,2024年1月1日起执行。", Sources: []string{"dibao.txt"}, Region: []string{"辽宁省", "沈阳市", "浑南区"},
		ValidUntil: "2026-12-31", Author: "李红"}
	if !reflect.DeepEqual(pairs[0], want) {
		t.Errorf("got  %+v\nwant %+v", pairs[0], want)
	}
}

func TestFigures(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"每人每月850元。", []string{"850"}},
		{"增长3.5%,到2025年达到1,300元", []string{"3.5", "2025", "1300"}},
		{"全角数字８５０元", []string{"850"}},
		{"三级五方,一站式", nil},
		{"第1条、第1条", []string{"1"}},
	} {
		if got := Figures(tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Figures(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// Export then import gives the same pairs, in both formats, with the
// characters a sheet must carry: line breaks, commas, quotes.
func TestSheetRoundTrip(t *testing.T) {
	pairs := []Pair{
		{Question: "浑南区低保标准是多少?", Wordings: []string{"浑南低保一个月多少钱", `问"低保"给多少,怎么说`}, Answer: "每人每月850元,\n2024年1月1日起执行。",
			Sources: []string{"dibao.txt"}, Region: []string{"辽宁省", "沈阳市", "浑南区"}, ValidUntil: "2026-12-31", Author: "李红"},
		{Question: "大连助餐补贴多少?", Answer: "80周岁以上每餐补贴3.5元。", Sources: []string{"canteen.txt", "dibao.txt"}, Region: []string{"辽宁省", "大连市"}},
		{Question: "哪里能问政策?", Answer: "可到街道咨询。", Sources: []string{"dibao.txt"}},
	}
	for i := range pairs {
		pairs[i].ID = IDOf(pairs[i].Question)
	}
	for _, name := range []string{"faq.csv", "faq.xlsx"} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSheet(name, &buf, pairs, map[string]int{pairs[0].ID: 5}); err != nil {
				t.Fatal(err)
			}
			rows, err := ReadSheet(name, bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			got, problems := Check(rows, testDocs, resolve)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			if !reflect.DeepEqual(got, pairs) {
				t.Errorf("round trip changed the pairs:\ngot  %+v\nwant %+v", got, pairs)
			}
		})
	}
}

// A date typed into Excel is a date cell, whose raw value is a serial
// number; it is read as the date it shows. Headers may be English or
// carry both names, and columns come in any order.
func TestReadXLSXDatesAndHeaders(t *testing.T) {
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	f.SetSheetRow(sh, "A1", &[]any{"Answer", "来源文件 (source)", "question", "valid until"})
	f.SetSheetRow(sh, "A2", &[]any{"每人每月850元", "dibao.txt", "浑南区低保标准?", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // shown as 12-31-26
	f.SetCellStyle(sh, "D2", "D2", style)
	f.SetSheetRow(sh, "A4", &[]any{"每人每月850元", "dibao.txt", "浑南低保多少钱?"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet("x.xlsx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1].Line != 4 {
		t.Fatalf("rows %+v (the blank row 3 is skipped, row 4 keeps its number)", rows)
	}
	pairs, problems := Check(rows, testDocs, resolve)
	if len(problems) > 0 || pairs[0].ValidUntil != "2026-12-31" {
		t.Errorf("pairs %+v, problems %v", pairs, problems)
	}
}

// A CSV saved by Excel on Chinese Windows is GB18030.
func TestReadCSVGB18030(t *testing.T) {
	csv := "问题,答复,来源文件\n浑南区低保标准是多少?,每人每月850元,dibao.txt\n"
	raw, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet("faq.CSV", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Question != "浑南区低保标准是多少?" || rows[0].Answer != "每人每月850元" {
		t.Errorf("rows %+v", rows)
	}
}

func TestReadSheetBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name, file, body, want string
	}{
		{"not a workbook", "faq.xlsx", "PK\x03\x04 not really a zip", "faq.xlsx"},
		{"other format", "faq.txt", "问题,答复,来源文件\n", "neither .csv nor .xlsx"},
		{"empty", "faq.csv", "", "is empty"},
		{"no header", "faq.csv", "浑南区低保标准是多少?,每人每月850元,dibao.txt\n", "missing 问题 (question), 答复 (answer), 来源文件"},
		{"answer column missing", "faq.csv", "问题,来源文件\nq,dibao.txt\n", "missing 答复 (answer)"},
		{"unbalanced quote", "faq.csv", "问题,答复,来源文件\n\"q,a,dibao.txt\n", "faq.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSheet(tc.file, strings.NewReader(tc.body))
			if !errors.Is(err, ErrBadSheet) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrBadSheet with %q", err, tc.want)
			}
		})
	}
}

// Replace keeps the day a pair was added while its content stays; a store
// open in one process sees what another wrote; no temporary file is left.
func TestStoreReplace(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pairs, _ := s.Load(); len(pairs) != 0 {
		t.Fatalf("a new folder has pairs: %v", pairs)
	}
	a := Pair{Question: "q1", Answer: "a1", Sources: []string{"dibao.txt"}}
	b := Pair{Question: "q2", Answer: "a2", Sources: []string{"dibao.txt"}}
	if err := s.Replace([]Pair{a, b}, "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	other, err := Open(dir, nil) // as serve has it open while faq import runs
	if err != nil {
		t.Fatal(err)
	}
	_, v1 := other.Load()
	b.Answer = "a2, changed"
	if err := s.Replace([]Pair{a, b}, "2026-02-01"); err != nil {
		t.Fatal(err)
	}
	pairs, v2 := other.Load()
	if v2 == v1 || len(pairs) != 2 {
		t.Fatalf("the other store did not see the import: version %d → %d, %v", v1, v2, pairs)
	}
	if pairs[0].Added != "2026-01-01" || pairs[1].Added != "2026-02-01" || pairs[1].Answer != "a2, changed" {
		t.Errorf("added days: %+v", pairs)
	}
	if _, v3 := other.Load(); v3 != v2 {
		t.Errorf("version changed without a change: %d → %d", v2, v3)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !reflect.DeepEqual(names, []string{"curated.json"}) {
		t.Errorf("folder holds %v", names)
	}
}

// A damaged hits file is reported, not silently reset.
func TestHitErrorReported(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/"+hitsFile, []byte("{not json"), 0o644)
	var got error
	s, err := Open(dir, func(err error) { got = err })
	if err != nil {
		t.Fatal(err)
	}
	s.Hit("abc")
	if got == nil || !strings.Contains(got.Error(), hitsFile) {
		t.Errorf("error %v", got)
	}
	if raw, _ := os.ReadFile(dir + "/" + hitsFile); string(raw) != "{not json" {
		t.Errorf("the damaged file was overwritten: %s", raw)
	}
}
