package judge

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// Kind is the decision on a question.
type Kind int

// Decisions, from most to least confident.
const (
	// Answer: the documents cover the question.
	Answer Kind = iota
	// Closest: the documents say something near the question but not what
	// it asks; the answer says what is missing and shows the nearest.
	Closest
	// None: nothing relevant exists.
	None
)

func (k Kind) String() string {
	switch k {
	case Answer:
		return "answer"
	case Closest:
		return "closest"
	}
	return "none"
}

// Reason says why a decision was taken.
type Reason string

// Reasons of a decision.
const (
	Covered         Reason = "covered"          // enough of the question is in a leading passage
	PartlyCovered   Reason = "partly_covered"   // one clause of a compound question is
	FigureMissing   Reason = "figure_missing"   // the topic is there, the figure asked for is not
	Near            Reason = "near"             // the key noun is there, too little else is
	FigureStated    Reason = "figure_stated"    // little is covered, but the figure asked for is stated for the thing asked about
	AskedCovered    Reason = "asked_covered"    // the passage naming the thing covers what is asked; what the asker says of themselves is not in it
	NothingFound    Reason = "nothing_found"    // no passage matched at all
	Weak            Reason = "weak"             // too little of the question is anywhere
	ForeignPlace    Reason = "foreign_place"    // the question is about a place no document covers
	NoTopic         Reason = "no_topic"         // a follow-up with nothing before it, or only greetings
	BeyondHorizon   Reason = "beyond_horizon"   // the question asks about a year after every year the documents found speak of
	BeforeDocuments Reason = "before_documents" // the question asks about a year well before the documents found were written, which they do not name
	NotStated       Reason = "not_stated"       // the question asks when, where or how to reach a service, which no passage found states
	NoDocument      Reason = "no_document"      // the question is about a programme the thesaurus knows by name and no document names
	National        Reason = "national"         // the question asks what the country rules, and no leading passage speaks of it
	Unwritten       Reason = "unwritten"        // the thing asked about is in no document; the passage found shares only common words
	SmallTalk       Reason = "small_talk"       // chat that asks nothing of policy documents (天气怎么样)
	Elsewhere       Reason = "elsewhere"        // the thing asked about is written only in documents of other places
	CountyTotal     Reason = "county_total"     // a count asked of a district with no document of its own: its city's documents count the city
	CountyList      Reason = "county_list"      // which sites (communities, estates, schools) of a district with no document of its own: its city's documents list none
)

// Decision is the judgement on a reading and its search results.
type Decision struct {
	Kind   Kind
	Reason Reason
	// Coverage is the best share of the question found in one leading
	// passage; ClauseCoverage the same for the best clause of a compound
	// question that carries enough of it (0 for one clause).
	Coverage, ClauseCoverage float64
	// KeyTerm is the noun the question is about (the one whose figure it
	// asks for, if it asks one); KeyNames the words naming it in the
	// documents; Anchored says a leading passage has one.
	KeyTerm  string
	KeyNames []string
	// KeyShown is how an answer names the key term: the documents' own
	// word for it when the asker's is not theirs (岁数大的 → 高龄), else
	// KeyTerm.
	KeyShown string
	// Group names whom a kind of measure asked alone (补贴) is asked for
	// (老人, 高龄 for "80岁以上老人每月补贴多少"), nil for none: a figure
	// and a closest sentence must name it too.
	Group    []string
	Anchored bool
	// AnchorAt is the first of the leading AnchorDepth hits that names
	// KeyTerm (-1 for none), AnchorCoverage how much of the question it
	// covers.
	AnchorAt       int
	AnchorCoverage float64
	// FigureFound says a leading passage has a sentence naming KeyTerm
	// with a number; FigureAt is the first hit below the leading ones that
	// states it, when only such a hit does (-1 for none).
	FigureFound bool
	// MissingAdvice says whose advice Missing is (a doctor's, a lawyer's),
	// empty for a practical detail.
	MissingAdvice Advice
	FigureAt      int
	// Partial: only a clause of a compound question is answered.
	Partial bool
	// AskedYear is the latest year the question names (2028 in "大连2028年
	// 养老金涨多少"), 0 for none; Horizon the latest year the passages
	// found speak of or were written in.
	AskedYear, Horizon int
	// Written is the year the earliest leading passage's document was
	// written, 0 when none has a date.
	Written int
	// Missing names the practical detail asked for that no leading
	// passage states (开放时间, 地址, 电话), "" when none is.
	Missing string
	// Unwritten is a noun the question asks about that no document
	// writes, nor any policy term it stands for (公交 in "老人坐公交免费吗"),
	// and the best-covering leading passage does not hold even in part; ""
	// for none. RarestShare is the share of passages holding the rarest
	// topical question word that passage holds (1 for none): how much the
	// passage has in common with the question beyond common words.
	Unwritten   string
	RarestShare float64
	// UnwrittenKind says Unwritten is a kind of a thing the passage names
	// (肺炎疫苗, where the passage has 流感疫苗): the unwritten noun and the
	// written one it comes before; or a place no gazetteer knows (常春市).
	// Either decides, whatever else the passage shares.
	UnwrittenKind bool
	// Weights give each search word its weight (IDF × how much the
	// question stands behind it), for picking sentences.
	Weights map[string]float64
}

