package judge

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// Corpus is what reading and judging need to know of the indexed
// documents; *retrieval.Index is one.
type Corpus interface {
	IDF(word string) float64
	HasWord(passage int, word string) bool
	Folded(passage int) string
	// Written reports whether the documents write every character pair
	// of folded text.
	Written(folded string) bool
	// WrittenWithin is Written over the passages whose document region
	// within accepts.
	WrittenWithin(folded string, within func(region []string) bool) bool
	Vocabulary(fn func(word string, passages int))
	Regions() [][]string
	// Len is the number of passages.
	Len() int
	ResolveRegion(name string) ([][]string, error)
}

// Reader reads questions for one corpus.
type Reader struct {
	corpus Corpus
	policy Policy
	places *Locator
	typos  *typoIndex
	// vocab counts the passages holding each search word.
	vocab map[string]int
	now   func() time.Time
}

// NewReader prepares reading for a corpus: the gazetteer mapped onto the
// corpus's regions and a pinyin index of its words for typo correction.
func NewReader(c Corpus, p Policy, g *Gazetteer, now func() time.Time) (*Reader, error) {
	if now == nil {
		now = time.Now
	}
	vocab := map[string]int{}
	c.Vocabulary(func(w string, n int) { vocab[w] = n })
	catalog := c.Regions()
	aliases := map[string]bool{}
	for _, path := range catalog {
		for _, name := range path {
			aliases[retrieval.Fold(name)] = true
			aliases[retrieval.Fold(shortPlaceName(name))] = true
		}
	}
	// A short place name that the dictionary knows as no noun at all is not
	// read as a place; nor, outside the catalog's own cities,
	// one the documents use as a word (安宁疗护 has 安宁). Inside them
	// (甘井子, 金州) the documents naming it makes it no less a place.
	inside := map[string]bool{}
	for _, n := range g.ForCatalog(catalog, nil).Names() {
		inside[n] = true
	}
	ordinary := func(short string) bool {
		if aliases[short] {
			return false
		}
		if pos, ok := retrieval.WordPOS(short); ok && pos != "" && pos[0] != 'n' && !(pos[0] == 'v' && g.Upper(short)) {
			// 安宁 (a county) is an adjective first, 大同 an adverb (大同小异);
			// a province or a prefecture tagged a verb is a place still
			// (营口 is tagged vn)
			return true
		}
		return !inside[short] && vocab[short] > 0
	}
	loc := g.ForCatalog(catalog, ordinary)
	if err := retrieval.AddWords(loc.Names()); err != nil {
		return nil, fmt.Errorf("teach place names: %w", err)
	}
	return &Reader{corpus: c, policy: p, places: loc, typos: newTypoIndex(vocab, slices.Concat(loc.Names(), loc.UpperNames(), loc.NeighbourNames()), c.Written), vocab: vocab, now: now}, nil
}

// Policy returns the policy the reader judges with.
func (r *Reader) Policy() Policy { return r.policy }

// WithPolicy returns a reader sharing r's indexes that judges with p.
func (r *Reader) WithPolicy(p Policy) *Reader {
	c := *r
	c.policy = p
	return &c
}

// Term is a question word with how much it says about the topic.
type Term struct {
	Text   string
	Weight float64
	// Noun marks nouns and names of things, the words a topic lives in.
	Noun bool
	// Focus marks the action a how-question asks about (怎么注册 → 注册).
	Focus bool
}

// Reading is a question as read: what to search for and what it asks.
type Reading struct {
	// Question is the question as asked.
	Question string
	// Core is the folded question without the asker's context, typos
	// corrected and place names taken out: what is searched and judged.
	Core string
	// Judged is the text the judged words were read from: Core, with a
	// carried topic when the question names no thing of its own, and for
	// an English question the policy terms its words stand for.
	Judged string
	// Searched is Core with the topic a follow-up carries over: what the
	// search is given.
	Searched string
	// Meta are the clauses set aside as the asker's own context (greetings,
	// names, "居民问我…该怎么回答").
	Meta []string
	// Corrected maps a typo to the word it was read as (养劳金 → 养老金).
	Corrected map[string]string
	// Places are the places the question names, mapped onto the catalog.
	Places []Located
	// Regions are the regions to search, as precise as the question names
	// them (a street of 浑南区, 沈阳市铁西区): a search takes the documents
	// of each region, of the regions inside it and of those above it, so a
	// question about 铁西区 gets 沈阳市's documents and not 浑南区's. nil
	// means all.
	Regions [][]string
	// RegionFrom says where Regions came from: "question", "request",
	// "conversation" or "".
	RegionFrom string
	// Foreign are places named that no document covers.
	Foreign []string
	// Undocumented is the county-level place (path 省 › 市 › 区) the
	// question asks about when it has no document of its own and no region
	// above it is named on its own ("铁西区今年新增多少张养老床位", not "我住
	// 铁西区,沈阳今年新增多少床位"): its city's documents count the city's
	// totals, not its own. nil for none.
	Undocumented []string
	// Terms are the judged words of Core.
	Terms []Term
	// Words are the search words with weights, thesaurus stand-ins added.
	Words map[string]float32
	// AsksFigure: the question wants a number (多少, 几, 比例 …).
	AsksFigure bool
	// AsksMoney: the figure wanted is an amount of money (多少钱, 给多少).
	AsksMoney bool
	// AsksRate: the figure wanted is how much something grows (每年涨多少,
	// 提高多少), not the level it reaches (提高到多少).
	AsksRate bool
	// AsksPercent: the figure wanted is a share (签约率, 覆盖率, 比例).
	AsksPercent bool
	// FigureClause is the clause that asks for the figure.
	FigureClause string
	// How: the question asks how to do something (怎么办, 如何申请).
	How bool
	// YesNo: the question asks whether something exists or is allowed.
	YesNo bool
	// DocKind is the kind of document the question points at (政府工作报告
	// for "市里的工作报告说…", "work report"), "" for none.
	DocKind string
	// National: the question asks what the country rules (国家规定,
	// 全国统一, national), not what a local document plans.
	National bool
	// AsksList: the question asks which things or what kinds (哪些设备,
	// 能提供啥服务, 五方都是谁): a list in the documents answers it.
	AsksList bool
	// AsksPlan: the question asks what is planned for a measure (有啥规划,
	// 有什么安排, 目标是什么): its targets (到2025年…达到100%) answer it.
	AsksPlan bool
	// AsksCost: the question speaks of what something costs the asker
	// (收不收费, 要钱吗, 免费吗, 免费体检在哪做): a sentence saying free or
	// paid is the one to show.
	AsksCost bool
	// Heard are the amounts the asker names as what they heard or expect
	// ("听说…能涨到八百多" → 800–899): the sentence stating one of them is
	// the one to show first, whether it confirms or corrects them.
	Heard []Span
	// Named is the thing a which-question names ("市里有什么志愿服务平台" →
	// 平台): the sentence naming it is the one to show, before one that
	// shares more of the asker's account.
	Named string
	// Tense is whether the question asks about the past or plans.
	Tense retrieval.Tense
	// TimeWords are the relative time words the question uses (今年, 现在).
	TimeWords []string
	// OwnArea: the asker speaks of their own area without naming it
	// (我们区, 我们这儿, 本地).
	OwnArea bool
	// FollowUp: the question leans on an earlier one ("那大连呢?").
	FollowUp bool
	// English: the question is written in English.
	English bool
	// Traditional: the question is written in traditional characters.
	Traditional bool
	// Compares: the question sets a region beside one inside it
	// ("沈阳全市…,和浑南区…,分别是多少"): both are asked about, each from its
	// own documents.
	Compares bool
	// Sides are the words naming each of two things a figure question
	// compares ("孤儿养育标准跟特困供养标准哪个高" → [孤儿 养育标准] [特困
	// 供养]): each side's own words, those of both (标准) left out, so an
	// answer can show a sentence for each.
	Sides [][]string
	// SmallTalk: chat that asks nothing of policy documents (天气怎么样,
	// 讲个笑话).
	SmallTalk bool
	// Empty: nothing is left once greetings and context are set aside.
	Empty bool
}

// Request is what the reader knows besides the question itself.
type Request struct {
	// Region is the region the person chose (--region, /region), used
	// when the question names none.
	Region string
	// Conversation is the region a conversation was about, used when
	// neither the question nor the request names one.
	Conversation []string
	// Context is the standalone topic carried over from an earlier turn.
	Context string
}

