package bot

import (
	"fmt"
	"strings"
)

// Everything a resident reads that the bot writes itself, rather than
// quotes from a document, is here: the hotline line, refusals, notes and
// the short lines that frame an answer. Keep each one plain and short; a
// "none" answer must stay within maxNoneRunes.

// hotlineLine ends every answer that sends the person elsewhere.
const hotlineLine = "请拨打12345政务服务便民热线咨询。"

// maxNoneRunes bounds a "none" answer: one line, hotline included.
const maxNoneRunes = 120

// Lines of a "none" answer, by why nothing could be said.
const (
	noneNothing  = "抱歉,现有政策文件里没有这方面的内容。" + hotlineLine
	noneForeign  = "抱歉,现有文件不包含%s的政策。" + hotlineLine
	noneNoTopic  = "没看明白您问的是哪件事,请把问题说完整,例如“浑南区低保标准是多少?”。"
	noneGreeting = "您好!我可以解答沈阳、浑南、大连、沙河口、襄阳的民生政策问题,例如养老、助餐、低保、残疾人补贴。"
	noneThanks   = "不客气!还有其他民生政策问题,随时问我。"
	// noneSmallTalk: chat that asks nothing of the documents (天气, 笑话).
	noneSmallTalk = "这个不在政策文件范围内。我可以解答沈阳、浑南、大连、沙河口、襄阳的民生政策问题;其他事项请拨打12345。"
	noneEnglish   = "Sorry, the policy documents do not cover this. Please call the 12345 hotline."
	recordsRefuse = "抱歉,我不能查询任何人的社保、医保、低保、养老金等个人记录。个人业务请本人带证件到社区服务中心办理,或" + hotlineLine
	// recordsRefuseEnglish answers a look-up asked in English.
	recordsRefuseEnglish = "Sorry, I cannot look up anyone's records (pension, dibao, insurance, applications). Please ask at your community service centre with ID, or call the 12345 hotline."
	// errandRefuse answers a request to act for the asker (挂号, 找保姆, 推荐学校, 帮我算算能领多少).
	errandRefuse        = "抱歉,我只能解答政策文件里的内容,不能代办挂号、预约、推荐机构或替个人核算待遇这类事情。" + hotlineLine
	errandRefuseEnglish = "Sorry, I can only say what the policy documents say; I cannot book, find, recommend or arrange services, or work out one household's entitlement. Please call the 12345 hotline."
	// noneBeyond: the question asks about a year after the documents' last.
	noneBeyond = "文件只写到%d年的安排,没有%d年的内容。" + hotlineLine
	// noneBefore: the question asks about a year well before the
	// documents found were written.
	noneBefore = "找到的文件是%d年写的,没有写%d年的情况。" + hotlineLine
	// noneNotStated: the question asks when, where or how to reach a
	// service, which the documents do not say.
	noneNotStated = "抱歉,政策文件没有写%s这类办事信息。" + hotlineLine
	// noneDoctor: what to take, whether to stop, what an illness allows.
	noneDoctor = "抱歉,政策文件不谈个人用药和治疗,这要听医生的意见。" + hotlineLine
	// noneLawyer: what a wrong is worth, how an estate is shared.
	noneLawyer = "抱歉,政策文件不谈个人的赔偿、诉讼和继承,可以咨询律师或当地法律援助。" + hotlineLine
	// noneNoDocument: a programme known by name that no document names.
	noneNoDocument = "抱歉,现有政策文件里没有%s的内容。" + hotlineLine
	// noneElsewhere: the thing asked about is in other places' documents,
	// not in those of the place asked about.
	noneElsewhere = "抱歉,现有%s的政策文件里没有%s的内容。" + hotlineLine
	// noneCountyTotal: a count asked of a district with no document of
	// its own; its city's documents count the whole city.
	noneCountyTotal = "抱歉,现有文件没有%s自己的这个数字,%s的文件只写全市的情况。" + hotlineLine
	// noneCountyList: which sites of a district with no document of its
	// own; its city's documents name none of its sites.
	noneCountyList = "抱歉,现有文件没有%s自己的具体名单,%s的文件只写全市的安排。" + hotlineLine
	// noneNational: the question asks a national or provincial rule; the
	// documents are a city's and its districts'.
	noneNational = "现有文件是市、区的政策文件,没有写国家或全省统一的规定。" + hotlineLine
)

