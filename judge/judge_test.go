package judge

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/retrieval"
)

// fakeCorpus is a handful of folded passages with made-up IDFs: enough to
// pin each rule of judging without an index.
type fakeCorpus struct {
	texts []string
	// regions gives each passage's document region (none when nil).
	regions [][]string
	idf     map[string]float64
	// df gives how many passages hold a word (1 when not listed).
	df map[string]int
}

func (f fakeCorpus) IDF(w string) float64 {
	if v, ok := f.idf[w]; ok {
		return v
	}
	return 5 // a word the corpus lacks weighs the most
}
func (f fakeCorpus) HasWord(i int, w string) bool { return strings.Contains(f.texts[i], w) }
func (f fakeCorpus) Folded(i int) string          { return f.texts[i] }
func (f fakeCorpus) Written(s string) bool {
	for _, t := range f.texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}
func (f fakeCorpus) WrittenWithin(s string, within func([]string) bool) bool {
	for i, t := range f.texts {
		var region []string
		if i < len(f.regions) {
			region = f.regions[i]
		}
		if within(region) && strings.Contains(t, s) {
			return true
		}
	}
	return false
}
func (f fakeCorpus) Regions() [][]string                      { return f.regions }
func (f fakeCorpus) Len() int                                 { return len(f.texts) }
func (f fakeCorpus) ResolveRegion(string) ([][]string, error) { return nil, retrieval.ErrUnknownRegion }
func (f fakeCorpus) Vocabulary(fn func(string, int)) {
	for w := range f.idf {
		if n, ok := f.df[w]; ok {
			fn(w, n)
		} else {
			fn(w, 1)
		}
	}
}