// Read reads a cleaned question.
func (r *Reader) Read(question string, req Request) (Reading, error) {
	rd := Reading{Question: question, Traditional: retrieval.IsTraditional(question)}
	folded := retrieval.Fold(question)
	rd.English = isEnglish(folded)
	folded = digitYears(folded)
	folded = currentYear(folded, r.now().Year())
	folded = r.spokenForm(folded)
	folded, rd.Corrected = r.typos.correct(folded)

	rd.Places = r.places.Locate(folded)
	ctxFolded := retrieval.Fold(strings.TrimSpace(req.Context))
	if len(rd.Places) == 0 && ctxFolded != "" {
		// A follow-up that names no place asks about the places of the
		// topic it carries ("那优质特色高中占比呢?" after a comparison).
		rd.Places = r.places.Locate(ctxFolded)
	}
	core, meta := stripMeta(secondAsk.ReplaceAllString(folded, ",$1"))
	core = r.restated(core)
	// A place no document covers, named where the question asks, is what
	// it asks about; a covered place named only in the asker's framing
	// ("我是浑南区的网格员,…问上海的最低工资") is where the asker works.
	// A place the asker comes from ("从河南老家来襄阳打工") is neither: where
	// they are now is what they ask about.
	covered := false
	for _, p := range rd.Places {
		covered = covered || len(p.Region) > 0
	}
	comesFrom := func(p Located) bool {
		if !covered || len(p.Region) > 0 {
			return false
		}
		// where a covered place's insured go for treatment is asked of
		// with the covered place's rules ("大连医保 去北京住院能直接结算不")
		return treatedAway(folded, p.Mention) || ((origin(folded, p.Mention) || selfLocated(folded, p.Mention) || located(folded, p.Mention, kinLocation)) &&
			!askedOf(core, p.Mention)) // "我老家在营口…,营口现在低保一个月给多少" asks of it
	}
	foreignAsked, foreignAsking := false, false
	for _, p := range rd.Places {
		if len(p.Region) == 0 && strings.Contains(core, p.Mention) && !comesFrom(p) {
			foreignAsked = true
			// named in the clause that asks ("迁到上海的话那边低保一个月能给多少")
			foreignAsking = foreignAsking || askedOf(core, p.Mention)
		}
	}
	// A covered place named only as where a relative is ("我妹在沈阳"),
	// beside another the question names otherwise ("住春柳那边"), is not
	// what it asks about.
	kinElsewhere := func(p Located) bool {
		if len(p.Region) == 0 || !located(folded, p.Mention, kinLocation) {
			return false
		}
		if containsAny(folded, compareCues) || asksWhichMore(folded) {
			return false // "我家在浑南,我姐在大连,…覆盖率目标各是多少" compares them
		}
		for _, q := range rd.Places {
			if len(q.Region) > 0 && q.Mention != p.Mention && !located(folded, q.Mention, kinLocation) {
				return true
			}
		}
		return false
	}
	// A covered place named only where the asker introduces themselves
	// ("我是沙河口南沙街道的民政协理员,居民拿浑南的文件跟大连比") is where they
	// work, when the question proper names places of its own.
	coreCovered := false
	for _, p := range rd.Places {
		coreCovered = coreCovered || (len(p.Region) > 0 && strings.Contains(core, p.Mention))
	}
	// ...unless the question proper names only the city around it ("I
	// volunteer with kids in Hunnan District, Shenyang. …"): the district
	// is the place, told with its city.
	cityOf := func(p Located) bool {
		if !rd.English {
			return false // "我是浑南区的网格员,居民问沈阳市低保标准多少" asks of 沈阳
		}
		for _, q := range rd.Places {
			if q.Mention != p.Mention && len(q.Region) > 0 && strings.Contains(core, q.Mention) && len(p.Place) > len(q.Place) && retrieval.Within(p.Place, q.Place) {
				return true
			}
		}
		return false
	}
	// A covered place named only in what the asker heard ("听说大连那边…提到
	// 200,俺们浑南这边…每月是多少"), beside another named where they ask, is
	// what they compare with, not what they ask about.
	heardElsewhere := func(p Located) bool {
		if len(p.Region) == 0 || !onlyHeard(folded, p.Mention) || containsAny(folded, compareCues) || containsAny(folded, moreCues) {
			return false // "听说浑南涨3.5%,大连是不是涨得更多" compares them
		}
		for _, q := range rd.Places {
			if len(q.Region) > 0 && q.Mention != p.Mention && !onlyHeard(folded, q.Mention) {
				return true
			}
		}
		return false
	}
	// The asker's own place is one side when the question compares it with
	// the one place it names ("我是大连的网格员,想跟沈阳浑南区比一比,两边…分别
	// 定的多少").
	inCore := 0
	for _, p := range rd.Places {
		if len(p.Region) > 0 && strings.Contains(core, p.Mention) {
			inCore++
		}
	}
	ownSide := inCore == 1 && containsAny(core, ownSideCues)
	// A covered place named only as the model of what is asked of a place
	// no document covers ("宜昌有没有像襄阳那样的志愿云", "like Xiangyang's")
	// is not asked about.
	modelOnly := func(p Located) bool {
		return foreignAsked && len(p.Region) > 0 && namedAsModel(folded, p.Mention)
	}
	for _, p := range rd.Places {
		if comesFrom(p) || kinElsewhere(p) || heardElsewhere(p) || modelOnly(p) || (coreCovered && len(p.Region) > 0 && !strings.Contains(core, p.Mention) && !cityOf(p) && !ownSide) {
			continue
		}
		if len(p.Region) == 0 {
			if !slices.Contains(rd.Foreign, p.Mention) {
				rd.Foreign = append(rd.Foreign, p.Mention)
			}
			continue
		}
		if foreignAsked && (!namedBeyondSelf(core, p.Mention) || (foreignAsking && !askedOf(core, p.Mention))) {
			// where the family lives now, when the clause asking names
			// the place no document covers, is not asked about
			continue
		}
		rd.Regions = appendRegion(rd.Regions, p.Place)
	}
	rd.Regions = withoutHoldersOf(rd.Regions, rd.Places)
	rd.Regions = askedOverTold(rd.Regions, rd.Places, core)
	nestedEarlier := false
	if ctxFolded != "" && len(rd.Regions) == 1 && asksWhichMore(folded) {
		// "那大连呢 哪个高" after a question on 浑南 sets the new place
		// beside the earlier one: both are asked about. So does "跟沈阳
		// 2016年那个比呢,哪个多" after one on 浑南, a district inside it.
		for _, p := range r.places.Locate(ctxFolded) {
			if len(p.Region) == 0 || slices.Equal(p.Place, rd.Regions[0]) {
				continue
			}
			nested := retrieval.Within(p.Place, rd.Regions[0]) || retrieval.Within(rd.Regions[0], p.Place)
			if !nested || comparedWith.MatchString(folded) {
				rd.Regions = appendRegion(rd.Regions, p.Place)
				nestedEarlier = nestedEarlier || nested
			}
		}
	}
	if rd.Compares = nestedEarlier || comparesNested(folded, rd.Places); !rd.Compares {
		rd.Regions = innermost(rd.Regions)
	}
	switch {
	case len(rd.Regions) > 0:
		rd.RegionFrom = "question"
	case len(rd.Foreign) > 0:
		// A question about a place no document covers is not answered
		// from the person's default region.
	case strings.TrimSpace(req.Region) != "":
		paths, err := r.resolveRegion(req.Region)
		if err != nil {
			return Reading{}, err
		}
		rd.Regions, rd.RegionFrom = paths, "request"
	case len(req.Conversation) > 0:
		rd.Regions, rd.RegionFrom = [][]string{req.Conversation}, "conversation"
	}

	rd.Meta = meta
	rd.Core = priceKeywords(strings.TrimSpace(stripPlaces(core, rd.Places)))
	rd.Empty = !hasTopic(rd.Core) && len(rd.Places) == 0 && strings.TrimSpace(req.Context) == ""
	// Small talk ("今天沈阳天气怎么样") asks nothing of the documents, though
	// they write 天气 (重污染天气) and name the place.
	rd.SmallTalk = containsAny(folded, smallTalk)
	// Read before the places are taken out: "襄阳那个三级睦邻网络" names its
	// place and is no follow-up, though its core starts with 那个.
	rd.FollowUp = IsFollowUp(core)
	rd.OwnArea = containsAny(folded, ownArea)
	rd.AsksFigure = retrieval.AsksForFigure(rd.Core) || keywordsForValue(rd.Core) || comparesIn(rd.Core)
	if rd.AsksFigure {
		rd.FigureClause = figureClause(rd.Core)
	}
	rd.Heard = heardAmounts(rd.Core)
	checksMoney := false
	if c := checkedClause(rd.Core); !rd.AsksFigure && c != "" && asksYesNo(rd.Core) {
		// "大连育儿补贴是不是一年发3600块?" checks an amount the asker
		// heard: what settles it is the documents' figure, or that they
		// state none, as for "…发多少". A sum of money, so a number of
		// another kind (500场) does not settle it.
		rd.AsksFigure, rd.FigureClause, checksMoney = true, c, true
	}
	// An English figure clause is its words in the documents' terms; how
	// fast is read from the question as asked.
	rd.AsksRate = rd.AsksFigure && (rateAsked.MatchString(rd.FigureClause) || (rd.English && rateAsked.MatchString(englishAsking(rd.Core))))
	rd.AsksPercent = rd.AsksFigure && !rd.AsksRate && percentAsked.MatchString(rd.FigureClause)
	rd.AsksMoney = !rd.AsksRate && (checksMoney || containsAny(notMoney.Replace(rd.Core), moneyCues) || (rd.AsksFigure && moneyClause(rd.FigureClause)) ||
		(rd.AsksFigure && !rd.AsksPercent && perMonth.MatchString(rd.Core) && askedUnit(rd.FigureClause) == ""))
	rd.How = AsksHow(rd.Core)
	rd.YesNo = asksYesNo(rd.Core)
	rd.AsksList = containsAny(rd.Core, listCues)
	rd.AsksPlan = planAsked.MatchString(rd.Core)
	rd.AsksCost = containsAny(rd.Core, costCues)
	rd.Named = r.whichNamed(rd.Core)
	rd.DocKind = docKind(folded)
	rd.National = containsAny(folded, nationalCues) || nationalUnified.MatchString(folded) || provincialAsked(folded) || nationalEnglish.MatchString(notNational.Replace(folded))
	rd.TimeWords = timeWords(rd.Core)
	rd.Tense = questionTense(rd.Core)

	// The ask mark tells judging where the question proper starts; the
	// search needs none of it.
	judged, searched := rd.Core, strings.ReplaceAll(rd.Core, askMark, " ")
	searchesCarried := false
	if ctxFolded != "" {
		carried := r.carried(ctxFolded, rd)
		// A follow-up that asks a figure of a thing it names ("那无障碍改造
		// 要做多少户?") is a question of its own: the earlier topic's words
		// would only find the earlier answer again. Others search with it.
		if !(rd.AsksFigure && r.keyNoun(r.terms(quantityWords.Replace(rd.FigureClause))) != "") {
			searched += " " + carried
			searchesCarried = true
		}
		// A follow-up that names no thing of its own ("那大连呢?",
		// "一共装了多少户?") is judged with the topic it carries, and asks
		// what it asked ("…多少人?" → "大连呢?" asks a figure too); one that
		// does ("那驾照怎么换?") must be covered by its own words.
		if !r.hasTopicTerm(r.terms(judged), carried) {
			judged = strings.TrimSpace(judged + " " + carried)
			if !rd.AsksFigure && retrieval.AsksForFigure(carried) {
				rd.AsksFigure, rd.FigureClause = true, figureClause(carried)
				rd.AsksRate = rd.AsksRate || rateAsked.MatchString(rd.FigureClause)
				rd.AsksMoney = !rd.AsksRate && (rd.AsksMoney || containsAny(carried, moneyCues) || moneyClause(rd.FigureClause))
			}
		} else if thing, ok := swapped(rd.Core); ok && !rd.AsksFigure && r.rareThing(thing) {
			// "那孤儿的呢" after "浑南区低保标准多少" asks the earlier
			// question of another thing: its asking words (标准, 多少) with
			// its nouns swapped for this one, not the earlier thing's passage.
			frame := carried
			for _, t := range r.terms(carried) {
				if t.Noun && !kinds[t.Text] && !vague[t.Text] {
					frame = strings.Replace(frame, t.Text, " ", 1)
				}
			}
			judged = strings.TrimSpace(thing + " " + frame)
			searched, searchesCarried = judged, false
			if retrieval.AsksForFigure(frame) {
				rd.AsksFigure, rd.FigureClause = true, figureClause(judged)
				rd.AsksRate = rateAsked.MatchString(rd.FigureClause)
				rd.AsksMoney = !rd.AsksRate && (containsAny(frame, moneyCues) || moneyClause(rd.FigureClause))
			}
		}
	}
	asked := ""
	if rd.English && ctxFolded == "" {
		// After an account, the sentence that asks and names a topic of
		// its own is what is judged ("…lives with his grandmother, who gets
		// about 1,500 yuan a month in pension. What will the monthly … for
		// orphans … be by 2025?"); the account's topics only search.
		if a := englishAsked(judged); a != judged {
			judged, asked = a, a
		}
	}
	if rd.English {
		// An English question is read through the thesaurus's English
		// words: the policy terms they stand for are what is searched and
		// judged, and English words it does not know count as missing.
		judged, searched = englishTerms(judged)+r.pinyinWords(judged), englishTerms(searched)+r.pinyinWords(searched)
		if asked != "" {
			asked = judged // the asking sentence, read as policy terms
		}
		// A quoted number names its programme in any language ("532").
		for _, n := range slices.Sorted(maps.Keys(quotedNumbers(rd.Core))) {
			judged += " “" + n + "”"
		}
	}
	rd.Terms = r.terms(judged)
	rd.Judged = judged
	if rd.English && (containsAny(rd.Core, englishFigureCues) || containsAny(rd.Core, englishRateCues) || englishCost.MatchString(rd.Core) ||
		(englishWhatFigure.MatchString(rd.Core) && !englishNotFigure.MatchString(rd.Core))) {
		rd.AsksFigure, rd.FigureClause = true, judged
	}
	if rd.English && rd.AsksFigure {
		// Read from the English: its asking words are gone from the terms.
		rd.AsksRate = containsAny(rd.Core, englishRateCues)
		rd.AsksPercent = !rd.AsksRate && percentAsked.MatchString(rd.FigureClause)
		rd.AsksMoney = (rd.AsksMoney || englishCost.MatchString(rd.Core) || containsAny(rd.Core, englishPriceCues)) && !rd.AsksRate
	}
	if rd.AsksFigure || sitesAsked.MatchString(core) {
		// after a carried figure ("那甘井子区呢" after "沙河口区人均低保金多少")
		// and the English reading; which sites are a district's own too
		rd.Undocumented = undocumentedAsked(core, rd.Places)
	}
	if rd.AsksFigure && !rd.English && (comparesIn(rd.Core) || eachAsked.MatchString(rd.Core)) {
		rd.Sides = r.sides(rd.FigureClause)
	}
	if rd.AsksFigure && !rd.English && rd.Sides == nil {
		// Two clauses each asking a figure ("2023年建几个社区食堂,到2025年
		// 助餐覆盖率多少") ask of two things: each is shown, as the sides of
		// a comparison are.
		rd.Sides = r.figureClauses(rd.Core)
	}
	rd.Searched = searched
	rd.Words = searchWords(searched)
	if asked != "" {
		// The account searches with less weight than the asking sentence.
		own := searchWords(asked)
		for w, v := range rd.Words {
			if _, ok := own[w]; !ok {
				rd.Words[w] = v * float32(r.policy.AccountWeight)
			}
		}
	}
	if searchesCarried && judged == rd.Core {
		// A follow-up naming its own thing ("那区老年人大学建不建?") is
		// searched with the earlier topic, which finds its passage, but
		// its own words say what the answer is about.
		own := searchWords(rd.Core)
		for w, v := range rd.Words {
			if _, ok := own[w]; !ok {
				rd.Words[w] = v * float32(r.policy.CarriedWeight)
			}
		}
	}
	return rd, nil
}

