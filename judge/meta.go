package judge

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The asker's own context: greetings, names, and a community worker's
// framing around a resident's question. It is set aside before judging,
// since "我是社区网格员" or "该怎么跟他说" is not what the documents must
// cover, while places it names still count.
var (
	greetingLead = regexp.MustCompile(`^(?:小助手|小助理|助手|机器人|客服|你好|您好|hello|hi|嗨|请问|麻烦(?:您|你)?(?:问)?(?:一)?下|打扰(?:一)?下|劳驾|老师|同志|在吗|在不在|谢谢|多谢|感谢)+[啊呀哈,\x{FF0C}\s]*`)
	selfIntro    = regexp.MustCompile(`^(?:我|本人)(?:姓|叫)\p{Han}{1,3}$|` +
		// a name after where the asker is from ("我是浑南区的李桂兰"): a
		// common surname and one or two characters, the clause's end
		`^(?:我|本人)是(?:\p{Han}{1,10}的)?(?:` + surnames + `)\p{Han}{1,2}$|^(?:(?:我|本人)是.{0,14}|(?:我们|咱们|俺们)是(?:[^不否].{0,13})?)(?:社区|网格员|工作人员|居委会|志愿者|干部|社工|村委|街道|书记|主任|专干|督导员|协理员|助理员|专职)` +
		// a worker's title ("我是沈阳和平区的助残员"), not a job that may
		// name who a measure is for (快递员, 保洁员, 党员)
		`|^(?:我|本人)是.{0,14}?(?:助残员|联络员|信息员|协管员|调解员|专管员|宣传员|监督员|楼栋长|楼长|村官)$` +
		// where the worker works and what at ("我在沈阳一个街道做民政")
		`|^(?:我|本人)在.{0,12}(?:做|干|搞|负责|管)(?:民政|社工|网格|社区工作|残联|老龄|低保|救助)(?:工作|这块|的)?$` +
		// or where they work ("我在浑南一个社区居委会工作")
		`|^(?:我|本人)在.{0,14}(?:社区|居委会|村委会|街道办|街道|网格|民政所|残联)(?:里)?(?:工作|上班)$` +
		// or what post they hold there ("我在大连金州区一个社区做残疾人专职委员")
		`|^(?:我|本人)在.{0,14}(?:社区|居委会|村委会|街道办|街道|民政所|残联)(?:里)?(?:做|当|干|任)\p{Han}{0,6}?(?:委员|专干|网格员|社工|工作人员|主任|书记|志愿者|协理员|助理员|联络员)$`)
	// surnames are the most common family names, by which a name is told
	// from a word after "我是…的" (李桂兰, not 低保户).
	surnames = `王|李|张|刘|陈|杨|黄|赵|吴|周|徐|孙|马|朱|胡|郭|何|林|罗|高|郑|梁|谢|宋|唐|韩|曹|许|邓|冯|萧|程|蔡|彭|潘|袁|于|董|余|苏|叶|吕|魏|蒋|田|杜|丁|沈|姜|范|江|傅|钟|卢|汪|戴|崔|任|陆|廖|姚|方|金|邱|夏|谭|韦|贾|邹|石|熊|孟|秦|阎|薛|侯|雷|白|龙|段|郝|孔|邵|史|毛|常|万|顾|赖|武|康|贺|严|尹|钱|施|牛|洪|龚`

	// topicalAskers are askers named by a measure they live on: the
	// question asked of them is about it.
	topicalAskers = []string{"低保户", "困难户", "特困户", "残疾人"}
	// namedMeasures are the measures such askers live on, named outright.
	namedMeasures = []string{"低保", "特困", "残疾", "救助", "供养"}
	// When the worker was asked may stand first ("走访困境儿童家庭时家长问…").
	askedBy = regexp.MustCompile(`^(?:\p{Han}{2,10}?(?:时|的时候|期间))?(?:\p{Han}{0,8}?(?:区|市|县|街道|社区|村|镇|居委会|村委会|站|中心|所)(?:里)?)?(?:这边|这儿|这里)?(?:有|有个|有位|一个|一位)?(?:辖区)?(?:好多|很多|不少|一些|好几个|几个|有些|有的)?(?:双职工|上班族|年轻|外地|困难|残疾|退休)?(?:居民|老人|群众|大爷|大妈|阿姨|老太太|老大爷|大娘|老百姓|住户|老年人|村民|残疾人|家长|新手爸妈|新手妈妈|年轻妈妈|年轻爸爸|妈妈|爸爸|宝妈|宝爸|爸妈|低保户|困难户|特困户|年轻人|邻居|街坊|家属|家里人|子女|儿女|大姐|大哥|叔叔|小伙子|姑娘|孕妇|村干部|社区干部|村民代表|楼长|同事|人|人家)(?:们)?(?:到|来)?(?:社区|街道|居委会|村委会|这儿|我这)?(?:在(?:微信)?群里?)?(?:打电话|打来电话|来电话|打电话来|电话)?(?:来)?(?:老|总|常|经常|总是|天天|都)?(?:问|咨询|打听|找我|找我们|想知道|想了解|想问)(?:我|我们)?(?:说)?[,:\x{FF0C}\x{FF1A}\s]*`)
	// workerAsks is a worker asking on their own behalf, named by title
	// rather than introduced ("社区残协专干问一下:…"): who asks is no topic.
	workerAsks = regexp.MustCompile(`^(?:社区|街道|村|居委会)?\p{Han}{0,6}?(?:专干|网格员|协理员|助理员|社工|工作人员|助残员|联络员|信息员|协管员)(?:想|来|要)?(?:问一下|问下|问问|请教一下|请教|咨询一下)[,:\x{FF0C}\x{FF1A}\s]+`)
	// whatDocsSay asks what the documents say, around the real question
	// ("…给免费装啥,文件咋写的").
	whatDocsSay = regexp.MustCompile(`^(?:帮我)?(?:看看|查查|查一下)?(?:文件|政策|文件里|政策里|文件上|规定)(?:是|里|上)?(?:怎么|咋|如何)(?:写|说|规定)(?:的)?(?:呢|啊)?$`)
	howToReply  = regexp.MustCompile(`(?:我|我们)?(?:该|应该|要)?(?:怎么|如何|咋)(?:跟|和|给|向|对)?(?:他|她|他们|居民|老人|人家)?(?:说|回答|答复|解释|回复|讲|答|回)(?:他|她|他们|居民|老人|人家)?(?:呢|啊|才好)?$` +
		// what the worker will do with the answer ("我好答复他们", "我好跟他解释")
		`|^(?:我|我们)?好(?:跟|和|给|向|对)?(?:他|她|他们|居民|老人|人家)?(?:说|回答|答复|解释|回复|讲|交代|转告|告诉)(?:他|她|他们|居民|老人|人家)?(?:一下)?$`)
	// outreach is a worker's plan to explain policy to the people of their
	// area ("社区想给辖区特困老人讲讲政策"): who they talk to is not what the
	// documents must cover; the clause after it asks.
	outreach = regexp.MustCompile(`^(?:我们|咱们|俺们)?(?:社区|街道|村里|村委会|居委会|网格|单位)?(?:想|要|准备|打算|计划)?(?:给|为|跟|向)\p{Han}{0,12}?(?:讲讲|讲一讲|讲一下|宣讲|宣传|介绍|解读|普及|讲解)(?:一下|下)?(?:政策|文件|规定)?$` +
		// or a notice they put up ("我们社区要贴个告示")
		`|^(?:我们|咱们|俺们)?(?:社区|街道|村里|村委会|居委会|网格|单位)?(?:想|要|准备|打算|得)?(?:贴|写|发|出|做)(?:个|一个|一张|一份)?(?:告示|通知|公告|海报|宣传单|宣传栏|明白纸)$`)
	// assignment leads into a survey a worker was handed ("街道让我摸底适老化
	// 改造需求"): the task is theirs, what it is about stays.
	assignment = regexp.MustCompile(`^(?:领导|上级|单位|街道|社区|主任|书记|区里|市里)(?:让|叫|要|安排)(?:我|俺|我们)(?:去)?(?:摸底|摸排|排查|统计|登记|收集|走访|调查)(?:一下|下)?`)
	// taskLead is a worker's task leading up to what they check
	// ("整理老台账要核对一下2015年全区人均低保金是多少"): the task is theirs,
	// the question follows it.
	taskLead = regexp.MustCompile(`^(?:整理|写|做|填|准备|统计|上报)\p{Han}{0,4}?(?:材料|台账|报表|表格|总结|汇报|说明|报告)(?:要|想|得|需要)(?:核对|核实|确认|弄清|搞清|对)(?:一下|下|清楚)` +
		// a task handed down ("领导让我查一下…")
		`|^(?:领导|上级|单位|街道|主任|书记)(?:让|叫|要)(?:我|俺)(?:查|核对|确认|了解|问|看)(?:一下|下|查|看)?` +
		// papers being put together ("整理材料要用2016年…的数")
		`|^(?:整理|写|做|填|准备)\p{Han}{0,4}?(?:材料|台账|报表|表格|总结|汇报|说明|报告)(?:要用|需要用|要引用)` +
		// the asker checking what they were told ("想确认下…")
		`|^(?:我)?(?:想|要)(?:确认|核实|核对)(?:一下|下)`)
	// pleaseLook ends a request politely ("帮忙看看"), asking nothing.
	pleaseLook = regexp.MustCompile(`^(?:帮忙|麻烦|请)?(?:帮我|给我|帮)?(?:看看|看一下|查查|查一下|找找|找一下)(?:吧|啊|呗)?$`)
	// eventRequest asks for material for such an event (需要…, 帮我找…).
	eventRequest = []string{"需要", "帮我找", "帮忙找", "帮我查", "要用", "资料", "材料"}
	// eventLead is a worker's event the question is for ("社区开反诈宣讲会"):
	// theirs, not what the documents must cover.
	eventLead = regexp.MustCompile(`^(?:我们|咱们)?(?:社区|街道|村里|村|居委会|单位)?(?:要|想|准备|打算)?(?:开|办|搞|组织|举办|召开)(?:个|一个|一场|一次)?\p{Han}{0,8}?(?:会|活动|讲座|培训|宣传周)$`)
	filler    = regexp.MustCompile(`(?:我)?想(?:问|咨询|了解|打听)(?:一)?下|(?:请|麻烦)?问(?:一)?下|打听(?:一)?下|咨询(?:一)?下|了解(?:一)?下|请问|谢谢(?:你|您)?|麻烦(?:你|您)了?`)
	asksAge   = regexp.MustCompile(`\d{2,3}多?岁了?|\d{2,3}了|[一二三四五六七八九十]{1,3}(?:十多|十几)?多?岁了?`)
)