// gazetteerReader is a reader of c with the real gazetteer and the
// default policy, for tests that read whole questions (places included).
func gazetteerReader(t testing.TB, c fakeCorpus) *Reader {
	t.Helper()
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(c, DefaultPolicy(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fakeReader(p Policy, texts ...string) *Reader {
	return readerOf(fakeCorpus{texts: texts, idf: map[string]float64{"低保": 2, "标准": 1, "助餐": 2, "老年人": 1.5, "护照": 5, "养老金": 2, "大连": 1, "孤儿": 3, "育儿补贴": 3}}, p)
}

// readerOf is a reader of c under policy p, its vocabulary and typo index
// built from c, without the gazetteer.
func readerOf(c fakeCorpus, p Policy) *Reader {
	vocab := map[string]int{}
	c.Vocabulary(func(w string, n int) { vocab[w] = n })
	return &Reader{corpus: c, policy: p, vocab: vocab, typos: newTypoIndex(vocab, nil, c.Written)}
}

func hits(texts ...string) []retrieval.Hit {
	var out []retrieval.Hit
	for i, t := range texts {
		out = append(out, retrieval.Hit{Passage: retrieval.Passage{Text: t}, Index: i, Score: 1})
	}
	return out
}

func noun(w string) Term { return Term{Text: w, Weight: 1, Noun: true} }
func verb(w string) Term { return Term{Text: w, Weight: 0.5} }

func TestJudgeRules(t *testing.T) {
	p := DefaultPolicy()
	texts := []string{"城乡低保标准不低于每人每月850元。", "开展老年人助餐行动,建成社区食堂15个。", "推进养老金调整,落实国家政策。"}
	r := fakeReader(p, texts...)
	hs := hits(texts...)
	hs[0].Date = "2025" // the documents reach 2025
	tests := []struct {
		name    string
		rd      Reading
		history bool
		want    Kind
		reason  Reason
	}{
		{"covered", Reading{Core: "低保标准", Terms: []Term{noun("低保"), noun("标准")}}, false, Answer, Covered},
		{"topic missing", Reading{Core: "护照", Terms: []Term{noun("护照")}}, false, None, Weak},
		{"key noun there, too little else", Reading{Core: "低保 排队 盖章 跑腿", Terms: []Term{noun("低保"), verb("排队"), verb("盖章"), verb("跑腿")}}, false, Closest, Near},
		{"key noun missing", Reading{Core: "低保 护照", Terms: []Term{noun("低保"), noun("护照")}}, false, None, Weak},
		{"figure asked, not stated", Reading{Core: "养老金涨多少", Terms: []Term{noun("养老金"), verb("涨")}, AsksFigure: true, FigureClause: "养老金涨多少"}, false, Closest, FigureMissing},
		{"figure stated, the asker's other words missing", Reading{Core: "低保 排队 盖章 跑腿 多少", Terms: []Term{noun("低保"), verb("排队"), verb("盖章"), verb("跑腿")}, AsksFigure: true, FigureClause: "低保多少"}, false, Answer, FigureStated},
		{"figure stated, the asker's own situation unwritten", Reading{Core: "我妈一个人住孤单寂寞,低保一个月多少", Judged: "我妈一个人住孤单寂寞,低保一个月多少",
			Terms: []Term{noun("一个人住"), noun("孤单"), noun("寂寞"), noun("低保")}, AsksFigure: true, FigureClause: "低保一个月多少"}, false, Answer, FigureStated},
		{"what is asked covered, the asker's own words not", Reading{Core: "我舅舅是退伍老兵有老兵证残疾军人伤残等级,助餐行动有吗", Judged: "我舅舅是退伍老兵有老兵证残疾军人伤残等级,助餐行动有吗",
			Terms: []Term{noun("退伍老兵"), noun("老兵证"), noun("残疾军人"), noun("伤残等级"), noun("助餐"), noun("行动")}}, false, Answer, AskedCovered},
		{"figure asked and stated", Reading{Core: "低保标准多少", Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: "低保标准多少"}, false, Answer, Covered},
		{"foreign place", Reading{Core: "低保标准", Terms: []Term{noun("低保"), noun("标准")}, Foreign: []string{"上海"}}, false, None, ForeignPlace},
		{"pointer with nothing before", Reading{Core: "那这个要钱吗", Terms: []Term{noun("低保")}, FollowUp: true}, false, None, NoTopic},
		{"pointer in a conversation", Reading{Core: "那这个标准呢", Terms: []Term{noun("低保"), noun("标准")}, FollowUp: true}, true, Answer, Covered},
		{"only greetings", Reading{Core: "", Empty: true}, false, None, NoTopic},
		{"a year after every year found", Reading{Core: "2028年低保标准多少", Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: "低保标准多少"}, false, None, BeyondHorizon},
		{"a programme known by name that no document names", Reading{Core: "长期护理保险待遇标准", Judged: "长期护理保险待遇标准", Terms: []Term{noun("长期护理保险"), noun("标准")}}, false, None, NoDocument},
		{"a national rule no passage speaks of", Reading{Core: "国家规定的低保标准", Terms: []Term{noun("低保"), noun("标准")}, National: true}, false, None, National},
		{"a national rule, the country named of another thing", Reading{Core: "国家规定的助餐标准", Terms: []Term{noun("助餐"), noun("标准")}, National: true}, false, None, National},
		{"opening hours no passage states", Reading{Core: "老年人助餐食堂几点开门", Terms: []Term{noun("老年人"), noun("助餐")}}, false, None, NotStated},
		{"opening hours beside a question the passage answers", Reading{Core: "老年人助餐食堂几点开门,有没有老年人助餐行动", Terms: []Term{noun("老年人"), noun("助餐"), noun("行动")}}, false, Answer, PartlyCovered},
		{"opening hours beside where it is", Reading{Core: "老年人助餐食堂几点开门,哪个街道有没有老年人助餐行动", Terms: []Term{noun("老年人"), noun("助餐"), noun("行动")}}, false, None, NotStated},
		{"an account uncovered, what is asked near", Reading{Core: "我爸查出肺癌,化疗掏空家底,我妈没工作,我打零工,养老金每月给多少", Judged: "我爸查出肺癌,化疗掏空家底,我妈没工作,我打零工,养老金每月给多少",
			Terms: []Term{noun("肺癌"), noun("化疗"), noun("家底"), noun("没工作"), noun("零工"), noun("养老金")}, AsksFigure: true, FigureClause: "养老金每月给多少"}, false, Closest, FigureMissing},
		{"a premise uncovered, the clause asking covered", Reading{Core: "我在外地打工好几年了搬砖,助餐行动有吗", Judged: "我在外地打工好几年了搬砖,助餐行动有吗",
			Terms: []Term{noun("外地"), noun("打工"), noun("搬砖"), noun("助餐"), noun("行动")}}, false, Answer, AskedCovered},
		{"a count asked of a district with no document", Reading{Core: "今年建成社区食堂多少个", Terms: []Term{noun("社区食堂")}, AsksFigure: true, FigureClause: "今年建成社区食堂多少个",
			Undocumented: []string{"辽宁省", "沈阳市", "铁西区"}}, false, None, CountyTotal},
		{"a per-head amount asked of a district with no document", Reading{Core: "人均低保金每月多少钱", Terms: []Term{noun("低保金")}, AsksFigure: true, AsksMoney: true, FigureClause: "人均低保金每月多少钱",
			Undocumented: []string{"辽宁省", "大连市", "甘井子区"}}, false, None, CountyTotal},
		{"a per-head amount called a standard", Reading{Core: "人均低保金标准多少", Terms: []Term{noun("低保金"), noun("标准")}, AsksFigure: true, AsksMoney: true, FigureClause: "人均低保金标准多少",
			Undocumented: []string{"辽宁省", "大连市", "甘井子区"}}, false, None, CountyTotal},
		{"which sites of a district with no document", Reading{Core: "具体哪几个社区有老年食堂", Terms: []Term{noun("社区"), noun("老年食堂")},
			Undocumented: []string{"辽宁省", "大连市", "金州区"}}, false, None, CountyList},
		{"which estates of a district with no document", Reading{Core: "今年要改造哪几个老旧小区", Terms: []Term{noun("老旧小区"), verb("改造")},
			Undocumented: []string{"辽宁省", "大连市", "甘井子区"}}, false, None, CountyList},
		{"which estates named first", Reading{Core: "2016年改造的老旧小区具体是哪几个", Terms: []Term{noun("老旧小区"), verb("改造")},
			Undocumented: []string{"辽宁省", "沈阳市", "铁西区"}}, false, None, CountyList},
		{"which sites, no district named", Reading{Core: "具体哪几个社区有老年食堂", Terms: []Term{noun("社区"), noun("老年食堂")}}, false, Answer, Covered},
		{"a district's own standard asked outright", Reading{Question: "大连金州区自己的城乡低保标准是每人每月多少", Core: "自己的城乡低保标准是每人每月多少", Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: "自己的城乡低保标准是每人每月多少",
			Undocumented: []string{"辽宁省", "大连市", "金州区"}}, false, None, CountyTotal},
		{"a standard asked of a district with no document", Reading{Core: "低保标准多少", Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: "低保标准多少",
			Undocumented: []string{"辽宁省", "沈阳市", "铁西区"}}, false, Answer, Covered},
		{"a year the passages reach", Reading{Core: "2025年低保标准多少", Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: "低保标准多少"}, false, Answer, Covered},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := r.Judge(tc.rd, hs, tc.history)
			if d.Kind != tc.want || d.Reason != tc.reason {
				t.Errorf("got %v/%s (coverage %.2f, key %q anchored %v), want %v/%s", d.Kind, d.Reason, d.Coverage, d.KeyTerm, d.Anchored, tc.want, tc.reason)
			}
		})
	}
	if d := r.Judge(Reading{Core: "低保", Terms: []Term{noun("低保")}}, nil, false); d.Kind != None || d.Reason != NothingFound {
		t.Errorf("no hits: %v/%s", d.Kind, d.Reason)
	}
}

// A how-to joined to the figure question by 、 is a second question: the
// figure not stated makes the answer closest, not nothing.
func TestHowJoinedToFigure(t *testing.T) {
	texts := []string{"全面落实高龄津贴政策。"}
	r := fakeReader(DefaultPolicy(), texts...)
	r.vocab["高龄津贴"] = 1
	q := "高龄津贴一个月多少钱、按年龄怎么分档"
	rd := Reading{Core: q, Judged: q, Terms: []Term{noun("高龄津贴"), {Text: "分档", Weight: 1.5, Focus: true}}, AsksFigure: true, FigureClause: q}
	if d := r.Judge(rd, hits(texts...), false); d.Kind != Closest || d.Reason != FigureMissing {
		t.Errorf("got %v/%s (coverage %.2f), want closest/figure_missing", d.Kind, d.Reason, d.Coverage)
	}
}

// A clause naming a measure by a term the documents use as a verb (改造)
// names the thing asked about; the asker's situation before it does not.
func TestKeyFromPolicyVerb(t *testing.T) {
	texts := []string{"完成245户家庭适老化改造工作。", "推进厕所革命。"}
	r := fakeReader(DefaultPolicy(), texts...)
	q := "家里厕所连个扶手都没有,给困难老人做改造,一共改多少户"
	rd := Reading{Core: q, Judged: q, Terms: []Term{noun("厕所"), noun("扶手"), verb("改造")}, AsksFigure: true, FigureClause: "一共改多少户"}
	if d := r.Judge(rd, hits(texts...), false); d.KeyTerm != "改造" {
		t.Errorf("key %q, want 改造", d.KeyTerm)
	}
}

// Which year is asked in 年; the figures counted so are years.
func TestYearAsked(t *testing.T) {
	if u := AskedUnit("主要针对哪一年以前建成的小区"); u != "年" {
		t.Errorf("AskedUnit = %q, want 年", u)
	}
	if !StatesUnit("年", "基本完成2000年年底前建成需改造的老旧小区") || StatesUnit("年", "改造老旧小区192个") {
		t.Error("StatesUnit(年)")
	}
	if AskedUnit("免费查牙几年级才有啊") != "年级" || AskedUnit("是哪一年级的学生") != "年级" || !StatesUnit("年级", "为全区小学二年级学生实施免费口腔健康检查") {
		t.Error("a school year asked and stated")
	}
	if !StatesUnit("年", "到2025年,基本完成改造") || AskedUnit("哪一年龄段的老人") == "年" {
		t.Error("a target year answers 到哪年; 哪一年龄段 asks no year")
	}
}

// A school year asked is not stated by a share of the same measure.
func TestGradeNotStatedByShare(t *testing.T) {
	share := []string{"全区适龄儿童口腔健康检查率达到100%,适宜儿童免费窝沟封闭率100%。"}
	grade := []string{"为全区小学二年级学生实施免费口腔健康检查和适宜儿童免费窝沟封闭服务。"}
	q := "免费查牙还做窝沟封闭,几年级才有啊"
	rd := Reading{Core: q, Judged: q, Terms: []Term{noun("窝沟封闭")}, AsksFigure: true, FigureClause: "几年级才有啊"}
	r := fakeReader(DefaultPolicy(), share...)
	r.vocab["窝沟封闭"] = 1
	if d := r.Judge(rd, hits(share...), false); d.FigureFound {
		t.Error("a share states no school year")
	}
	r = fakeReader(DefaultPolicy(), grade...)
	r.vocab["窝沟封闭"] = 1
	if d := r.Judge(rd, hits(grade...), false); !d.FigureFound {
		t.Error("二年级 states the school year")
	}
}

// Whether a thing costs is asked of the thing just before the asking, not
// of a rarer noun before it.
func TestCostAskedOfLastNoun(t *testing.T) {
	texts := []string{"实行农村义务教育阶段学生免费乘坐校车。", "开展中小学生信息素养提升实践活动。"}
	r := fakeReader(DefaultPolicy(), texts...)
	r.vocab["免费"], r.vocab["校车"], r.vocab["中小学生"] = 1, 1, 1 // the documents write them
	for _, q := range []string{"农村中小学生坐校车是不是不收费了", "农村中小学生坐校车免费吗"} {
		rd := Reading{Core: q, Judged: q, Terms: []Term{noun("农村"), noun("中小学生"), noun("校车")}}
		if d := r.Judge(rd, hits(texts...), false); d.KeyTerm != "校车" {
			t.Errorf("%s: key %q, want 校车", q, d.KeyTerm)
		}
	}
}

// A passage below the leading ones that alone names the thing asked about
// answers when it covers the words that ask.
func TestAskedCoveredBelow(t *testing.T) {
	texts := []string{"开展老年人助餐行动。", "建设社区食堂。", "推进养老服务。", "为新增低保户免费安装煤气报警器。"}
	r := fakeReader(DefaultPolicy(), texts...)
	r.vocab["报警器"], r.vocab["免费"] = 1, 1
	q := "我家是低保户,听说装报警器免费,是真的吗"
	rd := Reading{Core: q, Judged: q, Terms: []Term{noun("低保户"), noun("报警器"), noun("免费")}}
	d := r.Judge(rd, hits(texts...), false)
	if d.Kind != Answer || d.Reason != AskedCovered || d.AnchorAt != 3 {
		t.Errorf("got %v/%s anchored at %d (key %q), want answer/asked_covered at 3", d.Kind, d.Reason, d.AnchorAt, d.KeyTerm)
	}
}

// A figure stated for the thing asked about a little below the leading
// passages is found, and where: the answer shows it.
func TestFigureBelowLeading(t *testing.T) {
	texts := []string{"为空巢老人提供上门服务。", "开展独居老人关爱行动。", "为老年人家庭适老化改造。", "城乡低保标准不低于每人每月850元。"}
	r := fakeReader(DefaultPolicy(), texts...)
	rd := Reading{Core: "我妈一个人住,低保能涨到多少", Judged: "我妈一个人住,低保能涨到多少",
		Terms: []Term{noun("一个人住"), noun("低保")}, AsksFigure: true, FigureClause: "低保能涨到多少"}
	d := r.Judge(rd, hits(texts...), false)
	if !d.FigureFound || d.FigureAt != 3 {
		t.Errorf("figure found %v at %d, want at 3 (key %q)", d.FigureFound, d.FigureAt, d.KeyTerm)
	}
	if d := r.Judge(rd, hits(texts[:3]...), false); d.FigureFound || d.FigureAt != -1 {
		t.Errorf("no passage states it: found %v at %d", d.FigureFound, d.FigureAt)
	}
}

// Each threshold moves the decision it names.
func TestPolicyThresholds(t *testing.T) {
	texts := []string{"城乡低保标准不低于每人每月850元。"}
	rd := Reading{Core: "低保 排队 盖章 跑腿", Terms: []Term{noun("低保"), verb("排队"), verb("盖章"), verb("跑腿")}}
	// Each absent verb weighs 5 × 0.5 × AbsentVerbFactor 0.5 = 1.25, so
	// coverage is 2/(2+3.75) ≈ 0.35: closest by default, answer when the
	// bar drops below it, none when closest needs more.
	for _, tc := range []struct {
		field string
		v     float64
		want  Kind
	}{
		{"min_coverage", 0.36, Closest},
		{"min_coverage", 0.3, Answer},
		{"min_closest", 0.4, None},
		{"absent_verb_factor", 0.2, Answer},
	} {
		p := DefaultPolicy()
		if err := p.Set(tc.field, tc.v); err != nil {
			t.Fatal(err)
		}
		if d := fakeReader(p, texts...).Judge(rd, hits(texts...), false); d.Kind != tc.want {
			t.Errorf("%s=%.2f: %v (coverage %.2f), want %v", tc.field, tc.v, d.Kind, d.Coverage, tc.want)
		}
	}
}

func TestPolicySet(t *testing.T) {
	p := DefaultPolicy()
	for _, name := range p.Knobs() {
		if err := p.Set(name, 0.42); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if p.MinCoverage != 0.42 || p.CreditThesaurus != 0.42 {
		t.Errorf("Set did not reach the fields: %+v", p)
	}
	if err := p.Set("no_such_knob", 1); err == nil {
		t.Error("unknown knob accepted")
	}
}

// A thing no document writes, asked about with words the passage shares,
// is answered only when the passage shares a rare word with the question.
func TestUnwritten(t *testing.T) {
	p := DefaultPolicy()
	p.MaxCommonShare = 0.3
	texts := []string{"为65岁以上老年人免费接种流感疫苗。", "开发应用盲人乘车易。", "老年人助餐。", "老年人免费体检。", "健全养老服务体系。",
		"重度残疾人护理补贴标准提高到每人每月200元。", "实行农村学生免费乘坐校车。"}
	c := fakeCorpus{texts: texts, idf: map[string]float64{"老年人": 0.5, "免费": 1, "盲人": 4, "助餐": 2, "疫苗": 4, "养老": 2, "体系": 3, "护理补贴": 4, "残疾": 2, "乘坐": 4},
		df: map[string]int{"老年人": 3, "免费": 3, "盲人": 1, "助餐": 1, "疫苗": 1, "养老": 1, "体系": 1, "护理补贴": 1, "残疾": 1, "乘坐": 1}}
	r := readerOf(c, p)
	for _, tc := range []struct {
		name string
		rd   Reading
		hit  int
		want bool // refused as unwritten
	}{
		{"only common words shared", Reading{Core: "老年人坐公交车免费吗", Judged: "老年人坐公交车免费吗",
			Terms: []Term{noun("老年人"), noun("公交车"), noun("免费")}}, 0, true},
		{"a rare word shared", Reading{Core: "盲人坐公交车有啥帮助", Judged: "盲人坐公交车有啥帮助",
			Terms: []Term{noun("盲人"), noun("公交车")}}, 1, false},
		{"a kind of a thing the passage names", Reading{Core: "老年人打肺炎疫苗免费吗", Judged: "老年人打肺炎疫苗免费吗",
			Terms: []Term{noun("老年人"), noun("肺炎"), noun("疫苗"), noun("免费")}}, 0, true},
		{"an unwritten noun where the passage writes a sound-alike reads as a typo", Reading{Core: "养老夫妇体系是什么", Judged: "养老夫妇体系是什么",
			Terms: []Term{noun("养老"), noun("夫妇"), noun("体系")}}, 4, false},
		{"an unwritten noun where the passage writes another kind is a kind", Reading{Core: "接种肺炎疫苗免费吗", Judged: "接种肺炎疫苗免费吗",
			Terms: []Term{verb("接种"), noun("肺炎"), noun("疫苗")}}, 0, true},
		{"what the asker says of their family is not asked about", Reading{Core: "我爸是肢体残疾,护理补贴多少钱", Judged: "我爸是肢体残疾,护理补贴多少钱",
			Terms: []Term{noun("肢体"), noun("残疾"), noun("护理补贴")}}, 5, false},
		{"a place no gazetteer knows, whatever else is shared", Reading{Core: "常春市盲人坐公交车", Judged: "常春市盲人坐公交车",
			Terms: []Term{noun("常春"), noun("盲人")}}, 1, true},
		{"a Latin name before a noun the passage names is a kind of it", Reading{Core: "成年女性打hpv疫苗能免费吗", Judged: "成年女性打hpv疫苗能免费吗",
			Terms: []Term{noun("hpv"), noun("疫苗"), noun("免费")}}, 0, true},
		{"a noun joined by 的 to one the passage writes after another noun is a kind", Reading{Core: "有没有免费接种预防宫颈癌的疫苗", Judged: "有没有免费接种预防宫颈癌的疫苗",
			Terms: []Term{noun("免费"), verb("接种"), noun("宫颈癌"), noun("疫苗")}}, 0, true},
		{"a word joined by 的 that only describes what the passage writes is no kind", Reading{Core: "给瞎眼的盲人开发了啥", Judged: "给瞎眼的盲人开发了啥",
			Terms: []Term{noun("瞎眼"), noun("盲人")}}, 1, false},
		{"an English acronym before a noun the passage names is a kind of it", Reading{Question: "Is HPV vaccination free?", Core: "is hpv vaccination free", Judged: "hpv 疫苗 免费",
			Terms: []Term{{Text: "hpv", Weight: 0.2}, noun("疫苗"), noun("免费")}}, 0, true},
		{"a lower-case English word before it may be pinyin or a name", Reading{Question: "is butie vaccination free", Core: "is butie vaccination free", Judged: "butie 疫苗 免费",
			Terms: []Term{{Text: "butie", Weight: 0.2}, noun("疫苗"), noun("免费")}}, 0, false},
		{"the asker's people are no thing asked about", Reading{Core: "老年人家属问免费吗", Judged: "老年人家属问免费吗",
			Terms: []Term{noun("老年人"), noun("家属"), noun("免费")}}, 3, false},
		{"the object of a verb the passage has with another object is a kind", Reading{Core: "老年人乘坐公交免费吗", Judged: "老年人乘坐公交免费吗",
			Terms: []Term{noun("老年人"), verb("乘坐"), noun("公交"), noun("免费")}}, 6, true},
		{"a noun before it is no verb (残疾人专干)", Reading{Core: "重度残疾人专干有几个", Judged: "重度残疾人专干有几个",
			Terms: []Term{noun("重度残疾人"), noun("专干")}}, 5, false},
		{"a verb and its object cut as one word ask about the object", Reading{Core: "老年人坐地铁免费吗", Judged: "老年人坐地铁免费吗",
			Terms: []Term{noun("老年人"), noun("坐地铁"), noun("免费")}}, 0, true},
		{"what the asker says already holds is not asked about", Reading{Core: "俺儿子腿脚残了,护理补贴多少钱", Judged: "俺儿子腿脚残了,护理补贴多少钱",
			Terms: []Term{noun("腿脚"), noun("护理补贴")}}, 5, false},
		{"a premise the asker states shares its rare word, the question does not", Reading{Core: "盲人乘车都免费了,那老年人坐公交车免费不", Judged: "盲人乘车都免费了,那老年人坐公交车免费不",
			Terms: []Term{noun("盲人"), noun("老年人"), noun("公交车"), noun("免费")}}, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := retrieval.Hit{Passage: retrieval.Passage{Text: texts[tc.hit]}, Index: tc.hit, Score: 1}
			if d := r.Judge(tc.rd, []retrieval.Hit{h}, false); (d.Reason == Unwritten) != tc.want {
				t.Errorf("%v/%s (unwritten %q, rarest share %.2f, coverage %.2f), want refused as unwritten: %v", d.Kind, d.Reason, d.Unwritten, d.RarestShare, d.Coverage, tc.want)
			}
		})
	}
}

// A word found through the thesaurus counts as much as the word itself
// (CreditThesaurus), a long word's parts less (CreditPart).
func TestCredits(t *testing.T) {
	p := DefaultPolicy()
	r := fakeReader(p, "开展老年人助餐行动。", "室外健身路径体育器材。", "开展失业保险助企纾困行动。")
	for _, tc := range []struct {
		word    string
		passage int
		want    float64
	}{
		{"助餐", 0, 1},
		{"吃饭", 0, p.CreditThesaurus},
		{"健身器材", 1, p.CreditPart},
		{"失业保险金", 2, p.CreditThesaurus}, // written beside 失业保险 in the thesaurus
		{"护照", 0, 0},
		{"发", 0, 0}, // a lone character must be a whole word of the passage
	} {
		if got := r.found(tc.word, tc.passage); got != tc.want {
			t.Errorf("found(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}

func TestStripMeta(t *testing.T) {
	tests := []struct{ in, core string }{
		{"你好,我姓李,浑南区低保标准是多少?", "浑南区低保标准是多少"},
		{"社区里有个卧床的残疾人,家属问我大连这俩补贴每月多少,我该咋答", "社区里有个卧床的残疾人,大连这俩补贴每月多少"},
		{"您好 我是浑南区的李桂兰,我妈一个人住,低保每个月标准是多少", "我妈一个人住,低保每个月标准是多少"},
		{"我是浑南区的低保户,低保每个月标准是多少", "我是浑南区的低保户,低保每个月标准是多少"}, // no name: who they are
		{"我是社区网格员,居民问我大连有没有老年食堂,我该怎么跟他说?", "大连有没有老年食堂"},
		{"有居民问浑南的孤儿每月能领多少钱,我咋回答", "浑南的孤儿每月能领多少钱"},
		{"新手爸妈问浑南区育儿补贴发多少,我怎么答复", "浑南区育儿补贴发多少"},
		{"居民问新办低保的人家给免费装啥,文件咋写的", "新办低保的人家给免费装啥"},
		{"麻烦问下,沈阳的保障房有多少套", "沈阳的保障房有多少套"},
		{"我妈80岁了,住浑南,能去老年食堂吗", "我妈 ,住浑南,能去老年食堂吗"},
		{"大连八九十岁的老人有啥补助", "大连八九十岁的老人有啥补助"},
		{"65岁以上老人打疫苗免费吗,我妈70岁", "65岁以上老人打疫苗免费吗,我妈"},
		{"谢谢", ""},
		{"小助手你好,大连有没有家庭养老床位", "大连有没有家庭养老床位"},
		{"樊城区有村干部问我:襄阳五年内打算建几个新型农村社区", "襄阳五年内打算建几个新型农村社区"},
		{"浑南区怎么申请低保", "浑南区怎么申请低保"},
		// The reply's object after its verb; a worker's outreach plan.
		{"居民问我大连搞海葬要交多少钱,我是网格员,该怎么回复他?", "大连搞海葬要交多少钱"},
		{"社区想给辖区特困老人讲讲政策,浑南特困供养标准是多少", "浑南特困供养标准是多少"},
		{"我们想给居民宣传一下政策,浑南有社区食堂吗", "浑南有社区食堂吗"},
		{"给我讲讲低保政策", "给我讲讲低保政策"},
		{"社区里年轻妈妈问我浑南养孩子的补贴标准是多少,我是网格员该咋说?", "浑南养孩子的补贴标准是多少"},
		{"为什么社区不给老人讲解政策", "为什么社区不给老人讲解政策"},
		{"妈妈找工作有啥补贴", "妈妈找工作有啥补贴"},
		{"80岁至89岁老人高龄津贴多少", "80岁至89岁老人高龄津贴多少"},
		// A space between Chinese words ends a clause typed on a phone.
		{"我老家在沈阳农村 房子快塌了 改造多少户危房", "我老家在沈阳农村,房子快塌了,改造多少户危房"},
		{"how much is the pension", "how much is the pension"},
		// An English account before the question tells who asks.
		{"i'm a korean living in shenyang. how many new beds did the report plan", "how many new beds did the report plan"},
		{"my father is 85. can he get the allowance", "can he get the allowance"},
		{"i'm a migrant worker in xiangyang. what do i need for schooling", "i'm a migrant worker in xiangyang,what do i need for schooling"}, // names a topic
		{"i want to know the dibao standard", "i want to know the dibao standard"},                                                            // nothing follows: kept
		// what the asker does or is says who asks, whatever it names
		{"i volunteer at a children's charity in hunnan. how much do orphans get", "how much do orphans get"},
		{"i'm a foreigner working in dalian. how many new jobs", "how many new jobs"},
		{"i'm a teacher at a special school. what support is there", "i'm a teacher at a special school,what support is there"}, // names a topic
		// a worker's title must be followed by the asking itself
		{"社区工作人员咨询电话是多少", "社区工作人员咨询电话是多少"},
		{"我们社区想办个老年人健身活动,有没有资金支持", "我们社区想办个老年人健身活动,有没有资金支持"}, // an event asked about, no request for material
		// ... or before a year; a self-introduction run on into the question
		// keeps the question.
		{"我是浑南区社区的 2023年浑南完成多少户", "2023年浑南完成多少户"},
		{"走访困境儿童家庭时家长问孤儿养育标准多少", "孤儿养育标准多少"},
		{"街道让我摸底适老化改造需求 大连全市改造目标户数多少", "适老化改造需求,大连全市改造目标户数多少"},
		{"社区让我统计高龄津贴,标准是多少", "高龄津贴,标准是多少"}, // the survey's object stays
		{"我是快递员,有什么关爱政策", "我是快递员,有什么关爱政策"}, // a job, not a worker's title
		{"我是浑南街道的人才公寓怎么申请", "人才公寓怎么申请"},    // 的 goes, not 的人 of 人才
		{"高龄补贴 80岁 能领多少", "高龄补贴  ,能领多少"},   // a space before an age ends no clause
		{"我是民政专干,有居民打电话问重度残疾人护理补贴的标准,文件里写的是多少", "重度残疾人护理补贴的标准,文件里写的是多少"},
		{"我是网格员居民问低保标准多少", "居民问低保标准多少"},
		{"我是社区网格员", ""},
		// A worker named by title asks; what a resident wants to know.
		{"社区残协专干问一下:居民想知道大连市困难残疾人生活补贴以后的标准是多少,我该怎么答复?", "大连市困难残疾人生活补贴以后的标准是多少"},
		{"网格员请教:浑南低保多少", "浑南低保多少"},
		{"社工站怎么申请", "社工站怎么申请"},
		// a worker's event the question is for
		{"社区开反诈宣讲会 需要浑南区诈骗追赃返还的量化目标 帮我找一下", "需要浑南区诈骗追赃返还的量化目标"},
		{"社区开老年食堂", "社区开老年食堂"},
		{"我是沈阳和平区的助残员,乘车易怎么用", "乘车易怎么用"},
		{"我们是浑南一个社区的居委会,想问问区里对助餐的覆盖有啥目标", "想问问区里对助餐的覆盖有啥目标"},                      // a body introduces itself as we
		{"居委会这边好多双职工家长问,小学放学后管不管孩子", "小学放学后管不管孩子"},                                // who asks, counted and described
		{"老人们问区里打流感疫苗是不是不要钱", "区里打流感疫苗是不是不要钱"},                                    // who asks, in the plural
		{"我在浑南一个社区居委会工作,区里对助餐定了什么目标", "区里对助餐定了什么目标"},                              // where the worker works
		{"村民老问城乡居民基础养老金能涨到多少", "城乡居民基础养老金能涨到多少"},                                  // asked often
		{"低保户问以后标准咋调", "低保户 以后标准咋调"},                                              // who asks names the measure
		{"困难户问低保标准每年涨多少", "低保标准每年涨多少"},                                            // the question names its own measure
		{"我在大连金州区一个社区做残疾人专职委员,家属问我到2025年两项补贴标准各是多少,我该怎么跟他说?", "到2025年两项补贴标准各是多少"}, // the post the asker holds
		{"社区卫生站同事问:流感疫苗针对多大岁数", "流感疫苗针对多大岁数"},
		{"困难证明咋写", "困难证明咋写"},                 // how to write a paper is the question
		{"我们是不是可以去社区食堂吃饭", "我们是不是可以去社区食堂吃饭"}, // 我们是不是 asks
		{"我们是社区的,大连低保多少", "大连低保多少"},          // a body introduces itself
		// A worker's task before what they check.
		{"整理老台账要核对一下2015年全区人均低保金是多少", "2015年全区人均低保金是多少"},
		{"要核对一下", "要核对一下"}, // nothing follows: kept
		{"浑南区对零就业家庭有没有兜底的说法,我好答复他们", "浑南区对零就业家庭有没有兜底的说法"},
		{"有老人到社区问我大连高龄津贴一个月多少钱", "大连高龄津贴一个月多少钱"},
		{"家长在群里问浑南区学生免费口腔检查是针对哪些孩子的", "浑南区学生免费口腔检查是针对哪些孩子的"},
		{"整理材料要用2016年人均低保金的数,是多少", "2016年人均低保金的数,是多少"},
		// the topic itself is no task: kept
		{"浑南低保标准要核实一下是不是850", "浑南低保标准要核实一下是不是850"},
		{"做适老化改造要用什么材料", "做适老化改造要用什么材料"},
		{"我在浑南做低保工作需要什么材料", "我在浑南做低保工作需要什么材料"},
		// After the asker's account, where the question proper starts is marked.
		{"辖区一位老人过世了,家属想海葬,担心费用太高,请问大连海葬要不要钱", "辖区一位老人过世了,家属想海葬,担心费用太高,请问大连海葬要不要钱"},
		{"老人很多,家属常来问,想确认下高龄津贴每月多少", "老人很多,家属常来问,请问高龄津贴每月多少"},
		{"请问大连海葬要不要钱", "大连海葬要不要钱"},
		{"我在沈阳一个街道做民政,领导让我查一下2016年养老床位计划新增多少张,帮忙看看", "2016年养老床位计划新增多少张"},
	}
	for _, tc := range tests {
		if core, _ := stripMeta(tc.in); strings.TrimSpace(core) != tc.core {
			t.Errorf("stripMeta(%q) = %q, want %q", tc.in, core, tc.core)
		}
	}
}

func TestTypos(t *testing.T) {
	ti := newTypoIndex(map[string]int{"养老金": 3, "低保": 5, "助残": 1, "领域": 4, "三实": 2, "育儿补贴": 2, "发放": 3, "高龄津贴": 2, "打非": 2, "居住证": 4, "疫苗": 2, "补贴金": 2, "补贴": 5, "区县": 2, "做实": 3, "适老化改造": 2, "新增": 9, "适老": 1, "一品": 2, "弃管": 2, "先照": 1, "自建": 2, "海葬": 2, "接孩子": 1, "年底": 3, "津贴": 2, "设备": 4}, []string{"浑南", "大连", "大连市", "沙河口区", "沙河口", "抚顺", "群力", "鞍山", "哈尔滨", "石城乡"},
		func(s string) bool {
			return strings.Contains("实行三事工作法;实施创新行动;建设新型农村社区;骨灰海葬实行全免费;城乡居民养老保险", s)
		})
	tests := []struct {
		in, want string
	}{
		{"养劳金多少", "养老金多少"},
		{"浑楠低宝", "浑南低保"},
		{"住残服务", "助残服务"},
		{"有几类", "有几类"}, // question words are no typos
		{"建白天照顾老人的站子建多少个", "建白天照顾老人的站子建多少个"}, // 站子 ends with 子: 子建 is no typo of 自建
		{"养老金", "养老金"},           // right as written
		{"大连低保", "大连低保"},         // known words are left alone
		{"能领育儿补贴", "能领育儿补贴"},     // 领育 ends inside 育儿: not 领域
		{"讲讲三事", "讲讲三事"},         // the documents write 三事: not 三实
		{"大量养老床位", "大量养老床位"},     // a dictionary word: never a place (大连)
		{"我们想照他的意思", "我们想照他的意思"}, // 先照, one passage's word, sounds alike only folded
		{"养劳金发放标准", "养老金发放标准"},   // 金发 is a dictionary word, not the documents'
		{"打肺炎疫苗", "打肺炎疫苗"},       // 肺炎 is a word: 打肺 is no typo of 打非
		{"办了居住正能享受啥", "办了居住证能享受啥"},
		{"两项补贴今年说要提高", "两项补贴今年说要提高"},   // 今年 starts where 补贴今 would be 补贴金
		{"给困难老人做适老话改造", "给困难老人做适老化改造"}, // the longer typo wins over 做适 → 做实
		{"扶顺老人食堂", "抚顺老人食堂"},           // a neighbouring city without its suffix
		{"大连高领津贴多少", "大连高龄津贴多少"},       // 高领 is a word, 高领津贴 a typo
		{"家长在群里问", "家长在群里问"},           // 群里 is a stopword: no typo of the street 群力
		{"沙和口区低保", "沙河口区低保"},           // a place typed with a particle's sound-alike
		{"我妈是城乡居民养老保险", "我妈是城乡居民养老保险"}, // 城乡 is the documents' word: 是城乡 is no 石城乡
		{"大连失业金多少", "大连失业金多少"},         // 大连 is whole: 大连失 is no 大连市
		{"哈尔宾低保多少", "哈尔滨低保多少"},         // a place typed after a prefix that is a word (哈尔)
		{"沙合口区政府说", "沙河口区政府说"},         // and before a word its last character starts
		{"暖气费一平多少", "暖气费一平多少"},         // a count and its measure: no typo of 一品
		{"五方一起管", "五方一起管"},             // 一起 is a word: 起管 is no 弃管
		{"区现在低保多少", "区现在低保多少"},         // 现在 is a word: 区现 is no 区县
		{"和口", "和口"},                   // two characters with a particle stay
		{"安山低保多少", "鞍山低保多少"},
		{"大连适老话改造多少户", "大连适老化改造多少户"}, // the longer typo, not 大连适 → 大连市           // a place name no gazetteer holds, typed for a city
		{"鞍山低保多少", "鞍山低保多少"},
		{"大连海藏要钱吗", "大连海葬要钱吗"},           // 藏 is read cang first; typed for zang
		{"我家孩子自闭症", "我家孩子自闭症"},           // 家 read jie: 接孩子 is no document's word
		{"到25年低宝每人每月多少", "到25年低保每人每月多少"}, // 年 is the count's: 年低 is no 年底
		{"到2025年底多少", "到2025年底多少"},
		{"大连高领津帖多少", "大连高龄津贴多少"},     // two sound-alikes, mended in two passes
		{"适老化改造装什么设被", "适老化改造装什么设备"}, // 被 ends nothing typed: a typo
		{"老人被骗了", "老人被骗了"},           // the passive before its verb
		{"他们", "他们"},
	}
	for _, tc := range tests {
		if got, _ := ti.correct(tc.in); got != tc.want {
			t.Errorf("correct(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// what was typed is what the correction names
	if _, fixed := ti.correct("大连高领津帖多少"); fixed["高领津帖"] != "高龄津贴" || len(fixed) != 1 {
		t.Errorf("correct(大连高领津帖多少) fixed %v, want 高领津帖 → 高龄津贴", fixed)
	}
	// An English question's pinyin spells a document word.
	for latin, want := range map[string]string{"gaolingjintie": "高龄津贴", "yanglaojin": "养老金", "pension": ""} {
		if got := ti.spelled(latin); got != want {
			t.Errorf("spelled(%q) = %q, want %q", latin, got, want)
		}
	}
}

func TestQuestionForm(t *testing.T) {
	tests := []struct {
		q                    string
		how, yesNo, followUp bool
		tense                retrieval.Tense
		time                 []string
	}{
		{"浑南怎么申请低保", true, false, false, retrieval.TenseNone, nil},
		{"社区有老年食堂吗", false, true, false, retrieval.TenseNone, nil},
		{"能派人上门不", false, true, false, retrieval.TenseNone, nil},
		{"那大连呢", false, false, true, retrieval.TenseNone, nil},
		{"去年建了多少张床位", false, false, false, retrieval.TensePast, []string{"去年"}},
		{"现在低保标准是多少", false, false, false, retrieval.TenseNone, []string{"现在"}},
		{"今年要新建几个食堂", false, false, false, retrieval.TensePlan, []string{"今年"}},
	}
	for _, tc := range tests {
		if got := AsksHow(tc.q); got != tc.how {
			t.Errorf("AsksHow(%q) = %v", tc.q, got)
		}
		if got := asksYesNo(tc.q); got != tc.yesNo {
			t.Errorf("asksYesNo(%q) = %v", tc.q, got)
		}
		if got := IsFollowUp(tc.q); got != tc.followUp {
			t.Errorf("IsFollowUp(%q) = %v", tc.q, got)
		}
		if got := questionTense(tc.q); got != tc.tense {
			t.Errorf("questionTense(%q) = %v", tc.q, got)
		}
		if got := timeWords(tc.q); !reflect.DeepEqual(got, tc.time) {
			t.Errorf("timeWords(%q) = %v", tc.q, got)
		}
	}
}

func TestNeedsContext(t *testing.T) {
	tests := []struct {
		rd   Reading
		want bool
	}{
		{Reading{FollowUp: true}, true},
		{Reading{Terms: []Term{verb("装"), {Text: "户", Weight: 0.3}}}, true},
		{Reading{Terms: []Term{noun("低保")}}, false},
		{Reading{Terms: []Term{noun("目标"), noun("标准")}}, true},                                       // 2023年的目标是多少: whose target?
		{Reading{Places: []Located{{Mention: "大连"}}, Terms: []Term{{Text: "户", Weight: 0.3}}}, true}, // 大连呢 到25年做多少户
		{Reading{Places: []Located{{Mention: "大连"}}, Terms: []Term{noun("低保")}}, false},
		// who a measure is for and what a price is counted by name no thing:
		// "老人去吃一顿饭多少钱" after a question on 社区食堂
		{Reading{Terms: []Term{noun("老人"), noun("一顿饭")}}, true},
		{Reading{Terms: []Term{noun("要钱")}}, true}, // 要钱吗?一顿多少: whether what costs?
	}
	for i, tc := range tests {
		if got := tc.rd.NeedsContext(); got != tc.want {
			t.Errorf("%d: NeedsContext = %v, want %v", i, got, tc.want)
		}
	}
	// Words repeated from the earlier question name no thing of their own.
	rd := Reading{Terms: []Term{verb("改造"), {Text: "个", Weight: 0.3}}}
	if !rd.NeedsContextAfter("大连的老旧小区改造有什么计划") || rd.NeedsContextAfter("大连的养老院有几家") {
		t.Error("NeedsContextAfter: want 改造 to lean on a question about 改造 and not on another")
	}
	// naming a place and a thing, a question stands on its own
	rd = Reading{Places: []Located{{Mention: "大连"}}, Terms: []Term{noun("低保")}}
	if rd.NeedsContextAfter("浑南低保多少") {
		t.Error("NeedsContextAfter: 大连低保多少 after 浑南低保多少 stands on its own")
	}
}

// A figure counts only when it is stated for the thing asked about: a
// passage that names 高龄津贴 in a list without a number and gives 300元
// to another measure in the next sentence has no 高龄津贴 figure.
func TestFigureOfAnotherNoun(t *testing.T) {
	p := DefaultPolicy()
	texts := []string{"全面落实高龄津贴、失能老人补贴政策。困难残疾人生活补贴标准提高到每人每月300元。", "城乡低保标准不低于每人每月850元。"}
	r := fakeReader(p, texts...)
	for w, idf := range map[string]float64{"高龄津贴": 3, "每人每月": 0.5} {
		r.corpus.(fakeCorpus).idf[w] = idf
		r.vocab[w] = 1
	}
	tests := []struct {
		name   string
		rd     Reading
		hits   []retrieval.Hit
		want   Kind
		reason Reason
	}{
		{"another measure's figure", Reading{Core: "高龄津贴标准每人每月多少元", Terms: []Term{noun("高龄津贴"), noun("标准")},
			AsksFigure: true, AsksMoney: true, FigureClause: "高龄津贴标准每人每月多少元"}, hits(texts[0]), Closest, FigureMissing},
		{"its own figure", Reading{Core: "低保标准每人每月多少元", Terms: []Term{noun("低保"), noun("标准")},
			AsksFigure: true, AsksMoney: true, FigureClause: "低保标准每人每月多少元"},
			[]retrieval.Hit{{Passage: retrieval.Passage{Text: texts[1]}, Index: 1, Score: 1}}, Answer, Covered},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := r.Judge(tc.rd, tc.hits, false)
			if d.Kind != tc.want || d.Reason != tc.reason {
				t.Errorf("got %v/%s (key %q, figure found %v), want %v/%s", d.Kind, d.Reason, d.KeyTerm, d.FigureFound, tc.want, tc.reason)
			}
		})
	}
}

// A kind of measure asked alone for a group (老人) is answered only by a
// figure stated for that group: 困难残疾人生活补贴300元 is another group's.
func TestKindForAGroup(t *testing.T) {
	p := DefaultPolicy()
	texts := []string{"全面落实高龄津贴、失能老人护理补贴政策。困难残疾人生活补贴标准提高到每人每月300元。",
		"为80岁以上老人每月发放补贴100元。", "对80周岁以上老年人,每人每月发放补贴100元。"}
	r := fakeReader(p, texts...)
	for w, idf := range map[string]float64{"补贴": 0.5, "每月": 0.3} {
		r.corpus.(fakeCorpus).idf[w] = idf
		r.vocab[w] = 1
	}
	tests := []struct {
		name, q string
		english bool
		text    int
		want    Kind
	}{
		{"another group's figure", "80岁以上老人每月补贴多少", false, 0, Closest},
		{"the group's own figure", "80岁以上老人每月补贴多少", false, 1, Answer},
		{"in English", "how much is the monthly allowance for people over 80", true, 0, Closest},
		{"no group named", "每月补贴多少", false, 0, Answer},
		{"the group before the clause", "80岁以上老人每月补贴多少", false, 2, Answer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := tc.q
			if tc.english {
				fc = "每月 补贴"
			}
			rd := Reading{Core: tc.q, Judged: fc, English: tc.english, Terms: []Term{noun("补贴"), {Text: "每月", Weight: 0.3}},
				AsksFigure: true, FigureClause: fc}
			d := r.Judge(rd, []retrieval.Hit{{Passage: retrieval.Passage{Text: texts[tc.text]}, Index: tc.text, Score: 1}}, false)
			if d.Kind != tc.want {
				t.Errorf("got %v/%s (key %q, group %q), want %v", d.Kind, d.Reason, d.KeyTerm, d.Group, tc.want)
			}
		})
	}
}

func TestAskedGroup(t *testing.T) {
	for q, want := range map[string]string{"80岁以上老人每月补贴多少": "老人", "16岁以上残疾人每月补贴多少": "", "孩子的补助每月多少钱": "儿童",
		"how much is the subsidy for senior high school students": "", "monthly allowance for people over 80": "老人"} {
		rd := Reading{FigureClause: q, Core: q, English: !strings.ContainsAny(q, "岁孩")}
		got := ""
		if g := askedGroup(rd); g != nil {
			got = g[0]
		}
		if got != want {
			t.Errorf("askedGroup(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestAskingClauses(t *testing.T) {
	tests := []struct {
		core string
		want []string
	}{
		{"一个人住在浑南,听说低保要涨,到2025年每月最少能有多少", []string{"到2025年每月最少能有多少", "听说低保要涨"}},
		{"低保标准是多少", []string{"低保标准是多少"}},
		{"我妈住浑南,能上门送饭吗,要钱不", []string{"能上门送饭吗"}},
		{"浑南低保", []string{"浑南低保"}},
		{"我舅舅是失独家庭,住大连沙河口春柳那边,帮扶补贴每月多少", []string{"帮扶补贴每月多少", "我舅舅是失独家庭"}},
		{"我妈住院了,住院费能报多少", []string{"住院费能报多少", "我妈住院了"}},
		// the marked question comes first, then what leads up to it
		{"家属常来问高龄补助多少,说别的城市都有标准,请问高龄津贴每月多少", []string{"请问高龄津贴每月多少", "说别的城市都有标准", "家属常来问高龄补助多少"}},
		// a verb and its negation ask (要不要钱), not 动不动 (all the time)
		{"家里老人动不动就摔,浑南有没有适老化改造", []string{"浑南有没有适老化改造", "家里老人动不动就摔"}},
		{"家属担心费用太高,大连海葬要不要钱", []string{"大连海葬要不要钱", "家属担心费用太高"}},
		// 都没有 states a lack; it asks nothing.
		{"家里厕所连个扶手都没有,给困难老人做改造,一共改多少户", []string{"一共改多少户", "给困难老人做改造", "家里厕所连个扶手都没有"}},
		// 啥的 is "and such": that clause asks nothing.
		{"家里想装个扶手啥的,听说有适老化改造,一共改多少户", []string{"一共改多少户", "听说有适老化改造", "家里想装个扶手啥的"}},
	}
	for _, tc := range tests {
		if got := askingClauses(tc.core); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("askingClauses(%q) = %q, want %q", tc.core, got, tc.want)
		}
	}
}

// Who a measure is for is no key noun; what it is, is.
func TestKeyNounSkipsBeneficiaries(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "x")
	if got := r.keyNoun([]Term{noun("老人"), noun("助餐")}); got != "助餐" {
		t.Errorf("keyNoun = %q, want 助餐", got)
	}
	if got := r.keyNoun([]Term{noun("老年人")}); got != "" {
		t.Errorf("keyNoun of a beneficiary alone = %q, want none", got)
	}
}

// A kind of measure (补贴) asked about after the situation that says
// which one (失独家庭) is no key of its own: a 补贴 figure for another
// group does not answer it.
func TestKindOfMeasureTakesItsOwner(t *testing.T) {
	p := DefaultPolicy()
	texts := []string{"对计生特殊困难家庭实施帮扶补贴。困难残疾人生活补贴标准提高到每人每月300元。"}
	r := fakeReader(p, texts...)
	for w, idf := range map[string]float64{"失独家庭": 3, "补贴": 0.5, "帮扶": 1, "每月": 0.3} {
		r.corpus.(fakeCorpus).idf[w] = idf
		r.vocab[w] = 1
	}
	rd := Reading{Core: "我舅舅是失独家庭,帮扶补贴每月多少", Judged: "我舅舅是失独家庭,帮扶补贴每月多少",
		Terms: []Term{noun("失独家庭"), noun("帮扶"), noun("补贴")}, AsksFigure: true, FigureClause: "帮扶补贴每月多少"}
	d := r.Judge(rd, hits(texts...), false)
	if d.KeyTerm != "失独家庭" || d.Kind == Answer {
		t.Errorf("key %q, decision %v/%s; want key 失独家庭 and no answer", d.KeyTerm, d.Kind, d.Reason)
	}
}

func TestLatestYearAndHorizon(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"大连2028年养老金涨多少", 2028},
		{"到2025年,建成20000张床位", 2025},
		{"2016年比2015年增长3%", 2016},
		{"增长20.25%", 0},
		{"浑南区低保每月能领2050元吗", 0}, // a sum, not a year
		{"改造120000户", 0},
		{"到2030,养老床位", 2030},
		{"低保多少", 0},
	} {
		if got := latestYear(tc.text); got != tc.want {
			t.Errorf("latestYear(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
	hs := hits("到2025年,低保标准850元。", "开展助餐行动。")
	hs[1].Date = "2026-01-05"
	if got := horizon(hs); got != 2026 {
		t.Errorf("horizon = %d, want 2026 (a document's date counts)", got)
	}
}

// Which things, or what kinds: a list answers them.
func TestAsksList(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"适老化改造会普及哪些智能设备", true},
		{"品质养老进社区能提供啥服务", true},
		{"五方都是谁", true},
		{"那个五方具体指哪五方啊", true},
		{"what kinds of services are there", true},
		{"这五方具体包括谁", true},
		{"到底是哪几方在管老人", true},
		{"三级五方都有谁参与", true},
		{"低保标准是多少", false},
		{"谁能领高龄津贴", false},
	} {
		if got := containsAny(tc.q, listCues); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
}

// A vague noun (时间) is no key noun: "多长时间能下来" asks about nothing
// the documents could state.
func TestVagueNounIsNoKey(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	if k := r.keyNoun([]Term{noun("时间"), verb("下来")}); k != "" {
		t.Errorf("keyNoun = %q, want none", k)
	}
	if k := r.keyNoun([]Term{noun("计划"), noun("养老床位")}); k != "养老床位" {
		t.Errorf("keyNoun = %q, want 养老床位 (计划 places it in time)", k)
	}
	if k := r.keyNoun([]Term{noun("时间"), noun("低保")}); k != "低保" {
		t.Errorf("keyNoun = %q, want 低保", k)
	}
	// A proper name no document writes is a cut gone astray (金和 of
	// 低保金和), and a kind of area (开发区) says where, not what.
	if k := r.keyNoun([]Term{noun("金和"), noun("低保")}); k != "低保" {
		t.Errorf("keyNoun = %q, want 低保", k)
	}
	if k := r.keyNoun([]Term{noun("开发区"), noun("低保")}); k != "低保" {
		t.Errorf("keyNoun = %q, want 低保", k)
	}
	// How far a measure reaches and how it changes name no thing.
	if k := r.keyNoun([]Term{noun("全市"), noun("上涨"), noun("养老床位")}); k != "养老床位" {
		t.Errorf("keyNoun = %q, want 养老床位", k)
	}
	// Nor does where someone is from, who they are, or how big it is.
	for _, other := range []string{"外地", "大姐", "领导", "盘子", "老哥", "过日子"} {
		if k := r.keyNoun([]Term{noun(other), noun("上学")}); k != "上学" {
			t.Errorf("keyNoun(%s, 上学) = %q, want 上学", other, k)
		}
	}
}

func TestAskedAttribute(t *testing.T) {
	for _, tc := range []struct {
		q, want string
	}{
		{"浑南老年食堂几点开门", "开放时间"},
		{"浑南 老年食堂 几点开们", "开放时间"}, // 开们 typed for 开门
		{"流感疫苗几点开打", ""},
		{"老伴的医保卡丢了,在沙河口去哪儿补办", "办理材料和地点"}, // a lost card replaced
		{"襄阳樊城区居住证去哪个派出所办", "办理材料和地点"},
		{"what are the opening hours of the canteens", "开放时间"},
		{"那托管到几点", "开放时间"},
		{"what are the outpatient hours of the hospital", "开放时间"},
		{"社区食堂地址在哪", "地址"},
		{"五三街道的社区老年食堂在什么位置?几点开饭?", "开放时间"},
		{"养老服务中心电话多少", "电话"},
		{"我妈电话里说社区宣传三级五方,五方是谁", ""}, // how the asker heard it
		{"布洛芬一盒多少钱,社区医院能买到吗", "零售价格"},
		{"俺有高血压 吃啥药好使", "用药"},
		{"浑南鲜食玉米现在多少钱一斤", "零售价格"},
		{"想做那个适老化改造装扶手 上哪报名啊", "办理材料和地点"},
		{"老人问家里适老化改造该找谁申请,我咋回答", "办理材料和地点"},
		{"居民问“532”就业培训的报名地点和需要的材料,我该怎么回答", "办理材料和地点"},
		{"沈阳今年啥时候开始供暖", "开始日期"},
		{"俺血压高 硝苯地平一天吃几次", "用药"},
		{"沙和口那个人力资源市场在啥地方啊", "地址"},
		{"育儿补贴每个孩子发多少钱?啥时候开始发?", ""},
		{"浑南九小划片是哪几个小区", "学区划片"},
		{"which primary school is my apartment compound in hunnan zoned for", "学区划片"},
		{"孩子明年上小学 浑南的学区是咋划的", "学区划片"},
		{"我家孩子明年上小学,浑南白塔堡那片划到哪个学校", "学区划片"},
		{"浑南区养老院一个月收费多少", "机构收费"},
		{"社区的电话里能办吗,电话多少", "电话"},
		{"有居民打电话问低保标准多少", ""}, // how the worker was asked
		{"在哪些街道建养老服务综合体", ""}, // which streets, not where one is
		{"低保申请有几点要求", ""},     // how many points
		{"低保标准是多少", ""},
		{"那申请这个补贴要准备啥材料在哪个窗口办", "办理材料和地点"},
		{"what documents do i need for dibao", "办理材料和地点"},
		{"老年人大学在哪报名", "办理材料和地点"},
		{"我爸70了,免费的流感疫苗上哪儿打啊", "办理材料和地点"},
		{"大连 异地就医 备案 流程", "办理材料和地点"},
		{"文旅惠民消费券在哪个app上领", "办理材料和地点"},
		{"where exactly can seniors get the free flu vaccine", "办理材料和地点"},
		{"在哪个平台报名", ""}, // which one
		{"流动人口享受公共服务凭什么证件", "所需证件"},
		{"沈阳城乡居民医保今年一个人交多少钱", "医保缴费"},
		{"我在于洪区 社保断缴了三个月 能补缴吗", "个人缴费"},
		{"大连搞海葬要交多少钱", ""}, // a price, not a premium
		{"沈阳今年供暖费多少钱一平米?", "每平方米价格"},
		{"大连职工医保门诊报销比例是多少", "报销比例"},
		{"大连幼儿园2024年秋季报名啥时候开始", "报名时间"},
		{"在超市买到过期食品,能要求几倍赔偿?", "赔偿标准"},
		{"襄阳樊城区公办养老院一个月收多少钱", "机构收费"},
		{"浑南公办幼儿园今年几号开始报名", "报名时间"},
		{"浑南老年食堂一个月多少钱", ""}, // a meal's price is asked of the measure
		{"在浑南申请低保一般多少天能批下来", "办理时限"},
		{"帮我查下沙河口区医院周六上不上班", "开放时间"},
		{"职工养老保险还差6年才够15年,能不能一次性补缴?", "个人缴费"}, // asked by yes or no
		{"大连市申请公租房需要什么条件和材料?", "办理材料和地点"},
		{"大连 护理补贴 申请材料清单 现在", "办理材料和地点"},
		{"申请材料简化了多少", ""},
		// other words holding a cue
		{"申请失业保险金需要提交多少份材料", ""},
		{"低保年审材料没交齐,医保能补交吗", "医保缴费"}, // 医保 is in the clause asking
		{"老年大学一个班能报多少人", ""},
		{"医疗纠纷怎么索赔", ""}, // how to claim, not how much
		{"居民拿着过期食品来社区问能不能索赔、能赔几倍", "赔偿标准"},
		{"沈阳给孤儿上的意外伤害险,出了事能赔多少钱?", ""}, // the insurance's payout
		{"大连今年取暖费多少钱一平米", "每平方米价格"},
		{"how much do i pay for medical insurance in dalian", "医保缴费"},
		{"城乡居民养老保险一年交多少", "个人缴费"},
		{"高血压药 能停吗", "停药"},
		{"我妈吃降压药吃了五年了 现在血压一百二 能自己停药不", "停药"},
		{"慢性病药费报销能停吗", ""}, // whether a payment stops
		{"药店门口能不能停车", ""},
		{"can i stop taking my blood pressure pills", "停药"},
		{"高血压的药可以自己停吗?", "停药"},
		{"我妈高血压一直吃药,最近量着血压正常了,能不能把药停了?", "停药"},
		{"他想把降压药停了,行不行", "停药"},
		{"降压药能不能报销,停了以后还能报吗", ""}, // a payment
		{"窝沟封闭做完能马上吃饭吗", "医嘱"},
		{"孩子打完疫苗多久能洗澡", "医嘱"},
		{"after pit and fissure sealing, how long should my kid wait before eating", "医嘱"},
		{"做完体检能领补贴吗", ""}, // no act of the body after it
		{"高血亚的药能不能自己停啊", "停药"},
		{"他血压控制住了能不能自己停降压药", "停药"},
		{"我在浑南送外卖骑车摔伤了,平台应该赔我多少钱", "赔偿数额"},
		{"我爸做了手术干不了活能吃低保吗", ""},
		{"做完手术的老人能吃助餐吗", ""},
		{"打完疫苗能吃上免费午餐吗", ""},
		{"社区给老人发的智能血压计服务停了吗", ""}, // 能 of 智能
		{"which old housing estates in dalian get renovated and who gets priority", ""},
		{"how much severance does unemployment insurance pay", ""},
		{"这个补贴能停吗", ""},                         // no drug
		{"我老头子高血压 吃降压要吃了好几年了 现在血压正常了能停不", "停药"}, // 药 typed 要
		{"我老伴糖尿病 能吃红心地瓜不", "医嘱"},
		{"浑南65岁以上老人免费体检 要空腹不", "医嘱"},
		{"我妈血压160/100,该吃啥降压药?", "用药"},
		{"吃什么药能报销", ""}, // whether it is paid for
		{"吃什么降压药医保能报销", ""},
		{"老人吃啥饭有补贴", ""},
		{"孩子做窝沟封闭对牙有没有坏处 会不会疼", "医嘱"},
		{"慢性病老人在社区食堂能吃上饭吗", ""}, // whether meals are served
		{"重病家庭能吃低保吗", ""},
		{"我妈有高血压,一个人住,能吃低保吗", ""},
		{"糖尿病老人能吃社区食堂吗", ""},
		{"养老保险个人账户余额能继承吗", ""},
		{"工伤能赔多少", ""}, // what the insurance pays
		{"征地能赔多少钱", ""},
		{"can i sue the nursing home", "赔偿数额"},
		{"my mother was injured by a caregiver. how much compensation can we claim", "赔偿数额"},
		{"my disabled brother was fired by his company in dalian. how many months of severance can he claim", "赔偿数额"},
		{"how is a parent's apartment split among the children if there is no will", "继承"},
		{"how will the subsidy be split among districts", ""}, // no will, no estate
		{"我爸去世了 房子没写遗嘱 我和我姐咋分", "继承"},
		{"养老院护工打了我爸 我能起诉养老院吗 能赔多少", "赔偿数额"},
		{"低保户在单位干活被辞退了 没签合同 能要多少赔偿", "赔偿数额"},
		{"沈阳给孤儿上的意外伤害险,出了事能赔多少钱?", ""},
	} {
		got := ""
		if a := askedAttribute(tc.q); a != nil {
			got = a.Name
		}
		if got != tc.want {
			t.Errorf("askedAttribute(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
	if a := askedAttribute("医保一年交多少"); a.statedIn(hits("推进城乡居民基本医疗保险一体化。")) || a.statedIn(hits("推进缴费困难群体参加城乡居民养老保险,做好代缴保费工作。")) {
		t.Error("a medical premium is stated only where paying for medical insurance is spoken of")
	}
	if a := askedAttribute("养老保险自己交多少"); !a.statedIn(hits("推进缴费困难群体参加城乡居民养老保险,做好代缴保费工作。")) {
		t.Error("paying for pension insurance states its premium")
	}
	if a := askedAttribute("残联的电话是多少"); a.statedIn(hits("畅通12345热线诉求渠道。")) || !a.statedIn(hits("咨询电话:024-12345678。")) {
		t.Error("a hotline spoken of states no office's number; a number does")
	}
	if a := askedAttribute("能赔几倍"); a.statedIn(hits("健全学生意外伤害赔偿纠纷、物业纠纷等8类专业人民调解委员会。")) {
		t.Error("a count of committees beside 赔偿 states no damages")
	}
	if a := askedAttribute("凭什么证件"); !a.statedIn(hits("将基本公共服务纳入居住证制度。")) || a.statedIn(hits("加强认证管理。")) {
		t.Error("a named certificate states which one; 认证 does not")
	}
	a := askedAttribute("几点开门")
	if a.statedIn(hits("建成社区食堂15个。")) || !a.statedIn(hits("食堂每天10:30至13:00供餐。")) {
		t.Error("statedIn: want a time of day to state opening hours, and a count not to")
	}
	if a.statedIn(hits("15个工作日内办结。")) {
		t.Error("statedIn: a number of working days states no opening hours")
	}
	if askedAttribute("申请低保要带哪些材料").statedIn(hits("编印宣传材料,发放到户。")) {
		t.Error("statedIn: leaflets are no application materials")
	}
	if !askedAttribute("申请低保要带哪些材料").statedIn(hits("申请人持身份证到街道窗口申请。")) {
		t.Error("statedIn: an ID card and a window state what to bring and where")
	}
	if askedAttribute("申请低保要带哪些材料").statedIn(hits("推行一个窗口受理、一站式办理。")) {
		t.Error("statedIn: one window for everything says how services run, not where to apply")
	}
	if askedAttribute("社区食堂地址在哪").statedIn(hits("依据沈政发〔2023〕12号文件。")) {
		t.Error("statedIn: a document number is no address")
	}
}

// A number in the measure the question counts in states its figure where
// the documents name the thing differently; a number in another measure
// does not.
func TestUnitSentence(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	terms := []Term{noun("补贴性"), noun("职业技能培训"), noun("大连")}
	text := "落实终身职业技能培训制度。大连开展各类补贴性培训18万人次以上。"
	if u := askedUnit("大连补贴性职业技能培训要搞多少人次"); u != "人次" {
		t.Fatalf("askedUnit = %q", u)
	}
	if got := r.unitSentence(terms, "人次", text); got < 0.5 {
		t.Errorf("unitSentence(人次) = %.2f, want ≥ 0.5", got)
	}
	if got := r.unitSentence(terms, "户", text); got != 0 {
		t.Errorf("unitSentence(户) = %.2f, want 0", got)
	}
	for unit := range unitFigures {
		// 年 is read from 哪一年 (多少年 asks how long, not which year), 年级
		// from 几年级, 时长 from 多久
		if askedUnit("多少"+unit) != unit && !strings.HasPrefix(unit, "万") && unit != "年" && unit != "年级" && unit != "时长" && unit != "比值" {
			t.Errorf("unit %q has a pattern but askedUnit does not read it", unit)
		}
	}
}

func TestInnermost(t *testing.T) {
	city, district, other := []string{"辽宁省", "沈阳市"}, []string{"辽宁省", "沈阳市", "铁西区"}, []string{"辽宁省", "大连市"}
	got := innermost([][]string{city, district, other})
	if !reflect.DeepEqual(got, [][]string{district, other}) {
		t.Errorf("innermost = %v", got)
	}
	if got := innermost([][]string{city}); !reflect.DeepEqual(got, [][]string{city}) {
		t.Errorf("innermost of one = %v", got)
	}
}

// A passage below the leading ones that names the thing asked about is
// shown as the closest when the leading ones do not name it.
func TestAnchorBelowTheLeading(t *testing.T) {
	texts := []string{"城乡低保标准不低于每人每月850元。", "特困供养标准每人每月1300元。", "养老金按时足额发放。", "推动出台育儿补贴等政策。"}
	p := DefaultPolicy()
	rd := Reading{Core: "育儿补贴每个孩子给多少钱", Terms: []Term{noun("育儿补贴"), {Text: "钱", Weight: 0.3}}, AsksFigure: true, AsksMoney: true, FigureClause: "育儿补贴每个孩子给多少钱"}
	d := fakeReader(p, texts...).Judge(rd, hits(texts...), false)
	if d.Kind != Closest || d.AnchorAt != 3 {
		t.Errorf("got %v/%s anchored at %d, want closest at 3", d.Kind, d.Reason, d.AnchorAt)
	}
	p.AnchorDepth = 3
	if d := fakeReader(p, texts...).Judge(rd, hits(texts...), false); d.Kind != None {
		t.Errorf("AnchorDepth 3: got %v/%s, want none", d.Kind, d.Reason)
	}
}

func TestDocKind(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"沈阳政府工作报告里说新增多少养老床位", "政府工作报告"},
		{"how many beds does shenyang's work report plan", "政府工作报告"},
		{"襄阳十三五规划里的三事工作法", "规划"},
		{"how many beds did the city promise in its 2016 report", "政府工作报告"},
		{"沈阳2016年的报告说新增多少床位", "政府工作报告"},
		{"can i report a problem with my pension", ""},
		{"浑南低保标准多少", ""},
	} {
		if got := docKind(tc.q); got != tc.want {
			t.Errorf("docKind(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestWithoutHoldersOf(t *testing.T) {
	liaoning := []string{"辽宁省"}
	anshan := Located{Mention: "anshan", Place: []string{"辽宁省", "鞍山市"}}
	dalian := Located{Mention: "dalian", Place: []string{"辽宁省", "大连市"}, Region: []string{"辽宁省", "大连市"}}
	if got := withoutHoldersOf([][]string{liaoning}, []Located{anshan}); len(got) != 0 {
		t.Errorf("a province holding a foreign city stayed: %v", got)
	}
	if got := withoutHoldersOf([][]string{liaoning}, []Located{dalian}); len(got) != 1 {
		t.Errorf("a province holding a covered city was dropped: %v", got)
	}
}

// A programme known by name that no document names is what the question
// is about where it asks or where the asker heard of it, not where the
// asker says what they already have.
func TestUnnamedProgramme(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	r.vocab["护理补贴"] = 1 // the documents name it
	for _, tc := range []struct{ judged, want string }{
		{"听说有长期护理保险,一个月能报销多少钱", "长期护理保险"},
		{"长期护理保险的待遇标准", "长期护理保险"},
		{"我爸瘫在床上好几年了,重度残疾证也办了,护理补贴一个月给多少钱", ""},
		{"低保标准是多少", ""},
	} {
		if got := r.unnamedProgramme(Reading{Judged: tc.judged}, premises(tc.judged)); got != tc.want {
			t.Errorf("unnamedProgramme(%q) = %q, want %q", tc.judged, got, tc.want)
		}
	}
}

func TestMoneyClause(t *testing.T) {
	for _, tc := range []struct {
		clause string
		want   bool
	}{
		{"沙河口区人均低保金是多少", true},
		{"孤儿生活费每月多少", true},
		{"低保标准是多少", true},
		{"护理补贴发给多少人", false}, // counted in people
		{"养老金提高多少", false},   // how fast it grows
		{"免费托管的学校有多少", false},
		{"养老床位有多少", false},
		{"食品安全抽检量有什么标准", false}, // a quantity's standard
		{"老人食堂 饭钱多少", true},
		{"多少孩子上学不要钱", false},
	} {
		if got := moneyClause(tc.clause); got != tc.want {
			t.Errorf("moneyClause(%q) = %v, want %v", tc.clause, got, tc.want)
		}
	}
}

// A question for how much something grows wants a growth, not the level
// reached; the growth may be in the clause before the one naming it.
func TestRateAsked(t *testing.T) {
	for _, tc := range []struct {
		clause string
		want   bool
	}{
		{"那每年至少涨多少呢", true},
		{"兜底钱逐年往上提 每年提几个点", true},
		{"养老金提高多少", true},
		{"低保标准的增幅是多少", true},
		{"低保标准提高到多少", false},
		{"低保标准是多少", false},
		{"当时说增加多少张", false}, // how many were added
		{"提高了几个百分点", true},
		{"养老金涨多少钱", true},
		{"返还被骗资金要比上年多多少", true},  // more than the year before
		{"比上年多建几个", false},       // how many more built: a count
		{"返还被骗的钱一年要多返多少啊", true}, // how much more is returned
		{"how much will dalian raise its minimum living allowance each year", true},
		{"how much is the minimum living allowance each year", false}, // a level
	} {
		if got := rateAsked.MatchString(tc.clause); got != tc.want {
			t.Errorf("rateAsked(%q) = %v, want %v", tc.clause, got, tc.want)
		}
	}
	names := []string{"最低生活保障"}
	growth := "按照年度增长不低于3.5%的幅度,持续提高城乡最低生活保障和特困人员救助供养标准。"
	level := "城乡居民最低生活保障标准按照市级标准不低于每人每月850元。"
	if !statesFigure(names, growth, rateFigure) || statesFigure(names, level, rateFigure) {
		t.Error("a growth asked: want 3.5% stated and 850元 not")
	}
	if !statesFigure(names, level, moneyFigure) || statesFigure(names, growth, moneyFigure) {
		t.Error("money asked: want 850元 stated and 3.5% not")
	}
	// A share wants a percentage: an age is no sign-up rate.
	if !percentAsked.MatchString("家庭医生签约率是多少") || !percentAsked.MatchString("what is the sign-up rate") || percentAsked.MatchString("养老床位有多少张") ||
		!percentAsked.MatchString("区里定的社区覆盖目标是多少") || percentAsked.MatchString("覆盖多少个社区") {
		t.Error("percentAsked: want 签约率 and rate to ask a share, 床位 not")
	}
	doctors := []string{"家庭医生"}
	if statesFigure(doctors, "为65岁以上老年人提供家庭医生签约服务。", percentFigure) ||
		!statesFigure(doctors, "65岁以上老年人家庭医生签约率达到75%以上。", percentFigure) {
		t.Error("a share asked: want 75% stated and 65岁 not")
	}
}

// A comparison asks for figures, and a clause that only asks (哪个高)
// asks about the clause before it.
func TestFigureClause(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"沙河口的人均低保金和浑南的低保标准,哪个高", "沙河口的人均低保金和浑南的低保标准,哪个高"},
		{"我妈住浑南,低保一个月多少钱", "低保一个月多少钱"},
		{"浑南低保标准是多少", "浑南低保标准是多少"},
		{"具体多少她也说不清楚,浑南孤儿养育标准每月是多少", "浑南孤儿养育标准每月是多少"},      // not knowing is the story
		{"孤儿养育标准多少我也不知道", "孤儿养育标准多少我也不知道"},                 // the only clause asks
		{"他老战友每月能领几百块高龄补贴,大连的高龄津贴每月发多少钱", "大连的高龄津贴每月发多少钱"}, // a rough sum told
		{"他就问大连有没有、给多少,大连的高龄津贴每月发多少钱", "大连的高龄津贴每月发多少钱"},    // what someone else asked
		{"大连重残护理补贴每人每月提到几百块", "大连重残护理补贴每人每月提到几百块"},
		{"她说15年那会儿低保金才几百块,到底是多少来着", "她说15年那会儿低保金才几百块"},             // the later clause names nothing
		{"文件里还说要按比例一年年往上涨,想问问到2025年能涨到每月多少钱", "想问问到2025年能涨到每月多少钱"}, // a figure's word heard
		{"听说按比例往上涨,涨百分之几呢", "涨百分之几呢"},
		{"文件里说的比例是多少", "文件里说的比例是多少"}, // told and asked in one clause
	} {
		if got := figureClause(tc.q); got != tc.want {
			t.Errorf("figureClause(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestKeywordsForValue(t *testing.T) {
	for _, tc := range []struct {
		core string
		want bool
	}{
		{",育儿补贴,标准", true},
		{"浑南 低保 标准", true},
		{"低保标准", false},     // one phrase: a topic, not a search for a value
		{"高龄津贴的发放标准", true}, // a noun phrase standing for the question
		{"低保标准是什么", false},  // a question, read as one
		{"浑南 低保 申请", false},
		{"大连 高龄津贴 标准 每月", true},            // the value word among the keywords
		{"浑南 适老化改造 户数", true},              // a count searched for
		{"浑南 普惠幼儿园 覆盖率 2023年 2025年", true}, // a rate searched for
		{"浑南 率先 示范", false},                // 率先 ends in no 率
	} {
		if got := keywordsForValue(tc.core); got != tc.want {
			t.Errorf("keywordsForValue(%q) = %v, want %v", tc.core, got, tc.want)
		}
	}
}

// Coverage is counted in the leading passages that name the thing asked
// about, when one does: a passage sharing only the asker's other words
// covers nothing of it.
func TestCoverageKeyed(t *testing.T) {
	texts := []string{"城乡低保标准不低于每人每月850元。", "开展老年人助餐行动。"}
	r := fakeReader(DefaultPolicy(), texts...)
	rd := Reading{Core: "低保 老年人 助餐", Judged: "低保 老年人 助餐", Terms: []Term{noun("低保"), noun("老年人"), noun("助餐")}}
	d := r.Judge(rd, hits(texts...), false)
	if d.KeyTerm != "低保" || d.Coverage > 0.4 {
		t.Errorf("key %q, coverage %.2f: want 低保 and the coverage of the passage naming it (0.36)", d.KeyTerm, d.Coverage)
	}
}

// 怎么 before a verb of saying asks what a rule says, not how to act.
func TestSayingIsNoFocus(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	for q, want := range map[string]bool{"文件对零就业家庭是怎么要求的": false, "低保怎么申请": true} {
		focus := false
		for _, tm := range r.terms(q) {
			focus = focus || tm.Focus
		}
		if focus != want {
			t.Errorf("%q: focus %v, want %v", q, focus, want)
		}
	}
}

// A city question does not take a district's figure for the city's, unless
// the place was named only by a street, which stands for the districts it
// could be in.
func TestFigureOfDistrict(t *testing.T) {
	texts := []string{"推进低保扩面工作。", "人均低保金增长到610元。"}
	r := fakeReader(DefaultPolicy(), texts...)
	city, district := []string{"辽宁省", "大连市"}, []string{"辽宁省", "大连市", "沙河口区"}
	hs := hits(texts...)
	hs[0].Region, hs[1].Region = city, district
	for _, tc := range []struct {
		mention string
		want    bool
	}{{"大连", false}, {"某某街道", true}} {
		rd := Reading{Core: "低保每月多少钱", Judged: "低保每月多少钱", Terms: []Term{noun("低保")}, AsksFigure: true, AsksMoney: true,
			FigureClause: "低保每月多少钱", Regions: [][]string{city}, Places: []Located{{Mention: tc.mention, Place: city, Region: city}}}
		if d := r.Judge(rd, hs, false); d.FigureFound != tc.want {
			t.Errorf("named as %q: figure found %v, want %v", tc.mention, d.FigureFound, tc.want)
		}
	}
}

func TestResidence(t *testing.T) {
	for c, want := range map[string]bool{"我妈住在浑南": true, "老家在大连": true, "听说要办个居住证": false, "住院能报销多少": false} {
		if got := residence(c); got != want {
			t.Errorf("residence(%q) = %v, want %v", c, got, want)
		}
	}
}

func TestAbbreviates(t *testing.T) {
	for _, tc := range []struct {
		short, long string
		want        bool
	}{
		{"新农合", "新型农村合作医疗", true},
		{"低保", "最低生活保障", true},
		{"低保", "低收入", false},
		{"低保", "低保", false}, // the same word is no abbreviation
	} {
		if got := abbreviates(tc.short, tc.long); got != tc.want {
			t.Errorf("abbreviates(%q, %q) = %v, want %v", tc.short, tc.long, got, tc.want)
		}
	}
}

// "how do I …" keeps its how, so that the action after it is weighed as a
// how-question's focus; "how much" asks no procedure.
func TestEnglishTermsHow(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"how do i transfer my child's hukou", true},
		{"how does she get a replacement card", true},
		{"how to apply for dibao", true},
		{"how can his family get schooling", false},
		{"where do i submit the application", true},
		{"where is the new canteen", false},
		{"how much is the dibao standard", false},
		{"how many canteens will be built", false},
	} {
		if got := strings.Contains(" "+englishTerms(tc.q)+" ", " how "); got != tc.want {
			t.Errorf("englishTerms(%q) = %q, keeps how: %v, want %v", tc.q, englishTerms(tc.q), got, tc.want)
		}
	}
}

// An English question's policy terms keep its word order: "pneumonia
// vaccine" is a kind of vaccine.
func TestEnglishTermsOrder(t *testing.T) {
	if got := englishTerms("can seniors get the pneumonia vaccine for free"); !strings.Contains(got, "肺炎 疫苗") {
		t.Errorf("englishTerms = %q, want 肺炎 疫苗 in order", got)
	}
	// "poor" inside "extremely poor" reads as the phrase, not as itself.
	got := englishTerms("and for (extremely poor) people? how much per month")
	if !strings.Contains(got, "特困人员") || strings.Contains(got, "社会救助") {
		t.Errorf("englishTerms = %q, want 特困人员 and not 社会救助", got)
	}
	if got := englishTerms("help for poor families"); !strings.Contains(got, "社会救助") {
		t.Errorf("englishTerms = %q, want 社会救助 for poor alone", got)
	}
}

// A question asking whether something costs is read as such.
func TestAsksCost(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"免费提供上门服务。"}})
	for q, want := range map[string]bool{"浑南上门养老服务现在收费吗": true, "海葬要不要钱": true, "Is the flu shot free of charge?": true, "低保标准是多少": false} {
		rd, err := r.Read(q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if rd.AsksCost != want {
			t.Errorf("%s: AsksCost %v, want %v", q, rd.AsksCost, want)
		}
	}
}

// 老人家 is read as 老人, so that its last character is not glued to the
// next word (老人家装 → 老人/家装, a thing no document names).
func TestSpokenForms(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"为80岁以上老人免费安装智能养老服务设备。", "家庭医生签约率达到75%。"}})
	rd, err := r.Read("听说给80岁以上老人家装智能养老设备,要自己花钱不", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if hasTerm(rd.Terms, "家装") || !hasTerm(rd.Terms, "老人") {
		t.Errorf("terms %v: want 老人 and no 家装", rd.Terms)
	}
	// 家 starting a word of its own stays: 老人 家庭医生.
	rd, err = r.Read("65岁以上老人家庭医生签约率是多少", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasTerm(rd.Terms, "家庭医生") && !hasTerm(rd.Terms, "家庭") {
		t.Errorf("terms %v: want 家庭医生 kept", rd.Terms)
	}
}

// A city and its own district compared, or each asked about in a clause
// of its own, are both asked about; a district named beside its city's
// name (沈阳浑南) is one place.
func TestComparesNested(t *testing.T) {
	c := fakeCorpus{texts: []string{"新增养老床位700张。"}, regions: [][]string{{"辽宁省", "沈阳市"}, {"辽宁省", "沈阳市", "浑南区"}}}
	r := gazetteerReader(t, c)
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"沈阳和浑南的养老床位各新增多少张", true},
		{"沈阳16年新增养老床位多少张,浑南2023年新增多少张", true},
		{"沈阳浑南新增养老床位多少张", false},
		{"我住沈阳,浑南新增养老床位多少张", false}, // only one clause asks
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if rd.Compares != tc.want {
			t.Errorf("%s: compares %v, want %v (regions %v)", tc.q, rd.Compares, tc.want, rd.Regions)
		}
	}
}

// A place the asker comes from is not what they ask about: the covered
// place they live in is, and no foreign place is reported.
func TestOriginPlace(t *testing.T) {
	c := fakeCorpus{texts: []string{"实行居住证管理。"}, regions: [][]string{{"湖北省", "襄阳市"}}}
	r := gazetteerReader(t, c)
	for _, tc := range []struct {
		q       string
		foreign int
	}{
		{"俺们从河南老家来襄阳打工,孩子上学咋整", 0},
		{"老家是河南的,在襄阳打工,看病能报销吗", 0},
		{"我们是河南过来的,在襄阳打工,孩子上学咋整", 0},
		{"我爸住襄阳,我在深圳上班,他能领居住证吗", 0},        // where the asker is
		{"我爸妈在襄阳樊城区住,我在深圳上班顾不上,五方是哪几方", 0}, // where the asker is, and why they cannot be there
		{"我爸住樊城,我在深圳,深圳的低保多少", 1},          // asked about too
		{"我家在襄阳,我在深圳能领低保吗", 1},             // 我在深圳能领… asks of 深圳
		{"俺是河南来襄阳打工的,孩子想在这边上学", 0},
		{"河南和襄阳的低保哪个高", 1},   // both asked
		{"我从河南来,想问郑州的低保", 2}, // no covered place: nothing to prefer
		// where relatives are, beside where the one asked about lives
		{"我妈住樊城 我大哥在上海 我在深圳 她能领居住证吗", 0},
		{"我老家在郑州,在襄阳打工,郑州现在低保多少", 1},          // asked of it again
		{"我爸妈在襄阳樊城,打算把我妈接到上海,到上海的话那边低保多少", 1}, // asked of the place they move to
		{"听说樊城那边低保涨了,俺们襄州这边低保多少", 0},          // heard of one, asked of the other
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rd.Foreign) != tc.foreign {
			t.Errorf("%s: foreign %v, want %d", tc.q, rd.Foreign, tc.foreign)
		}
		if tc.foreign == 0 && len(rd.Regions) != 1 {
			t.Errorf("%s: regions %v, want 襄阳", tc.q, rd.Regions)
		}
	}
	// Nor one named only where the asker introduces themselves, when the
	// question proper names places of its own.
	rd0, err := r.Read("我是樊城区的网格员,居民问襄州区和襄城区的居住证哪个办得多", Request{})
	if err != nil {
		t.Fatal(err)
	}
	for _, reg := range rd0.Regions {
		if reg[len(reg)-1] == "樊城区" {
			t.Errorf("regions %v hold the worker's own district", rd0.Regions)
		}
	}
	// A covered place where a relative is does not stand for the place
	// the question is about.
	rd, err := r.Read("我妈住樊城那边,我妹在沈阳,居住证能办吗", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Regions) != 1 || rd.Regions[0][len(rd.Regions[0])-1] != "樊城区" {
		t.Errorf("regions %v, want 樊城区 alone", rd.Regions)
	}
}

// 怎么收费 asks the price, not how to do something: 收费 is no focus.
func TestPriceIsNoFocus(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	for _, tc := range r.terms("老年餐桌咋收费") {
		if tc.Focus {
			t.Errorf("%s is a focus", tc.Text)
		}
	}
	focus := false
	for _, tc := range r.terms("低保怎么申请") {
		focus = focus || tc.Focus && tc.Text == "申请"
	}
	if !focus {
		t.Error("怎么申请: want 申请 as the focus")
	}
}

// A term the documents use reads as a noun where the dictionary tags it
// an attribute (无障碍), not where it is a verb (筹集) or a time (每月).
func TestPolicyTermNouns(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	want := map[string]bool{"无障碍": true, "筹集": false, "每月": false, "几万人": false}
	for _, tc := range r.terms("无障碍改造 筹集 每月 目标几万人") {
		if w, ok := want[tc.Text]; ok && tc.Noun != w {
			t.Errorf("%s: noun %v, want %v", tc.Text, tc.Noun, w)
		}
	}
}

// A follow-up naming its own thing searches with the earlier topic, its
// carried words weighed at CarriedWeight.
func TestCarriedWeight(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	c := fakeCorpus{texts: []string{"新建10所社区养老服务中心。建设区老年人大学。"}, idf: map[string]float64{"老年人大学": 4, "养老服务中心": 3}}
	p := DefaultPolicy()
	p.CarriedWeight = 0.25
	r, err := NewReader(c, p, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.Read("那老年人大学建不建?", Request{Context: "社区养老服务中心新建几所?"})
	if err != nil {
		t.Fatal(err)
	}
	own, carried := rd.Words["老年人大学"], rd.Words["社区"]
	if own != 1 || carried == 0 || carried > 0.25+1e-6 {
		t.Errorf("weights: own %.2f, carried %.2f; want 1 and at most 0.25 (%v)", own, carried, rd.Words)
	}
}

// An English account told before the asking sentence searches with its
// words weighed at AccountWeight; the asking sentence's at full weight.
func TestAccountWeight(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	c := fakeCorpus{texts: []string{"新增养老床位4000张。", "护理型床位占比达到65%。"}, idf: map[string]float64{"床位": 3, "护理": 2}}
	p := DefaultPolicy()
	p.AccountWeight = 0.25
	r, err := NewReader(c, p, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.Read("My grandparents waited ages for a nursing-home bed. How many new beds did the city promise to add?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	asked, told := rd.Words["床位"], rd.Words["护理"]
	if asked < 0.99 || told == 0 || told > 0.25+1e-6 {
		t.Errorf("weights: asked %.2f, told %.2f; want 1 and at most 0.25 (%v)", asked, told, rd.Words)
	}
}

// A clause asking whether a thing costs asks it of the thing before it:
// "老人去世了想骨灰海葬,现在政府是全免吗" is about 骨灰海葬.
func TestCostAskedOfTheThingBefore(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"现在政府是全免吗", "现在政府"},
		{"打流感疫苗要钱不", "打流感疫苗"},
		{"免费装啥", "免费装啥"},
		{"收费标准是多少", "收费标准是多少"},
	} {
		if got := costAsked.ReplaceAllString(tc.in, ""); got != tc.want {
			t.Errorf("costAsked in %q leaves %q, want %q", tc.in, got, tc.want)
		}
	}
}

// An age asked (多大岁数能打) is counted in 岁, and a sentence stating one
// states the figure.
func TestAgeAsked(t *testing.T) {
	for _, tc := range []struct{ clause, unit string }{
		{"多大岁数能打", "岁"}, {"几岁以上免费", "岁"}, {"what age can they get it", "岁"},
		{"岁数大的老人发的津贴多少钱", ""}, {"建了多少个食堂", "个"},
		{"十几岁的孩子补贴多少", ""}, {"每个月上门服务多少小时", "小时"},
		{"低保一年能涨几个百分点", ""}, {"每年涨几个点", ""}, // a rate, not a count of 个
		{"社区食堂建了几个点", "个"}, // sites counted
		{"城乡低保差距要缩到几比几", "比值"}, {"城乡低保标准比值是多少", "比值"},
		{"区里说多快能给安排上", "时长"},
	} {
		if got := askedUnit(tc.clause); got != tc.unit {
			t.Errorf("askedUnit(%q) = %q, want %q", tc.clause, got, tc.unit)
		}
	}
	if !unitFigures["比值"].MatchString("城乡低保标准比值逐步缩小至1.2:1") || unitFigures["比值"].MatchString("年均增幅不低于8%") {
		t.Error("比值 is not read as one number to another")
	}
	if !unitFigures["岁"].MatchString("为65岁以上老年人免费接种流感疫苗") {
		t.Error("65岁 does not state an age")
	}
}

// An English question quoting a Chinese term is English, and the term is
// kept among its words.
func TestEnglishQuotingChinese(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"how much is the monthly allowance for the very elderly (高龄津贴) in dalian?", true},
		{"how much is the pension?", true},
		{"hpv疫苗免费吗", false},
		{"请问app怎么下载", false},
	} {
		if got := isEnglish(tc.q); got != tc.want {
			t.Errorf("isEnglish(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := englishTerms("the allowance (高龄津贴)"); !strings.Contains(got, "高龄津贴") {
		t.Errorf("englishTerms dropped the quoted term: %q", got)
	}
}

// A key term the documents do not write is shown by their word for it.
func TestKeyShown(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "城乡居民最低生活保障标准不低于每人每月850元。")
	rd := Reading{Core: "吃低保的一个月多少钱", Judged: "吃低保的一个月多少钱", AsksFigure: true, FigureClause: "吃低保的一个月多少钱",
		Terms: []Term{noun("吃低保")}}
	d := r.Judge(rd, hits("城乡居民最低生活保障标准不低于每人每月850元。"), false)
	if d.KeyTerm != "吃低保" || d.KeyShown != "最低生活保障" {
		t.Errorf("key %q shown as %q, want 吃低保 shown as 最低生活保障", d.KeyTerm, d.KeyShown)
	}
}

func TestPremises(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"听说老人打疫苗都免费,那坐公交车也免费吗", []string{"听说老人打疫苗都免费"}},
		{"社保卡丢了,咋补办", []string{"社保卡丢了"}},
		{"我爸是一级肢体残疾,护理补贴多少钱", []string{"我爸是一级肢体残疾"}},
		{"浑南低保多少钱,那个标准啥时候定的", nil},
		{"那大连呢", nil},
		{"我爸瘫了好几年有残疾证,生活补贴一个月发多少", []string{"我爸瘫了好几年有残疾证"}},
		{"怎么办残疾证", nil},
		{"补贴发了吗,发了多少了", nil},
		{"俺们家帮着养亲戚家没爹妈的孩子,孤儿养育费多少", []string{"俺们家帮着养亲戚家没爹妈的孩子"}},
		{"我想了解浑南的低保,标准多少", nil},
		{"低保标准是多少,那大连呢", nil},
		{"俺爸在金州瘫床上好几年了,办了一级残疾证,听说给重残的发护理补贴,一个月给多少", []string{"俺爸在金州瘫床上好几年了", "办了一级残疾证"}},
		{"办残疾证,要啥材料", nil},
		{"社区有户人家两口子都失业在家,对零就业家庭有没有兜底的说法", []string{"社区有户人家两口子都失业在家"}},
		{"有家政补贴,怎么申请", nil}, // 有家政 describes no case
		// an account before the marked question is its circumstances
		{"家属想海葬,担心费用太高,请问海葬要不要钱", []string{"家属想海葬", "担心费用太高"}},
		{"有没有", nil},
		{"孩子在沙河口上小学,学区是咋划的", []string{"孩子在沙河口上小学"}},
		{"孩子在哪上学", nil},
		// a long account before the first asking clause is the asker's
		// story; the clause before the asking one may name the topic
		{"我妈一个人住,腿脚不利索,我爸走得早,我弟下岗了,听说低保标准还要涨,一个月最少能有多少", []string{"我妈一个人住", "腿脚不利索", "我爸走得早", "我弟下岗了"}},
		{"我妈一个人住,腿脚不利索,听说低保标准还要涨,一个月最少能有多少", []string{"我妈一个人住", "腿脚不利索"}},
		// a clause with no subject of its own goes on with the asker's
		{"我妈一个人住浑南,身体不好没收入刚办上低保,听说以后低保钱还要涨,到25年一个月最少能拿多少", []string{"我妈一个人住浑南", "身体不好没收入刚办上低保"}},
		{"我妈住浑南,想了解下低保政策,在哪申请", []string{"我妈住浑南"}},      // a request is no account
		{"我爸瘫痪在床,适老化改造,怎么申请", []string{"我爸瘫痪在床"}},       // a topic put first says nothing of him
		{"他们都说有长期护理保险,一个月能报多少", nil},                    // what they say is hearsay
		{"我们家谁也不会用手机,低保怎么网上申请", []string{"我们家谁也不会用手机"}}, // 谁也: no one, not a question
		// only a relative's account carries on; an institution starts anew
		{"我在沈阳于洪区,社保断缴三个月,能补缴吗", []string{"我在沈阳于洪区"}},
		{"我家孩子在大连上学,学校订的配餐公司,有没有认证要求", []string{"我家孩子在大连上学"}}, // 学校 starts anew
		{"我妈听社区说有个“三级五方”,她自己也说不清楚,五方是谁", []string{"我妈听社区说有个“三级五方”", "她自己也说不清楚"}},
		{"我妈住浑南,那边条件不错,低保多少", []string{"我妈住浑南"}}, // 那 turns to another thing
	} {
		got := premises(tc.q)
		if len(got) != len(tc.want) {
			t.Errorf("premises(%q) = %v, want %v", tc.q, got, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("premises(%q) = %v, want %v", tc.q, got, tc.want)
			}
		}
	}
}

// 才 of "only then" is cut apart from the word before it: 老人才有 is 老人
// 才有, not 老 人才 有.
func TestOnlyThen(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	var got []string
	for _, tm := range r.terms("多大岁数的老人才有") {
		got = append(got, tm.Text)
	}
	if !slices.Contains(got, "老人") || slices.Contains(got, "人才") {
		t.Errorf("terms = %v, want 老人 and no 人才", got)
	}
	got = nil
	for _, tm := range r.terms("引进人才能享受什么政策") {
		got = append(got, tm.Text)
	}
	if !slices.ContainsFunc(got, func(w string) bool { return strings.Contains(w, "人才") }) || slices.Contains(got, "才能") {
		t.Errorf("terms = %v, want 人才 kept whole", got)
	}
}

// A word no document writes that is a written word and one character more
// (免费打) is the dictionary's compound, not a thing asked about.
func TestUnknownCompound(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "为65岁以上老年人免费接种流感疫苗。")
	for w, want := range map[string]bool{"免费打": true, "公交车": false, "疫苗": false, "打疫苗": true, "免费卡": false} {
		if got := r.unknownCompound(w); got != want {
			t.Errorf("unknownCompound(%q) = %v, want %v", w, got, want)
		}
	}
}

