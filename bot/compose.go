package bot

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval"
)

// Extractive composes an answer from the retrieved sentences themselves:
// the sentence holding what was asked first, trimmed to its clauses, then
// whose document it is and which year.
func (a *Answerer) Extractive(req Request, ev Evidence) Answer {
	ans := Answer{ID: req.ID, Question: ev.Question, Mode: ModeExtractive,
		Region: regionLabel(ev.Reading.Regions), Citations: []Citation{}, Passages: passagesOf(ev.Result.Hits)}
	if ev.Decision.Kind == judge.None {
		ans.Abstained, ans.Confidence = true, ConfidenceNone
		ans.Answer = a.noneLine(ev)
		if ev.Reading.Empty {
			ans.Route = RouteGreeting
			if thanked(ev.Reading) {
				ans.Route = RouteThanks
			}
		} else {
			ans.Suggestions = suggest(ev.Question)
		}
		return a.script(ev, ans)
	}
	if ev.Clarify {
		ans.Confidence = ConfidenceClarify
		ans.Answer = fmt.Sprintf(clarifyLine, a.regionNames())
		return a.script(ev, ans)
	}
	ans.Confidence = ConfidenceAnswer
	if ev.Decision.Kind == judge.Closest {
		ans.Confidence = ConfidenceClosest
	}
	c := &composer{a: a, rd: ev.Reading}
	var b strings.Builder
	if ev.Reading.English {
		b.WriteString(englishLead)
	}
	switch {
	case len(ev.Regions) > 0:
		for i, r := range ev.Regions {
			if i > 0 {
				b.WriteString("\n")
			}
			name := r.Region[len(r.Region)-1]
			if r.Decision.Kind == judge.None || len(r.Result.Hits) == 0 {
				fmt.Fprintf(&b, regionMissing, name)
				continue
			}
			// one sentence per region, from its own documents where they
			// were found (沈阳市's line is not 浑南区's sentence)
			picks := pickSentences(ev.Reading, r.Decision, ownOnly(r.Result.Hits, r.Region), 1)
			// the line's attribution speaks of its own region
			c.rd.Regions = [][]string{r.Region}
			b.WriteString(name + ":" + c.write(picks, r.Decision))
			c.rd.Regions = ev.Reading.Regions
		}
	case ev.Decision.Kind == judge.Closest:
		// A figure asked for and not stated is said to be missing, whatever
		// else fell short.
		picks := closestPick(ev.Reading, ev.Decision, ev.Result.Hits)
		figureMissing := ev.Decision.Reason == judge.FigureMissing || (ev.Reading.AsksFigure && !ev.Decision.FigureFound)
		switch {
		case figureMissing && ev.Decision.KeyTerm != "" && picksName(picks, ev.Decision.KeyNames):
			fmt.Fprintf(&b, closestFigure, ev.Decision.KeyShown)
		case figureMissing:
			// the key read is not in the sentence shown (the asker's 奥体,
			// 机器): naming it would puzzle more than it tells
			b.WriteString(closestFigureBare)
		default:
			b.WriteString(closestNear)
		}
		b.WriteString(c.write(picks, ev.Decision))
	default:
		switch {
		case ev.Decision.Partial && ev.Decision.Missing != "":
			fmt.Fprintf(&b, partialMissingNote, ev.Decision.Missing)
		case ev.Decision.Partial:
			b.WriteString(partialNote)
		}
		if ev.Reading.YesNo && !ev.Reading.AsksFigure {
			b.WriteString(yesNoLead)
		}
		b.WriteString(c.write(pickSentences(ev.Reading, ev.Decision, ev.Result.Hits, a.opt.MaxSentences), ev.Decision))
	}
	if note := ambiguityNote(ev.Reading); note != "" {
		b.WriteString(note)
	}
	ans.Answer = b.String()
	ans.Citations = c.cits
	return a.script(ev, ans)
}

// picksName reports whether one of the sentences picked names one of
// names.
func picksName(picks []pick, names []string) bool {
	for _, p := range picks {
		f := retrieval.Fold(p.sentence)
		for _, n := range names {
			if n != "" && strings.Contains(f, retrieval.Fold(n)) {
				return true
			}
		}
	}
	return false
}

// ownOnly is the hits of region r's own documents, or all hits when none
// is.
func ownOnly(hits []retrieval.Hit, r []string) []retrieval.Hit {
	if own, _ := splitOwn(hits, r); len(own) > 0 {
		return own
	}
	return hits
}

// script writes the answer in the question's script: simplified, or
// traditional when the question is; quotes keep the original.
func (a *Answerer) script(ev Evidence, ans Answer) Answer {
	if ev.Reading.Traditional {
		ans.Answer = retrieval.Traditionalize(ans.Answer)
	} else {
		ans.Answer = retrieval.Simplify(ans.Answer)
	}
	return ans
}