// crisisReply comes first, before anything else is said, to a message
// that speaks of suicide, self-harm or violence: who to call now, and
// that someone will listen. It names the emergency numbers, the national
// mental-health line and the local hotline, and nothing from documents.
const (
	crisisReply = "您现在的安全最重要。如果您或身边的人有危险,请马上拨打110报警;有人受伤或已经服药,请拨打120急救。" +
		"心里很难受、有伤害自己的念头时,请拨打全国心理援助热线12356,有专人倾听和帮助。" +
		"生活上的困难也可以拨打12345政务服务便民热线求助。您不是一个人,请现在就打电话。"
	crisisReplyEnglish = "Your safety comes first. If you or someone near you is in danger, call 110 (police) now; " +
		"if someone is hurt or has taken something, call 120 (ambulance). " +
		"If you are thinking of hurting yourself, call the national mental-health line 12356: someone will listen. " +
		"For other difficulties, call the 12345 hotline. You are not alone; please call now."
)

// clarifyLine asks which region a question means when the documents'
// answers differ across more regions than an answer lists.
const clarifyLine = "各地的规定不一样,请问您问的是哪个地区?目前有这些地区的文件:%s。"

// Notices of the channels, besides answers.
const (
	// MsgInternal answers an error the resident cannot act on.
	MsgInternal = "抱歉,系统暂时出了点问题,请稍后再试。急事请拨打12345政务服务便民热线。"
	// MsgTimeout answers a question whose answer took too long.
	MsgTimeout = "抱歉,这次回答用时太长,请稍后再试。急事请拨打12345政务服务便民热线。"
	// MsgBusy: every answering slot is taken.
	MsgBusy = "现在咨询的人比较多,请稍后再试。急事请拨打12345政务服务便民热线。"
	// MsgRestart: the service stopped before the answer was sent.
	MsgRestart = "抱歉,服务正在重启,这个问题没来得及回答完。请过一两分钟再问一次。急事请拨打12345政务服务便民热线。"
	// MsgTooFast and MsgOneAtATime: a chat's rate and one question at a time.
	MsgTooFast    = "请稍候:您发得有点快,过几秒再发下一个问题。"
	MsgOneAtATime = "请稍候:上一个问题还在回答中,回答之后再发下一个问题。"
	// MsgTextOnly: a photo, voice message or file instead of a question.
	MsgTextOnly = "目前只能回答文字问题。请用文字描述您想咨询的内容(图片、语音、贴纸、文件等暂不支持)。"
	// MsgInvalidUTF8: a question whose bytes are not UTF-8 text; over
	// HTTP it comes with status 400, since guessing would change the
	// question.
	MsgInvalidUTF8 = "问题里有无法识别的字符(不是有效的UTF-8文本),请重新输入。"
	// MsgExpired: a button of an answer the bot no longer remembers.
	MsgExpired = "这条回答已过期,请重新提问。"
	// MsgIntro opens /start.
	MsgIntro = "我根据政府公开的民生政策文件回答问题(养老、老年助餐、低保、助残、就业、医疗、住房等)," +
		"每句话都标出处编号;文件里没有的内容,我会直接说明,不会猜测。" +
		"个人的具体情况和急事,请拨打12345政务服务便民热线。"
)

// curatedLabel opens an answer a community worker wrote: the day it was
// written and the region it holds for; the answer's sources are cited
// below it as any answer's are.
const (
	curatedLabel      = "社区整理的答复(%s,%s)"
	curatedEverywhere = "各地适用"
)

// After a 👎 the resident is asked what was wrong, with these reasons
// (DownvoteReasons); the labels are also what the unanswered queue and
// the feedback log keep.
const (
	MsgReasonOutdated      = "过时"
	MsgReasonOffTopic      = "答非所问"
	MsgReasonWrongCitation = "引用不对"
	MsgReasonOther         = "其他"
	// MsgReasonAsk asks for one of them.
	MsgReasonAsk = "哪里不对?请选一项:"
	// MsgReasonThanks thanks a resident for a 👎 and its reason.
	MsgReasonThanks = "谢谢反馈,我们会改进。"
	// MsgFeedbackNotSaved says a vote was not stored and may be sent again.
	MsgFeedbackNotSaved = "反馈没有保存成功,请稍后再试。"
)