// Judge decides whether hits answer the question read as rd. history says
// whether the conversation had earlier turns.
func (r *Reader) Judge(rd Reading, hits []retrieval.Hit, history bool) Decision {
	p := r.policy
	d := Decision{Kind: None, Weights: map[string]float64{}}
	if rd.AsksFigure {
		// A how-to asked in a clause of its own beside the figure ("育儿补贴
		// 标准是多少,怎么申请") is a second question: the documents not
		// saying how does not make the figure's passage cover nothing.
		// Joined by 、 ("高龄津贴一个月多少钱、按年龄怎么分档"), the how-to is
		// a second question still.
		figurePart := rd.FigureClause
		for _, part := range strings.Split(rd.FigureClause, "、") {
			if retrieval.AsksForFigure(part) {
				figurePart = part
				break
			}
		}
		terms := make([]Term, len(rd.Terms))
		for i, t := range rd.Terms {
			if t.Focus && !strings.Contains(figurePart, t.Text) {
				t.Focus = false
			}
			terms[i] = t
		}
		rd.Terms = terms
	}
	for w, weight := range rd.Words {
		d.Weights[w] = r.corpus.IDF(w) * float64(weight)
	}
	// The thing asked about is named in the clause that asks; the clauses
	// before it are often the asker's situation ("我爸癌症晚期,…,有没有做
	// 安宁疗护的医院?"). A clause that asks without naming a thing
	// ("政府有啥说法没有?") asks about the question's noun.
	// A clause that asks without naming a thing ("到2025年每月最少能有多少")
	// carries on the one before it ("听说以后低保要涨"), not the asker's
	// situation further back ("一个人住在…").
	// Whether a thing costs is asked of the thing just before the asking
	// ("农村中小学生坐校车是不是不收费了" asks it of 校车, not of the rarer
	// 中小学生).
	// What the asker takes as given is read once for the rules below.
	premise := premises(rd.Judged)
	asking := askingClauses(rd.Judged)
	happened := ""
	for n, c := range r.keyOrder(asking, premise) {
		c = strings.TrimSpace(c)
		if n > 0 {
			c = whatWasHeard(c)
		}
		terms := r.terms(quantityWords.Replace(costAsked.ReplaceAllString(c, "")))
		head := r.describedHead(c)
		switch {
		case head != "":
			d.KeyTerm = head
		case costAsked.MatchString(c):
			d.KeyTerm = r.lastNoun(terms)
		case n > 0:
			// A clause before the one that asks tells the asker's story
			// ("孩子们商量着海葬,这得花多少钱"): of its nouns, the thing asked
			// about is one the documents write, not the asker's own words
			// (商量), which weigh the most for being in no document.
			d.KeyTerm = r.writtenKey(terms)
		default:
			d.KeyTerm = r.keyNoun(terms)
		}
		if d.KeyTerm == "" {
			// A clause naming a measure by a term the documents use as a
			// verb (给困难老人家里做改造) names the thing, though no noun:
			// the asker's situation further back does not ("家里厕所连个扶手
			// 都没有").
			d.KeyTerm = r.policyVerb(terms)
		}
		if n > 0 && strings.HasSuffix(d.KeyTerm, "了") && happened == "" {
			// what befell someone, told before the asking (老伴瘫了), is the
			// key only when no other clause names a thing
			happened, d.KeyTerm = d.KeyTerm, ""
		}
		if d.KeyTerm != "" {
			break
		}
	}
	if d.KeyTerm == "" && happened != "" {
		// A programme named beside where the asker lives ("俺们住浑南桃仙
		// 那边吃低保"), before what befell them.
		d.KeyTerm = cmp.Or(r.residentProgramme(rd.Judged), happened)
	}
	if rd.AsksFigure {
		// The clause asking for the figure names what it is of, unless all
		// it has is a word no document knows beside a thing the asking
		// clauses name (免费打 in "打流感疫苗免费吗,多大岁数能免费打").
		if k := r.keyNoun(r.terms(quantityWords.Replace(rd.FigureClause))); k != "" && (d.KeyTerm == "" || !r.unknown(k) || !r.unknownCompound(k)) {
			d.KeyTerm = k
		}
		// A share asked of a named rate (吸毒人员就业率) is that rate's,
		// however rare the words that say whose it is.
		if rd.AsksPercent {
			for _, t := range r.terms(rd.FigureClause) {
				if utf8.RuneCountInString(t.Text) >= 2 && strings.HasSuffix(t.Text, "率") {
					d.KeyTerm = t.Text
				}
			}
		}
	}
	// A name the asker puts in quotation marks (居委会说有个“三级五方”养老)
	// that the documents write is what they ask about.
	// Not when it asks a figure, which is of a measure of the programme
	// (“阳光工程”要让…就业率达到多少), nor of a plan period (“十三五”).
	// Only where the question asks, or named before a clause asking that
	// names nothing ("…有个“三级五方”养老,这五方都是谁啊"; not "“暖房子”工程今
	// 年不搞了,那取暖费减免还有吗").
	quoted := false
	if !rd.AsksFigure && !rd.FollowUp {
		q := r.quotedName(asking[0])
		if qc := r.quotedName(rd.Core); q == "" && (r.keyNoun(r.terms(quantityWords.Replace(asking[0]))) == "" || namesPart(asking[0], qc)) {
			// also where the asking clause points back at the name by a
			// part of it ("…宣传“三级五方”养老,…这五方到底是哪几方")
			q = qc
		}
		if q != "" && !planPeriod.MatchString(q) {
			d.KeyTerm, quoted = q, true
		}
	}
	if rd.English {
		// An English question quoting the documents' own Chinese term
		// ("orphans 事实无人抚养儿童 basic living standard") asks of that
		// term, over what the thesaurus reads into its English words.
		var typed []Term
		for _, t := range rd.Terms {
			if r0, _ := utf8.DecodeRuneInString(t.Text); unicode.Is(unicode.Han, r0) && strings.Contains(rd.Core, t.Text) {
				typed = append(typed, t)
			}
		}
		if k := r.keyNoun(typed); k != "" {
			d.KeyTerm = k
		}
	}
	if d.KeyTerm == "" {
		// Only a kind of measure is named (补贴, 标准): it is the key, and a
		// figure must be stated for it.
		for _, c := range asking {
			if d.KeyTerm = r.genericNoun(r.terms(quantityWords.Replace(c))); d.KeyTerm != "" {
				break
			}
		}
	}
	if d.KeyTerm == "" {
		d.KeyTerm = r.keyTerm(rd.Terms)
	}
	if k := d.KeyTerm; k != "" && !quoted && r.unknown(k) && r.unknownCompound(k) {
		// A written word with a character added (免费打) names no thing;
		// the question's other words, or those a follow-up carries (流感疫苗
		// for "那得多大岁数才能免费打?"), do.
		var rest []Term
		for _, t := range rd.Terms {
			if t.Text != k {
				rest = append(rest, t)
			}
		}
		if other := r.keyNoun(rest); other != "" {
			d.KeyTerm = other
		}
	}
	if rd.AsksFigure && !quoted {
		// A programme described by several of its features (装扶手、做防滑、
		// 装报警器的那种改造) is the thing asked about, not one feature; a key
		// the thesaurus knows (事实无人抚养儿童, 保租房) names its own thing.
		if k := r.describedThing(asking); k != "" && k != d.KeyTerm && len(retrieval.Expansions(d.KeyTerm)) == 0 && !retrieval.IsPolicyTerm(d.KeyTerm) {
			d.KeyTerm = k
		}
	}
	if rd.AsksFigure && d.KeyTerm != "" && !quoted && len(hits) > 0 && !r.namedIn(d.KeyTerm, hits, p.AnchorDepth) {
		// The heaviest noun is in none of the passages found, while the noun
		// the figure is asked of, the last before 多少, is in the first:
		// and states a figure of the kind asked for it: the figure is of that
		// one ("回顾上一年时说人均最低生活保障金增长到多少": 时说 is a cut gone
		// astray; "十二五收官那年…人均低保钱是多少").
		if alt := r.figureNoun(rd.FigureClause); alt != "" && alt != d.KeyTerm && r.named(alt, hits[0].Index) && statesFigure(r.names(alt), hits[0].Text, wantOf(rd)) {
			d.KeyTerm = alt
		}
	}
	if d.KeyTerm != "" {
		d.KeyNames = r.names(d.KeyTerm)
		d.KeyShown = d.KeyTerm
		if !r.corpus.Written(d.KeyTerm) {
			for _, n := range d.KeyNames[1:] {
				if r.corpus.Written(n) {
					d.KeyShown = n
					break
				}
			}
		}
	}
	depth := min(len(hits), p.EvidenceDepth)
	var figureTerms []Term
	if rd.AsksFigure {
		figureTerms = r.terms(quantityWords.Replace(rd.FigureClause))
		// The sentence must name what the figure is of, even when the
		// clause asking for it does not (养老金调整了吗?每人涨多少元?).
		if d.KeyTerm != "" && !hasTerm(figureTerms, d.KeyTerm) {
			figureTerms = append(figureTerms, Term{Text: d.KeyTerm, Weight: p.NounWeight, Noun: true})
		}
	}
	unit := askedUnit(rd.FigureClause)
	often := frequencyAsked.MatchString(rd.FigureClause)
	if rd.English {
		// the English words, which the figure clause's terms leave out
		lower := strings.ToLower(rd.Core)
		unit = cmp.Or(unit, askedUnit(lower))
		often = often || frequencyAsked.MatchString(lower)
	}
	want := wantOf(rd)
	// A kind only asked (补贴, 标准) for a group the documents keep such
	// measures apart by: the figure must be stated for that group
	// (困难残疾人生活补贴…300元 states none of 老人), and the passage a
	// closest answer shows names it.
	var group []string
	if kinds[d.KeyTerm] && rd.AsksFigure {
		group = askedGroup(rd)
		d.Group = group
	}
	var kindsAsked []string
	if group != nil {
		kindsAsked = append(append(kindsAsked, d.KeyNames...), moneyKinds...)
		for _, t := range figureTerms {
			if kinds[t.Text] {
				kindsAsked = append(kindsAsked, t.Text)
			}
		}
	}
	d.AnchorAt = -1
	if group != nil {
		for i, h := range hits[:min(len(hits), max(depth, p.AnchorDepth))] {
			if NamesWith(h.Text, d.KeyNames, group) {
				d.AnchorAt = i
				d.AnchorCoverage = r.coverage(rd.Terms, h.Index)
				break
			}
		}
	}
	for i, h := range hits[:min(len(hits), max(depth, p.AnchorDepth))] {
		// A passage a little further down that names the thing asked about
		// is what a closest answer shows when the leading ones, drawn by
		// the asker's other words (给多少钱), do not name it.
		if d.KeyTerm != "" && d.AnchorAt < 0 && r.named(d.KeyTerm, h.Index) {
			d.AnchorAt = i
			d.AnchorCoverage = r.coverage(rd.Terms, h.Index)
		}
	}
	// statesIt reports whether h states the figure asked for the thing
	// asked about.
	statesIt := func(h retrieval.Hit) bool {
		if group != nil {
			// a clause naming the group, a kind asked (养育标准 answers "living
			// allowance standard") and a figure
			return groupStates(h.Text, group, kindsAsked, want)
		}
		if unit == "比值" {
			// a ratio is rare enough in a passage found for the question
			// that one stated is the one asked (比值逐步缩小至1.2:1 for
			// 城乡低保差距缩到几比几)
			return StatesUnit(unit, retrieval.Fold(h.Text))
		}
		if unit == "年" || unit == "年级" || unit == "时长" || (unit != "" && often) {
			// which year or school year: only a figure counted so answers
			// (窝沟封闭率100% says nothing of 二年级)
			return StatesUnit(unit, retrieval.Fold(h.Text)) && (statesFigure(d.KeyNames, h.Text, want) || r.unitSentence(figureTerms, unit, h.Text) >= p.MinUnitSentence)
		}
		return statesFigure(d.KeyNames, h.Text, want) || r.figureSentence(figureTerms, d.KeyTerm, d.KeyNames, h.Text, want) >= p.MinFigureSentence ||
			(unit != "" && r.unitSentence(figureTerms, unit, h.Text) >= p.MinUnitSentence)
	}
	best := -1
	// Where a leading passage names the thing asked about, coverage is
	// counted in those that do: "沈阳有没有给老人发的取暖补贴" is not covered by
	// a passage on 养老机构运营补贴 that shares 老人 and 补贴, beside one
	// that speaks of 供暖.
	keyed := func(i int) bool { return true }
	if d.KeyTerm != "" && (d.AnchorAt >= 0 && d.AnchorAt < depth) {
		keyed = func(i int) bool { return r.named(d.KeyTerm, i) }
	}
	for _, h := range hits[:depth] {
		if c := r.coverage(rd.Terms, h.Index); keyed(h.Index) && (best < 0 || c > d.Coverage) {
			d.Coverage, best = c, h.Index
		}
		if d.KeyTerm != "" && !d.Anchored {
			d.Anchored = r.named(d.KeyTerm, h.Index)
		}
		if rd.AsksFigure && !d.FigureFound && d.KeyTerm != "" && !InsideAsked(h, rd) {
			d.FigureFound = statesIt(h)
		}
	}
	d.FigureAt = -1
	if rd.AsksFigure && !d.FigureFound && d.KeyTerm != "" {
		// A passage a little further down may state the figure for the
		// thing asked about, when the leading ones were drawn by what the
		// asker says of themselves ("我妈一个人住…,吃低保的,…能涨到多少"):
		// the answer must not then say it is missing, and shows it.
		for i := depth; i < min(len(hits), p.AnchorDepth); i++ {
			if r.named(d.KeyTerm, hits[i].Index) && !InsideAsked(hits[i], rd) && statesIt(hits[i]) {
				d.FigureFound, d.FigureAt = true, i
				break
			}
		}
	}
	d.ClauseCoverage = r.clauseCoverage(rd, premise, hits[:depth])
	d.AskedYear, d.Horizon, d.Written = max(latestYear(rd.Core), planYear(rd.Core)), horizon(hits), written(hits[:depth])
	// A detail asked for where the question asks, not where the asker tells
	// how they came to ask ("经常有家属打电话来问高龄那个补助的事").
	asked := withoutPremises(rd.Core, premise)
	a := askedAttribute(asked)
	if a == nil && len(rd.Corrected) > 0 {
		// A cue as it was typed asks it even where a sound-alike was
		// mended into another word (一天吃几片 read as 一天气几片).
		a = askedAttribute(asTyped(asked, rd.Corrected))
	}
	if a == nil {
		a = toldAttribute(asked, rd.Core)
	}
	if a != nil && !a.statedIn(hits[:depth]) {
		d.Missing, d.MissingAdvice = a.Name, a.advice
	}
	d.RarestShare = 1
	if best >= 0 {
		d.Unwritten, d.UnwrittenKind = r.unwrittenNoun(rd, premise, best)
		d.RarestShare = r.rarestShare(r.askedTerms(rd, premise, d.KeyTerm), best)
	}
	// Read once: the switch below both tests it and names it.
	unnamed := r.unnamedProgramme(rd, premise)
	// The year the question asks about, not one of the asker's own story
	// ("我2019年就开始吃低保了,现在…标准多少").
	before := latestYear(ownYears.ReplaceAllString(withoutPremises(rd.Core, premise), ""))
	// The year asked in figures, not one of the asker's own story, and how
	// far the leading passages that name the thing asked about reach.
	later, keyReach, keyWritten := latestYear(ownYears.ReplaceAllString(withoutPremises(rd.Core, premise), "")), 0, 0
	// One year asked of one thing: a question setting two side by side
	// (沙河口区人均低保金和浑南区2025年的低保标准) asks each of its own
	// document.
	if later > 0 && d.KeyTerm != "" && len(yearsIn(rd.Core)) == 1 && len(rd.Sides) == 0 && !comparesIn(rd.Core) {
		for _, h := range hits[:depth] {
			if r.named(d.KeyTerm, h.Index) {
				keyReach = max(keyReach, reach(h, p.PlanReach))
				keyWritten = max(keyWritten, written([]retrieval.Hit{h}))
			}
		}
	}
	// How many years before its own the earliest leading document reviews.
	review := reviewOf(hits[:depth], d.Written, p.ReviewYears)
	// A practical detail asked beside a question the passages answer.
	aside := d.Missing != "" && r.asideCovered(rd, premise, hits[:depth]) >= p.MinClauseCoverage
	switch {
	case len(hits) == 0:
		d.Reason = NothingFound
	case len(rd.Foreign) > 0 && len(rd.Regions) == 0:
		d.Reason = ForeignPlace
	case rd.Empty || (!history && rd.FollowUp && (pointsBack(rd.Core) || len(rd.Terms) == 0)):
		d.Reason = NoTopic
	case rd.SmallTalk:
		d.Reason = SmallTalk
	case d.AskedYear > 0 && d.Horizon > 0 && d.AskedYear > d.Horizon && d.AskedYear > reachOf(hits, p.PlanReach):
		// Plans reach as far as their documents do: what 2028 brings is in
		// no document that stops at 2025, whatever else the passage shares.
		// A plan reaches PlanReach years past its own though the passages
		// found name no year (浑南's 2023 plan and its 2025 targets).
		d.Reason = BeyondHorizon
	case later > 0 && keyReach > 0 && later > keyReach:
		// The passages that name the thing asked about stop years before
		// the year asked ("沙河口区2024年低保标准" finds the 2016 report's
		// 610元), though another document found beside them reaches it.
		// The answer names the year those documents were written.
		d.Reason, d.AskedYear, d.Horizon = BeyondHorizon, later, keyWritten
	case before > 0 && d.Written > 0 && before < d.Written-review && d.Anchored && d.Coverage >= p.MinCoverage && !speaksOfYear(hits, depth, before, review):
		// A 2023 plan does not say what the standard was in 2020, though it
		// covers the rest of the question; a work report does review the
		// year before its own (2016年报告 → 2015).
		d.Reason, d.AskedYear = BeforeDocuments, before
	case unnamed != "":
		// A programme known by name (长期护理保险, 残疾人证) that no document
		// names: the passages share its parts (护理, 保险) with measures of
		// another name, wherever in the question it is named ("听说有长期护理
		// 保险,一个月能报销多少钱").
		d.Reason, d.KeyTerm = NoDocument, unnamed
	case rd.National && !speaksOfNation(hits[:depth], d.KeyNames, containsAny(rd.Core, provincialCues)):
		// The documents are local: what the country rules (国家规定的最低
		// 标准, the national retirement age) is not theirs to say, and a
		// local figure would be read as the national one.
		d.Reason = National
	case d.Missing != "" && !aside:
		// Opening hours, an address, a phone number: the passages speak of
		// the service, not of this.
		d.Reason = NotStated
	case len(rd.Undocumented) > 0 && asksCount(rd):
		// How many beds 铁西区 adds is not how many 沈阳 adds: a city's
		// documents count the whole city, and its total read as the
		// district's would be wrong. Standards (每人每月300元) and rates
		// apply to every district and are answered.
		d.Reason = CountyTotal
	case len(rd.Undocumented) > 0 && sitesAsked.MatchString(withoutPremises(rd.Core, premise)) && !containsAny(rd.Core, sitesProcedure):
		// Which of 甘井子区's communities have a canteen, which of its old
		// estates are renovated: a city's documents name no district's
		// sites, and the city's measure read as the list would be wrong.
		d.Reason = CountyList
	case d.Unwritten != "" && (d.RarestShare > p.MaxCommonShare || d.UnwrittenKind) && !toldOnly(rd, d, p):
		// The thing asked about is in no document, and the passage shares
		// only common words with the question: "老人坐公交免费吗" finds
		// 65岁以上老年人免费接种流感疫苗 through 老年人 and 免费.
		d.Reason, d.KeyTerm = Unwritten, d.Unwritten
	case d.KeyTerm != "" && r.onlyElsewhere(rd, d.KeyTerm):
		// 流感疫苗 asked of 大连, when only 浑南's document writes it: the
		// passages found for 大连 share the asker's other words.
		d.Reason = Elsewhere
	case aside:
		// Asked beside the detail, a question of its own the passages
		// answer ("公厕在哪,有没有能下载的公厕分布图"): that part is
		// answered, the detail said to be missing — once the refusals above
		// (a district's count, an unwritten thing) have had their say.
		d.Kind, d.Reason, d.Partial = Answer, PartlyCovered, true
	case d.Coverage < p.MinCoverage && d.ClauseCoverage < p.MinClauseCoverage:
		switch {
		case (d.Coverage >= p.MinClosest || r.coverage(r.askedTerms(rd, premise, d.KeyTerm), best) >= p.MinClosest) && d.Anchored && rd.AsksFigure && d.FigureFound:
			// The figure asked for is stated for the thing asked about; what
			// is missing is the asker's own wording around it, or what they
			// say of themselves ("我妈一个人住在浑南…,到2025年一个月能给到多少").
			d.Kind, d.Reason = Answer, FigureStated
		case (d.Coverage >= p.MinClosest || len(premise) >= longAccountClauses) && d.Anchored && !rd.AsksFigure && r.keyed(d.KeyTerm, best) && r.coverage(r.askedTerms(rd, premise, d.KeyTerm), best) >= p.MinCoverage:
			// The passage naming the thing covers what is asked; what it
			// lacks is what the asker says of themselves ("我老父亲是大连户口,
			// 前几天走了,…海葬…不要钱,是真的吗"), however little of a long
			// account it shares ("我爸妈都七十多了,…我在深圳上班顾不上,…这五方
			// 到底是哪几方").
			d.Kind, d.Reason = Answer, AskedCovered
		case d.Coverage >= p.MinClosest && d.Anchored:
			d.Kind, d.Reason = Closest, Near
		case d.Anchored && r.coverage(r.askedTerms(rd, premise, d.KeyTerm), best) >= p.MinClosest:
			// What is asked is covered, though the asker's account is not
			// ("我爸去年查出肺癌,…我就想知道现在大连低保一个人每月给多少"):
			// as near as the same question without the account.
			d.Kind, d.Reason = Closest, Near
			if rd.AsksFigure && d.KeyTerm != "" && !d.FigureFound {
				d.Reason = FigureMissing
			}
		case d.FigureAt >= depth && rd.AsksFigure && r.coverage(r.askedTerms(rd, premise, d.KeyTerm), hits[d.FigureAt].Index) >= p.MinClosest:
			// The figure asked is stated for the thing in a passage just
			// below the leading ones, which the asker's account drew ("我老
			// 妈瘫在床上…,听说有适老化改造,打算给多少户改"): the answer shows it.
			d.Kind, d.Reason = Answer, FigureStated
		case d.AnchorAt >= depth && d.AnchorCoverage >= p.MinClosest && !rd.AsksFigure && r.coverage(r.askedTerms(rd, premise, d.KeyTerm), hits[d.AnchorAt].Index) >= p.MinCoverage:
			// Only a passage below the leading ones names the thing, and it
			// covers what is asked: the answer shows it.
			d.Kind, d.Reason = Answer, AskedCovered
		case d.AnchorAt >= depth && d.AnchorCoverage >= p.MinClosest:
			// Only a passage below the leading ones names the thing.
			d.Kind, d.Reason = Closest, Near
		default:
			d.Reason = Weak
		}
	case rd.AsksFigure && d.KeyTerm != "" && !d.FigureFound:
		// The documents talk about the topic but give no figure for it:
		// any number quoted would answer a different question.
		d.Kind, d.Reason = Closest, FigureMissing
	case d.Coverage < p.MinCoverage && d.Anchored && r.keyed(d.KeyTerm, best) && r.coverage(r.askedTerms(rd, premise, d.KeyTerm), best) >= p.MinCoverage:
		// What is left uncovered is the asker's premises ("我在外地打工好几年
		// 了"), not a part of the question: nothing to say is missing.
		d.Kind, d.Reason = Answer, AskedCovered
	case d.Coverage < p.MinCoverage:
		d.Kind, d.Reason, d.Partial = Answer, PartlyCovered, true
	default:
		d.Kind, d.Reason = Answer, Covered
	}
	return d
}

