package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// EvalQuestion is one line of an evaluation file (see testdata/dev.jsonl
// and testdata/eval-README.md).
type EvalQuestion struct {
	ID string `json:"id"`
	Q  string `json:"q"`
	// Kind is "answerable", "oos" (the documents do not cover it) or
	// "closest" (they discuss the topic but do not state what is asked).
	Kind  string     `json:"kind"`
	Gold  []Gold     `json:"gold"`
	Facts [][]string `json:"facts"`
	// Context holds the earlier user turns of a conversation, oldest
	// first; the question is asked as their follow-up (Request.History).
	Context []string `json:"context,omitempty"`
	// Group names a paraphrase group: questions asking the same thing in
	// other words, which should get the same decision.
	Group string `json:"group,omitempty"`
}

// Kinds of an evaluation question.
const (
	KindAnswerable = "answerable"
	KindOOS        = "oos"
	KindClosest    = "closest"
)

// Gold names acceptable evidence: a passage of document Doc (the first
// three characters of its file name) containing any of the phrases.
type Gold struct {
	Doc string   `json:"doc"`
	Any []string `json:"any"`
}

// ReadQuestions decodes an evaluation file strictly, one object a line.
func ReadQuestions(r io.Reader) ([]EvalQuestion, error) {
	var qs []EvalQuestion
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var q EvalQuestion
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("line %d: more than one JSON value", line)
		}
		if err := q.check(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("no questions")
	}
	return qs, nil
}

func (q EvalQuestion) check() error {
	if q.ID == "" || strings.TrimSpace(q.Q) == "" {
		return fmt.Errorf("id and q are required")
	}
	switch q.Kind {
	case KindAnswerable, KindClosest:
		if len(q.Gold) == 0 {
			return fmt.Errorf("an %s question needs gold evidence", q.Kind)
		}
	case KindOOS:
	default:
		return fmt.Errorf("kind must be answerable, oos or closest, not %q", q.Kind)
	}
	for i, turn := range q.Context {
		if strings.TrimSpace(turn) == "" {
			return fmt.Errorf("context turn %d is empty", i+1)
		}
	}
	return nil
}

// Report holds the metrics of the evaluation README.
type Report struct {
	Questions              int     `json:"questions"`
	Answerable             int     `json:"answerable"`
	OOS                    int     `json:"oos"`
	Closest                int     `json:"closest"`
	RecallAt1              float64 `json:"recall@1"`
	RecallAt5              float64 `json:"recall@5"`
	MRRAt10                float64 `json:"mrr@10"`
	FactsInAnswer          float64 `json:"facts_in_answer"`
	CitedRightDoc          float64 `json:"cited_right_doc"`
	AnsweredWhenAnswerable float64 `json:"answered_when_answerable"`
	AbstainedWhenOOS       float64 `json:"abstained_when_oos"`
	// ClosestHandled is, over the closest questions, the share answered
	// (confidence answer or closest) with a gold document cited.
	ClosestHandled float64 `json:"closest_handled"`
	// FactEarly is, among answerable questions written in simplified
	// Chinese and answered with all their facts, the share whose earliest
	// fact starts within the first FactEarlyRunes characters of the
	// normalised answer. English and traditional questions are left out,
	// as the bar is for simplified-script answers: an English
	// answer opens with a line saying the documents are in Chinese.
	FactEarly float64 `json:"fact_early"`
	// Simplified is the share of answers with no traditional characters,
	// over questions not themselves written in traditional script.
	Simplified float64 `json:"simplified"`
	// MedianAnswerRunes is the median length of answers (answer or
	// closest) to questions in simplified Chinese; MedianAbstentionRunes
	// that of abstentions (abstained or confidence none).
	MedianAnswerRunes     float64 `json:"median_answer_runes"`
	MedianAbstentionRunes float64 `json:"median_abstention_runes"`
	// ParaphraseGroups counts groups of at least two questions;
	// ParaphraseConsistency is the share of them whose members all reach
	// the same decision and the same facts outcome.
	ParaphraseGroups      int              `json:"paraphrase_groups"`
	ParaphraseConsistency float64          `json:"paraphrase_consistency"`
	InconsistentGroups    []string         `json:"inconsistent_groups,omitempty"`
	Results               []QuestionResult `json:"results"`

	// denominators of the metrics above, for Table.
	n struct{ factEarly, simplified, answers, abstentions int }
}

