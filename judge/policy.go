// Package judge reads a resident's question and judges the evidence that
// retrieval finds for it. Reading turns the question into what a search
// needs (words, places, time, the figure asked for) with the asker's own
// context set aside; judging decides between answering, offering the
// closest thing the documents say, and saying plainly that they do not
// cover it. Every threshold and weight is a named field of Policy, so an
// evaluation can sweep it and a test can pin each rule on small fakes.
package judge

import (
	"fmt"
	"sort"
)

// Policy holds every threshold and weight of reading and judging.
type Policy struct {
	// NounWeight, VerbWeight and MinorWeight weigh a question word by its
	// part of speech: a question's topic lives in its nouns, its verbs and
	// adjectives are often the asker's phrasing (方便, 费劲), and numerals,
	// pronouns, times and particles (七十多, 现在) tell about the asker.
	NounWeight  float64
	VerbWeight  float64
	MinorWeight float64
	// SingleCharWeight weighs a one-character word, mostly a verb or
	// particle of the asker (打, 发, 办).
	SingleCharWeight float64
	// FocusWeight weighs the action a how-question asks about (怎么注册 →
	// 注册), which must be covered for the question to be.
	FocusWeight float64
	// CarriedWeight scales the words a follow-up that names its own thing
	// carries from the earlier question: they help find its passage, its
	// own words say what the answer is about.
	CarriedWeight float64
	// AccountWeight scales the words of an English account told before the
	// asking sentence ("My grandparents waited ages for a nursing-home bed.
	// How many beds did the city add in 2016?"): they help find the
	// passage, the asking sentence says which one it is.
	AccountWeight float64
	// DescribedBy is how many different words of a figure question must
	// stand, in the thesaurus, for one policy term the question does not
	// write for that term to be the thing asked about (a programme
	// described by its features: 装扶手、做防滑 → 适老化改造).
	DescribedBy int
	// OwnIDFRunes is the length from which a policy term the documents
	// write weighs its own IDF rather than the lowest of its thesaurus
	// group's (智能养老服务设备 is rare; its group's 智能 is not).
	OwnIDFRunes int
	// FocusClauses is how many clauses a question must have for it to be
	// searched again by what it asks alone, when the whole of it finds too
	// little: a long account ("我奶奶今年九十了,一个人住…,耳朵背,…")
	// outweighs the short clause that asks ("装的是啥设备").
	FocusClauses int
	// AbsentVerbFactor scales a non-noun word that no document uses: an
	// unknown noun (护照) says the topic is missing, an unknown verb
	// (伺候, 费劲) more often says the asker talks differently.
	AbsentVerbFactor float64

	// CreditThesaurus is the credit a word earns when a policy term it maps
	// to is in the passage (吃饭 → 助餐); synonyms are as good as the word.
	CreditThesaurus float64
	// CreditPart is the credit for a long word whose two-character parts
	// are all in the passage (健身器材 in 健身路径体育器材).
	CreditPart float64

	// MinCoverage is the evidence needed to answer: the IDF-weighted share
	// of the question's words found in one of the leading passages.
	MinCoverage float64
	// MinClosest is the evidence below which nothing relevant exists; from
	// it up to MinCoverage the answer is "closest" when the question's key
	// noun is in the passage.
	MinClosest float64
	// MaxCommonShare is the share of passages above which a word is
	// common (老年人, 免费): when a question asks about a thing no document
	// writes (公交) and the passage found shares no rarer word with it,
	// the passage is about something else and nothing is answered.
	MaxCommonShare float64
	// MinFigureSentence is how much of the clause asking for a figure one
	// sentence with a number must cover for the figure to count as stated,
	// when the key noun itself is not next to a number.
	MinFigureSentence float64
	// MinUnitSentence is how much of that clause a sentence must cover
	// when it states a number in the measure the question counts in
	// (18万人次 for 多少人次), the key noun not required.
	MinUnitSentence float64
	// MinClauseCoverage is how well one clause of a compound question must
	// be covered for a partial answer; MinClauseShare is how much of the
	// question's weight that clause must carry to stand for it.
	MinClauseCoverage float64
	MinClauseShare    float64
	// ReviewYears is how many years before its own a document speaks of
	// without naming them: a work report reviews the year before it
	// (2016年沙河口区政府工作报告 gives 2015's 610元). A question about an
	// earlier year that no passage names is not the documents' to answer.
	ReviewYears int
	// PlanReach is how many years past its own a document speaks of
	// without naming them: a 2023 plan's measures reach its 2025 targets,
	// a 2016 report's the year after. A year asked beyond what the passages
	// naming the thing reach is not theirs to answer (沙河口区2024年低保标准
	// from the 2016 report), though a later document found beside them
	// reaches it.
	PlanReach int
	// EvidenceDepth is how many leading passages are judged.
	EvidenceDepth int
	// AnchorDepth is how far down a passage naming the thing asked about
	// is looked for when the leading EvidenceDepth do not name it: it can
	// still be shown as the closest the documents come (育儿补贴 ranks
	// fourth under passages with sums of money for "给多少钱").
	AnchorDepth int

	// MinCuratedSimilarity is how closely a question must ask what a
	// curated answer's question (or one of its wordings) asks for that
	// answer to be given (see Reader.Similarity). A curated answer is
	// given instead of the documents' own words, so a wrong match costs
	// more than a miss, which the documents still answer: on the fresh
	// sets no question with another answer reaches 0.5, while a question
	// on the same topic asking something else can come near 0.6 (社区有
	// 老年食堂吗 / 老年食堂吃饭要钱吗: 0.59). Rewordings the bar misses are
	// what a pair's other wordings are for.
	MinCuratedSimilarity float64
	// AskMismatchFactor scales the similarity of two questions when one
	// asks for a figure or how to do something and the other does not:
	// 低保标准是多少 and 低保怎么申请 share their topic, not their answer.
	AskMismatchFactor float64
}

