package bot

import (
	"reflect"
	"testing"

	"github.com/minsheng/minsheng/judge"
)

// A further asking clause is marked by the words only it holds; a
// question asking once, or a later clause sharing all its words, adds none.
func TestOtherAsks(t *testing.T) {
	terms := []judge.Term{{Text: "社区食堂", Weight: 1}, {Text: "覆盖率", Weight: 1}, {Text: "建", Weight: 0.3}, {Text: "助餐", Weight: 1}}
	for _, tc := range []struct {
		core string
		want []askedPart
	}{
		{"社区食堂要建多少个,覆盖率目标是多少", []askedPart{{words: []string{"覆盖率"}, figure: true}}},
		{"社区食堂要建多少个", nil},        // one ask
		{"社区食堂要建多少个,社区食堂在哪", nil}, // no asking word in the second
		{"助餐社区食堂建多少个,助餐要钱吗", nil}, // the second's words are the first's
		{"社区食堂建几个,还有助餐吗", []askedPart{{words: []string{"助餐"}}}},
	} {
		got := otherAsks(judge.Reading{Core: tc.core, Terms: terms}, judge.Decision{})
		for i := range got {
			got[i].words = got[i].words[:1] // the word itself; its thesaurus terms follow
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("otherAsks(%q) = %+v, want %+v", tc.core, got, tc.want)
		}
	}
}
