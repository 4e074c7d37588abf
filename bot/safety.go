package bot

import (
	"regexp"
	"strings"

	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval"
)

// Requests to look up a person's records. The bot has no access to any
// records and must not pretend to. The pattern needs a look-up verb, a
// person followed by 的, and a kind of personal record; the person is then
// checked in code, because place names (浑南区的低保标准) and the asker
// themself (我的社保怎么查) are not someone else's records.
var (
	recordLookup = regexp.MustCompile(
		`(?i:查一下|查询|查看|查查|调取|调出|看一下|看看|告诉我|打听|找出|查|look up|check|find|show me|tell me)[^,。?!,?!]{0,6}?` +
			`(\p{Han}{1,4}|[a-zA-Z][a-zA-Z ]{0,20})的(?:发放|缴费|缴纳|参保|就诊|个人)?` + recordKinds + `(\p{Han}{0,2})`)
	recordAfter = regexp.MustCompile(
		`(\p{Han}{2,4})的` + recordKinds + `[^。?!?!]{0,8}(?:帮我|给我|替我)?(?:查|查询|查一下|查查|调出来)`)
	recordKinds = `(社保|医保|低保|养老金|退休金|公积金|缴费|档案|记录|信息|账户|存款|住址|地址|电话|手机号|身份证|工资|病历|补贴|救助金)`
)

// notAPerson are words that stand before 的 without naming anyone whose
// records could be looked up. The asker (我的社保) is a person: the bot can
// no more look up their records than anyone else's; only a question of how
// to look them up (怎么查询我的社保) is answered, and that is told apart by
// its how-word, not by the person.
var notAPerson = []string{"大家", "居民", "老人", "老年人", "残疾人", "政府", "国家"}

// whereWords before a look-up ask where to do it, which is a question
// about procedure like a how-question.
var whereWords = []string{"在哪", "哪里", "去哪", "能否", "可以在"}

// placeSuffixes end place names: 浑南区的, 沈阳市的.
var placeSuffixes = []string{"省", "市", "区", "县", "镇", "乡", "村", "街道", "社区", "旗"}

// policyWords after the record kind make it a question about rules, not a
// person's records: 养老金标准, 低保政策.
var policyWords = []string{"标准", "政策", "规定", "制度", "办法", "比例", "待遇", "水平", "怎么", "如何"}