// askMark is put before the clause where the question proper starts after
// the asker's account (see premises).
const askMark = "请问"

// openingClauses is how many clauses a question may open with before an
// asking phrase marks the end of an account rather than a greeting.
const openingClauses = 2

// longAccountClauses is how many clauses of account a question may hold
// before its first asking clause for them to be the asker's story: the
// question proper is then that clause and the one before it, which often
// names the topic ("…家里就靠她那点补助过日子,听说低保标准以后还要涨,到
// 2025年一个人一个月最少能有多少钱?").
const longAccountClauses = 4

// greetingWords say nothing about a topic.
var greetingWords = map[string]bool{"你好": true, "您好": true, "谢谢": true, "多谢": true, "感谢": true, "hello": true, "hi": true, "thanks": true, "thank": true}

// stripMeta splits folded question text into the question proper and the
// clauses of context set aside.
func stripMeta(folded string) (core string, meta []string) {
	var kept []string
	clauses := clauseRe.Split(englishSentences.ReplaceAllString(runOnClauses(spacedClauses(folded)), "$1,"), -1)
	for i, c := range clauses {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		// An English account before the question ("I'm a Korean living in
		// Shenyang and I look after my mother-in-law. How many…") tells who
		// asks; its places are read from the whole text all the same.
		role := englishRole.MatchString(c)
		if (englishAccount.MatchString(c) || role) && !englishAsks.MatchString(c) && (!accountTopic(c) || role) && i+1 < len(clauses) && strings.TrimSpace(strings.Join(clauses[i+1:], "")) != "" {
			meta = append(meta, c)
			continue
		}
		// asked: an asking phrase was set aside from this clause (请问,
		// 想确认下); past the opening clauses it marks where the question
		// proper starts after the asker's account.
		asked := false
		if m := greetingLead.FindString(c); m != "" {
			meta = append(meta, strings.TrimSpace(m))
			c = strings.TrimSpace(c[len(m):])
			asked = containsAny(m, askMarkers)
		}
		if m := workerAsks.FindString(c); m != "" && len(m) < len(c) {
			meta = append(meta, strings.TrimSpace(m))
			c = strings.TrimSpace(c[len(m):])
		}
		if m := askedBy.FindString(c); m != "" {
			meta = append(meta, strings.TrimSpace(m))
			c = strings.TrimSpace(c[len(m):])
			// Who asks may be what is asked about ("低保户问以后标准咋调"): a
			// measure's people keep their word in the question.
			// Not when the question names a measure of its own ("困难户问低保
			// 标准每年涨多少": 低保 is the thing, 困难户 only who asks).
			for _, w := range topicalAskers {
				if strings.Contains(m, w) && !strings.Contains(c, w) && !containsAny(c, namedMeasures) {
					c = w + " " + c
					break
				}
			}
		}
		if m := assignment.FindString(c); m != "" && len(m) < len(c) {
			meta = append(meta, m)
			c = strings.TrimSpace(c[len(m):])
		}
		if m := taskLead.FindString(c); m != "" && len(m) < len(c) {
			meta = append(meta, m)
			c = strings.TrimSpace(c[len(m):])
			asked = true
		}
		if m := howToReply.FindString(c); m != "" && !strings.Contains(c, "申请") {
			meta = append(meta, m)
			c = strings.TrimSpace(strings.TrimSuffix(c, m))
		}
		if loc := selfIntro.FindStringIndex(c); loc != nil && loc[0] == 0 {
			// A self-introduction run on into the question with no comma
			// ("我是浑南区社区的 2023年…完成多少户") keeps the question.
			rest := strings.TrimSpace(c[loc[1]:])
			for _, p := range []string{"的人员", "人员", "的"} {
				if r, ok := strings.CutPrefix(rest, p); ok {
					rest = strings.TrimSpace(r)
					break
				}
			}
			if asks(rest) && hasTopic(rest) {
				meta = append(meta, c[:loc[1]])
				c = rest
			}
		}
		switch {
		case c == "":
			continue
		case selfIntro.MatchString(c), whatDocsSay.MatchString(c), pleaseLook.MatchString(c), eventLead.MatchString(c) && i+1 < len(clauses) && containsAny(strings.Join(clauses[i+1:], ""), eventRequest), outreach.MatchString(c) && !strings.Contains(c, "为什么") && !strings.Contains(c, "为啥"):
			meta = append(meta, c)
			continue
		}
		if fs := filler.FindAllString(c, -1); len(fs) > 0 {
			meta = append(meta, fs...)
			c = strings.TrimSpace(filler.ReplaceAllString(c, " "))
			asked = asked || containsAny(strings.Join(fs, ""), askMarkers)
			if c == "" {
				continue
			}
		}
		c = stripAges(c, &meta)
		if asked && len(kept) >= openingClauses {
			// 请问 is a stopword: it weighs nothing, and tells premises
			// where the account ends.
			c = askMark + c
		}
		kept = append(kept, c)
	}
	return strings.Join(kept, ","), meta
}

