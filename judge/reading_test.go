package judge

import (
	"slices"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/retrieval"
)

// A long voice-typed stretch breaks where the account turns to the
// question; a short one stays whole.
func TestRunOnClauses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"俺妈今年九十一了住旅顺口区身子骨还行就是耳朵背听说大连有高龄津贴一个月能给多少钱啊",
			"俺妈今年九十一了住旅顺口区身子骨还行就是耳朵背,听说大连有高龄津贴一个月能给多少钱啊"},
		{"我爸瘫在床上好几年了家里就靠低保金过日子我们住李相那边听说要涨",
			"我爸瘫在床上好几年了,家里就靠低保金过日子,我们住李相那边,听说要涨"},
		{"俺是樊城区的今年六十八了儿子在外地打工听社区讲三级五方养老俺搞不懂这五方都是啥",
			"俺是樊城区的今年六十八了,儿子在外地打工,听社区讲三级五方养老,俺搞不懂这五方都是啥"},
		{"我儿子是一级残疾生活不能自理俺们娘俩住甘井子区他那个护理补贴能提到多少",
			"我儿子是一级残疾生活不能自理,俺们娘俩住甘井子区,他那个护理补贴能提到多少"},
		{"俺妈今年九十一了身子骨还行我想问问高龄津贴一个月能给多少钱",
			"俺妈今年九十一了身子骨还行,我想问问高龄津贴一个月能给多少钱"},
		{"老伴瘫在床上家里吃低保听说要涨到2025年一个月给多少钱",
			"老伴瘫在床上,家里吃低保,听说要涨到2025年一个月给多少钱"},
		// 为了 and 到了 end no clause
		{"为了孩子上学搬到了他姥姥家那边低保能转过来吗", "为了孩子上学搬到了他姥姥家那边低保能转过来吗"},
		// short: one clause whatever it holds
		{"听说低保涨了吗", "听说低保涨了吗"},
		{"浑南低保标准是多少,听说要涨", "浑南低保标准是多少,听说要涨"},
		// a turn word starting the stretch stays where it is
		{"听说浑南到2025年低保标准每人每月不低于多少钱", "听说浑南到2025年低保标准每人每月不低于多少钱"},
	} {
		if got := runOnClauses(tc.in); got != tc.want {
			t.Errorf("runOnClauses(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// Dialect question words read as Mandarin ones; 什么子女 and 怎么样 stay.
func TestDialectQuestionWords(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"三级五方养老服务体系。"}})
	for _, tc := range []struct{ in, want, not string }{
		{"这五方都是么子", "什么", "么子"},
		{"这个补贴么样申请", "怎么样", ""},
		{"啥子叫三级五方", "什么", "啥子"},
		{"有什么子女补贴", "什么子女", "什么什么"},
		{"低保怎么样申请", "怎么样", "怎怎么样"},
	} {
		got := r.spokenForm(tc.in)
		if !strings.Contains(got, tc.want) || (tc.not != "" && strings.Contains(got, tc.not)) {
			t.Errorf("spokenForm(%q) = %q, want %q and no %q", tc.in, got, tc.want, tc.not)
		}
	}
}

