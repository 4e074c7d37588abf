package retrieval

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Query is a question as the judging package has read it: Search ranks
// passages for it and never parses the question again.
type Query struct {
	// Text is the question as searched: folded, with the asker's context and
	// place names taken out. The vector list embeds it and the bigram lists
	// are cut from it.
	Text string
	// Words are the search words with their weights: 1 for the question's
	// own, less for thesaurus stand-ins.
	Words map[string]float32
	// Regions limit the search to documents inside one of them (沈阳 covers
	// 浑南) or above one (a city's document applies to its districts); nil
	// searches every document. Documents of exactly a named region rank a
	// little higher.
	Regions [][]string
	// AsksFigure favours passages where a question word is followed by a
	// number; AsksMoney, passages that state an amount of money.
	AsksFigure, AsksMoney bool
	// Tense favours, in reports that review the past beside their plans,
	// the sections of the question's tense.
	Tense Tense
	// K is how many passages to return; 0 means 10.
	K int
}

// Tense is whether a question asks about the past or about plans.
type Tense int

// Tenses of a question or a section.
const (
	TenseNone Tense = iota
	TensePast
	TensePlan
)

// Hit is a retrieved passage with its fused score.
type Hit struct {
	Passage
	Score float64
	// Index is the passage's position in the index, for Corpus look-ups.
	Index int
}

// Result is what a search found.
type Result struct {
	Hits []Hit
	// Regions are the regions the search was limited to.
	Regions [][]string
	// Degraded says why a part of the search was skipped (the embeddings
	// endpoint failed), "" when nothing was.
	Degraded string
}

// ErrUnknownRegion is returned when a region names no catalog region.
var ErrUnknownRegion = errors.New("unknown region")

// Fusion weights and the reciprocal-rank constant. A small constant lets
// the first few ranks of each list dominate, which suits a corpus where one
// passage usually holds the answer.
const (
	rrfK         = 20.0
	weightWords  = 1.0
	weightGrams  = 1.0
	weightVector = 0.5
	weightCover  = 1.0
	// ExpandWeight scales a thesaurus stand-in's weight in the search:
	// the question's own words count more.
	ExpandWeight = 0.8
	candidates   = 100
	// exactRegionBoost favours a named region's own documents over those
	// of the regions inside or above it.
	exactRegionBoost = 1.15
	// heavyExpansion is the least weight of a thesaurus stand-in that
	// counts, beside the question's own key words, as naming what is asked
	// for exactRegionBoost (孤儿 for 没爹妈的孩子; not 元 for 钱).
	heavyExpansion = 0.5
)

// PlainQuery reads text the simple way, with no places, context or typo
// correction: for tests, benchmarks and callers without a judging package.
func PlainQuery(text string) Query {
	folded := Fold(text)
	q := Query{Text: folded, Words: map[string]float32{}, AsksFigure: AsksForFigure(folded)}
	for _, w := range sharedSeg.words(questionWords.Replace(folded)) {
		q.Words[w] = 1
	}
	for _, e := range builtinThesaurus.expand(folded) {
		for _, t := range sharedSeg.words(e.Term) {
			q.Words[t] = max(q.Words[t], e.Weight*ExpandWeight)
		}
	}
	return q
}