// yearAt reports whether r opens with a year (2023年).
func yearAt(r []rune) bool {
	return len(r) >= 5 && r[4] == '年' && unicode.IsDigit(r[0]) && unicode.IsDigit(r[1]) && unicode.IsDigit(r[2]) && unicode.IsDigit(r[3])
}

// englishSentences ends an English sentence at its full stop, as a
// comma ends a Chinese clause.
var englishSentences = regexp.MustCompile(`([a-z0-9)'"])\.\s+`)

// englishAccount opens an English sentence about the asker and theirs;
// englishAsks opens or holds a question.
var (
	englishAccount = regexp.MustCompile(`^(?:i'm|i am|i|my|we|we're|our|i've|i have)\b`)
	englishAsks    = regexp.MustCompile(`^(?:how|what|which|who|where|when|why|is|are|do|does|did|can|could|will|would|should|may)\b|\b(?:how much|how many|how long|whether|what|which|can i|can she|can he|can we|is there|are there|do i|does she|does he)\b`)
)

// englishRole is what the asker does or is, which says who asks, not what
// about ("I volunteer with kids in Hunnan", "I'm a foreigner working in
// Dalian").
var englishRole = regexp.MustCompile(`^(?:i|we)(?:'m| am|'re| are)? (?:a |an )?(?:volunteer|social worker|community worker|grid worker|foreigner|expat|foreign national)(?:s|ing)?\b` +
	// "British expat in Dalian here", "hello, foreigner here"
	`|^(?:[\w']+ ){0,2}(?:volunteer|social worker|community worker|foreigner|expat|foreign national|student)s?(?: (?:in|from|living in|working in|based in) [\w']+(?: [\w']+)?)? here$`)

