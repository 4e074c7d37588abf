package bot

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"strings"
)

// checksData is the check set run before and after every change to the
// library: questions about the seed documents, written from their texts,
// with the document and figures each answer should have. It is embedded so
// that a deployment checks its changes too.
//
//go:embed checks.jsonl
var checksData []byte

// Checks returns the embedded check set.
func Checks() ([]EvalQuestion, error) {
	qs, err := ReadQuestions(bytes.NewReader(checksData))
	if err != nil {
		return nil, fmt.Errorf("checks.jsonl: %w", err)
	}
	return qs, nil
}

// CheckMove is one check question's outcome before and after a change.
type CheckMove struct {
	ID, Q, Doc    string // Doc: the question's document (its gold)
	Before, After QuestionResult
	// Meant says the question is about a document the change superseded:
	// its answer is expected to move.
	Meant bool
	// Broken says the answer lost its facts or its document, and was not
	// meant to.
	Broken bool
}

// CompareChecks sets the per-question results of two runs of qs side by
// side. changed are the library names the change touched (added, removed,
// replaced); superseded those it marked superseded. A question about a
// document not among them that had its facts or its document before and
// lacks one after is broken.
func CompareChecks(qs []EvalQuestion, before, after Report, changed, superseded []string) []CheckMove {
	var out []CheckMove
	for i, q := range qs {
		if i >= len(before.Results) || i >= len(after.Results) {
			break
		}
		m := CheckMove{ID: q.ID, Q: q.Q, Before: before.Results[i], After: after.Results[i]}
		if len(q.Gold) > 0 {
			m.Doc = q.Gold[0].Doc
		}
		about := func(names []string) bool {
			for _, n := range names {
				if m.Doc != "" && strings.HasPrefix(n, m.Doc) {
					return true
				}
			}
			return false
		}
		m.Meant = about(superseded)
		// Its document is lost when the answer no longer cites it, or no
		// longer cites it first.
		first := func(r QuestionResult) bool { return m.Doc != "" && strings.HasPrefix(r.Cited, m.Doc) }
		lost := (m.Before.Facts && !m.After.Facts) || (m.Before.CitedGold && !m.After.CitedGold) || (first(m.Before) && !first(m.After))
		m.Broken = lost && !m.Meant && !about(changed)
		out = append(out, m)
	}
	return out
}

// Moved reports whether the decision, the cited document or the facts
// changed.
func (m CheckMove) Moved() bool {
	b, a := m.Before, m.After
	return checkDecision(b) != checkDecision(a) || b.Cited != a.Cited || b.Facts != a.Facts
}

// checkDecision is a result's decision as the check diff shows it.
func checkDecision(r QuestionResult) string {
	if r.Error != "" {
		return "error"
	}
	return r.Confidence
}

// String renders one line of the diff.
func (m CheckMove) String() string {
	before, after := m.Sides()
	mark := " "
	switch {
	case m.Broken:
		mark = "✗"
	case m.Meant && m.Moved():
		mark = "~"
	case m.Moved():
		mark = "•"
	}
	line := fmt.Sprintf("%s %s %s: %s → %s", mark, m.ID, m.Q, before, after)
	switch {
	case m.Broken:
		line += "  (lost its facts or its document)"
	case m.Meant && m.Moved():
		line += "  (about the superseded document: meant to move)"
	}
	return line
}

// Broken counts the moves that broke.
func Broken(moves []CheckMove) int {
	n := 0
	for _, m := range moves {
		if m.Broken {
			n++
		}
	}
	return n
}

// Sides renders the result before and after as the diff shows them:
// decision, cited document, facts.
func (m CheckMove) Sides() (before, after string) {
	return checkSide(m.Before), checkSide(m.After)
}

func checkSide(r QuestionResult) string {
	cited := r.Cited
	if cited == "" {
		cited = "-"
	}
	facts := "facts ✗"
	if r.Facts {
		facts = "facts ✓"
	}
	return fmt.Sprintf("%s %s %s", checkDecision(r), cited, facts)
}

// RunChecks answers qs over a's index from the documents alone, as the
// CLI's check runs do: an LLM would spend tokens on every change and could
// word the same evidence two ways, curated answers would answer before the
// documents, and the queue is for residents' questions.
func RunChecks(ctx context.Context, a *Answerer, qs []EvalQuestion) (Report, error) {
	opt := a.opt
	opt.Reader, opt.Policy = a.reader, nil
	opt.LLM, opt.Budget, opt.Curated, opt.OnUnanswered = nil, nil, nil, nil
	opt.OnLLMError, opt.OnRoute, opt.OnStripped = nil, nil, nil
	return Evaluate(ctx, NewAnswerer(a.search, opt).Answer, qs)
}