// FactEarlyRunes is how near the start of an answer its first fact must be
// for fact_early.
const FactEarlyRunes = 60

// QuestionResult is how one question fared.
type QuestionResult struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Group string `json:"group,omitempty"`
	Rank  int    `json:"rank"` // of the first gold passage, 0 if not in the first 10
	// Cited is the document the answer cites first, "" when none.
	Cited     string `json:"cited,omitempty"`
	Facts     bool   `json:"facts"`
	CitedGold bool   `json:"cited_gold"`
	Abstained bool   `json:"abstained"`
	// Confidence is the answer's decision; an empty one is read as "none"
	// when the answer abstained and "answer" otherwise. "" after an error.
	Confidence string `json:"confidence"`
	// FactsPos is the rune index in the normalised answer of the earliest
	// fact phrase found, -1 when none is (or the question was not answered).
	FactsPos int `json:"facts_pos"`
	// AnswerRunes is the length of the answer text in characters.
	AnswerRunes int `json:"answer_runes"`
	// Traditional marks an answer in traditional script to a question
	// that was not.
	Traditional bool   `json:"traditional,omitempty"`
	Error       string `json:"error,omitempty"`
}

// answered reports whether the question got an answer: not abstained,
// confidence "answer" or "closest" (not "clarify" or "none").
func (q QuestionResult) answered() bool {
	return q.Error == "" && !q.Abstained && (q.Confidence == ConfidenceAnswer || q.Confidence == ConfidenceClosest)
}

// Decision is the confidence of an answer, with the empty confidence of
// older code read from Abstained: "none" when it abstained, else "answer".
func Decision(a Answer) string {
	if a.Confidence != "" {
		return a.Confidence
	}
	if a.Abstained {
		return ConfidenceNone
	}
	return ConfidenceAnswer
}

// AskFunc answers one request; Answerer.Answer is one.
type AskFunc func(ctx context.Context, req Request) (Answer, error)

// Evaluate asks every question and computes the metrics. A question whose
// answer fails counts as missed, not as an error of the evaluation.
func Evaluate(ctx context.Context, ask AskFunc, qs []EvalQuestion) (Report, error) {
	var rep Report
	var r1, r5, mrr, facts, cited, answered, abstained, closest, early, simplified float64
	var ansLen, absLen []int
	groups := map[string][]int{} // group → indexes into rep.Results
	var groupOrder []string
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		req := Request{ID: q.ID, Question: q.Q}
		if len(q.Context) > 0 {
			req.History = append([]string(nil), q.Context...)
		}
		ans, err := ask(ctx, req)
		qr := QuestionResult{ID: q.ID, Kind: q.Kind, Group: q.Group, FactsPos: -1}
		if err != nil {
			qr.Error = err.Error()
		} else {
			qr.Abstained = ans.Abstained
			qr.Confidence = Decision(ans)
			qr.AnswerRunes = utf8.RuneCountInString(ans.Answer)
			qr.Rank = goldRank(q.Gold, ans.Passages, 10)
			if len(ans.Citations) > 0 {
				qr.Cited = ans.Citations[0].Source
			}
			if qr.answered() {
				qr.Facts = hasFacts(ans.Answer, q.Facts)
				qr.CitedGold = citesGold(q.Gold, ans.Citations)
				qr.FactsPos = factsPos(ans.Answer, q.Facts)
			}
			if !retrieval.IsTraditional(q.Q) {
				rep.n.simplified++
				if retrieval.IsTraditional(ans.Answer) {
					qr.Traditional = true
				} else {
					simplified++
				}
				if qr.answered() && hasHan(q.Q) {
					ansLen = append(ansLen, qr.AnswerRunes)
				}
			}
			if qr.Abstained || qr.Confidence == ConfidenceNone {
				absLen = append(absLen, qr.AnswerRunes)
			}
		}
		if q.Group != "" {
			if _, ok := groups[q.Group]; !ok {
				groupOrder = append(groupOrder, q.Group)
			}
			groups[q.Group] = append(groups[q.Group], len(rep.Results))
		}
		rep.Results = append(rep.Results, qr)
		rep.Questions++
		switch q.Kind {
		case KindOOS:
			rep.OOS++
			if err == nil && !qr.answered() {
				abstained++
			}
			continue
		case KindClosest:
			rep.Closest++
			if qr.answered() && qr.CitedGold {
				closest++
			}
			continue
		}
		rep.Answerable++
		if qr.Rank == 1 {
			r1++
		}
		if qr.Rank >= 1 && qr.Rank <= 5 {
			r5++
		}
		if qr.Rank > 0 {
			mrr += 1 / float64(qr.Rank)
		}
		if qr.Facts {
			facts++
			if len(q.Facts) > 0 && hasHan(q.Q) && !retrieval.IsTraditional(q.Q) {
				rep.n.factEarly++
				if qr.FactsPos >= 0 && qr.FactsPos < FactEarlyRunes {
					early++
				}
			}
		}
		if qr.CitedGold {
			cited++
		}
		if qr.answered() {
			answered++
		}
	}
	if n := float64(rep.Answerable); n > 0 {
		rep.RecallAt1, rep.RecallAt5, rep.MRRAt10 = r1/n, r5/n, mrr/n
		rep.FactsInAnswer, rep.CitedRightDoc, rep.AnsweredWhenAnswerable = facts/n, cited/n, answered/n
	}
	if rep.OOS > 0 {
		rep.AbstainedWhenOOS = abstained / float64(rep.OOS)
	}
	if rep.Closest > 0 {
		rep.ClosestHandled = closest / float64(rep.Closest)
	}
	if rep.n.factEarly > 0 {
		rep.FactEarly = early / float64(rep.n.factEarly)
	}
	if rep.n.simplified > 0 {
		rep.Simplified = simplified / float64(rep.n.simplified)
	}
	rep.n.answers, rep.n.abstentions = len(ansLen), len(absLen)
	rep.MedianAnswerRunes, rep.MedianAbstentionRunes = median(ansLen), median(absLen)
	consistent := 0
	for _, g := range groupOrder {
		members := groups[g]
		if len(members) < 2 {
			continue
		}
		rep.ParaphraseGroups++
		if sameOutcome(rep.Results, members) {
			consistent++
		} else {
			rep.InconsistentGroups = append(rep.InconsistentGroups, g)
		}
	}
	if rep.ParaphraseGroups > 0 {
		rep.ParaphraseConsistency = float64(consistent) / float64(rep.ParaphraseGroups)
	}
	return rep, nil
}