// Status lookups ask where one person's case stands: whether a payment
// has arrived, how far an application has got. No policy document can
// say, however the question is worded ("到没到账 咋查", "帮居民查一下审核到
// 哪一步了", "check whether my mother's pension has been paid"), so they
// are refused like a look-up of records. Unlike a look-up, asking how to
// follow one's own case (怎么查审批进度) is refused too: the refusal says
// where to go, which is all there is to say.
var (
	// Asking forms only: "刚批下来" is the asker's situation, "批下来没" a
	// question about it, and "多久能批下来" one about the procedure.
	statusCues = []string{"到账了吗", "到账了没", "到账没", "到没到账", "有没有到账", "到账了没有", "到帐没", "到没到帐",
		"批下来没", "批下来了吗", "批下来了没", "批了没", "批没批", "批准没", "审批进度", "审核进度",
		"办理进度", "申请进度", "审到哪", "审核到哪", "办到哪", "到哪一步", "办下来没", "发下来没", "发没发", "通过没", "通过了没",
		"结果出来没", "结果出来了没", "结果出来了吗", "结果下来没", "结果下来了吗", "办结没", "办结了没", "办结了吗", "处理了没", "处理完了没",
		// what the asker's own account holds ("我妈养老保险一共交了多少年")
		"交了多少年", "缴了多少年", "交了几年", "缴了几年",
		// a payment that came short (这个月咋少发了两百)
		"少发了", "少给了", "少打了", "少发两百",
		"打没打到卡", "打没打卡上", "到没到卡上",
		"到账情况", "到帐情况", "还没到账", "没到账", "还没到帐", "还没发下来", "怎么还没发", "为啥还没发", "咋还没发", "发了没", "卡上没看见", "卡上没见", "卡里没看见"}
	// statusSilent finds the asker's own application not heard of since
	// ("去年交了低保申请材料,到现在没信,进度咋样了"): a case's state; not a
	// policy's (政策到现在没动静), nor 没信心, nor how long it takes in
	// general (多久能批下来), which is a question of procedure.
	statusSilent = regexp.MustCompile(`(?:申请|交了|递了|报了|提交)[^?\x{FF1F}]{0,20}?(?:到现在|一直|至今|还)(?:都)?没(?:信儿|信|回音|动静)(?:$|[^心])`)
	// procedureAsks ask how long or how, of applying in general.
	procedureAsks = []string{"多久", "多长时间", "几天", "怎么", "如何"}
	// statusCard finds a payment asked after by where it lands (打到卡上了没,
	// 到卡里没有).
	statusCard = regexp.MustCompile(`(?:^|[^不])(?:打|到|发|转)(?:到)?(?:卡|账户|折子|存折)(?:上|里)?(?:了(?:没|吗|没有|么)|没有?)(?:$|[,。?!\x{FF0C}\x{FF1F}\x{FF01}\s])` +
		`|(?:啥时候|什么时候|咋还没|怎么还没|为啥还没|还没)[^,。?!\x{FF0C}\x{FF1F}]{0,6}(?:打|到|发|转)到?(?:我|俺|咱|他|她)?的?(?:卡|账户|折子|存折)` +
		// a payment of this month that has not come, with a look-up asked
		// ("护理补帖这个月没到 帮查一下")
		`|(?:这个月|本月|上个月|这月)(?:还)?(?:没到|没发|没打|没给)[^?\x{FF1F}]{0,6}(?:查|问问)` +
		// or came short, asked why ("退休金这个月少了两百块 是咋回事 帮忙查查",
		// "这个月退休金为啥少了两百块,我该怎么帮他查"): a payment named, not a
		// rule that changes from this month (本月起养老金为什么扣了医保费)
		`|(?:` + payments + `)[^,。?!\x{FF0C}\x{FF1F}]{0,6}?(?:这个月|本月|上个月|这月)(?:[^起开,。?!\x{FF0C}\x{FF1F}][^,。?!\x{FF0C}\x{FF1F}]{0,5}?)?(?:` + cameShort + `)[^?\x{FF1F}]{0,12}(?:查|咋回事|怎么回事|为啥|为什么|看看)` +
		`|(?:这个月|本月|上个月|这月)[^起开,。?!\x{FF0C}\x{FF1F}]{0,4}?(?:` + payments + `)[^,。?!\x{FF0C}\x{FF1F}]{0,4}?(?:为啥|为什么|咋|怎么)(?:` + cameShort + `)` +
		// or has not come, asked what is wrong ("养劳金这个月还没打过来是咋回事啊你给看看")
		`|(?:这个月|本月|这月)(?:还)?(?:没到|没发|没打|没给)[^?\x{FF1F}]{0,8}(?:咋回事|怎么回事|看看)`)
	// statusMine finds when something the asker applied for will happen
	// ("我上个月申请的适老化改造,啥时候能派人来"): their own case, told from
	// the rule ("申请了低保以后多久能领到钱") by the time they name it by.
	// A case handed in at a time the asker names (上个月递的低保申请啥时候
	// 能批) is one person's, whoever's it is.
	statusMine = regexp.MustCompile(`(?:^|[,。?!\x{FF0C}\x{FF1F}\s])(?:我|俺|我家|俺家|我妈|我爸|俺妈|俺爸)(?:上个月|上月|上周|前几天|前阵子|前段时间|去年|年初|刚|已经|早就)[^,。?!\x{FF0C}]{0,4}(?:申请|报|提交|递|交)(?:的|了)[^?\x{FF1F}]{0,24}(?:啥时候|什么时候|多久|几天|咋还没|怎么还没|为啥还没)` +
		`|(?:上个月|上月|上周|前几天|前阵子|前段时间|年初)[^,。?!\x{FF0C}]{0,4}(?:申请|提交|递|交)的[^,。?!\x{FF0C}]{0,8}(?:申请|材料)[^?\x{FF1F}]{0,8}(?:啥时候|什么时候|多久|几天)(?:能|才能)?(?:批|审|下来|通过)` +
		// a case handed in for a while told ("我妈的低保申请交上去一个多月了 啥时候能批下来"),
		// not "我们社区的低保申请交了以后多久能批"
		`|(?:^|[,。?!\x{FF0C}\x{FF1F}\s])(?:我|俺)(?:家|妈|爸)?(?:的)?[^们,。?!\x{FF0C}][^,。?!\x{FF0C}]{0,5}?申请(?:交上去|递上去|交了|递了|提交了|报上去)[^?\x{FF1F}]{0,10}?了[^?\x{FF1F}]{0,4}(?:啥时候|什么时候|多久)(?:能|才能)?(?:批|审|下来|通过)`)
	// statusKeywords finds a look-up typed as keywords: oneself, or 查 as
	// the first word, and a payment landing ("查询 本人 养老金 本月 到账",
	// "查 养劳金 到帐 没").
	// Keywords only (words apart, no asking): "低保金到账后需要本人去银行
	// 激活吗" asks a rule.
	statusKeywords = regexp.MustCompile(`^[^?。!,\x{FF1F}]*(?:(?:本人|个人|查询|^查 )[^?。!,\x{FF1F}]* [^?。!,\x{FF1F}]*(?:到账|未到账)|(?:到账|未到账)[^?。!,\x{FF1F}]* [^?。!,\x{FF1F}]*(?:本人|个人|查询))[^?。!,\x{FF1F}]*$`)
	// statusApproved finds whether the asker's own application was approved
	// (我的底保审批通过了吗).
	statusApproved = regexp.MustCompile(`(?:我|俺|我妈|我爸|俺妈|俺爸|我家|俺家)的[^,。?!\x{FF0C}]{0,8}(?:审批|审核|申请)(?:通过|批)了(?:吗|没|没有|么)`)
	// statusWhen finds when the asker's own payment arrives ("我去年住院的医保
	// 报销款啥时候能到账").
	statusWhen = regexp.MustCompile(`(?:我|俺)(?:的|家的|去年|上个月|上月|前几天|今年)[^?\x{FF1F}]{0,16}(?:啥时候|什么时候|多久)(?:能|才能)?(?:到账|到帐|打过来|发下来|打到卡)`)
	// statusProgress finds the progress of an application asked after with
	// words between (申请低保的进度).
	statusProgress = regexp.MustCompile(`(?:申请|办理|审批|审核)[^,。?!;\x{FF0C}\x{3002}\x{FF1F}\x{FF01}]{0,8}进度|(?:帮|替|给)(?:我|俺|他|她|忙)?查(?:一)?下?进度`)
	// statusAccount finds a look-up of one person's own account the bot is
	// asked to make ("能帮查下她个人账户不"; not 怎么查我的社保账户, a how-to),
	// a payment of this month that came short ("退休金这个月咋少了两百块";
	// not "床位这个月为啥少了", which names no payment), and when this
	// month's payment lands.
	statusAccount = regexp.MustCompile(`(?:帮|给|替)(?:我|俺|忙)?(?:查|查询|查查|看看)(?:一下|下)?(?:他|她|我|俺|我妈|我爸|俺妈|俺爸)(?:的)?(?:个人)?(?:账户|社保账户|医保账户|缴费记录|参保记录|档案)` +
		`|(?:` + payments + `)[^,。?!\x{FF0C}\x{FF1F}]{0,4}(?:这个月|本月|这月|上个月)(?:咋|怎么|为啥|为什么)(?:又)?少(?:了|发了|给了|打了)` +
		// when this month's payment lands ("养劳金这个月几号到账"), not when
		// it is paid as a rule (一般每月几号发)
		`|(?:这个月|本月|这月)(?:几号|哪天|啥时候|什么时候)(?:能)?(?:到账|到帐|发钱|打钱|打到卡)` +
		// one person's payment and whether it came ("我爸退休金查询 帮我看看到没到")
		// one person's points on a scheme ("那我现在积了多少分")
		`|(?:我|俺|他|她)(?:自己)?(?:现在|目前|已经)?(?:积了|攒了|有|的积分有|积分有)(?:多少|几)分` +
		// one person's balance on a card or account ("我妈的医保卡余额还有多少")
		`|(?:^|[^其])(?:我|俺|他|她)[^,。?!\x{FF0C}\x{FF1F}]{0,10}?(?:卡|账户|帐户)(?:里|上)?(?:的)?余额(?:还)?(?:有|剩|是)?(?:多少|几)` +
		// how much one's own payment went up ("我的养劳金今年到底涨了多少"):
		// their own statement, not the rule (养老金今年涨了多少)
		`|(?:我|俺)(?:妈|爸|家)?的(?:` + payments + `)[^,。?!\x{FF0C}\x{FF1F}]{0,8}?(?:涨了|长了|加了|调了|多了)(?:多少|几)` +
		// one's own place in a queue ("公租房排队 我排到第几号了"), not a
		// place's ranking (我市低保排第几位)
		`|(?:^|[^其])(?:我|俺)(?:家|妈|爸)?(?:[^市省区县们,。?!\x{FF0C}\x{FF1F}][^,。?!\x{FF0C}\x{FF1F}]{0,5}?)?(?:排到|排在)(?:了)?第(?:几|多少)(?:号|位|名)` +
		// hours one person has put in ("帮我查下我儿子在襄阳做志愿者攒了多少小时"),
		// not others' (其他志愿者, 她们)
		`|(?:^|[^其])(?:我|俺|他|她)(?:[^们,。?!\x{FF0C}\x{FF1F}][^,。?!\x{FF0C}\x{FF1F}]{0,15}?)?(?:攒了|积了|累计了)(?:多少|几)(?:个)?(?:小时|钟头|时长)` +
		// or on one's own card ("我在襄阳的流动人口积分卡现在有多少分",
		// "我现在积分多少了"), not how many points a rule needs (积分多少分能落户)
		`|(?:^|[^其])(?:我|俺|他|她)(?:的|在|现在|目前|办的)[^?\x{FF1F}]{0,16}?积分(?:卡)?[,\x{FF0C}\s]?(?:现在|目前|已经)?(?:积了|攒了)?(?:有|是|攒了|积了|到)?(?:多少|几)(?:分)?(?:了)?(?:[,。?!\x{FF0C}\x{FF1F}\x{FF01}\s]|呢|啊|$)` +
		`|(?:我|俺|他|她)(?:的|家)?(?:妈|爸|娘|爹|老伴|老头|老太太|老爷子|老太|爷爷|奶奶|姥姥|姥爷|外婆|外公|父亲|母亲)?(?:的)?(?:` + payments + `)[^?\x{FF1F}]{0,10}(?:到没到|到了没|到了吗|发了吗|来了没)`)
	// balanceLeft finds what is left on one's own card, account or
	// voucher ("我妈的沙河口电子货币券还剩多少钱"): money, not a count of
	// anything (还有几个名额), and not a how-to (怎么查我的医保卡还剩多少钱).
	balanceLeft = regexp.MustCompile(`(?:^|[^其])(?:我|俺|他|她)(?:[^们,。?!\x{FF0C}\x{FF1F}][^,。?!\x{FF0C}\x{FF1F}]{0,11}?)?(?:卡|账户|帐户|券|折子|存折)(?:里|上)?(?:还剩|剩下|还有|剩)(?:多少钱|多少元|多少块|几块钱|几百|多少余额)`)
	// lookupRequest asks the bot itself to look something up ("能帮查下不",
	// "你这能查到不", "帮他查一下"); ownAmount names one person's own
	// payment, points or account and an amount of it ("我妈在浑南领的养劳金
	// 这个月到账多少", "他自己每个月养老金具体发多少"). Together they ask for
	// that person's record; a rule asked (帮我查一下浑南低保标准多少) names a
	// policy word and is none.
	lookupRequest = regexp.MustCompile(`(?:帮|给|替)(?:我|俺|忙|他|她)?(?:查|查询)|(?:帮|给|替)(?:我|俺|忙|他|她)?看(?:一下|下|看)?(?:不|吗|么|呗|呀|啊)?(?:$|[,。?!\x{FF0C}\x{FF1F}\s])|你(?:这|这儿|这里|们)?(?:能|可以|能不能)(?:查|查到|查出)`)
	ownAmount     = regexp.MustCompile(`(?:(?:^|[^帮给替查])(?:我|俺|他|她)|本人)(?:妈|爸|家|自己|爹|娘|老伴)?[^,。?!说记听想\x{FF0C}\x{FF1F}]{0,8}?(?:` + payments + `|养老钱|养老保险|个人账户|积分)[^?\x{FF1F}]{0,16}?(?:多少|几|金额|数额)`)
	// statusLookup finds a look-up asked for and a case's state asked in
	// one clause ("查下俺老伴这个月养老钱到了没", "帮我查下我家低保审批过了没"),
	// whatever names the payment between; not a policy's state ("帮我查一下
	// 新的育儿补贴政策发了吗", see lookupPolicy) nor 检查/调查.
	statusLookup = regexp.MustCompile(`(?:^|[^检调审])(?:查|看看|看一下|瞅瞅)[^,。?!;\x{FF0C}\x{FF1F}\x{FF01}]{0,16}?(?:到了没|到没到|到了吗|来了没|过了没|过没过|批了没|审批过了|审核过了|通过了吗|通过没|发了没|发了吗|排上(?:了)?没|排上[^,。?!;\x{FF0C}\x{FF1F}\x{FF01}]{1,8}?没)`)
	// lookupPolicy are words that make a state asked after a policy's.
	lookupPolicy = []string{"政策", "标准", "文件", "方案", "通知", "规定", "制度"}
	// statusOwn finds one person's own payment details asked to be looked
	// up or printed ("查询本人养老金发放明细", "帮我打印我的医保缴费明细",
	// typed as keywords: "查一下 我 养老金 发放记录"): a statement of their
	// account, no policy.
	statusOwn = regexp.MustCompile(`(?:查|看看|打印|打出|调出)[^,。?!\x{FF0C}\x{FF1F}]{0,4}(?:本人|我的|俺的|自己的|我 |俺 )[^,。?!\x{FF0C}\x{FF1F}]{0,8}(?:发放|缴费|缴纳|到账|领取)(?:明细|记录|流水)` +
		// or someone's, a look-up asked on their behalf ("让我帮他查下发放记录")
		`|(?:帮|替|给)(?:我|俺|他|她|忙)?(?:查|查询|查查|调)(?:一)?下?(?:他|她|他的|她的|老人的|大爷的|大妈的)?[^,。?!\x{FF0C}\x{FF1F}]{0,4}(?:发放|缴费|缴纳|到账|领取|参保)(?:明细|记录|流水)`)
	// statusListed finds whether one's own building is on a works list
	// ("名单里有没有我们小区", "今年改不改我家那栋楼", "我家那个小区在不在名单里",
	// "暖房子改造排到我们楼没有"):
	// one case, which no document lists.
	statusListed = regexp.MustCompile(`名单(?:里|上)?(?:有没有|有|包不包括|包括)(?:我|我们|我家|俺家|咱家|俺们)(?:的|家)?(?:小区|楼|那栋楼|这栋楼|单元|村)` +
		`|(?:排到|轮到|排上|轮上|改到|修到)了?(?:我|我们|我家|俺家|咱家|俺们|咱们)(?:的|家)?(?:那栋|这栋|那个|这个)?(?:小区|楼|单元|村)了?(?:没|吗|么|不)` +
		`|(?:改不改|修不修|换不换|装不装)(?:我|我们|我家|俺家|咱家|俺们)(?:的|家)?(?:那栋|这栋|那个|这个)?(?:小区|楼|单元)` +
		`|(?:我|我们|我家|俺家|咱家|俺们)(?:的|家)?(?:那栋|这栋|那个|这个)?(?:小区|楼|单元)[^,。?!\x{FF0C}\x{FF1F}]{0,4}(?:在不在|有没有在|算不算在|能不能进|进没进|上没上)[^,。?!\x{FF0C}\x{FF1F}]{0,16}名单`)
	// statusShort finds one's own payment asked after in a word or two
	// ("那我的这个月到了没"): a possessive, a time, whether it came.
	statusShort = regexp.MustCompile(`(?:我的|俺的|我家的|俺家的|我妈的|我爸的|俺妈的|俺爸的)[^,。?!\x{FF0C}\x{FF1F}]{0,6}(?:到了没|到没到|到了吗|发了没|发了吗|来了没)`)
	// idGiven finds an identity number the asker hands over ("身份证后四位
	// 0312"): only a look-up of one person's records needs it. Four digits
	// followed by 年 are a year (社保卡号2024年以后会换吗).
	idGiven = regexp.MustCompile(`(?:身份证|社保卡|医保卡)(?:号码|号|后四位|后4位|后六位|尾号)[^,。?!\x{FF0C}\x{FF1F}]{0,3}(?:[0-9]{6,}|[0-9]{4}(?:[^年0-9]|$))`)
	// In English a person's own payment or application must be named:
	// "how much pension was paid in Dalian" asks about policy.
	statusEnglish = regexp.MustCompile(`\b(?:(?:has|have|was|were|is) (?:my|her|his|our|their) (?:[\w']+ ){0,2}?(?:pension|dibao|allowance|subsidy|benefit|payment|money|salary|application)s?(?: [\w']+){0,4}? (?:been )?(?:paid|arrived|approved|processed)` +
		`|(?:whether|if) (?:my|her|his|our|their) (?:[\w'-]+ |\([^)]{0,40}\) ){0,6}?(?:(?:has|have|was|were|is) (?:been )?|got )?(?:paid|arrived|approved|processed)` +
		// "check my father's pension payment history"
		`|(?:check|see|view|query|look up|find|print) (?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:[\w']+ ){0,2}?(?:payment|contribution|pension|dibao|insurance) (?:history|records?|statements?|details)` +
		// "my pension for this month still hasn't arrived"
		`|(?:my|her|his|our|their) (?:[\w']+ ){0,2}?(?:pension|dibao|allowance|subsidy|benefit|payment|money|salary)s?(?: [\w']+){0,5}? (?:still )?(?:hasn't|has not|haven't|have not|didn't|did not)(?: yet)? (?:arrived|come|been paid|been credited)` +
		`|status of (?:my|her|his|our|their|mother's|father's|mom's|dad's) ` +
		// "the status of the dibao application I submitted last month"
		`|status of (?:the|that) (?:[\w']+ ){0,3}?(?:application|request|payment|claim) (?:i|we|she|he|they|my \w+) (?:submitted|filed|sent|made|handed in)` +
		`|(?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:\w+ )?(?:application|payment) (?:status|approved|been approved|processed|arrived)` +
		// "when will my dad's disability certificate renewal be approved?"
		`|when will (?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:[\w'-]+ ){0,5}?(?:be approved|get approved|be processed|be paid|arrive|come through))`)
)