// carried is the topic an earlier question passes to a follow-up: its
// places taken out (the follow-up's own, or the earlier ones, which the
// search filters by), and its years too when the follow-up names a year
// of its own ("那到2025年呢?" after "2023年建成…几个?").
func (r *Reader) carried(ctxFolded string, rd Reading) string {
	c := stripPlaces(ctxFolded, r.places.Locate(ctxFolded))
	c = stripPlaces(c, rd.Places)
	if latestYear(rd.Core) > 0 {
		c = yearDigits.ReplaceAllStringFunc(c, func(m string) string {
			// keep what the pattern took around the year
			sub := yearDigits.FindStringSubmatchIndex(m)
			return m[:sub[2]] + " " + m[sub[3]:]
		})
	}
	return strings.TrimSpace(c)
}

// swappedRe is a follow-up that names only a thing (那孤儿的呢, 特困人员呢).
var swappedRe = regexp.MustCompile(`^(?:那|那么|那个)?\s*(\p{Han}{2,8}?)(?:的)?呢\s*[?？]?$`)

// swapped is the thing a follow-up of the form "那X呢" names; not when X
// asks something itself (那残疾人补贴怎么领呢).
func swapped(core string) (string, bool) {
	m := swappedRe.FindStringSubmatch(strings.TrimSpace(core))
	if m == nil || containsAny(m[1], []string{"怎", "什么", "啥", "哪", "多少", "几", "吗", "么", "咋"}) {
		return "", false
	}
	return m[1], true
}

// rareThing reports whether text names a thing few passages write (孤儿,
// 特困人员): one that stands in for the earlier question's thing. A common
// word (农村, 城市) narrows the earlier topic instead ("那农村呢" after 低保).
func (r *Reader) rareThing(text string) bool {
	for _, t := range r.terms(text) {
		if df := r.vocab[t.Text]; t.Noun && df > 0 && float64(df) <= r.policy.MaxCommonShare*float64(r.corpus.Len()) {
			return true
		}
	}
	return false
}

// NeedsContext reports whether the question leans on an earlier one: it
// reads like a follow-up, or names no thing of its own ("一共装了多少户?",
// "大连呢 到25年做多少户").
func (rd Reading) NeedsContext() bool { return rd.NeedsContextAfter("") }

// NeedsContextAfter is NeedsContext for a question asked after earlier:
// the words it repeats from it name no thing of its own ("到2025年一共要
// 改造多少个?" after "老旧小区改造有什么计划?"). A question naming a place
// and a thing stands on its own, whatever it repeats ("大连低保多少" after
// "浑南低保多少").
func (rd Reading) NeedsContextAfter(earlier string) bool {
	if rd.FollowUp {
		return true
	}
	if earlier != "" && len(rd.Regions) == 1 && !rd.Compares && asksWhichMore(rd.Core) && comparedWith.MatchString(rd.Core) {
		// "跟沈阳2016年那个比呢,哪个多" sets one place beside the earlier
		// question's: which is more is asked of both.
		return true
	}
	if len(rd.Places) > 0 {
		earlier = ""
	}
	earlier = retrieval.Fold(earlier)
	for _, t := range rd.Terms {
		// whether it costs names no thing ("要钱吗?一顿多少" after a
		// question on canteens), as in hasTopicTerm
		if utf8.RuneCountInString(t.Text) >= 2 && (t.Noun || t.Weight >= 0.5) && !vague[t.Text] && !kinds[t.Text] && !beneficiaries[t.Text] && !costWords[t.Text] &&
			(earlier == "" || !strings.Contains(earlier, t.Text)) {
			return false
		}
	}
	return true
}

// countyDepth is the length of a county-level path (辽宁省 › 沈阳市 › 铁西区).
const countyDepth = 3

// undocumentedAsked is the county-level place the question proper names
// (or, from the asker's framing, points at as their own district: 咱区,
// 区里) whose catalog region is above the county, when no catalog region
// is named on its own (沈阳, 浑南区) and no word points at the city (市里,
// 全市, 一共) or at what a document says (规划里说); nil for none. Where the
// asker lives is where they ask about ("俺住甘井子 老人吃饭的食堂今年建几
// 个") unless they name the city they ask of ("我住铁西区,沈阳今年新增多少
// 床位"). A follow-up with no figure of its own ("那甘井子区呢") asks with
// its whole text.
func undocumentedAsked(core string, places []Located) []string {
	// residents part clauses with spaces as often as with commas
	clause := figureClause(strings.Join(strings.Fields(core), ","))
	if !retrieval.AsksForFigure(core) {
		clause = core
	}
	var county []string
	for _, p := range places {
		switch {
		case len(p.Region) == 0:
			continue // a foreign place is judged as such
		case len(p.Place) <= len(p.Region) && addressOf(core, p, places):
			continue // "ganjingzi district, dalian": the city tells where the district is
		case len(p.Place) <= len(p.Region):
			return nil // the region itself, or a place above it, named on its own
		case len(p.Region) < countyDepth && county == nil &&
			(strings.Contains(core, p.Mention) || containsAny(clause, ownDistrict)):
			county = p.Place[:countyDepth]
		}
	}
	if containsAny(core, cityWide) || containsAny(core, sourceWords) {
		return nil
	}
	return county
}

// addressOf reports whether region p is named in English right after a
// place inside it, as its address ("ganjingzi district, dalian"); in
// Chinese the address is one mention (大连甘井子区), and a city after a
// comma is named on its own.
func addressOf(core string, p Located, places []Located) bool {
	if !latinWord(p.Mention) {
		return false // "在瓦房店,大连到2025年…" names the city on its own
	}
	for _, q := range places {
		if q.Mention != p.Mention && len(q.Place) > len(p.Place) && retrieval.Within(q.Place, p.Place) {
			for _, kind := range []string{"", " district", " county", " city"} {
				for _, sep := range []string{", ", ",", " "} {
					if strings.Contains(core, q.Mention+kind+sep+p.Mention) {
						return true
					}
				}
			}
		}
	}
	return false
}

// perHead finds a per-head average asked for (人均低保金, 平均每人).
// In English "per person per month" is how an amount for everyone is
// given; per capita, average and the adjective per-person (the per-person
// allowance) name an average.
var perHead = regexp.MustCompile(`人均|平均|per capita|per-person|average`)

// ownDistrict are words for the asker's own district; cityWide point at
// the city or at a total; sourceWords at what a document says.
var (
	ownDistrict = []string{"咱区", "咱们区", "我们区", "俺们区", "本区", "我区", "区里"}
	cityWide    = []string{"市里", "全市", "市级", "市政府", "一共", "总共", "总计", " city", "citywide"}
	sourceWords = []string{"规划", "报告", "文件", "意见", "report", "plan"}
)

// stripPlaces blanks the places' mentions: they filter the search and
// would otherwise only favour passages that repeat the name.
func stripPlaces(s string, places []Located) string {
	for _, p := range places {
		// a part of the place named after it (浑南新城, 沈阳老城区) goes
		// with it: it names no topic
		for _, part := range placeParts {
			s = strings.ReplaceAll(s, p.Mention+part, " ")
		}
		s = strings.ReplaceAll(s, p.Mention, " ")
	}
	return s
}

var placeParts = []string{"新城", "老城区", "老城", "城区", "新区"}

// topical reports whether a term says what a question is about: a word
// of two or more characters that is no numeral, pronoun or particle.
func (p Policy) topical(t Term) bool {
	return utf8.RuneCountInString(t.Text) >= 2 && t.Weight >= p.VerbWeight
}

func (r *Reader) hasTopicTerm(terms []Term, carried string) bool {
	for _, t := range terms {
		// 目标, 标准, 情况 name no thing of their own: "那2023年当年的目标呢?"
		// asks the earlier question's target for another year. Nor does a
		// word the earlier question said ("一共要改造多少个?" after "老旧小区
		// 改造有什么计划?" is still about 老旧小区).
		// Nor does a written word with a character added (免费打 in "那得多
		// 大岁数才能免费打?" after a question on free flu shots).
		// Nor does whether it costs ("那大连也免费吗?"), nor who it is for
		// ("老人去吃一顿饭多少钱" after a question on 社区食堂).
		if r.policy.topical(t) && !vague[t.Text] && !kinds[t.Text] && !costWords[t.Text] && !beneficiaries[t.Text] && !strings.Contains(carried, t.Text) &&
			!(r.unknown(t.Text) && r.unknownCompound(t.Text)) {
			return true
		}
	}
	return false
}

// Query is the search for a reading.
func (rd Reading) Query(k int) retrieval.Query {
	return retrieval.Query{Text: rd.Searched, Words: rd.Words, Regions: rd.Regions,
		AsksFigure: rd.AsksFigure, AsksMoney: rd.AsksMoney, Tense: rd.Tense, K: k}
}

// ResolveRegion finds the regions a name stands for, as a person's chosen
// region is found: a catalog region by full or short name or by path, or
// a district or street of a catalog city (金州区) by the gazetteer.
func (r *Reader) ResolveRegion(name string) ([][]string, error) { return r.resolveRegion(name) }

func (r *Reader) resolveRegion(name string) ([][]string, error) {
	paths, err := r.corpus.ResolveRegion(name)
	if err == nil {
		return paths, nil
	}
	// A district or street of a catalog city (金州区) resolves to the
	// catalog region that applies to it.
	var out [][]string
	for _, p := range r.places.Locate(retrieval.Fold(name)) {
		if len(p.Region) > 0 {
			out = appendRegion(out, p.Place)
		}
	}
	if len(out) == 0 {
		return nil, err
	}
	return out, nil
}

// asksEachApart reports whether a region and one inside it are each asked
// about in a clause of their own ("沈阳16年新增养老床位多少张,浑南2023年
// 新增多少张"): two questions, one for each.
func asksEachApart(folded string, places []Located) bool {
	clauses := clauseRe.Split(spacedClauses(folded), -1)
	clauseOf := func(mention string) int {
		for i, c := range clauses {
			if strings.Contains(c, mention) {
				return i
			}
		}
		return -1
	}
	for _, a := range places {
		for _, b := range places {
			if len(a.Region) == 0 || len(b.Region) <= len(a.Region) || !retrieval.Within(b.Region, a.Region) {
				continue
			}
			i, j := clauseOf(a.Mention), clauseOf(b.Mention)
			if i >= 0 && j >= 0 && i != j && asks(clauses[i]) && asks(clauses[j]) {
				return true
			}
		}
	}
	return false
}

// comparesNested reports whether folded text compares a place with one
// inside it: both named, a word of comparison (分别, 哪个高) asked, and a
// conjunction or a clause between the two names ("沈阳全市…和浑南区…";
// not "沈阳浑南区", one place named twice).
func comparesNested(folded string, places []Located) bool {
	if !containsAny(folded, compareCues) && !eachAsked.MatchString(folded) {
		return asksEachApart(folded, places)
	}
	for _, a := range places {
		for _, b := range places {
			if len(a.Region) == 0 || len(b.Region) <= len(a.Region) || !retrieval.Within(b.Region, a.Region) {
				continue
			}
			i, j := strings.Index(folded, a.Mention), strings.Index(folded, b.Mention)
			if i < 0 || j < 0 {
				continue
			}
			lo, hi := min(i+len(a.Mention), j+len(b.Mention)), max(i, j)
			if lo < hi && strings.ContainsAny(folded[lo:hi], "和跟与同比、,;") {
				return true
			}
		}
	}
	return false
}

// eachAsked asks a figure of each (各新增多少, 各建几个).
var eachAsked = regexp.MustCompile(`各\p{Han}{0,4}?(?:多少|几)`)

// comparedWith sets what a question names beside something it does not
// name (跟…比, 比起…, 和…相比).
var comparedWith = regexp.MustCompile(`(?:跟|和|与|同)[^,。?!\x{FF0C}\x{FF1F}]{0,12}?(?:比|相比)|比起|相比`)

// compareCues ask for two things side by side.
var compareCues = []string{"分别", "各是", "各有", "各多少", "各为", "哪个高", "哪个多", "哪个大", "哪个少", "哪个低", "比较", "相比", "对比", "谁高", "谁多",
	// each of two sides asked ("两边每年到底各涨多少", "两地有啥区别")
	"各涨", "各提高", "各增长", "两边", "两地", "俩地方", "两个地方", "有啥区别", "有什么区别", "有何区别"}

