package judge

import (
	"strings"

	"github.com/minsheng/minsheng/retrieval"
)

// Comparable is a reading made ready to be compared with others: its
// topical terms and its judged text with the policy terms its everyday
// words stand for. A curated answer's questions are prepared once.
type Comparable struct {
	Reading Reading
	terms   []Term
	text    string
}

// Comparable prepares a reading for Similarity.
func (r *Reader) Comparable(rd Reading) Comparable {
	return Comparable{Reading: rd, terms: r.topicalTerms(rd.Terms), text: expandedText(rd)}
}

// Similarity is how nearly two questions ask the same thing, from 0 to 1:
// the share of each one's judged words, weighted as judging weighs them,
// that the other holds — the word itself, a policy term the thesaurus
// maps either side to, or a long word's parts — taking the smaller share,
// so that neither a question that says more nor one that says less passes
// for the other. Typos are corrected and places and the asker's framing
// set aside by reading, so 浑南低保一个月给多少钱 and 居民问我浑南区的低保
// 标准是多少 meet on 低保 and 标准. Only topical words count: one
// character, numerals, pronouns and particles (吃, 拿, 这边, 一个月) say how
// a person talks, and among two short questions they would weigh as much
// as the topic. Two questions that ask different kinds of thing — a figure
// or not, an amount of money or not, how to do something or not, how much
// a figure grows or how large it is (低保标准是多少 / 低保怎么申请 / 低保
// 标准每年提高多少) — are scaled down by Policy.AskMismatchFactor: sharing
// the topic is not asking the same thing.
func (r *Reader) Similarity(a, b Comparable) float64 {
	if len(a.terms) == 0 || len(b.terms) == 0 {
		return 0
	}
	s := min(r.heldShare(a, b), r.heldShare(b, a))
	ra, rb := a.Reading, b.Reading
	if ra.AsksFigure != rb.AsksFigure || ra.How != rb.How || asksRate(ra) != asksRate(rb) || asksAmount(ra) != asksAmount(rb) {
		s *= r.policy.AskMismatchFactor
	}
	return s
}

// AsksSame reports whether two questions are close enough for the answer
// curated for one to answer the other (Policy.MinCuratedSimilarity), with
// their similarity.
func (r *Reader) AsksSame(a, b Comparable) (float64, bool) {
	s := r.Similarity(a, b)
	return s, s >= r.policy.MinCuratedSimilarity
}

// topicalTerms keeps the topical terms, each thing once: an everyday word
// standing for a policy term the question also names (老年食堂 … 吃饭)
// would count the same thing twice.
func (r *Reader) topicalTerms(terms []Term) []Term {
	var out []Term
	for _, t := range terms {
		if !r.policy.topical(t) {
			continue
		}
		standsIn := false
		for _, n := range r.names(t.Text)[1:] {
			if n != t.Text && hasTerm(terms, n) {
				standsIn = true
			}
		}
		if !standsIn {
			out = append(out, t)
		}
	}
	return out
}

// heldShare is the weighted share of a's topical terms that b holds.
func (r *Reader) heldShare(a, b Comparable) float64 {
	var total, got float64
	for _, t := range a.terms {
		w := r.termWeight(t)
		total += w
		if hasTerm(b.terms, t.Text) {
			got += w
		} else {
			got += w * r.foundIn(t.Text, b.text)
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// asksRate reports whether a reading asks how fast a figure grows rather
// than how large it is.
func asksRate(rd Reading) bool {
	return rd.AsksFigure && containsAny(rd.FigureClause, rateCues)
}

// asksAmount reports whether a reading asks for an amount of money: as
// reading decides, or through the thesaurus (一个月多少 and 给多少 stand
// for a benefit's 标准, as the word 标准 itself does).
func asksAmount(rd Reading) bool {
	if rd.AsksMoney {
		return true
	}
	if !rd.AsksFigure || containsAny(rd.FigureClause, rateCues) {
		return false
	}
	for _, e := range retrieval.Expansions(rd.FigureClause) {
		if e.Term == "标准" {
			return true
		}
	}
	return false
}

// expandedText is a reading's judged text with the policy terms its
// everyday words stand for, so that a word of the other question is found
// whichever side used the everyday word (吃饭 / 助餐).
func expandedText(rd Reading) string {
	parts := []string{rd.Judged}
	for _, e := range retrieval.Expansions(rd.Judged) {
		parts = append(parts, e.Term)
	}
	return strings.Join(parts, " ")
}