// One person's own case asked in everyday words, the asker's or a
// relative's, never a rule: the documents state rules and targets, not what
// one person has put in, where they stand in a queue, what their own bill
// comes back as, whether their own application passed or what their own
// pension comes to. Each pattern needs a person (我, 俺, 他, 她, a kin
// word; not 我们, 其他, nor the 我 of 问我 or 我想) close to the thing
// counted, so that the rule asked (志愿服务时长怎么记, 积分多少分能落户, 住
// 院医保报销比例, 城乡居民养老金能领多少) is none.
const (
	// ownPerson is one person: the asker or someone they speak of.
	ownPerson = `(?:(?:^|[^其问诉帮给替])(?:我|俺)|(?:^|[^其诉帮给替])(?:他|她))(?:妈|爸|爹|娘|老伴|家|公公|婆婆)?`
	// ownNear is what may stand between the person and the thing: no
	// clause break, no 们 (我们), no wish or question (我想, 我问).
	ownNear      = `(?:[^们想问要,。?!;\x{FF0C}\x{FF1F}\x{FF01}][^,。?!;\x{FF0C}\x{FF1F}\x{FF01}]`
	clauseChars  = `[^,。?!;\x{FF0C}\x{FF1F}\x{FF01}]`
	pensionNames = `(?:退休金|养老金|养老钱|养劳金|退休工资|退休费)`
)