// accountTopic reports whether an English account names a topic of the
// documents beyond who the asker's people are ("I'm a migrant worker"
// names 流动人口; "my elderly mother-in-law" only a beneficiary): such an
// account is part of the question.
func accountTopic(c string) bool {
	for _, w := range strings.Fields(englishTerms(c)) {
		if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Han, r) && !beneficiaries[w] && !vague[w] && !strings.Contains("老年人", w) {
			return true
		}
	}
	return false
}

// spacedClauses turns a space between two Chinese characters, or between
// one and a year starting the next clause, into a comma: typing
// on a phone, people end a clause with a space ("我老家在沈阳农村 房子快塌
// 了 市里今年改造多少户", "我是浑南区社区的 2023年…完成多少户"), and the
// clause that asks must be told from the asker's situation. Spaces in
// English text stay.
func spacedClauses(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	r := []rune(s)
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		if unicode.IsSpace(r[i]) {
			j := i
			for j < len(r) && unicode.IsSpace(r[j]) {
				j++
			}
			if i > 0 && j < len(r) && unicode.Is(unicode.Han, r[i-1]) && (unicode.Is(unicode.Han, r[j]) || yearAt(r[j:])) {
				b.WriteRune(',')
				i = j - 1
				continue
			}
		}
		b.WriteRune(r[i])
	}
	return b.String()
}