// moreCues compare what is asked with something said before it.
var moreCues = []string{"更多", "更高", "更快", "更少", "更低", "更慢", "一样多", "一样高", "差不多"}

// onlyHeard reports whether mention is named only in clauses telling
// what the asker heard (听说, 据说) that ask nothing.
func onlyHeard(folded, mention string) bool {
	for _, c := range clauseRe.Split(spacedClauses(folded), -1) {
		if strings.Contains(c, mention) && (!(containsAny(c, hearsay) || heardFrom.MatchString(c)) || asks(c)) {
			return false
		}
	}
	return true
}

// selfLocated reports whether mention is named only where the asker says
// where they themselves are ("我在深圳,…我爸83了住沙河口…"): the family's
// place is asked about. The clause is 我在 and the place, with at most a
// verb of living or working after it.
func selfLocated(folded, mention string) bool { return located(folded, mention, selfLocation) }

// located reports whether mention is named only in clauses where re finds
// it as its first group.
func located(folded, mention string, re *regexp.Regexp) bool {
	for _, c := range clauseRe.Split(spacedClauses(folded), -1) {
		if !strings.Contains(c, mention) {
			continue
		}
		m := re.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil || m[1] != mention {
			return false
		}
	}
	return true
}

// selfLocation is a clause saying where the asker is or works.
var selfLocation = regexp.MustCompile(`^(?:我|俺)(?:们)?(?:现在|目前|人|自己)?在(\p{Han}{1,8}?)(?:工作|上班|打工|上学|读书|住|生活)?(?:回不去|回不来|顾不上|照顾不了|管不了|离得远|走不开|不在身边|没法照顾)?$`)

// kinLocation is a clause saying where one of the asker's relatives is
// ("我大哥在上海", "我妹在沈阳工作").
var kinLocation = regexp.MustCompile(`^(?:我|俺)(?:家)?(?:大哥|二哥|哥哥|哥|大姐|二姐|姐姐|姐|妹妹|小妹|妹|弟弟|弟|儿子|闺女|女儿|大儿子|小儿子|老大|老二|孩子)(?:一家|他们|她们|现在|目前)?在(\p{Han}{1,8}?)(?:工作|上班|打工|上学|读书|住|生活|定居|安家)?$`)

// origin reports whether the place mention is named as where the asker
// comes from: 从河南(老家)来, 老家(是|在)河南, 河南老家, 河南过来的, 是河南来….
func origin(folded, mention string) bool {
	for at := 0; ; {
		k := strings.Index(folded[at:], mention)
		if k < 0 {
			return false
		}
		before, after := folded[:at+k], folded[at+k+len(mention):]
		if strings.HasSuffix(before, "从") || strings.HasSuffix(before, "老家") || strings.HasSuffix(before, "老家是") ||
			strings.HasSuffix(before, "老家在") || strings.HasPrefix(after, "老家") || strings.HasPrefix(after, "过来的") || strings.HasPrefix(after, "来的") ||
			(strings.HasSuffix(before, "是") && strings.HasPrefix(after, "来")) {
			return true
		}
		at += k + len(mention)
	}
}

// treatedAway reports whether mention is named only as where someone goes
// for treatment ("大连医保 去北京住院能直接结算不"): a covered place's
// insurance used away from home is asked of the covered place. Named again
// otherwise ("北京那边住院能报销多少"), the place is asked about.
func treatedAway(folded, mention string) bool {
	found := false
	for at := 0; ; {
		k := strings.Index(folded[at:], mention)
		if k < 0 {
			return found
		}
		before, after := folded[:at+k], folded[at+k+len(mention):]
		if !(strings.HasSuffix(before, "去") || strings.HasSuffix(before, "到") || strings.HasSuffix(before, "在")) || !startsAny(after, treatment) {
			return false
		}
		found = true
		at += k + len(mention)
	}
}

// treatment are words for being treated somewhere.
var treatment = []string{"住院", "看病", "就医", "治病", "做手术", "治疗", "看门诊", "开刀"}

// whichNamed is the head noun after a which-word of the core (什么平台,
// 哪些设备), "" for none.
func (r *Reader) whichNamed(core string) string {
	var m []string
	for _, loc := range whichRe.FindAllStringSubmatchIndex(core, -1) {
		// 为什么, 凭什么 ask why; 什么时候 when
		if before := core[:loc[0]]; strings.HasSuffix(before, "为") || strings.HasSuffix(before, "凭") || strings.HasPrefix(core[loc[2]:], "时候") {
			continue
		}
		m = []string{core[loc[0]:loc[1]], core[loc[2]:loc[3]]}
		break
	}
	if m == nil {
		return ""
	}
	head := ""
	for _, t := range r.terms(m[1]) {
		if t.Noun && utf8.RuneCountInString(t.Text) >= 2 && !vague[t.Text] {
			head = t.Text
		}
	}
	return head
}

var whichRe = regexp.MustCompile(`(?:什么|啥|哪个|哪些|哪种|哪类|哪家)([\p{Han}]{2,8})`)

// askedOf reports whether a clause of core that asks names mention.
func askedOf(core, mention string) bool {
	for _, c := range clauseRe.Split(core, -1) {
		if strings.Contains(c, mention) && asks(c) {
			return true
		}
	}
	return false
}

// namedBeyondSelf reports whether mention is named in a clause of core
// other than where the asker says they live ("我在浑南住,上海的低保标准是多少"
// asks about 上海).
func namedBeyondSelf(core, mention string) bool {
	for _, c := range clauseRe.Split(core, -1) {
		if t := strings.TrimSpace(c); strings.Contains(t, mention) && !residence(t) && !selfLocation.MatchString(t) && !kinLocation.MatchString(t) {
			return true
		}
	}
	return false
}

// withoutHoldersOf drops a region that holds a foreign place the question
// names: "Anshan, Liaoning" asks about 鞍山, which no document covers,
// not about 辽宁省's cities that some do.
func withoutHoldersOf(rs [][]string, places []Located) [][]string {
	var out [][]string
	for _, r := range rs {
		holds := false
		for _, p := range places {
			if len(p.Region) == 0 && len(p.Place) > len(r) && retrieval.Within(p.Place, r) {
				holds = true
			}
		}
		if !holds {
			out = append(out, r)
		}
	}
	return out
}

// askedOverTold drops a place named only where the asker tells their
// story when the clause that asks names the place holding it: "上周去大连
// 沙河口交流学习,…浑南定的多少,大连定的多少" asks of 大连, not 沙河口.
func askedOverTold(rs [][]string, places []Located, core string) [][]string {
	var out [][]string
	for _, r := range rs {
		told := false
		for _, p := range places {
			if !slices.Equal(p.Place, r) || askedOf(core, p.Mention) {
				continue
			}
			for _, q := range places {
				if q.Mention != p.Mention && len(q.Region) > 0 && len(q.Place) < len(r) && retrieval.Within(r, q.Place) && askedOf(core, q.Mention) {
					told = true
				}
			}
		}
		if !told {
			out = append(out, r)
		}
	}
	return out
}

// innermost drops a region that holds another the question names: "沈阳…
// 我爸在铁西区" asks about 铁西区, whose documents are 沈阳市's, not also
// about 浑南区, which 沈阳市 holds too.
func innermost(rs [][]string) [][]string {
	var out [][]string
	for i, r := range rs {
		holds := false
		for j, o := range rs {
			if i != j && len(o) > len(r) && retrieval.Within(o, r) {
				holds = true
			}
		}
		if !holds {
			out = append(out, r)
		}
	}
	return out
}

func appendRegion(list [][]string, r []string) [][]string {
	key := strings.Join(r, "›")
	for _, x := range list {
		if strings.Join(x, "›") == key {
			return list
		}
	}
	return append(list, r)
}

var adminSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "新区", "街道", "省", "市", "区", "县", "镇", "乡", "旗", "盟"}

func shortPlaceName(name string) string {
	for _, s := range adminSuffixes {
		if short, ok := strings.CutSuffix(name, s); ok && utf8.RuneCountInString(short) >= 2 {
			return short
		}
	}
	return name
}

// IsEnglish reports whether a question is written in English.
func IsEnglish(q string) bool { return isEnglish(retrieval.Fold(q)) }

// An English question may quote a Chinese term ("the allowance for the very
// elderly (高龄津贴)"): it is English while its Latin letters outnumber its
// Chinese characters englishOverHan times over.
func isEnglish(folded string) bool {
	letters, han := 0, 0
	for _, r := range folded {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 128 && unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 3 && han*englishOverHan < letters
}

// englishOverHan is how many Latin letters a question needs for each
// Chinese character to be read as English.
const englishOverHan = 4

// englishTerms replaces an English question by the policy terms its words
// stand for, keeping the English words no entry knows.
func englishTerms(folded string) string {
	// In the question's order, word by word, so that "pneumonia vaccine"
	// reads 肺炎 疫苗 (a kind of vaccine); then what only phrases give
	// (long_term_care), then words the thesaurus does not know.
	var parts []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			parts = append(parts, t)
		}
	}
	words := englishWord.FindAllString(folded, -1)
	// A word read inside a longer phrase the thesaurus knows ("poor" in
	// "extremely poor") stands for the phrase's terms, not its own: only
	// what the whole question expands to is taken word by word.
	whole := retrieval.Expansions(folded)
	kept := map[string]bool{}
	for _, e := range whole {
		kept[e.Term] = true
	}
	// A word no entry knows stays where it stands, so that a name before a
	// noun (HPV vaccination: hpv 疫苗) reads as a kind of it.
	for k, w := range words {
		if (w == "how" || w == "where") && k+2 < len(words) && howProcedure[words[k+1]] && (words[k+1] == "to" || howSubject[words[k+2]]) {
			// "how do I transfer…", "where do I submit…": the word after it
			// is what is asked how (or where) to do, weighed as a Chinese
			// how-question's action is; no document gives an office.
			add("how")
			continue
		}
		es := retrieval.Expansions(w)
		for _, e := range es {
			if kept[e.Term] {
				add(e.Term)
			}
		}
		if len(es) == 0 && !retrieval.IsStopword(w) {
			add(w)
		}
	}
	for _, e := range whole {
		add(e.Term)
	}
	// Chinese words it quotes are the documents' own.
	for _, h := range hanRun.FindAllString(folded, -1) {
		add(h)
	}
	return strings.Join(parts, " ")
}

// howProcedure are the words after "how" that ask how to do something
// ("how do I", "how can she", "how to"), not how much or how many.
var howProcedure = map[string]bool{"do": true, "does": true, "can": true, "could": true, "should": true, "would": true, "to": true}

// howSubject is who does it, in "how do I …": a person, so that the next
// word is the action ("how can his family get…" names a thing first).
var howSubject = map[string]bool{"i": true, "we": true, "you": true, "one": true, "she": true, "he": true, "they": true}

// digitYears writes in digits a year spoken in Chinese numerals, as voice
// typing and elders write it: 二零二五年 → 2025年, and a two-digit year of
// this century after a word that places it in time or a place (到二五年,
// 沙河口区一五年的时候 → 2025年, 2015年). Two numerals after anything else are a span
// (干了二三年, 三五年内) and stay.
func digitYears(folded string) string {
	folded = fullYear.ReplaceAllStringFunc(folded, func(m string) string {
		return numeralDigits.Replace(strings.TrimSuffix(m, "年")) + "年"
	})
	folded = shortYear.ReplaceAllStringFunc(folded, func(m string) string {
		sm := shortYear.FindStringSubmatch(m)
		return sm[1] + "20" + numeralDigits.Replace(sm[2]) + "年" + sm[3]
	})
	// 2016年报告 is the 2016 report, not 年报 (an annual report) and 告…:
	// written as 2016年的报告, it is cut so (a space would end the clause)
	return yearRunOn.ReplaceAllString(folded, "${1}的$2")
}

// yearRunOn is a year written in digits run on into 报告 or 报道.
var yearRunOn = regexp.MustCompile(`(\d{2,4}年)(报告|报道)`)