// noneLine is the one line of a "none" answer.
func (a *Answerer) noneLine(ev Evidence) string {
	rd := ev.Reading
	switch {
	case rd.Empty && thanked(rd):
		return noneThanks
	case rd.Empty:
		return noneGreeting
	case rd.English:
		return noneEnglish
	case ev.Decision.Reason == judge.ForeignPlace:
		line := fmt.Sprintf(noneForeign, strings.Join(rd.Foreign, "、"))
		if utf8.RuneCountInString(line) > maxNoneRunes {
			return noneNothing
		}
		return line
	case ev.Decision.Reason == judge.NoTopic:
		return noneNoTopic
	case ev.Decision.Reason == judge.SmallTalk:
		return noneSmallTalk
	case ev.Decision.Reason == judge.BeyondHorizon:
		return fmt.Sprintf(noneBeyond, ev.Decision.Horizon, ev.Decision.AskedYear)
	case ev.Decision.Reason == judge.BeforeDocuments:
		return fmt.Sprintf(noneBefore, ev.Decision.Written, ev.Decision.AskedYear)
	case ev.Decision.Reason == judge.NotStated:
		switch ev.Decision.MissingAdvice {
		case judge.Doctor:
			return noneDoctor
		case judge.Lawyer:
			return noneLawyer
		}
		return fmt.Sprintf(noneNotStated, ev.Decision.Missing)
	case ev.Decision.Reason == judge.NoDocument || ev.Decision.Reason == judge.Unwritten:
		// the reading is folded to lower case; a Latin name is an acronym
		// (HPV疫苗)
		return fmt.Sprintf(noneNoDocument, strings.ToUpper(ev.Decision.KeyTerm))
	case ev.Decision.Reason == judge.National:
		return noneNational
	case ev.Decision.Reason == judge.CountyTotal && len(rd.Undocumented) >= 2:
		n := len(rd.Undocumented)
		return fmt.Sprintf(noneCountyTotal, rd.Undocumented[n-1], rd.Undocumented[n-2])
	case ev.Decision.Reason == judge.CountyList && len(rd.Undocumented) >= 2:
		n := len(rd.Undocumented)
		return fmt.Sprintf(noneCountyList, rd.Undocumented[n-1], rd.Undocumented[n-2])
	case ev.Decision.Reason == judge.Elsewhere && len(rd.Regions) == 1:
		line := fmt.Sprintf(noneElsewhere, rd.Regions[0][len(rd.Regions[0])-1], ev.Decision.KeyShown)
		if utf8.RuneCountInString(line) > maxNoneRunes {
			return noneNothing
		}
		return line
	}
	return noneNothing
}

func ambiguityNote(rd judge.Reading) string {
	for _, p := range rd.Places {
		if len(p.Region) == 0 && !slices.Contains(rd.Foreign, p.Mention) {
			continue // where the asker comes from: not what was read as asked
		}
		if p.Ambiguous && len(p.Place) > 0 {
			// Below the province the path says enough (沈阳市和平区); a
			// province is named by itself (河南省).
			name := strings.Join(p.Place[1:], "")
			if name == "" {
				name = p.Place[0]
			}
			return fmt.Sprintf(noteAmbiguous, p.Mention, name)
		}
	}
	return ""
}

// composer numbers citations across the parts of one answer.
type composer struct {
	a    *Answerer
	rd   judge.Reading
	cits []Citation
	num  map[string]int
}

// write renders picks: each document's sentences with [n] marks, then its
// attribution.
func (c *composer) write(picks []pick, d judge.Decision) string {
	if c.num == nil {
		c.num = map[string]int{}
	}
	var b strings.Builder
	var order []string
	bySource := map[string][]pick{}
	for _, p := range picks {
		if _, ok := bySource[p.hit.Source]; !ok {
			order = append(order, p.hit.Source)
		}
		bySource[p.hit.Source] = append(bySource[p.hit.Source], p)
	}
	for i, src := range order {
		if i > 0 {
			b.WriteString("\n")
		}
		var texts []string
		for _, p := range bySource[src] {
			n, ok := c.num[p.hit.ID]
			if !ok {
				n = len(c.cits) + 1
				c.num[p.hit.ID] = n
				c.cits = append(c.cits, Citation{N: n, Source: p.hit.Source, Title: p.hit.Title,
					Region: retrieval.RegionName(p.hit.Region), Date: p.hit.Date, Section: p.hit.Section})
			}
			c.cits[n-1].Quote += p.sentence
			shown := trimClauses(p.sentence, c.rd, d, maxShownRunes)
			shown, _ = c.a.guard.scrub(shown)
			b.WriteString(withMarker(itemNumber.ReplaceAllString(shown, ""), n))
			texts = append(texts, p.sentence)
		}
		hit := bySource[src][0].hit
		b.WriteString(c.a.attribution(hit, c.rd, texts))
	}
	return b.String()
}

// A quoted sentence up to keepWholeRunes is shown whole; a longer one is
// trimmed to at most maxShownRunes of the clauses that answer (unless one
// clause alone is longer); the citation keeps it whole.
const (
	keepWholeRunes = 45
	// explainedRunes is the longest clause shown, beyond the length limit,
	// before the clause explaining it (即…).
	explainedRunes = 24
	maxShownRunes  = 70
)

// attribution says whose document, which year, and what its time words
// mean today.
func (a *Answerer) attribution(hit retrieval.Hit, rd judge.Reading, texts []string) string {
	year, err := strconv.Atoi(strings.SplitN(hit.Date, "-", 2)[0])
	if err != nil {
		return ""
	}
	docPlace := hit.Region[len(hit.Region)-1]
	asked := ""
	for _, p := range rd.Places {
		if len(p.Region) > 0 && retrieval.RegionName(p.Region) == retrieval.RegionName(hit.Region) && len(p.Place) > len(p.Region) {
			asked = p.Place[len(p.Place)-1]
		}
	}
	if asked == "" && len(hit.Region) > 0 {
		for _, r := range rd.Regions {
			if len(r) > len(hit.Region) && retrieval.Within(r, hit.Region) {
				asked = r[len(r)-1]
			}
		}
	}
	var notes []string
	now := a.opt.Now().Year()
	joined := strings.Join(texts, "")
	switch y := passedTarget(joined, year, now); {
	case y > 0:
		notes = append(notes, fmt.Sprintf(notePastTargetPart, y))
	case now > year && strings.Contains(joined, "今年"):
		notes = append(notes, fmt.Sprintf(noteThisYearPart, year))
	case now > year && len(rd.TimeWords) > 0:
		notes = append(notes, noteNotNowPart)
	case now-year >= staleAfter:
		notes = append(notes, noteOldPart)
	}
	notes = append(notes, validityNotes(hit.Validity, a.opt.Now())...)
	return attribution(docPlace, asked, year, notes)
}

