package judge

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// An attribute is a practical detail of a service that policy documents
// rarely state: when it opens, where it is, how to reach it. A question
// asking for one ("浑南老年食堂几点开门") is not answered by a passage about
// the service that does not state it ("建成社区食堂15个"), however many
// words they share.
type attribute struct {
	// Name is what the answer says is missing (开放时间).
	Name string
	// cues ask for it, in Chinese or in folded English.
	cues []string
	// not lists words that, right after a cue, make it ask something
	// else (在哪些街道 asks which streets, not where one is).
	not []string
	// anyway: a yes/no question around the cue asks it still (能不能补缴,
	// 能不能索赔), where for others it asks whether the thing exists.
	anyway bool
	// notAfter are characters that, right before a cue, make it another
	// word (提交多少 is no 交多少).
	notAfter string
	// within, when set, are the words one of which the clause holding the
	// cue must name
	// for the cues to ask this ("交多少钱" asks a premium only of an
	// insurance; of a meal it asks the price).
	within []string
	// unless are words of the clause holding the cue, or of the one before
	// it (clauseAt), that make it ask something a document may state (what
	// an insurance pays, 意外险能赔多少).
	unless []string
	// advice says whose advice the detail is (a doctor's, a lawyer's), for
	// the refusal to say so; empty for a practical detail of a service.
	advice Advice
	// told: the cue or the condition within may stand in the asker's
	// account ("我老伴糖尿病,能吃地瓜不", "房子没写遗嘱,咋分"): the whole
	// question is read, the clause of within is not required.
	told bool
	// alone: the cues ask this only when the question asks no figure.
	alone bool
	// cueRe asks it in words the cues cannot list ("降压药能自己停了不",
	// "做完窝沟封闭多久能吃东西"); a match is read as a cue, under the
	// same conditions.
	cueRe *regexp.Regexp
	// stated finds it stated in folded passage text.
	stated *regexp.Regexp
}

// Advice is whose advice a detail the documents never give is.
type Advice string

const (
	Doctor Advice = "doctor" // what to take, whether to stop, what an illness allows
	Lawyer Advice = "lawyer" // what a wrong is worth, how an estate is shared
)

// applyStated finds where or with what one applies stated in a passage.
// 材料 and 窗口 alone are said of many things (宣传材料, 服务窗口); what an
// applicant brings, or where they go, is said beside applying. A window
// counts where the passage says whose it is (街道窗口): "一个窗口受理" says
// how services are run, not where to go. An online platform to sign up on
// (襄阳志愿云) says where, and so does applying online.
var applyStated = regexp.MustCompile(`(?:申请|办理|报名|携带|提交|持)[^。;]{0,20}(?:材料|证件|身份证|户口簿|证明)|(?:材料|证件|身份证|户口簿)[^。;]{0,20}(?:申请|办理|受理|报名)|(?:街道|社区|乡镇|服务中心|服务站)[^。;]{0,12}(?:窗口|大厅)` +
	// an online platform to sign up on (襄阳志愿云) says where
	`|(?:志愿云|服务平台|信息平台|小程序|公众号)[^。;]{0,20}(?:报名|注册|登记|招募|发布)|(?:报名|注册|招募)[^。;]{0,20}(?:志愿云|平台)` +
	// applying online ("申请请访问…在线填写") says how
	`|(?:申请|办理|报名)[^。;]{0,12}(?:访问|登录|在线|网上|线上|扫码)`)

