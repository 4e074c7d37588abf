package bot

import (
	"context"
	"regexp"
	"strings"
	"unicode"

	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval"
)

// Routes an answer takes other than the documents (Answer.Route).
const (
	// RouteCrisis: the message speaks of suicide, self-harm or violence.
	// It gets the fixed crisis reply first, with no LLM call, and is
	// counted by Options.OnRoute but never logged with its text.
	RouteCrisis = "crisis"
	// RouteGreeting and RouteThanks: nothing is left of the message once
	// greetings, thanks and the asker's own context are set aside.
	RouteGreeting = "greeting"
	RouteThanks   = "thanks"
)

// Crisis wording, matched on the message folded (simplified, half-width,
// lower case) with everything but letters and digits removed, so that "想
// 死", "自-杀" and 自殺 read alike. Three kinds, each a list of plain
// alternatives to keep it reviewable:
//   - ideation, direct and indirect: 想死, 不想活, 活着没意思, 活不下去 …;
//   - methods, which stand alone because a message naming one is urgent
//     whoever it is about: 跳楼, 割腕, 吃安眠药 …;
//   - violence against someone or by someone: 杀了他, 打死我, 被家暴 ….
//
// 紫砂 and 自鲨 are how people write 自杀 to get past filters.
var crisisHan = regexp.MustCompile(strings.Join([]string{
	// ideation
	`不想活|不太想活|不愿意?活|活着没(?:有)?(?:意思|意义|盼头)|活着(?:好|太|真|很)累|活不下去|活够了|活腻了|不如死了|死了算了|一死了之|` +
		`想死|想去死|要去死|寻死|求死|(?:想|要|有|打算)轻生|轻生(?:的)?(?:念头|想法)|自尽|自杀|自鲨|紫砂|自残|自伤|伤害自己|结束(?:自己的?)?生命|了结(?:自己|生命)|离开这个世界|遗书|安乐死`,
	// methods
	`跳楼|跳河|跳江|跳海|跳桥|卧轨|上吊|割腕|割脉|服毒|烧炭|` +
		`(?:吃|吞|服|喝|攒|囤)了?(?:一瓶|一把|整瓶|很多|好多|大量)?(?:安眠药|农药|百草枯|敌敌畏|老鼠药|耗子药)`,
	// violence
	`杀了(?:他|她|你|我|他们|她们|全家|那个|这个)|杀死(?:他|她|你|我)|弄死(?:他|她|你|我)|要杀我|想杀人|要杀人|去杀人|` +
		`砍死|捅死|掐死|打死(?:我|他|她|你|人)|同归于尽|报复社会|被家暴|家暴我|` +
		`(?:老公|丈夫|男朋友|男友|前夫|他爸|她爸|婆婆|儿子)(?:天天|经常|总是|又|一直)?(?:打我|要打死)`,
}, "|"))

// crisisEnglish is the same for English, on lower-cased words separated
// by single spaces; common misspellings and "algospeak" (unalive,
// sewerslide) are included.
var crisisEnglish = regexp.MustCompile(`\b(?:` + strings.Join([]string{
	`(?:want|wanted|going|gonna|wanna|trying|try|plan|planning) (?:to )?(?:die|kill myself|end (?:my life|it all))`,
	`kil+ ?my ?self|killing myself|end(?:ing)? my life|end it all|take my (?:own )?life`,
	`suicid\w*|sucid\w*|suicd\w*|suiside|sewerslide|unalive`,
	`i (?:do not|don ?t|dont) want to (?:live|be alive|wake up)|wish i (?:was|were) dead|better off dead|no reason to live`,
	`hurt(?:ing)? myself|cut(?:ting)? myself|self ?harm\w*|hang myself|overdose|jump off (?:a|the) (?:bridge|building|roof)`,
	`kill (?:him|her|them|you|my \w+)|(?:going|gonna|want) to kill|threaten\w* to kill|(?:beats|beat|hits) me|abus\w* me`,
}, "|") + `)\b`)

