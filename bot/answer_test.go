package bot

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval"
)

func TestAnswerShapes(t *testing.T) {
	seedAnswerer(t)
	a := NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents(),
		Now: func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) }})
	tests := []struct {
		name       string
		q          string
		confidence string
		lead       string // the answer starts with this, or has it within its first 60 characters
		has        []string
		hasNot     []string
	}{
		{"figure first, short attribution", "浑南区家庭医生团队有多少个?", ConfidenceAnswer, "179",
			[]string{"[1]", "(浑南区,2023年文件"}, []string{"《", "发布"}},
		{"old document: its figures were plans", "沈阳要建成多少套保障房?", ConfidenceAnswer, "1万套",
			[]string{"2016年文件", "数字是当时的计划"}, nil},
		{"a passed target year is said", "浑南区低保标准到2025年能到每月多少钱?", ConfidenceAnswer, "850",
			[]string{"目标年份2025年已过"}, []string{"3.5%"}},
		{"yes/no question opens with what the document says", "浑南社区有老年食堂吗?", ConfidenceAnswer, yesNoLead,
			[]string{"食堂"}, nil},
		{"topic there, figure not", "大连今年养老金每人具体涨多少元?", ConfidenceClosest, "文件没有写养老金的具体数字",
			[]string{"养老金"}, []string{"300元"}},
		{"figure clause without a noun", "大连养老金今年调整了吗?每人具体涨多少元?", ConfidenceClosest, "文件没有写",
			nil, []string{"300元"}},
		{"procedure nobody documents", "我是浑南的低保户,社保卡丢了怎么补办?", ConfidenceNone, "抱歉", []string{"12345"}, nil},
		{"procedure with a one-word clause", "老年优待证在哪里办,要带什么材料?", ConfidenceNone, "抱歉", []string{"12345"}, nil},
		{"place not covered", "北京的养老金标准是多少?", ConfidenceNone, "抱歉", []string{"北京", "12345"}, nil},
		// a long account is searched again by what it asks, where a passage names the thing
		{"long account, short ask", "我奶奶今年九十了,一个人住沙河口春柳那边的老楼,耳朵背,我们最怕她在家出事没人知道。听邻居说沙河口以前给八十岁以上的老人免费装过东西,装的是啥设备?",
			ConfidenceAnswer, "智能养老服务设备", []string{"1万户"}, nil},
		{"long account, nothing named", "我爸72了住大连甘井子,每年秋天都得重感冒一场,今年想去打个预防针,政府给免费吗?", ConfidenceNone, "抱歉", nil, []string{"殡"}},
		// two figures asked in two clauses: the clause sharing most of each asking one
		{"two figures, two sentences of one document", "沈阳市要改造多少个老旧小区?老旧电梯维修更新多少台", ConfidenceAnswer, "",
			[]string{"80个老旧小区", "298台"}, []string{"浑南"}},
		{"place not covered, asked from a covered one", "我在浑南住,上海的低保标准是多少?", ConfidenceNone, "抱歉", []string{"上海", "12345"}, []string{"850"}},
		{"place not covered, asked by a worker of a covered one", "我是浑南区的网格员,居民问上海的最低工资标准是多少,我该怎么回答?", ConfidenceNone, "抱歉",
			[]string{"上海", "12345"}, nil},
		{"a thing no document writes, asked with common words", "浑南区老年人坐公交车免费吗?", ConfidenceNone, "抱歉", []string{"公交", "12345"}, []string{"流感"}},
		{"small talk naming a covered place", "今天沈阳天气怎么样?", ConfidenceNone, "这个不在政策文件范围内", []string{"12345"}, nil},
		{"a growth asked: the growth, not the level", "浑南区低保标准每年涨多少?", ConfidenceAnswer, "按照年度增长不低于3.5%", nil, nil},
		{"district of a catalog city", "我住金州区,大连的困难残疾人生活补贴每月多少?", ConfidenceAnswer, "",
			[]string{"300元", "大连市级文件,适用于金州区"}, nil},
		{"comparison: one line per region", "浑南和大连的低保标准各是多少?", ConfidenceAnswer, "浑南区:",
			[]string{"850元", "\n大连市:"}, nil},
		{"comparison of a city and a district inside it, each from its own document", "沈阳全市计划新增的公办幼儿园学位,和浑南区2023年扩增的公办普惠性幼儿学位,分别是多少?",
			ConfidenceAnswer, "沈阳市:", []string{"3500", "(沈阳市,2016年文件", "\n浑南区:", "2790"}, nil},
		{"a district named with its city is no comparison", "沈阳浑南区的低保标准和特困人员标准分别是多少?", ConfidenceAnswer, "",
			[]string{"850元", "1300元"}, []string{"沈阳市:"}},
		{"traditional question, traditional answer", "瀋陽要新增多少張養老床位?", ConfidenceAnswer, "",
			[]string{"4000張"}, nil},
		{"simplified question, simplified answer", "沈阳要新增多少张养老床位?", ConfidenceAnswer, "",
			[]string{"4000张"}, []string{"養老"}},
		{"pointer with nothing before", "那这个要钱吗?", ConfidenceNone, "没看明白", nil, nil},
		{"a count asked of a district with no document", "铁西区今年新增多少张养老床位", ConfidenceNone, "抱歉,现有文件没有铁西区自己的这个数字",
			[]string{"沈阳市", "12345"}, []string{"4000"}},
		{"a year well before the documents", "浑南区2020年的低保标准是多少", ConfidenceNone, "找到的文件是2023年写的",
			[]string{"2020年", "12345"}, []string{"850"}},
		{"a detail beside a question answered", "襄阳城区公厕在哪 有没有能下载的公厕分布图", ConfidenceAnswer, "(文件没有写地址",
			[]string{"便民导厕图"}, nil},
		{"list number not in the answer text", "浑南今年新建几个区域性居家养老服务中心?", ConfidenceAnswer, "",
			[]string{"新建区域性居家养老服务中心3个"}, []string{"17.增加"}},
		// a follow-up naming its own thing is answered about it, not about
		// the earlier topic it carries (after "沙河口区2016年计划新建几所社区
		// 养老服务中心?")
		{"follow-up with a thing of its own", "那区老年人大学建不建?", ConfidenceAnswer, "", []string{"老年人大学"}, nil},
	}
	history := map[string][]string{"那区老年人大学建不建?": {"沙河口区2016年计划新建几所社区养老服务中心?"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := a.Answer(context.Background(), Request{Question: tc.q, History: history[tc.q]})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Confidence != tc.confidence {
				t.Errorf("confidence %q, want %q:\n%s", ans.Confidence, tc.confidence, ans.Answer)
			}
			if ans.Abstained != (tc.confidence == ConfidenceNone) {
				t.Errorf("abstained %v with confidence %s", ans.Abstained, ans.Confidence)
			}
			if tc.lead != "" {
				i := strings.Index(ans.Answer, tc.lead)
				if i < 0 || utf8.RuneCountInString(ans.Answer[:i]) > 60 {
					t.Errorf("%q not within the first 60 characters:\n%s", tc.lead, ans.Answer)
				}
			}
			for _, h := range tc.has {
				if !strings.Contains(ans.Answer, h) {
					t.Errorf("answer lacks %q:\n%s", h, ans.Answer)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(ans.Answer, h) {
					t.Errorf("answer has %q:\n%s", h, ans.Answer)
				}
			}
			switch {
			case !ans.Abstained && len(ans.Citations) == 0:
				t.Error("answer without citations")
			case ans.Abstained && len(ans.Citations) != 0:
				t.Error("abstention with citations")
			case ans.Abstained && utf8.RuneCountInString(ans.Answer) > maxNoneRunes:
				t.Errorf("a none answer of %d characters", utf8.RuneCountInString(ans.Answer))
			}
		})
	}
}

