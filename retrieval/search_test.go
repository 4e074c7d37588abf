package retrieval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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

func TestTopIndexes(t *testing.T) {
	scores := []float32{0, 3, 1, 3, 5, 0, 2, 4}
	allowed := []bool{true, true, true, false, true, true, true, true}
	tests := []struct {
		m       int
		allowed []bool
		want    []int
	}{
		{3, nil, []int{4, 7, 1}},
		{10, nil, []int{4, 7, 1, 3, 6, 2}},
		{3, allowed, []int{4, 7, 1}},
		{4, allowed, []int{4, 7, 1, 6}},
		{1, nil, []int{4}},
	}
	for _, tc := range tests {
		got := topIndexes(scores, tc.allowed, tc.m)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("m=%d: %v, want %v", tc.m, got, tc.want)
		}
	}
}

// Two cities may each have a district of the same name; a question naming
// it covers both, and a full path picks one.
func TestSameDistrictNameInTwoCities(t *testing.T) {
	docs := []Document{
		{Source: "a.txt", Title: "甲", Region: []string{"辽宁省", "沈阳市", "和平区"}, Date: "2023", Text: "1.和平区建设社区食堂10个。"},
		{Source: "b.txt", Title: "乙", Region: []string{"天津市", "和平区"}, Date: "2023", Text: "1.和平区建设社区食堂20个。"},
		{Source: "c.txt", Title: "丙", Region: []string{"辽宁省", "大连市"}, Date: "2023", Text: "1.大连建设社区食堂30个。"},
	}
	ix, err := Build(context.Background(), docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "和平区社区食堂有几个"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, h := range res.Hits {
		got[h.Source] = true
	}
	if !got["a.txt"] || !got["b.txt"] || got["c.txt"] {
		t.Errorf("hits from %v, want a.txt and b.txt only", got)
	}
	res, err = ix.Search(context.Background(), Query{Text: "社区食堂有几个", Region: "辽宁省/沈阳市/和平区"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("%v %d", err, len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.Source != "a.txt" {
			t.Errorf("full path: hit from %s", h.Source)
		}
	}
}

// Searches share the index and its recycled buffers; concurrent ones must
// give what sequential ones give.
func TestSearchConcurrent(t *testing.T) {
	ix := seedIndex(t)
	qs := []string{"浑南区家庭医生团队有多少个", "大连农村自来水普及率", "沈阳保障房", "襄阳阳光工程", "沙河口暖房子工程投资"}
	want := map[string]string{}
	for _, q := range qs {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		want[q] = fmt.Sprint(res.Hits[0].ID, len(res.Hits), res.Coverage)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				q := qs[(g+i)%len(qs)]
				res, err := ix.Search(context.Background(), Query{Text: q})
				if err != nil {
					t.Error(err)
					return
				}
				if got := fmt.Sprint(res.Hits[0].ID, len(res.Hits), res.Coverage); got != want[q] {
					t.Errorf("%s: %s, want %s", q, got, want[q])
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestPartFound(t *testing.T) {
	tests := []struct {
		word, text string
		want       bool
	}{
		{"追回来", "依法追回被骗资金", true},
		{"个人所得税", "个人所得减免", false},
		{"养老保险金", "城乡居民养老保险", false},
		{"健身器材", "室外健身路径体育器材", true},
		{"养老保险金", "养老保险基金", false},
	}
	for _, tc := range tests {
		if got := partFound(tc.word, tc.text); got != tc.want {
			t.Errorf("partFound(%q, %q) = %v, want %v", tc.word, tc.text, got, tc.want)
		}
	}
}

func TestHowQuestionFocus(t *testing.T) {
	seedIndex(t)
	for _, q := range []string{"怎么申请低保", "怎么 申请低保", "怎么的 申请 低保"} {
		found := false
		for _, tw := range sharedSeg.terms(Fold(q)) {
			if tw.text == "申请" && tw.focus {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: 申请 is not the focus", q)
		}
	}
}
