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
	in := func(text string, regions ...[]string) Query {
		q := PlainQuery(text)
		q.Regions = regions
		return q
	}
	shenyang, hunnan, dalian := []string{"辽宁省", "沈阳市"}, []string{"辽宁省", "沈阳市", "浑南区"}, []string{"辽宁省", "大连市"}
	tests := []struct {
		name    string
		q       Query
		sources []string // every hit must come from one of these
		first   string   // the first hit's source
	}{
		{"city covers district", in("老旧小区改造", shenyang), []string{"000", "001"}, "000"},
		{"district and its city", in("老旧小区改造", hunnan), []string{"000", "001"}, "001"},
		{"city", in("老旧小区改造", dalian), []string{"002", "004"}, ""},
		{"two regions", in("低保标准", hunnan, dalian), []string{"000", "001", "002", "004"}, ""},
		{"traditional question", in("瀋陽新增就業目標", shenyang), []string{"000", "001"}, "000"},
		{"everywhere", PlainQuery("老旧小区改造"), nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range res.Hits {
				if tc.sources != nil && !hasPrefixAny(h.Source, tc.sources) {
					t.Errorf("hit from %s outside %v", h.Source, tc.sources)
				}
			}
			if tc.first != "" && !strings.HasPrefix(res.Hits[0].Source, tc.first) {
				t.Errorf("first hit from %s, want %s", res.Hits[0].Source, tc.first)
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

func TestResolveRegion(t *testing.T) {
	ix := seedIndex(t)
	if _, err := ix.ResolveRegion("火星市"); !errors.Is(err, ErrUnknownRegion) {
		t.Fatalf("want ErrUnknownRegion, got %v", err)
	}
	for _, name := range []string{"浑南", "浑南区", "辽宁省/沈阳市/浑南区", "大连"} {
		if paths, err := ix.ResolveRegion(name); err != nil || len(paths) != 1 {
			t.Errorf("%s: %v %v", name, paths, err)
		}
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
		res, err := ix.Search(context.Background(), PlainQuery(tc.q))
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

// A phrase written with underscores matches with its spaces; the lookups
// built at parse time answer for every word.
func TestThesaurusPhrasesAndLookups(t *testing.T) {
	th, err := ParseThesaurus("长期护理保险 失能保险 = 长护险 long-term_care\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range th.expand("does long-term care insurance pay") {
		got = append(got, e.Term)
	}
	if fmt.Sprint(got) != "[长期护理保险 失能保险]" {
		t.Errorf("expand = %v", got)
	}
	if !th.listed["长护险"] || !th.listed["long-term care"] || th.listed["护理"] {
		t.Errorf("listed = %v", th.listed)
	}
	if fmt.Sprint(th.alternatives["长期护理保险"]) != "[失能保险]" {
		t.Errorf("alternatives = %v", th.alternatives)
	}
	if !InThesaurus("长期护理保险") || fmt.Sprint(PolicyAlternatives("失业保险金")) != "[失业保险]" {
		t.Error("built-in lookups")
	}
}

// An English word of the thesaurus starts a word of the question: "hr" is
// not read in "three", "rent" not in "parent"; "retire" is in "retired".
func TestThesaurusEnglishWordStart(t *testing.T) {
	th, err := ParseThesaurus("人力资源市场 = hr\n租金 = rent\n养老金 = retire\n公园 = park\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want string }{
		{"three levels", "[]"},
		{"my parent", "[]"},
		{"the hr market", "[人力资源市场]"},
		{"rent subsidy", "[租金]"},
		{"when retired", "[养老金]"},
		{"退休了,retire age", "[养老金]"},
		{"free parking", "[]"},
		{"parks and rent", "[租金]"},
	} {
		var got []string
		for _, e := range th.expand(tc.q) {
			got = append(got, e.Term)
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("expand(%q) = %v, want %s", tc.q, got, tc.want)
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
	both, err := ix.ResolveRegion("和平区")
	if err != nil || len(both) != 2 {
		t.Fatalf("和平区: %v %v", both, err)
	}
	q := PlainQuery("社区食堂有几个")
	q.Regions = both
	res, err := ix.Search(context.Background(), q)
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
	one, err := ix.ResolveRegion("辽宁省/沈阳市/和平区")
	if err != nil {
		t.Fatal(err)
	}
	q.Regions = one
	res, err = ix.Search(context.Background(), q)
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
		res, err := ix.Search(context.Background(), PlainQuery(q))
		if err != nil {
			t.Fatal(err)
		}
		want[q] = fmt.Sprint(res.Hits[0].ID, len(res.Hits), res.Hits[0].Score)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				q := qs[(g+i)%len(qs)]
				res, err := ix.Search(context.Background(), PlainQuery(q))
				if err != nil {
					t.Error(err)
					return
				}
				if got := fmt.Sprint(res.Hits[0].ID, len(res.Hits), res.Hits[0].Score); got != want[q] {
					t.Errorf("%s: %s, want %s", q, got, want[q])
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestAsksForFigure(t *testing.T) {
	for q, want := range map[string]bool{
		"低保一个月多少钱":              true,
		"老年食堂到2025年能铺开到啥程度":     true,
		"有几个日间照料站":              true,
		"哪几个街道有食堂":              false,
		"俺妈瘫在床上好几年了能上门伺候不":      false,
		"几十年的老党员有补贴吗":           false,
		"护理补贴的比例是":              true,
		"大连的高龄津贴现在是啥标准":         true,
		"低保申请要什么条件":             false,
		"我老父亲前几天走了,海葬要钱吗":       false, // 前几天: a few days ago
		"这几年低保涨了多少":             true,
		"浑南老年餐桌咋收费啊":            true, // a price
		"浑南老人助餐 饭钱咋收的":          true, // how a sum is charged
		"老年食堂饭钱贵不贵":             true,
		"低保户怎么算":                false, // how one counts as a 低保户: no sum
		"大连高龄津贴的钱怎么收到":          false,
		"养老机构星级评价怎么算":           false,
		"这笔钱怎么算收入":              false,
		"俺们几个退休老哥们都是大连户口":       false, // we few
		"打疫苗要提前几天预约":            true,
		"一年回不来几趟,她一个人住":         false, // only a few, said
		"我们社区有几户特困老人想做适老化改造":    false, // some households of the asker's area
		"我们社区想给几户特殊困难老人报适老化改造":  false, // the few the asker means to help
		"今年能给几户老人做适老化改造":        true,  // how many, asked
		"沈阳报告里计划新增养老床位的数量,我怎么答": true,  // the count named as asked
		"今年区里打算给几户困难老人做适老化改造":   true,  // the district's plan, asked
		"大连有几个社区要建食堂":           true,  // how many, of a city
		"我们社区有几个名额要给低保户":        true,  // how many places, of one's own area
		"没几年就退休了":               false,
		"大连高龄津贴的具体标准,文件里有具体数吗":  true,
		"可具体数没人说得清":             false,
	} {
		if got := AsksForFigure(q); got != want {
			t.Errorf("AsksForFigure(%q) = %v, want %v", q, got, want)
		}
	}
}

// A group found only through a word inside a longer word another group
// found is left out.
func TestThesaurusLongerWordWins(t *testing.T) {
	th, err := ParseThesaurus("智慧养老 = smart_elderly\n智能养老服务设备 = smart_elderly-care_devices\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range th.expand("had smart elderly-care devices installed") {
		got = append(got, e.Term)
	}
	if fmt.Sprint(got) != "[智能养老服务设备]" {
		t.Errorf("expand = %v, want the longer phrase's term only", got)
	}
	got = nil
	for _, e := range th.expand("smart elderly services") {
		got = append(got, e.Term)
	}
	if fmt.Sprint(got) != "[智慧养老]" {
		t.Errorf("expand = %v", got)
	}
}
