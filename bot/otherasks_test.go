package bot

import (
	"reflect"
	"testing"

	"github.com/minsheng/minsheng/judge"
)

// Each asking clause is marked by the words only it holds; a question
// asking once adds none, and a clause whose words the others share adds none.
func TestOtherAsks(t *testing.T) {
	terms := []judge.Term{{Text: "社区食堂", Weight: 1}, {Text: "覆盖率", Weight: 1}, {Text: "建", Weight: 0.3}, {Text: "助餐", Weight: 1}}
	for _, tc := range []struct {
		core string
		want []askedPart
	}{
		{"社区食堂要建多少个,覆盖率目标是多少", []askedPart{{words: []string{"社区食堂"}, figure: true}, {words: []string{"覆盖率"}, figure: true}}},
		{"社区食堂要建多少个", nil},        // one ask
		{"社区食堂要建多少个,社区食堂在哪", nil}, // no asking word in the second
		{"助餐社区食堂建多少个,助餐要钱吗", []askedPart{{words: []string{"社区食堂"}, figure: true}}}, // 助餐 is in both
		{"社区食堂建几个,还有助餐吗", []askedPart{{words: []string{"社区食堂"}, figure: true}, {words: []string{"助餐"}}}},
		// a level and a rate of one measure, asked in two clauses
		{"社区食堂每月多少,每年涨多少", []askedPart{{words: []string{"社区食堂"}, figure: true}, {rate: true}, {level: true}}},
		{"社区食堂每年涨多少", nil},
	} {
		got := otherAsks(judge.Reading{Core: tc.core, Terms: terms}, judge.Decision{KeyTerm: "社区食堂", KeyNames: []string{"社区食堂"}})
		for i := range got {
			if len(got[i].words) > 0 {
				got[i].words = got[i].words[:1] // the word itself; its thesaurus terms follow
			}
			got[i].clause = "" // the asking clause, for choosing between sentences
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("otherAsks(%q) = %+v, want %+v", tc.core, got, tc.want)
		}
	}
}

// A rate part is met by a sentence stating the measure's growth, a level
// part by one stating its amount; another measure's figure meets neither.
func TestAskedPartMeets(t *testing.T) {
	d := judge.Decision{KeyTerm: "养育标准", KeyNames: []string{"养育标准"}}
	rate, level := askedPart{rate: true}, askedPart{level: true}
	for _, tc := range []struct {
		part askedPart
		f    string
		want bool
	}{
		{rate, "健全养育标准自然增长机制,按照年度增长不低于6%的幅度", true},
		{rate, "养育标准不低于每人每月2600元", false},
		{level, "养育标准不低于每人每月2600元", true},
		{level, "按照年度增长不低于6%的幅度提高养育标准", false},
		{rate, "低保标准按照年度增长不低于3.5%的幅度", false}, // another measure
		{askedPart{words: []string{"覆盖率"}, figure: true}, "助餐服务覆盖率达到100%", true},
		{askedPart{words: []string{"覆盖率"}, figure: true}, "提高助餐服务覆盖率", false},
	} {
		if got := tc.part.meets(tc.f, d); got != tc.want {
			t.Errorf("%+v.meets(%q) = %v, want %v", tc.part, tc.f, got, tc.want)
		}
	}
}

// In English a clause holds a word whole: age is not in wage.
func TestHoldsWord(t *testing.T) {
	for _, tc := range []struct {
		c, w    string
		english bool
		want    bool
	}{
		{"what is the minimum wage", "age", true, false},
		{"what age can they get it", "age", true, true},
		{"老年人助餐覆盖率", "覆盖率", false, true},
	} {
		if got := holdsWord(tc.c, tc.w, tc.english); got != tc.want {
			t.Errorf("holdsWord(%q, %q) = %v, want %v", tc.c, tc.w, got, tc.want)
		}
	}
}