// sameOutcome reports whether the results at idx all reach the same
// decision (an error is a decision of its own) and all have their facts
// or all lack them.
func sameOutcome(rs []QuestionResult, idx []int) bool {
	decision := func(r QuestionResult) string {
		if r.Error != "" {
			return "error"
		}
		return r.Confidence
	}
	first := rs[idx[0]]
	for _, i := range idx[1:] {
		if decision(rs[i]) != decision(first) || rs[i].Facts != first.Facts {
			return false
		}
	}
	return true
}

func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}

// hasHan reports whether s has any Chinese character; a question without
// one is taken as English.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func norm(s string) string { return retrieval.Fold(s) }

func goldDoc(g Gold, source string) bool { return strings.HasPrefix(source, g.Doc) }

func goldRank(gold []Gold, ps []Passage, depth int) int {
	for i, p := range ps {
		if i >= depth {
			break
		}
		text := norm(p.Text)
		for _, g := range gold {
			if !goldDoc(g, p.Source) {
				continue
			}
			for _, phrase := range g.Any {
				if strings.Contains(text, norm(phrase)) {
					return i + 1
				}
			}
		}
	}
	return 0
}

func hasFacts(answer string, groups [][]string) bool {
	a := norm(answer)
	for _, g := range groups {
		ok := false
		for _, phrase := range g {
			if strings.Contains(a, norm(phrase)) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// factsPos is the rune index in the normalised answer of the earliest
// occurrence of any fact phrase of any group, -1 when none occurs.
func factsPos(answer string, groups [][]string) int {
	a := norm(answer)
	best := -1
	for _, g := range groups {
		for _, phrase := range g {
			i := strings.Index(a, norm(phrase))
			if i < 0 {
				continue
			}
			if pos := utf8.RuneCountInString(a[:i]); best < 0 || pos < best {
				best = pos
			}
		}
	}
	return best
}

func citesGold(gold []Gold, cits []Citation) bool {
	for _, c := range cits {
		for _, g := range gold {
			if goldDoc(g, c.Source) {
				return true
			}
		}
	}
	return false
}

// Table renders the report for a terminal.
func (r Report) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "questions %d (answerable %d, out of scope %d, closest %d)\n", r.Questions, r.Answerable, r.OOS, r.Closest)
	rows := []struct {
		name string
		v    float64
		of   int // the denominator when it is not the answerable questions, else -1
	}{
		{"recall@1", r.RecallAt1, -1}, {"recall@5", r.RecallAt5, -1}, {"mrr@10", r.MRRAt10, -1},
		{"facts_in_answer", r.FactsInAnswer, -1}, {"cited_right_doc", r.CitedRightDoc, -1},
		{"answered_when_answerable", r.AnsweredWhenAnswerable, -1},
		{"abstained_when_oos", r.AbstainedWhenOOS, r.OOS},
		{"closest_handled", r.ClosestHandled, r.Closest},
		{"fact_early", r.FactEarly, r.n.factEarly},
		{"simplified", r.Simplified, r.n.simplified},
		{"paraphrase_consistency", r.ParaphraseConsistency, r.ParaphraseGroups},
	}
	for _, row := range rows {
		switch {
		case row.of < 0:
			fmt.Fprintf(&b, "%-26s %.3f\n", row.name, row.v)
		case row.of == 0:
			fmt.Fprintf(&b, "%-26s -     (of 0)\n", row.name)
		default:
			fmt.Fprintf(&b, "%-26s %.3f (of %d)\n", row.name, row.v, row.of)
		}
	}
	fmt.Fprintf(&b, "%-26s %.1f (of %d)\n", "median_answer_runes", r.MedianAnswerRunes, r.n.answers)
	fmt.Fprintf(&b, "%-26s %.1f (of %d)\n", "median_abstention_runes", r.MedianAbstentionRunes, r.n.abstentions)
	var missed []string
	for _, q := range r.Results {
		note := ""
		if q.Traditional {
			note = ", traditional answer"
		}
		switch {
		case q.Error != "":
			missed = append(missed, q.ID+" (error)")
		case q.Kind == KindOOS && q.answered():
			missed = append(missed, fmt.Sprintf("%s (answered, confidence %s%s)", q.ID, q.Confidence, note))
		case q.Kind == KindAnswerable && (q.Rank != 1 || !q.Facts || !q.CitedGold || !q.answered()):
			missed = append(missed, fmt.Sprintf("%s (rank %d, facts %t, cited %t, abstained %t, confidence %s%s)",
				q.ID, q.Rank, q.Facts, q.CitedGold, q.Abstained, q.Confidence, note))
		case q.Kind == KindClosest && (!q.answered() || !q.CitedGold):
			missed = append(missed, fmt.Sprintf("%s (closest: rank %d, cited %t, abstained %t, confidence %s%s)",
				q.ID, q.Rank, q.CitedGold, q.Abstained, q.Confidence, note))
		case q.Traditional:
			missed = append(missed, q.ID+" (traditional answer)")
		}
	}
	if len(missed) > 0 {
		b.WriteString("not perfect: " + strings.Join(missed, "; ") + "\n")
	}
	if len(r.InconsistentGroups) > 0 {
		var gs []string
		for _, g := range r.InconsistentGroups {
			var members []string
			for _, q := range r.Results {
				if q.Group != g {
					continue
				}
				outcome := q.Confidence
				if q.Error != "" {
					outcome = "error"
				}
				if q.Facts {
					outcome += "+facts"
				}
				members = append(members, q.ID+" "+outcome)
			}
			gs = append(gs, g+" ("+strings.Join(members, ", ")+")")
		}
		b.WriteString("inconsistent groups: " + strings.Join(gs, "; ") + "\n")
	}
	return b.String()
}

// CurvePoint is the evaluation at one value of a swept setting (a
// threshold, say): Coverage is the share of all N questions answered
// (confidence answer or closest), Risk the share of the Answered ones
// that are Wrong.
type CurvePoint struct {
	Value    float64 `json:"value"`
	Coverage float64 `json:"coverage"`
	Risk     float64 `json:"risk"`
	Answered int     `json:"answered"`
	Wrong    int     `json:"wrong"`
	N        int     `json:"n"`
}

// Curve is a risk–coverage curve, one point a value.
type Curve []CurvePoint

// Sweep evaluates the questions once per value, asking with ask(v), and
// returns the risk–coverage points in the order of values. An answer is
// wrong when it answers an answerable question without every fact group or
// without citing a gold document, a closest question without citing a gold
// document, or an out-of-scope question at all. A failed answer counts as
// not answered.
func Sweep(ctx context.Context, qs []EvalQuestion, values []float64, ask func(v float64) (AskFunc, error)) ([]CurvePoint, error) {
	var pts []CurvePoint
	for _, v := range values {
		f, err := ask(v)
		if err != nil {
			return pts, fmt.Errorf("value %g: %w", v, err)
		}
		rep, err := Evaluate(ctx, f, qs)
		if err != nil {
			return pts, err
		}
		pts = append(pts, curvePoint(v, rep))
	}
	return pts, nil
}

func curvePoint(v float64, rep Report) CurvePoint {
	p := CurvePoint{Value: v, N: len(rep.Results)}
	for _, q := range rep.Results {
		if !q.answered() {
			continue
		}
		p.Answered++
		switch q.Kind {
		case KindAnswerable:
			if !q.Facts || !q.CitedGold {
				p.Wrong++
			}
		case KindClosest:
			if !q.CitedGold {
				p.Wrong++
			}
		default: // out of scope
			p.Wrong++
		}
	}
	if p.N > 0 {
		p.Coverage = float64(p.Answered) / float64(p.N)
	}
	if p.Answered > 0 {
		p.Risk = float64(p.Wrong) / float64(p.Answered)
	}
	return p
}

// Table renders the curve for a terminal.
func (c Curve) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %8s %8s %8s %6s %6s\n", "value", "coverage", "risk", "answered", "wrong", "n")
	for _, p := range c {
		fmt.Fprintf(&b, "%-10s %8.3f %8.3f %8d %6d %6d\n", strconv.FormatFloat(p.Value, 'g', -1, 64), p.Coverage, p.Risk, p.Answered, p.Wrong, p.N)
	}
	return b.String()
}

