package retrieval

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Query is a question to search for.
type Query struct {
	Text string
	// Region, when set, limits the search to that region and the regions
	// inside it (沈阳 covers 浑南). Otherwise regions named in the question
	// are used.
	Region string
	// DefaultRegion applies when neither Region nor the question names a
	// place: the region a conversation was about, kept until the person
	// names another.
	DefaultRegion string
	// Context is the topic carried over from earlier turns of a
	// conversation ("那大连呢?" continues "浑南低保标准是多少"). It adds
	// words to the search, never regions.
	Context string
	// K is how many passages to return; 0 means 10.
	K int
}

// Hit is a retrieved passage with its fused score.
type Hit struct {
	Passage
	Score float64
}

// Result is what a search found, with what the caller needs to judge it.
type Result struct {
	Hits []Hit
	// Regions are the catalog regions the search was limited to.
	Regions [][]string
	// Foreign lists places the question names that no document covers.
	Foreign []string
	// Coverage is the IDF-weighted share of the question's content words
	// found in the best passage (0–1): the evidence strength used to
	// decide whether to answer at all.
	Coverage float64
	// GramCoverage is the same over the question's character bigrams,
	// which does not depend on how the question was segmented.
	GramCoverage float64
	// ClauseCoverage is the best Coverage of a single clause that carries a
	// good part of a compound question, 0 for a one-clause question.
	ClauseCoverage float64
	// KeyTerm is the question's most specific noun, "" if it has none.
	KeyTerm string
	// AsksFigure is true for questions after a figure (多少, 几, 比例 …);
	// FigureFound then says whether a leading passage has a sentence that
	// names KeyTerm (or a policy term for it) together with a number. When
	// it is false the documents talk about the topic but do not give the
	// figure asked for.
	AsksFigure, FigureFound bool
	// Terms are the question's content words, thesaurus expansions added.
	Terms []string
	// Degraded says why a part of the search was skipped (the embeddings
	// endpoint failed), "" when nothing was.
	Degraded string
	// Weights gives each search word its weight (IDF × how much the question
	// stands behind it), for callers that pick sentences.
	Weights map[string]float64
}

// ErrUnknownRegion is returned when Query.Region names no catalog region.
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
	expandWeight = 0.8
	candidates   = 100
	// exactRegionBoost favours a city's own documents over its districts'
	// when the question names the city.
	exactRegionBoost = 1.15
)