// currentYear reads the year it is, written as a number, as 今年 where the
// asker means the present: beside 现在 or 今年 in its clause ("那现在都2026年
// 了,涨到多少了", "今年2026年呢"), in a question whose asking clause says 今年
// ("今年涨多少?2026年的调整出来没有"), or bare in Chinese keywords ("沈阳 养老金
// 2026 涨幅"). The documents' latest figure, labelled with its year, is then
// the closest they have. The year alone in a sentence ("浑南2026年低保标准是多
// 少"), or beside a 现在 of the asker's story ("现在靠低保过日子,想知道2026年
// 那年…"), asks that year's figure, which no document written before it states.
func currentYear(folded string, year int) string {
	y := strconv.Itoa(year)
	if !strings.Contains(folded, y) {
		return folded
	}
	now := false
	for _, c := range clauseRe.Split(folded, -1) {
		now = now || (containsAny(c, nowWords) && (strings.Contains(c, y) || asks(c)))
	}
	if !now && !isEnglish(folded) {
		// bare, as a keyword: no 年 (or 级, 届) after it
		for _, m := range bareYear.FindAllStringSubmatchIndex(folded, -1) {
			if m[2] >= 0 && folded[m[2]:m[3]] == y {
				now = true
			}
		}
	}
	if !now {
		return folded
	}
	folded = strings.ReplaceAll(folded, y+"年", "今年")
	if !strings.Contains(folded, y) {
		return folded
	}
	// the bare year as a word of its own: in English any, in Chinese only
	// a keyword between spaces (领2026元 is an amount)
	re, this := bareYear, "今年"
	if isEnglish(folded) {
		re, this = wholeYear, "this year"
	}
	return re.ReplaceAllStringFunc(folded, func(m string) string {
		if strings.TrimSpace(m) == y {
			return strings.Replace(m, y, this, 1)
		}
		return m
	})
}

// wholeYear is a year written in digits as a word of its own.
var wholeYear = regexp.MustCompile(`\b20\d\d\b`)

// bareYear is a year written as a keyword, with nothing after it or a space.
var bareYear = regexp.MustCompile(`(?:^|\s)(20\d\d)(?:\s|$)`)

var (
	// nowWords place a question in the present.
	nowWords = []string{"现在", "今年", "目前", "如今", "眼下", "当前", "this year", "currently", " now"}
	fullYear = regexp.MustCompile(`[一二][〇零○一二三四五六七八九]{3}年`)
	// (not 一二年级, 一二年内: a grade or a span)
	shortYear     = regexp.MustCompile(`([到在于从那是个,区市县])([一二][〇零○一二三四五六七八九])年([^级内间]|$)`)
	numeralDigits = strings.NewReplacer("〇", "0", "零", "0", "○", "0", "一", "1", "二", "2", "三", "3", "四", "4", "五", "5", "六", "6", "七", "7", "八", "8", "九", "9")
)

// pinyinWords are the document words an English question spells in
// pinyin ("gaoling jintie" for 高龄 津贴, "hunnan"), each with a leading
// space; words of fewer than two syllables' letters are left alone.
func (r *Reader) pinyinWords(folded string) string {
	var b strings.Builder
	for _, w := range englishWord.FindAllString(folded, -1) {
		if len(w) < 5 || retrieval.IsStopword(w) || len(retrieval.Expansions(w)) > 0 {
			continue
		}
		if c := r.typos.spelled(w); c != "" {
			b.WriteString(" " + c)
		}
	}
	return b.String()
}

// englishTopicLetters is the length from which an English word the
// thesaurus does not know may name the topic.
const englishTopicLetters = 6

// englishAsked is the last clause of an English core that asks and names
// a topic of the documents, with the clauses before it that belong to the
// question (see below), when clauses of account come before it; else the
// core.
func englishAsked(core string) string {
	core = digitComma.ReplaceAllString(core, "$1$2") // 1,500 is one number
	clauses := clauseRe.Split(core, -1)
	if len(clauses) < 2 {
		return core
	}
	for i := len(clauses) - 1; i > 0; i-- {
		c := strings.TrimSpace(clauses[i])
		if !englishAsks.MatchString(c) || !accountTopic(c) {
			continue
		}
		if englishPointer.MatchString(c) {
			// "how much will a child like that get", "how many such
			// stations": asked of what the clause before it told
			return strings.TrimSpace(clauses[i-1]) + "," + c
		}
		// What the asker says of themselves stays when they ask for
		// themselves ("I'm a migrant worker in Xiangyang. What do I need…"):
		// it is who the rules are asked for. Asking of others ("…for people
		// with severe disabilities"), who they are ("Korean expats") is not.
		// A clause that asks too, names a year or quotes a name stays, and
		// so does a short lead-in right before the question (according to
		// the plan, …).
		var kept []string
		for j, a := range clauses[:i] {
			a = strings.TrimSpace(a)
			if (englishSelf.MatchString(c) && englishAccount.MatchString(a)) || (englishAsks.MatchString(a) && !relativeClause.MatchString(a)) ||
				yearDigits.MatchString(a) || quotedName.MatchString(a) || (j == i-1 && len(strings.Fields(a)) <= englishLeadInWords) {
				kept = append(kept, a)
			}
		}
		return strings.Join(append(kept, c), ",")
	}
	return core
}

// englishLeadInWords is the longest clause kept as the question's lead-in
// (by 2025, according to the plan).
const englishLeadInWords = 4

// relativeClause opens a clause telling of what was just named ("…his
// grandmother, who gets about 1,500 yuan"), not one asking.
var relativeClause = regexp.MustCompile(`^(?:who|which|whose|where) `)

// quotedName is a name in quotes ('Sunshine Project', “三级五方”).
var quotedName = regexp.MustCompile(`'[^']{2,}'|"[^"]+"|“[^”]+”|‘[^’]+’`)

// digitComma is a thousands separator.
var digitComma = regexp.MustCompile(`(\d),(\d{3})`)

// englishSelf is an English question asked for the asker.
var englishSelf = regexp.MustCompile(`\b(?:i|me|my|we|us|our)\b`)

// englishPointer points back at what the account told.
var englishPointer = regexp.MustCompile(`\b(?:like that|like this|like them|like him|like her|such a|such|in that case|in this case|that kind|this kind|those|these)\b`)

// englishFigureCues ask for a number in English.
var englishFigureCues = []string{"how much", "how many", "percentage", "exact figure", "exact number", "what coverage", "coverage rate", "what yearly", "what annual",

	"what is the monthly", "what's the monthly", "what is the annual", "what's the annual", "what is the standard", "what's the standard", "what level", "what average", "what proportion", "what rate", "what share", "what amount", "the amount", " amount", "payout", "pay out", "target", " rate", "per-person", "per person", "per capita",
	// the level something came to ("what did the payment rise to")
	" rise to", " rose to", " raised to", " increase to", " increased to", " go up to", " went up to"}

// englishCost asks a price in English: "what does a meal cost" (a bare
// "cost" is also the yes/no "does it cost anything").
var englishCost = regexp.MustCompile(`\bwhat (?:does|do|will|would) [^,.?]*\bcost\b`)

// englishPriceCues, in a question asking a figure, ask what something
// costs: an amount of money.
var englishPriceCues = []string{"the price", "price of", "cost of"}

// englishNotFigure names a procedure or a rule after the figure cue: "what
// is the minimum living allowance application process" asks no number.
var englishNotFigure = regexp.MustCompile(`\bwhat(?:'s| is)\b[^,.?]*\b(?:process|procedure|policy|policies|application|requirements?|conditions?|eligibility|rules?)\b`)

// englishWhatFigure asks a figure by the measure it names: "what will the
// monthly basic living allowance … be", "what's the maximum loan".
var englishWhatFigure = regexp.MustCompile(`\bwhat(?:'s| is| was| will| would)(?: be)? the (?:monthly|annual|yearly|maximum|minimum|highest|lowest|standard|amount|level|rate|target|price|cost)\b` +
	// or by a thing that is an amount of money (what is shenyang's minimum wage)
	// (the place is gone from the core: "what is  's minimum wage")
	`|\bwhat(?:'s|\s+is|\s+was|\s+will\s+be)\s+(?:[\w']+\s+){0,3}?(?:wage|wages|salary|price|fee|fees|rent)\b`)

// englishRateCues ask how much something grows.
var englishRateCues = []string{"yearly increase", "yearly rise", "yearly growth", "increase per year", "increase a year", "rise per year", "growth per year", "by what percentage", "by what minimum percentage", "percentage per year", "percent per year", "percent a year", "by how much", "by at least how much", "rise each year", "rise every year", "grow each year", "grow every year", "annual increase", "annual growth", "growth rate", "how fast", "increase each year", "raised each year"}

var englishWord = regexp.MustCompile(`[a-z]+(?:-[a-z]+)*|\d+`)

// hanRun is a run of Chinese characters in an English question.
var hanRun = regexp.MustCompile(`\p{Han}+`)

func latinWord(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return s != ""
}

// searchWords are the search words of folded text with the thesaurus's
// policy terms added at a share of their word's weight.
func searchWords(folded string) map[string]float32 {
	words := map[string]float32{}
	for _, w := range retrieval.SearchWords(retrieval.BlankQuestionWords(folded)) {
		words[w] = 1
	}
	for _, e := range retrieval.Expansions(folded) {
		for _, t := range retrieval.SearchWords(e.Term) {
			words[t] = max(words[t], e.Weight*retrieval.ExpandWeight)
		}
	}
	return words
}

// spokenForm reads 老人家, an everyday word for an old person, whose 家 the
// dictionary glues to the next word ("老人家装智能设备" cuts 老人/家装, a
// thing no document names), as 老人 — unless 家 starts a word there that
// the documents write or a stopword (老人家庭医生, 老人家居, 老人家里).
func (r *Reader) spokenForm(folded string) string {
	folded = replaceEach(folded, spokenPercent, func(start, end int) string {
		m := spokenPercent.FindStringSubmatch(folded[start:end])
		if strings.HasPrefix(folded[end:], "几") || strings.HasPrefix(folded[end:], "多") {
			return folded[start:end] // 百分之十几 asks a share
		}
		if m[1] == "百" || m[3] == "百" {
			return "100%"
		}
		v, ok := parseAmount(m[1])
		if !ok {
			return folded[start:end]
		}
		if m[2] != "" {
			// 百分之零点五: each digit after 点 a tenth of the one before
			place := 0.1
			for _, r := range strings.TrimPrefix(m[2], "点") {
				v += digitOf[r] * place
				place /= 10
			}
		}
		return strconv.FormatFloat(v, 'f', -1, 64) + "%"
	})
	folded = dialectAsk.ReplaceAllString(folded, "${1}什么")
	folded = dialectHow.ReplaceAllString(folded, "${1}怎么样")
	return replaceEach(folded, spokenFormRe, func(start, end int) string {
		rest := []rune(folded[end-len("家"):])
		for n := 2; n <= 3 && n <= len(rest); n++ {
			if w := string(rest[:n]); r.corpus.Written(w) || retrieval.IsStopword(w) {
				return folded[start:end]
			}
		}
		return "老人"
	})
}

var spokenFormRe = regexp.MustCompile(`老人家`)

// spokenPercent is a share said in words (百分之八十, 四个百分之百), read
// as the documents write it (80%, 100%); 百分之几 asks one and stays.
// 百分百 is said for 百分之百 (四个百分百).
var spokenPercent = regexp.MustCompile(`百分之([零一二两三四五六七八九十百]+)(点[零一二三四五六七八九]+)?|百分(百)`)

// dialectAsk and dialectHow are Hubei and southwestern question words (么子,
// 啥子 for 什么; 么样 for 怎么样), read as the Mandarin ones so that the
// clause is seen to ask ("这五方都是么子"). Not inside 什么子女 or 怎么样.
var (
	dialectAsk = regexp.MustCompile(`(^|[^什怎这那多要])(?:么子|啥子)`)
	dialectHow = regexp.MustCompile(`(^|[^什怎这那多要])么样`)
)

// quantityWords are blanked before judging a question's words, so that
// 多大面积 does not come out as the word 大面积.
var quantityWords = strings.NewReplacer("几比几", " ", "多少比多少", " ", "百分之几", " ", "百分之多少", " ", "几块钱", " ", "块钱", " ", "元钱", " ", "一针", " ", "一顿饭", " ", "售价", " ", "票价", " ", "价钱", " ", "一顿", " ", "一餐", " ", "一碗", " ", "多少块", " ", "多长时间内", " ", "多久内", " ", "多长时间", " ", "多少时间", " ", "多少", " ", "多大", " ", "多高", " ", "多长", " ", "多久", " ", "几个", " ", "几家", " ", "几所", " ")