var (
	// ownTally: what one person has put in ("我在襄阳志愿云上一共攒了多少志愿
	// 时长了", "我现在累计多少小时了", "我现在累计志愿服务时长是多少");
	// points only where they were earned (攒了, 积了), since 多少分能落户 asks a
	// rule. What is needed or offered (要做多少小时, 能享受几个小时) is a
	// rule: see ownCase.
	ownTally = regexp.MustCompile(ownPerson + ownNear + `{0,11})?(?:攒了?|积了?|累计了?|一共|总共|总计|做了|干了)` + clauseChars + `{0,6}?(?:多少|几)(?:个)?` + clauseChars + `{0,4}?(?:小时|钟头|时长)` +
		`|` + ownPerson + ownNear + `{0,11})?(?:累计|一共|总共)(?:的)?` + clauseChars + `{0,6}?(?:时长|小时|积分)(?:是|有)?(?:多少|几)` +
		`|` + ownPerson + ownNear + `{0,11})?(?:攒了|积了)` + clauseChars + `{0,4}?(?:多少|几)(?:个)?分` +
		// the hours named first ("我在襄阳志愿云上登记的志愿服务时长现在一共多
		// 少小时了")
		`|` + ownPerson + ownNear + `{0,19})?(?:时长|服务时间)` + clauseChars + `{0,4}?(?:一共|总共|累计)(?:有)?(?:多少|几)(?:个)?(?:小时|钟头)`)
	// ruleAround are words that make a tally or a counter a rule: what is
	// needed for something or offered (要做, 能享受, 才能评星, 能兑换).
	ruleAround = []string{"要", "需要", "享受", "每月", "每年", "一年", "才能", "能评", "能兑换", "达到", "能申请", "就能", "可以"}
	// ownCounter: what one person's own counter, card or account shows,
	// owned outright ("襄阳志愿云 我的志愿时长 多少", "我的志愿时常有多少小
	// 时了", "how many volunteer hours have I logged").
	ownCounter = regexp.MustCompile(`(?:(?:^|[^其])(?:我的|俺的|他的|她的)|本人的?|自己的)` + clauseChars + `{0,10}?(?:时长|时常|小时|积分|余额)` + clauseChars + `{0,8}?(?:多少|几)` +
		`|\bhow many (?:[\w-]+ ){0,2}?hours (?:have|has|did) (?:i|he|she|my [\w']+)\b` +
		`|\bhow much (?:[\w-]+ ){0,2}?(?:time|hours|points) (?:do|does|have|has) (?:i|he|she) (?:have|got|logged|earned)\b`)
	// ownSpent: a sum one person spent on care, and what of it comes back
	// ("我在浑南区医院住院花了两万,医保能报多少"): the bill's own items
	// decide it. A sum supposed (如果住院花了两万) asks the rule.
	ownSpent = regexp.MustCompile(ownPerson + `[^?\x{FF1F}]{0,16}?(?:住院|看病|手术|门诊|医院|拿药|买药)[^?\x{FF1F}]{0,12}?(?:花了|花费了|花掉了?|自费了?)(?:\d{3,}|(?:\d+(?:\.\d+)?|[一二三四五六七八九十两几]+)(?:多)?(?:万|千|元|块))[^?\x{FF1F}]{0,20}?(?:能报|报销|能给报|报多少|能返|能退)`)
	supposed = []string{"如果", "假如", "比如", "要是", "假设", "譬如"}
	// ownBillAsked: what one person's own stay cost, and what comes back
	// ("我爸上周在沈阳住院花了多少钱,医保能报多少"; "the bill was 30,000
	// yuan. how much will his medical insurance reimburse").
	ownBillAsked = regexp.MustCompile(ownPerson + `[^?\x{FF1F}]{0,16}?(?:住院|看病|手术|门诊)[^?\x{FF1F}]{0,4}?花了多少钱?[^?\x{FF1F}]{0,12}?(?:能报|报销|报多少)` +
		`|\b(?:my|his|her|our)\b[^?]{0,60}\bbill (?:was|came to|is) [\d,.]+[^?]{0,60}\bhow much\b[^?]{0,40}\breimburse`)
	// ownBalance: what one person's own account holds, asked in other
	// words ("他养老钱账户里现在攒了多少钱", "the current balance of my
	// personal pension account").
	ownBalance = regexp.MustCompile(ownPerson + `(?:的)?` + clauseChars + `{0,10}?(?:账户|帐户|卡)(?:里|上)` + clauseChars + `{0,6}?(?:攒了|存了|有|还有|剩)(?:多少|几)` +
		`|\bbalance of (?:my|his|her|our|their)\b`)
	// ownPensionTold: one person's own pension told as a sum, and what it
	// becomes asked ("我退休金每月3200,今年能涨多少钱").
	ownPensionTold = regexp.MustCompile(ownPerson + `(?:的)?` + pensionNames + clauseChars + `{0,6}?(?:\d{3,5}|[一二三四五六七八九两]千[一二三四五六七八九]?)(?:元|块)?[^?\x{FF1F}]{0,20}?(?:涨多少|能涨|能拿|拿到|到手|涨到)`)
	// ownQueue: a place in a queue ("他现在排第几号", "现在排到第几了",
	// "我前面还有几个人"), asked of a person or of now; a place's ranking
	// (浑南低保在沈阳排第几) names neither, and what place gets a flat (排到
	// 第几号能分到房) is a rule.
	ownQueue   = regexp.MustCompile(`排(?:到|在|上)?(?:了)?第(?:几|多少)(?:号|个|位|名)?`)
	queueWho   = regexp.MustCompile(ownPerson + `(?:[^市区省县们]|$)|现在|目前|还`)
	queueAhead = regexp.MustCompile(ownPerson + `前面(?:还)?有(?:几|多少)(?:个)?人`)
	// ownBill: what a scheme pays back on one person's own bill ("医保给我报了
	// 多少钱", "医保能给我报多少"): reckoned on the bill's items.
	ownBill = regexp.MustCompile(`(?:给|帮)(?:我|俺|他|她|我妈|我爸|俺妈|俺爸|老伴)(?:能|可以)?(?:报|报销|返|退)(?:了)?(?:多少|几成|百分之几)`)
	// ownApplied and ownDecided: whether one's own application passed, its
	// handing in told first ("我们上个月…申请了适老化改造,现在审核通过了
	// 吗", "我去年申请的公租房现在轮到没"); ownDecidedOf: asked of one's own
	// application outright ("我妈的护理补贴申请下来了没"). A wish to apply
	// (我想申请) hands nothing in.
	ownApplied   = regexp.MustCompile(`(?:我|俺|他|她|我们|俺们|咱家|我家|俺家|他家|她家)` + clauseChars + `{0,16}?(?:申请了|申请的|递了|交了申请|报上去)`)
	ownDecided   = regexp.MustCompile(`(?:审核|审批|申请)(?:通过了|批了|批下来了|过了)(?:吗|没|没有|么)|过没过|通没通过|批没批|批下来了?没|申请下来了?没|轮到(?:我|我们|俺|他|她)?(?:了)?没`)
	ownDecidedOf = regexp.MustCompile(ownPerson + `(?:的)` + clauseChars + `{0,8}?(?:申请下来了?(?:没|吗)|批下来了?(?:没|吗)|批了没|通过了没|过没过)`)
	// ownPension: what one person's own pension comes to ("他一个月退休金能
	// 拿多少钱", "我每个月能领多少养老金"), or rises by for them alone ("他
	// 自己今年退休金具体能涨多少", "我的退休金具体每月能涨多少"): reckoned on
	// their own years and pay. How much pensions rise this year (今年养老金
	// 能涨多少) is the rule, which the documents do not give: a near answer.
	ownPensionRe = regexp.MustCompile(ownPerson + `(?:的)?(?:自己的?|本人的?)?(?:一个月|每个月|每月|现在|今年|这个月|本月|上个月)?(?:的)?` + pensionNames + clauseChars + `{0,12}?(?:能领|能拿|可以领|可以拿|拿到|领到|到手|能开|到账|到帐|打到卡上|打了|发了)` + clauseChars + `{0,4}?(?:多少|几十|几百|几千)` +
		`|` + ownPerson + `(?:每个月|每月|一个月)?(?:能领|能拿|可以领|拿到|领到)多少(?:钱)?(?:的)?` + pensionNames +
		`|` + ownPerson + `(?:自己|本人)` + clauseChars + `{0,10}?(?:能涨|涨|能调|调)` + clauseChars + `{0,4}?(?:多少|几十|几百)` +
		`|` + ownPerson + `的` + clauseChars + `{0,8}?具体` + clauseChars + `{0,6}?(?:能涨|涨|能调|调)` + clauseChars + `{0,4}?(?:多少|几十|几百)`)
	ruleWords = []string{"标准", "最低", "基础", "平均", "人均", "政策", "文件", "规定", "比例", "办法", "挂钩", "缴费年限"}
	// ownEnglish: the same in English ("How much pension will I personally
	// get", "how much will my dad's own pension go up", "has my family's …
	// application been approved").
	ownEnglish = regexp.MustCompile(`\bhow much\b[^?]{0,40}\bi personally\b|\bi personally (?:get|receive|be paid)\b` +
		`|\b(?:my|her|his|our|their)(?: (?:mom|mother|dad|father|husband|wife)'s)?(?: own)? pension\b[^?]{0,40}\bhow much\b|\bhow much\b[^?]{0,40}\b(?:my|her|his|our|their)(?: (?:mom|mother|dad|father|husband|wife)'s)?(?: own)? pension\b` +
		`|\bhow much (?:[\w-]+ ){0,2}?did (?:i|he|she|my [\w']+) (?:receive|get|got) (?:this|last) month\b` +
		`|\b(?:has|have|was|is) (?:my|her|his|our|their) (?:[\w'-]+ ){0,6}?(?:application|request)(?: [\w']+){0,4}? (?:been )?(?:approved|accepted|processed)\b` +
		`|\b(?:my|her|his|our|their) (?:[\w'-]+ ){0,5}?(?:application|request)(?: for [\w' -]{1,30})?, (?:has|was|is) it (?:been )?(?:approved|accepted|processed)\b`)
)