// Documents staff add keep full-width punctuation; clauses split there
// as at the seeds' half-width commas.
func TestTrimClausesFullWidth(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"低保": 2, "标准": 1}, KeyNames: []string{"低保"}}
	rd := judge.Reading{AsksFigure: true}
	long := "全面落实困难群众基本生活保障政策\uFF0C完善社会救助体系建设\uFF0C推进救助服务向基层延伸\uFF0C城乡低保标准提高到每人每月850元\uFF1B加强临时救助工作\uFF0C做好兜底保障。"
	got := trimClauses(long, rd, d, 40)
	if !strings.Contains(got, "850元") || strings.HasPrefix(got, "全面落实") {
		t.Errorf("trimmed to %q", got)
	}
}

// A question asking which things is shown the clause listing them, not
// the one naming the measure they belong to.
func TestTrimClausesList(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"适老化改造": 3, "老年人": 1, "设备": 1}, KeyNames: []string{"适老化改造"}}
	long := "为特殊困难老年人家庭按照“一户一案”的标准进行适老化改造设计和施工,以满足老年人起居行走、康复护理等核心需求,普及紧急呼叫设备、生命体征监护设备、烟感报警器、燃气报警器等智能化设施设备。"
	if got := trimClauses(long, judge.Reading{AsksList: true}, d, 60); !strings.Contains(got, "紧急呼叫设备") {
		t.Errorf("which things: trimmed to %q", got)
	}
	if got := trimClauses(long, judge.Reading{}, d, 60); !strings.HasPrefix(got, "为特殊困难") {
		t.Errorf("not a list question: trimmed to %q", got)
	}
	// The thing asked about (报警) is named only in the list: it is shown.
	d = judge.Decision{Weights: map[string]float64{"适老化改造": 3, "老年人": 1, "报警": 2}, KeyNames: []string{"报警"}}
	if got := trimClauses(long, judge.Reading{YesNo: true}, d, 60); !strings.Contains(got, "燃气报警器") {
		t.Errorf("the key named in the list: trimmed to %q", got)
	}
}