// onlyThen is 才 saying "only then" (多大岁数的老人才有): cut apart from the
// word before it, which the dictionary would otherwise glue into another
// (老人才有 as 老 人才 有).
var onlyThen = regexp.MustCompile(`才(有|能|可以|会|给|行|算|够)`)

// splitOnlyThen puts a space before each 才 of "only then" whose two
// characters before make a word (老人才有 → 老人 才有); where they do not,
// the one before may make a word with 才 (沈阳人才有什么补贴, 引进人才能享受).
func splitOnlyThen(s string) string {
	return replaceEach(s, onlyThen, func(start, end int) string {
		before := []rune(s[:start])
		if len(before) >= 1 {
			pair := ""
			if len(before) >= 2 {
				pair = string(before[len(before)-2:])
			}
			_, pairWord := retrieval.WordPOS(pair)
			if pos, ok := retrieval.WordPOS(string(before[len(before)-1]) + "才"); !pairWord && ok && strings.HasPrefix(pos, "n") {
				return s[start:end]
			}
		}
		return " " + s[start:end]
	})
}

// sayingVerbs after 怎么 ask what a rule says, not how to do something:
// "文件对零就业家庭是怎么要求的" asks for the requirement.
var sayingVerbs = map[string]bool{"回事": true, "要求": true, "规定": true, "说": true, "写": true, "讲": true, "定": true,
	"安排": true, "解释": true, "回答": true, "答复": true, "看": true, "说的": true, "写的": true,
	// 怎么收费 asks the price, not how to charge
	"收费": true, "收钱": true, "算钱": true}

// afterHow asks how to do the thing named just before it (备案咋弄).
var afterHow = regexp.MustCompile(`(?:咋|怎么|如何)(?:弄|整|搞|办理)(?:啊|呀|呢|吧)?(?:$|[,。?!\x{FF0C}\x{FF1F}\s])`)

// focusBefore makes the noun of terms written last before an afterHow
// phrase of folded the focus, as a how-word before it would.
func (p Policy) focusBefore(folded string, terms []Term) {
	loc := afterHow.FindStringIndex(folded)
	if loc == nil {
		return
	}
	best, at := -1, -1
	for i, t := range terms {
		if t.Focus {
			return // a how-word before already named it
		}
		if k := strings.LastIndex(folded[:loc[0]], t.Text); k > at && t.Noun && utf8.RuneCountInString(t.Text) >= 2 {
			best, at = i, k
		}
	}
	// a thing the thesaurus or a kind of measure names (上学咋整, 待遇咋弄)
	// asks what there is for it, not a procedure
	if best >= 0 && at+len(terms[best].Text) == loc[0] && !kinds[terms[best].Text] && !vague[terms[best].Text] && len(retrieval.PolicyTerms(terms[best].Text)) == 0 && !retrieval.InThesaurus(terms[best].Text) {
		terms[best].Focus, terms[best].Weight = true, p.FocusWeight
	}
}

// mayWords ask whether something may be done ("能不能一次性补缴"): the
// verb after them is the action asked, which must be covered as a
// how-question's is.
var mayWords = map[string]bool{"能不能": true, "可不可以": true, "能否": true, "可否": true}

// entitleVerbs after a may-word ask whether the thing is for the asker
// ("他能不能享受"), not about an action of its own: the thing must be covered.
var entitleVerbs = map[string]bool{"享受": true, "申请": true, "领": true, "领取": true, "办理": true, "办": true, "参加": true, "报名": true,
	"得到": true, "拿到": true, "获得": true, "用": true, "使用": true, "去": true, "进": true, "住": true, "上": true, "算": true, "有": true, "给": true, "要": true,
	// whether the thing meets a need ("居住证能不能解决子女上学的问题"): the need is what is asked
	"解决": true, "管": true}

// howWords introduce the action a question asks how to do.
var howWords = map[string]bool{"怎么": true, "如何": true, "怎样": true, "咋": true, "怎么样": true, "怎么才能": true, "如何才能": true, "咋样": true, "how": true}

// terms segments a folded question into judged words, each span once.
func (r *Reader) terms(folded string) []Term {
	p := r.policy
	var out []Term
	seen := map[string]bool{}
	focus, mayFocus, prev := false, false, ""
	named := quotedNumbers(folded)
	for _, tok := range retrieval.CutWords(splitOnlyThen(quantityWords.Replace(docPointers.Replace(folded)))) {
		w := wholeOf(tok.Text, r.corpus.Written)
		if named[w] && !seen[w] {
			// A quoted number names a programme ("532" 工程): the topic.
			seen[w] = true
			out = append(out, Term{Text: w, Noun: true, Weight: p.NounWeight})
			continue
		}
		if howWords[w] {
			focus = true // the next word is what the question is about
			continue
		}
		if mayWords[w] || (w == "不能" && prev == "能") || (w == "不可以" && prev == "可") {
			mayFocus = true // the next verb is what is asked to be allowed
			prev = w
			continue
		}
		prev = w
		if retrieval.IsStopword(w) || !retrieval.IsWord(w) || isNumber(w) {
			continue // particles do not end the focus
		}
		wasFocus := focus
		focus = false
		if seen[w] {
			// named before it is asked how ("想申请适老化改造 咋申请"): the
			// word is still what the how-question asks about
			if i := slices.IndexFunc(out, func(t Term) bool { return t.Text == w }); wasFocus && i >= 0 && !sayingVerbs[w] && utf8.RuneCountInString(w) > 1 {
				out[i].Weight, out[i].Focus = p.FocusWeight, true
			}
			continue
		}
		seen[w] = true
		// A word the thesaurus knows names a topic (低保, 退休金), whatever
		// part of speech the general dictionary gives it.
		pos := tok.POS
		// So does a term the documents use that the dictionary tags as an
		// attribute, a state, an abbreviation or a set phrase (无障碍 b,
		// 医疗纠纷 z): 筹集 and 改造 stay the asker's actions, 每月 a time.
		if len(retrieval.PolicyTerms(w)) > 0 || (retrieval.IsPolicyTerm(w) && strings.Contains("bzjli", pos) && len(pos) == 1) {
			pos = "n"
		}
		if verb := strings.HasPrefix(pos, "v") && pos != "vn"; verb || isNounPOS(pos) {
			wasFocus = wasFocus || (mayFocus && verb && !entitleVerbs[w])
			mayFocus = false // an adverb between (一次性) keeps looking
		}
		t := Term{Text: w, Noun: isNounPOS(pos)}
		t.Weight = p.posWeight(pos)
		if latinWord(w) && pos != "n" {
			// English words the thesaurus does not know are mostly grammar
			// and setting (new, plan, very): they count as little as a
			// Chinese question's particles. Longer ones are as likely the
			// topic the thesaurus lacks (payout, pension-card) and count as
			// a verb does, so that an unknown topic lowers coverage.
			t.Weight, t.Noun = p.MinorWeight, false
			if len(w) >= englishTopicLetters {
				t.Weight = p.VerbWeight
			}
		}
		switch {
		case utf8.RuneCountInString(w) == 1:
			t.Weight = p.SingleCharWeight
		case (strings.HasPrefix(w, "几") || strings.HasPrefix(w, "多少")) && !r.corpus.Written(w):
			// a quantity asked, cut as one word (几万人, 多少户): it asks
			// the figure and names no thing
			t.Weight, t.Noun = p.MinorWeight, false
		case ways[w] && !r.corpus.Written(w):
			// a way of doing no document writes (具体措施, 门路) says how
			// the asker puts it, not what they ask about
			t.Weight = p.MinorWeight
		case wasFocus && !sayingVerbs[w]:
			t.Weight, t.Focus = p.FocusWeight, true
		}
		out = append(out, t)
	}
	p.focusBefore(folded, out)
	return out
}

// wholeOf is w without a leading 总 (whole, in all) that no document writes
// with it, where the documents write the rest: 总任务 asks the 任务 of
// "完成1万户…改造任务", 总户数 the 户数. (总医院 reads as 医院 too: a
// hospital all the same.)
func wholeOf(w string, written func(string) bool) string {
	rest, ok := strings.CutPrefix(w, "总")
	if !ok || utf8.RuneCountInString(rest) < 2 || written == nil || written(w) || !written(rest) {
		return w
	}
	return rest
}

// quotedNumbers are the numbers a question puts in quotation marks.
func quotedNumbers(folded string) map[string]bool {
	var out map[string]bool
	for _, m := range quotedNumber.FindAllStringSubmatch(folded, -1) {
		if out == nil {
			out = map[string]bool{}
		}
		out[m[1]] = true
	}
	return out
}

var quotedNumber = regexp.MustCompile(`["“”'‘’「」]\s*(\d{2,})\s*["“”'‘’「」]`)

func isNumber(w string) bool {
	_, err := strconv.ParseFloat(strings.TrimSuffix(w, "%"), 64)
	return err == nil
}

func isNounPOS(pos string) bool {
	if pos == "" || pos == "vn" || pos == "eng" {
		return true
	}
	switch pos[0] {
	case 'n', 's', 'l', 'j', 'i', 'x':
		return true
	}
	return false
}

func (p Policy) posWeight(pos string) float64 {
	if isNounPOS(pos) {
		return p.NounWeight
	}
	switch pos[0] {
	case 'm', 'q', 'r', 't', 'f', 'd', 'p', 'c', 'u', 'y', 'e', 'o':
		return p.MinorWeight
	}
	return p.VerbWeight
}

// hasTopic reports whether folded text has a word that is no stopword.
func hasTopic(folded string) bool {
	for _, w := range retrieval.SearchWords(folded) {
		if !retrieval.IsStopword(w) && !greetingWords[w] {
			return true
		}
	}
	return false
}

// secondAsk is an enumeration comma before a second question ("补贴标准是
// 多少、怎么申请"): it ends a clause, so that each question is judged on
// its own and a missing how-to does not hide the figure asked.
var secondAsk = regexp.MustCompile(`、(怎么|如何|咋|怎样|哪里|哪儿|去哪|多少|几|什么时候|啥时候)`)

var clauseRe = regexp.MustCompile(`[,。;!?\x{FF0C}\x{FF1B}\x{FF01}\x{FF1F}\n]+`)

// comparesAmount asks which of two is more ("到2025年哪边覆盖得多", "哪个
// 高"): a figure of each answers it.
var comparesAmount = regexp.MustCompile(`(?:哪个|哪边|谁家|谁)[^,。?!\x{FF0C}\x{FF1F}]{0,6}?(?:更)?(?:多|高|低|少|大|快)(?:一些|一点|些|点)?(?:啊|呢|呀|吗)?$`)

// comparesIn reports whether a clause of core asks which of two things
// the core compares (跟/和/比/与/还是/两) is more.
func comparesIn(core string) bool {
	return containsAny(core, comparedCues) && slices.ContainsFunc(clauseRe.Split(core, -1), comparesAmount.MatchString)
}

// asksWhichMore reports whether a clause of folded (commas or spaces
// parting them) asks which of two is more (哪个高, 哪边多).
func asksWhichMore(folded string) bool {
	return slices.ContainsFunc(clauseRe.Split(strings.Join(strings.Fields(folded), ","), -1), comparesAmount.MatchString)
}

// sides splits a clause comparing two things at its first joining word
// (跟, 和, 与, 比) and reads each side's topical words, verbs as well as
// nouns (the dictionary tags 特困 and 供养 as verbs), less those both share and
// kinds of measure (标准); nil unless both sides keep one.
func (r *Reader) sides(clause string) [][]string {
	at, cue := -1, ""
	for _, c := range []string{"跟", "和", "与", "比"} {
		if i := strings.Index(clause, c); i > 0 && (at < 0 || i < at) {
			at, cue = i, c
		}
	}
	if at < 0 {
		return nil
	}
	left, right := clause[:at], clause[at+len(cue):]
	if m := sideEnd.FindStringIndex(right); m != nil {
		right = right[:m[0]]
	}
	return r.sideWords(left, right)
}