// A word the thesaurus lists names what its own line says, not what the
// words inside it stand for, nor a term it holds.
func TestNamesOfListedWord(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	if got := r.names("高龄补助"); !slices.Contains(got, "高龄津贴") || slices.Contains(got, "补贴") {
		t.Errorf("names(高龄补助) = %v, want 高龄津贴 and not 补贴", got)
	}
	if got := r.names("生育津贴"); !reflect.DeepEqual(got, []string{"生育津贴"}) {
		t.Errorf("names(生育津贴) = %v, want itself only (a measure's name, not 津贴)", got)
	}
	if got := r.names("加装电梯"); !reflect.DeepEqual(got, []string{"加装电梯"}) {
		t.Errorf("names(加装电梯) = %v, want itself only", got)
	} // a rate is stated as a share of its stem (确保…毕业生100%就业)
	if got := r.names("就业率"); !slices.Contains(got, "%就业") {
		t.Errorf("names(就业率) = %v, want %%就业 among them", got)
	}
	if got := r.names("效率"); slices.Contains(got, "%效") {
		t.Errorf("names(效率) = %v: a one-character stem names nothing", got)
	}
}

// A how-to asked beside a figure is a second question: its action missing
// from the passage leaves the figure's judgement to the figure.
func TestHowBesideFigure(t *testing.T) {
	text := "实行家庭育儿补贴制度,建立普惠托育机构补贴制度。"
	p := DefaultPolicy()
	p.MinClauseCoverage = 1.01 // so that the figure's clause alone cannot carry it
	r := fakeReader(p, text)
	rd := Reading{Core: "育儿补贴标准是多少,怎么申请", Judged: "育儿补贴标准是多少,怎么申请", AsksFigure: true, FigureClause: "育儿补贴标准是多少",
		Terms: []Term{noun("育儿补贴"), noun("标准"), {Text: "申请", Weight: 1.5, Focus: true}}}
	if d := r.Judge(rd, hits(text), false); d.Kind != Closest {
		t.Errorf("%v/%s (coverage %.2f), want closest", d.Kind, d.Reason, d.Coverage)
	}
	// Asked alone, the how-to stays what must be covered.
	rd = Reading{Core: "育儿补贴怎么申请", Judged: "育儿补贴怎么申请", Terms: []Term{noun("育儿补贴"), {Text: "申请", Weight: 1.5, Focus: true}}}
	if d := r.Judge(rd, hits(text), false); d.Kind == Answer {
		t.Errorf("%v/%s (coverage %.2f), want no answer", d.Kind, d.Reason, d.Coverage)
	}
}