// A growth asked for is shown from the clause before the one naming the
// thing, where the document says it.
func TestTrimClausesGrowthBefore(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"最低生活保障": 3, "标准": 1}, KeyNames: []string{"最低生活保障"}}
	long := "推进政府购买社会救助服务,依托街道社会工作和社会救助服务站,按照年度增长不低于3.5%的幅度,持续提高城乡最低生活保障和特困人员救助供养标准,确保困难群众基本生活。"
	if got := trimClauses(long, judge.Reading{AsksFigure: true, AsksRate: true}, d, 60); !strings.Contains(got, "3.5%") {
		t.Errorf("trimmed to %q", got)
	}
}

// A clause spelling out the name before it (即…) is shown with it, even
// past the length.
func TestTrimClausesSpellsOut(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"三级五方": 3, "养老服务体系": 2}, KeyNames: []string{"三级五方"}}
	long := "到2020年,基本形成以公办养老福利机构为示范的养老服务社会化体系,逐步形成“三级五方”养老服务体系,即县(市)区、乡镇(街道)和村(社区)三级由政府、医院、养老机构、志愿者及其他社会力量等“五方”互补联动的养老工作机制。"
	if got := trimClauses(long, judge.Reading{Core: "三级五方的五方是什么"}, d, 60); !strings.Contains(got, "志愿者") {
		t.Errorf("what it is: trimmed to %q", got)
	}
	if got := trimClauses(long, judge.Reading{Core: "五方都是指谁"}, d, 60); !strings.Contains(got, "志愿者") {
		t.Errorf("who it means: trimmed to %q", got)
	}
	if got := trimClauses(long, judge.Reading{Core: "三级五方养老服务体系到哪年形成"}, d, 60); strings.Contains(got, "志愿者") {
		t.Errorf("not what it is: trimmed to %q", got)
	}
	// the clause explained comes with the explaining one picked for the
	// parties it lists
	who := judge.Decision{Weights: map[string]float64{"志愿者": 3, "医院": 2}, KeyNames: []string{"志愿者"}}
	if got := trimClauses(long, judge.Reading{Core: "襄阳养老是医院志愿者哪几方"}, who, 60); !strings.Contains(got, "三级五方") || !strings.Contains(got, "志愿者") {
		t.Errorf("explained name: trimmed to %q", got)
	}
}

// A city's own passage that scores nearly as well as the best is put ahead
// of a district's; one far behind is not.
func TestOwnAhead(t *testing.T) {
	city := []string{"辽宁省", "沈阳市"}
	district := []string{"辽宁省", "沈阳市", "浑南区"}
	hit := func(id string, r []string, score float64) retrieval.Hit {
		return retrieval.Hit{Passage: retrieval.Passage{ID: id, Region: r}, Score: score}
	}
	ids := func(hs []retrieval.Hit) string {
		var out []string
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		hits []retrieval.Hit
		want string
	}{
		{[]retrieval.Hit{hit("d1", district, 1), hit("c1", city, 0.9), hit("d2", district, 0.85)}, "c1 d1 d2"},
		{[]retrieval.Hit{hit("d1", district, 1), hit("c1", city, 0.5)}, "d1 c1"},
		{[]retrieval.Hit{hit("c1", city, 1), hit("d1", district, 0.9)}, "c1 d1"},
		{nil, ""},
	} {
		if got := ids(ownAhead(tc.hits, city)); got != tc.want {
			t.Errorf("ownAhead = %q, want %q", got, tc.want)
		}
	}
	report := retrieval.Hit{Passage: retrieval.Passage{ID: "r", Kind: "政府工作报告"}, Score: 0.7}
	plan := retrieval.Hit{Passage: retrieval.Passage{ID: "p", Kind: "实施意见"}, Score: 1}
	if got := ids(kindAhead([]retrieval.Hit{plan, report}, "政府工作报告")); got != "r p" {
		t.Errorf("kindAhead = %q, want the report first", got)
	}
	report.Score = 0.3
	if got := ids(kindAhead([]retrieval.Hit{plan, report}, "政府工作报告")); got != "p r" {
		t.Errorf("kindAhead = %q, want a weak report left behind", got)
	}
}

