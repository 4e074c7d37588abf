package bot

import (
	"strings"
	"testing"

	"github.com/minsheng/minsheng/prompts"
	"github.com/minsheng/minsheng/retrieval"
)

func testSources() []source {
	return newSources([]retrieval.Hit{
		{Passage: retrieval.Passage{Title: "关于在浑南区…的实施意见", Date: "2023-10-30", Section: "13.持续提高社会救助水平",
			Text: "到2025年,城乡居民最低生活保障标准不低于每人每月850元,特困人员救助供养标准不低于每人每月1300元。"}},
		{Passage: retrieval.Passage{Title: "大连市实施意见", Date: "2023-09-17", Section: "5.养老",
			Text: "新增养老床位85万张,覆盖率达到3.5%,建立“五个体系”,实施二十五项工程。"}},
	})
}

// testGuard is the guard of an answerer whose system prompt carries canary.
func testGuard(t testing.TB, canary string) *guard {
	t.Helper()
	set, err := prompts.Load()
	if err != nil {
		t.Fatal(err)
	}
	sys, err := set.System(canary)
	if err != nil {
		t.Fatal(err)
	}
	return newGuard(canary, sys, nil, nil)
}

func TestVerifyFigures(t *testing.T) {
	const canary = "MS-0123456789abcdef"
	tests := []struct {
		name, answer string
		err          error
		want         string
	}{
		{"grounded", "浑南区2023年的意见规定,到2025年低保不低于每人每月850元[1]。", nil, "850元[1]"},
		{"renumbered", "床位85万张[2];低保850元[1]。", nil, "床位85万张[1];低保850元[2]。"},
		{"comma thousands", "特困供养不低于每月1,300元[1]。", nil, "1,300元[1]"},
		{"invented", "低保每月9999元[1]。", errUnsupported, ""},
		{"digits glued from date and text", "低保每人每月10,850元[1]。", errUnsupported, ""},
		{"wrong magnitude", "新增养老床位85亿张[2]。", errUnsupported, ""},
		{"number from another cited passage", "低保850元[2]。", errUnsupported, ""},
		{"Chinese numerals invented", "低保每月九千九百九十九元[1]。", errUnsupported, ""},
		{"Chinese numerals stated", "实施二十五项工程[2]。", nil, "二十五项"},
		{"full-width digits", "低保每月９９９９元[1]。", errUnsupported, ""},
		{"percent", "覆盖率3.5%[2]。", nil, "3.5%"},
		{"section number is not a figure", "每人每月13元[1]。", errUnsupported, ""},
		{"no citation", "低保会提高。", errNoCitation, ""},
		{"only a dangling citation", "低保850元[7]。", errNoCitation, ""},
		{"dangling dropped", "低保850元[1][7]。", nil, "850元[1]。"},
		{"unmarked sentence leans on cited ones", "低保850元[1]。这是2025年的目标。", nil, "2025年"},
		{"unmarked invented figure", "低保850元[1]。另有补贴500元。", errUnsupported, ""},
		{"hotline is no figure", "低保850元[1]。详情请拨打12345政务服务便民热线咨询。", nil, "12345政务服务便民热线"},
		{"a number like the hotline is", "低保850元[1]。另有12345元补贴。", errUnsupported, ""},
		{"canary", "内部标记是" + canary + "[1]。", errLeak, ""},
		{"canary full-width upper", "标记ＭＳ-０１２３４５６７８９ＡＢＣＤＥＦ[1]。", errLeak, ""},
		{"canary spaced", "标记 MS-0123 4567 89ab cdef[1]。", errLeak, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := verify(tc.answer, testSources(), testGuard(t, canary))
			if err != tc.err {
				t.Fatalf("err %v, want %v (text %q)", err, tc.err, v.text)
			}
			if tc.err == nil && !strings.Contains(v.text, tc.want) {
				t.Errorf("text %q lacks %q", v.text, tc.want)
			}
		})
	}
}

func TestStreamVerifierHoldsBackUnsupported(t *testing.T) {
	tests := []struct {
		name   string
		deltas []string
		shown  string
		never  string
	}{
		{"grounded sentences flow", []string{"到2025年低保", "不低于850元[1]。", "特困1300元[1]。"}, "到2025年低保不低于850元[1]。特困1300元[1]。", ""},
		{"invented figure stops the stream", []string{"低保850元[1]。", "另有9999元[1]。", "床位85万张[2]。"}, "低保850元[1]。", "9999"},
		{"figure behind a dangling mark", []string{"每月9999元[9]。"}, "", "9999"},
		{"figure without a mark", []string{"每月9999元。"}, "", "9999"},
		{"full-width figure", []string{"每月９９９９元。"}, "", "9999"},
		{"dangling mark removed", []string{"低保850元[1][9]。"}, "低保850元[1]。", "[9]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got strings.Builder
			v := &streamVerifier{srcs: testSources(), guard: testGuard(t, "MS-x"), out: func(s string) { got.WriteString(s) }}
			for _, d := range tc.deltas {
				v.feed(d)
			}
			if got.String() != tc.shown {
				t.Errorf("shown %q, want %q", got.String(), tc.shown)
			}
			if tc.never != "" && strings.Contains(retrieval.Fold(got.String()), tc.never) {
				t.Errorf("%q was shown", tc.never)
			}
		})
	}
}

// TestVerifyKeepsLineBreaks: an answer's paragraphs and list items stay on
// their lines, in the final answer and in the stream alike, so that the
// stream is the start of the final answer and Telegram does not split a
// paragraph.
func TestVerifyKeepsLineBreaks(t *testing.T) {
	tests := []struct {
		name, answer, want string
	}{
		{"after a full stop", "低保850元[1]。\n特困1300元[1]。", "低保850元[1]。\n特困1300元[1]。"},
		{"a blank line", "低保850元[1]。\n\n床位85万张[2]。", "低保850元[1]。\n\n床位85万张[2]。"},
		{"list items without full stops", "标准如下:\n- 低保850元[1]\n- 特困1300元[1]", "标准如下:\n- 低保850元[1]\n- 特困1300元[1]"},
		{"padding collapsed", "低保850元[1]。\n\n\n\n特困1300元[1]。\n", "低保850元[1]。\n\n特困1300元[1]。"},
		{"two sentences on a line", "低保850元[1]。特困1300元[1]。\n床位85万张[2]。", "低保850元[1]。特困1300元[1]。\n床位85万张[2]。"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := verify(tc.answer, testSources(), testGuard(t, "MS-x"))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if v.text != want {
				t.Errorf("verified %q, want %q", v.text, want)
			}
			// The stream, fed a rune at a time, shows the same lines.
			var got strings.Builder
			sv := &streamVerifier{srcs: testSources(), guard: testGuard(t, "MS-x"), out: func(s string) { got.WriteString(s) }}
			for _, r := range tc.answer {
				sv.feed(string(r))
			}
			if !strings.HasPrefix(want, got.String()) || got.Len() == 0 {
				t.Errorf("streamed %q, not the start of %q", got.String(), want)
			}
		})
	}
}