func TestSecondAsk(t *testing.T) {
	for in, want := range map[string]string{
		"育儿补贴标准是多少、怎么申请": "育儿补贴标准是多少,怎么申请",
		"助餐、助浴、助洁有哪些":    "助餐、助浴、助洁有哪些",
		"标准是多少、啥时候发":     "标准是多少,啥时候发",
	} {
		if got := secondAsk.ReplaceAllString(in, ",$1"); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// A thing only other places' documents write is not covered for the one
// place asked about; a city's document covers its districts, a district's
// (labelled) its city, and a word written in pieces counts.
func TestOnlyElsewhere(t *testing.T) {
	hunnan, dalian, shahekou := []string{"辽宁省", "沈阳市", "浑南区"}, []string{"辽宁省", "大连市"}, []string{"辽宁省", "大连市", "沙河口区"}
	shenyang := []string{"辽宁省", "沈阳市"}
	c := fakeCorpus{texts: []string{"为65岁以上老年人免费接种流感疫苗。", "全面落实高龄津贴。", "节地生态绿色安葬率达到70%。", "推进节地生态安葬。", "实施“暖房子”工程。", "实施节能暖房工程。"},
		regions: [][]string{hunnan, dalian, hunnan, dalian, shahekou, shenyang},
		idf:     map[string]float64{"流感疫苗": 4, "高龄津贴": 4, "节地生态安葬": 4, "暖房子": 4, "暖房": 4}}
	p := DefaultPolicy()
	p.MaxCommonShare = 0.5
	r := readerOf(c, p)
	for _, tc := range []struct {
		key    string
		region []string
		want   bool
	}{
		{"流感疫苗", dalian, true},
		{"流感疫苗", hunnan, false},
		{"高龄津贴", shahekou, false}, // the city's document covers its district
		{"高龄津贴", hunnan, true},
		{"节地生态安葬", hunnan, false}, // written in pieces there
		{"暖房子", shenyang, false},  // 暖房 with the noun suffix 子
		{"暖房子", hunnan, false},
		{"暖房子", []string{"湖北省", "襄阳市"}, true},
	} {
		if got := r.onlyElsewhere(Reading{Regions: [][]string{tc.region}}, tc.key); got != tc.want {
			t.Errorf("onlyElsewhere(%s, %v) = %v, want %v", tc.key, tc.region, got, tc.want)
		}
	}
	if !r.onlyElsewhere(Reading{Regions: [][]string{dalian}, English: true}, "流感疫苗") {
		t.Error("an English question is judged as a Chinese one")
	}
	if r.onlyElsewhere(Reading{Regions: [][]string{dalian, hunnan}}, "流感疫苗") {
		t.Error("a comparison of two places is judged place by place, not here")
	}
}

// A verb after a may-word (能不能一次性补缴) is the action asked, covered
// like a how-question's; one asking whether the thing is for the asker
// (能不能享受) is not, and nor is a noun after it.
func TestMayFocus(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	for _, tc := range []struct{ q, focus string }{
		{"养老保险交不够15年,能不能一次性补缴", "补缴"},
		{"养老保险可不可以补缴", "补缴"},
		{"我爸能不能享受居家养老服务", ""},
		{"能不能申请低保", ""},
		{"居住证能不能解决子女上学的问题", ""}, // whether a need is met: the need is asked
		{"能不能低保", ""},
		{"养老保险补缴", ""},
	} {
		got := ""
		for _, tm := range r.terms(tc.q) {
			if tm.Focus {
				got = tm.Text
			}
		}
		if got != tc.focus {
			t.Errorf("%q: focus %q, want %q", tc.q, got, tc.focus)
		}
	}
}

// A quoted number names a programme in Chinese and in English; an
// unquoted one is a figure, no term.
func TestQuotedNumberIsATerm(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"实施“532”免单式就业培训工程。"}})
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"沙河口的“532”工程是什么", true},
		{`what is the "532" program in shahekou`, true},
		{"沙河口的532工程是什么", false},
		{"低保标准是850元吗", false},
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, tm := range rd.Terms {
			got = got || tm.Text == "532"
		}
		if got != tc.want {
			t.Errorf("%q: 532 a term %v, want %v (%+v)", tc.q, got, tc.want, rd.Terms)
		}
	}
}