// validityNotes say that a cited document has expired or been replaced.
func validityNotes(v retrieval.Validity, now time.Time) []string {
	var notes []string
	if v.Expired(now) {
		notes = append(notes, fmt.Sprintf(noteExpiredPart, v.Expires))
	}
	if v.SupersededBy != "" {
		notes = append(notes, fmt.Sprintf(noteSupersededPart, v.SupersededByTitle))
	}
	return notes
}

// staleAfter is how old a document may be before an answer says its
// figures were plans of their time.
const staleAfter = 3

var targetYear = regexp.MustCompile(`(20\d\d)年`)

// passedTarget is the latest year after the document's own that a text
// names and that has passed, or 0.
func passedTarget(text string, docYear, now int) int {
	best := 0
	for _, m := range targetYear.FindAllStringSubmatch(text, -1) {
		y, _ := strconv.Atoi(m[1])
		if y >= docYear && y < now && y > best {
			best = y
		}
	}
	return best
}

// pick is a sentence chosen for an answer.
type pick struct {
	hit      retrieval.Hit
	rank     int // of the hit
	sentence string
	score    float64
	order    int // position in its passage, to keep reading order
}

// Sentence scoring: a figure next to the asked noun is what a figure
// question wants; a passage's rank counts as much as its wording.
const (
	figureFactor       = 1.2
	keyTermFactor      = 1.5
	moneyFactor        = 1.3
	heardFactor        = 1.5 // a sentence stating an amount within what the asker says they heard (八百多 → 850)
	growthFactor       = 1.5 // a growth or share stated (3.5%), when the question asks for one
	insideFactor       = 0.3 // a district's sentence as the closest to a question about its city
	yearFactor         = 1.5 // a sentence from a document of the year the question names
	noFigureFactor     = 0.5
	listFactor         = 1.5 // a list, when the question asks which things
	planFactor         = 1.5 // a target stated (到2025年…达到100%, 不少于15个), when the question asks what is planned
	costFactor         = 1.5 // a sentence saying free or paid, when the question asks whether it costs
	namedFactor        = 2.0 // a sentence naming the thing a which-question asks for (什么平台)
	unitFactor         = 1.3 // a figure counted in the unit asked (户, 张, 岁, 年)
	otherUnitFactor    = 0.5 // only figures counted otherwise (几年级 beside 检查率100%)
	keyClauseShare     = 0.6 // of the best clause's score, that a clause naming the key needs to be shown instead
	minListItems       = 3
	labelRunes         = 24
	labelClauseFactor  = 0.5 // a clause ending in a colon is a heading
	rankPenalty        = 0.15
	nearFigureShare    = 0.5 // of the nearest sentence's words, that a closest answer's figure sentence must hold
	minRankFactor      = 0.1 // a passage far down still counts a little
	secondPassageShare = 0.75
	minShareOfBest     = 0.5
	leadingHitShare    = 0.7
	// perYearDepth is how far down a figure asked for several years is
	// looked for in the other years' passages.
	perYearDepth = 6
	// leadingPassages are the passages whose sentences are always
	// weighed; a passage further down naming the thing asked about is
	// weighed as the second (anchorRank), another year's as the third
	// (otherYearRank).
	leadingPassages = 3
	anchorRank      = 1
	otherYearRank   = 2
)