// crisisLookalikes are harmless phrases holding crisis words: a price
// (跳楼价), software (杀毒), a teapot (紫砂壶), a policy question about
// prevention (自杀预防政策), an idiom (打死我也不信, 想死你了). They are
// removed before the crisis words are looked for; a message that also
// says something alarming is still caught by that.
var crisisLookalikes = []*regexp.Regexp{
	regexp.MustCompile(`不(?:太)?想活(?:动|跃|儿|计)|思想死|跳楼(?:价|大?(?:甩卖|减价|清仓|促销|亏本))|紫砂(?:壶|锅|杯|煲)|打死我也|想死你|` +
		`(?:预防|干预|防止|防范|防控)(?:自杀|轻生|自残)|(?:自杀|轻生|自残)(?:预防|干预|防控|防范|率)|安乐死(?:合法|立法|政策)`),
	regexp.MustCompile(`suicide (?:prevention|rate|statistics)|(?:prevent|preventing) suicide`),
}

// squash keeps the letters and digits of folded text.
func squash(folded string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, folded)
}

// words writes folded text as lower-case words separated by single
// spaces, for the English patterns; an apostrophe is dropped (don't →
// dont).
func words(folded string) string {
	folded = strings.NewReplacer("'", "", "’", "").Replace(folded)
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// isCrisis reports whether a text speaks of suicide, self-harm or
// violence.
func isCrisis(text string) bool {
	f := retrieval.Fold(text)
	for _, re := range crisisLookalikes {
		f = re.ReplaceAllString(f, " ")
	}
	return crisisHan.MatchString(squash(f)) || crisisEnglish.MatchString(words(f))
}

// crisisSplit reports whether q is a crisis message, and what else it
// asks: its clauses that hold no crisis wording ("我要跳楼了,残疾人补贴在
// 哪领" → "残疾人补贴在哪领").
func crisisSplit(q string) (rest string, crisis bool) {
	if !isCrisis(q) {
		return "", false
	}
	var keep []string
	for _, c := range clauseSep.Split(q, -1) {
		if c = strings.TrimSpace(c); c != "" && !isCrisis(c) {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, ","), true
}

// crisisAnswer is the fixed crisis reply, then, when the message also asks
// something the documents answer, the extractive answer to that. The LLM
// is never called for such a message and nothing of it is remembered for
// the conversation.
func (a *Answerer) crisisAnswer(ctx context.Context, req Request, q, rest string) Answer {
	reply := crisisReply
	if !hasHan(q) {
		reply = crisisReplyEnglish
	}
	ans := Answer{ID: req.ID, Question: q, Answer: reply, Abstained: true, Confidence: ConfidenceNone,
		Mode: ModeExtractive, Route: RouteCrisis, Citations: []Citation{}, Passages: []Passage{}}
	if rest == "" || refusesRecords(rest) {
		return ans
	}
	ev, err := a.retrieve(ctx, withoutPersonalClauses(rest), judge.Request{Region: req.Region}, max(req.K, 10), false)
	if err != nil || ev.Decision.Kind == judge.None {
		// The crisis reply goes out whatever became of the rest (an
		// unknown region, a failed search): it is what matters.
		return ans
	}
	ev.Question = rest
	more := a.Extractive(req, ev)
	ans.Answer += "\n\n" + more.Answer
	ans.Abstained, ans.Confidence = more.Abstained, more.Confidence
	ans.Region, ans.Citations, ans.Passages = more.Region, more.Citations, more.Passages
	return ans
}

// thanked reports whether the set-aside context of a reading thanks the
// bot.
func thanked(rd judge.Reading) bool {
	for _, m := range rd.Meta {
		if strings.Contains(m, "谢") || strings.Contains(m, "thank") {
			return true
		}
	}
	return strings.Contains(retrieval.Fold(rd.Core), "thank")
}