// An ambiguous name is said as the place it was read as: below a province
// by its path, a province by its own name.
func TestAmbiguityNote(t *testing.T) {
	for _, tc := range []struct {
		place []string
		want  string
	}{
		{[]string{"辽宁省", "沈阳市", "和平区"}, "(“和平”按沈阳市和平区理解)"},
		{[]string{"河南省"}, "(“和平”按河南省理解)"},
	} {
		// covered, or a foreign place asked about
		rd := judge.Reading{Places: []judge.Located{{Mention: "和平", Place: tc.place, Ambiguous: true}}, Foreign: []string{"和平"}}
		if got := ambiguityNote(rd); got != tc.want {
			t.Errorf("ambiguityNote(%v) = %q, want %q", tc.place, got, tc.want)
		}
	}
	// A covered place read one way of several is explained too.
	covered := judge.Reading{Places: []judge.Located{{Mention: "和平", Place: []string{"辽宁省", "沈阳市", "和平区"}, Region: []string{"辽宁省", "沈阳市"}, Ambiguous: true}}}
	if got := ambiguityNote(covered); got != "(“和平”按沈阳市和平区理解)" {
		t.Errorf("ambiguityNote of a covered place = %q", got)
	}
	// A place read only as where the asker comes from is no reading to explain.
	rd := judge.Reading{Places: []judge.Located{{Mention: "河南", Place: []string{"河南省"}, Ambiguous: true}}}
	if got := ambiguityNote(rd); got != "" {
		t.Errorf("ambiguityNote of an origin = %q, want none", got)
	}
}

// A closest answer to a city's question shows the city's own words before
// a district's, and a document of the year the question names before one
// of another year.
func TestClosestPickOwnRegionAndYear(t *testing.T) {
	city := retrieval.Hit{Index: 1, Passage: retrieval.Passage{Region: []string{"辽宁省", "沈阳市"}, Date: "2016",
		Text: "进一步提高企业退休人员养老待遇水平,确保养老金及时足额发放。"}}
	district := retrieval.Hit{Index: 0, Passage: retrieval.Passage{Region: []string{"辽宁省", "沈阳市", "浑南区"}, Date: "2023-10-30",
		Text: "退休人员养老金水平稳步提高,异地住院费用医保直接结算率达到70%以上。"}}
	d := judge.Decision{Weights: map[string]float64{"养老金": 3, "退休": 1, "企业": 1}, KeyNames: []string{"养老金"}}
	for _, tc := range []struct {
		name string
		rd   judge.Reading
		year int
	}{
		{"the city's own words", judge.Reading{AsksFigure: true, Regions: [][]string{{"辽宁省", "沈阳市"}},
			Places: []judge.Located{{Mention: "沈阳", Place: []string{"辽宁省", "沈阳市"}}}}, 0},
		{"the year asked", judge.Reading{}, 2016},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := d
			d.AskedYear = tc.year
			district := district
			if tc.year > 0 {
				// as near the question as the city's, and ranked first
				district.Text = "企业退休人员养老金水平稳步提高,各项社保待遇按时足额发放。"
			}
			got := closestPick(tc.rd, d, []retrieval.Hit{district, city})
			if len(got) != 1 || got[0].hit.Index != city.Index {
				t.Errorf("picked %+v, want the 2016 city sentence", got)
			}
		})
	}
}

// Where no sentence names the thing asked about, a closest answer shows
// the one sharing most of the question's words, not another thing's figure.
func TestClosestPickWithoutKeyNoFigure(t *testing.T) {
	hits := []retrieval.Hit{
		{Index: 0, Passage: retrieval.Passage{Text: "实施残疾人托养服务1万人次。新增骨灰节地生态绿色安葬率提高5个百分点,达到65%以上。"}},
		{Index: 1, Passage: retrieval.Passage{Text: "落实残疾人按比例就业制度,推动机关、事业单位带头安排残疾人就业。"}},
	}
	d := judge.Decision{Kind: judge.Closest, Weights: map[string]float64{"残疾人": 2, "就业": 1, "安排": 1, "用人单位": 5}, KeyNames: []string{"用人单位"}}
	rd := judge.Reading{Core: "用人单位得安排百分之几的残疾人就业", AsksFigure: true, AsksPercent: true}
	got := closestPick(rd, d, hits)
	if len(got) != 1 || got[0].hit.Index != 1 {
		t.Errorf("picked %+v, want the 按比例就业 sentence", got)
	}
}