// attributes are tried in order: where to apply (在哪办) before where a
// place is (在哪).
var attributes = []attribute{
	{Name: "开放时间", cues: []string{"几点开门", "几点关门", "几点开们", "几点关们", "几点上班", "几点下班", "几点营业", "几点到几点", "每天几点", "早上几点",
		"开门", "关门", "营业时间", "开放时间", "上班时间", "办公时间", "上不上班", "开不开门", "周末上班", "周六上班", "几点开饭", "几点吃饭", "开饭时间", "几点供餐", "到几点", "几点能接", "几点接", "几点放学", "门诊时间", "挂号时间", "探视时间",
		"opening hours", "what time", "open hours", "business hours", "outpatient hours", "clinic hours", "visiting hours", "what are the hours", "until what time"},
		stated: regexp.MustCompile(`\d{1,2}[::]\d{2}|\d{1,2}点(?:至|到|-|—)|营业时间|开放时间|办公时间`)},
	// Which card or certificate opens a service ("凭什么证件") is stated
	// by a passage naming one (纳入居住证制度).
	{Name: "所需证件", cues: []string{"凭什么证", "凭啥证", "什么证件", "哪些证件", "啥证件", "办啥证", "办什么证", "得办啥证", "要办啥证"},
		stated: regexp.MustCompile(`居住证|身份证|户口簿|残疾人证|社会保障卡|社保卡|优待证|(?:收入|困难|户籍|居住)证明`)},
	{Name: "办理材料和地点", cues: []string{"啥材料", "什么材料", "哪些材料", "带啥", "带什么", "准备啥", "准备什么",
		"条件和材料", "材料和条件", "哪个窗口", "什么窗口", "去哪办", "在哪办", "到哪办", "去哪里办", "在哪里办", "在哪申请", "在哪里申请", "去哪申请", "去哪里申请",
		"在哪报名", "在哪里报名", "去哪报名", "去哪里报名", "到哪报名", "哪里报名",
		"上哪儿", "上哪打", "上哪办", "上哪报名", "上哪申请", "上哪去", "上哪找", "找谁申请", "找谁办", "找谁报名", "找哪个部门", "哪个部门办", "报名地点", "办理地点", "需要的材料", "所需材料", "要带的材料", "材料清单",
		"去哪儿打", "去哪打", "到哪儿打", "在哪打", "哪个接种点", "接种点在哪", "where can", "where exactly",
		"流程", "手续", "补办", "哪个派出所", "哪个app", "哪个小程序", "什么app",
		"what documents", "documents do i need", "what to bring", "where to apply", "where do i apply", "application procedure", "procedure to apply", "procedure for applying", "what is the procedure", "what's the procedure", "paperwork", "which office", "what office", "which department", "which agency", "where do i go", "where should i go", "where do we go", "where do i sign up", "where to sign up", "where can i sign up", "where do i register"},
		stated: applyStated},
	// How to apply (咋申请, 怎么办理) asks the procedure when it is all the
	// question asks; beside a figure ("育儿补贴每月多少,怎么申请") it is a
	// second question, and the figure's passage is what there is to show.
	{Name: "办理材料和地点", alone: true, cues: []string{"咋申请", "怎么申请", "如何申请", "怎样申请", "咋办理", "怎么办理", "如何办理", "咋报名", "怎么报名", "如何报名",
		"how do i apply", "how can i apply", "how to apply", "how do we apply", "how do i sign up", "how to sign up"},
		stated: applyStated},
	// What the insured pays ("居民医保一年交多少钱", "断缴了能补缴吗"): the
	// documents speak of insurance schemes, not of their premiums; only a
	// passage on paying for the same scheme (代缴保费 of 养老保险) says
	// anything of it. Medical insurance first: 医保 is named inside no
	// pension question, while 保险 is inside both.
	premium("医保缴费", []string{"医保", "医疗保险", "惠民保", "大病保险", "medical insurance", "health insurance"}, `医保|医疗保险`),
	premium("个人缴费", []string{"保险", "社保", "意外险", "insurance"}, `保险|社保`),
	// What share of a bill insurance pays back (住院报销比例, 门诊能报多少):
	// the documents speak of schemes and settlement, not of these rates.
	{Name: "报销比例", within: []string{"医", "看病", "住院", "门诊", "药", "报销", "大病", "慢病", "手术", "reimburs", "insurance"}, cues: []string{"报销比例", "报销多少", "能报销多少", "报多少钱", "报多少比例", "能报多少比例", "能报百分之", "能报几成", "报销百分之", "报几成", "reimbursement rate", "reimburse how much", "how much is reimbursed"},
		stated: regexp.MustCompile(`报销[^。;]{0,12}\d+(?:\.\d+)?%|\d+(?:\.\d+)?%[^。;]{0,8}报销|报销比例`)},
	// When sign-up opens (幼儿园报名啥时候开始): a date, which plans do not give.
	{Name: "报名时间", cues: []string{"啥时候报名", "什么时候报名", "何时报名", "报名啥时候", "报名什么时候", "报名时间", "几号报名", "开始报名", "几号开始", "when to register", "registration open"},
		stated: regexp.MustCompile(`\d{1,2}月\d{1,2}日|报名时间`)},
	// On what day a season or term starts (今年啥时候开始供暖): a date,
	// which plans do not give. When a measure starts (育儿补贴制度啥时候
	// 开始) is asked of the measure.
	{Name: "开始日期", cues: []string{"啥时候开始", "什么时候开始", "何时开始", "几月开始", "哪天开始", "几月几号开始", "几号开始供"},
		// when a measure starts to be paid or run (啥时候开始发) asks of the
		// measure, which a plan may date: only the seasons and terms of
		// services ask a day
		not:    []string{"发", "领", "实行", "实施", "执行", "办", "申请", "报名", "涨"},
		within: []string{"供暖", "停暖", "供热", "取暖", "暖气", "开学", "放假", "接种", "打疫苗", "打针"},
		stated: regexp.MustCompile(`\d{1,2}月\d{1,2}日|\d{1,2}月(?:起|开始|份起)`)},
	// How many times over a seller must pay back (退一赔十, 能赔几倍): the
	// documents plan policy; they state no damages. (What an insurance the
	// documents name pays out, 意外伤害险能赔多少, is asked of that insurance.)
	{Name: "赔偿标准", anyway: true, cues: []string{"赔几倍", "几倍赔偿", "退一赔十"},
		stated: regexp.MustCompile(`\d+倍|赔偿[^。;、]{0,6}\d+(?:倍|元)`)},
	// What a care home charges (养老院一个月多少钱): plans speak of beds and
	// homes, not of their fees.
	{Name: "机构收费", within: []string{"养老院", "敬老院", "养老机构", "老年公寓", "护理院", "福利院"},
		cues:   []string{"一个月多少钱", "多少钱一个月", "一个月收多少", "收多少钱", "一个月得多少", "费用多少", "怎么收费", "收费标准", "哪家便宜", "收费多少", "一个月收费"},
		stated: regexp.MustCompile(`\d+元/?(?:每)?(?:月|人)|收费标准`)},
	// How long an application takes (多少天能批下来): plans set targets,
	// not processing times.
	{Name: "办理时限", cues: []string{"多少天能批", "几天能批", "多久能批", "多长时间能批", "多久批", "多少天批", "多少个工作日", "几个工作日", "多久能办", "多久能下来", "多少天能下来"},
		stated: regexp.MustCompile(`\d+个?工作日|\d+(?:日|天)内`)},
	// A price by floor area (供暖费多少钱一平米) is a tariff: the documents
	// speak of heating and housing, not of what a square metre costs.
	{Name: "每平方米价格", cues: []string{"一平米", "每平米", "一平方", "每平方", "一个平方", "一平多少", "per square"},
		stated: regexp.MustCompile(`元\s*/\s*(?:平方米|㎡|平米)|元每平方米|每平方米\S{0,4}元`)},
	// A price by volume (水费一立方多少钱) is a tariff, as by floor area.
	{Name: "每立方米价格", within: []string{"水费", "水价", "自来水", "用水", "一吨水", "一方水", "燃气", "天然气", "煤气", "water", "gas"}, cues: []string{"一立方", "每立方", "一方水", "一吨水", "每吨水", "水价", "一吨多少钱", "多少钱一吨", "每吨多少钱", "一方多少钱", "多少钱一方",
		"per cubic", "per ton", "water price"},
		stated: regexp.MustCompile(`元\s*/\s*(?:立方米|吨|m3|m³)|每立方米\S{0,4}元|每吨\S{0,4}元`)},
	// Which homes a school takes pupils from (九小划片是哪几个小区): a zoning
	// the education bureau publishes each year, not a plan's matter.
	{Name: "学区划片", cues: []string{"划片", "学区划分", "学区范围", "对口小区", "对口哪个学校", "对口学校", "学区是咋划", "学区咋划", "学区怎么划", "学区是怎么划", "划学区", "划到哪个学校", "划哪个学校", "分到哪个学校", "划到哪所", "对口哪所", "zoned for", "school zone", "school district", "catchment"},
		stated: regexp.MustCompile(`划片|学区范围|对口(?:学校|小区|入学)`)},
	// What a box or bottle of something sells for (布洛芬一盒多少钱): a
	// retail price, which plans never give.
	{Name: "零售价格", cues: []string{"一斤多少钱", "多少钱一斤", "一斤多钱", "每斤多少钱", "一公斤多少钱", "多少钱一公斤", "一盒多少钱", "多少钱一盒", "一盒多钱", "每盒多少钱", "一瓶多少钱", "多少钱一瓶", "一支多少钱", "多少钱一支", "一板多少钱", "per box", "per bottle"},
		stated: regexp.MustCompile(`\d+(?:\.\d+)?元\s*/?\s*(?:每)?(?:盒|瓶|支|板|袋|斤|公斤)`)},
	// Which medicine to take for an illness (高血压吃啥药好使): a doctor's
	// advice, which plans never give; they speak of 药品 supply and safety.
	{Name: "用药", advice: Doctor, cues: []string{"吃啥药", "吃什么药", "用什么药", "用啥药", "吃哪种药", "吃哪个药", "什么药好", "啥药好", "药好使", "一天吃几次", "吃几次", "吃几片", "吃多少片", "一次吃几", "用量", "what medicine", "which medicine", "what medication"},
		// whether a drug is paid for (吃什么药能报销) is a policy question
		not:    []string{"能报", "报销", "医保", "可以报", "免费", "纳入"},
		stated: regexp.MustCompile(`服用|遵医嘱`)},
	// Whether a drug may be stopped or cut (降压药能停吗): a doctor's
	// call, as which drug to take.
	{Name: "停药", advice: Doctor, anyway: true, within: []string{"药", "降压", "降糖", "血压", "血糖", "胰岛素", "medicine", "medication", "pill"},
		cues: []string{"停药", "能停吗", "能不能停", "能停不", "可以停吗", "可不可以停", "减药", "能减量", "stop taking"},
		// the same asked in other words: a may before stopping (能自己停了不,
		// 能不能把药停了), or stopping before an asking (停了,行不行)
		cueRe:  regexp.MustCompile(`(?:(?:^|[^智可功])能|可以|能不能|可不可以|敢)[^,。?!;\s]{0,6}?(?:停|减量)(?:掉|了)?(?:\p{Han}{0,3}药)?(?:吗|不|么|呢|啊|呀|吧|$|[,。?!;\s])|停(?:了|掉)[,\s]?(?:行不行|行吗|可以吗|行不|中不|成不|好不好)`),
		not:    []string{"车"},                          // 能不能停车
		unless: []string{"报销", "药费", "补贴", "医保", "费用"}, // whether a payment stops
		stated: regexp.MustCompile(`停药|减药`)},
	// What an illness allows (糖尿病能吃地瓜不) and what a treatment does to
	// one (窝沟封闭有没有坏处, 会不会疼): a doctor's advice. Plans name
	// services, not their effects.
	{Name: "医嘱", advice: Doctor, told: true, within: []string{"病", "血压", "血糖", "癌", "痛风", "封闭", "窝沟", "疫苗", "手术", "体检", "打针", "接种",
		"diabetes", "blood pressure", "vaccin", "sealant", "sealing", "surgery", "check-up"},
		cues: []string{"能吃", "能不能吃", "可以吃", "能喝", "能不能喝", "有没有坏处", "有啥坏处", "有什么坏处", "副作用", "会不会疼", "疼不疼", "疼吗", "空腹", "side effect"},
		// 能吃上饭, 能吃低保, 能吃食堂: whether a measure reaches them
		not:    []string{"饭", "上", "到", "低保", "特困", "食堂", "社区", "助餐", "老年餐", "救济"},
		stated: regexp.MustCompile(`副作用|不良反应|禁忌`)},
	// What one may do after a treatment, and when ("窝沟封闭做完能马上吃饭
	// 吗", "打完疫苗多久能洗澡", "how long should my kid wait before
	// eating"): a doctor's advice. The treatment is named, the time or the
	// act right after it; a measure reached after it (做完手术能吃低保吗,
	// 打完疫苗能吃上免费午餐吗) is no such question.
	{Name: "医嘱", advice: Doctor, within: []string{"封闭", "窝沟", "疫苗", "手术", "打针", "接种", "sealant", "sealing", "vaccin", "surgery"},
		cueRe:  regexp.MustCompile(`(?:做完|打完|接种完|封闭完|术后)[^,。?!;]{0,10}?(?:多久|多长时间|能不能|能|可以)(?:马上|立刻|立即|就)?(?:吃|喝|洗澡|运动|刷牙)|\bwait (?:before|to) (?:eat|drink|shower|bath)(?:ing)?\b|\bbefore (?:eating|drinking)\b`),
		not:    []string{"上", "到", "低保", "特困", "食堂", "助餐", "老年餐", "救济", "免费", "午餐", "补贴"},
		stated: regexp.MustCompile(`副作用|不良反应|禁忌`)},
	// How an estate is shared (房子没写遗嘱 我和我姐咋分): a court's or a
	// lawyer's matter. The will may be told before the asking.
	{Name: "继承", advice: Lawyer, told: true, within: []string{"遗嘱", "遗产", "no will", "a will", "inherit"},
		cues:   []string{"咋分", "怎么分", "如何分", "分给谁", "归谁", "split among", "split between", "divided among", "divided between", "who inherits"},
		stated: regexp.MustCompile(`遗嘱|遗产|继承`)},
	// What a wrong done to one person is worth, or whether to sue over it
	// (护工打了我爸 能赔多少, 能起诉养老院吗): a court's or a lawyer's matter.
	// What an insurance pays out is asked of the insurance.
	{Name: "赔偿数额", advice: Lawyer, anyway: true, unless: []string{"险", "保障", "救助", "工伤", "征", "拆迁", "补偿", "insurance", "unemployment", "requisition", "demolition"},
		cues: []string{"能赔多少", "赔多少", "要多少赔偿", "多少赔偿", "赔偿多少", "赔偿金多少", "能起诉", "起诉", "告他们", "告养老院", "告单位", "告公司", "sue", "how much compensation", "claim compensation", "compensation can", "severance"},
		// paid to whom, between (平台应该赔我多少钱)
		cueRe:  regexp.MustCompile(`赔(?:我|他|她|我们|俺)(?:多少|几)`),
		stated: regexp.MustCompile(`赔偿[^。;]{0,6}\d+(?:倍|元)|诉讼`)},
	// Which drug, named after the asking word (该吃啥降压药, 吃什么药好).
	{Name: "用药", advice: Doctor, within: []string{"药"}, cues: []string{"该吃啥", "吃啥", "吃什么", "吃哪种", "用哪种", "用什么"},
		not:    []string{"能报", "报销", "医保", "免费", "饭", "餐"},
		unless: []string{"报销", "医保", "免费", "补贴", "目录"},
		stated: regexp.MustCompile(`服用|遵医嘱`)},
	{Name: "地址", cues: []string{"地址", "在哪", "在啥地方", "在什么地方", "啥地方啊", "在哪个地方", "具体位置", "什么位置", "哪个位置", "啥位置", "怎么走", "address", "where is", "where are", "location"},
		// 在哪个平台报名 asks which one; 在哪办/在哪申请 where to apply (above)
		not:    []string{"些", "个", "几", "类", "种", "办", "申请", "领", "交", "报名"},
		stated: regexp.MustCompile(`地址|位于|[路街道巷]\d+号`)},
	// 打电话问 says how the asker was asked, not for a number (拨打电话是多少
	// still asks one); a passage
	// speaking of a hotline (12345热线) gives no office's number.
	{Name: "电话", cues: []string{"电话", "联系方式", "手机号", "网址", "网站", "公众号", "phone", "telephone", "contact number", "website", "number to call", "hotline number"},
		notAfter: "来接通",
		not:      []string{"问", "来问", "咨询", "打听", "里", "中说", "上说"}, // 电话里说: how the asker heard it
		stated:   regexp.MustCompile(`\d{3,4}-\d{7,8}|\d{7,}|https?:|www\.`)},
}