// A sum given (补多少钱) is stated only by a sum; what something costs
// (一顿饭多少钱) is stated by 免费 too.
func TestGrantAsked(t *testing.T) {
	for _, tc := range []struct {
		clause string
		free   bool // whether 免费提供 states it
	}{
		{"一个月能给多少钱的服务", false},
		{"每户政府补多少钱", false},
		{"一顿饭多少钱", true},
		{"一共给多少家装了", true}, // no sum asked: 给 is "for"
	} {
		rd := Reading{AsksFigure: true, AsksMoney: true, FigureClause: tc.clause}
		if got := hasFigure("免费提供专业化的上门服务", wantOf(rd)); got != tc.free {
			t.Errorf("%q: 免费 states it %v, want %v", tc.clause, got, tc.free)
		}
		if !hasFigure("补贴每人每月300元", wantOf(rd)) {
			t.Errorf("%q: a sum does not state it", tc.clause)
		}
	}
}

// The thing a which-question names is its head noun after the which-word.
func TestWhichNamed(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	for q, want := range map[string]string{"市里有什么志愿服务平台": "平台", "改造都装哪些设备": "设备", "低保标准是多少": "", "有什么办法": ""} {
		if got := r.whichNamed(q); got != want {
			t.Errorf("whichNamed(%q) = %q, want %q", q, got, want)
		}
	}
}

