package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/minsheng/minsheng/retrieval"
)

// EvalQuestion is one line of an evaluation file (see testdata/dev.jsonl).
type EvalQuestion struct {
	ID    string     `json:"id"`
	Q     string     `json:"q"`
	Kind  string     `json:"kind"` // "answerable" or "oos"
	Gold  []Gold     `json:"gold"`
	Facts [][]string `json:"facts"`
}

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
		if q.ID == "" || strings.TrimSpace(q.Q) == "" {
			return nil, fmt.Errorf("line %d: id and q are required", line)
		}
		if q.Kind != "answerable" && q.Kind != "oos" {
			return nil, fmt.Errorf("line %d: kind must be answerable or oos, not %q", line, q.Kind)
		}
		if q.Kind == "answerable" && len(q.Gold) == 0 {
			return nil, fmt.Errorf("line %d: an answerable question needs gold evidence", line)
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

// Report holds the metrics of the evaluation README.
type Report struct {
	Questions              int              `json:"questions"`
	Answerable             int              `json:"answerable"`
	OOS                    int              `json:"oos"`
	RecallAt1              float64          `json:"recall@1"`
	RecallAt5              float64          `json:"recall@5"`
	MRRAt10                float64          `json:"mrr@10"`
	FactsInAnswer          float64          `json:"facts_in_answer"`
	CitedRightDoc          float64          `json:"cited_right_doc"`
	AnsweredWhenAnswerable float64          `json:"answered_when_answerable"`
	AbstainedWhenOOS       float64          `json:"abstained_when_oos"`
	Results                []QuestionResult `json:"results"`
}

// QuestionResult is how one question fared.
type QuestionResult struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Rank      int    `json:"rank"` // of the first gold passage, 0 if not in the first 10
	Facts     bool   `json:"facts"`
	CitedGold bool   `json:"cited_gold"`
	Abstained bool   `json:"abstained"`
	Error     string `json:"error,omitempty"`
}

// AskFunc answers one request; Answerer.Answer is one.
type AskFunc func(ctx context.Context, req Request) (Answer, error)

// Evaluate asks every question and computes the metrics. A question whose
// answer fails counts as missed, not as an error of the evaluation.
func Evaluate(ctx context.Context, ask AskFunc, qs []EvalQuestion) (Report, error) {
	var rep Report
	var r1, r5, mrr, facts, cited, answered, abstained float64
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		ans, err := ask(ctx, Request{ID: q.ID, Question: q.Q})
		qr := QuestionResult{ID: q.ID, Kind: q.Kind}
		if err != nil {
			qr.Error = err.Error()
		} else {
			qr.Abstained = ans.Abstained
			qr.Rank = goldRank(q.Gold, ans.Passages, 10)
			qr.Facts = !ans.Abstained && hasFacts(ans.Answer, q.Facts)
			qr.CitedGold = !ans.Abstained && citesGold(q.Gold, ans.Citations)
		}
		rep.Results = append(rep.Results, qr)
		rep.Questions++
		if q.Kind == "oos" {
			rep.OOS++
			if err == nil && qr.Abstained {
				abstained++
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
		}
		if qr.CitedGold {
			cited++
		}
		if err == nil && !qr.Abstained {
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
	return rep, nil
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
	fmt.Fprintf(&b, "questions %d (answerable %d, out of scope %d)\n", r.Questions, r.Answerable, r.OOS)
	rows := []struct {
		name string
		v    float64
	}{
		{"recall@1", r.RecallAt1}, {"recall@5", r.RecallAt5}, {"mrr@10", r.MRRAt10},
		{"facts_in_answer", r.FactsInAnswer}, {"cited_right_doc", r.CitedRightDoc},
		{"answered_when_answerable", r.AnsweredWhenAnswerable}, {"abstained_when_oos", r.AbstainedWhenOOS},
	}
	for _, row := range rows {
		fmt.Fprintf(&b, "%-26s %.3f\n", row.name, row.v)
	}
	var missed []string
	for _, q := range r.Results {
		switch {
		case q.Error != "":
			missed = append(missed, q.ID+" (error)")
		case q.Kind == "oos" && !q.Abstained:
			missed = append(missed, q.ID+" (answered)")
		case q.Kind == "answerable" && (q.Rank != 1 || !q.Facts || !q.CitedGold || q.Abstained):
			missed = append(missed, fmt.Sprintf("%s (rank %d, facts %t, cited %t, abstained %t)", q.ID, q.Rank, q.Facts, q.CitedGold, q.Abstained))
		}
	}
	if len(missed) > 0 {
		b.WriteString("not perfect: " + strings.Join(missed, "; ") + "\n")
	}
	return b.String()
}