// SVG draws the curve as a small standalone SVG line chart: risk (y)
// against coverage (x), one labelled point a value, in the order swept.
func (c Curve) SVG() string {
	const (
		w, h                     = 480, 360
		left, right, top, bottom = 56, 24, 32, 48
		pw, ph                   = w - left - right, h - top - bottom
	)
	// Coverage spans 0–1; risk 0 up to the next tenth above its maximum.
	maxRisk := 0.1
	for _, p := range c {
		if p.Risk > maxRisk {
			maxRisk = p.Risk
		}
	}
	maxRisk = math.Min(1, math.Ceil(maxRisk*10-1e-9)/10)
	clamp := func(v float64) float64 { return math.Max(0, math.Min(1, v)) }
	x := func(cov float64) float64 { return left + clamp(cov)*pw }
	y := func(risk float64) float64 { return top + ph - clamp(risk/maxRisk)*ph }
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="13">risk against coverage</text>`+"\n", left)
	// Grid and ticks.
	for i := 0; i <= 5; i++ {
		f := float64(i) / 5
		gx, gy := num(x(f)), num(y(f*maxRisk))
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#ddd"/>`+"\n", gx, top, gx, top+ph)
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#ddd"/>`+"\n", left, gy, left+pw, gy)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%.1f</text>`+"\n", gx, top+ph+16, f)
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%.2f</text>`+"\n", left-6, gy, f*maxRisk)
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>`+"\n", left, top, pw, ph)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">coverage</text>`+"\n", left+pw/2, h-10)
	fmt.Fprintf(&b, `<text x="14" y="%d" text-anchor="middle" transform="rotate(-90 14 %d)">risk</text>`+"\n", top+ph/2, top+ph/2)
	if len(c) > 0 {
		pts := make([]string, len(c))
		for i, p := range c {
			pts[i] = num(x(p.Coverage)) + "," + num(y(p.Risk))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#1f77b4" stroke-width="2"/>`+"\n", strings.Join(pts, " "))
		for _, p := range c {
			px, py := num(x(p.Coverage)), num(y(p.Risk))
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="#1f77b4"><title>value %s: coverage %.3f, risk %.3f</title></circle>`+"\n",
				px, py, strconv.FormatFloat(p.Value, 'g', -1, 64), p.Coverage, p.Risk)
			fmt.Fprintf(&b, `<text x="%s" y="%s" dx="5" dy="-5">%s</text>`+"\n", px, py, strconv.FormatFloat(p.Value, 'g', -1, 64))
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