// The level a thing reaches is shown before how fast it grows, unless
// what reaches it is itself a rate.
func TestLevelBeforeGrowth(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"最低生活保障": 2, "标准": 1}, KeyNames: []string{"最低生活保障"}}
	level := retrieval.Fold("城乡居民最低生活保障标准不低于每人每月850元。")
	growth := retrieval.Fold("按照年度增长不低于3.5%的幅度,持续提高城乡最低生活保障标准。")
	rd := judge.Reading{AsksFigure: true, FigureClause: "能涨到多少啊"}
	if sentenceScore(level, rd, d) <= sentenceScore(growth, rd, d) {
		t.Error("涨到多少: want the level (850元) before the growth (3.5%)")
	}
	compared := judge.Reading{AsksFigure: true, Core: "浑南和沙河口低保哪个高", FigureClause: "浑南和沙河口低保哪个高"}
	if sentenceScore(level, compared, d) <= sentenceScore(growth, compared, d) {
		t.Error("低保哪个高: want the level (850元) before the growth (3.5%)")
	}
	shares := judge.Reading{AsksFigure: true, Core: "优质高中占比,浑南和大连哪个高", FigureClause: "浑南和大连哪个高"}
	if sentenceScore(growth, shares, d) != sentenceScore(growth, judge.Reading{AsksFigure: true, FigureClause: "是多少"}, d) {
		t.Error("占比…哪个高: a share compared is not held back")
	}
	share := retrieval.Fold("普惠性幼儿园覆盖率达到90%。")
	rate := judge.Decision{Weights: map[string]float64{"覆盖率": 2}, KeyNames: []string{"覆盖率"}}
	plain := sentenceScore(share, judge.Reading{AsksFigure: true, FigureClause: "覆盖率是多少"}, rate)
	if got := sentenceScore(share, judge.Reading{AsksFigure: true, FigureClause: "覆盖率要达到多少"}, rate); got != plain {
		t.Errorf("a rate asked to reach a level: its share scores %.2f, want %.2f as when asked plainly", got, plain)
	}
	if !onlyShares("增长3.5%") || onlyShares("850元") || onlyShares("不低于") {
		t.Error("onlyShares")
	}
}

// How long, asked without a figure word, is answered by the sentence
// counting hours or days.
func TestDurationSentence(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"就业": 1, "困难群体": 2, "低保": 2}}
	span := retrieval.Fold("有就业愿望的困难群体“不挑不拣24小时即可就业”。")
	other := retrieval.Fold("为4152户低保、低收入家庭发放低保金。")
	rd := judge.Reading{Core: "低保户想找活,区里说多久能给安排上就业"}
	if sentenceScore(span, rd, d) <= sentenceScore(other, rd, d) {
		t.Error("多久: want the sentence counting hours first")
	}
	plain := judge.Reading{Core: "低保户想找活,区里能给安排上就业吗"}
	if sentenceScore(span, plain, d) >= sentenceScore(span, rd, d) {
		t.Error("the span counts only when how long is asked")
	}
}

// Whether it costs is answered by the clause saying free or paid, even
// when another clause names the key term (养老 of 上门养老服务).
func TestCostClause(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"养老": 1, "服务": 0.5, "上门": 3}, KeyNames: []string{"养老"}}
	long := "依托养老服务机构、家政企业、物业企业等社会力量,由政府出资,为高龄、失能、经济困难、计划生育特殊家庭等老年群体免费提供专业化的上门服务。"
	if got := trimClauses(long, judge.Reading{AsksCost: true}, d, 40); !strings.Contains(got, "免费提供") {
		t.Errorf("asks cost: trimmed to %q", got)
	}
	free, funded := retrieval.Fold("免费提供专业化的上门服务"), retrieval.Fold("依托养老服务机构,由政府出资")
	w := judge.Decision{Weights: map[string]float64{"服务": 1}}
	if sentenceScore(free, judge.Reading{AsksCost: true}, w) <= sentenceScore(funded, judge.Reading{AsksCost: true}, w) {
		t.Error("asks cost: want the sentence saying free first")
	}
	if a, b := sentenceScore(funded, judge.Reading{AsksCost: true}, w), sentenceScore(funded, judge.Reading{}, w); a >= b {
		t.Errorf("a sentence saying nothing of cost scores %.2f asked, want below %.2f not asked", a, b)
	}
}

// A figure counted in the unit asked is shown before other figures.
func TestUnitAsked(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"老旧小区": 2, "改造": 1}, KeyNames: []string{"老旧小区"}}
	rd := judge.Reading{AsksFigure: true, FigureClause: "主要针对哪一年以前建成的小区"}
	year := retrieval.Fold("基本完成2000年年底前建成需改造的老旧小区改造任务。")
	count := retrieval.Fold("实施老旧小区改造工程,改造老旧小区192个任务。")
	if sentenceScore(year, rd, d) <= sentenceScore(count, rd, d) {
		t.Error("哪一年: want the sentence with a year first")
	}
}