// Lead lines of a "closest" answer.
const (
	closestFigure = "文件没有写%s的具体数字,最接近的是:"
	closestNear   = "文件没有直接写这一点,最接近的是:"
	// closestFigureBare: the figure asked is not written, and the thing
	// read as asked about is not in the sentence shown.
	closestFigureBare = "文件没有写这个具体数字,最接近的是:"
)

// Notes attached to answers.
const (
	// partialNote opens an answer to only part of a question.
	partialNote = "(问题中有一部分文件没有涉及,以下只答涉及的部分,其余" + hotlineLine + ")\n"
	// partialMissingNote opens an answer to a question that also asks a
	// practical detail (地址, 电话) no document states.
	partialMissingNote = "(文件没有写%s,以下只答涉及的部分,其余" + hotlineLine + ")\n"
	// fallbackNote tells the person why the answer reads as quotations.
	fallbackNote = "(智能回答暂时不可用,以下是政策文件原文摘录。)\n"
	// busyNote: every LLM slot was taken, so the answer came at once as
	// quotations rather than after a wait.
	busyNote = "(现在使用智能回答的人比较多,以下是政策文件原文摘录。)\n"
	// budgetNote: the day's LLM budget is spent.
	budgetNote = "(今天的智能回答额度已用完,以下是政策文件原文摘录。)\n"
	// yesNoLead opens the answer to a yes/no question with what the
	// document says, not a bare yes the quote may not bear out.
	yesNoLead = "文件提到:"
	// englishLead opens an answer to a question asked in English; the
	// quotes stay in Chinese, as the documents are.
	englishLead = "From the documents (in Chinese):\n"
	// regionMissing is a comparison's line for a region whose document
	// says nothing on the matter.
	regionMissing = "%s:文件没有写这一项。"
	// unknownRegion tells the person which regions there are.
	unknownRegion = "不认识这个地区。目前收录的地区有:%s。"
)

// What stands in an answer where the guard removed a link, phone number
// or e-mail address that neither the catalog nor the allowlist vouches for.
const (
	linkOmitted  = "(链接已省略)"
	phoneOmitted = "(电话已省略)"
	emailOmitted = "(邮箱已省略)"
)

// attribution names whose document a sentence is from and its year, with
// how it applies and what its time words mean today:
// "(浑南区,2023年文件)", "(大连市级文件,适用于金州区,2023年)",
// "(浑南区,2023年文件,目标年份2025年已过)".
func attribution(docPlace, asked string, year int, notes []string) string {
	parts := []string{fmt.Sprintf("%s,%d年文件", docPlace, year)}
	if asked != "" && asked != docPlace {
		parts = []string{fmt.Sprintf("%s级文件,适用于%s,%d年", docPlace, asked, year)}
	}
	parts = append(parts, notes...)
	return "(" + strings.Join(parts, ",") + ")"
}

// Time notes inside an attribution: a target year that has passed, a
// document's "今年", and an old document's figures.
const (
	notePastTargetPart = "目标年份%d年已过"
	noteThisYearPart   = "文中“今年”指%d年"
	noteOldPart        = "数字是当时的计划"
	noteNotNowPart     = "不一定是现行标准"
	// A cited document no longer in force: expired, or replaced by another.
	noteExpiredPart    = "已于%s失效"
	noteSupersededPart = "已被《%s》取代"
	noteAmbiguous      = "(“%s”按%s理解)"
)

// suggestions are questions the documents do answer, offered under a
// "none" answer; those sharing words with the question come first.
var suggestions = []string{
	"浑南区低保标准是多少?",
	"大连对重度残疾人有护理补贴吗?",
	"浑南区社区有老年食堂吗?",
	"沈阳要建多少养老床位?",
	"大连高中阶段教育有什么目标?",
	"浑南区孤儿的养育标准是多少?",
}

// suggest picks up to three suggestions, those sharing a character pair
// with the question first.
func suggest(question string) []string {
	var near, rest []string
	for _, s := range suggestions {
		if sharesPair(question, s) {
			near = append(near, s)
		} else {
			rest = append(rest, s)
		}
	}
	out := append(near, rest...)
	return out[:min(3, len(out))]
}

func sharesPair(a, b string) bool {
	r := []rune(a)
	for i := 0; i+2 <= len(r); i++ {
		p := string(r[i : i+2])
		if strings.ContainsAny(p, "? ,。\uFF1F\uFF0C") {
			continue
		}
		if strings.Contains(b, p) {
			return true
		}
	}
	return false
}