// Search ranks passages for q.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	k := q.K
	if k <= 0 {
		k = 10
	}
	res := Result{Regions: q.Regions}
	// Score arrays are as long as the corpus; reusing them keeps a large
	// corpus from allocating megabytes per question.
	buf := ix.getBuffers()
	defer ix.bufs.Put(buf)
	text := q.Text

	// Regions are judged once per document, then spread to its passages:
	// a name shared by many regions must not cost passages × regions.
	var allowed []bool
	var exact []bool // per document: its region is one the question names
	if len(q.Regions) > 0 {
		allowed = buf.allowed
		inside := make([]bool, len(ix.docs))
		exact = make([]bool, len(ix.docs))
		for d, doc := range ix.docs {
			for _, r := range q.Regions {
				if within(doc.Region, r) || within(r, doc.Region) {
					inside[d] = true
					if len(doc.Region) == len(r) {
						exact[d] = true
					}
				}
			}
		}
		for i, d := range ix.docOf {
			allowed[i] = inside[d]
		}
	}

	wq := q.Words
	words := make([]string, 0, len(wq))
	var expansions []string
	for w, weight := range wq {
		if weight >= 1 {
			words = append(words, w)
		} else {
			expansions = append(expansions, w)
		}
	}
	sort.Strings(words)
	sort.Strings(expansions)
	gq := map[string]float32{}
	for _, g := range bigrams(questionWords.Replace(text)) {
		gq[g] = 1
	}
	for _, w := range expansions {
		for _, g := range bigrams(w) {
			gq[g] = max(gq[g], wq[w])
		}
	}

	// The vector scan runs beside the lexical scoring: on a large corpus
	// each takes tens of milliseconds.
	type vecResult struct {
		hits []int
		err  error
	}
	vecDone := make(chan vecResult, 1)
	go func() {
		hits, err := ix.vectorSearch(ctx, text+" "+strings.Join(expansions, " "), allowed)
		vecDone <- vecResult{hits, err}
	}()

	fused := buf.fused
	addRanks := func(scores []float32, weight float64) {
		for r, i := range topIndexes(scores, allowed, candidates) {
			fused[i] += weight / (rrfK + float64(r+1))
		}
	}
	ws := buf.words
	ix.words.score(wq, allowed, ws)
	addRanks(ws, weightWords)
	gs := buf.grams
	ix.grams.score(gq, allowed, gs)
	addRanks(gs, weightGrams)
	cs := buf.cover
	ix.grams.presence(gq, allowed, cs)
	addRanks(cs, weightCover)

	vr := <-vecDone
	if vr.err != nil {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		// An embeddings endpoint that is down costs the vector list, not
		// the answer: the three lexical lists still rank.
		res.Degraded = vr.err.Error()
	}
	for r, i := range vr.hits {
		fused[i] += weightVector / (rrfK + float64(r+1))
	}
	if exact != nil {
		heavy := slices.Clone(words)
		for _, w := range expansions {
			if wq[w] >= heavyExpansion {
				heavy = append(heavy, w)
			}
		}
		// Only a passage naming one of the question's words (or what the
		// thesaurus reads them as) is favoured: a district's report that
		// never names 高龄津贴 must not push its city's passage on it out
		// of sight.
		for i, d := range ix.docOf {
			if exact[d] && fused[i] > 0 && (len(heavy) == 0 || containsAny(ix.folded[i], heavy)) {
				fused[i] *= exactRegionBoost
			}
		}
	}
	now := time.Now()
	for i, d := range ix.docOf {
		if fused[i] > 0 && !ix.docs[d].InForce(now) {
			fused[i] *= OutOfForceWeight
		}
	}
	// Only passages on one of the four lists have a score: a few hundred,
	// not the corpus.
	order := make([]int, 0, 4*candidates)
	for i, s := range fused {
		if s > 0 {
			order = append(order, i)
		}
	}
	byScore := func() {
		sort.SliceStable(order, func(a, b int) bool {
			if fused[order[a]] != fused[order[b]] {
				return fused[order[a]] > fused[order[b]]
			}
			return order[a] < order[b]
		})
	}
	byScore()
	ix.rerank(q, words, order[:min(len(order), rerankDepth)], fused)
	byScore()
	if len(order) > k {
		order = order[:k]
	}
	for _, i := range order {
		s := fused[i]
		if !ix.docs[ix.docOf[i]].InForce(now) {
			// The down-weight orders; the evidence stays as strong as it
			// is, so that a lapsed document alone on a matter is still
			// quoted, with its note, rather than abstained on.
			s /= OutOfForceWeight
		}
		res.Hits = append(res.Hits, Hit{Passage: ix.passages[i], Score: s, Index: i})
	}
	return res, nil
}

// rerank adjusts the leading candidates for what kind of answer the
// question wants: a figure ("多少") favours passages where a question word is
// followed by a number; a question about the past ("去年") favours review
// sections, one about plans ("今年", "要") favours task sections. Both are
// properties of the question's form, not of any particular question.
func (ix *Index) rerank(q Query, words []string, cands []int, fused []float64) {
	for _, i := range cands {
		if q.AsksFigure && ix.figureNear(words, i) {
			fused[i] *= figureBoost
		}
		if q.AsksMoney && amountRe.MatchString(ix.folded[i]) {
			fused[i] *= moneyBoost
		}
		// Only reports that review the past beside their plans need telling
		// apart; other documents are left as they are.
		if q.Tense != TenseNone && ix.reviews[ix.passages[i].Source] && sectionTense(ix.passages[i].Section) != q.Tense {
			fused[i] /= tenseBoost
		}
	}
}

const (
	rerankDepth = 20
	figureBoost = 1.12
	moneyBoost  = 1.12
	tenseBoost  = 1.2
)

// amountRe is a sum of money: 850元, 1.2万元.
var amountRe = regexp.MustCompile(`\d[\d.,]*(?:万|千|亿)?元`)