// When no leading passage names the thing asked about, the first one
// further down that does is weighed as the second.
func TestPickSentencesAnchorBelow(t *testing.T) {
	hits := []retrieval.Hit{
		{Index: 0, Score: 1, Passage: retrieval.Passage{Text: "实施未成年人科学素质行动、城镇劳动人口科学素质行动。"}},
		{Index: 1, Score: 1, Passage: retrieval.Passage{Text: "搭建志愿云网络平台。"}},
		{Index: 2, Score: 1, Passage: retrieval.Passage{Text: "开展法律进学校活动。"}},
		{Index: 3, Score: 0.5, Passage: retrieval.Passage{Text: "实行居住证管理,将子女上学等基本公共服务纳入居住证制度。"}},
	}
	d := judge.Decision{Weights: map[string]float64{"人口": 1, "居住证": 1, "上学": 1}, KeyNames: []string{"居住证"}, AnchorAt: 3}
	got := pickSentences(judge.Reading{Core: "外地户口 居住证 孩子上学"}, d, hits, 1)
	if len(got) == 0 || got[0].hit.Index != 3 {
		t.Errorf("picked %+v, want the 居住证 passage", got)
	}
	d.AnchorAt, d.FigureAt = -1, 3 // the figure stated there
	if got := pickSentences(judge.Reading{Core: "外地户口 居住证 孩子上学"}, d, hits, 1); len(got) == 0 || got[0].hit.Index != 3 {
		t.Errorf("picked %+v, want the passage stating the figure", got)
	}
	d.FigureAt = -1
	d.AnchorAt = -1 // no passage names it: the leading ones only
	if got := pickSentences(judge.Reading{Core: "外地户口 居住证 孩子上学"}, d, hits, 1); len(got) == 0 || got[0].hit.Index != 0 {
		t.Errorf("picked %+v, want the first passage", got)
	}
}

// A figure asked for two years is shown from each passage stating it for
// the thing asked about, however far the second one scores below.
func TestPickSentencesPerYear(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"普惠性幼儿园覆盖率": 4, "2023": 1, "目标": 1}, KeyNames: []string{"普惠性幼儿园覆盖率"}}
	hits := []retrieval.Hit{
		{Index: 0, Passage: retrieval.Passage{Text: "2023年目标:扩增公办普惠性幼儿学位2790个以上,普惠性幼儿园覆盖率不低于86%。"}},
		{Index: 1, Passage: retrieval.Passage{Text: "义务教育资源配置更加均衡,普惠性幼儿园覆盖率达到90%。"}},
	}
	for _, tc := range []struct {
		core string
		want int
	}{
		{"普惠性幼儿园覆盖率2023年和2025年的目标分别是多少", 2},
		{"普惠性幼儿园覆盖率2023年的目标是多少", 1},
	} {
		rd := judge.Reading{Core: tc.core, AsksFigure: true}
		if got := pickSentences(rd, d, hits, 1); len(got) != tc.want {
			t.Errorf("%s: %d sentences, want %d", tc.core, len(got), tc.want)
		}
	}
}

// Only a sum of money answers an amount heard: 2025年 and 15个 do not.
func TestStatesHeard(t *testing.T) {
	heard := []judge.Span{{Lo: 800, Hi: 899}, {Lo: 15, Hi: 15}, {Lo: 2025, Hi: 2025}}
	for f, want := range map[string]bool{
		"城乡低保标准不低于每人每月850元": true,
		"到2025年,覆盖率达到100%":  false,
		"建成社区食堂不少于15个":      false,
		"投资近1.5万元":          false,
	} {
		if got := statesHeard(f, heard); got != want {
			t.Errorf("statesHeard(%q) = %v, want %v", f, got, want)
		}
	}
	if !statesHeard("投资1.5万元", []judge.Span{{Lo: 15000, Hi: 15000}}) {
		t.Error("1.5万元 is 15,000")
	}
}

// A clause without question words between the best one and another with
// them is passed over to that one, when both fit.
func TestTrimClausesPassesOver(t *testing.T) {
	// the first clause is the best, the middle one has no question words
	d := judge.Decision{Weights: map[string]float64{"欠薪": 1, "农民工工资": 3}, KeyNames: []string{"欠薪", "农民工工资"}}
	long := "保障农民工工资支付,在综合治理格局构建、制度保障体系完善、智慧监管平台应用等方面统筹发力,欠薪案件实现动态清零。"
	if got := trimClauses(long, judge.Reading{}, d, 70); !strings.Contains(got, "动态清零") {
		t.Errorf("trimmed to %q", got)
	}
	// Without question words after it, the clause after is the last shown.
	long = "保障农民工工资支付,在综合治理格局构建、制度保障体系完善等方面统筹发力,推进平台应用,确保各项工作落到实处。"
	if got := trimClauses(long, judge.Reading{}, d, 70); strings.Contains(got, "推进平台") {
		t.Errorf("trimmed to %q", got)
	}
}