// pickSentences scores every sentence of the leading passages by the
// weight of the question words it contains and keeps the best few, the
// best first.
func pickSentences(rd judge.Reading, d judge.Decision, hits []retrieval.Hit, most int) []pick {
	var all []pick
	// The leading passages, and those further down that first name the
	// thing asked about when none of them does ("襄阳 外地户口 居住证 孩子上学"
	// finds 科学素质 first and 居住证 fourth) or first state its figure,
	// weighed as the second.
	ranks := []int{0, 1, 2} // the leadingPassages
	for _, at := range []int{d.AnchorAt, d.FigureAt} {
		if at >= leadingPassages && at < len(hits) && !slices.Contains(ranks, at) {
			ranks = append(ranks, at)
		}
	}
	// A figure asked for several years is stated in as many places: the
	// passages further down naming the thing with a figure may hold the
	// other year's ("2023年和2025年目标分别多少": the 2023 list leads, the
	// 2025 goals come fourth). Two sides named are looked for as sides.
	if years := len(yearsNamed(rd.Core)); rd.AsksFigure && years >= 2 && len(rd.Sides) != 2 {
		for h := leadingPassages; h < min(len(hits), perYearDepth) && len(ranks) < leadingPassages+years; h++ {
			if f := retrieval.Fold(hits[h].Text); !slices.Contains(ranks, h) && hasKeyTerm(f, d) && strings.ContainsAny(f, "0123456789") {
				ranks = append(ranks, h)
			}
		}
	}
	for _, h := range ranks {
		if h >= len(hits) {
			break
		}
		hit, rank := hits[h], h
		if h >= leadingPassages && (h == d.AnchorAt || h == d.FigureAt) {
			rank = anchorRank
		} else if h >= leadingPassages {
			rank = otherYearRank
		} else if h > 0 && hit.Score < hits[0].Score*leadingHitShare && len(rd.Sides) != 2 {
			continue
		}
		for i, s := range retrieval.Sentences(hit.Text) {
			f := retrieval.Fold(s)
			sc := sentenceScore(f, rd, d)
			sc *= (1 - rankPenalty*float64(rank)) * yearWeight(d, hit)
			// The thing a which-question names (什么平台 → 搭建…网络平台),
			// over the words of the asker's account (想参加关爱空巢老人的活动).
			if rd.Named != "" && strings.Contains(f, rd.Named) {
				sc *= namedFactor
			}
			if sc > 0 {
				all = append(all, pick{hit: hit, rank: rank, sentence: s, score: sc, order: i})
			}
		}
	}
	if len(all) == 0 {
		if len(hits) == 0 {
			return nil
		}
		return []pick{{hit: hits[0], sentence: firstSentence(hits[0].Text)}}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	best := all[0].score
	out := []pick{all[0]}
	seen := map[string]bool{retrieval.Fold(all[0].sentence): true}
	// A figure asked for two years ("2023年和2025年的目标分别是多少") is
	// stated in two places: each sentence naming the thing with a figure
	// may come, from whichever passage.
	years := len(yearsNamed(rd.Core))
	perYear := rd.AsksFigure && years >= 2
	if perYear {
		most = max(most, years)
	}
	// Two things compared ("孤儿养育标准跟特困供养标准哪个高") are stated in
	// two places: a sentence with a figure naming the side the others do
	// not may come, however it scores.
	// They come first, before more of the best side.
	if rd.AsksFigure && len(rd.Sides) == 2 {
		for _, p := range all[1:] {
			key := retrieval.Fold(p.sentence)
			if len(out) < most && strings.ContainsAny(p.sentence, "0123456789") && namesSideAlone(key, out, rd.Sides) && !seen[key] && !overlaps(out, key) {
				seen[key] = true
				out = append(out, p)
			}
		}
	}
	// A second thing asked in a clause of its own ("社区食堂要建多少个,覆盖率
	// 目标是多少", "是给谁做的?会给装点啥?") is stated in another sentence:
	// the best one naming a word only that clause holds, which no sentence
	// picked names, comes too (with a figure when the clause asks one).
	// A sentence picked answers the part unless, for a figure, another
	// shares more of its asking clause (推进111个小区…配套改造 holds 改造 and
	// 小区, but 改造80个老旧小区 is what "改造多少个老旧小区" asks).
	for _, part := range otherAsks(rd, d) {
		if len(out) >= most+1 {
			continue
		}
		met := -1
		for _, p := range out {
			if f := retrieval.Fold(p.sentence); part.meets(f, d) {
				met = max(met, sharedPairs(part.clause, f))
			}
		}
		if met >= 0 && !part.figure {
			continue // what a thing is: said by the sentence that meets it
		}
		if p, ok := partAnswer(part, all[1:], hits, d, seen, out); ok && (met < 0 || (sharedPairs(part.clause, retrieval.Fold(p.sentence)) > met && sameSource(p, out))) {
			seen[retrieval.Fold(p.sentence)] = true
			out = append(out, p)
		}
	}
	for _, p := range all[1:] {
		key := retrieval.Fold(p.sentence)
		if len(out) >= most || (p.score < best*minShareOfBest && !perYear) {
			break
		}
		// Sentences from other passages must come close to the best one:
		// a neighbouring measure shares generic words (标准, 每月, 2025年)
		// and would bring in a figure of something else.
		if p.rank > 0 && p.score < best*secondPassageShare && !(perYear && hasKeyTerm(retrieval.Fold(p.sentence), d)) {
			continue
		}
		// a figure question's further sentences must carry figures too
		if rd.AsksFigure && !strings.ContainsAny(p.sentence, "0123456789") {
			continue
		}
		if seen[key] || overlaps(out, key) {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	// The best sentence leads; the rest keep their reading order.
	rest := out[1:]
	sort.SliceStable(rest, func(i, j int) bool {
		if rest[i].rank != rest[j].rank {
			return rest[i].rank < rest[j].rank
		}
		return rest[i].order < rest[j].order
	})
	return out
}

// targetStated finds a target with its figure (到2025年…100%, 不少于15个,
// 新增4000张).
var targetStated = regexp.MustCompile(`(?:到20\d\d年|不少于|不低于|达到|新建|新增|建成)[^,。;]{0,24}\d`)

// askedPart is what one asking clause of a question asks that the others
// do not: the words only it holds, or, of the thing asked about, a growth
// rate (每年涨多少) or a level (每月多少) when the other clauses ask the other.
type askedPart struct {
	words  []string
	clause string // the asking clause, folded ("" for a rate or a level)
	figure bool   // the clause asks a figure: a sentence without one does not answer it
	rate   bool   // a rate of the key term's measure (按照年度增长不低于6%)
	level  bool   // a level of it (不低于每人每月2600元)
}

// meets reports whether folded sentence f answers the part.
func (a askedPart) meets(f string, d judge.Decision) bool {
	switch {
	case a.rate:
		return hasKeyTerm(f, d) && judge.StatesRate(f)
	case a.level:
		return hasKeyTerm(f, d) && strings.ContainsAny(f, "0123456789") && !onlyShares(f)
	}
	return containsAnyWord(f, a.words) && (!a.figure || strings.ContainsAny(f, "0123456789"))
}

// partAnswer is the sentence answering part: of the scored ones, one
// naming the thing asked about if any does, sharing most of the part's
// asking clause, the best scored of those; else
// the first in the leading passages in reading order (a passage below the
// share the best one sets may hold the other figure: the rate beside the
// level of one measure).
func partAnswer(part askedPart, scored []pick, hits []retrieval.Hit, d judge.Decision, seen map[string]bool, out []pick) (pick, bool) {
	fits := func(s string) bool {
		key := retrieval.Fold(s)
		return !seen[key] && !overlaps(out, key) && part.meets(key, d)
	}
	// the scored sentence sharing most of the part's asking clause, of
	// those naming the thing asked about when one does (助餐 of 覆盖率达到
	// 100%, not a 舒心就业 社区全覆盖 sharing more words), the best scored
	best, most, keyed := -1, -1, false
	for i, p := range scored {
		if !fits(p.sentence) {
			continue
		}
		f := retrieval.Fold(p.sentence)
		k := hasKeyTerm(f, d)
		if n := sharedPairs(part.clause, f); (k && !keyed) || (k == keyed && n > most) {
			best, most, keyed = i, n, k
		}
	}
	if best >= 0 {
		return scored[best], true
	}
	for h := range min(len(hits), leadingPassages) {
		for i, s := range retrieval.Sentences(hits[h].Text) {
			if fits(s) {
				return pick{hit: hits[h], rank: h, sentence: s, order: i}, true
			}
		}
	}
	return pick{}, false
}

// englishClauses split an English question at punctuation and "and";
// englishAsking finds a clause that asks.
var (
	englishClauses = regexp.MustCompile(`\s*(?:[,;?]|\band\b)\s*`)
	englishAsking  = regexp.MustCompile(`\b(?:how|what|which|who|whom|whether|when)\b`)
)

// holdsWord reports whether clause c holds word w; in English, as a whole
// word (age is not in wage).
func holdsWord(c, w string, english bool) bool {
	if !english {
		return strings.Contains(c, w)
	}
	for _, f := range strings.FieldsFunc(c, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' }) {
		if f == w {
			return true
		}
	}
	return false
}

// otherAskWeight is the least weight of a word that marks what a further
// asking clause is about: a noun (覆盖率, 设备), not a word of asking
// or of time (以后, 建).
const otherAskWeight = 0.5

// otherAsks are what each asking clause of a question with two or more
// asks: the words that clause alone holds, and a rate and a level when one
// clause asks how much a measure is and another how fast it grows.
func otherAsks(rd judge.Reading, d judge.Decision) []askedPart {
	var clauses []string
	if rd.English {
		for _, c := range englishClauses.Split(rd.Core, -1) {
			if englishAsking.MatchString(c) {
				clauses = append(clauses, c)
			}
		}
	} else {
		clauses = judge.ClausesThatAsk(rd.Core)
	}
	if len(clauses) < 2 {
		return nil
	}
	var out []askedPart
	for i, c := range clauses {
		var words []string
		for _, t := range rd.Terms {
			if t.Weight < otherAskWeight || !holdsWord(c, t.Text, rd.English) {
				continue
			}
			elsewhere := false
			for j, o := range clauses {
				elsewhere = elsewhere || (j != i && holdsWord(o, t.Text, rd.English))
			}
			if !elsewhere {
				words = append(words, t.Text)
				for _, e := range retrieval.Expansions(t.Text) {
					words = append(words, e.Term)
				}
			}
		}
		if len(words) > 0 {
			out = append(out, askedPart{words: words, clause: retrieval.Fold(c), figure: retrieval.AsksForFigure(c)})
		}
	}
	rate, level := false, false
	for _, c := range clauses {
		if judge.AsksRate(c) {
			rate = true
		} else if retrieval.AsksForFigure(c) {
			level = true
		}
	}
	if rate && level && d.KeyTerm != "" {
		out = append(out, askedPart{rate: true}, askedPart{level: true})
	}
	return out
}

// namesSideAlone reports whether folded sentence f names a compared side
// that no sentence picked so far names.
func namesSideAlone(f string, picked []pick, sides [][]string) bool {
	for _, side := range sides {
		if !containsAnyWord(f, side) {
			continue
		}
		named := false
		for _, p := range picked {
			named = named || containsAnyWord(retrieval.Fold(p.sentence), side)
		}
		if !named {
			return true
		}
	}
	return false
}

// sumOfMoney finds a sum of money in a folded sentence: its number and
// whether it counts in 万.
var sumOfMoney = regexp.MustCompile(`([0-9][0-9,]*(?:\.[0-9]+)?)(万)?元`)

// statesHeard reports whether folded sentence f states a sum of money
// within one of the spans the asker named (850元 for 八百多); years, shares
// and counts are no such sum.
func statesHeard(f string, heard []judge.Span) bool {
	if len(heard) == 0 {
		return false
	}
	for _, m := range sumOfMoney.FindAllStringSubmatch(f, -1) {
		v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		if err != nil {
			continue
		}
		if m[2] != "" {
			v *= 10000
		}
		for _, sp := range heard {
			if sp.Holds(v) {
				return true
			}
		}
	}
	return false
}

// yearNamed finds a year a question names (2023年, 25年 is not one).
var yearNamed = regexp.MustCompile(`(?:19|20)\d\d年`)

// yearsNamed are the distinct years text names.
func yearsNamed(text string) []string {
	var out []string
	found := yearNamed.FindAllString(text, -1)
	if !hanText.MatchString(text) {
		// an English question names its years without 年 ("the 2023
		// target and the 2025 target")
		for _, m := range englishYear.FindAllStringSubmatch(text, -1) {
			found = append(found, m[1]+"年")
		}
	}
	for _, y := range found {
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	return out
}

// englishYear is a year in English text; hanText finds Chinese in text.
var (
	englishYear = regexp.MustCompile(`\b((?:19|20)\d\d)\b`)
	hanText     = regexp.MustCompile(`\p{Han}`)
)

// yearWeight raises a sentence from a document of the year the question
// names ("沈阳2016年…", "Shahekou … in 2016"): of two documents that both
// speak of it, that year's says what was planned then.
// A section headed by another year (2023年…实事清单, asked of 2025) holds
// that year's targets, not the year asked.
func yearWeight(d judge.Decision, h retrieval.Hit) float64 {
	if d.AskedYear <= 0 {
		return 1
	}
	asked := strconv.Itoa(d.AskedYear)
	for _, y := range yearNamed.FindAllString(h.Section, -1) {
		if !strings.HasPrefix(y, asked) {
			return 1 / yearFactor
		}
	}
	if strings.HasPrefix(h.Date, asked) {
		return yearFactor
	}
	return 1
}

// closestPick is the sentence a "closest" answer shows: one naming the
// thing asked about, so that no figure of something else stands where the
// missing one would.
func closestPick(rd judge.Reading, d judge.Decision, hits []retrieval.Hit) []pick {
	best := closestNaming(rd, d, hits, true)
	if best.sentence == "" && d.Group != nil {
		// No clause names the kind for the group asked (补贴 of 老人): a
		// sentence naming both without a figure, which would be another
		// group's (困难残疾人生活补贴300元).
		best = closestNaming(rd, d, hits, false)
	}
	if best.sentence == "" {
		// No sentence names the thing. One with a figure is shown only
		// where its words are near the question as those of the sentence
		// sharing most of them: otherwise its figure is of something else
		// ("百分之几的残疾人就业" is not answered by an 安葬率 of 65%).
		plain := rd
		plain.AsksFigure, plain.AsksMoney, plain.AsksRate, plain.AsksPercent = false, false, false, false
		near := pickSentences(plain, d, hits, 1)
		figured := pickSentences(rd, d, hits, 1)
		if len(near) == 1 && len(figured) == 1 &&
			sentenceScore(retrieval.Fold(figured[0].sentence), plain, d) < nearFigureShare*sentenceScore(retrieval.Fold(near[0].sentence), plain, d) {
			return near
		}
		return figured
	}
	return []pick{best}
}

// closestNaming is the best sentence of the leading hits and the anchor
// that names the thing asked about: in one clause with its group (d.Group)
// when withGroup, else naming the group anywhere and no figure.
func closestNaming(rd judge.Reading, d judge.Decision, hits []retrieval.Hit, withGroup bool) pick {
	var best pick
	for h := 0; h < len(hits) && h < max(3, d.AnchorAt+1); h++ {
		if h >= 3 && h != d.AnchorAt {
			continue
		}
		for i, s := range retrieval.Sentences(hits[h].Text) {
			f := retrieval.Fold(s)
			switch {
			case !hasKeyTerm(f, d):
				continue
			case withGroup && d.Group != nil && !judge.NamesWith(f, d.KeyNames, d.Group):
				continue
			case !withGroup && (strings.ContainsAny(f, "0123456789") || !judge.NamesWith(f, d.Group, nil)):
				continue
			}
			sc := sentenceScore(f, rd, d) * max(minRankFactor, 1-rankPenalty*float64(h))
			if judge.InsideAsked(hits[h], rd) {
				// the city's own words before a district's figure, which the
				// line above has just said the city's documents do not give
				sc *= insideFactor
			}
			sc *= yearWeight(d, hits[h])
			if sc > best.score {
				best = pick{hit: hits[h], rank: h, sentence: s, score: sc, order: i}
			}
		}
	}
	return best
}

// sentenceScore is the weight of the question words a folded sentence or
// clause holds, raised when it has the figure asked for.
func sentenceScore(f string, rd judge.Reading, d judge.Decision) float64 {
	var sc float64
	for t, w := range d.Weights {
		if strings.Contains(f, t) {
			sc += w
		}
	}
	key := hasKeyTerm(f, d)
	if rd.AsksFigure && strings.ContainsAny(f, "0123456789") {
		sc *= figureFactor
		// the figure of the thing asked about, not any figure
		if key {
			sc *= keyTermFactor
		}
		if rd.AsksMoney && amount.MatchString(f) {
			sc *= moneyFactor
		}
		if u := judge.AskedUnit(rd.FigureClause); u != "" {
			// counted as asked (多少户 → 1万户, 哪一年以前 → 2000年), or a
			// figure of another measure (几年级: 检查率100%)
			if judge.StatesUnit(u, f) {
				sc *= unitFactor
			} else {
				sc *= otherUnitFactor
			}
		}
		if statesHeard(f, rd.Heard) {
			// the amount the asker heard of, confirmed or corrected
			sc *= heardFactor
		}
		switch {
		case !rd.AsksRate && !rd.AsksPercent:
			// The level a thing reaches (能涨到多少) is not a growth rate:
			// a sentence whose only figures are shares (3.5%) says how fast,
			// not how high — unless a rate is what reaches it (覆盖率要达到多少).
			// (a share compared, 占比…哪个高, is asked in the clause before)
			if (levelAsked.MatchString(rd.FigureClause) || (levelCompared.MatchString(rd.FigureClause) && !strings.ContainsAny(rd.Core, "率比"))) &&
				!strings.ContainsAny(rd.FigureClause, "率比") && onlyShares(f) {
				sc *= noFigureFactor
			}
		case judge.StatesWanted(rd, f):
			sc *= growthFactor
		default:
			// a level reached (850元) does not say how fast it grows, nor
			// an age (65岁以上) what share signed up
			sc *= noFigureFactor
		}
	} else {
		if key {
			sc *= keyTermFactor
		}
		if judge.AsksDuration(rd.Core) && judge.StatesUnit("时长", f) {
			// how long, asked without a figure word (多久能给安排上): the
			// sentence counting hours or days (24小时即可就业) says it
			sc *= unitFactor
		}
		if rd.AsksFigure {
			// a figure question is not answered by a sentence without one
			sc *= noFigureFactor
		}
	}
	// Which things: a list (照料护理、助餐、助浴、助洁) names them.
	if rd.AsksList && isList(f) {
		sc *= listFactor
	}
	// What is planned: a target with its figure says it.
	if rd.AsksPlan && targetStated.MatchString(f) {
		sc *= planFactor
	}
	// Whether it costs: the sentence saying free or paid (免费提供…上门服务),
	// not the one on who pays for the programme.
	// A sentence saying nothing of cost does not answer whether it costs,
	// however well it names the programme (开展政府购买居家养老服务扩面行动),
	// as one without a figure does not answer a figure question.
	// (A price asked is a figure question: the figure rules above judge it.)
	if rd.AsksCost {
		if costStated.MatchString(f) {
			sc *= costFactor
		} else if !rd.AsksFigure {
			sc *= noFigureFactor
		}
	}
	// A sentence that is only a label (“三级五方”养老服务体系建设项目)
	// names the topic without saying anything about it.
	if n := utf8.RuneCountInString(f); n < labelRunes {
		sc *= float64(n) / labelRunes
	}
	return sc
}

// levelCompared sets two levels side by side (低保哪个高, 各是多少): the
// standards compared, not how fast each grows (unless 涨, 增幅 … ask that,
// which reads AsksRate first).
var levelCompared = regexp.MustCompile(`(?:哪个|哪边|谁)(?:更)?(?:高|低)|各是多少|各多少`)

// levelAsked asks the level something reaches (涨到多少, 能提高到几).
var levelAsked = regexp.MustCompile(`(?:涨|提高|提|增加|增长|达|能)到(?:多少|几)`)

// onlyShares reports whether every number in folded text is a share (3.5%).
func onlyShares(f string) bool {
	nums := numberRe.FindAllStringIndex(f, -1)
	if len(nums) == 0 {
		return false
	}
	for _, m := range nums {
		if !strings.HasPrefix(f[m[1]:], "%") {
			return false
		}
	}
	return true
}

// numberRe is a number in folded text.
var numberRe = regexp.MustCompile(`\d+(?:\.\d+)?`)

// costStated says in folded text that something is free or paid.
var costStated = regexp.MustCompile(`免费|收费|全免|减免|有偿|无偿|自费|低偿`)

// isList reports whether text lists things (照料护理、助餐、助浴).
func isList(f string) bool { return strings.Count(f, "、") >= minListItems-1 }

// amount is a sum of money in folded text.
var amount = regexp.MustCompile(`\d[\d.,]*(?:万|千)?元`)

// hasKeyTerm reports whether folded text names the key term (or a policy
// term standing for it: 低保 → 最低生活保障).
func hasKeyTerm(f string, d judge.Decision) bool {
	for _, n := range d.KeyNames {
		if strings.Contains(f, n) {
			return true
		}
	}
	return false
}

// Clauses end at commas, semicolons and colons, half- or full-width
// (documents added by staff keep their full-width punctuation).
var clauseSplit = regexp.MustCompile(`[^,;:\x{FF0C}\x{FF1B}\x{FF1A}]+[,;:\x{FF0C}\x{FF1B}\x{FF1A}]?`)

// trimClauses shortens a sentence to the clauses that carry the question:
// the best clause, widened to the one before it and to the clauses after
// it while they add question words. Quoted words are never
// changed, only fewer of them shown; the citation keeps the sentence.
func trimClauses(sentence string, rd judge.Reading, d judge.Decision, limit int) string {
	s := strings.TrimSpace(sentence)
	if utf8.RuneCountInString(s) <= keepWholeRunes {
		return s
	}
	clauses := clauseSplit.FindAllString(s, -1)
	if len(clauses) < 2 {
		return s
	}
	scores := make([]float64, len(clauses))
	best, bestKey, bestList := 0, -1, -1
	for i, c := range clauses {
		f := retrieval.Fold(c)
		scores[i] = sentenceScore(f, rd, d)
		if strings.HasSuffix(strings.TrimSpace(c), ":") || strings.HasSuffix(strings.TrimSpace(c), "\uFF1A") {
			// A heading ("…建设项目:") names what the clauses after it say.
			scores[i] *= labelClauseFactor
		}
		if scores[i] > scores[best] {
			best = i
		}
		if hasKeyTerm(f, d) && (bestKey < 0 || scores[i] > scores[bestKey]) {
			bestKey = i
		}
		// A list the question's words do not touch still names the things
		// of the measure the sentence is about (…改造设计和施工,以满足…,
		// 普及紧急呼叫设备、…燃气报警器等智能化设施设备).
		if isList(f) && (bestList < 0 || scores[i] > scores[bestList]) {
			bestList = i
		}
	}
	switch {
	case bestKey >= 0 && (d.Kind == judge.Closest || (!hasKeyTerm(retrieval.Fold(clauses[best]), d) && scores[bestKey] >= keyClauseShare*scores[best])):
		// An answer shows the clause naming the thing asked about (报警 in
		// "…普及紧急呼叫设备、烟感报警器、燃气报警器等", not the clause on
		// the measure's design before it) when it is near the best one; a
		// closest one never the figure of a neighbouring measure.
		best = bestKey
	case rd.AsksList && !rd.AsksFigure && bestList >= 0:
		// Which things: the clause listing them, not the one naming the
		// measure they belong to.
		best = bestList
	}
	lo, hi := best, best
	length := utf8.RuneCountInString(clauses[best])
	fits := func(i int) bool { return length+utf8.RuneCountInString(clauses[i]) <= limit }
	// The clause before is shown when it shares the question's words: it
	// is often the subject (成立了…公共法律服务中心, 为辖区居民提供法律援助)
	// or the figure itself (人均最低生活保障金增长到610元, 为4152户…).
	// A growth or share asked for is often said in the clause before the
	// one naming the thing (按照年度增长不低于3.5%的幅度,持续提高…标准).
	wanted := (rd.AsksRate || rd.AsksPercent) && lo > 0 && !judge.StatesWanted(rd, retrieval.Fold(clauses[lo])) && judge.StatesWanted(rd, retrieval.Fold(clauses[lo-1]))
	// A clause explaining the one before it (即县(市)区…三级由…“五方”互补
	// 联动…) needs that one: the name it explains (逐步形成“三级五方”养老服务
	// 体系) is half the answer.
	explains := lo > 0 && strings.HasPrefix(strings.TrimSpace(clauses[lo]), "即")
	if lo > 0 && (scores[lo-1] > 0 || wanted || explains) && (fits(lo-1) || explains && utf8.RuneCountInString(clauses[lo-1]) <= explainedRunes) {
		lo--
		length += utf8.RuneCountInString(clauses[lo])
	}
	// How something is done is often said in a clause just before (采取街道
	// 委托管理、…等形式,巩固…成果,逐步解决老旧小区弃管问题).
	if rd.How {
		for i := lo - 1; i >= max(0, lo-2); i-- {
			if !meansClause.MatchString(strings.TrimSpace(clauses[i])) {
				continue
			}
			n := 0
			for _, c := range clauses[i:lo] {
				n += utf8.RuneCountInString(c)
			}
			if length+n <= limit {
				lo, length = i, length+n
			}
			break
		}
	}
	// Clauses after the best one are what it says of its subject; one
	// without question words may still be the predicate that answers
	// (…缴费困难群体参加养老保险,由政府代缴), so one such is taken, then no
	// more unless the clause after it has question words again.
	defines := rd.AsksList || containsAnyWord(rd.Core, whatCues)
	for hi+1 < len(clauses) && (fits(hi+1) || (defines && hi == best && spellsOut(clauses[hi+1]))) {
		hi++
		length += utf8.RuneCountInString(clauses[hi])
		// ("…在…等方面统筹发力,欠薪案件实现动态清零": the clause without
		// question words is passed over to the one with them after it)
		if scores[hi] <= 0 && !(hi+1 < len(clauses) && scores[hi+1] > 0 && fits(hi+1)) {
			break
		}
	}
	lo, hi = widenToParts(clauses, lo, hi, rd, d)
	out := strings.Join(clauses[lo:hi+1], "")
	return strings.TrimRight(out, ",;:\uFF0C\uFF1B\uFF1A")
}

// sameSource reports whether p is from the document of a sentence picked:
// a sentence that only shares more words with the asking clause does not
// bring another place's or year's figure beside one that answers.
func sameSource(p pick, out []pick) bool {
	return slices.ContainsFunc(out, func(o pick) bool { return o.hit.Source == p.hit.Source })
}

// sharedPairs counts the pairs of adjacent Chinese characters of asked
// (an asking clause, its places already read out) that f holds.
func sharedPairs(asked, f string) int {
	rs, n := []rune(asked), 0
	for i := 0; i+1 < len(rs); i++ {
		// Chinese pairs only: years and figures (2025年) say when, not what
		if unicode.Is(unicode.Han, rs[i]) && unicode.Is(unicode.Han, rs[i+1]) && strings.Contains(f, string(rs[i:i+2])) {
			n++
		}
	}
	return n
}

// partSpanRunes is the longest span of one sentence's clauses an answer
// shows so that each thing a question of two asking clauses asks is in it.
const partSpanRunes = 130

// widenToParts widens the clauses lo..hi shown of a sentence to one stating
// each other figure the question asks in a clause of its own, where the
// same sentence states it ("改造80个老旧小区、…,完成298台老旧电梯维修更新"
// for "改造多少个老旧小区?老旧电梯维修更新多少台?"): of the clauses that
// answer the part, the one sharing most character pairs with its asking
// clause (改造80个老旧小区 over 推进111个小区…配套改造), the nearest of
// those, when it is not shown already, within partSpanRunes.
func widenToParts(clauses []string, lo, hi int, rd judge.Reading, d judge.Decision) (int, int) {
	runes := func(a, b int) int {
		n := 0
		for _, c := range clauses[a : b+1] {
			n += utf8.RuneCountInString(retrieval.Fold(c)) // as shown: no pinyin notes
		}
		return n
	}
	for _, part := range otherAsks(rd, d) {
		if !part.figure {
			continue // what a thing is: the clauses that say it are shown already
		}
		at, most, dist := -1, 0, 0
		for i, c := range clauses {
			f := retrieval.Fold(c)
			if !part.meets(f, d) {
				continue
			}
			n := sharedPairs(part.clause, f)
			far := max(lo-i, i-hi)
			if at < 0 || n > most || (n == most && far < dist) {
				at, most, dist = i, n, far
			}
		}
		if at >= 0 && (at < lo || at > hi) && runes(min(lo, at), max(hi, at)) <= partSpanRunes {
			lo, hi = min(lo, at), max(hi, at)
		}
	}
	return lo, hi
}

// meansClause states how a measure is carried out.
var meansClause = regexp.MustCompile(`^(?:采取|采用|通过|依托|利用|借助|运用)`)

// whatCues ask what a named thing is or who it is made of.
var whatCues = []string{"是什么", "是啥", "是谁", "指什么", "指啥", "指谁", "指的是", "是哪", "what is", "what are", "who are"}

// spellsOut reports whether a clause says what the one before it names
// ("…“三级五方”养老服务体系,即…“五方”互补联动的养老工作机制"): it is
// shown with it even past the length, since without it the answer only
// repeats the name asked about.
func spellsOut(clause string) bool {
	c := strings.TrimSpace(clause)
	for _, p := range []string{"即", "也就是", "分别是", "包括"} {
		if strings.HasPrefix(c, p) {
			return true
		}
	}
	return false
}

// overlaps reports whether s repeats a picked sentence, as overlapping
// windows of one item do.
func overlaps(picked []pick, s string) bool {
	for _, p := range picked {
		f := retrieval.Fold(p.sentence)
		if strings.Contains(f, s) || strings.Contains(s, f) {
			return true
		}
	}
	return false
}

func firstSentence(text string) string {
	if ss := retrieval.Sentences(text); len(ss) > 0 {
		return ss[0]
	}
	return text
}

// itemNumber is a list number opening a sentence (17. or (三)); the
// answer reads better without it, and the citation keeps it.
var itemNumber = regexp.MustCompile(`^(?:\d{1,3}[.、]|\([一二三四五六七八九十\d]{1,3}\))\s*`)

// withMarker puts [n] before the sentence's final punctuation, where Chinese
// puts a note mark: "…850元[1]。"
func withMarker(sentence string, n int) string {
	mark := "[" + strconv.Itoa(n) + "]"
	s := strings.TrimRight(sentence, " ")
	r, size := utf8.DecodeLastRuneInString(s)
	switch r {
	case '。', ';', '!', '?', '\uff01', '\uff1f', '\uff1b', ',', '\uff0c':
		return s[:len(s)-size] + mark + "。"
	}
	return s + mark + "。"
}