var figureCues = []string{"多少", "几", "多大", "多高", "多长", "比例", "百分之", "金额", "数额", "多钱", "哪年", "哪一年", "哪个高", "哪个多", "哪个低", "哪个少", "哪个大", "谁高", "谁多",
	// a benefit's 标准 is its amount ("高龄津贴现在是啥标准")
	"啥标准", "什么标准", "标准是啥", "标准是什么",
	// the figure itself asked for ("文件里有具体数吗", "具体标准")
	// (not one told of: "可具体数没人说得清")
	"有具体数", "具体数吗", "的具体标准", "具体标准是", "具体标准吗", "具体金额", "具体数额",
	// the count itself named as asked ("计划新增养老床位的数量,我怎么答")
	"的数量", "的人数", "的户数", "的个数", "具体数量",
	// a price asked ("老年餐桌咋收费")
	"怎么收费", "咋收费", "如何收费", "收费标准",
	// how far a measure reaches ("老年食堂能铺开到啥程度"): its coverage
	"啥程度", "什么程度", "多大程度", "啥地步", "什么地步"}

// AsksForFigure reports whether folded question text wants a number
// (see notFigures). It is the one figure detector:
// search and judging both use it.
func AsksForFigure(text string) bool {
	return containsAny(FewStated.ReplaceAllString(notFigures.Replace(text), " "), figureCues) || priceAsked.MatchString(text)
}

// priceAsked asks what a sum of money comes to in words of how it is
// charged or whether it is dear ("饭钱咋收的", "饭费怎么算", "饭钱贵不贵").
// (价 alone only after a meal or a bed: 评价怎么算 asks no price; and the
// ask must end there: 钱怎么收到 asks how it arrives.)
var priceAsked = regexp.MustCompile(`(?:钱|费|饭价|餐价|床价|价格|价钱)(?:是|都|一般)?(?:咋|怎么|怎样|如何)(?:收|算)(?:的|啊|呢|呀|吗|$|[,?!。 ])|(?:钱|费|饭价|餐价|床价|价格|价钱)(?:贵不贵|贵吗|贵么|高不高)`)

// FewStated says "only a few" with a negation right before 几 ("一年回不来几
// 趟", "没几年"; not 不能超过几年 or 不知道几年, which ask): a statement, not a question of how many. Judging reads it the
// same way when it decides which clause asks.
// So does "some" told of the asker's own area ("我们社区有几户特困老人想做
// 适老化改造": a few households, not how many), or of those they mean to
// help ("想给几户老人报").
var FewStated = regexp.MustCompile(`(?:没|不来|不去|不了|不到|回不来|回不去)几(?:趟|次|回|个|年|天|步|句)` +
	`|(?:我们|咱们|俺们|辖区)(?:社区|小区|村|楼|这|这儿|那)?(?:里)?有几(?:户|个|位|家|名|口)\p{Han}{1,6}?(?:想|打算|准备)` +
	// or of the few the asker means to help ("想给几户特殊困难老人报适老化改造")
	`|(?:我们|咱们|俺们|我|俺)[^,。?!\x{FF0C}\x{FF1F}]{0,8}(?:想|打算|准备)(?:给|帮|为|替)几(?:户|个|位|家|名|口)`)

// SituationCounts hold a figure cue (几) but tell of the asker's
// situation, asking for no figure: 好几年, 几十年, 前几天, 俺们几个. Judging
// reads them the same way when it decides which clause asks.
var SituationCounts = []string{"好几", "几十", "十几", "前几天", "这几天", "那几天", "几天前", "前几年", "这几年", "那几年", "几年前",
	"俺们几个", "我们几个", "咱们几个", "他们几个", "你们几个",
	// kin counted as who they are (我们兄弟几个正在商量)
	"兄弟几个", "姐妹几个", "姊妹几个", "兄妹几个", "姐弟几个", "哥几个", "哥儿几个", "姐儿几个", "娘儿几个", "爷儿几个"}

// KeptCounts hold a situation count but ask a figure still (提前几天 asks how
// many days); a replacer lists them first, mapped to themselves.
var KeptCounts = []string{"提前几天", "提前几年"}

// notFigures blanks the words that hold a figure cue but ask for none: the
// situation counts, 哪几 (which ones) and 几乎.
var notFigures = func() *strings.Replacer {
	var pairs []string
	for _, w := range KeptCounts {
		pairs = append(pairs, w, w)
	}
	for _, w := range append([]string{"哪几", "几乎"}, SituationCounts...) {
		pairs = append(pairs, w, "")
	}
	return strings.NewReplacer(pairs...)
}()

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// figureNear reports whether a content word of the question is followed
// within a few characters by a digit in passage i.
func (ix *Index) figureNear(words []string, i int) bool {
	t := ix.folded[i]
	if j := strings.Index(t, "\n"); j >= 0 {
		t = t[j+1:] // headings carry item numbers, which are no figures
	}
	for _, w := range words {
		if len([]rune(w)) < 2 {
			continue
		}
		for off := 0; ; {
			j := strings.Index(t[off:], w)
			if j < 0 {
				break
			}
			after := []rune(t[off+j+len(w):])
			for k := 0; k < len(after) && k < 12; k++ {
				if after[k] >= '0' && after[k] <= '9' {
					return true
				}
				if after[k] == '。' || after[k] == ';' {
					break
				}
			}
			off += j + len(w)
		}
	}
	return false
}