// Search ranks passages for q.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	k := q.K
	if k <= 0 {
		k = 10
	}
	folded := Fold(q.Text)
	var res Result
	// Score arrays are as long as the corpus; reusing them keeps a large
	// corpus from allocating megabytes per question.
	buf := ix.getBuffers()
	defer ix.bufs.Put(buf)
	known, foreign := ix.regions.find(folded)
	res.Foreign = foreign
	explicit := strings.TrimSpace(q.Region)
	if explicit == "" && len(known) == 0 && len(foreign) == 0 {
		explicit = strings.TrimSpace(q.DefaultRegion)
	}
	if explicit != "" {
		paths, ok := ix.regions.resolve(explicit)
		if !ok {
			return Result{}, fmt.Errorf("%w %q: the documents cover %s", ErrUnknownRegion, explicit, ix.regionList())
		}
		known = paths
	}
	res.Regions = known
	ownFolded := folded
	if c := strings.TrimSpace(q.Context); c != "" {
		folded += " " + Fold(c)
	}
	// Region names are used for the filter; left in the text they would only
	// favour passages that happen to repeat the place name.
	stripPlaces := func(s string) string {
		for _, n := range ix.regions.names {
			s = strings.ReplaceAll(s, n.alias, " ")
		}
		for _, f := range foreign {
			s = strings.ReplaceAll(s, f, " ")
		}
		return s
	}
	text := stripPlaces(folded)
	ownText := stripPlaces(ownFolded)

	// Regions are judged once per document, then spread to its passages:
	// a name shared by many regions must not cost passages × regions.
	var allowed []bool
	var exact []bool // per document: its region is one the question names
	if len(known) > 0 {
		allowed = buf.allowed
		inside := make([]bool, len(ix.docs))
		exact = make([]bool, len(ix.docs))
		for d, doc := range ix.docs {
			for _, r := range known {
				if within(doc.Region, r) {
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

	words := sharedSeg.words(questionWords.Replace(text))
	exps := builtinThesaurus.expand(text)
	var expansions []string
	for _, e := range exps {
		expansions = append(expansions, e.term)
	}
	wq := map[string]float32{}
	for _, w := range words {
		wq[w] = 1
	}
	gq := map[string]float32{}
	for _, g := range bigrams(questionWords.Replace(text)) {
		gq[g] = 1
	}
	for _, e := range exps {
		w := e.weight * expandWeight
		for _, t := range sharedSeg.words(e.term) {
			wq[t] = max(wq[t], w)
		}
		for _, g := range bigrams(e.term) {
			gq[g] = max(gq[g], w)
		}
	}
	res.Terms = append(append([]string(nil), words...), expansions...)
	res.Weights = make(map[string]float64, len(wq))
	for t, w := range wq {
		res.Weights[t] = float64(ix.words.idf(t) * w)
	}

	// The vector scan runs beside the lexical scoring: on a large corpus
	// each takes tens of milliseconds.
	type vecResult struct {
		hits []int
		err  error
	}
	vecDone := make(chan vecResult, 1)
	go func() {
		hits, err := ix.vectorSearch(ctx, text+" "+strings.Join(expansions, " "), known, allowed)
		vecDone <- vecResult{hits, err}
	}()

	n := len(ix.passages)
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
		for i, d := range ix.docOf {
			if exact[d] && fused[i] > 0 {
				fused[i] *= exactRegionBoost
			}
		}
	}
	order := make([]int, 0, n)
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
	ix.rerank(text, words, order[:min(len(order), rerankDepth)], fused)
	byScore()
	if len(order) > k {
		order = order[:k]
	}
	for _, i := range order {
		res.Hits = append(res.Hits, Hit{Passage: ix.passages[i], Score: fused[i]})
	}
	// Evidence is judged on the question's own words. A follow-up that
	// has none of its own ("那大连呢?") is judged on the topic it carries;
	// one that has ("那驾照怎么换?") must be covered by itself.
	own := sharedSeg.terms(quantityWords.Replace(ownText))
	cterms := own
	if len(own) == 0 {
		cterms = sharedSeg.terms(quantityWords.Replace(text))
	}
	judged := text
	if len(own) > 0 {
		judged = ownText
	}
	res.AsksFigure = asksForFigure(judged)
	if res.AsksFigure {
		// The thing whose figure is asked for is in the clause that asks,
		// or, when that clause names nothing (每人具体涨多少元?), in the
		// question as a whole.
		res.KeyTerm = ix.keyTerm(sharedSeg.terms(quantityWords.Replace(figureClause(judged))))
		if res.KeyTerm == "" {
			res.KeyTerm = ix.keyTerm(cterms)
		}
	}
	for j, i := range order {
		if j >= 3 {
			break
		}
		res.Coverage = max(res.Coverage, ix.coverage(cterms, i))
		res.GramCoverage = max(res.GramCoverage, ix.gramCoverage(gq, i))
		if res.AsksFigure && !res.FigureFound && res.KeyTerm != "" {
			res.FigureFound = ix.statesFigure(res.KeyTerm, i)
		}
	}
	res.ClauseCoverage = ix.clauseCoverage(judged, cterms, order)
	return res, nil
}

// minClauseShare is how much of a question a clause must carry to stand
// for it: a clause of mere context ("我是低保户") cannot.
const minClauseShare = 0.3

// clauseCoverage is the best coverage of one clause of a compound
// question ("社区有吃饭的地方吗?要花钱吗?") that carries at least
// minClauseShare of the question's weight. One answerable clause makes a
// question worth a partial answer even when the rest is not covered.
func (ix *Index) clauseCoverage(text string, all []termWord, order []int) float64 {
	clauses := clauseRe.Split(text, -1)
	if len(clauses) < 2 {
		return 0
	}
	total := ix.termWeight(all)
	best := 0.0
	for _, c := range clauses {
		terms := sharedSeg.terms(quantityWords.Replace(c))
		// A clause of one real word ("要带什么材料") matches too easily
		// to stand for a question.
		words := 0
		for _, t := range terms {
			if utf8.RuneCountInString(t.text) >= 2 {
				words++
			}
		}
		if words < 2 || total == 0 || ix.termWeight(terms)/total < minClauseShare {
			continue
		}
		for j, i := range order {
			if j >= 3 {
				break
			}
			best = max(best, ix.coverage(terms, i))
		}
	}
	return best
}

func (ix *Index) termWeight(terms []termWord) float64 {
	var w float64
	for _, t := range terms {
		w += float64(ix.words.idf(t.text)) * t.weight
	}
	return w
}

// rerank adjusts the leading candidates for what kind of answer the
// question wants: a figure ("多少") favours passages where a question word is
// followed by a number; a question about the past ("去年") favours review
// sections, one about plans ("今年", "要") favours task sections. Both are
// properties of the question's form, not of any particular question.
func (ix *Index) rerank(text string, words []string, cands []int, fused []float64) {
	wantsFigure := asksForFigure(text)
	tense := questionTense(text)
	for _, i := range cands {
		if wantsFigure && ix.figureNear(words, i) {
			fused[i] *= figureBoost
		}
		// Only reports that review the past beside their plans need telling
		// apart; other documents are left as they are.
		if tense != tenseNone && ix.reviews[ix.passages[i].Source] && sectionTense(ix.passages[i].Section) != tense {
			fused[i] /= tenseBoost
		}
	}
}

const (
	rerankDepth = 20
	figureBoost = 1.12
	tenseBoost  = 1.2
)

var figureCues = []string{"多少", "几", "多大", "多高", "多长", "比例", "百分之"}

// quantityWords are blanked before segmenting a question for its terms, so
// that 多大面积 does not come out as the word 大面积.
var quantityWords = strings.NewReplacer("多少", " ", "多大", " ", "多高", " ", "多长", " ", "多久", " ", "几个", " ", "几家", " ", "几所", " ")

// figureClause is the clause of a question that asks for a figure.
func figureClause(text string) string {
	for _, c := range clauseRe.Split(text, -1) {
		if asksForFigure(c) {
			return c
		}
	}
	return text
}

var clauseRe = regexp.MustCompile(`[,。;!?,;!?\n]+`)

// asksForFigure reports whether a question wants a number ("哪几个" asks
// which ones, not how many).
func asksForFigure(text string) bool {
	return containsAny(strings.ReplaceAll(text, "哪几", ""), figureCues)
}

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

type tense int

const (
	tenseNone tense = iota
	tensePast
	tensePlan
)

var (
	pastCues  = []string{"去年", "过去", "已经", "以来", "完成了", "发了", "建了", "取得", "成效", "成绩"}
	planCues  = []string{"今年", "明年", "将要", "计划", "打算", "目标", "要建", "要开", "要改", "要新", "要做", "要到", "会不会"}
	pastHeads = []string{"回顾", "过去", "成绩", "成效"}
	planHeads = []string{"主要工作", "重点任务", "目标", "任务", "计划", "清单", "举措", "思路"}
)

func questionTense(text string) tense {
	return tenseOf(text, pastCues, planCues)
}

func sectionTense(section string) tense {
	return tenseOf(section, pastHeads, planHeads)
}

// tenseOf is past when s holds a past word, else plan when it holds a
// plan word.
func tenseOf(s string, past, plan []string) tense {
	switch {
	case containsAny(s, past):
		return tensePast
	case containsAny(s, plan):
		return tensePlan
	}
	return tenseNone
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

// vectorSearch asks chromem-go for the nearest passages. With one region the
// filter runs inside chromem-go; with several it filters afterwards, since
// chromem-go's where clause cannot express "or".
func (ix *Index) vectorSearch(ctx context.Context, text string, known [][]string, allowed []bool) ([]int, error) {
	count := ix.coll.Count()
	if count == 0 {
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
	// With one region the filter runs inside chromem-go. With several it is
	// applied afterwards: chromem-go's where clause cannot say "or", and a
	// where over the levels they share measured slower on a 100k corpus
	// than the plain scan (its filter walks every document through a
	// channel).
	var where map[string]string
	if len(known) == 1 {
		where = regionMeta(known[0])
	}
	nres := min(candidates, count) // chromem-go fails when asked for more than it has
	results, err := ix.coll.QueryEmbedding(ctx, vs[0], nres, where, nil)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	out := make([]int, 0, len(results))
	for _, r := range results {
		i, err := strconv.Atoi(r.ID)
		if err != nil || i < 0 || i >= len(ix.passages) {
			continue
		}
		if allowed != nil && !allowed[i] {
			continue
		}
		out = append(out, i)
	}
	return out, nil
}

// keyTerm picks the noun that weighs most: the thing a question is about.
func (ix *Index) keyTerm(terms []termWord) string {
	best, bestW := "", 0.0
	for _, t := range terms {
		if t.weight < 1 || utf8.RuneCountInString(t.text) < 2 {
			continue
		}
		if w := float64(ix.words.idf(t.text)); w > bestW {
			best, bestW = t.text, w
		}
	}
	return best
}

// statesFigure reports whether passage i has a sentence naming term (or a
// policy term it maps to) and a number.
func (ix *Index) statesFigure(term string, i int) bool {
	names := append([]string{term}, builtinThesaurus.Expand(term)...)
	for _, s := range Sentences(ix.passages[i].Text) {
		f := Fold(s)
		if !strings.ContainsAny(f, "0123456789") {
			continue
		}
		for _, n := range names {
			if strings.Contains(f, n) || chunksIn(n, f) {
				return true
			}
		}
	}
	return false
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

// Credit a coverage term earns when it is not found verbatim.
const (
	creditThesaurus = 0.6 // a policy term it maps to is there (吃饭 → 助餐)
	creditPart      = 0.5 // a two-character part of a longer word is there
)

// coverage is the share of the question that passage i covers: each
// question word weighs its IDF (a word the documents never use weighs the
// most) times its part-of-speech weight, and counts as found when the
// passage contains it — whole, for one-character words, so that 发 does
// not match 发展. A colloquial word counts partly when a policy term it
// maps to is there, and a long word partly when a two-character part is.
func (ix *Index) coverage(terms []termWord, i int) float64 {
	// A how-question ("怎么注册公司", "怎么办理护照") is covered only when
	// both the action and what it is done to are: the documents state
	// policies, and sharing the verb 办理 or the noun 公司 alone is chance.
	var focus, rest []termWord
	for _, t := range terms {
		if t.focus {
			focus = append(focus, t)
		} else {
			rest = append(rest, t)
		}
	}
	if len(focus) > 0 {
		return min(ix.plainCoverage(focus, i), ix.plainCoverage(rest, i))
	}
	return ix.plainCoverage(terms, i)
}

func (ix *Index) plainCoverage(terms []termWord, i int) float64 {
	text := ix.folded[i]
	var total, found float64
	for _, t := range terms {
		w := float64(ix.words.idf(t.text)) * t.weight
		total += w
		switch {
		case utf8.RuneCountInString(t.text) == 1:
			if ix.words.has(t.text, int32(i)) {
				found += w
			}
		case strings.Contains(text, t.text):
			found += w
		case ix.expansionFound(t.text, text):
			found += w * creditThesaurus
		case partFound(t.text, text):
			found += w * creditPart
		}
	}
	if total == 0 {
		return 0
	}
	return found / total
}

func (ix *Index) expansionFound(word, text string) bool {
	for _, e := range builtinThesaurus.Expand(word) {
		if strings.Contains(text, e) {
			return true
		}
	}
	return false
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

// gramCoverage is the IDF-weighted share of the question's bigrams (original
// ones at full weight, thesaurus ones at theirs) that passage i contains.
func (ix *Index) gramCoverage(gq map[string]float32, i int) float64 {
	var total, found float64
	for g, w := range gq {
		idf := float64(ix.grams.idf(g) * w)
		if w < 1 {
			// an expansion only helps; it never counts against a passage
			if ix.grams.has(g, int32(i)) {
				found += idf
				total += idf
			}
			continue
		}
		total += idf
		if ix.grams.has(g, int32(i)) {
			found += idf
		}
	}
	if total == 0 {
		return 0
	}
	return found / total
}

func (ix *Index) regionList() string {
	var names []string
	for _, p := range ix.paths {
		names = append(names, p[len(p)-1])
	}
	return strings.Join(names, "、")
}