// An English question quoting a Chinese term asks of that term, not of
// what the thesaurus reads into its English words.
func TestEnglishQuotedKey(t *testing.T) {
	texts := []string{"健全困境儿童关爱保护体系。", "孤儿、事实无人抚养儿童基本生活养育标准不低于每人每月2600元。"}
	r := fakeReader(DefaultPolicy(), texts...)
	rd := Reading{Core: "orphans 事实无人抚养儿童 basic living standard", English: true,
		Terms: []Term{noun("孤儿"), noun("困境儿童"), noun("事实无人抚养儿童"), noun("标准")}}
	if d := r.Judge(rd, hits(texts...), false); d.KeyTerm != "事实无人抚养儿童" {
		t.Errorf("key %q, want the quoted term", d.KeyTerm)
	}
}

// Asking which of two is more asks a figure of each.
func TestComparesAmount(t *testing.T) {
	for q, want := range map[string]bool{"浑南跟大连比,到2025年哪边覆盖得多": true, "浑南和大连的低保哪个高": true, "哪个街道有老年食堂": false, "谁负责办低保": false} {
		if got := comparesAmount.MatchString(q); got != want {
			t.Errorf("comparesAmount(%q) = %v, want %v", q, got, want)
		}
	}
	if got := figureClause("街道养老服务综合体,浑南跟大连比,到2025年哪边覆盖得多"); got != "到2025年哪边覆盖得多" {
		t.Errorf("figureClause = %q", got)
	}
}