var (
	pastHeads = []string{"回顾", "过去", "成绩", "成效"}
	planHeads = []string{"主要工作", "重点任务", "目标", "任务", "计划", "清单", "举措", "思路"}
)

// sectionTense is past for a section reviewing past work, plan for one
// setting tasks.
func sectionTense(section string) Tense {
	switch {
	case containsAny(section, pastHeads):
		return TensePast
	case containsAny(section, planHeads):
		return TensePlan
	}
	return TenseNone
}

// searchBuffers are one search's per-passage score arrays.
type searchBuffers struct {
	allowed             []bool
	fused               []float64
	words, grams, cover []float32
}

func (ix *Index) getBuffers() *searchBuffers {
	n := len(ix.passages)
	b, _ := ix.bufs.Get().(*searchBuffers)
	if b == nil || len(b.fused) != n {
		return &searchBuffers{allowed: make([]bool, n), fused: make([]float64, n),
			words: make([]float32, n), grams: make([]float32, n), cover: make([]float32, n)}
	}
	clear(b.allowed)
	clear(b.fused)
	clear(b.words)
	clear(b.grams)
	clear(b.cover)
	return b
}

// topIndexes returns up to m passage indexes with positive scores, best
// first. A bounded heap keeps this O(n log m): on a large corpus a common
// word gives most passages some score, and sorting them all would cost
// more than scoring did.
func topIndexes(scores []float32, allowed []bool, m int) []int {
	h := make(scoreHeap, 0, m)
	for i, s := range scores {
		if s <= 0 || (allowed != nil && !allowed[i]) {
			continue
		}
		if len(h) < m {
			h = append(h, scored{i, s})
			h.up(len(h) - 1)
			continue
		}
		if h.less(0, i, s) {
			h[0] = scored{i, s}
			h.down(0)
		}
	}
	sort.Slice(h, func(a, b int) bool {
		if h[a].s != h[b].s {
			return h[a].s > h[b].s
		}
		return h[a].i < h[b].i
	})
	out := make([]int, len(h))
	for k, e := range h {
		out[k] = e.i
	}
	return out
}

type scored struct {
	i int
	s float32
}

// scoreHeap is a min-heap: the root is the weakest of the best m.
type scoreHeap []scored

// worse reports whether a ranks below b (lower score, or same score and
// later passage).
func worse(a, b scored) bool {
	if a.s != b.s {
		return a.s < b.s
	}
	return a.i > b.i
}

// less reports whether the root ranks below passage i with score s.
func (h scoreHeap) less(root, i int, s float32) bool { return worse(h[root], scored{i, s}) }

func (h scoreHeap) up(j int) {
	for j > 0 {
		p := (j - 1) / 2
		if !worse(h[j], h[p]) {
			break
		}
		h[j], h[p] = h[p], h[j]
		j = p
	}
}

func (h scoreHeap) down(j int) {
	for {
		l := 2*j + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && worse(h[r], h[l]) {
			c = r
		}
		if !worse(h[c], h[j]) {
			return
		}
		h[j], h[c] = h[c], h[j]
		j = c
	}
}

// questionEmbedTimeout bounds embedding one question: a remote endpoint
// slower than this is treated as down for that question.
const questionEmbedTimeout = 10 * time.Second

// vectorSearch finds the nearest passages, keeping those the region
// filter allows.
func (ix *Index) vectorSearch(ctx context.Context, text string, allowed []bool) ([]int, error) {
	if len(ix.passages) == 0 {
		return nil, nil
	}
	ectx, cancel := context.WithTimeout(ctx, questionEmbedTimeout)
	defer cancel()
	vs, err := ix.embedder.Embed(ectx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("embed question: %w", err)
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("embed question: got %d vectors", len(vs))
	}
	// Regions are filtered afterwards: a region's search includes the
	// documents above it (a city's applies to its districts), which
	// chromem-go's where clause (equality on every key) cannot say, and a
	// where over shared levels measured slower than the plain scan.
	hits, err := ix.vectors.Nearest(ctx, vs[0], min(candidates, len(ix.passages)))
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	out := hits[:0]
	for _, i := range hits {
		if i < 0 || i >= len(ix.passages) || (allowed != nil && !allowed[i]) {
			continue
		}
		out = append(out, i)
	}
	return out, nil
}

func (ix *Index) regionList() string {
	var names []string
	for _, p := range ix.paths {
		names = append(names, p[len(p)-1])
	}
	return strings.Join(names, "、")
}