// runOnClauses breaks a long stretch with no punctuation where a voice-typed
// account turns to the question ("俺妈今年九十一了住旅顺口区身子骨还行就是
// 耳朵背听说大连有高龄津贴一个月能给多少钱啊"): before what the asker heard
// or asks, and where a clause ending in 了 is followed by a new subject
// ("瘫在床上好几年了家里就靠低保金过日子"). Without the break the whole
// account is one clause that asks, and its heaviest noun (身子骨) passes
// for the thing asked about. Short stretches are left alone: there the
// same words are part of one clause ("听说低保涨了吗").
func runOnClauses(s string) string {
	var b strings.Builder
	last := 0
	for _, part := range stretchRe.FindAllStringIndex(s, -1) {
		b.WriteString(s[last:part[0]])
		last = part[1]
		stretch := s[part[0]:part[1]]
		if utf8.RuneCountInString(stretch) < runOnRunes {
			b.WriteString(stretch)
			continue
		}
		b.WriteString(replaceEach(stretch, runOnTurn, func(start, end int) string {
			m := stretch[start:end]
			switch {
			case start == 0:
				return m
			case strings.HasPrefix(m, "了"):
				// 为了, 除了, 到了 end no clause ("为了孩子上学", "搬到了他家")
				if prev, _ := utf8.DecodeLastRuneInString(stretch[:start]); strings.ContainsRune("为除到", prev) {
					return m
				}
				return "了," + m[len("了"):]
			}
			return "," + m
		}))
	}
	b.WriteString(s[last:])
	return b.String()
}

// runOnRunes is the length from which a stretch with no punctuation is read
// as several clauses run together: a question proper rarely runs this long
// without a break, an account told by voice does.
const runOnRunes = 18

// stretchRe is a stretch of text between punctuation.
var stretchRe = regexp.MustCompile(`[^,。;!?\x{FF0C}\x{FF1B}\x{FF01}\x{FF1F}\n]+`)

// runOnTurn is where a run-on account turns: hearsay (听说, 听社区讲), an
// ask (想问问, 请问, 我想知道), the asker turning to what they do not know
// (俺搞不懂, 我就想), or 了 ending a clause before a new subject (了家里,
// 了儿子), a new subject that lives somewhere (我们住, 俺们娘俩住), one
// the account returns to (他那个护理补贴) and the household living on
// something (老伴瘫在床上家里吃低保).
var runOnTurn = regexp.MustCompile(`听说|据说|听(?:人|别人|邻居|社区|街道|村里|朋友|老乡|他们|人家)(?:说|讲)|(?:我|俺)?(?:想问问|想问一下|想问下|想了解)|请问|我想知道|麻烦问一下|(?:我|俺)(?:就想|想知道|搞不懂|弄不懂|不懂|不知道|不明白|寻思)|了(?:我|俺|咱|家里|我家|俺家|儿子|闺女|女儿|孩子|老伴|他|她)|(?:我们|俺们|我家|俺家|咱们|咱家)\p{Han}{0,2}?(?:住|在)|(?:他|她)(?:那个|这个)|家里(?:吃|靠|领|拿|是)`)

// stripAges sets aside the ages in clause c that say how old the asker or
// their people are (我妈80岁了, 俺78了), keeping those that name a group
// of people (八九十岁的老人, 65岁以上): that is what a measure is for.
func stripAges(c string, meta *[]string) string {
	return replaceEach(c, asksAge, func(start, end int) string {
		if startsAny(c[end:], groupAfterAge) {
			return c[start:end]
		}
		*meta = append(*meta, c[start:end])
		return " "
	})
}

// replaceEach replaces each match of re in s by what with returns for it,
// given where it stands (with may return the match itself to keep it).
func replaceEach(s string, re *regexp.Regexp, with func(start, end int) string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		b.WriteString(s[last:m[0]])
		b.WriteString(with(m[0], m[1]))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// groupAfterAge, right after an age, make it name a group of people
// (八九十岁的老人, 65岁以上, 80岁至89岁, 80岁老人).
var groupAfterAge = []string{"的", "以上", "以下", "及以上", "至", "到", "-", "~", "老人", "老年人", "以内"}