// A name in quotation marks that the documents write is the thing asked
// about, unless a figure of one of its measures is asked or it is a plan
// period.
func TestQuotedNameKey(t *testing.T) {
	texts := []string{"建立居委会三级枢纽式睦邻建设网络。", "逐步形成“三级五方”养老服务体系,即政府、医院、养老机构、志愿者等“五方”互补联动。"}
	r := fakeReader(DefaultPolicy(), texts...)
	rd := Reading{Core: "听说有个“三级五方”养老,这五方都是谁啊", Judged: "听说有个“三级五方”养老,这五方都是谁啊",
		Terms: []Term{noun("三级"), noun("五方"), noun("睦邻")}}
	if d := r.Judge(rd, hits(texts...), false); d.KeyTerm != "三级五方" {
		t.Errorf("key %q, want the quoted name (%+v)", d.KeyTerm, d)
	}
	rd.AsksFigure, rd.FigureClause = true, "五方有几个"
	if d := r.Judge(rd, hits(texts...), false); d.KeyTerm == "三级五方" {
		t.Error("a figure question took the quoted name as its key")
	}
	if !planPeriod.MatchString("十三五") || planPeriod.MatchString("三级五方") {
		t.Error("planPeriod: want 十三五 and not 三级五方")
	}
	// a quoted name outside the clause asking, which names its own thing
	rd2 := Reading{Core: "居委会说“三级五方”不搞了,那睦邻网络还有吗", Judged: "居委会说“三级五方”不搞了,那睦邻网络还有吗",
		Terms: []Term{noun("三级五方"), noun("睦邻"), noun("网络")}}
	if d := r.Judge(rd2, hits(texts...), false); d.KeyTerm == "三级五方" {
		t.Errorf("key %q: a quoted name outside the asking clause", d.KeyTerm)
	}
}

// A part of a place named after it (浑南新城) goes with the place.
func TestPlaceParts(t *testing.T) {
	got := stripPlaces("住浑南新城,流感疫苗免费吗", []Located{{Mention: "浑南"}})
	if strings.Contains(got, "新城") {
		t.Errorf("stripPlaces = %q", got)
	}
}

// A sum invested before the project it pays for states the project's sum.
func TestInvestmentBefore(t *testing.T) {
	names := []string{"暖房子"}
	if !statesFigure(names, "投资近2亿元,对75万平方米老旧楼实施“暖房子”工程。", moneyFigure) {
		t.Error("the sum invested is not read as the project's")
	}
	if statesFigure(names, "发放低保金4727万元,对75万平方米老旧楼实施“暖房子”工程。", moneyFigure) {
		t.Error("a sum of another measure before it is read as the project's")
	}
}

// A figure stated for the thing just below the leading passages, which the
// asker's account drew, answers.
func TestFigureBelowAnswers(t *testing.T) {
	texts := []string{"为困难老人提供上门服务。", "老年人居家养老服务。", "困难家庭老人享受补贴。", "完成1万户特殊困难老年人家庭适老化改造任务。"}
	r := fakeReader(DefaultPolicy(), texts...)
	r.vocab["适老化改造"] = 1 // the documents' word, whole
	rd := Reading{Core: "我妈腿脚楼道黑了,听说有适老化改造,打算给多少户改", Judged: "我妈腿脚楼道黑了,听说有适老化改造,打算给多少户改",
		Terms: []Term{noun("腿脚"), noun("楼道"), noun("适老化改造")}, AsksFigure: true, FigureClause: "听说有适老化改造,打算给多少户改"}
	d := r.Judge(rd, hits(texts...), false)
	if d.Kind != Answer || d.Reason != FigureStated || d.FigureAt != 3 {
		t.Errorf("got %v/%s figure at %d, want an answer from passage 3", d.Kind, d.Reason, d.FigureAt)
	}
}

// When the clause asking names no thing, what the asker heard comes before
// their own situation between.
func TestKeyOrderHearsay(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	acs := []string{"到时候每人每月标准是多少", "我家老头瘫在床上就靠这点钱", "听邻居说浑南的低保到2025年要涨"}
	premise := map[string]bool{"我家老头瘫在床上就靠这点钱": true}
	if got := r.keyOrder(acs, premise); got[1] != acs[2] {
		t.Errorf("keyOrder = %v, want the hearsay second", got)
	}
	// not past a clause that is no premise
	if got := r.keyOrder(acs, map[string]bool{}); got[1] != acs[1] {
		t.Errorf("keyOrder = %v, want the order kept", got)
	}
	// nor when the asking clause names its thing
	acs[0] = "低保每月标准是多少"
	if got := r.keyOrder(acs, premise); got[1] != acs[1] {
		t.Errorf("keyOrder = %v, want the order kept", got)
	}
	// nor past a nearer telling of what was heard
	acs = []string{"我想问问文件里定的是到2025年每个月不低于多少钱", "说低保标准要一年年往上提", "听邻居说区里出了个三年行动的民生文件"}
	premise = map[string]bool{"说低保标准要一年年往上提": true}
	if got := r.keyOrder(acs, premise); got[1] != acs[1] {
		t.Errorf("keyOrder = %v, want the nearer telling second", got)
	}
}

// How to do the thing named just before 咋弄 makes it the focus, unless
// it is a thing the thesaurus or a kind of measure names.
func TestFocusBefore(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	for q, want := range map[string]string{"异地就医备案咋弄啊": "备案", "孩子上学咋整": "", "待遇咋弄": "", "备案的事咋弄": ""} {
		got := ""
		for _, tm := range r.terms(q) {
			if tm.Focus {
				got = tm.Text
			}
		}
		if got != want {
			t.Errorf("%q: focus %q, want %q", q, got, want)
		}
	}
}

// 真的假的 asks whether what the asker heard is so.
func TestAsksTrue(t *testing.T) {
	for c, want := range map[string]bool{"真的假的": true, "是真的吗": true, "听说能免费装煤气报警器": false,
		"社区宣传什么“三级五方”养老": false, "“三级五方”是什么": true} { // a quoted name heard, "so-called"
		if got := asks(c); got != want {
			t.Errorf("asks(%q) = %v, want %v", c, got, want)
		}
	}
}

// The regions a question asks about: a place heard of is compared with
// when the question says so (both asked); a district told in the asker's
// English account with its city, the question naming only the city, is
// the place.
func TestAskedRegions(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"提高低保标准。", "孤儿基本生活养育标准。"},
		regions: [][]string{{"湖北省", "襄阳市"}, {"辽宁省", "沈阳市", "浑南区"}}})
	for _, tc := range []struct {
		q    string
		want []string // last name of each region
	}{
		{"听说樊城那边低保涨了,襄州是不是涨得更多", []string{"樊城区", "襄州区"}},
		{"I volunteer with kids in Hunnan District, Shenyang. How much do orphans get?", []string{"浑南区"}},
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, reg := range rd.Regions {
			got = append(got, reg[len(reg)-1])
		}
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: regions %v, want %v", tc.q, got, tc.want)
		}
	}
}

// An asking clause speaks of a quoted name when it points at its last part
// (这五方), not when it merely shares it (改造 of 适老化改造).
func TestNamesPart(t *testing.T) {
	for _, tc := range []struct {
		clause, name string
		want         bool
	}{
		{"这里头的五方到底是哪几方", "三级五方", true},
		{"我家适老化改造能申请吗", "老旧小区改造", false},
		{"五方", "五方", false},          // too short to have a part
		{"那边说了,五方是谁", "三级五方", false}, // a comma between: not pointed at
		{"这里头的五方", "三级五方", true},
	} {
		if got := namesPart(tc.clause, tc.name); got != tc.want {
			t.Errorf("namesPart(%q, %q) = %v, want %v", tc.clause, tc.name, got, tc.want)
		}
	}
}

// A count is asked of a district only where the clause asking names it
// and nothing points at the city or at what a document says.
func TestUndocumentedAsked(t *testing.T) {
	l := testLocator(t)
	tiexi := []string{"辽宁省", "沈阳市", "铁西区"}
	ganjingzi := []string{"辽宁省", "大连市", "甘井子区"}
	tests := []struct {
		core string
		want []string
	}{
		{"铁西区今年新增多少张养老床位", tiexi},
		{"俺家住沈阳铁西兴华街道 铁西区今年新加多少养老床位啊", tiexi},
		{"居民问咱区23年新增养老床位多少张", nil},            // no district named at all
		{"我住沈阳铁西区,今年沈阳要新增多少就业啊", nil},         // the city named on its own
		{"俺们住铁西区 听说给困难老人改厕所 总共改多少户", nil},     // where the asker lives, and a total
		{"我住铁西区,政府工作报告里日间照料站新增多少个", nil},      // what the report says
		{"铁西区市里今年新增多少张养老床位", nil},             // 市里
		{"浑南区李相街道今年建成几个社区食堂", nil},            // the district has its own document
		{"上海今年新增多少张养老床位", nil},                // a foreign place is judged as such
		{"我妈住甘井子泉水街道 吃低保 人均低保金多少", ganjingzi}, // a per-head average is the place's own
		{"我妈住甘井子泉水街道 吃低保 一个月多少钱", ganjingzi},  // where she lives is asked of; an amount for everyone is no count (asksCount)
		{"俺住甘井子 老人吃饭的食堂今年建几个啊", ganjingzi},
		{"我爸住铁西区,沈阳今年要新建多少个日间照料站?", nil}, // the city named on its own after a comma
		{"what's the per capita minimum living allowance in ganjingzi district, dalian?", ganjingzi},
		{"what's the per-person minimum living allowance in ganjingzi district, dalian?", ganjingzi},
		{"how many canteens will dalian build? i live in ganjingzi", nil},
	}
	for _, tc := range tests {
		if got := undocumentedAsked(tc.core, l.Locate(tc.core)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("undocumentedAsked(%q) = %q, want %q", tc.core, got, tc.want)
		}
	}
}