// sideWords reads each of two texts' topical words, verbs as well as nouns,
// less those both share and kinds of measure; nil unless both keep one.
func (r *Reader) sideWords(left, right string) [][]string {
	nouns := func(text string) []string {
		var out []string
		for _, t := range r.terms(quantityWords.Replace(text)) {
			if (t.Noun || t.Weight >= r.policy.VerbWeight) && utf8.RuneCountInString(t.Text) >= 2 && !kinds[t.Text] && !vague[t.Text] {
				out = append(out, t.Text)
			}
		}
		return out
	}
	l, rt := nouns(left), nouns(right)
	l2 := slices.DeleteFunc(slices.Clone(l), func(w string) bool { return slices.Contains(rt, w) })
	r2 := slices.DeleteFunc(slices.Clone(rt), func(w string) bool { return slices.Contains(l, w) })
	if len(l2) == 0 || len(r2) == 0 {
		return nil
	}
	return [][]string{l2, r2}
}

// figureClauses are the words of the first two clauses of core that each
// ask a figure, as sideWords reads them; nil unless there are two.
func (r *Reader) figureClauses(core string) [][]string {
	var asking []string
	for _, c := range clauseRe.Split(core, -1) {
		if c = strings.TrimSpace(c); c != "" && retrieval.AsksForFigure(c) {
			asking = append(asking, c)
		}
	}
	if len(asking) < 2 {
		return nil
	}
	return r.sideWords(asking[0], asking[1])
}

// sideEnd ends the second side of a comparison: the asking words after it.
var sideEnd = regexp.MustCompile(`哪个|哪边|哪样|谁|分别|各|相比|比较|是多少|多少|几`)

var comparedCues = []string{"和", "跟", "比", "与", "还是", "两"}

// approxFigure tells a rough sum (每月能领几百块), asking it only where no
// later clause asks ("他老战友每月能领几百块高龄补贴,…大连的每月发多少钱").
var approxFigure = regexp.MustCompile(`几(?:百|千|万)(?:块|元|多)`)

// toldFigure opens a clause telling what the asker heard or read
// (听说, 文件里还说, 报告上写着).
var toldFigure = regexp.MustCompile(`^(?:我|俺)?(?:还|也)?(?:听说|听人说|听邻居说|听社区说|据说|人家说|都说|(?:文件|报告|通知|新闻|电视|社区|网上)(?:里|上|中)?(?:还|也)?(?:说|讲|写着|写了|提到))`)

// asksAsQuestion reports whether a clause, its question marks trimmed,
// ends as a question does: a particle (吗, 么, 呢, 没, 不, 没有) or the
// figure asked (多少, 几).
func asksAsQuestion(c string) bool {
	c = strings.TrimRight(strings.TrimSpace(c), "?？")
	for _, p := range []string{"吗", "么", "呢", "没", "不", "没有", "多少", "几"} {
		if strings.HasSuffix(c, p) {
			return true
		}
	}
	return false
}

// reportedAsk tells what someone else asked (他就问…, 她老问…, 老人问…).
var reportedAsk = regexp.MustCompile(`^(?:他|她|老人|老头|老太太|我爸|我妈|俺爸|俺妈|居民|邻居)(?:就|也|老|总|一直|天天|还)?(?:问|打听)`)

// unknownFigure is a figure someone does not know (多少她也说不清楚).
var unknownFigure = regexp.MustCompile(`(?:多少|几)[^,]{0,8}(?:说不清|说不上|不清楚|不知道|记不清|记不住|搞不清|弄不清|闹不清)`)