// premium is the attribute of what the insured pays for the schemes
// named by within; a passage states it when it speaks of paying beside
// one of the words of scheme.
func premium(name string, within []string, scheme string) attribute {
	paying := `(?:缴费|缴纳|保费|代缴|补缴)`
	return attribute{Name: name, within: within, anyway: true, notAfter: "提递上申",
		cues: []string{"交多少", "缴多少", "一年交", "每年交", "一个人交", "个人交", "个人要交", "自己交", "个人缴", "补缴", "断缴", "补交",
			"缴费标准", "缴费档次", "保费多少", "how much do i pay", "how much does it cost", "premium"},
		stated: regexp.MustCompile(`(?:` + scheme + `)[^。;]{0,30}` + paying + `|` + paying + `[^。;]{0,30}(?:` + scheme + `)`)}
}

// askedAttribute is the attribute the question asks for, nil for none.
func askedAttribute(folded string) *attribute { return attributeIn(folded, "") }

// toldAttribute is the attribute asked (its cue in asked, the question
// without the asker's account) of something told anywhere in whole
// ("我老伴糖尿病,能吃地瓜不"): nil for none.
func toldAttribute(asked, whole string) *attribute { return attributeIn(asked, whole) }

// attributeIn is askedAttribute, or toldAttribute when whole is set.
func attributeIn(folded, whole string) *attribute {
	told := whole != ""
	// 哪儿 and 哪里 ask where as 哪 does (去哪儿办 is 去哪办)
	folded = whereWords.Replace(folded)
	for i := range attributes {
		a := &attributes[i]
		if told && !a.told {
			continue
		}
		within := folded
		if told {
			within = whole
		}
		if (len(a.within) > 0 && !containsAny(within, a.within)) || (a.alone && (retrieval.AsksForFigure(folded) || comparesIn(folded))) {
			continue
		}
		// asks reports whether the cue c found at folded[k:] asks a.
		asks := func(k int, c string) bool {
			rest := folded[k+len(c):]
			prev, _ := utf8.DecodeLastRuneInString(folded[:k])
			return !startsAny(rest, a.not) && !strings.ContainsRune(a.notAfter, prev) && (len(a.within) == 0 || a.told || containsAny(clauseAt(folded, k), a.within)) && !containsAny(clauseAt(folded, k), a.unless) &&
				(a.anyway || !existsBefore(folded[:k])) && (!latinWord(strings.ReplaceAll(c, " ", "")) || wholeWords(folded, k, len(c)))
		}
		for _, c := range a.cues {
			for at := 0; ; {
				k := strings.Index(folded[at:], c)
				if k < 0 {
					break
				}
				if asks(at+k, c) {
					return a
				}
				at += k + len(c)
			}
		}
		if a.cueRe != nil {
			for _, m := range a.cueRe.FindAllStringIndex(folded, -1) {
				if asks(m[0], folded[m[0]:m[1]]) {
					return a
				}
			}
		}
	}
	return nil
}