// A follow-up naming only a thing asks the earlier question of it.
func TestSwapped(t *testing.T) {
	tests := []struct {
		core, want string
		ok         bool
	}{
		{"那孤儿的呢", "孤儿", true},
		{"特困人员呢?", "特困人员", true},
		{"那日间照料站呢", "日间照料站", true},
		{"那 呢", "", false},        // a place taken out: nothing named
		{"孤儿的标准呢多少", "", false},   // asks on
		{"那孤儿每月给多少呢", "", false},  // asks its own figure
		{"那残疾人补贴怎么领呢", "", false}, // asks how
	}
	for _, tc := range tests {
		if got, ok := swapped(tc.core); got != tc.want || ok != tc.ok {
			t.Errorf("swapped(%q) = %q, %v; want %q, %v", tc.core, got, ok, tc.want, tc.ok)
		}
	}
}

// A figure question comparing two things names each side's own words.
func TestSides(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "孤儿基本生活养育标准不低于每人每月2600元。", "特困人员救助供养标准不低于每人每月1300元。")
	tests := []struct {
		clause string
		want   [][]string
	}{
		{"孤儿养育标准跟特困供养标准哪个高", [][]string{{"孤儿", "养育标准"}, {"特困", "供养"}}},
		{"低保标准哪个高", nil},      // one side only
		{"低保标准和低保标准哪个高", nil}, // nothing of its own on either side
	}
	for _, tc := range tests {
		if got := r.sides(tc.clause); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("sides(%q) = %q, want %q", tc.clause, got, tc.want)
		}
	}
}

// A year well before the documents were written is not theirs to speak
// of; the year before a report's own is what it reviews, while a plan
// looks only ahead.
func TestYearBeforeDocuments(t *testing.T) {
	texts := []string{"城乡低保标准不低于每人每月850元。"}
	r := fakeReader(DefaultPolicy(), texts...)
	hs := hits(texts...)
	hs[0].Date = "2023-10-30"
	for _, tc := range []struct {
		core, kind string
		reason     Reason
	}{
		{"2020年低保标准多少", "政府工作报告", BeforeDocuments},
		{"2022年低保标准多少", "政府工作报告", Covered}, // the year before the report's own
		{"2022年低保标准多少", "实施意见", BeforeDocuments},
		{"2023年低保标准多少", "实施意见", Covered},
		{"我2019年就开始吃低保了,现在低保标准多少", "实施意见", Covered}, // the asker's own story
		{"孩子2020年出生的,低保标准多少", "实施意见", Covered},
		{"我家楼是1998年盖的,低保标准多少", "实施意见", Covered}, // when the home was built
	} {
		hs[0].Kind = tc.kind
		rd := Reading{Core: tc.core, Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: tc.core}
		if d := r.Judge(rd, hs, false); d.Reason != tc.reason {
			t.Errorf("%s (%s): %v/%s, want %s", tc.core, tc.kind, d.Kind, d.Reason, tc.reason)
		}
	}
}

// Where a covered place's insured go for treatment is not the place asked,
// unless the clause asking names it.
func TestTreatedAway(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"异地住院费用医保直接结算率持续保持在70%以上。"}, regions: [][]string{{"辽宁省", "大连市"}}, idf: map[string]float64{"结算": 2}})
	for _, tc := range []struct {
		q       string
		foreign bool
	}{
		{"我爸大连医保 去北京住院能直接结算不", false},
		{"我是大连医保,去北京住院,北京那边住院能报销多少", true},
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(rd.Foreign, "北京"); got != tc.foreign {
			t.Errorf("%s: 北京 foreign %v, want %v (regions %v)", tc.q, got, tc.foreign, rd.Regions)
		}
	}
}

// Read sets the sides of a figure question comparing two things.
func TestReadSides(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"孤儿基本生活养育标准不低于每人每月2600元。", "特困人员救助供养标准不低于每人每月1300元。"}, regions: [][]string{{"辽宁省", "沈阳市", "浑南区"}}})
	rd, err := r.Read("浑南孤儿养育标准跟特困供养标准哪个高", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Sides) != 2 {
		t.Errorf("sides %q, want two", rd.Sides)
	}
	if rd, _ := r.Read("浑南孤儿养育标准每月多少", Request{}); rd.Sides != nil {
		t.Errorf("no comparison, sides %q", rd.Sides)
	}
}

// Asked as a price or a sum (售价多少, 几个钱), the figure is money.
func TestMoneyCues(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"大连剧场文化惠民卡售价多少", true},
		{"高龄补贴一个月能领几个钱", true},
		{"剧场一年演出多少场", false},
	} {
		if got := containsAny(tc.q, moneyCues); got != tc.want {
			t.Errorf("money in %q: %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestDigitYears(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"到二零二五年能覆盖多少社区", "到2025年能覆盖多少社区"},
		{"二〇一六年新增多少", "2016年新增多少"},
		{"那个一五年的时候低保金多少", "那个2015年的时候低保金多少"},
		{"到二五年一个人一个月能涨到多少", "到2025年一个人一个月能涨到多少"},
		{"二三年浑南改了多少户", "二三年浑南改了多少户"}, // at the start: as likely two or three years
		{"干了二三年了", "干了二三年了"},
		{"大连沙河口区一五年的时候", "大连沙河口区2015年的时候"},
		{"一二年级的孩子", "一二年级的孩子"},     // grades
		{"在一二年内能建成吗", "在一二年内能建成吗"}, // a span
		{"三五年内能建成吗", "三五年内能建成吗"},
		{"十三五规划", "十三五规划"},
		{"市里2016年报告定的目标", "市里2016年的报告定的目标"}, // the 2016 report, not 年报
	} {
		if got := digitYears(tc.in); got != tc.want {
			t.Errorf("digitYears(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A programme described by DescribedBy of its features, in a clause that
// describes (a list, 那种), is the thing asked about.
func TestDescribedThing(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "完成245户家庭适老化改造工作。", "普及烟感报警器。")
	for _, tc := range []struct{ clause, want string }{
		{"给老人家里装扶手、做防滑、装报警器的那种改造,要弄多少户", "适老化改造"},
		{"给老人家里装扶手做防滑要弄多少户", ""},      // describes nothing
		{"给老人家里装扶手的那种改造要弄多少户", ""},    // one feature
		{"适老化改造、装扶手、做防滑的那种要弄多少户", ""}, // the term itself is written
	} {
		if got := r.describedThing([]string{tc.clause}); got != tc.want {
			t.Errorf("describedThing(%q) = %q, want %q", tc.clause, got, tc.want)
		}
	}
}

// How often or how long a service is given is answered only by a number
// counted so: 57个社区 says nothing of 每月几次.
func TestFrequencyAsked(t *testing.T) {
	tests := []struct {
		clause, unit string
		often        bool
	}{
		{"上门服务每月几次", "次", true},
		{"每个老人每月能享受几个小时的上门服务", "小时", true},
		{"每人每月能给多少小时", "小时", true},
		{"how many hours per month of home care", "小时", true},
		{"承诺多长时间内能就业", "时长", false},
		{"一共建了几个食堂", "个", false},
		{"每年新建多少所学校", "所", false},
	}
	for _, tc := range tests {
		if got := askedUnit(tc.clause); got != tc.unit {
			t.Errorf("askedUnit(%q) = %q, want %q", tc.clause, got, tc.unit)
		}
		if got := frequencyAsked.MatchString(tc.clause); got != tc.often {
			t.Errorf("frequencyAsked(%q) = %v, want %v", tc.clause, got, tc.often)
		}
	}
	// a span of time is hours, days or months, not a year
	if !StatesUnit("时长", "不挑不拣24小时即可就业") || StatesUnit("时长", "到2025年建成") {
		t.Error("StatesUnit(时长): want 24小时 and not 2025年")
	}
	// a service's worth asked in money is a sum given: 免费 does not state it
	if !grantAsked.MatchString("一个月能折多少钱的服务") || grantAsked.MatchString("一顿饭一共合多少钱") {
		t.Error("grantAsked: 折多少钱 asks a sum given, 合多少钱 a cost")
	}
	if frequencyAsked.MatchString("每户能分到多少回迁房") {
		t.Error("frequencyAsked: 回迁房 is no 回 counted")
	}
}

// A thing described by what it does ("那种能日托、上门、助餐的养老综合体")
// is the noun after the description, not one of its features.
func TestDescribedHead(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "建设具备日托、上门服务、助餐等功能的养老服务综合体,覆盖率达到80%")
	for w, idf := range map[string]float64{"上门": 4, "综合体": 2, "日托": 3} {
		r.corpus.(fakeCorpus).idf[w] = idf
	}
	tests := []struct{ clause, want string }{
		{"是不是每个街道都有那种能日托、上门、助餐的养老综合体", "综合体"},
		{"有没有能上门的服务", ""}, // nothing described by 那种
		{"那种上门的", ""},     // nothing after 的
	}
	for _, tc := range tests {
		if got := r.describedHead(tc.clause); got != tc.want {
			t.Errorf("describedHead(%q) = %q, want %q", tc.clause, got, tc.want)
		}
	}
}

// What befell the asker's people (瘫了) tells why they ask; the thing they
// receive beside it (吃低保) is what a figure is asked of.
func TestWrittenKeySkipsHappenings(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "瘫了的老人;吃低保的家庭")
	r.corpus.(fakeCorpus).idf["瘫了"] = 5
	r.corpus.(fakeCorpus).idf["吃低保"] = 2
	if got := r.writtenKey([]Term{noun("瘫了"), noun("吃低保")}); got != "吃低保" {
		t.Errorf("writtenKey = %q, want 吃低保", got)
	}
	if got := r.writtenKey([]Term{noun("瘫了")}); got != "瘫了" {
		t.Errorf("writtenKey of a happening alone = %q, want 瘫了", got)
	}
}

// A long account is searched again by what it asks alone: the clauses
// that ask, the one before the first, and what the asker heard.
func TestFocused(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "x")
	long := "我奶奶今年九十了,一个人住老楼,耳朵背,听邻居说以前给老人免费装过东西,装的是啥设备"
	rd := Reading{Judged: long, Terms: []Term{noun("奶奶"), noun("老楼"), noun("耳朵"), noun("老人"), noun("免费"), noun("设备")}}
	sub, ok := r.Focused(rd)
	var got []string
	for _, t := range sub.Terms {
		got = append(got, t.Text)
	}
	if !ok || !reflect.DeepEqual(got, []string{"老人", "免费", "设备"}) || sub.Searched == "" || len(sub.Words) == 0 {
		t.Errorf("Focused(long) = %v, %v (searched %q); want 老人 免费 设备", got, ok, sub.Searched)
	}
	// what was heard first does not stand for the clause before the asking
	heard := Reading{Judged: "听邻居说能免费装,我妈八十了,腿脚不好,家里卫生间想装扶手,能给装吗",
		Terms: []Term{noun("邻居"), noun("免费"), noun("腿脚"), noun("卫生间"), noun("扶手")}}
	if sub, ok := r.Focused(heard); !ok || !slices.ContainsFunc(sub.Terms, func(t Term) bool { return t.Text == "扶手" }) {
		t.Errorf("Focused(heard first) = %v, %v; want 扶手 kept", sub.Terms, ok)
	}
	if _, ok := r.Focused(Reading{Judged: "浑南低保多少", Terms: []Term{noun("低保")}}); ok {
		t.Error("Focused(short): a short question is searched as it is")
	}
}

// A programme named beside where the asker lives is what they ask of,
// before what befell them.
func TestResidentProgramme(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "城乡低保标准")
	if got := r.residentProgramme("俺老伴瘫了在家,俺们住那边吃低保,到25年每月多少钱"); got != "吃低保" {
		t.Errorf("residentProgramme = %q, want 吃低保", got)
	}
	if got := r.residentProgramme("俺们住那边,每月多少钱"); got != "" {
		t.Errorf("residentProgramme without a programme = %q, want none", got)
	}
}

func TestWhatWasHeard(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"村主任老说市里要搞四个100%", "市里要搞四个100%"},
		{"听邻居说浑南的低保要涨", "浑南的低保要涨"},
		{"社区总说有补贴", "有补贴"},
		{"居家养老说是有补贴", "居家养老说是有补贴"}, // 养老说 is no one saying
		{"浑南低保多少", "浑南低保多少"},       // no one heard from
		{"听说", "听说"}, // nothing said after it
	} {
		if got := whatWasHeard(tc.in); got != tc.want {
			t.Errorf("whatWasHeard(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A share is stated by a percentage or by covering all.
func TestPercentStated(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"覆盖率突破50%", true},
		{"实现城乡社区政府购买居家养老服务全覆盖", true},
		{"百分之八十的社区", true},
		{"建成社区食堂15个", false},
	} {
		if got := hasFigure(tc.text, percentFigure); got != tc.want {
			t.Errorf("hasFigure(%q, percent) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// An attribute asked of something the asker tells: the cue where they ask,
// what it is of anywhere.
func TestToldAttribute(t *testing.T) {
	for _, tc := range []struct{ asked, whole, want string }{
		{"能吃红心地瓜不", "我老伴糖尿病,能吃红心地瓜不", "医嘱"},
		{"我和我姐咋分", "我爸去世了,房子没写遗嘱,我和我姐咋分", "继承"},
		// the estate told, another thing asked
		{"我妈现在一个人,浑南低保标准多少", "我爸去年走了,遗产都给了我哥,我妈现在一个人,浑南低保标准多少", ""},
		{"能吃低保吗", "我妈有糖尿病,能吃低保吗", ""},
	} {
		got := ""
		if a := toldAttribute(tc.asked, tc.whole); a != nil {
			got = a.Name
		}
		if got != tc.want {
			t.Errorf("toldAttribute(%q, %q) = %q, want %q", tc.asked, tc.whole, got, tc.want)
		}
	}
}

// A correction is undone word by word, the longer first.
func TestAsTyped(t *testing.T) {
	got := asTyped("一天气几片,高龄津贴多少", map[string]string{"天吃": "天气", "高领津帖": "高龄津贴"})
	if want := "一天吃几片,高领津帖多少"; got != want {
		t.Errorf("asTyped = %q, want %q", got, want)
	}
	if got := asTyped("低保多少", nil); got != "低保多少" {
		t.Errorf("asTyped without corrections = %q", got)
	}
}

// Years of the asker's own story are set aside; a plan's are not.
func TestOwnYears(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"我家楼是1998年盖的,能改造吗", "我家,能改造吗"},
		{"我2019年就开始吃低保了", "我吃低保了"},
		{"2023年建成的社区食堂有几个", "2023年建成的社区食堂有几个"},
	} {
		if got := ownYears.ReplaceAllString(tc.in, ""); got != tc.want {
			t.Errorf("ownYears in %q leaves %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, s := range []string{"8:30开门", "2025比2020多", "年均增幅不低于8%"} {
		if unitFigures["比值"].MatchString(s) {
			t.Errorf("%q read as a ratio", s)
		}
	}
	if rateAsked.MatchString(englishAsking("i raise two kids alone, how much is the living allowance a month")) {
		t.Error("an English account's raise read as a rate asked")
	}
}

// Which sites asks for a district's own list; which office to go to, who
// is eligible and one's own child do not.
func TestSitesAndOwnStandard(t *testing.T) {
	for _, tc := range []struct {
		q     string
		sites bool
	}{
		{"具体哪几个社区有老年食堂", true},
		{"今年要改造哪几个老旧小区", true},
		{"2016年改造的老旧小区具体是哪几个", true},
		{"低保要到哪个街道办理", false},
		{"哪些村民能领养老补贴", false},
		{"哪些单位能享受稳岗补贴", false},
		{"在哪个网站上申请", false},
	} {
		if got := sitesAsked.MatchString(tc.q); got != tc.sites {
			t.Errorf("sitesAsked(%q) = %v, want %v", tc.q, got, tc.sites)
		}
	}
	for _, tc := range []struct {
		q   string
		own bool
	}{
		{"大连金州区自己的城乡低保标准是每人每月多少", true},
		{"我住铁西区,自己的孩子上幼儿园每月能补贴多少钱", false},
		{"铁西区老人自己的养老服务补贴每月多少", false},
	} {
		if got := ownStandard.MatchString(tc.q); got != tc.own {
			t.Errorf("ownStandard(%q) = %v, want %v", tc.q, got, tc.own)
		}
	}
}

// How the asker's own live (一个人过, 独居) says who a measure is for, and
// is never the thing asked about.
func TestLivingAloneIsNoKey(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "为独居老人提供上门服务。")
	for _, w := range []string{"一个人过", "独居", "空巢", "一个人住"} {
		if k := r.keyNoun([]Term{noun(w)}); k != "" {
			t.Errorf("keyNoun(%s) = %q, want none", w, k)
		}
	}
	if k := r.keyNoun([]Term{noun("一个人过"), noun("低保")}); k != "低保" {
		t.Errorf("keyNoun = %q, want 低保", k)
	}
}