// askedClauses cuts a question into clauses at its punctuation.
var askedClauses = regexp.MustCompile(`[,。?!;\x{FF0C}\x{FF1F}\x{FF01}\x{FF1B}]+`)

// ownCase reports whether f (folded) asks one person's own tally, queue
// place, bill, application or pension.
func ownCase(f string) bool {
	// Each pattern runs only where a word it cannot match without is in
	// the question: most questions hold none, and the patterns' lazy
	// spans cost a batch of questions about a tenth of its time.
	has := func(ws ...string) bool { return containsAnyWord(f, ws) }
	latin := strings.IndexFunc(f, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
	if (has("报", "返", "退") && ownBill.MatchString(f)) || (latin && ownEnglish.MatchString(f)) ||
		(has("金", "钱", "工资", "退休费") && ownPensionTold.MatchString(f)) || (has("下来", "批", "通过", "过没过") && ownDecidedOf.MatchString(f)) ||
		(has("前面") && queueAhead.MatchString(f)) {
		return true
	}
	if ((has("花") && (ownSpent.MatchString(f) || ownBillAsked.MatchString(f))) || (latin && has("bill") && ownBillAsked.MatchString(f)) ||
		(has("账户", "帐户", "卡", "balance") && ownBalance.MatchString(f))) && !containsAnyWord(f, supposed) {
		return true
	}
	// rest is the clause after a match
	rest := func(end int) string { return askedClauses.Split(f[end:], 2)[0] }
	// a tally or a counter, unless a rule stands around it
	for _, tc := range []struct {
		re    *regexp.Regexp
		needs []string
	}{
		{ownTally, []string{"小时", "钟头", "时长", "分"}},
		{ownCounter, []string{"时长", "时常", "小时", "积分", "余额", "time", "hours", "points"}},
	} {
		if !has(tc.needs...) {
			continue
		}
		for _, m := range tc.re.FindAllStringIndex(f, -1) {
			if !containsAnyWord(f[m[0]:m[1]], ruleAround) && !containsAnyWord(rest(m[1]), ruleAround) {
				return true
			}
		}
	}
	if has("第") {
		for _, m := range ownQueue.FindAllStringIndex(f, -1) {
			clause := askedClauses.Split(f[:m[0]], -1)
			if queueWho.MatchString(clause[len(clause)-1]) && !startsWithAny(rest(m[1]), []string{"能", "才能", "就能", "可以"}) {
				return true
			}
		}
	}
	if has("申请", "递了", "报上去") {
		if a := ownApplied.FindStringIndex(f); a != nil && ownDecided.MatchString(f[a[1]:]) {
			return true
		}
	}
	if has("退休金", "养老金", "养老钱", "养劳金", "退休工资", "退休费") {
		for _, c := range askedClauses.Split(f, -1) {
			if ownPensionRe.MatchString(c) && !containsAnyWord(c, ruleWords) {
				return true
			}
		}
	}
	return false
}

// englishAccount finds what one person's account holds ("how much is
// left in my personal pension account") or where their application stands
// ("check where my dibao application is in the approval process"); asked
// how or where to check it oneself (englishHowTo: "how can i check my
// account balance online") it is a question of procedure.
var englishAccount = regexp.MustCompile(`how much (?:money )?(?:is |do i have |does (?:she|he) have )?(?:still )?(?:left |remaining )?(?:in|on) (?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:[\w'-]+ ){0,3}?(?:account|card)\b` +
	`|(?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:[\w'-]+ ){0,3}?(?:account|card) balance` +
	`|(?:where|how far) (?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:[\w'-]+ ){0,3}?(?:application|case|claim|request) (?:is|stands|has got|has gone) (?:in|at|now)\b` +
	// "check how much pension my father received this month"
	`|how much (?:[\w']+ ){0,2}?(?:my|her|his|our|their|mother's|father's|mom's|dad's) (?:[\w'-]+ ){0,2}?(?:received|got|was paid|gets|is getting)\b`)

// englishHowTo asks how or where to do something oneself.
var englishHowTo = regexp.MustCompile(`\b(?:how|where) (?:can|do|should|could|would) (?:i|we|one|you|she|he|they)\b`)

// payments are what one person is paid; cameShort says it came short.
const (
	payments  = `退休金|养老金|养劳金|低保金|低保|补贴|补助|工资`
	cameShort = `少了|少发了|少给了|少打了|被扣了|扣了|变少了`
)

// englishStatus reports whether f asks after one person's payment in
// English; a span joining another question ("…qualifies and what amount is
// paid") asks of the rules.
func englishStatus(f string) bool {
	if englishAccount.MatchString(f) && !englishHowTo.MatchString(f) {
		return true
	}
	for _, m := range statusEnglish.FindAllString(f, -1) {
		if !strings.Contains(m, " and ") && !strings.Contains(m, " what ") && !strings.Contains(m, " how ") {
			return true
		}
	}
	return false
}

// ownLookup reports whether f asks the bot to look up an amount of one
// person's own (see lookupRequest).
func ownLookup(f string) bool {
	if !lookupRequest.MatchString(f) {
		return false
	}
	for _, m := range ownAmount.FindAllString(f, -1) {
		if !containsAnyWord(m, policyWords) && !containsAnyWord(m, lookupPolicy) {
			return true
		}
	}
	return false
}

// lookupAsked reports whether f asks a case's state to be looked up, of
// no policy.
func lookupAsked(f string) bool {
	for _, m := range statusLookup.FindAllString(f, -1) {
		if !containsAnyWord(m, lookupPolicy) {
			return true
		}
	}
	return false
}

// asksStatus reports whether q asks where one person's case stands.
func asksStatus(q string) bool {
	// 帐 is written for 账 as often as not (到帐了没)
	f := strings.ReplaceAll(retrieval.Fold(q), "帐", "账")
	return containsAnyWord(f, statusCues) || statusCard.MatchString(f) || statusMine.MatchString(f) || statusKeywords.MatchString(f) || statusWhen.MatchString(f) || statusApproved.MatchString(f) || statusProgress.MatchString(f) || statusAccount.MatchString(f) || (balanceLeft.MatchString(f) && !judge.AsksHow(f)) || ownLookup(f) || lookupAsked(f) || statusShort.MatchString(f) || statusListed.MatchString(f) || ownCase(f) || (statusOwn.MatchString(f) && !judge.AsksHow(f)) || idGiven.MatchString(f) || englishStatus(f) ||
		(statusSilent.MatchString(f) && !containsAnyWord(f, procedureAsks))
}

// Errands ask the bot to act for the asker (帮我…, find me a carer): book
// a doctor, find a carer, sign them up. Whether a service does this for
// people (社区帮老人报名老年大学吗) is a question, not an errand. It can only say what the documents say, and the passages
// a search finds for "帮我挂个专家号" (中医药专家) answer nothing asked.
// How to do it oneself (怎么挂号) is a question, not an errand.
var (
	// Where it is to be done may stand between (帮我在浑南区医院挂个号).
	// For whom it is done may stand between too (帮我给我妈在…订一周的老年餐),
	// and the asker may ask it for someone else (你能直接帮他…预约挂号).
	errandRe = regexp.MustCompile(`(?:(?:帮|替)(?:我|俺|咱|我们|俺们|咱们)(?:家)?|你(?:能|可以|能不能|可不可以)?(?:直接)?(?:帮|替)(?:他|她|他们))(?:妈|爸|娘|爹|老人|老太太|老爷子)?` +
		`(?:给(?:我|俺)?(?:妈|爸|娘|爹|家老人|老人|老太太|老爷子))?(?:在[^,。?!\x{FF0C}看查找问]{1,12}?)?` +
		`(?:(?:挂|约)(?:个|一个|一下|下)?[^,。?!]{0,12}号|预约|预订|订(?:个|一个|[^,。?!\x{FF0C}]{0,6}?(?:餐|饭|床位|票))|约(?:个|一个|一位|位)|` +
		`介绍(?:个|一个|一位|位|几个|家|一家)|找(?:个|一个|一位|位|家|一家)|联系(?:个|一个|一位|家)|报(?:个)?名|代办|办(?:个|一个)(?:卡|证)|` +
		// writing the asker's papers ("帮我写一份低保申请书")
		`写(?:一份|份|个|一个|一下)?[^,。?!\x{FF0C}]{0,8}(?:申请书|申请表|材料|证明|报告)|` +
		// calling or complaining in the asker's place ("帮我直接打12345投诉")
		`(?:直接)?(?:打|拨)(?:个|一个)?(?:电话|12345)|投诉)`)
	errandEnglish = regexp.MustCompile(`\b(?:book|make) (?:me |us )?(?:an? )?(?:[a-z]+ ){0,2}?(?:appointment|booking|reservation)|\brecommend (?:me |us )?(?:an? )?(?:[a-z]+ ){0,2}?(?:nursing home|care home|hospital|doctor|carer|nanny)|\bfind (?:me|us) (?:an? )?(?:carer|caregiver|nurse|nanny|babysitter|doctor|helper|cleaner|housekeeper)\b|\bsign (?:me|us) up\b`)
)

// asksErrand reports whether q asks the bot to do something for the
// asker rather than what a policy says.
func asksErrand(q string) bool {
	f := retrieval.Fold(q)
	if judge.AsksHow(f) {
		return false
	}
	return errandRe.MatchString(f) || errandEnglish.MatchString(f) || recommendRe.MatchString(f) || reckons(f)
}

// reckonRe asks the bot to work out one household's entitlement ("帮我算算
// 退休后每月能领多少"): that takes their records and the office's rules.
// So does one asking what their own years of contributions come to ("我交了
// 15年社保 在沈阳退休 每月能领多少养老金").
var (
	reckonRe = regexp.MustCompile(`(?:帮|替|给)(?:我|俺|我们|俺们)(?:算算|算一算|算一下|核算一下|测算一下|算下(?:[^来]|$))`)
	// Where the years were paid may stand between ("我在大连交了15年社保").
	reckonOwn = regexp.MustCompile(`(?:我|俺|我妈|我爸|俺妈|俺爹|俺爸)(?:在\p{Han}{1,6}?)?(?:已经|一共|总共)?(?:交|缴)(?:了|够)?(?:\d+|[一二三四五六七八九十几]+)(?:多)?年[^?\x{FF1F}]{0,20}(?:能领|能拿|可以领|能开|能有)(?:到)?多少` +
		// or what one's own bill comes back as ("我住院花了3万 职工医保能报多少"):
		// the share a scheme pays is reckoned on the bill's items, which no
		// plan lists
		// (a medical bill only: a premium paid, 交了380元居民医保, is no bill)
		`|(?:我|俺|我妈|我爸|俺妈|俺爸|老伴)[^,。?!\x{FF0C}\x{FF1F}]{0,6}?(?:住院|看病|看门诊|门诊|手术|拿药|买药)[^,。?!\x{FF0C}\x{FF1F}]{0,4}?(?:花了|花费|花销|自费)(?:\d+(?:\.\d+)?|[一二三四五六七八九十两几]+)(?:多)?(?:万|千|元|块)[^,。?!\x{FF0C}\x{FF1F}]{0,16}(?:能报|可以报|报销|能退|能返)(?:多少|几成|百分之几)`)
)

// reckons reports whether f asks the bot to reckon one person's
// entitlement; what the rules say of a number of years (按文件规定最低能领多少)
// is a question of policy.
func reckons(f string) bool {
	return reckonRe.MatchString(f) || (reckonOwn.MatchString(f) && !containsAnyWord(f, []string{"文件", "规定", "政策", "标准"}))
}

// recommendRe asks the bot to pick a school, a home or a doctor ("有没有好
// 的国际学校推荐", "推荐一家养老院"): the documents name measures, not which
// one to choose.
var recommendRe = regexp.MustCompile(`有没有(?:好的|靠谱的|便宜的|合适的)[^,。?!\x{FF0C}\x{FF1F}]{1,10}推荐|(?:给(?:我|俺)|帮(?:我|俺))推荐(?:一下|下)?(?:一|几)?(?:个|家|所|位)|推荐(?:一|几)(?:个|家|所|位)`)

// refusesRecords reports whether q asks for someone's personal records.
func refusesRecords(q string) bool {
	if asksStatus(q) {
		return true
	}
	for _, idx := range recordLookup.FindAllStringSubmatchIndex(q, -1) {
		who, after := q[idx[2]:idx[3]], q[idx[6]:idx[7]]
		if isPerson(who) && !startsWithAny(after, policyWords) && !asksHow(q[:idx[0]]) {
			return true
		}
	}
	for _, m := range recordAfter.FindAllStringSubmatch(q, -1) {
		if isPerson(m[1]) {
			return true
		}
	}
	for _, idx := range recordMine.FindAllStringIndex(q, -1) {
		if !startsWithAny(q[idx[1]:], policyWords) && !asksHow(q[:idx[0]]) {
			return true
		}
	}
	return false
}

// recordMine finds a look-up of the asker's or a relative's own payment
// named without 的 ("查下俺老伴这个月养老钱", "帮我看看俺妈低保"): a kin word
// (or 的) and at most a time word stand between, so that a policy asked
// ("帮我查查我们小区有哪些补贴", "看看我能领什么补助") is no look-up.
var recordMine = regexp.MustCompile(`(?:查|查查|查询|看看|看一下)(?:一下|下)?(?:我|俺|本人|他|她)(?:家)?(?:的)?(?:妈|爸|娘|爹|老伴儿?|老头子?|老太太|奶奶|爷爷|姥姥|姥爷|媳妇|老公|儿子|闺女)?(?:的)?(?:这个月|上个月|这月|本月|今年|去年)?(?:的)?(?:养老金|养老钱|退休金|养劳金|低保金|低保|补贴|补助|社保|医保|公积金|工资|救助金)`)

// asksHow reports whether the words just before a look-up ask how to do it.
func asksHow(before string) bool {
	r := []rune(before)
	if len(r) > 6 {
		r = r[len(r)-6:]
	}
	tail := string(r)
	return judge.AsksHow(tail) || containsAnyWord(tail, whereWords)
}

func isPerson(who string) bool {
	who = strings.TrimSpace(who)
	for _, w := range notAPerson {
		if who == w {
			return false
		}
	}
	for _, s := range placeSuffixes {
		if strings.HasSuffix(who, s) {
			return false
		}
	}
	return true
}

func containsAnyWord(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func startsWithAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
