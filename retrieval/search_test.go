package retrieval

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestSearchRegions(t *testing.T) {
	ix := seedIndex(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		q       Query
		sources []string // every hit must come from one of these
		first   string   // the first hit's source
		foreign []string
	}{
		{"city covers district", Query{Text: "沈阳老旧小区改造"}, []string{"000", "001"}, "000", nil},
		{"district only", Query{Text: "浑南区老旧小区改造"}, []string{"001"}, "001", nil},
		{"flag", Query{Text: "老旧小区改造", Region: "大连"}, []string{"002", "004"}, "", nil},
		{"short district name", Query{Text: "沙河口低保"}, []string{"004"}, "004", nil},
		{"traditional question", Query{Text: "瀋陽新增就業目標"}, []string{"000", "001"}, "000", nil},
		{"foreign place", Query{Text: "上海的落户政策"}, nil, "", []string{"上海"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) < 10 && tc.sources == nil {
				t.Errorf("want 10 hits, got %d", len(res.Hits))
			}
			for _, h := range res.Hits {
				if tc.sources != nil && !hasPrefixAny(h.Source, tc.sources) {
					t.Errorf("hit from %s outside %v", h.Source, tc.sources)
				}
			}
			if tc.first != "" && (len(res.Hits) == 0 || !strings.HasPrefix(res.Hits[0].Source, tc.first)) {
				t.Errorf("first hit not from %s", tc.first)
			}
			if strings.Join(res.Foreign, ",") != strings.Join(tc.foreign, ",") {
				t.Errorf("foreign %v, want %v", res.Foreign, tc.foreign)
			}
		})
	}
}

func hasPrefixAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func TestSearchUnknownRegion(t *testing.T) {
	_, err := seedIndex(t).Search(context.Background(), Query{Text: "低保", Region: "火星市"})
	if !errors.Is(err, ErrUnknownRegion) {
		t.Fatalf("want ErrUnknownRegion, got %v", err)
	}
}

// Everyday words reach policy wording through the thesaurus.
func TestSearchThesaurus(t *testing.T) {
	ix := seedIndex(t)
	tests := []struct{ q, want string }{
		{"浑南老人吃饭难,有没有老年食堂", "助餐"},
		{"大连临终关怀有什么政策", "安宁疗护"},
		{"浑南的孩子近视有人管吗", "近视"},
	}
	for _, tc := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits[:3] {
			if strings.Contains(Fold(h.Section+h.Text), tc.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no passage with %q in the top 3", tc.q, tc.want)
		}
	}
}

func TestCoverageSeparatesUncovered(t *testing.T) {
	ix := seedIndex(t)
	covered, _ := ix.Search(context.Background(), Query{Text: "浑南区家庭医生团队有多少个"})
	uncovered, _ := ix.Search(context.Background(), Query{Text: "房贷利率现在是多少"})
	if covered.Coverage < 0.8 || uncovered.Coverage > 0.2 {
		t.Errorf("coverage covered %.2f, uncovered %.2f", covered.Coverage, uncovered.Coverage)
	}
}

func TestThesaurusParse(t *testing.T) {
	if _, err := ParseThesaurus("养老金 = 退休金\n# comment\n"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"养老金 退休金", "= 退休金", "养老金 =", ""} {
		if _, err := ParseThesaurus(bad); err == nil {
			t.Errorf("%q: want error", bad)
		}
	}
}
