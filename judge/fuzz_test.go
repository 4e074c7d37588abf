package judge

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Reading any text never panics; breaking a run-on only adds commas, and
// the checks of heard sums and prices take any clause.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"俺妈今年九十一了住旅顺口区身子骨还行就是耳朵背听说大连有高龄津贴一个月能给多少钱啊",
		"大连育儿补贴是不是一年发3600块?", "每月给500块,对吗", "百分之零点五", "百分之", "四个百分之百",
		"浑南 老年人助餐 一顿饭 价格", "这五方都是么子", "为了孩子上学搬到了他姥姥家", "十四五", "七十四五岁",
		"How do I apply for dibao in Hunnan District?", "", ",,,", "了了了了了了了了了了了了了了了了了了了了",
	} {
		f.Add(s)
	}
	r := gazetteerReader(f, fakeCorpus{texts: []string{"城乡低保标准不低于每人每月850元。", "到2025年,改扩建5个体育公园。"}})
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) {
			return
		}
		if got := runOnClauses(q); strings.ReplaceAll(got, ",", "") != strings.ReplaceAll(q, ",", "") {
			t.Fatalf("runOnClauses(%q) = %q: more than commas changed", q, got)
		}
		_ = r.spokenForm(q)
		_ = checkedClause(q)
		_ = priceKeywords(q)
		_ = planYear(q)
		_ = askedAttribute(q)
		if _, err := r.Read(q, Request{}); err != nil {
			return
		}
	})
}