// asksCount reports whether rd asks how many of something there are or
// will be (a count unit or a building verb in the figure clause: 新增多少张,
// 改造几个; "how many" in English) or a per-head average (人均低保金,
// anywhere in the question): figures of a place's own, not an amount set
// for everyone, a share, a growth or a standard.
func asksCount(rd Reading) bool {
	if !rd.AsksFigure || rd.AsksRate || rd.AsksPercent {
		return false
	}
	// a per-head average is a place's own, whatever the asker calls it
	// (人均低保金标准)
	if perHead.MatchString(rd.FigureClause + " " + rd.Core) {
		return true
	}
	// a district's own standard asked outright (金州区自己的低保标准): the
	// city's standard is not what is asked
	if ownStandard.MatchString(retrieval.Fold(rd.Question)) {
		return true
	}
	if strings.Contains(rd.FigureClause, "标准") {
		return false
	}
	// an English question's figure clause is its policy terms; its own
	// words say "how many"
	return !rd.AsksMoney && !notCounted.MatchString(rd.FigureClause) && (countAsked.MatchString(rd.FigureClause) || (rd.English && englishCount.MatchString(rd.Core)))
}

// countAsked finds a count asked for: 多少 or 几 before a unit of things
// counted, or a verb of building or adding.
var countAsked = regexp.MustCompile(`(?:多少|几)(?:个|张|户|所|台|套|处|家|座|间|条|辆|名|人|万|千|床|公里)|新增|新建|新加|建成|建设|建了|建几|建多少|改造|增加`)

// sitesAsked asks which named sites something is at or done in: "具体哪
// 几个社区有老年食堂", "今年要改造哪几个老旧小区", "老旧小区具体是哪几个".
// Which one to go to (去哪个街道办, 到哪个单位申请) is a procedure, asked
// with 哪个; who is eligible (哪些村民) names no site.
var sitesAsked = regexp.MustCompile(`(?:哪几个|哪几所|哪几家|哪几处|哪些)\p{Han}{0,2}?(?:社区|小区|街道|学校|医院|食堂|卫生院|卫生室|养老院|幼儿园|公园|服务站|驿站|服务中心)(?:[^民]|$)` +
	`|(?:社区|小区|学校|医院|卫生院|食堂|幼儿园)[^,。?!;\x{FF0C}\x{FF1F}]{0,6}?(?:具体)?(?:是)?(?:哪几个|哪几所|哪些)(?:$|[,。?!;\x{FF0C}\x{FF1F}呢啊呀])`)

// sitesProcedure are words of where to go for a procedure: asked with
// them, which site is the office to apply at.
var sitesProcedure = []string{"办理", "申请", "去哪", "到哪", "报名"}

// ownStandard asks a place's own figure apart from its city's: a place
// right before it (金州区自己的低保标准; not 自己的孩子).
var ownStandard = regexp.MustCompile(`[区县市](?:自己|自个儿?|单独|独有)的`)

// notCounted are counts of something else than a place's total: months,
// working days, the people of one household, a currency.
var notCounted = regexp.MustCompile(`几个月|多少个月|几个工作日|几个人能|几口人|多少人民币|几个钱`)

// englishCount asks a count in English.
var englishCount = regexp.MustCompile(`\bhow many\b|\bnumber of\b`)

// namesPart reports whether clause points at the last two characters of a
// name of four or more (这五方 of 三级五方): it speaks of that name.
func namesPart(clause, name string) bool {
	rs := []rune(name)
	if len(rs) < 4 {
		return false
	}
	// pointed at (这五方, 这里头的五方), not merely shared (改造 of 适老化改造):
	// 这 or 那 at most four characters before the part, no comma between
	part := string(rs[len(rs)-2:])
	for at := 0; ; {
		k := strings.Index(clause[at:], part)
		if k < 0 {
			return false
		}
		before := []rune(clause[:at+k])
		for j := len(before) - 1; j >= max(0, len(before)-5) && before[j] != ','; j-- {
			if before[j] == '这' || before[j] == '那' {
				return true
			}
		}
		at += k + len(part)
	}
}

// namedIn reports whether one of the first depth hits names word.
func (r *Reader) namedIn(word string, hits []retrieval.Hit, depth int) bool {
	for _, h := range hits[:min(len(hits), depth)] {
		if r.named(word, h.Index) {
			return true
		}
	}
	return false
}

// figureNoun is the last noun keyNoun would take before the word asking
// the figure (多少, 几) in clause, "" for none.
func (r *Reader) figureNoun(clause string) string {
	clause = notAsking.Replace(clause) // 好几年 asks nothing
	at := -1
	for _, w := range []string{"多少", "几"} {
		if k := strings.Index(clause, w); k >= 0 && (at < 0 || k < at) {
			at = k
		}
	}
	if at <= 0 {
		return ""
	}
	return r.lastNoun(r.terms(quantityWords.Replace(clause[:at])))
}

// keyed reports whether passage i (-1 for none) names the key term.
func (r *Reader) keyed(key string, i int) bool { return key != "" && i >= 0 && r.named(key, i) }

// unnamedProgramme is a name of the question's that the thesaurus lists
// and no document uses, by itself or by a word the thesaurus puts for it;
// "" for none. Names of two characters are left out: they are as often
// parts of other words.
func (r *Reader) unnamedProgramme(rd Reading, premise map[string]bool) string {
	// Named where the question asks, or where the asker says they heard
	// of it ("听说有长期护理保险"); not in the asker's situation ("重度残疾证
	// 也办了,…护理补贴给多少钱" asks about 护理补贴).
	// The clause that asks and those before it (askingClauses), and
	// hearsay, but not what the asker already has or did (a clause ending
	// in 了: "重度残疾证也办了").
	var clauses []string
	for _, c := range askingClauses(rd.Judged) {
		if !premise[strings.TrimSpace(c)] {
			clauses = append(clauses, c)
		}
	}
	for _, c := range clauseRe.Split(rd.Judged, -1) {
		if containsAny(c, hearsay) {
			clauses = append(clauses, c)
		}
	}
	for _, c := range clauses {
		for _, t := range r.terms(c) {
			if utf8.RuneCountInString(t.Text) >= 3 && retrieval.InThesaurus(t.Text) && r.unknown(t.Text) {
				return t.Text
			}
		}
	}
	return ""
}

// hearsay words introduce what the asker heard of.
var hearsay = []string{"听说", "据说", "听人说", "听别人说", "heard"}

// heardFrom says whom the asker heard it from (听邻居说, 听社区的人说).
// Someone who keeps saying it (村主任老说, 社区总说) is heard from too.
var heardFrom = regexp.MustCompile(`听\p{Han}{0,5}?说|(?:主任|书记|社区|居委会|街道|邻居|人家|别人|大家|他们|她们|他|她|村里|老伴|儿子|闺女|领导|网格员|干部)(?:老|总|常|天天|一直)说`)

// whatWasHeard is what a clause of hearsay says was said, without who
// said it ("村主任老说市里要搞四个100%" → "市里要搞四个100%"): the speaker
// is no topic. Other clauses are returned as they are.
func whatWasHeard(c string) string {
	if loc := heardFrom.FindStringIndex(c); loc != nil && strings.TrimSpace(c[loc[1]:]) != "" {
		return strings.TrimSpace(c[loc[1]:])
	}
	return c
}

// keyOrder is the order in which asking clauses are searched for the key:
// as askingClauses gives them, except that when the clause asking names no
// thing, what the asker heard ("听邻居说浑南的低保要涨") comes before their
// own situation between ("我家老头瘫在床上就靠这点钱").
func (r *Reader) keyOrder(acs []string, premise map[string]bool) []string {
	if len(acs) < 3 || r.keyNoun(r.terms(quantityWords.Replace(acs[0]))) != "" {
		return acs
	}
	for j := 2; j < len(acs); j++ {
		if !containsAny(acs[j], hearsay) && !heardFrom.MatchString(acs[j]) {
			continue
		}
		for k := 1; k < j; k++ {
			if !premise[strings.TrimSpace(acs[k])] {
				return acs // something not the asker's own stands between
			}
			if c := strings.TrimSpace(acs[k]); strings.HasPrefix(c, "说") || containsAny(c, hearsay) {
				// what was heard goes on nearer the asking ("听邻居说区里出了
				// 个民生文件,说低保标准要往上提,…不低于多少钱"): the nearer
				// telling names the thing
				return acs
			}
		}
		out := append([]string{acs[0], acs[j]}, acs[1:j]...)
		return append(out, acs[j+1:]...)
	}
	return acs
}

// InsideAsked reports whether h is from a region inside the one region
// the question asks about: a district's figure (沙河口区's 人均低保金 610元)
// is not the city's (大连's 低保标准), though it is shown, labelled, when
// the city's own documents say nothing closer.
// Only where the question names the region itself: a street named loosely
// (浑河站街道) stands at the region above the districts it could be in, and
// their figures are its candidates.
func InsideAsked(h retrieval.Hit, rd Reading) bool {
	if len(rd.Regions) != 1 || len(h.Region) <= len(rd.Regions[0]) || !retrieval.Within(h.Region, rd.Regions[0]) {
		return false
	}
	for _, p := range rd.Places {
		if slices.Equal(p.Place, rd.Regions[0]) && !streetLike(p.Mention) {
			return true
		}
	}
	return false
}

// streetLike reports whether a place mention names a street, town or
// village rather than a district or city.
func streetLike(mention string) bool {
	for _, s := range []string{"街道", "街", "镇", "乡", "村", "社区", "路"} {
		if strings.HasSuffix(mention, s) {
			return true
		}
	}
	return false
}

// speaksOfNation reports whether one of hits speaks of national rules on
// the thing asked about: a sentence naming the country and one of names
// (any sentence naming the country when names is empty). The documents
// name the country in passing often (国家级示范, 全省统一部署 beside
// 国家政策): that says nothing of the national rule asked for.
func speaksOfNation(hits []retrieval.Hit, names []string, provincial bool) bool {
	higher := []string{"国家", "全国", "国务院"}
	if provincial {
		// or, of a provincial rule asked, the province's
		higher = []string{"省级", "省政府", "省定"}
	}
	for _, h := range hits {
		for _, s := range retrieval.Sentences(h.Text) {
			if f := retrieval.Fold(s); containsAny(f, higher) && (len(names) == 0 || namesAny(f, names)) {
				return true
			}
		}
	}
	return false
}

// latestYear is the latest year written in digits in text, 0 for none.
func latestYear(text string) int {
	y := 0
	for _, v := range yearsIn(text) {
		y = max(y, v)
	}
	return y
}

// yearDigits is a year of this century or the last: four digits alone
// (not part of 20000) and followed by 年 or the end of a phrase, not by a
// unit (2050元 is a sum, 2080户 a count).
var yearDigits = regexp.MustCompile(`(?:^|[^\d.])((?:19|20)\d{2})(?:年|[\s,。;:、,.?!?!)）]|$)`)

// horizon is the latest year the hits speak of or were written in: every
// year they name, and their documents' dates.
func horizon(hits []retrieval.Hit) int {
	y := 0
	for _, h := range hits {
		for _, m := range yearDigits.FindAllStringSubmatch(h.Text, -1) {
			if v, err := strconv.Atoi(m[1]); err == nil {
				y = max(y, v)
			}
		}
		if len(h.Date) >= 4 {
			if v, err := strconv.Atoi(h.Date[:4]); err == nil {
				y = max(y, v)
			}
		}
		// 十三五 is written alike in both scripts: no folding needed
		y = max(y, planYear(h.Text))
	}
	return y
}

// reachOf is the latest year any of hits reaches.
func reachOf(hits []retrieval.Hit, planReach int) int {
	y := 0
	for _, h := range hits {
		y = max(y, reach(h, planReach))
	}
	return y
}

// reach is the latest year passage h speaks of: the years and plan periods
// it names, and its document's year with the planReach years after it that
// a plan speaks of without naming them (a 2023 plan reaches 2025).
func reach(h retrieval.Hit, planReach int) int {
	y := horizon([]retrieval.Hit{h})
	if reviews(h.Section) {
		// a review of past years (2015年和“十二五”时期政府工作回顾) speaks
		// of none after its document's
		return y
	}
	if h.Kind == planKind {
		// a five-year plan reaches the end of its period
		planReach = max(planReach, planYears)
	}
	if w := written([]retrieval.Hit{h}); w > 0 {
		y = max(y, w+planReach)
	}
	return y
}

// reviewHeading ends the heading of a section reviewing what was done.
const reviewHeading = "回顾"

// reviews reports whether a heading of section path reviews past years
// only (一、2015年和“十二五”时期政府工作回顾), not one also looking ahead
// (过去五年工作回顾和今后五年主要任务 ends otherwise).
func reviews(section string) bool {
	for _, h := range strings.Split(retrieval.Fold(section), "›") {
		if strings.HasSuffix(strings.TrimSpace(h), reviewHeading) {
			return true
		}
	}
	return false
}

// planKind is the catalog's kind of a five-year plan, and planYears how
// far past the year it was drawn up it reaches.
const (
	planKind  = "规划"
	planYears = 5
)