// A how-question is shown the clause saying how, a clause or two before
// the one naming the thing; another question is not.
func TestTrimClausesMeans(t *testing.T) {
	d := judge.Decision{Weights: map[string]float64{"弃管": 3, "老旧小区": 2}, KeyNames: []string{"弃管"}}
	long := "强化物业属地化管理责任,探索物业监管分类管理模式,采取街道委托管理、专业服务公司托管、选聘物业服务企业等形式,巩固老旧小区综合改造成果,逐步解决老旧小区弃管问题。"
	if got := trimClauses(long, judge.Reading{How: true}, d, 90); !strings.Contains(got, "委托管理") {
		t.Errorf("how: trimmed to %q", got)
	}
	if got := trimClauses(long, judge.Reading{}, d, 90); strings.Contains(got, "委托管理") {
		t.Errorf("not how: trimmed to %q", got)
	}
}

// A which-question's answer is the sentence naming the thing it asks for
// (什么平台), over one sharing more of the words around it.
func TestNamedThingChosen(t *testing.T) {
	d := judge.Decision{Kind: judge.Answer, Weights: map[string]float64{"活动": 1, "平台": 1.5, "品牌": 0.8}, KeyNames: []string{"活动"}}
	hit := retrieval.Hit{Passage: retrieval.Passage{Text: "开展品牌志愿服务活动。搭建网络平台集聚志愿者。"}}
	picks := pickSentences(judge.Reading{Named: "平台"}, d, []retrieval.Hit{hit}, 2)
	if len(picks) == 0 || !strings.Contains(picks[0].sentence, "平台") {
		t.Errorf("picked %+v, want the sentence naming 平台 first", picks)
	}
	// without the thing named, the sentence sharing more words leads
	if picks := pickSentences(judge.Reading{}, d, []retrieval.Hit{hit}, 2); len(picks) == 0 || strings.Contains(picks[0].sentence, "平台") {
		t.Errorf("picked %+v without a which-question, want the other sentence first", picks)
	}
}

// Two things compared are each shown with their figure, the second from a
// passage scoring far below the first.
func TestPickSentencesPerSide(t *testing.T) {
	hits := []retrieval.Hit{
		{Index: 0, Score: 1, Passage: retrieval.Passage{Text: "孤儿基本生活养育标准不低于每人每月2600元。健全孤儿养育标准增长机制。"}},
		{Index: 1, Score: 0.3, Passage: retrieval.Passage{Text: "低保标准不低于每人每月850元,特困人员救助供养标准不低于每人每月1300元。"}},
	}
	d := judge.Decision{Weights: map[string]float64{"孤儿": 3, "养育标准": 2, "特困": 0.5, "供养": 0.5}, KeyNames: []string{"孤儿"}}
	rd := judge.Reading{Core: "孤儿养育标准跟特困供养标准哪个高", AsksFigure: true, FigureClause: "孤儿养育标准跟特困供养标准哪个高"}
	if got := pickSentences(rd, d, hits, 2); len(got) != 1 {
		t.Fatalf("without sides: picked %d sentences, want the best only", len(got))
	}
	rd.Sides = [][]string{{"孤儿", "养育标准"}, {"特困", "供养"}}
	got := pickSentences(rd, d, hits, 2)
	if len(got) != 2 || !strings.Contains(got[1].sentence, "1300") {
		t.Errorf("picked %+v, want the 1300 sentence second", got)
	}
	// the other side comes before a second sentence on the side shown
	hits[0].Text = "孤儿基本生活养育标准不低于每人每月2600元。孤儿养育标准每年增长6%。"
	if got := pickSentences(rd, d, hits, 2); len(got) != 2 || !strings.Contains(got[1].sentence, "1300") {
		t.Errorf("picked %+v, want the 1300 sentence second", got)
	}
}