// DefaultPolicy is the operating point chosen on the calibration set (see
// README, "Choosing the policy").
func DefaultPolicy() Policy {
	return Policy{
		NounWeight:        1,
		VerbWeight:        0.5,
		MinorWeight:       0.2,
		SingleCharWeight:  0.3,
		FocusWeight:       1.5,
		AbsentVerbFactor:  0.5,
		CarriedWeight:     0.5,
		AccountWeight:     0.5,
		DescribedBy:       2,
		OwnIDFRunes:       5,
		FocusClauses:      4,
		CreditThesaurus:   1,
		CreditPart:        0.5,
		MinCoverage:       0.36,
		MinClosest:        0.2,
		MaxCommonShare:    0.03,
		MinFigureSentence: 0.5,
		MinUnitSentence:   0.5,
		MinClauseCoverage: 0.7,
		MinClauseShare:    0.3,
		ReviewYears:       1,
		PlanReach:         2,
		EvidenceDepth:     3,
		AnchorDepth:       5,

		MinCuratedSimilarity: 0.65,
		AskMismatchFactor:    0.5,
	}
}

// knobs names the fields an evaluation may sweep.
func (p *Policy) knobs() map[string]*float64 {
	return map[string]*float64{
		"noun_weight":         &p.NounWeight,
		"verb_weight":         &p.VerbWeight,
		"minor_weight":        &p.MinorWeight,
		"single_char_weight":  &p.SingleCharWeight,
		"focus_weight":        &p.FocusWeight,
		"absent_verb_factor":  &p.AbsentVerbFactor,
		"carried_weight":      &p.CarriedWeight,
		"account_weight":      &p.AccountWeight,
		"credit_thesaurus":    &p.CreditThesaurus,
		"credit_part":         &p.CreditPart,
		"min_coverage":        &p.MinCoverage,
		"min_closest":         &p.MinClosest,
		"max_common_share":    &p.MaxCommonShare,
		"min_figure_sentence": &p.MinFigureSentence,
		"min_unit_sentence":   &p.MinUnitSentence,
		"min_clause_coverage": &p.MinClauseCoverage,
		"min_clause_share":    &p.MinClauseShare,

		"min_curated_similarity": &p.MinCuratedSimilarity,
		"ask_mismatch_factor":    &p.AskMismatchFactor,
	}
}

// Set changes the field named name (snake case, as Knobs lists them).
func (p *Policy) Set(name string, v float64) error {
	f, ok := p.knobs()[name]
	if !ok {
		return fmt.Errorf("unknown policy field %q (known: %v)", name, p.Knobs())
	}
	*f = v
	return nil
}

// Knobs lists the names Set accepts.
func (p *Policy) Knobs() []string {
	var names []string
	for n := range p.knobs() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