// asksFigureOf reports whether clause c asks a figure and names what of:
// "到底是多少来着" asks of the clause before it.
func asksFigureOf(c string) bool {
	rest := askFiller.ReplaceAllString(c, "")
	n := 0
	for _, r := range rest {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return retrieval.AsksForFigure(c) && n >= 2
}

// askFiller are the words of a clause that only asks.
var askFiller = regexp.MustCompile(`多少|几|是|到底|来着|呢|啊|吗|呀|钱|块|元|每月|一个月|每个月|具体|大概|能|给|有|的|了|现在|那|这|我|也|不知道|都`)

// figureClause is the clause of a question that asks for a figure.
func figureClause(text string) string {
	clauses := fromAskMark(clauseRe.Split(text, -1))
	for i, c := range clauses {
		if (unknownFigure.MatchString(c) || approxFigure.MatchString(c)) && slices.ContainsFunc(clauses[i+1:], asksFigureOf) {
			// "具体多少她也说不清楚,…标准每月是多少": someone not knowing
			// the figure is the story; the question asks it after.
			continue
		}
		if reportedAsk.MatchString(c) && slices.ContainsFunc(clauses[i+1:], asksFigureOf) {
			// "他就问大连有没有、给多少,大连的高龄津贴每月发多少钱": what
			// someone asked is told; the asker asks it after.
			continue
		}
		if toldFigure.MatchString(c) && !asksAsQuestion(c) && slices.ContainsFunc(clauses[i+1:], asksFigureOf) {
			// "文件里还说要按比例一年年往上涨,想问问到2025年能涨到每月多
			// 少钱": what the asker heard holds a figure's word; the
			// question asks after.
			continue
		}
		if retrieval.AsksForFigure(c) || (comparesAmount.MatchString(c) && comparesIn(text)) {
			// "…人均低保金和…低保标准,哪个高?": a clause that only asks
			// asks about the one before it.
			if i > 0 && utf8.RuneCountInString(strings.TrimSpace(c)) <= bareAskRunes {
				return clauses[i-1] + "," + c
			}
			return c
		}
	}
	return text
}

// priceKeywords reads keywords ending in a word for what something costs
// ("浑南 老年人助餐 一顿饭 价格") as asking 多少钱: the price is the
// figure asked, not the thing it is asked of (价格 is also a word of the
// documents' own, 价格临时补贴).
func priceKeywords(core string) string {
	c, ok := keywordForm(core)
	if !ok {
		return core
	}
	// a keyword that is a price word alone, or with a measure (每餐价格),
	// wherever it stands among the others ("浑南 老年助餐 价格 一顿")
	for start := 0; start < len(c); {
		end := strings.IndexAny(c[start:], " ,")
		if end < 0 {
			end = len(c)
		} else {
			end += start
		}
		k := c[start:end]
		for _, v := range []string{"价格", "价钱", "费用", "收费"} {
			// a keyword of a few characters asks the price; a longer one
			// names its own thing ("骨灰海葬的费用", where 费用 is a search word)
			// before the last, only the price word alone or after a
			// measure (每餐价格): 取暖费用 there names its own thing
			last := end == len(c)
			if strings.HasSuffix(k, v) && utf8.RuneCountInString(k) <= priceKeywordRunes && (last || k == v || strings.HasPrefix(k, "每") || strings.HasPrefix(k, "一")) {
				return c[:end-len(v)] + "多少钱" + c[end:]
			}
		}
		start = end + 1
	}
	return core
}

// priceKeywordRunes is the longest last keyword read as a price asked
// (每餐价格); longer, it names its own thing (骨灰海葬的费用).
const priceKeywordRunes = 4

// keywordsForValue reports whether folded text is a string of keywords,
// typed as into a search box, ending in what names a value ("浑南 育儿补贴
// 标准"): it asks for that value as "…标准是多少" does.
func keywordsForValue(core string) bool {
	c, ok := keywordForm(core)
	if !ok {
		return false
	}
	// the value word ends the keywords, or stands as one of them ("大连
	// 高龄津贴 标准 每月"; 申请标准 there is who may apply)
	for _, v := range []string{"标准", "金额", "多少钱"} {
		if strings.HasSuffix(c, v) {
			return true
		}
	}
	for _, k := range strings.FieldsFunc(c, func(r rune) bool { return r == ' ' || r == ',' }) {
		if k == "标准" || k == "金额" || k == "多少钱" || measureKeyword(k) {
			return true
		}
	}
	return false
}

// measureKeyword is a keyword naming a measure whose value is searched
// for ("浑南 适老化改造 户数", "普惠幼儿园 覆盖率 2023年 2025年"): a count
// or a rate of a few characters.
func measureKeyword(k string) bool {
	if measureWords[k] {
		return true
	}
	return strings.HasSuffix(k, "率") && utf8.RuneCountInString(k) >= 2 && utf8.RuneCountInString(k) <= measureKeywordRunes
}

// measureWords are counts and shares searched for as keywords.
var measureWords = map[string]bool{"户数": true, "人数": true, "个数": true, "数量": true, "比例": true, "占比": true, "面积": true}

// countWords are counts: what is counted, never the thing asked about
// (浑南 社区食堂 个数 asks of 社区食堂; 上门服务每月多少小时 of 上门服务).
// A share (比例能到多少) may be.
var countWords = map[string]bool{"户数": true, "人数": true, "个数": true, "数量": true, "小时": true, "次数": true, "天数": true}

// measureKeywordRunes is the longest rate keyword read as a measure
// (覆盖率, 参保率); longer, it names its own thing.
const measureKeywordRunes = 4

// keywordForm is core trimmed when it is keywords (浑南 低保 标准) or a
// noun phrase with 的 (高龄津贴的发放标准) standing for the whole question,
// asking nothing in words.
func keywordForm(core string) (string, bool) {
	c := strings.TrimRight(strings.TrimSpace(core), "?!。.")
	return c, c != "" && !asks(c) && strings.ContainsAny(c, " ,的")
}

// bareAskRunes is the most a clause that only asks (哪个高, 各是多少) runs to.
const bareAskRunes = 5

// AsksHow reports whether folded text asks how to do something. It is the
// one how-question detector: judging and the records refusal both use it.
func AsksHow(text string) bool {
	for w := range howWords {
		if strings.Contains(text, w) && w != "how" {
			return true
		}
	}
	return strings.Contains(text, "how to") || strings.Contains(text, "how do") || strings.Contains(text, "how can")
}

// ownArea are words for the asker's own area, whichever it is.
var ownArea = []string{"我们区", "我们这", "咱们这", "咱这", "我们市", "我们社区", "本地", "当地", "我们那"}

// rateCues ask how fast a figure grows, not how large it is.
var rateCues = []string{"提高", "增长", "涨", "增幅", "幅度", "比例", "百分", "提升"}

// moneyClause reports whether a clause asking for a figure asks for an
// amount of money by what it names: a benefit's 标准, or a thing that is a
// sum of money (人均低保金是多少, 生活费多少); not when it asks how fast it
// grows, or counts in another unit (护理补贴发给多少人).
func moneyClause(clause string) bool {
	if containsAny(clause, rateCues) || askedUnit(clause) != "" {
		return false
	}
	// A benefit's 标准 is its amount; a quantity's (抽检量有什么标准) is a
	// count or a share.
	return (strings.Contains(clause, "标准") && !measuredNoun.MatchString(clause)) || moneyNounRe.MatchString(clause)
}

// measuredNoun names a quantity rather than a benefit.
var measuredNoun = regexp.MustCompile(`量|率|比例|数量|人数|面积|占比`)

// moneyNounRe finds a thing that is a sum of money; 免费 is none.
var moneyNounRe = regexp.MustCompile(`金|(?:^|[^免])费|津贴|补贴|补助|工资|(?:^|[^没要])钱`)

// rateAsked finds a question for how much something grows: 每年能涨多少,
// 涨多少, 增幅; not 提高到多少 (the level reached).
// A count after it (增加多少张) asks how many were added, not how fast.
var rateAsked = regexp.MustCompile(`(?:涨|提高|增长|上调|增加|提升)了?(?:多少|几)(?:[^张个户所人套名家处条辆座间台床]|$|个百分点)|每年[^,。?]{0,4}(?:涨|提高|增长|增加)|比(?:上年|去年|前一年|往年|上一年)(?:多|高|涨|增加|增长)(?:了)?(?:多少|几)|多(?:返|给|发|补|拿|领|退)多少|增幅|涨幅|幅度|增长率|增速|(?:提|涨|升|加|增)了?(?:几个点|几个百分点|多少个点|多少个百分点)` +
	// in English: how much a level goes up each year
	`|\b(?:raise|raised|increase|increased|grow|rise|go up)\b[^.?]{0,80}\b(?:each|every|per|a) year\b|\bannual(?:ly)? (?:increase|growth|rise)|\bby how much\b`)

// smallTalk is chat that asks nothing of policy documents.
var smallTalk = []string{"天气怎么样", "天气如何", "天气咋样", "今天天气", "明天天气", "天气预报", "下雨不", "下不下雨", "会下雨吗", "下雨吗", "下雪不", "下不下雪", "下雪吗", "你是谁", "你叫什么", "讲个笑话",
	"推荐一家", "推荐个好", "推荐一个好", "what's the weather", "what is the weather", "weather today", "tell me a joke",
	"recommend a good", "recommend a nice", "recommend some good"}

// percentAsked finds a question for a share: 签约率, 覆盖率, 比例, rate.
var percentAsked = regexp.MustCompile(`率|比例|百分|占比|(?:啥|什么|多大)(?:程度|地步)|覆盖(?:目标|面)(?:是|要|能|有)?(?:多少|多大)|\b(?:rate|percentage|proportion|coverage)\b`)

// costCues ask whether a thing costs the asker.
var costCues = []string{"收费", "免费", "要钱", "花钱", "掏钱", "交钱", "收钱", "付钱", "自费", "不要钱", "要不要钱", "全免", "cost", "free of charge", "for free", "pay for"}

// costWords ask whether a thing costs, and name no thing of their own.
var costWords = map[string]bool{"免费": true, "全免": true, "全免费": true, "收费": true, "要钱": true, "花钱": true, "不要钱": true, "不花钱": true}

// perMonth counts a figure by the month: with no unit asked ("一个月能涨到
// 八百多?到底最低是多少"), it is what someone is paid.
var perMonth = regexp.MustCompile(`一个月|每个月|每月|月月`)

// moneyCues ask for an amount of money.
var moneyCues = []string{"多少钱", "多钱", "几块", "几个钱", "售价", "卖多少", "票价", "多少元", "金额", "给多少", "发多少", "领多少", "补多少", "花多少", "掏多少", "交多少", "怎么收费", "咋收费", "如何收费", "一顿饭多少", "一顿多少", "每餐多少", "一餐多少", "每顿多少", "how much", " amount", "yuan", "rmb", "per person per month"}

// notMoney blanks words that hold a money cue and ask no money: 开发多少个
// 岗位 asks a count (发多少 is inside it).
var notMoney = strings.NewReplacer("开发多少", " ", "研发多少", " ", "出发多少", " ")

// docKinds are the catalog's kinds of document and the words that point
// at one.
var docKinds = []struct {
	kind string
	cues []string
}{
	{"政府工作报告", []string{"工作报告", "政府报告", "work report", "government report"}},
	{"规划", []string{"规划", "十三五"}},
	{"实施意见", []string{"实施意见", "三年行动"}},
}

// nationalCues ask what the country rules; provincialCues what the
// province does. The documents are a city's and its districts'.
var nationalCues = []string{"国家规定", "国家标准", "国家统一", "全国统一", "全国的标准", "国家的标准", "全国退休", "全国城乡", "全国的"}

// nationalUnified asks what the country set for everyone, words between
// ("今年国家给退休人员统一涨了百分之几"; not 中央厨房统一配送).
var nationalUnified = regexp.MustCompile(`(?:国家|全国)[^,。?!]{0,8}统一`)

// nationalEnglish asks the country's rule in English, in whole words: an
// "international student" asks nothing national.
var nationalEnglish = regexp.MustCompile(`\b(?:national|nationwide|in china)\b`)

// notNational holds "national" that names no rule of the country.
var notNational = strings.NewReplacer("foreign nationals", " ", "foreign national", " ", "national day", " ", "international", " ")

// provincialAsked reports whether a clause that asks, not one telling
// what was heard (听说全省统一了低保标准), asks what the province rules.
func provincialAsked(folded string) bool {
	for _, c := range clauseRe.Split(folded, -1) {
		if containsAny(c, provincialCues) && asks(c) && !containsAny(c, hearsay) {
			return true
		}
	}
	return false
}

// provincialCues ask what the province rules.
var provincialCues = []string{"全省统一", "全省的标准", "省里统一", "省里的标准", "省级标准", "省定标准", "province-wide", "provincial standard"}

// ownSideCues compare two places without naming the asker's own.
var ownSideCues = []string{"比一比", "比比", "对比一下", "两边", "两个地方"}

// docPointers name the kind of document the asker points at ("政府工作报告
// 里说惠及多少户"): which document, not what it is about, and cut apart
// (政府 工作 报告) they would leave 工作 as a topic.
var docPointers = strings.NewReplacer("政府工作报告", " ", "政府报告", " ", "工作报告", " ",
	// "标准文件里定到多少" is cut 标准文件 + 里: the pointer, not a kind of 标准
	"文件里", " ", "文件上", " ", "文件中", " ")

// docKind is the kind of document folded text points at, "" for none.
func docKind(folded string) string {
	for _, k := range docKinds {
		if containsAny(folded, k.cues) {
			return k.kind
		}
	}
	if yearReport.MatchString(folded) {
		return reportKind
	}
	return ""
}

// yearReport is a report named by its year ("its 2016 report", "2016年的
// 报告"): the catalog's reports are a year's work reports.
var yearReport = regexp.MustCompile(`(?:19|20)\d{2}(?:年的?| )报告|\b(?:19|20)\d{2} (?:annual )?report\b|\bannual report\b`)

// planAsked asks what is planned or aimed at (有啥规划, 有什么助餐服务安排;
// not 是什么时候安排的).
var planAsked = regexp.MustCompile(`(?:有|是|搞|做)(?:啥|什么|哪些)[^时,。?!]{0,6}?(?:规划|计划|安排|打算|目标)|(?:规划|计划|安排|打算|目标)(?:是|有)(?:啥|什么|哪些)|\bwhat (?:are|is) the (?:plans?|targets?|goals?)(?:\s+(?:for|of|by|in)\b|\s*[?.,]|\s*$)`)

// listCues ask which things, or what kinds of them.
var listCues = []string{"哪些", "哪几", "哪两", "哪三", "哪四", "哪五", "哪六", "指哪", "指的是哪", "是谁跟谁", "些啥", "些什么", "啥设备", "什么设备", "都有啥", "都有什么", "有啥", "有什么", "啥服务", "什么服务",
	"都是谁", "都是啥", "都是什么", "包括啥", "包括什么", "包括哪", "包括谁", "都有谁", "干啥", "干什么", "做啥", "做什么", "what kind", "what kinds", "which ", "what services", "what devices", "what equipment"}

var yesNoEnds = []string{"吗", "么", "不", "没", "没有", "嘛", "不了", "没得"}
var yesNoCues = []string{"有没有", "能不能", "是不是", "可不可以", "会不会", "能否", "是否", "可以吗", "给不给", "管不管", "does ", "is there", "are there", "can i", "can my", "do they"}

// asksYesNo reports whether a question asks whether something is so
// (社区有老年食堂吗?, 能派人上门不?).
func asksYesNo(text string) bool {
	t := strings.TrimRight(text, " ?。.!\uFF1F\uFF01")
	for _, e := range yesNoEnds {
		if strings.HasSuffix(t, e) {
			return true
		}
	}
	return containsAny(text, yesNoCues)
}

var (
	pastCues = []string{"去年", "前年", "过去", "已经", "以来", "完成了", "发了", "建了", "取得", "成效", "成绩"}
	planCues = []string{"今年", "明年", "将要", "计划", "打算", "目标", "要建", "要开", "要改", "要新", "要做", "要到", "会不会"}
)

// questionTense is past when the question holds a past word, else plan
// when it holds a plan word.
func questionTense(text string) retrieval.Tense {
	switch {
	case containsAny(text, pastCues):
		return retrieval.TensePast
	case containsAny(text, planCues):
		return retrieval.TensePlan
	}
	return retrieval.TenseNone
}

// relativeTime are the time words whose meaning depends on when they are
// said, which a document written years ago uses for its own year.
var relativeTime = []string{"今年", "去年", "前年", "明年", "现在", "目前", "当前", "眼下", "如今", "this year", "now", "currently", "last year", "next year"}

func timeWords(text string) []string {
	var out []string
	for _, w := range relativeTime {
		if strings.Contains(text, w) {
			out = append(out, w)
		}
	}
	return out
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Follow-up cues open or close questions that lean on the previous one.
var (
	followUpPrefixes = []string{"那", "那么", "这个", "这些", "那个", "它", "还有", "另外", "同样", "那里", "这里", "他们", "其中", "and ", "what about"}
	followUpSuffixes = []string{"呢", "呢?", "呢?"}
)

// IsFollowUp guesses, without an LLM, whether a question continues the
// previous one: it starts or ends like a follow-up, or is too short to
// stand alone.
func IsFollowUp(q string) bool {
	q = strings.TrimSpace(q)
	for _, p := range followUpPrefixes {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	for _, s := range followUpSuffixes {
		if strings.HasSuffix(q, s) {
			return true
		}
	}
	return utf8.RuneCountInString(strings.Trim(q, "? !。.\uFF1F\uFF01")) <= 5
}

// namedAsModel reports whether mention is named in folded only as a model
// to be like (像襄阳那样, 跟大连一样, like xiangyang's).
func namedAsModel(folded, mention string) bool {
	n := 0
	for at := 0; ; {
		k := strings.Index(folded[at:], mention)
		if k < 0 {
			break
		}
		k += at
		before, after := folded[:k], folded[k+len(mention):]
		model := (endsAny(before, modelBefore) && startsAny(after, modelAfter)) ||
			endsAny(before, modelEnglish)
		if !model {
			return false
		}
		n++
		at = k + len(mention)
	}
	return n > 0
}

// modelBefore and modelAfter enclose a place named as a model (像…那样);
// modelEnglish lead one in English.
var (
	modelBefore  = []string{"像", "如", "跟", "和", "同", "学"}
	modelAfter   = []string{"那样", "那种", "一样", "似的", "这样", "的那种", "那边那样", "那边一样"}
	modelEnglish = []string{"like ", "similar to ", "as in "}
)

func endsAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// restatedRe finds a clause where the asker names a thing in their own
// words and then by its name ("困难户那个钱就是低保").
// (即 alone is left out: it ends 立即, 随即.)
var restatedRe = regexp.MustCompile(`^(\p{Han}{2,12}?)(?:也就是|就是|即是)(\p{Han}{2,8}?)[啊吧呀呢嘛]*$`)

// thatOneRe is a clause that names a group in everyday words and then,
// after 那个, the measure meant (困难户那个低保现在一个月最少给多少).
var thatOneRe = regexp.MustCompile(`^(\p{Han}{2,6}?)那个(\p{Han}{2}.*)$`)

// writtenStart reports whether text starts with a word of two to four
// characters the documents write or the thesaurus names as a policy term.
func (r *Reader) writtenStart(text string) bool {
	rs := []rune(text)
	for n := min(4, len(rs)); n >= 2; n-- {
		if w := string(rs[:n]); r.corpus.Written(w) || retrieval.IsPolicyTerm(w) {
			return true
		}
	}
	return false
}

// selfWords start a clause about the asker or theirs.
var selfWords = []string{"我", "俺", "咱", "他", "她", "本人"}

// restated puts the name an asker gives a thing after 就是 in place of
// the words they first called it by: "困难户那个钱就是低保" asks of 低保,
// not of 困难户. Only where the name is a word the documents write or
// the thesaurus knows as a whole; "就是想问问" names nothing.
func (r *Reader) restated(core string) string {
	clauses := clauseRe.Split(core, -1)
	seps := clauseRe.FindAllString(core, -1)
	changed := false
	for i, c := range clauses {
		m := restatedRe.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil || asks(m[2]) || startsAny(m[1], selfWords) {
			continue // "我家就是低保户" says who the asker is
		}
		if name := m[2]; r.corpus.Written(name) || retrieval.IsPolicyTerm(name) || retrieval.InThesaurus(name) {
			clauses[i], changed = name, true
		}
	}
	for i, c := range clauses {
		// "困难户那个低保…": an everyday word for a wider group, then 那个
		// and the measure's name: the measure is asked of
		m := thatOneRe.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil || !retrieval.InThesaurus(m[1]) || retrieval.IsPolicyTerm(m[1]) || r.corpus.Written(m[1]) || !r.writtenStart(m[2]) {
			continue
		}
		clauses[i], changed = m[2], true
	}
	if !changed {
		return core
	}
	var b strings.Builder
	for i, c := range clauses {
		b.WriteString(c)
		if i < len(seps) {
			b.WriteString(seps[i])
		}
	}
	return b.String()
}

// englishAsking is an English question from its last asking word on
// ("…, how much will dalian raise … each year"): an account before it (I
// raise two kids alone) asks nothing.
func englishAsking(core string) string {
	at := -1
	for _, w := range []string{"how ", "what ", "by how much", "which "} {
		at = max(at, strings.LastIndex(core, w))
	}
	if at < 0 {
		return core
	}
	return core[at:]
}