// A figure asked for two years is looked for further down than the three
// leading passages: the other year's may come fourth.
func TestPickSentencesPerYearFurtherDown(t *testing.T) {
	text := func(i int, s string) retrieval.Hit {
		return retrieval.Hit{Index: i, Score: 1 - 0.1*float64(i), Passage: retrieval.Passage{Text: s}}
	}
	hits := []retrieval.Hit{
		text(0, "扩增公办学位2790个,普惠性幼儿园覆盖率不低于86%。"),
		text(1, "药店监督检查覆盖率达到100%。"),
		text(2, "居家养老服务社区覆盖率突破50%。"),
		text(3, "义务教育更加均衡,普惠性幼儿园覆盖率达到90%。"),
	}
	d := judge.Decision{Weights: map[string]float64{"普惠性": 3, "幼儿园": 2, "覆盖率": 1}, KeyNames: []string{"普惠性"}}
	for _, tc := range []struct {
		core string
		want bool
	}{
		{"普惠性幼儿园覆盖率2023年和2025年分别多少", true},
		{"普惠性幼儿园覆盖率2023年多少", false},
	} {
		rd := judge.Reading{Core: tc.core, AsksFigure: true, FigureClause: tc.core}
		got := pickSentences(rd, d, hits, 1)
		has := false
		for _, p := range got {
			has = has || strings.Contains(p.sentence, "90%")
		}
		if has != tc.want {
			t.Errorf("%s: picked %+v, 90%% shown %v, want %v", tc.core, got, has, tc.want)
		}
	}
}

// The years a question names, in Chinese or in English.
func TestYearsNamed(t *testing.T) {
	for q, want := range map[string]int{
		"浑南普惠性幼儿园覆盖率,2023年要求多少,到2025年要达到多少":                   2,
		"what is the 2023 target and what is the 2025 target": 2,
		"浑南托位每千人2025年多少":                                      1,
		"how many places per 1000 people by 2025":             1,
		"低保2050元够不够":                                          0,
	} {
		if got := len(yearsNamed(q)); got != want {
			t.Errorf("yearsNamed(%q): %d years, want %d", q, got, want)
		}
	}
}

// Each thing a question of two asking clauses asks is shown, where one
// sentence states both: the span widens to the clause that shares most of
// the other asking clause (改造80个老旧小区, not 推进111个小区…配套改造).
func TestTrimWidensToParts(t *testing.T) {
	rd := judge.Reading{Core: "沈阳2016年要改造多少个老旧小区,老旧电梯要维修更新多少台", AsksFigure: true,
		Terms: []judge.Term{{Text: "改造", Weight: 1, Noun: true}, {Text: "老旧小区", Weight: 1, Noun: true}, {Text: "老旧电梯", Weight: 1, Noun: true}, {Text: "维修", Weight: 0.5}}}
	d := judge.Decision{KeyTerm: "老旧电梯", KeyNames: []string{"老旧电梯"}, Weights: map[string]float64{"老旧电梯": 2, "维修": 1, "改造": 0.5, "老旧小区": 1}}
	long := "继续办好一批民生实事,改造80个老旧小区、1.2万户(套)棚户区、805户农村危房,完善40个新建小区配套,推进111个小区、5.5万户老旧住宅“三网”配套改造,力争通过社会化方式完成298台老旧电梯维修更新,基本建成1万套保障房,实施300万平方米节能暖房工程。"
	got := trimClauses(long, rd, d, 70)
	if !strings.Contains(got, "80个老旧小区") || !strings.Contains(got, "298台") {
		t.Errorf("trimClauses = %q, want both 80个老旧小区 and 298台", got)
	}
	one := rd
	one.Core = "沈阳老旧电梯要维修更新多少台"
	if got := trimClauses(long, one, d, 70); strings.Contains(got, "80个老旧小区") {
		t.Errorf("trimClauses of one asking clause = %q, want no 老旧小区 clause", got)
	}
	if n := sharedPairs("要改造多少个老旧小区", "改造80个老旧小区"); n != 5 {
		t.Errorf("sharedPairs = %d, want 5 (改造 个老 老旧 旧小 小区)", n)
	}
}

// A district's own report that never names what is asked does not bury
// its city's passage on it: 沙河口's 2016 report has nothing on 高龄津贴,
// 大连's plan has, and the answer shows it.
func TestDistrictReportSilentOnTheThing(t *testing.T) {
	a := seedAnswerer(t)
	for _, q := range []string{"我爸住沙河口,高龄津贴一个月给多少钱?", "我爸89了住大连沙河口,高龄津贴一个月给多少钱?"} {
		ans, err := a.Answer(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Abstained || len(ans.Citations) == 0 || !strings.HasPrefix(ans.Citations[0].Source, "002") {
			t.Errorf("%s: %+v, want 大连's passage on 高龄津贴", q, ans)
		}
	}
}

// The line before a closest answer names the thing read as asked about
// only when the sentence shown names it too.
func TestPicksName(t *testing.T) {
	picks := []pick{{sentence: "到2025年,社区老年人助餐服务覆盖率达到100%。"}}
	for _, tc := range []struct {
		names []string
		want  bool
	}{
		{[]string{"奥体"}, false},
		{[]string{"助餐", "社区食堂"}, true},
		{nil, false},
	} {
		if got := picksName(picks, tc.names); got != tc.want {
			t.Errorf("picksName(%v) = %v, want %v", tc.names, got, tc.want)
		}
	}
}