// yearsIn are the distinct years written in digits in text.
func yearsIn(text string) []int {
	var out []int
	for _, m := range yearDigits.FindAllStringSubmatch(text, -1) {
		if v, err := strconv.Atoi(m[1]); err == nil && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// planYear is the last year of the latest five-year plan period text names
// (十四五 ends in 2025), 0 for none: a plan for the 十四五 is not in a
// document of the 十三五, which reaches 2020.
func planYear(text string) int {
	y := 0
	for _, m := range planNamed.FindAllStringSubmatch(text, -1) {
		y = max(y, planPeriodEnds[m[1]])
	}
	return y
}

// planNamed is a five-year plan period named, not a part of an age or a
// count (七十四五岁, 十四五个).
var planNamed = regexp.MustCompile(`(?:^|[^零一二两三四五六七八九十百])(十[一二三四五]五)(?:$|[^岁个年])`)

var planPeriodEnds = map[string]int{"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}

// written is the year the earliest-dated of hits was written, 0 for none.
func written(hits []retrieval.Hit) int {
	y := 0
	for _, h := range hits {
		if len(h.Date) >= 4 {
			if v, err := strconv.Atoi(h.Date[:4]); err == nil && (y == 0 || v < y) {
				y = v
			}
		}
	}
	return y
}

// reviewOf is how many years before its own a leading document written in
// year written (the earliest) speaks of: review when one of them is a work
// report, which reviews the year before; none for a plan (实施意见, 规划),
// which looks ahead only.
func reviewOf(hits []retrieval.Hit, written, review int) int {
	for _, h := range hits {
		if h.Kind == reportKind && strings.HasPrefix(h.Date, strconv.Itoa(written)) {
			return review
		}
	}
	return 0
}

// reportKind is the catalog's kind of a year's work report.
const reportKind = "政府工作报告"

// speaksOfYear reports whether one of the leading depth hits names year,
// or any hit is from a document written that year or within review years
// after (a work report reviews the year before its own): a document of the
// year exists, though it ranks lower.
func speaksOfYear(hits []retrieval.Hit, depth, year, review int) bool {
	for i, h := range hits {
		if i < depth && strings.Contains(h.Text, strconv.Itoa(year)) {
			return true
		}
		if len(h.Date) >= 4 {
			if v, err := strconv.Atoi(h.Date[:4]); err == nil && v >= year && v <= year+review {
				return true
			}
		}
	}
	return false
}

// ownYears are years of the asker's own story: when they were born, retired,
// started or joined something.
// A home's year is told by when it was built (楼是1998年盖的), not a
// plan's (2023年建成的社区食堂).
var ownYears = regexp.MustCompile(`(?:19|20)\d{2}年?(?:就|才|已经|刚)?(?:出生|生的|生人|退休|开始|办的|办了|参加|参保|去世|走的|入职|上班|买的|结婚)` +
	`|(?:楼|房|房子|小区|宿舍|平房)(?:是|都是)?(?:19|20)\d{2}年?(?:盖的|建的|修的|盖起来的|建起来的|建成的|落成的|盖好的)`)

// moneyWords ask for an amount of money; a sum in the text answers them.
var moneyWords = map[string]bool{"钱": true, "块": true, "元": true, "钱数": true, "金额": true, "money": true}

// amountRe is a sum of money: 850元, 1.2万元.
var amountRe = regexp.MustCompile(`\d[\d.,]*(?:万|千|亿)?元`)

// freeRe states that a thing costs nothing.
var freeRe = regexp.MustCompile(`免费|免收|免缴|不收费|不收取`)

// pointers refer to something said before: with no earlier turn they
// point at nothing ("这个要钱吗?").
var pointers = []string{"这个", "那个", "这些", "那些", "这项", "那项", "这种", "它"}

// A pointer points back where it opens its clause ("那这个要钱吗"); after
// words of the clause's own it is the asker's filler before what they name
// ("没爹妈的孩子那个基本生活养育标准每年涨多少").
func pointsBack(core string) bool {
	for _, c := range clauseRe.Split(core, -1) {
		c = strings.TrimSpace(c)
		for _, lead := range []string{"那么", "那", "还有", "另外"} {
			if rest, ok := strings.CutPrefix(c, lead); ok && startsAny(rest, pointers) {
				c = rest
				break
			}
		}
		if startsAny(c, pointers) && !startsAny(c, pointerTimes) && !namesNext(c) {
			return true
		}
	}
	return false
}

// namesNext reports whether the pointer opening clause c is followed by a
// year, a place taken out of the core before it or not: "那个大连沙河口区
// 2015年的时候…" names what it points at.
func namesNext(c string) bool {
	for _, p := range pointers {
		if rest, ok := strings.CutPrefix(c, p); ok {
			return namedYear.MatchString(rest)
		}
	}
	return false
}

// namedYear opens text with a year, after the space a place taken out of
// the core leaves.
var namedYear = regexp.MustCompile(`^\s*(?:19|20)\d{2}年`)

// pointerTimes open a clause with a pointer that places it in time (这个月,
// 这些年), pointing at nothing said before.
var pointerTimes = []string{"这个月", "那个月", "这个星期", "这个礼拜", "这个时候", "那个时候", "这些年", "那些年", "这些天", "那些天", "这阵", "那阵"}

// figureSentence is the best share of terms that one sentence of text
// holding a number covers. When the passage names the key noun (names),
// only a sentence stating the figure for it counts (statesFigure): the
// passage shows how the documents speak of it, so a number in a sentence
// about something else answers another question, as does one that does
// not name the key noun at all, even in part (unless no document uses
// the asker's word for it: then the rest of the sentence must say it);
// and in a list of
// measures the number belongs to another one ("落实高龄津贴…政策,困难
// 残疾人生活补贴标准提高到每人每月300元" gives no 高龄津贴 figure, however
// many of the question's other words it shares).
func (r *Reader) figureSentence(terms []Term, key string, names []string, text string, want figureWant) float64 {
	named := len(names) > 0 && namesAny(retrieval.Fold(text), names)
	return r.sentenceShare(terms, text, func(s, f string) bool {
		return hasFigure(f, want) && (!named || statesFigure(names, s, want)) && (key == "" || r.unknown(key) || r.foundIn(key, f) > 0)
	})
}

// sentenceShare is the best share of terms' weight that one sentence of
// text accepted by ok covers (ok gets the sentence and its folded form).
func (r *Reader) sentenceShare(terms []Term, text string, ok func(s, f string) bool) float64 {
	var total float64
	for _, t := range terms {
		total += r.termWeight(t)
	}
	if total == 0 {
		return 0
	}
	best := 0.0
	for _, s := range retrieval.Sentences(text) {
		f := retrieval.Fold(s)
		if !ok(s, f) {
			continue
		}
		var got float64
		for _, t := range terms {
			got += r.termWeight(t) * r.foundIn(t.Text, f)
		}
		best = max(best, got/total)
	}
	return best
}

// units are the measure words a figure question may count in.
var units = []string{"人次", "万人", "平方米", "个", "户", "张", "套", "所", "人", "家", "台", "处", "座", "栋", "名", "亩", "条", "辆", "次", "场", "项",
	"小时", "天", "回", "趟"}

// unitRe finds the measure word a figure question counts in: 多少人次,
// 几户, 多少张.
var unitRe = regexp.MustCompile(`(?:多少|几)(` + strings.Join(units, "|") + `)`)

// frequencyAsked asks how often or how long a service is given (每月几次,
// 每人每月能给多少小时): only a number counted so answers, not the 57个
// communities it reaches.
var frequencyAsked = regexp.MustCompile(`每\p{Han}{0,8}?(?:多少|几)个?(?:次|小时|钟头|回|趟|天)(?:$|[^\p{Han}]|[吗呢啊呀的了啥])|how many (?:hours|times|visits)`)

// AsksDuration reports whether folded text asks how long (多久, 多快).
func AsksDuration(folded string) bool { return durationAsked.MatchString(folded) }

// ratioAsked asks one number to another (缩到几比几, 比值是多少).
var ratioAsked = regexp.MustCompile(`几比几|多少比多少|比值[^,。?!\x{FF0C}\x{FF1F}]{0,10}?(?:多少|几)|what ratio`)

// durationAsked asks how long until something happens or how long it
// lasts (多久能安排上就业, 多长时间内), counted in hours, days or months.
var durationAsked = regexp.MustCompile(`多久|多长时间|多少时间|多快|how long|how quickly|how soon`)

// hoursAsked asks a number of hours.
var hoursAsked = regexp.MustCompile(`(?:多少|几)个?(?:小时|钟头)|how many hours`)

// pointsAsked asks a rate in points (涨几个百分点, 涨几个点).
var pointsAsked = regexp.MustCompile(`(?:多少|几)个?百分点|(?:涨|提|升|增|加)了?(?:几个点|多少个点)`)

// unitFigures find a number counted in each unit.
var unitFigures = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, u := range units {
		m[u] = regexp.MustCompile(`\d[\d.,]*(?:万|千|亿)?` + u)
	}
	m["岁"] = regexp.MustCompile(`\d+(?:周)?岁`)
	// any year stated: a target year (到2025年) answers 到哪年
	m["年"] = regexp.MustCompile(`(?:19|20)\d{2}年`)
	m["年级"] = regexp.MustCompile(`[一二三四五六七八九\d]年级`)
	// a span of time, not a year (2025年)
	m["时长"] = regexp.MustCompile(`\d+\s*(?:个)?(?:小时|天|日|工作日|周|星期|个月)`)
	// one number to another (1.2:1)
	m["比值"] = regexp.MustCompile(`(?:^|[^\d.])\d(?:\.\d+)?\s*[:：]\s*1(?:[^\d]|$)`)
	return m
}()

// gradeAsked asks which school year (几年级, 哪个年级; 几年纪 typed for it).
var gradeAsked = regexp.MustCompile(`几年级|哪个年级|哪些年级|什么年级|啥年级|哪一?年级|几年纪|which grade`)

// yearAsked asks which year (哪一年以前建成的, 什么年份), counted in 年.
var yearAsked = regexp.MustCompile(`哪(?:一)?年(?:[^级纪龄]|$)|哪个年份|什么年份|啥年份|which year|what year`)

// AskedUnit is the measure word a figure clause counts in (户, 张, 岁,
// 年), "" for none.
func AskedUnit(clause string) string { return askedUnit(clause) }

// StatesUnit reports whether folded text states a number counted in unit.
func StatesUnit(unit, folded string) bool {
	re, ok := unitFigures[unit]
	return ok && re.MatchString(folded)
}

// ageAsked finds a question for an age (多大岁数能打, 几岁), counted in 岁.
var ageAsked = regexp.MustCompile(`多大(?:岁数|年纪|年龄)|(?:多少|几)岁|(?:岁数|年龄|年纪)(?:多大|是多少|要多少)|(?:什么|啥)(?:年龄|岁数)|what age|how old`)

// askedUnit is the measure word of a figure clause, "" for none.
func askedUnit(clause string) string {
	if pointsAsked.MatchString(clause) {
		return "" // 几个百分点 asks a rate (8%), not a count of 个
	}
	if hoursAsked.MatchString(clause) {
		return "小时" // 几个小时 counts hours, not 个
	}
	if durationAsked.MatchString(clause) {
		return "时长"
	}
	if ratioAsked.MatchString(clause) {
		return "比值"
	}
	if m := unitRe.FindStringSubmatch(clause); m != nil {
		return m[1]
	}
	for _, m := range ageAsked.FindAllStringIndex(clause, -1) {
		// 十几岁的孩子 names a group of people, not an age asked
		if m[0] > 0 {
			if prev, _ := utf8.DecodeLastRuneInString(clause[:m[0]]); strings.ContainsRune("十二三四五六七八九百", prev) {
				continue
			}
		}
		return "岁"
	}
	if gradeAsked.MatchString(clause) {
		return "年级"
	}
	if yearAsked.MatchString(clause) {
		return "年"
	}
	return ""
}

// unitSentence is the best share of terms that one sentence of text
// covers among those stating a number counted in unit ("18万人次" for
// 多少人次). A number in the very measure the question counts in says what
// the figure is of even where the documents name the thing differently
// (补贴性培训 for 职业技能培训), so the key noun itself is not required.
func (r *Reader) unitSentence(terms []Term, unit, text string) float64 {
	re := unitFigures[unit]
	if re == nil {
		return 0
	}
	return r.sentenceShare(terms, text, func(_, f string) bool { return re.MatchString(f) })
}

// askCues mark a clause that asks, anywhere in it; askEnds, at its end
// (不 and 没 inside a clause are as often plain negation: 爹妈都没了).
var (
	askCues = []string{"多少", "几", "什么", "啥", "怎么", "如何", "咋", "哪", "是否", "能否", "有没有", "能不能", "是不是", "可不可以", "真的假的", "谁", "?", "\uFF1F"}
	askEnds = []string{"吗", "呢", "么", "不", "没", "没有", "嘛"}
)

// toldOnly reports whether the unwritten thing is told only in the
// account, beside a figure clause naming the thing asked about whose
// figure the passages state and whose words they cover ("有居民家孩子是一级
// 肢体残疾,问我…重度残疾人护理补贴到2025年要提高到每人每月多少").
func toldOnly(rd Reading, d Decision, p Policy) bool {
	return rd.AsksFigure && d.FigureFound && d.ClauseCoverage >= p.MinClauseCoverage && d.KeyTerm != "" &&
		strings.Contains(rd.FigureClause, d.KeyTerm) && !strings.Contains(rd.FigureClause, d.Unwritten)
}

// ClausesThatAsk are the clauses of a question, in order, that ask or ask
// for a figure (not 好几年, not an account): each is a part of the question
// an answer owes.
func ClausesThatAsk(core string) []string {
	var out []string
	// 、 parts two asks as a comma does ("每月补多少、每年按啥幅度往上调")
	for _, c := range clauseRe.Split(strings.ReplaceAll(core, "、", ","), -1) {
		if t := strings.TrimSpace(c); t != "" && (asks(t) || retrieval.AsksForFigure(t)) {
			out = append(out, t)
		}
	}
	return out
}

// Focused is rd with only the words of what it asks: the clauses that ask,
// the one just before the first of them, and what the asker heard; false
// when the question has fewer than FocusClauses clauses or nothing would
// be left out. A long account outweighs the short clause that asks, so a
// question the whole of which finds too little is searched again so.
func (r *Reader) Focused(rd Reading) (Reading, bool) {
	var clauses []string
	for _, c := range clauseRe.Split(rd.Judged, -1) {
		if c = strings.TrimSpace(c); c != "" {
			clauses = append(clauses, c)
		}
	}
	if len(clauses) < r.policy.FocusClauses {
		return rd, false
	}
	var keep []string
	asked := false
	for i, c := range clauses {
		switch {
		case asks(c) || retrieval.AsksForFigure(c):
			if !asked && i > 0 && !slices.Contains(keep, clauses[i-1]) {
				keep = append(keep, clauses[i-1])
			}
			asked = true
			keep = append(keep, c)
		case containsAny(c, hearsay) || heardFrom.MatchString(c):
			keep = append(keep, c)
		}
	}
	text := strings.Join(keep, ",")
	var terms []Term
	for _, t := range rd.Terms {
		if strings.Contains(text, t.Text) {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 || len(terms) == len(rd.Terms) {
		return rd, false
	}
	rd.Terms, rd.Searched, rd.Words = terms, text, searchWords(text)
	return rd, true
}

// askingClauses are the first clause of a question that asks, then the
// clauses before it, nearest first, leaving out where the asker lives;
// the whole question when no clause asks.
func askingClauses(core string) []string {
	var before []string
	clauses := clauseRe.Split(core, -1)
	// After the asker's account, the question proper starts at the mark.
	from := markedAt(clauses)
	for i, c := range clauses {
		t := strings.TrimSpace(c)
		if t == "" {
			continue
		}
		if i >= from && asks(t) {
			out := []string{t}
			for i := len(before) - 1; i >= 0; i-- {
				if !residence(before[i]) {
					out = append(out, before[i])
				}
			}
			return out
		}
		before = append(before, t)
	}
	return []string{core}
}

// residenceRe is where someone lives ("住大连沙河口春柳那边", "我老家在
// 沈阳农村"), not 住院, 住房 or 住宅: what is left of such a clause once its places are
// read (a street's bare name, 那边) names no topic.
var residenceRe = regexp.MustCompile(`住(?:在)?(?:[^院房宅宿址户证]|$)|老家|家在|户口在`)

func residence(clause string) bool { return residenceRe.MatchString(clause) }

// residentProgramme is a programme the thesaurus knows that a clause
// telling where the asker lives names beside it ("俺们住浑南桃仙那边吃低保":
// 吃低保), "" for none.
func (r *Reader) residentProgramme(core string) string {
	for _, c := range clauseRe.Split(core, -1) {
		if !residence(c) {
			continue
		}
		var named []Term
		for _, t := range r.terms(c) {
			if len(retrieval.PolicyTerms(t.Text)) > 0 || retrieval.IsPolicyTerm(t.Text) {
				named = append(named, t)
			}
		}
		if k := r.keyNoun(named); k != "" {
			return k
		}
	}
	return ""
}

// notAsking are words holding an asking cue that ask nothing: "装个扶手
// 啥的" (and such), 好几年, 十几个, 没啥钱.
var notAsking = func() *strings.Replacer {
	// kept as they are: 提前几天 asks how many days, 是干啥的 what it is
	var pairs []string
	for _, w := range append(slices.Clone(retrieval.KeptCounts), "干啥的", "干什么的", "是啥的") {
		pairs = append(pairs, w, w)
	}
	// the asker's situation (好几年, 前几天, 俺们几个), "and such" (啥的), a
	// lack stated (连个扶手都没有), not 有没有 asked
	for _, w := range append(slices.Clone(retrieval.SituationCounts), "啥的", "什么的", "没啥", "不咋", "都没有", "也没有",
		// something to do, said of a plan (想回老家自己干点啥), something
		// happening (担心她出点啥事)
		"干点啥", "做点啥", "搞点啥", "弄点啥", "干点什么", "做点什么", "搞点什么", "出点啥事", "出啥事", "出点什么事", "有个啥事", "有点啥事",
		// anyone, no one (谁也不会用手机)
		"谁也", "谁都", "不管谁", "无论谁", "谁知道", "没谁",
		// a name heard and quoted, "so-called" (社区宣传什么“三级五方”养老)
		"什么“", "啥“", "什么\"", "啥\"") {
		pairs = append(pairs, w, " ")
	}
	return strings.NewReplacer(pairs...)
}()

func asks(clause string) bool {
	clause = retrieval.FewStated.ReplaceAllString(notAsking.Replace(clause), " ")
	if containsAny(clause, askCues) || aNotA(clause) {
		return true
	}
	for _, e := range askEnds {
		if strings.HasSuffix(clause, e) {
			return true
		}
	}
	return false
}

// aNotA reports whether clause asks by a verb and its negation (要不要钱,
// 收不收费, 管不管).
func aNotA(clause string) bool {
	r := []rune(clause)
	for i := 1; i+1 < len(r); i++ {
		if r[i] == '不' && r[i-1] == r[i+1] && unicode.Is(unicode.Han, r[i-1]) && !strings.ContainsRune("动时", r[i-1]) {
			return true // not 动不动 (all the time), 时不时 (now and then)
		}
	}
	return false
}

func hasTerm(ts []Term, w string) bool {
	for _, t := range ts {
		if t.Text == w {
			return true
		}
	}
	return false
}

// beneficiaries name who a measure is for, not what it is: in
// "特困供养的老人一个月给多少钱" the thing asked about is 特困供养, and a
// figure must be stated for it, not for any sentence naming 老年人.
var beneficiaries = map[string]bool{"老人": true, "老年人": true, "居民": true, "群众": true, "人员": true,
	"家庭": true, "孩子": true, "儿童": true, "人": true, "人群": true, "对象": true, "人家": true, "住户": true, "大家": true, "大伙": true, "人们": true,
	"低保户": true, "低保家庭": true,
	// how the asker's own live (一个人过): who a measure is for, not one
	"独居": true, "空巢": true, "一个人住": true, "一个人过": true,
	// the asker's people, named in the question ("残疾人家属来问")
	"家属": true, "亲属": true, "家人": true, "爸妈": true, "父母": true, "爹妈": true, "爹娘": true, "同事": true,
	"姊妹": true, "姐妹": true, "兄弟": true, "爷爷": true, "奶奶": true, "姥姥": true, "姥爷": true, "外公": true, "外婆": true, "侄子": true, "侄女": true, "外甥": true, "外甥女": true, "外孙": true, "外孙女": true, "子女": true, "家长": true,
	"老太太": true, "老爷子": true, "老头": true, "老大爷": true, "大爷": true, "大妈": true, "老两口": true,
	"两口子": true, "一家人": true, "全家": true, "大姐": true, "大哥": true, "大叔": true, "大婶": true, "阿姨": true, "领导": true, "老哥": true, "老姐妹": true, "老哥们": true, "儿子": true, "女儿": true, "闺女": true, "孙子": true, "孙女": true, "老伴": true}

// kinds name a kind of measure, not which one: in "失独家庭…政府的帮扶
// 补贴每月能给多少" the thing asked about is the 失独家庭's 补贴, and a
// figure stated for another 补贴 (残疾人生活补贴) does not answer it.
var kinds = map[string]bool{"补贴": true, "津贴": true, "补助": true, "标准": true, "费用": true, "待遇": true,
	"金额": true, "数额": true, "资金": true, "政策": true, "服务": true, "帮扶": true, "救助": true, "援助": true, "比例": true, "占比": true, "百分比": true,
	// a kind of measure with its degree: what it is of stands before it
	// (基础养老金最低标准)
	"最低标准": true, "最高标准": true, "补助标准": true, "补贴标准": true,
	// what a measure gives, asked of the thing named with it (创业贷款有啥优惠)
	"优惠": true, "优惠政策": true}

// askedGroups are the people a measure of a kind only (补贴, 标准) may be
// asked for, where the documents keep such measures apart by them: asked
// holds what askers type, named what a document's clause names them by.
// "80岁以上老人每月补贴多少" is not answered by 困难残疾人生活补贴300元, a
// 补贴 of others.
var askedGroups = []struct {
	asked *regexp.Regexp
	named []string
}{
	{regexp.MustCompile(`老人|老年|高龄|[6-9]\d(?:周)?岁以上|[六七八九]十(?:周)?岁以上|\belderly\b|\bseniors\b|\bsenior citizens?\b|\b(?:over|aged) (?:60|65|70|75|80|90)\b`),
		[]string{"老人", "老年", "高龄", "岁以上"}},
	{regexp.MustCompile(`儿童|孩子|孤儿|幼儿|\bchild(?:ren)?\b|\bkids?\b|\borphans?\b`),
		[]string{"儿童", "孤儿", "幼儿", "育儿", "学生"}},
}

// moneyKinds are the kinds of a sum given, one class for a figure asked
// for a group: 孩子的补助 is answered by 儿童…养育标准…2600元.
var moneyKinds = []string{"补贴", "补助", "津贴", "标准"}

// groupStates reports whether a clause of text names one of kinds and
// states a figure of the kind wanted, for one of group named in it or in
// the clause before.
func groupStates(text string, group, kinds []string, want figureWant) bool {
	for _, s := range retrieval.Sentences(text) {
		clauses := clauseRe.Split(retrieval.Fold(s), -1)
		for i, c := range clauses {
			// the group may lead the clause before (对80周岁以上老年人,
			// 每人每月发放补贴100元)
			of := namesAny(c, group) || (i > 0 && namesAny(clauses[i-1], group))
			if of && namesAny(c, kinds) && hasFigure(c, want) {
				return true
			}
		}
	}
	return false
}

// NamesWith reports whether a clause of text names one of names and one
// of group (all of text's clauses when group is nil).
func NamesWith(text string, names, group []string) bool {
	for _, c := range clauseRe.Split(retrieval.Fold(text), -1) {
		if namesAny(c, names) && (group == nil || namesAny(c, group)) {
			return true
		}
	}
	return false
}

// askedGroup is the names of the group the clause asking for a figure asks
// it for (the whole question, in English), nil for none or more than one.
func askedGroup(rd Reading) []string {
	c := rd.FigureClause
	if rd.English {
		c = strings.ToLower(rd.Core)
	}
	var out []string
	for _, g := range askedGroups {
		if g.asked.MatchString(c) {
			if out != nil {
				return nil
			}
			out = g.named
		}
	}
	return out
}

// vague nouns name no topic at all: "多长时间能下来" asks about no 时间
// the documents could state, "2016年计划新增多少张养老床位" about 养老床位,
// not 计划.
var vague = map[string]bool{"时间": true, "时候": true, "地方": true, "地儿": true, "站点": true, "点位": true, "场所": true, "情况": true, "问题": true, "东西": true, "程度": true, "地步": true,
	"事情": true, "事儿": true, "方面": true, "内容": true, "部分": true,
	// what a thing is called ("平台叫啥名字"): the thing is asked, not a name
	"名字": true, "名称": true,
	// how far something reaches ("要覆盖到啥程度"), or how much of it there
	// is ("增加了多少供给"): a measure of a thing, not one
	"覆盖": true, "供给": true,
	// the figure itself, asked for ("引用…新增养老床位的数字"): what it counts is the topic
	"数字": true, "数据": true, "准数": true,
	// how many a measure reached ("惠及多少户"): a count of those it served, not what it is
	"惠及": true, "受益": true, "受惠": true,
	// a level of government said of every place ("每个区县都有…吗"), not a place or a topic
	"区县": true, "县区": true, "县市区": true, "区市县": true, "市县": true, "乡镇": true, "各区": true, "各县": true,
	// when the asker places it in time, not what it is about
	"计划": true, "目标": true, "打算": true, "规划": true, "行动": true, "三年行动": true, "行动计划": true,
	// (ways of doing are added from ways, below)
	// where in the documents the asker places it ("办实事清单里计划开多少家")
	"清单": true, "办实事": true, "实事": true, "实事清单": true,
	// how far it reaches, not what it is ("全市要新增多少养老床位",
	// "全国统一的…标准")
	"全国": true, "国家": true, "统一": true, "全市": true,
	"开发区": true, "高新区": true, "新区": true, "园区": true, "片区": true, "城区": true, "市区": true, "城乡": true,
	// how someone gets by, not what they ask about ("一个人就靠低保过日子",
	// "家里条件也不好"); what one must meet, of the measure named beside it
	"过日子": true, "生活": true, "条件": true, "家境": true,
	// how big a programme is, in everyday words ("适老化改造的盘子有多大")
	"盘子": true, "摊子": true,
	// where someone is from, not what they ask about ("襄阳 外地孩子上学 凭啥证")
	"外地": true, "本地": true, "外省": true, "外来": true, "外市": true,
	// both places compared, not a thing ("问两地低保标准年增幅哪个高")
	"两地": true, "两边": true, "两区": true, "两市": true, "两个地方": true,
	// how a figure is counted, not what of ("城乡低保标准现在每人每月是多少钱")
	"每人每月": true, "每人每年": true, "每月": true, "每年": true, "每人": true, "人均": true, "面积": true, "数量": true, "人数": true, "规模": true, "全区": true, "全省": true, "全县": true, "辖区": true, "本市": true, "本区": true,
	// how it changes, not what changes ("标准还要往上涨")
	"上涨": true, "提高": true, "增长": true, "增加": true, "提升": true, "涨幅": true, "增幅": true, "幅度": true,
	"涨到": true, "提高到": true, "增加到": true, "达到": true,
	// what a price or an age is counted by ("吃一顿饭多少钱", "多大岁数能打")
	"一顿饭": true, "一顿": true, "一餐": true, "每顿": true, "每餐": true, "岁数": true, "年纪": true, "年龄": true,
	"几年级": true, "年级": true, "专门": true, "户数": true, "养活": true,
	// the asker's life, not a measure ("日子紧巴吃低保")
	"日子": true}

// costAsked ends a clause that asks whether a thing costs ("骨灰海葬,现在
// 政府是全免吗"): it is asked of the thing in the clause before, not a
// thing itself. Only at the end: "免费装啥" asks what is free.
var costAsked = regexp.MustCompile(`(?:是不是|是否|是)?(?:不)?(?:全免费?|全部免费|免费|收费|要钱|花钱|要花钱|要交钱|收钱)(?:的|了)?(?:吗|不|么|没|呢|没有)?$`)

// keyNoun is the noun of terms that weighs most, "" for none; who the
// measure is for (beneficiaries), a mere kind of measure (kinds) and
// vague nouns are no key noun.
func (r *Reader) keyNoun(terms []Term) string {
	return r.heaviestNoun(terms, func(w string) bool {
		return !beneficiaries[w] && !kinds[w] && !vague[w] && !countWords[w] && !r.strayName(w) && !kindWord(w)
	})
}

// ways are words for a way of doing ("有啥在家养老的新办法"), not what is
// done: no topic, and, where no document writes them, they weigh as little
// as grammar.
var ways = map[string]bool{"办法": true, "新办法": true, "门路": true, "措施": true, "具体措施": true, "举措": true, "具体举措": true, "法子": true, "具体办法": true}

func init() {
	for w := range ways {
		vague[w] = true
	}
}

// kindWord reports whether w is an everyday word for a kind of measure
// only (给钱, 有钱拿 for 补贴): like the kind, it names no measure.
func kindWord(w string) bool {
	ps := retrieval.PolicyTerms(w)
	if len(ps) == 0 || retrieval.IsPolicyTerm(w) {
		return false
	}
	for _, p := range ps {
		if !kinds[p] {
			return false
		}
	}
	return true
}

// writtenKey is keyNoun of the terms some document writes or the thesaurus
// lists as a word of its own (无儿无女), or of all terms when there is none.
func (r *Reader) writtenKey(terms []Term) string {
	var written, happened []Term
	for _, t := range terms {
		if strings.HasSuffix(t.Text, "了") {
			// what befell someone (老伴瘫了) tells why they ask; what they
			// receive beside it (家里吃低保) is what the figure is of
			happened = append(happened, t)
			continue
		}
		if r.corpus.Written(t.Text) || retrieval.InThesaurus(t.Text) {
			written = append(written, t)
		}
	}
	if k := r.keyNoun(written); k != "" {
		return k
	}
	written = written[:0]
	for _, t := range happened {
		if r.corpus.Written(t.Text) || retrieval.InThesaurus(t.Text) {
			written = append(written, t)
		}
	}
	if k := r.keyNoun(written); k != "" {
		return k
	}
	return r.keyNoun(terms)
}

// policyVerb is the first topical term of terms that is a policy term of
// the thesaurus (改造, 就业), "" for none.
func (r *Reader) policyVerb(terms []Term) string {
	for _, t := range terms {
		if r.policy.topical(t) && retrieval.IsPolicyTerm(t.Text) && !vague[t.Text] && !kinds[t.Text] && !beneficiaries[t.Text] {
			return t.Text
		}
	}
	return ""
}

// lastNoun is the last noun of terms that keyNoun would take, "" for none.
func (r *Reader) lastNoun(terms []Term) string {
	for i := len(terms) - 1; i >= 0; i-- {
		if k := r.keyNoun(terms[i : i+1]); k != "" {
			return k
		}
	}
	return ""
}

// describedThing is the policy term that at least DescribedBy different
// words of an asking clause that describes a thing stand for in the
// thesaurus, none of them the term itself, and that the documents write
// ("给老人家里装扶手、做防滑的那种改造": 适老化改造); "" for none or a tie.
func (r *Reader) describedThing(asking []string) string {
	by := map[string]map[string]bool{}
	var order []string
	named := map[string]bool{}
	for _, c := range asking {
		if !containsAny(c, describing) {
			continue
		}
		for _, t := range r.terms(quantityWords.Replace(c)) {
			named[t.Text] = true
			for _, e := range retrieval.Expansions(t.Text) {
				if e.Term == t.Text || !r.corpus.Written(e.Term) || utf8.RuneCountInString(e.Term) < 2 {
					continue
				}
				if by[e.Term] == nil {
					by[e.Term] = map[string]bool{}
					order = append(order, e.Term)
				}
				by[e.Term][t.Text] = true
			}
		}
	}
	best, n, tie := "", 0, false
	for _, k := range order {
		switch m := len(by[k]); {
		case named[k]:
		case m > n:
			best, n, tie = k, m, false
		case m == n:
			tie = true
		}
	}
	if n < r.policy.DescribedBy || tie {
		return ""
	}
	return best
}

// describing marks a clause that describes a thing by its features: a
// list (装扶手、做防滑) or a pointer to the kind (的那种改造, 这个工程).
var describing = []string{"、", "那种", "这种", "那类", "这类", "那个", "这个", "那项", "这项"}

// describedHead is the written noun a clause describes by what it does
// ("那种能日托、上门、助餐的养老综合体": 综合体, not 上门, one of its
// features), "" for none: the last written noun after the last 的 that
// follows 那种, 这种 or the like.
func (r *Reader) describedHead(clause string) string {
	k := -1
	for _, w := range []string{"那种", "这种", "那类", "这类"} {
		if i := strings.Index(clause, w); i >= 0 && (k < 0 || i < k) {
			k = i
		}
	}
	if k < 0 {
		return ""
	}
	rest := clause[k:]
	de := strings.LastIndex(rest, "的")
	if de < 0 {
		return ""
	}
	var written []Term
	placeOnly := false
	for _, t := range r.terms(quantityWords.Replace(rest[de+len("的"):])) {
		placeOnly = placeOnly || vague[t.Text]
		if r.corpus.Written(t.Text) {
			written = append(written, t)
		}
	}
	if k := r.lastNoun(written); k != "" || !placeOnly {
		return k // a compound's head is its last noun
	}
	// A place of no kind of its own ("那种托老的地方") is what the words
	// before 的 say it is for.
	written = written[:0]
	for _, t := range r.terms(quantityWords.Replace(rest[:de])) {
		if (r.corpus.Written(t.Text) || retrieval.InThesaurus(t.Text)) && utf8.RuneCountInString(t.Text) >= 2 {
			written = append(written, t)
		}
	}
	if len(written) == 0 {
		return ""
	}
	// the word just before 的, whatever its part of speech (托老 is the
	// dictionary's verb)
	return written[len(written)-1].Text
}

// strayName reports whether w is a proper name no document writes, as a
// cut gone astray reads (金和 of 低保金和): it weighs the most, being
// unknown, and would pass for the thing asked about.
func (r *Reader) strayName(w string) bool {
	pos, ok := retrieval.WordPOS(w)
	return ok && len(pos) == 2 && pos[0] == 'n' && strings.ContainsRune("rzt", rune(pos[1])) && r.unknown(w) && !r.corpus.Written(w)
}

// genericNoun is the heaviest kind of measure terms name, "" for none.
func (r *Reader) genericNoun(terms []Term) string {
	return r.heaviestNoun(terms, func(w string) bool { return kinds[w] })
}

func (r *Reader) heaviestNoun(terms []Term, ok func(string) bool) string {
	best, bestW := "", 0.0
	for _, t := range terms {
		if !t.Noun || t.Weight < r.policy.NounWeight || utf8.RuneCountInString(t.Text) < 2 || !ok(t.Text) {
			continue
		}
		if w := r.idf(t.Text); w > bestW {
			best, bestW = t.Text, w
		}
	}
	return best
}

// keyTerm picks the noun that weighs most: the thing a question is about;
// a question without a noun is about its most specific other word (the
// dictionary calls 驾照 a verb).
func (r *Reader) keyTerm(terms []Term) string {
	if k := r.keyNoun(terms); k != "" {
		return k
	}
	best, bestW := "", 0.0
	for _, t := range terms {
		// An English word the thesaurus does not know (special) is the
		// asker's phrasing as often as the topic: it names no key.
		if !r.policy.topical(t) || beneficiaries[t.Text] || kinds[t.Text] || vague[t.Text] || latinWord(t.Text) {
			continue
		}
		if w := r.idf(t.Text); w > bestW {
			best, bestW = t.Text, w
		}
	}
	return best
}

// named reports whether passage i names word itself or a policy term it
// maps to: the parts of a long word (高龄 and 津贴 apart) do not name the
// thing asked about.
func (r *Reader) named(word string, i int) bool {
	if utf8.RuneCountInString(word) == 1 {
		return r.corpus.HasWord(i, word)
	}
	return namesAny(r.corpus.Folded(i), r.names(word))
}

// names are the words that name what word names in the documents: the
// word itself, its abbreviated or shorter forms written beside it in the
// thesaurus, and for an everyday word the documents do not use, the
// policy terms the thesaurus maps it to. A word the documents use is not
// widened through the parts it contains (高龄津贴 holds 津贴, which the
// thesaurus maps to 补贴, but 补贴 names no 高龄津贴).
func (r *Reader) names(word string) []string {
	used := r.vocab[word] > 0
	var names []string
	exact := retrieval.PolicyTermsOf(word)
	switch {
	case used:
		names = append([]string{word}, exact...)
	case len(exact) > 0:
		// A word the thesaurus lists itself (高龄补助) names what its own
		// line says (高龄津贴), not what words inside it stand for (补助 →
		// 补贴, any allowance at all); as in expanding a question, a term
		// it holds is no other name for it (加装电梯 is not 电梯).
		names = []string{word}
		for _, e := range exact {
			if !slices.Contains(names, e) && !withAction(word, e) {
				names = append(names, e)
			}
		}
	case retrieval.IsPolicyTerm(word):
		// The name of a measure (生育津贴) is no everyday word: what words
		// inside it stand for (津贴) is not another name for it.
		names = []string{word}
	default:
		names = append([]string{word}, retrieval.PolicyTerms(word)...)
	}
	// A policy term is found as a term written beside it in the thesaurus
	// (失业保险金 as 失业保险, where one document says only that); for a
	// word the documents use, only a shorter term it contains, which names
	// the same thing more broadly (低保's neighbour 低收入 names another).
	for _, a := range retrieval.PolicyAlternatives(word) {
		if (!used || strings.Contains(word, a) || abbreviates(word, a)) && !slices.Contains(names, a) {
			names = append(names, a)
		}
	}
	// A rate (就业率) is stated as a share of its stem: "100%就业".
	if stem, ok := strings.CutSuffix(word, "率"); ok && utf8.RuneCountInString(stem) >= 2 {
		names = append(names, "%"+stem)
	}
	return names
}

// abbreviates reports whether short is an abbreviation of long: its
// characters appear in long in order (新农合 of 新型农村合作医疗, 低保 of
// 最低生活保障; not 低保 of 低收入).
func abbreviates(short, long string) bool {
	rs := []rune(short)
	if len(rs) < 2 || len(rs) >= utf8.RuneCountInString(long) {
		return false
	}
	i := 0
	for _, c := range long {
		if i < len(rs) && c == rs[i] {
			i++
		}
	}
	return i == len(rs)
}

// found is the credit word earns in passage i: 1 when it is there (whole,
// for a single character, so that 发 is not found in 发展), the thesaurus
// credit when a policy term it maps to is, the part credit when a long
// word's parts are, else 0.
func (r *Reader) found(word string, i int) float64 {
	if utf8.RuneCountInString(word) == 1 {
		if r.corpus.HasWord(i, word) {
			return 1
		}
		return 0
	}
	return r.foundIn(word, r.corpus.Folded(i))
}

// foundIn is found for a word of two or more characters in folded text.
func (r *Reader) foundIn(word, text string) float64 {
	if moneyWords[word] && amountRe.MatchString(text) {
		return 1 // 钱 asks for an amount, and 850元 is one
	}
	if utf8.RuneCountInString(word) == 1 {
		return 0 // a lone character in a sentence proves nothing
	}
	if strings.Contains(text, word) {
		return 1
	}
	for _, e := range r.names(word)[1:] {
		if strings.Contains(text, e) {
			return r.policy.CreditThesaurus
		}
	}
	// A name the thesaurus lists and no document uses is read whole: 残疾证
	// is not found in 残疾人 the way 追回来 is in 追回.
	if partFound(word, text) && (r.vocab[word] > 0 || !retrieval.InThesaurus(word)) {
		return r.policy.CreditPart
	}
	return 0
}

// coverage is the share of the question that passage i covers: each word
// weighs its IDF times its part-of-speech weight (a word no document uses
// weighs the most, less when it is no noun). A how-question ("怎么注册公司")
// is covered only as far as both the action and what it is done to are:
// the documents state policies, and sharing the verb 办理 or the noun 公司
// alone is chance.
func (r *Reader) coverage(terms []Term, i int) float64 {
	var focus, rest []Term
	for _, t := range terms {
		if t.Focus {
			focus = append(focus, t)
		} else {
			rest = append(rest, t)
		}
	}
	if len(focus) > 0 {
		return min(r.plainCoverage(focus, i), r.plainCoverage(rest, i))
	}
	return r.plainCoverage(terms, i)
}

func (r *Reader) plainCoverage(terms []Term, i int) float64 {
	var total, got float64
	for _, t := range terms {
		w := r.termWeight(t)
		total += w
		got += w * r.found(t.Text, i)
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// termWeight is a word's IDF times its weight; a non-noun no document
// uses is scaled down, since it more often shows how the asker talks than
// a missing topic.
func (r *Reader) termWeight(t Term) float64 {
	w := r.idf(t.Text) * t.Weight
	if !t.Noun && r.absent(t.Text) {
		w *= r.policy.AbsentVerbFactor
	}
	return w
}

// idf is a word's IDF, or for an everyday word the thesaurus maps to
// policy terms the documents use, the lowest of theirs: 老人 is as common
// as the 老年人 it stands for, however rarely the documents write 老人.
func (r *Reader) idf(word string) float64 {
	w := r.corpus.IDF(word)
	if r.vocab[word] > 0 && retrieval.IsPolicyTerm(word) && utf8.RuneCountInString(word) >= r.policy.OwnIDFRunes {
		// a long policy term the documents write (智能养老服务设备) is as
		// rare as it is, not as its group's shortest word (智能)
		return w
	}
	for _, t := range r.names(word)[1:] {
		if r.vocab[t] > 0 {
			w = min(w, r.corpus.IDF(t))
		}
	}
	return w
}

func (r *Reader) absent(word string) bool {
	return r.vocab[word] == 0
}

// unknown reports whether no document names word, nor any policy term it
// stands for.
func (r *Reader) unknown(word string) bool {
	for _, n := range r.names(word) {
		if r.vocab[n] > 0 {
			return false
		}
	}
	return true
}

// clauseCoverage is the best coverage of one clause of a compound question
// ("社区有吃饭的地方吗?要花钱吗?") that carries at least MinClauseShare of
// the question's weight.
func (r *Reader) clauseCoverage(rd Reading, premise map[string]bool, hits []retrieval.Hit) float64 {
	clauses := clauseRe.Split(rd.Judged, -1)
	if len(clauses) < 2 {
		return 0
	}
	best := 0.0
	for _, c := range clauses {
		if premise[strings.TrimSpace(c)] {
			// what the asker takes as given (社保卡丢了) is no part of the
			// question to answer on its own
			continue
		}
		best = max(best, r.clauseCover(c, rd.Terms, hits))
	}
	return best
}

// clauseCover is how well one of hits covers clause c, when c carries
// MinClauseShare of the weight of the question's terms and has two real
// words at least (a clause of one, "要带什么材料", matches too easily to
// stand for a question); 0 otherwise.
func (r *Reader) clauseCover(c string, all []Term, hits []retrieval.Hit) float64 {
	var total float64
	for _, t := range all {
		total += r.termWeight(t)
	}
	terms := r.terms(c)
	var weight float64
	words := 0
	for _, t := range terms {
		weight += r.termWeight(t)
		if utf8.RuneCountInString(t.Text) >= 2 {
			words++
		}
	}
	if words < 2 || total == 0 || weight/total < r.policy.MinClauseShare {
		return 0
	}
	best := 0.0
	for _, h := range hits {
		best = max(best, r.coverage(terms, h.Index))
	}
	return best
}

// asideCovered is how well the leading passages cover the best asking
// clause that asks no practical detail (地址, 电话) but whether a thing
// exists or a figure (有没有, 多少), of at least two real words and
// MinClauseShare of the question's weight; 0 for none. A clause asking
// where, who or how ("去哪儿申请", "找谁办") asks a detail the cues may miss.
func (r *Reader) asideCovered(rd Reading, premise map[string]bool, hits []retrieval.Hit) float64 {
	best := 0.0
	// residents part clauses with spaces as often as with commas
	for _, c := range clauseRe.Split(strings.Join(strings.Fields(withoutPremises(rd.Core, premise)), ","), -1) {
		if askedAttribute(c) != nil || !asks(c) || !asideAsk.MatchString(c) || strings.ContainsAny(c, "哪谁怎咋") {
			continue
		}
		best = max(best, r.clauseCover(c, rd.Terms, hits))
	}
	return best
}

// asideAsk asks whether a thing exists, what it is, or for a figure.
var asideAsk = regexp.MustCompile(`有没有|有无|是否|多少|几|是啥|是什么|什么是|啥是`)

// statesFigure reports whether text states a number for term (or a policy
// term it maps to) — a sum of money when money is asked for, a rate when
// growth is: the number must be in the clause that names it, or in the
// clause right after when that one carries the statement on (…低保标准,
// 到2025年达到850元); a rate also in the clause before, which often says
// by how much (按照年度增长不低于3.5%的幅度,持续提高城乡最低生活保障…). A
// sentence that lists measures ("落实高龄津贴…补贴政策,困难残疾人生活补贴
// 提高到每人每月300元") gives no figure for the one it names without one.
func statesFigure(names []string, text string, want figureWant) bool {
	for _, s := range retrieval.Sentences(text) {
		clauses := clauseRe.Split(retrieval.Fold(s), -1)
		for i, c := range clauses {
			if !namesAny(c, names) {
				continue
			}
			if hasFigure(c, want) {
				return true
			}
			if i+1 < len(clauses) && startsAny(clauses[i+1], continuations) && hasFigure(clauses[i+1], want) {
				return true
			}
			if want == rateFigure && i > 0 && hasFigure(clauses[i-1], want) {
				return true
			}
			// a sum invested before the project it pays for (投资近2亿元,
			// 对…实施“暖房子”工程)
			if (want == moneyFigure || want == grantFigure) && i > 0 && investment.MatchString(clauses[i-1]) && hasFigure(clauses[i-1], want) {
				return true
			}
		}
	}
	return false
}

// investment opens a clause stating a sum put into what the next clause
// names.
var investment = regexp.MustCompile(`^(?:投资|投入|安排|筹集|争取)`)

// continuations open a clause that carries on the statement of the one
// before rather than naming a new measure.
var continuations = []string{"到20", "达到", "提高到", "增长到", "提升至", "提高至", "增至", "不低于", "不少于", "每人", "每月", "人均", "为", "共计", "累计", "合计", "总计", "共", "年均", "每年"}

func namesAny(c string, names []string) bool {
	for _, n := range names {
		if strings.Contains(c, n) || chunksIn(n, c) {
			return true
		}
	}
	return false
}

func startsAny(s string, ps []string) bool {
	s = strings.TrimSpace(s)
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// figureWant is the kind of number a figure question wants.
type figureWant int

const (
	anyFigure     figureWant = iota
	moneyFigure              // a sum of money (850元)
	rateFigure               // how much something grows (3.5%, 增加50元)
	percentFigure            // a share (签约率75%)
	grantFigure              // a sum given (补多少钱): 免费 does not state it
)

// wantOf is the kind of number rd asks for.
func wantOf(rd Reading) figureWant {
	switch {
	case rd.AsksRate:
		return rateFigure
	case rd.AsksPercent:
		return percentFigure
	case rd.AsksMoney && grantAsked.MatchString(rd.FigureClause):
		return grantFigure
	case rd.AsksMoney:
		return moneyFigure
	}
	return anyFigure
}

// grantAsked asks how much money is given, not what something costs: "一
// 个月能给多少钱的服务" is not answered by 免费提供上门服务, "一顿饭多少钱" is.
var grantAsked = regexp.MustCompile(`(?:给|补|补贴|发|领|拿|领到|拿到|能有|值|折合|折)(?:个)?(?:多少|几百|几千)(?:钱|块|元)`)

// rateRe is a growth stated: a percentage, or a number right after a word
// of change (增加50元; not 提高到850元, which is the level reached).
var rateRe = regexp.MustCompile(`\d[\d.]*\s*%|百分之|个百分点|(?:增加|提高|上调|增长|上涨|涨)了?\d`)

// percentRe is a share stated; covering everyone (全覆盖) says it as
// plainly as 100% does.
var percentRe = regexp.MustCompile(`\d[\d.]*\s*%|百分之|全覆盖`)

// StatesRate reports whether folded text states a rate of growth or a
// share (6%, 个百分点, 增长3).
func StatesRate(folded string) bool { return rateRe.MatchString(folded) }

// AsksRate reports whether a clause asks how fast something grows (每年涨
// 多少, 幅度, 涨几个点).
func AsksRate(clause string) bool { return rateAsked.MatchString(clause) }

// StatesWanted reports whether folded text states the kind of number rd
// asks for when it asks a growth or a share (3.5%, 增加50元, 75%); any
// number otherwise.
func StatesWanted(rd Reading, folded string) bool {
	return hasFigure(folded, wantOf(rd))
}

// hasFigure reports whether folded text states a number of the kind
// wanted.
func hasFigure(f string, want figureWant) bool {
	switch want {
	case moneyFigure:
		// "实行全免费" says what it costs as plainly as a sum does
		return amountRe.MatchString(f) || freeRe.MatchString(f)
	case grantFigure:
		return amountRe.MatchString(f)
	case rateFigure:
		return rateRe.MatchString(f)
	case percentFigure:
		return percentRe.MatchString(f)
	}
	return strings.ContainsAny(f, "0123456789")
}

// chunksIn reports whether a word of four or more characters has each of
// its two-character pieces in text: 健身器材 is in 健身路径体育器材.
func chunksIn(word, text string) bool {
	r := []rune(word)
	if len(r) < 4 {
		return false
	}
	for i := 0; i+2 <= len(r); i += 2 {
		if !strings.Contains(text, string(r[i:i+2])) {
			return false
		}
	}
	// an odd last character is checked with its neighbour
	if len(r)%2 == 1 && !strings.Contains(text, string(r[len(r)-2:])) {
		return false
	}
	return true
}

// partFound reports whether a word of three characters has a
// two-character part in text (追回来 → 追回), or a longer word all of its
// two-character pieces (个人所得税 needs more than 个人).
func partFound(word, text string) bool {
	r := []rune(word)
	if len(r) < 3 {
		return false
	}
	if len(r) >= 4 {
		return chunksIn(word, text)
	}
	for i := 0; i+2 <= len(r); i++ {
		if strings.Contains(text, string(r[i:i+2])) {
			return true
		}
	}
	return false
}

// unwrittenNoun is the first noun where the question asks that no
// document writes, nor any policy term it stands for, and passage i does
// not hold in part either; "" for none. Words the dictionary does not
// know as nouns are the asker's phrasing or a cut gone astray (免费打), and
// who a measure is for, kinds of measure and vague nouns name no thing.
func (r *Reader) unwrittenNoun(rd Reading, premise map[string]bool, i int) (word string, kind bool) {
	// A kind or a place decides whatever else is shared, so one found
	// anywhere in the asking clauses comes before a plain unwritten noun.
	first := ""
	for _, c := range askingClauses(rd.Judged) {
		if premise[strings.TrimSpace(c)] {
			continue // what the asker takes as given is not asked about
		}
		c = whatWasHeard(c)
		ts := r.terms(quantityWords.Replace(c))
		for j, t := range ts {
			// A Latin name no document writes, right before a noun the
			// passage names (HPV疫苗 where it has 流感疫苗), is a kind of it.
			// Apart from it only an acronym counts (HPV vaccination): a
			// lower-case word no entry knows may be pinyin, a name or a verb.
			if latinWord(t.Text) && len(t.Text) >= 2 && !r.corpus.Written(t.Text) && j+1 < len(ts) &&
				dictionaryNoun(ts[j+1].Text) && r.found(ts[j+1].Text, i) >= 1 &&
				(strings.Contains(c, t.Text+ts[j+1].Text) || acronym(rd.Question, t.Text) && joined(c, t.Text, ts[j+1].Text)) {
				return t.Text + ts[j+1].Text, true
			}
			if !t.Noun || t.Weight < r.policy.NounWeight || utf8.RuneCountInString(t.Text) < 2 ||
				beneficiaries[t.Text] || kinds[t.Text] || vague[t.Text] {
				continue
			}
			place := placeOf(c, t.Text)
			if !dictionaryNoun(t.Text) && place == "" {
				// A verb and its object cut as one word (坐地铁, tagged an
				// idiom) asks about the object.
				obj := lastRunes(t.Text, 2)
				if utf8.RuneCountInString(t.Text) < 3 || !dictionaryNoun(obj) || retrieval.IsStopword(obj) {
					continue
				}
				t.Text = obj
			}
			if place != "" && r.unknown(t.Text) && !r.corpus.Written(place) {
				return place, true // a place no document covers, whatever else is shared
			}
			if r.unknown(t.Text) && !r.corpus.Written(t.Text) && r.found(t.Text, i) == 0 {
				// 肺炎疫苗: a kind of a thing the passage names (流感疫苗).
				// (an English question's words come as policy terms apart:
				// "pneumonia vaccine" is "肺炎 疫苗")
				// (an everyday phrase the thesaurus lists, 不要钱, is no head
				// noun, whatever the segmenter tags it)
				next := j+1 < len(ts) && dictionaryNoun(ts[j+1].Text) && (retrieval.IsPolicyTerm(ts[j+1].Text) || !retrieval.InThesaurus(ts[j+1].Text)) &&
					(joined(c, t.Text, ts[j+1].Text) || kindWith(c, t.Text, ts[j+1].Text, r.corpus.Folded(i))) &&
					r.found(ts[j+1].Text, i) >= 1
				// Between two words the passage writes, in place of words
				// that sound alike (养老夫妇体系 for 养老服务体系), it is a typo,
				// not a kind (接种肺炎疫苗 beside 接种流感疫苗 is a kind).
				if next && j > 0 && strings.Contains(c, ts[j-1].Text+t.Text) && r.soundsLikeBetween(r.corpus.Folded(i), ts[j-1].Text, t.Text, ts[j+1].Text) {
					next = false
				}
				if next {
					return t.Text + ts[j+1].Text, true
				}
				// The object of a verb the passage has with another object
				// (乘坐公交 where it has 乘坐校车) is another thing of its kind.
				if j > 0 && strings.Contains(c, ts[j-1].Text+t.Text) && isVerb(ts[j-1].Text) &&
					otherObject(r.corpus.Folded(i), ts[j-1].Text, t.Text) {
					return t.Text, true
				}
				if first == "" {
					first = t.Text
				}
			}
		}
	}
	return first, false
}

// joined reports whether clause c writes a right before b as one name: run
// together (肺炎疫苗) or apart, as an English question's terms come (肺炎 疫苗).
func joined(c, a, b string) bool {
	return strings.Contains(c, a+b) || strings.Contains(c, a+" "+b)
}

// kindWith reports whether clause c writes a的b (宫颈癌的疫苗) naming a kind
// of b: a is a noun saying which, not how much (多少额度的贷款), and text
// writes b after another noun (流感疫苗), so b comes in kinds there; a
// word only describing b (瞎眼的盲人) does not.
func kindWith(c, a, b, text string) bool {
	if !dictionaryNoun(a) || measureNouns[a] || !strings.Contains(c, a+"的"+b) {
		return false
	}
	for rest := text; ; {
		k := strings.Index(rest, b)
		if k < 0 {
			return false
		}
		before := []rune(rest[:k])
		rest = rest[k+len(b):]
		if len(before) >= 2 {
			if w := string(before[len(before)-2:]); w != a && dictionaryNoun(w) {
				return true
			}
		}
	}
}

// measureNouns say how much of a thing is asked (多少额度的贷款), not which
// kind of it.
var measureNouns = map[string]bool{"额度": true, "金额": true, "数量": true, "数额": true, "规模": true, "标准": true, "比例": true, "面积": true, "人数": true, "户数": true, "个数": true}

// acronym reports whether the question writes the Latin word w (folded to
// lower case) in capitals of two to six letters, as names are (HPV, IVF).
func acronym(question, w string) bool {
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	up := strings.ToUpper(w)
	for at := 0; ; {
		k := strings.Index(question[at:], up)
		if k < 0 {
			return false
		}
		start, end := at+k, at+k+len(up)
		if (start == 0 || !asciiLetter(question[start-1])) && (end == len(question) || !asciiLetter(question[end])) {
			return true
		}
		at = end
	}
}

func asciiLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// soundsLikeBetween reports whether text writes prev and next with, between
// them, as many characters as mid has and a syllable in common with it:
// mid is then likely a typo of what text writes there.
func (r *Reader) soundsLikeBetween(text, prev, mid, next string) bool {
	n := utf8.RuneCountInString(mid)
	for k := strings.Index(text, prev); k >= 0; {
		rest := []rune(text[k+len(prev):])
		if len(rest) >= n && strings.HasPrefix(string(rest[n:]), next) && shareSyllable(string(rest[:n]), mid) {
			return true
		}
		j := strings.Index(text[k+len(prev):], prev)
		if j < 0 {
			break
		}
		k += len(prev) + j
	}
	return false
}

// shareSyllable reports whether two words of equal length have a syllable
// in the same place (夫妇 fu·fu, 服务 fu·wu).
func shareSyllable(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	for i := range min(len(ra), len(rb)) {
		if pinyinKey(string(ra[i])) == pinyinKey(string(rb[i])) {
			return true
		}
	}
	return false
}

// markedAt is the index of the clause marked as where the question proper
// starts, 0 for none.
func markedAt(clauses []string) int {
	for i, c := range clauses {
		if i > 0 && strings.HasPrefix(strings.TrimSpace(c), askMark) {
			return i
		}
	}
	return 0
}

// fromAskMark is clauses from the one marked as where the question proper
// starts (askMark, after the asker's account) to the end, then those
// before it; clauses as they are when none is marked.
func fromAskMark(clauses []string) []string {
	if i := markedAt(clauses); i > 0 {
		return append(slices.Clone(clauses[i:]), clauses[:i]...)
	}
	return clauses
}

// withoutPremises is text with the clauses that are premises taken out.
func withoutPremises(text string, premise map[string]bool) string {
	var kept []string
	for _, c := range clauseRe.Split(text, -1) {
		if c = strings.TrimSpace(c); c != "" && !premise[c] {
			kept = append(kept, c)
		}
	}
	return strings.Join(kept, ",")
}

// askMarkers introduce the question proper after an account of the
// asker's circumstances.
var askMarkers = []string{"请问", "想问问", "想问一下", "想问下", "帮我确认", "想确认", "我想知道", "想了解一下", "麻烦问一下", "问一下"}

// caseDescription is a clause in which a worker describes the person they
// ask for ("社区有户人家两口子都失业在家", "辖区有个老人瘫在床上").
var caseDescription = regexp.MustCompile(`^(?:我们)?(?:社区|辖区|村里|小区|楼里|这边|我们这)?(?:里)?有(?:个|户|位|一个|一户|一位|一家)\p{Han}{0,3}?(?:人家|老人|居民|大爷|大妈|大娘|老太太|老爷子|孩子|学生|残疾人|低保户|困难户|两口子|家庭|户)`)

// selfDescription is a clause in which the asker says who they or their
// family are (我爸是一级肢体残疾, 俺家是低保户).
var selfDescription = regexp.MustCompile(`^(?:我|俺|咱)[^,?]{0,5}是|^(?:我|俺|咱)[^,?]{0,12}(?:有|办了|领了|拿了)(?:\p{Han}{0,4})?证$|^(?:已经|也|早就)?(?:办了|领了|拿了|办过)\p{Han}{0,4}证$`)

// dictionaryNoun reports whether the dictionary knows w as a common noun
// or a place: not as a verb (免费 is a verbal noun there), not only
// through the thesaurus, which makes every policy word a noun, and not as
// another proper name, which is what a cut gone astray often looks like
// (金和 of 低保金和).
func dictionaryNoun(w string) bool {
	pos, ok := retrieval.WordPOS(w)
	return ok && (pos == "n" || pos == "ns")
}

// placeOf is w with the administrative suffix that follows it in clause
// c (常春 of 常春市): a place no gazetteer knows, which no document
// covers; "" when no suffix follows.
func placeOf(c, w string) string {
	for _, suffix := range []string{"省", "市", "县", "区", "州", "旗", "镇", "乡"} {
		if strings.Contains(c, w+suffix) {
			return w + suffix
		}
	}
	return ""
}

// askedTerms are the terms of rd's clauses, leaving out the asker's
// premises: what they say of themselves, and what they say already
// holds ("农村学生坐校车都免费了,那老人坐公交车免费不?" asks about 公交车, and a
// passage on 校车 shares only the premise with it). All of rd's terms
// when that leaves none.
func (r *Reader) askedTerms(rd Reading, premise map[string]bool, key string) []Term {
	// The thing a figure is asked of is asked, though the asker names it in
	// telling of themselves ("一个人就靠低保过日子,到25年每个月能给多少钱"), and
	// so is a name they quote from what they heard ("社区宣传“三级五方”养老,…
	// 这五方到底是哪几方").
	keep := map[string]bool{key: key != "" && (rd.AsksFigure || quotes(rd.Core, key))}
	for _, c := range clauseRe.Split(rd.Judged, -1) {
		if premise[strings.TrimSpace(c)] {
			continue
		}
		for _, t := range r.terms(quantityWords.Replace(c)) {
			keep[t.Text] = true
		}
	}
	var out []Term
	for _, t := range rd.Terms {
		if keep[t.Text] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return rd.Terms
	}
	return out
}

// onlyElsewhere reports whether the documents write the thing named by
// names, but none of the one region the question asks about does: not its
// own, not those above it (a city's for its district), not those inside
// it (a district's, labelled, for its city).
// Only a thing the documents name as it is asked and rarely (流感疫苗,
// 高龄津贴) is judged so: a word they write in other forms (健身器材 for
// 健身路径体育器材) or everywhere (办法) says little about where it is.
func (r *Reader) onlyElsewhere(rd Reading, key string) bool {
	if len(rd.Regions) != 1 || vague[key] || beneficiaries[key] || kinds[key] || utf8.RuneCountInString(key) < 2 {
		return false
	}
	// A common word is often said of the asked place in other words; a
	// policy term (低保) is the documents' own, and a place whose documents
	// never write it has none of its figures.
	if df := r.vocab[key]; df == 0 || (float64(df) > r.policy.MaxCommonShare*float64(r.corpus.Len()) && !retrieval.IsPolicyTerm(key)) || !r.corpus.Written(key) {
		return false
	}
	// 暖房子 is 暖房 with the noun suffix 子: a document writing 暖房 names it.
	if bare, ok := strings.CutSuffix(key, "子"); ok && utf8.RuneCountInString(bare) >= 2 && r.writtenWithin(bare, func(region []string) bool {
		return retrieval.Within(region, rd.Regions[0]) || retrieval.Within(rd.Regions[0], region)
	}) {
		return false
	}
	if !dictionaryNoun(key) && !retrieval.InThesaurus(key) {
		return false
	}
	asked := rd.Regions[0]
	scope := func(region []string) bool {
		return retrieval.Within(region, asked) || retrieval.Within(asked, region)
	}
	for _, n := range append(r.names(key), retrieval.PolicyAlternatives(key)...) {
		// a broader term inside the key (疫苗 of 流感疫苗) does not name it
		if n != key && strings.Contains(key, n) {
			continue
		}
		if utf8.RuneCountInString(n) >= 2 && !latinWord(n) && r.writtenWithin(n, scope) {
			return false
		}
	}
	return true
}

// writtenWithin reports whether the passages scope accepts write word, or
// for a word of four characters or more each of its two-character pieces
// (节地生态安葬 in 节地生态绿色安葬率), as found counts it.
func (r *Reader) writtenWithin(word string, scope func([]string) bool) bool {
	if r.corpus.WrittenWithin(word, scope) {
		return true
	}
	rs := []rune(word)
	if len(rs) < 4 {
		return false
	}
	for i := 0; i+2 <= len(rs); i += 2 {
		if !r.corpus.WrittenWithin(string(rs[i:i+2]), scope) {
			return false
		}
	}
	return len(rs)%2 == 0 || r.corpus.WrittenWithin(string(rs[len(rs)-2:]), scope)
}

// ownSituation reports whether clause c tells what the asker or their
// household does or lives with ("俺们家帮着养亲戚家没爹妈的孩子", "我妈在浑南
// 吃低保"): the asker is its subject and it asks nothing of anyone — not
// even "我想了解…", which is the request itself.
func ownSituation(c string) bool {
	// what someone said they want ("我妈交代后事说想撒海里") is told, not
	// asked
	return ownSubject.MatchString(c) && !containsAny(reportedWish.ReplaceAllString(c, "说"), requestVerbs)
}

// reportedWish is what someone is told to want (说想海葬, 说想要, 说要).
var reportedWish = regexp.MustCompile(`说(?:想要|想|要)`)

var ownSubject = regexp.MustCompile(`^(?:我|俺|咱)(?:们)?(?:家|爸|妈|爹|娘|奶奶|爷爷|姥姥|姥爷|老伴|儿子|女儿|孩子)?` +
	// one of the family named bare, saying where they are or what holds
	// ("孩子在沙河口上小学", "老伴已经瘫了")
	`|^(?:孩子|孙子|孙女|外孙|外孙女|老伴|儿子|女儿|闺女|爸|妈|老爷子|老太太)(?:在|今年|已经|刚|都)` +
	// one already named, by a pronoun ("她自己也说不清楚")
	`|^(?:她|他)(?:们)?(?:自己|本人)?(?:也|都|还|又|就|一直|平时|已经)(?:[^说听]|说不)*$` + // not what they say (他们都说有…), but 说不清楚
	// the asker's home ("家里卫生间地滑老摔跤")
	`|^家里`)

// complains reports whether clause c is the asker's complaint ("在城区上街
// 找厕所难", "腿脚不好出门费劲"): what they take as given, not what they ask
// about. premises asks it only of clauses that do not ask; it rejects an
// asking form itself all the same (申请低保难不难).
func complains(c string) bool {
	if asks(c) || strings.Contains(c, "难不难") {
		return false
	}
	c = strings.TrimRight(c, "了啊呀呢")
	for _, e := range []string{"难", "费劲", "不方便", "麻烦", "发愁"} {
		if strings.HasSuffix(c, e) {
			return true
		}
	}
	return false
}

// requestVerbs make a clause about the asker a request (我想了解, 我要问).
var requestVerbs = []string{"想", "要", "问", "了解", "咨询", "知道", "请", "打听", "查"}

// premises are the clauses of a question that state what the asker takes
// as given rather than ask: what they say of themselves (我爸是一级肢体残疾),
// what they say already holds (俺儿子腿脚残了), and, before a clause turning
// to another thing with 那 ("听说老人打疫苗都免费,那坐公交车也免费吗?"), what it
// is compared with.
func premises(judged string) map[string]bool {
	out := map[string]bool{}
	var cs []string
	for _, c := range clauseRe.Split(judged, -1) {
		if c = strings.TrimSpace(c); c != "" {
			cs = append(cs, c)
		}
	}
	// marked is the clause of an explicit ask after a long account (0 for
	// none): what the account asked along the way ("兄弟几个正在商量费用
	// 怎么分。…请问…海葬要花钱吗") is its story, not the question.
	turn, marked := 0, 0
	for i, c := range cs {
		if i > 0 && (strings.HasPrefix(c, "那") && !strings.HasPrefix(c, "那个") && !strings.HasPrefix(c, "那些")) {
			turn = i
		}
		// A long account ending in an explicit ask ("…,我也不敢乱说,想问问
		// 区里…是不是写了…免费?") states its circumstances before it.
		if i >= openingClauses && containsAny(c, askMarkers) {
			turn, marked = i, i
		}
	}
	for i, c := range cs {
		if asks(c) {
			if i >= longAccountClauses {
				turn = max(turn, i-1)
			}
			break
		}
	}
	own := false // the clause before tells of the asker or their family
	for i, c := range cs {
		if marked >= longAccountClauses && i < marked {
			out[c] = true
			continue
		}
		if asks(c) {
			own = false
			continue // a clause that asks is the question, whatever it says
		}
		told := selfDescription.MatchString(c) || ownSituation(c) || caseDescription.MatchString(c) || complains(c)
		if i < turn || told || strings.HasSuffix(c, "了") || (own && carriesSubject(c)) {
			out[c] = true
		}
		own = (told && kinSubject.MatchString(c)) || (own && carriesSubject(c))
	}
	return out
}

// predicateMarks say something of a subject (不好, 没收入, 刚办上, 住在…): a
// clause without one is a topic put first ("我爸瘫痪在床,适老化改造,怎么申请").
var predicateMarks = []string{"不", "没", "刚", "在", "是", "有", "了", "过", "靠", "住", "得", "着"}

// kinSubject is a clause told of one of the asker's family by name (我妈,
// 俺爹, 我家老头): what follows with no subject of its own is still of them.
var kinSubject = regexp.MustCompile(`^(?:我|俺|咱)(?:们)?(?:家)?(?:的)?(?:爸|妈|爹|娘|奶奶|爷爷|姥姥|姥爷|老伴|儿子|女儿|闺女|孩子|老头|老太太|老爷子|婆婆|公公|岳父|岳母|丈母娘|老丈人|弟|哥|姐|妹|舅|叔|姨|姑|大爷|大娘)`)

// carriesSubject reports whether a clause with no subject of its own goes
// on telling of the one the clause before told of ("我妈一个人住浑南,身体不好
// 没收入刚办上低保"): it starts no request, hearsay or turn to another thing.
func carriesSubject(c string) bool {
	if containsAny(c, requestVerbs) || containsAny(c, hearsay) || heardFrom.MatchString(c) || !containsAny(c, predicateMarks) {
		return false
	}
	for _, p := range []string{"我", "俺", "咱", "那", "这", "政府", "社区", "街道", "区里", "市里", "国家", "文件", "政策", "学校", "医院", "单位", "公司", "村里"} {
		if strings.HasPrefix(c, p) {
			return false
		}
	}
	return true
}

// rarestShare is the share of passages holding the rarest topical word of
// terms that passage i holds (a word's rarest name, for one the thesaurus
// maps), 1 for none.
func (r *Reader) rarestShare(terms []Term, i int) float64 {
	n := r.corpus.Len()
	if n == 0 {
		return 1
	}
	rarest := n
	for _, t := range terms {
		if !r.policy.topical(t) || beneficiaries[t.Text] || kinds[t.Text] || vague[t.Text] || r.found(t.Text, i) < 1 {
			continue
		}
		for _, name := range r.names(t.Text) {
			df := r.vocab[name]
			if name != t.Text && (strings.Contains(t.Text, name) || strings.Contains(name, t.Text)) {
				// a piece of the word (残疾 of 残疾人) is cut alone in few
				// passages though written in many, and a longer form (全免费
				// of 免费) is rare where the word is not: the word's own
				// count says how common it is
				df = max(df, r.vocab[t.Text])
			}
			if df > 0 && strings.Contains(r.corpus.Folded(i), name) {
				rarest = min(rarest, df)
			}
		}
	}
	return float64(rarest) / float64(n)
}

// unknownCompound reports whether w, which no document writes, is a word
// the documents do write with a verb's character added before or after it
// (免费打, 打疫苗): the dictionary's compound of a known word and an
// action, not a thing. A noun's character added (乘车卡) makes a thing.
func (r *Reader) unknownCompound(w string) bool {
	rs := []rune(w)
	if len(rs) < 3 {
		return false
	}
	return (strings.ContainsRune(actionChars, rs[len(rs)-1]) && r.corpus.Written(string(rs[:len(rs)-1]))) ||
		(strings.ContainsRune(actionChars, rs[0]) && r.corpus.Written(string(rs[1:])))
}

// actionChars are one-character verbs residents glue to a thing (打疫苗,
// 免费装, 领补贴), and particles the cut leaves on one (检查和).
const actionChars = "打装办领拿交看吃坐用住买换查问给送接发上做和的了与及"

// withAction reports whether word is term with an action of two or more
// characters before it (加装电梯: 加装 + 电梯): a measure of its own, which
// the term alone does not name. 老楼电梯 and 全部免费 are the term still.
func withAction(word, term string) bool {
	rest, ok := strings.CutSuffix(word, term)
	if !ok || utf8.RuneCountInString(rest) < 2 {
		return false
	}
	pos, known := retrieval.WordPOS(rest)
	return known && strings.HasPrefix(pos, "v")
}

// isVerb reports whether the dictionary knows w as a verb first.
func isVerb(w string) bool {
	pos, ok := retrieval.WordPOS(w)
	return ok && pos == "v"
}

// otherObject reports whether text has verb (two characters or more)
// followed by a noun other than obj: "免费乘坐校车" for 乘坐 and 公交.
func otherObject(text, verb, obj string) bool {
	if utf8.RuneCountInString(verb) < 2 {
		return false
	}
	for rest := text; ; {
		k := strings.Index(rest, verb)
		if k < 0 {
			return false
		}
		rest = rest[k+len(verb):]
		after := []rune(rest)
		if len(after) >= 2 && !strings.HasPrefix(rest, obj) && dictionaryNoun(string(after[:2])) {
			return true
		}
	}
}

// lastRunes is the last n runes of s.
func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

// quotedName is the first name in quotation marks in core that the
// documents write, "" for none.
func (r *Reader) quotedName(core string) string {
	for _, m := range quotedRe.FindAllStringSubmatch(core, -1) {
		if n := utf8.RuneCountInString(m[1]); n >= 2 && n <= 12 && r.corpus.Written(m[1]) {
			return m[1]
		}
	}
	return ""
}

var planPeriod = regexp.MustCompile(`^十[一二三四五六七八九]五$`)

// quotes reports whether core puts name in quotation marks.
func quotes(core, name string) bool {
	for _, m := range quotedRe.FindAllStringSubmatch(core, -1) {
		if m[1] == name {
			return true
		}
	}
	return false
}

var quotedRe = regexp.MustCompile(`[“"「『]([\p{Han}\d]+)[”"」』]`)