// An amount of money the asker checks asks for the figure; an amount in
// their story, or an age, does not.
func TestCheckedAmount(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"大连育儿补贴是不是一年发3600块", "大连育儿补贴是不是一年发3600块"},
		{"俺家老太太说大连高龄津贴每月给500块,是这个数不", "俺家老太太说大连高龄津贴每月给500块"},
		{"浑南的老年餐桌是不是5块钱一顿", "浑南的老年餐桌是不是5块钱一顿"},
		{"俺妈让人微信骗了三千块,咋报警啊,钱还能要回来不", ""},
		{"我爸80多了腿脚不好,能派人上门伺候不", ""},
	} {
		if got := checkedClause(tc.in); got != tc.want {
			t.Errorf("checkedClause(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	r := gazetteerReader(t, fakeCorpus{texts: []string{"推动出台育儿补贴等政策。"}})
	rd, err := r.Read("大连育儿补贴是不是一年发3600块?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.AsksFigure {
		t.Errorf("a checked amount: AsksFigure false, want true")
	}
	rd, err = r.Read("育儿补贴还能领吗?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.AsksFigure {
		t.Errorf("no amount: AsksFigure true, want false")
	}
}

// Keywords ending in a price ask what it costs.
func TestPriceKeywords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"老年人助餐 一顿饭 价格", "老年人助餐 一顿饭 多少钱"},
		{"骨灰海葬的费用", "骨灰海葬的费用"}, // names what it asks of
		{"助餐,收费", "助餐,多少钱"},
		{"价格临时补贴是什么", "价格临时补贴是什么"},
		{"助餐价格", "助餐价格"},                    // one word, no keywords
		{"浑南 老年助餐 价格 一顿", "浑南 老年助餐 多少钱 一顿"}, // wherever the price keyword stands
	} {
		if got := priceKeywords(tc.in); got != tc.want {
			t.Errorf("priceKeywords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A clause before the one that asks gives the key from the words the
// documents write, not the asker's own.
func TestKeyFromStoryIsWritten(t *testing.T) {
	texts := []string{"对大连市户籍逝者骨灰海葬实行全免费。"}
	// other passages, so that 海葬 is rare and the passage shares more than
	// common words with the question
	for range 40 {
		texts = append(texts, "推进城市更新。")
	}
	c := fakeCorpus{texts: texts, idf: map[string]float64{"海葬": 3, "免费": 1}}
	r := readerOf(c, DefaultPolicy())
	q := "孩子们商量着海葬,这得花多少钱"
	rd := Reading{Core: q, Judged: q, Terms: []Term{noun("孩子"), noun("商量"), noun("海葬")}, AsksFigure: true, FigureClause: "这得花多少钱", AsksMoney: true}
	if d := r.Judge(rd, hits(texts[0]), false); d.KeyTerm != "海葬" || d.Kind != Answer {
		t.Errorf("key %q, decision %s; want 海葬 answered (全免费)", d.KeyTerm, d.Kind)
	}
	if k := r.writtenKey([]Term{noun("海葬"), noun("商量")}); k != "海葬" {
		t.Errorf("writtenKey = %q, want 海葬", k)
	}
	if k := r.writtenKey([]Term{noun("商量")}); k != "商量" {
		t.Errorf("writtenKey = %q, want 商量 (none written: the heaviest)", k)
	}
	if k := r.keyNoun([]Term{noun("三年行动"), noun("低保")}); k != "低保" {
		t.Errorf("keyNoun = %q, want 低保 (三年行动 names the plan)", k)
	}
	shares := readerOf(fakeCorpus{texts: []string{"优良天数比例达到90%。"}, idf: map[string]float64{"比例": 9, "数额": 9, "首付": 2, "低保金": 2}}, DefaultPolicy())
	if k := shares.keyNoun([]Term{noun("低保金"), noun("数额")}); k != "低保金" {
		t.Errorf("keyNoun = %q, want 低保金 (数额 says how much, not of what)", k)
	}
	if k := shares.keyNoun([]Term{noun("首付"), noun("比例")}); k != "首付" {
		t.Errorf("keyNoun = %q, want 首付 (比例 says which measure, not of what)", k)
	}
}

// A pointer opening a clause points back; after words of the clause's own
// it is filler.
func TestPointsBack(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"这个要钱吗", true},
		{"那这个要钱吗", true},
		{"低保标准多少,那个咋申请", true},
		{"没爹妈的孩子那个基本生活养育标准每年至少涨多少", false},
		{"浑南低保标准多少", false},
		{"那么这个咋办", true},
		{"还有那个呢", true},
		{"另外这些要钱吗", true},
		{"这个月低保咋还没发", false}, // a time
		{"这些年低保涨了多少", false},
		{"那个 2015年的时候低保金多少", false}, // a place taken out of the core, then a year
		{"那个2015年的低保金多少", false},
		{"那个 要钱吗", true},
	} {
		if got := pointsBack(tc.in); got != tc.want {
			t.Errorf("pointsBack(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// A five-year plan period asks of its last year; a document of an earlier
// period does not reach it.
func TestPlanYear(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"襄阳“十四五”期间要规划建设多少个新型农村社区", 2025},
		{"十三五时期失业率控制在多少", 2020},
		{"十二五收官那年人均低保金多少", 2015},
		{"低保标准多少", 0},
		{"我妈七十四五岁了高龄津贴每月多少", 0}, // an age, no plan
	} {
		if got := planYear(tc.in); got != tc.want {
			t.Errorf("planYear(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	texts := []string{"“十三五”时期,五年内规划建设200个新型农村社区。"}
	r := fakeReader(DefaultPolicy(), texts...)
	q := "襄阳十四五期间要规划建设多少个新型农村社区"
	rd := Reading{Core: q, Judged: q, Terms: []Term{noun("新型农村社区")}, AsksFigure: true, FigureClause: q}
	if d := r.Judge(rd, hits(texts...), false); d.Reason != BeyondHorizon {
		t.Errorf("十四五 of a 十三五 document: %s/%s, want beyond_horizon", d.Kind, d.Reason)
	}
	q = "襄阳十三五期间要规划建设多少个新型农村社区"
	rd = Reading{Core: q, Judged: q, Terms: []Term{noun("新型农村社区")}, AsksFigure: true, FigureClause: q}
	if d := r.Judge(rd, hits(texts...), false); d.Reason == BeyondHorizon {
		t.Errorf("十三五 of a 十三五 document: beyond_horizon, want it judged")
	}
}

// 开发多少个岗位 asks a count, not money.
func TestDevelopIsNoMoney(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"开发就业岗位。"}, regions: [][]string{{"辽宁省", "大连市"}}})
	rd, err := r.Read("甘井子区今年计划开发多少个就业岗位?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.AsksMoney || !asksCount(rd) {
		t.Errorf("AsksMoney %v, asksCount %v; want a count", rd.AsksMoney, asksCount(rd))
	}
	rd, err = r.Read("低保每月发多少?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.AsksMoney {
		t.Errorf("发多少: AsksMoney false, want true")
	}
}

// 哪儿 and 哪里 ask where as 哪 does; a price by volume is a tariff.
func TestWhereWordsAndVolumePrice(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"浑南区申请低保去哪儿办", "办理材料和地点"},
		{"低保去哪里申请", "办理材料和地点"},
		{"how do i apply for dibao in hunnan", "办理材料和地点"},
		{"大连水费一立方多少钱", "每立方米价格"},
		{"what is the tap water price per cubic meter", "每立方米价格"},
		{"浑南低保标准多少", ""},
	} {
		got := ""
		if a := askedAttribute(tc.in); a != nil {
			got = a.Name
		}
		if got != tc.want {
			t.Errorf("askedAttribute(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// English asking words for a growth and for a share.
func TestEnglishRateAndShareCues(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"最低生活保障标准年均增幅不低于8%。"}})
	rd, err := r.Read("In Dalian, by at least how much should the dibao standard rise each year?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.AsksFigure || !rd.AsksRate {
		t.Errorf("AsksFigure %v AsksRate %v, want both", rd.AsksFigure, rd.AsksRate)
	}
	for _, q := range []string{"What exact percentage of disabled employees is required?", "What is the exact number of canteens?",
		"What is the standard for the old-age allowance?", "What average PM2.5 level is planned?",
		"Shahekou district, 2015: what did the average minimum living guarantee payment rise to?"} {
		rd, err := r.Read(q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if !rd.AsksFigure {
			t.Errorf("%q: AsksFigure false, want true", q)
		}
	}
	rd, err = r.Read("The dibao standard must rise each year by how many percent?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.AsksRate {
		t.Errorf("rise each year: AsksRate false, want true")
	}
}

// A sum said per month is checked as one with its unit; the check asks
// for money, which a number of another kind does not settle.
func TestCheckedSumPerMonth(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"居民问大连城乡低保是不是每月800", "居民问大连城乡低保是不是每月800"},
		{"到底是不是每月500", "到底是不是每月500"},
		{"每月补贴是不是发了", ""},
		{"低保是不是每月15号发", ""},    // a date
		{"我和老伴一块去办可以吗", ""},    // 一块: together
		{"每月给800,对不起我再问下", ""}, // 对不起 checks nothing
		{"每月给500块,对吗", "每月给500块"},
		{"是不是5块钱一顿", "是不是5块钱一顿"},
	} {
		if got := checkedClause(tc.in); got != tc.want {
			t.Errorf("checkedClause(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	r := gazetteerReader(t, fakeCorpus{texts: []string{"发售专业剧场文化惠民卡,每年开展群众性文化活动超过500场。"}})
	rd, err := r.Read("大连那个专业剧场文化惠民卡是不是一百块一张?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.AsksFigure || !rd.AsksMoney {
		t.Errorf("AsksFigure %v AsksMoney %v, want both", rd.AsksFigure, rd.AsksMoney)
	}
}

// A policy term a place's documents never write is not answered there
// from another place's, however common it is elsewhere.
func TestCommonPolicyTermOnlyElsewhere(t *testing.T) {
	texts := []string{"为城乡社区提供居家养老服务。"}
	regions := [][]string{{"湖北省", "襄阳市"}}
	for range 20 {
		texts = append(texts, "城乡低保标准提高。")
		regions = append(regions, []string{"辽宁省", "大连市"})
	}
	c := fakeCorpus{texts: texts, regions: regions, idf: map[string]float64{"低保": 1}, df: map[string]int{"低保": 20}}
	r := readerOf(c, DefaultPolicy())
	rd := Reading{Regions: [][]string{{"湖北省", "襄阳市"}}}
	if !r.onlyElsewhere(rd, "低保") {
		t.Errorf("低保 of 襄阳, written only of 大连: onlyElsewhere false, want true")
	}
	rd = Reading{Regions: [][]string{{"辽宁省", "大连市"}}}
	if r.onlyElsewhere(rd, "低保") {
		t.Errorf("低保 of 大连: onlyElsewhere true, want false")
	}
}

// A clause complaining of a hardship is what the asker takes as given.
func TestComplaintIsPremise(t *testing.T) {
	p := premises("在城区上街找厕所难,有没有公厕分布图可以下载")
	if !p["在城区上街找厕所难"] || p["有没有公厕分布图可以下载"] {
		t.Errorf("premises = %v, want the complaint only", p)
	}
	for _, c := range []string{"申请低保难不难", "办残疾证难吗"} {
		if complains(c) {
			t.Errorf("%q: a question is no complaint", c)
		}
	}
}

// A price word is what is asked, not the thing it is asked of; medical
// reimbursement is asked only of health care; a tariff of water or gas.
func TestPriceWordsAndWithin(t *testing.T) {
	for _, w := range []string{"售价", "票价", "价钱"} {
		if got := quantityWords.Replace("文化惠民卡" + w + "多少"); strings.Contains(got, w) {
			t.Errorf("quantityWords keeps %s: %q", w, got)
		}
	}
	if got := priceKeywords("浑南区老年人助餐 每餐价格"); got != "浑南区老年人助餐 每餐多少钱" {
		t.Errorf("priceKeywords = %q", got)
	}
	for _, tc := range []struct{ in, want string }{
		{"住院能报多少钱", "报销比例"},
		{"浑南适老化改造一家最多给报多少钱", ""},
		{"自来水一吨多少钱", "每立方米价格"},
		{"垃圾一吨多少钱", ""},
		{"水泥一吨多少钱", ""}, // 水 inside 水泥
	} {
		got := ""
		if a := askedAttribute(tc.in); a != nil {
			got = a.Name
		}
		if got != tc.want {
			t.Errorf("askedAttribute(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Sound-alike candidates tied on shared characters and frequency are
// chosen the same way every time: a place, then a policy term, then the
// smaller string.
func TestTypoTieIsDeterministic(t *testing.T) {
	for range 20 {
		vocab := map[string]int{"植树": 1, "指数": 1, "值数": 1}
		x := newTypoIndex(vocab, nil, nil)
		if got := x.best("植数"); got != "植树" {
			t.Fatalf("best(植数) = %q, want 植树 (a policy term)", got)
		}
		// neither a place nor a policy term: the smaller string
		y := newTypoIndex(map[string]int{"公式": 1, "公事": 1, "公示": 1}, nil, nil)
		if got, want := y.best("公试"), min("公式", "公事", "公示"); got != want {
			t.Fatalf("best(公试) = %q, want %q (the smaller string)", got, want)
		}
	}
}

// Shares said in words read as the documents write them.
func TestSpokenPercent(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"四个100%。"}})
	for _, tc := range []struct{ in, want string }{
		{"村里实现四个百分之百", "村里实现四个100%"},
		{"市里要搞四个百分百", "市里要搞四个100%"},
		{"签约率能不能到百分之七十五", "签约率能不能到75%"},
		{"一年涨百分之几", "一年涨百分之几"},
		{"百分之零点五", "0.5%"},
		{"百分之十几的人", "百分之十几的人"}, // asks a share
	} {
		if got := r.spokenForm(tc.in); got != tc.want {
			t.Errorf("spokenForm(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// What someone said they want is told, not asked; English asking words
// for an amount.
func TestToldWishAndEnglishAmount(t *testing.T) {
	for _, c := range []string{"我妈交代后事说想撒海里", "我妈说想要海葬", "我爸说要去住养老院"} {
		if !ownSituation(c) {
			t.Errorf("%q: a wish reported is the asker's situation", c)
		}
	}
	if ownSituation("我想问问海葬要钱吗") {
		t.Errorf("the asker's own request is no situation")
	}
	r := gazetteerReader(t, fakeCorpus{texts: []string{"全面落实高龄津贴。"}})
	rd, err := r.Read("What is the monthly old-age allowance for people over 80 in Dalian?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.AsksFigure {
		t.Errorf("what is the monthly …: AsksFigure false, want true")
	}
	for _, tc := range []struct {
		q            string
		figure, cost bool
	}{
		{"What does a meal cost at the seniors' canteens in Dalian?", true, true},
		{"What's the maximum old-age allowance in Dalian?", true, false},
		{"Does a meal at the canteen cost anything in Dalian?", false, false},
		{"What will the monthly allowance for orphans in Dalian be by 2025?", true, false},
		{"What is Dalian's minimum wage in 2024?", true, false},
		{"How fast will dibao standards rise each year in Dalian?", true, false},
		{"What is the pension policy for farmers in Dalian?", false, false},
		{"What is the minimum living allowance application process in Dalian?", false, false},
		{"Does the government cover the cost of hearing aids for the elderly in Dalian?", false, false},
		{"What do I need to apply for the old-age card in Dalian? Does it cost anything?", false, false},
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if rd.AsksFigure != tc.figure || (tc.cost && !rd.AsksMoney) {
			t.Errorf("%q: AsksFigure %v AsksMoney %v, want %v %v", tc.q, rd.AsksFigure, rd.AsksMoney, tc.figure, tc.cost)
		}
	}
}

// Two clauses each asking a figure ask of two things, read as the sides
// of a comparison are.
func TestTwoFigureClauses(t *testing.T) {
	r := fakeReader(DefaultPolicy())
	got := r.figureClauses("2023年给多少户做适老化改造,还新增多少张养老床位")
	if len(got) != 2 || !slices.Contains(got[0], "适老化改造") || !slices.Contains(got[1], "养老床位") {
		t.Errorf("figureClauses = %v, want 适老化改造 | 养老床位", got)
	}
	if got := r.figureClauses("浑南低保标准多少"); got != nil {
		t.Errorf("one figure clause: %v, want nil", got)
	}
	g := gazetteerReader(t, fakeCorpus{texts: []string{"完成245户适老化改造,新增养老床位700张。"}})
	rd, err := g.Read("浑南2023年给多少户做适老化改造?还新增多少张养老床位?", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Sides) != 2 {
		t.Errorf("Read: Sides %v, want two", rd.Sides)
	}
}

// After a long account, an explicit ask (请问) is the question: what the
// account asked along the way is its story; kin counted (兄弟几个) ask no
// figure.
func TestAskAfterLongAccount(t *testing.T) {
	q := "我爸上个月去世了,他生前一直说想海葬,家里条件一般,我们兄弟几个正在商量费用怎么分,我们全家都是大连户口,请问大连户籍的人骨灰海葬要花钱吗"
	p := premises(q)
	if !p["我们兄弟几个正在商量费用怎么分"] {
		t.Errorf("premises %v: want the account's own question among them", p)
	}
	if p["请问大连户籍的人骨灰海葬要花钱吗"] {
		t.Errorf("the marked question is no premise")
	}
	// short: a question and a second one after 请问 both ask
	if p := premises("浑南低保标准是多少,请问要带什么材料"); p["浑南低保标准是多少"] {
		t.Errorf("a question before a short second ask is no premise")
	}
	if retrieval.AsksForFigure("我们兄弟几个正在商量") {
		t.Errorf("兄弟几个 asks no figure")
	}
	if !retrieval.AsksForFigure("兄弟几个人能领几份") {
		t.Errorf("几份 still asks")
	}
	if k := fakeReader(DefaultPolicy()).keyNoun([]Term{noun("行动计划"), noun("社区食堂")}); k != "社区食堂" {
		t.Errorf("keyNoun = %q, want 社区食堂 (行动计划 names the plan)", k)
	}
}

// A year asked beyond what the passages naming the thing reach is not
// theirs to answer, though a later document reaches it; a five-year plan
// reaches its period's end; two things side by side ask each its own.
func TestYearBeyondTheKeyPassages(t *testing.T) {
	texts := []string{"人均最低生活保障金增长到610元。", "城乡低保标准提高到每人每月850元。", "城镇居民医疗保险参保率达到95%。", "到2025年,推进城市更新。"}
	for range 40 {
		texts = append(texts, "推进城市更新。")
	}
	c := fakeCorpus{texts: texts, idf: map[string]float64{"低保": 3, "最低生活保障": 3, "参保率": 3}}
	r := readerOf(c, DefaultPolicy())
	hit := func(i int, date, kind string) retrieval.Hit {
		return retrieval.Hit{Passage: retrieval.Passage{Text: texts[i], Date: date, Kind: kind}, Index: i, Score: 1}
	}
	read := func(q string) Reading {
		return Reading{Core: q, Judged: q, Terms: []Term{noun("低保"), noun("标准")}, AsksFigure: true, FigureClause: q, AsksMoney: true}
	}
	// a later document found beside them reaches 2025, naming nothing asked
	later := hit(3, "2023-09-17", "实施意见")
	old := []retrieval.Hit{hit(0, "2016-08-18", "政府工作报告"), later}
	if d := r.Judge(read("沙河口区2024年人均低保金多少"), old, false); d.Reason != BeyondHorizon || d.Horizon != 2016 {
		t.Errorf("2024 of a 2016 report: %s/%s horizon %d, want beyond_horizon 2016", d.Kind, d.Reason, d.Horizon)
	}
	if d := r.Judge(read("沙河口区2017年人均低保金多少"), old, false); d.Reason == BeyondHorizon {
		t.Errorf("2017 of a 2016 report: beyond_horizon, want it judged (a report speaks of the year after)")
	}
	// but not its review of the years before
	review := hit(0, "2016-08-18", "政府工作报告")
	review.Section = "一、2015年和“十二五”时期政府工作回顾 › (四)社会事业协调发展"
	if d := r.Judge(read("沙河口区2017年人均低保金多少"), []retrieval.Hit{review, later}, false); d.Reason != BeyondHorizon {
		t.Errorf("2017 of a 2016 report's review: %s, want beyond_horizon", d.Reason)
	}
	recent := []retrieval.Hit{hit(0, "2016-08-18", "政府工作报告"), hit(1, "2023-10-30", "实施意见"), later}
	if d := r.Judge(read("2024年低保标准多少"), recent, false); d.Reason == BeyondHorizon {
		t.Errorf("a 2023 plan names 低保 too: beyond_horizon, want it judged")
	}
	if d := r.Judge(read("沙河口区人均低保金和浑南区2025年的低保标准各是多少"), old, false); d.Reason == BeyondHorizon {
		t.Errorf("two things side by side: beyond_horizon, want each asked of its own")
	}
	// a 2023 plan whose passages name no year still reaches PlanReach
	// years past its own
	current := []retrieval.Hit{hit(1, "2023-10-30", "实施意见")}
	if d := r.Judge(read("2023年和2025年的低保标准差多少"), current, false); d.Reason == BeyondHorizon {
		t.Errorf("2025 of a 2023 plan: beyond_horizon, want it judged")
	}
	if d := r.Judge(read("2028年的低保标准多少"), current, false); d.Reason != BeyondHorizon {
		t.Errorf("2028 of a 2023 plan: %s, want beyond_horizon", d.Reason)
	}
	plan := []retrieval.Hit{hit(2, "2016", "规划"), later}
	rd := Reading{Core: "城镇居民医疗保险参保率到2020年要达到多少", Judged: "城镇居民医疗保险参保率到2020年要达到多少", Terms: []Term{noun("参保率")}, AsksFigure: true, FigureClause: "参保率到2020年要达到多少", AsksPercent: true}
	if d := r.Judge(rd, plan, false); d.Reason == BeyondHorizon {
		t.Errorf("2020 of a 2016 five-year plan: beyond_horizon, want it judged")
	}
}

// A place told in the asker's story gives way to the place holding it
// named where they ask.
func TestAskedOverTold(t *testing.T) {
	hunnan := []string{"辽宁省", "沈阳市", "浑南区"}
	dalian := []string{"辽宁省", "大连市"}
	shahekou := []string{"辽宁省", "大连市", "沙河口区"}
	places := []Located{
		{Mention: "浑南", Place: hunnan, Region: hunnan},
		{Mention: "沙河口", Place: shahekou, Region: shahekou},
		{Mention: "大连", Place: dalian, Region: dalian},
	}
	for _, tc := range []struct {
		core string
		want int
	}{
		{"上周去大连沙河口交流学习,浑南定的多少,大连定的多少", 2}, // 浑南, 大连
		{"我住大连沙河口,浑南和大连沙河口各是多少", 3},       // 沙河口 asked too
	} {
		got := askedOverTold([][]string{hunnan, shahekou, dalian}, places, tc.core)
		if len(got) != tc.want || (tc.want == 2 && slices.ContainsFunc(got, func(r []string) bool { return slices.Equal(r, shahekou) })) {
			t.Errorf("askedOverTold(%q) = %v", tc.core, got)
		}
	}
}

// A rule the country or the province sets is asked of no city's document.
func TestHigherLevelAsked(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"城乡低保标准不低于每人每月850元。"}})
	for q, want := range map[string]bool{
		"辽宁省2025年全省统一的低保标准是多少?": true,
		"国家规定的低保标准是多少":          true,
		"大连低保标准是多少":             false,
		"大连低保在全省排第几":            false,
		"今年国家给退休人员统一涨了百分之几?":    true,
		"浑南统一收费吗":               false,
		"中央厨房统一配送吗":             false,
	} {
		rd, err := r.Read(q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if rd.National != want {
			t.Errorf("%q: National %v, want %v", q, rd.National, want)
		}
	}
}

// After an English account, the sentence asking of a topic of its own is
// judged; what the asker says of themselves stays, and a question pointing
// back at the story keeps it.
func TestEnglishAsked(t *testing.T) {
	long := "i volunteer at a centre,one of the kids we help lost both parents two years ago and lives with his grandmother,who gets about 1,500 yuan a month in pension,what will the monthly allowance for orphans be by 2025"
	for _, tc := range []struct{ in, want string }{
		{long, "what will the monthly allowance for orphans be by 2025"},
		{"i'm a migrant worker,what do i need to access public services like schooling for my kids",
			"i'm a migrant worker,what do i need to access public services like schooling for my kids"}, // asked for themselves
		{"my neighbor is disabled and low-income,how much will the monthly living allowance for disabled people be",
			"how much will the monthly living allowance for disabled people be"},
		{"by 2025,how much will the dibao be", "by 2025,how much will the dibao be"},
		{"my neighbour has a kid next door who lost both parents last winter when the floods came to the village near the river,everyone helps,how much living support will a child like that get from the district each month",
			"everyone helps,how much living support will a child like that get from the district each month"},
		{"my wife and i are korean expats living here for many years with our two children,our neighbour's son has a severe disability and needs care,according to the plan,how much will the nursing care subsidy for people with severe disabilities be",
			"according to the plan,how much will the nursing care subsidy for people with severe disabilities be"},
	} {
		if got := englishAsked(tc.in); got != tc.want {
			t.Errorf("englishAsked(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// An unwritten thing told only in the account does not refuse a figure
// clause the passages cover and state.
func TestToldOnly(t *testing.T) {
	p := DefaultPolicy()
	rd := Reading{AsksFigure: true, FigureClause: "问我大连的重度残疾人护理补贴到2025年要提高到每人每月多少"}
	covered := Decision{FigureFound: true, ClauseCoverage: 1, KeyTerm: "护理补贴", Unwritten: "肢体残疾"}
	for _, tc := range []struct {
		name string
		rd   Reading
		d    Decision
		want bool
	}{
		{"told in the account", rd, covered, true},
		{"asked in the figure clause", Reading{AsksFigure: true, FigureClause: "肢体残疾护理补贴每月多少"}, covered, false},
		{"figure not stated", rd, Decision{ClauseCoverage: 1, KeyTerm: "护理补贴", Unwritten: "肢体残疾"}, false},
		{"clause not covered", rd, Decision{FigureFound: true, ClauseCoverage: 0.2, KeyTerm: "护理补贴", Unwritten: "肢体残疾"}, false},
		{"no figure asked", Reading{FigureClause: rd.FigureClause}, covered, false},
	} {
		if got := toldOnly(tc.rd, tc.d, p); got != tc.want {
			t.Errorf("%s: toldOnly = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A provincial rule asked, not heard of; "national" naming no rule.
func TestHigherLevelCues(t *testing.T) {
	if provincialAsked("听说全省统一了低保标准,大连现在每月多少") {
		t.Error("heard of a provincial rule: asked")
	}
	if !provincialAsked("辽宁省2025年全省统一的低保标准是多少") {
		t.Error("a provincial rule asked: not read")
	}
	for q, want := range map[string]bool{"i'm a foreign national working in dalian": false, "is it paid before national day": false, "what is the national standard": true} {
		if got := nationalEnglish.MatchString(notNational.Replace(q)); got != want {
			t.Errorf("%q: national %v, want %v", q, got, want)
		}
	}
}

// Only a heading that reviews, not one also looking ahead.
func TestReviews(t *testing.T) {
	for sec, want := range map[string]bool{
		"一、2015年和“十二五”时期政府工作回顾 › (四)社会事业协调发展": true,
		"一、过去五年工作回顾和今后五年主要任务 › (一)民生":         false,
		"二、重点任务 › (二)提高城乡居民收入":                false,
	} {
		if got := reviews(sec); got != want {
			t.Errorf("reviews(%q) = %v, want %v", sec, got, want)
		}
	}
}

// Who asks, introduced in English, is no topic: "British expat in Dalian
// here" tells who, as "I'm an expat" does.
func TestEnglishRoleIntro(t *testing.T) {
	for c, want := range map[string]bool{
		"british expat in dalian here": true,
		"i'm a volunteer":              true,
		"expats pay what here":         false,
		"the expat policy here":        false,
	} {
		if got := englishRole.MatchString(c); got != want {
			t.Errorf("englishRole(%q) = %v, want %v", c, got, want)
		}
	}
}

// Each of two sides asked (两边…各涨多少) keeps a place only heard of.
func TestEachSideAsked(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"城乡低保标准年均增幅不低于8%。"},
		regions: [][]string{{"辽宁省", "沈阳市"}, {"辽宁省", "沈阳市", "浑南区"}, {"辽宁省", "大连市"}}})
	rd, err := r.Read("我在浑南吃低保 听说大连每年涨得比我们多 两边每年到底各涨多少啊", Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Regions) != 2 {
		t.Errorf("regions %v, want 浑南 and 大连", rd.Regions)
	}
}

// A count searched for is what is measured, not the thing asked about.
func TestCountIsNoKey(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "建成并运营社区食堂不少于15个。")
	if k := r.keyNoun([]Term{noun("社区食堂"), noun("个数")}); k != "社区食堂" {
		t.Errorf("keyNoun = %q, want 社区食堂", k)
	}
}

// The year it is, written beside 现在 or 今年 in its clause, is read as
// 今年; alone it asks that year's figure.
func TestCurrentYear(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"那现在都2026年了,涨到多少了", "那现在都今年了,涨到多少了"},
		{"那今年2026年呢", "那今年今年呢"},
		{"浑南2026年低保标准是多少", "浑南2026年低保标准是多少"},                             // the year alone
		{"现在靠低保过日子,想知道2026年那年低保一个月能拿多少", "现在靠低保过日子,想知道2026年那年低保一个月能拿多少"}, // 现在 of another clause
		{"what is the dibao now in 2026", "what is the dibao now in this year"},
		{"浑南2025年低保标准现在多少", "浑南2025年低保标准现在多少"},                        // another year
		{"大连退休人员的养老金今年涨多少?2026年的调整出来没有", "大连退休人员的养老金今年涨多少?今年的调整出来没有"}, // 今年 where it asks
		{"沈阳 养老金 2026 涨幅", "沈阳 养老金 今年 涨幅"},                            // a keyword
		{"现在每月能领2026元吗", "现在每月能领2026元吗"},                              // an amount, not a year
		{"what will hunnan's dibao be in 2026", "what will hunnan's dibao be in 2026"},
	} {
		if got := currentYear(tc.in, 2026); got != tc.want {
			t.Errorf("currentYear(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Which document the asker points at (政府工作报告里说) names no topic, and
// how many a measure reached (惠及多少户) is a count, not the thing: the
// key is the measure named before.
func TestPointerAndReachNameNoKey(t *testing.T) {
	r := fakeReader(DefaultPolicy(), "为1万户80岁以上老人免费安装了智能养老服务设备。", "做好民生工作。")
	terms := r.terms("政府工作报告里说智能养老服务设备惠及多少户")
	for _, tm := range terms {
		if tm.Text == "工作" || tm.Text == "政府工作报告" {
			t.Errorf("terms hold %q: the document pointed at is no topic", tm.Text)
		}
	}
	if k := r.keyNoun(terms); k != "智能养老服务设备" {
		t.Errorf("keyNoun = %q, want 智能养老服务设备", k)
	}
}

// An everyday word for a kind of measure only (给钱 for 补贴) names no
// measure, as the kind does not; a measure's own name (高龄津贴) and a
// description of whom it is for (爹妈都没了 for 孤儿) do.
func TestKindWord(t *testing.T) {
	for w, want := range map[string]bool{"给钱": true, "有钱拿": true, "高龄津贴": false, "爹妈都没了": false, "低保": false} {
		if got := kindWord(w); got != want {
			t.Errorf("kindWord(%q) = %v, want %v", w, got, want)
		}
	}
}

// The asker's own place, told in their introduction, is one side of a
// comparison with the one place the question names; otherwise the place
// asked about is the question's.
func TestOwnPlaceCompared(t *testing.T) {
	c := fakeCorpus{texts: []string{"街道层面养老服务综合体覆盖率达到80%。"}, regions: [][]string{{"辽宁省", "大连市"}, {"辽宁省", "沈阳市", "浑南区"}}}
	r := gazetteerReader(t, c)
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"我是大连的社区网格员,想跟沈阳浑南区比一比,两边文件里综合体覆盖率分别定的多少", 2},
		{"我是大连的社区网格员,沈阳浑南区综合体覆盖率定的多少", 1},
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rd.Regions) != tc.want {
			t.Errorf("%s: regions %v, want %d", tc.q, rd.Regions, tc.want)
		}
	}
}

// A plan asked is what is planned for a measure, not when it was arranged.
func TestPlanAsked(t *testing.T) {
	for q, want := range map[string]bool{
		"区里在老年助餐这块有啥规划":                           true,
		"浑南区对老年人吃饭这块有什么助餐服务安排":                    true,
		"是什么时候安排的":                                false,
		"what are the targets for 2025":           true,
		"what is the target group of the subsidy": false,
	} {
		if got := planAsked.MatchString(q); got != want {
			t.Errorf("planAsked(%q) = %v, want %v", q, got, want)
		}
	}
}

// A long policy term the documents write weighs its own IDF; below
// OwnIDFRunes it weighs its thesaurus group's lowest, as an everyday word.
func TestOwnIDF(t *testing.T) {
	texts := []string{"为老人免费安装了智能养老服务设备。", "推进智能社区建设。", "发展智能产业。"}
	c := fakeCorpus{texts: texts, idf: map[string]float64{"智能养老服务设备": 5, "智能": 1}}
	p := DefaultPolicy()
	own := readerOf(c, p).idf("智能养老服务设备")
	p.OwnIDFRunes = 100
	group := readerOf(c, p).idf("智能养老服务设备")
	if !(own > group) {
		t.Errorf("idf with OwnIDFRunes 5 = %v, with 100 = %v: want the term's own above its group's", own, group)
	}
}

func TestWholeOf(t *testing.T) {
	written := func(s string) bool {
		return strings.Contains("完成1万户改造任务;总体要求;户数;医院", s)
	}
	tests := []struct{ in, want string }{
		{"总任务", "任务"}, // the documents write 任务, not 总任务
		{"总体", "总体"},  // written whole: 总体要求
		{"总户数", "户数"},
		{"总数", "总数"}, // one character left: no noun of its own
		{"任务", "任务"},
	}
	for _, tc := range tests {
		if got := wholeOf(tc.in, written); got != tc.want {
			t.Errorf("wholeOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNamedAsModel(t *testing.T) {
	for _, tc := range []struct {
		folded, mention string
		want            bool
	}{
		{"宜昌有没有像襄阳那样的志愿云平台", "襄阳", true},
		{"宜昌跟大连一样有海葬吗", "大连", true},
		{"does yichang have a volunteer cloud platform like xiangyang's", "xiangyang", true},
		{"襄阳有志愿云平台吗", "襄阳", false},
		{"像襄阳那样的平台,襄阳还有别的吗", "襄阳", false}, // named again on its own
		{"大连和沈阳比哪个高", "大连", false},
	} {
		if got := namedAsModel(tc.folded, tc.mention); got != tc.want {
			t.Errorf("namedAsModel(%q, %q) = %v, want %v", tc.folded, tc.mention, got, tc.want)
		}
	}
}

// A thing named and then named again after 就是 is asked by the name.
func TestRestated(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"城乡居民最低生活保障标准不低于每人每月850元,低保对象按月领取。"}})
	for _, tc := range []struct{ in, want string }{
		{"困难户那个钱就是低保,到2025年每个月标准是多少", "低保,到2025年每个月标准是多少"},
		{"困难户那个低保现在一个月最少给多少钱", "低保现在一个月最少给多少钱"}, // the measure after 那个
		{"浑南那个低保多少", "浑南那个低保多少"},                // a place, no everyday group word
		{"困难户那个事儿怎么办", "困难户那个事儿怎么办"},            // no measure named after it
		{"我就是想问问,低保多少", "我就是想问问,低保多少"},          // 想问问 names nothing
		{"两项补贴就是生活补贴吗", "两项补贴就是生活补贴吗"},          // asks whether it is
		{"那个钱就是低保多少", "那个钱就是低保多少"},              // asks: the name is no whole clause
		{"低保金立即到账", "低保金立即到账"},                  // 即 of 立即
		{"我家就是低保户,低保多少", "我家就是低保户,低保多少"},        // who the asker is
		{"低保多少", "低保多少"},
	} {
		if got := r.restated(tc.in); got != tc.want {
			t.Errorf("restated(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A question setting one place beside the earlier one ("跟沈阳2016年那个
// 比呢,哪个多") leans on the earlier question, and asks of both places.
func TestComparedWithEarlier(t *testing.T) {
	r := gazetteerReader(t, fakeCorpus{texts: []string{"新增养老床位4000张。"}, regions: [][]string{{"辽宁省", "沈阳市"}, {"辽宁省", "沈阳市", "浑南区"}}})
	earlier := "浑南2023年新增多少养老床位?"
	for _, tc := range []struct {
		q     string
		needs bool
	}{
		{"跟沈阳2016年那个比呢,哪个新增的床位多", true},
		{"沈阳2016年新增多少养老床位", false}, // a question of its own
		{"沈阳哪个区床位多", false},        // sets nothing beside
	} {
		rd, err := r.Read(tc.q, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if got := rd.NeedsContextAfter(earlier); got != tc.needs {
			t.Errorf("NeedsContextAfter(%q) = %v, want %v", tc.q, got, tc.needs)
		}
	}
	rd, err := r.Read("跟沈阳2016年那个比呢,哪个新增的床位多", Request{Context: earlier})
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Regions) != 2 || !rd.Compares {
		t.Errorf("with the earlier question: regions %v, compares %v; want both places compared", rd.Regions, rd.Compares)
	}
}