// whereWords folds the spoken forms of 哪 for matching cues: questions as
// they are read, cues once, here.
var whereWords = strings.NewReplacer("哪儿", "哪", "哪里", "哪")

func init() {
	for i := range attributes {
		var folded []string
		for _, c := range attributes[i].cues {
			if c = whereWords.Replace(c); !slices.Contains(folded, c) {
				folded = append(folded, c)
			}
		}
		attributes[i].cues = folded
	}
}

// clauseAt is the clause of folded that holds byte offset i, with the
// clause before it ("职工养老保险还差6年,能不能一次性补缴").
func clauseAt(folded string, i int) string {
	prev, start, end := 0, 0, len(folded)
	for _, m := range clauseRe.FindAllStringIndex(folded, -1) {
		if m[1] <= i {
			prev, start = start, m[1]
		} else if m[0] >= i {
			end = m[0]
			break
		}
	}
	return folded[prev:end]
}

// wholeWords reports whether the English cue at folded[i:i+n] stands as
// whole words ("phone", not the phone of "smartphone").
func wholeWords(folded string, i, n int) bool {
	letter := func(b byte) bool { return b >= 'a' && b <= 'z' }
	return (i == 0 || !letter(folded[i-1])) && (i+n == len(folded) || !letter(folded[i+n]))
}

// existsBefore reports whether the clause ending at the cue asks whether
// something exists ("有没有啥图能下载看公厕在哪"): that is the question, and
// the attribute only what the thing would show.
func existsBefore(before string) bool {
	if cs := clauseRe.Split(before, -1); len(cs) > 0 {
		// 、 joins two questions as a comma does ("能不能索赔、能赔几倍")
		last := cs[len(cs)-1]
		if i := strings.LastIndex(last, "、"); i >= 0 {
			last = last[i+len("、"):]
		}
		return containsAny(last, yesNoCues)
	}
	return false
}

// statedIn reports whether one of hits states the attribute.
func (a *attribute) statedIn(hits []retrieval.Hit) bool {
	for _, h := range hits {
		if a.stated.MatchString(retrieval.Fold(h.Text)) {
			return true
		}
	}
	return false
}
