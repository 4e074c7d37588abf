package bot

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/retrieval"
	"github.com/minsheng/minsheng/retrieval/retrievaltest"
)

// seedIndex is the shared seed index, set by seedAnswerer.
var seedIndex *retrieval.Index

// seedAnswerer builds the seed index once for all tests of the package.
func seedAnswerer(t testing.TB) *Answerer {
	t.Helper()
	seedIndex = retrievaltest.SeedIndex(t)
	return NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents()})
}

type bar struct {
	name      string
	got, want float64
}

func bars(rep Report, r1, r5, mrr, facts, cited, answered, abstained float64) []bar {
	return []bar{
		{"recall@5", rep.RecallAt5, r5},
		{"recall@1", rep.RecallAt1, r1},
		{"mrr@10", rep.MRRAt10, mrr},
		{"facts_in_answer", rep.FactsInAnswer, facts},
		{"cited_right_doc", rep.CitedRightDoc, cited},
		{"answered_when_answerable", rep.AnsweredWhenAnswerable, answered},
		{"abstained_when_oos", rep.AbstainedWhenOOS, abstained},
	}
}

func evaluateFile(t *testing.T, path string) Report {
	t.Helper()
	a := seedAnswerer(t)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQuestions(f)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), a.Answer, qs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s\n%s", path, rep.Table())
	return rep
}

// TestDevSetBars runs the evaluation of testdata/dev.jsonl and fails below
// the bars of the core issue.
func TestDevSetBars(t *testing.T) {
	rep := evaluateFile(t, "../testdata/dev.jsonl")
	for _, b := range bars(rep, 0.85, 0.97, 0.90, 0.90, 0.95, 0.95, 0.90) {
		if b.got < b.want {
			t.Errorf("%s = %.3f, below the bar %.2f", b.name, b.got, b.want)
		}
	}
}

// TestMoreQuestionSets guards the sets that were tuned on at the level
// they have reached, which may only move up (answer lengths only down):
// set2 (colloquial, traditional, near misses), set3 (other facts,
// how-questions), the fresh tuning sets of issue 9 and the spent sealed2. These are dev sets: a
// high figure here proves little; the sealed set's figure in the README is
// the one that counts. The calibration set is not guarded: it only chooses
// the policy's operating point.
func TestMoreQuestionSets(t *testing.T) {
	levels := map[string]map[string]float64{
		"../testdata/set2.jsonl": {"recall@1": 0.91, "recall@5": 0.97, "mrr@10": 0.95, "facts_in_answer": 0.95,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 0.93, "simplified": 1, "median_answer_runes": 80, "median_abstention_runes": 40},
		"../testdata/set3.jsonl": {"recall@1": 1, "recall@5": 1, "mrr@10": 1, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1,
			"fact_early": 0.95, "simplified": 1, "median_answer_runes": 70, "median_abstention_runes": 40},
		"../testdata/fresh/tune.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.92,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.92, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 40},
		"../testdata/fresh/tune2.jsonl": {"recall@1": 0.83, "recall@5": 0.97, "mrr@10": 0.90, "facts_in_answer": 0.95,
			"cited_right_doc": 0.95, "answered_when_answerable": 0.97, "abstained_when_oos": 0.92, "closest_handled": 0.87,
			"fact_early": 0.91, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 95, "median_abstention_runes": 40},
		"../testdata/fresh/tune3.jsonl": {"recall@1": 0.89, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.95,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.87,
			"fact_early": 0.89, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 85, "median_abstention_runes": 50},
		"../testdata/fresh/tune4.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.95,
			"cited_right_doc": 0.97, "answered_when_answerable": 0.97, "abstained_when_oos": 0.91, "closest_handled": 1,
			"fact_early": 0.94, "simplified": 1, "paraphrase_consistency": 0.8,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// tune5 and tune6 were measured once on first contact (README), then
		// tuned on.
		"../testdata/fresh/tune5.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.97,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.90, "simplified": 1, "paraphrase_consistency": 0.87,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune6.jsonl": {"recall@1": 0.90, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.94, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed2 to sealed6 were run once for the README, then
		// became tuning sets. Refusals that name what is missing (长期护理
		// 保险, 开放时间) are longer than the generic line: abstention
		// lengths are held at 50, well under the bar of 120.
		// sealed2's closest_handled 1 → 0.88 and abstention 40 → 50: its
		// z-055 (浑南区失业保险金一个月能领多少) is labelled closest, the same
		// question in sealed8 (s8-028) out of scope; only 大连's document
		// writes 失业保险金, and the refusal now names 浑南区 as the place.
		"../testdata/sealed/sealed2.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.91, "facts_in_answer": 0.94,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.88,
			"fact_early": 0.90, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 80, "median_abstention_runes": 50},
		"../testdata/sealed/sealed3.jsonl": {"recall@1": 0.87, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.92,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 1,
			"fact_early": 0.92, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed4.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.91, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.9,
			"fact_early": 0.88, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed5.jsonl": {"recall@1": 0.83, "recall@5": 1, "mrr@10": 0.90, "facts_in_answer": 0.94,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.88,
			"fact_early": 0.92, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed6.jsonl": {"recall@1": 0.92, "recall@5": 0.98, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.88,
			"fact_early": 0.87, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed7 to sealed11 were run once for the README, then tuned on;
		// sealed8's out-of-scope labels were reviewed (3 moved to closest,
		// as the format defines it) by a helper who saw only the documents.
		// sealed7's fact_early 0.92 → 0.90 and sealed10's recall@1 0.91 →
		// 0.90, mrr 0.95 → 0.94, fact_early 0.88 → 0.87: English words for
		// the documents' measures answer s7-046 and s10-059 (facts behind
		// the English lead line) and move one gold passage of sealed10 a
		// rank down; both sets now answer every answerable question.
		"../testdata/sealed/sealed7.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.90, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.90, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed8.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 0.92,
			"fact_early": 0.93, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// closest_handled re-based 1 → 0.92: s9-029 (襄阳新农合住院报销比例) is
		// labelled closest here, while eight questions of other writers asking
		// a reimbursement rate no document states are out of scope; it is now
		// refused as the attribute 报销比例.
		"../testdata/sealed/sealed9.jsonl": {"recall@1": 0.90, "recall@5": 0.98, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.92,
			"fact_early": 0.93, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed10.jsonl": {"recall@1": 0.90, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.87, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed11.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed12 is held at the level reached since its run (read
		// after it, general fixes only); sealed13 at the README's final
		// figures.
		"../testdata/sealed/sealed12.jsonl": {"recall@1": 0.88, "recall@5": 0.96, "mrr@10": 0.92, "facts_in_answer": 0.91,
			"cited_right_doc": 0.95, "answered_when_answerable": 0.96, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.62,
			"median_answer_runes": 80, "median_abstention_runes": 50},
		"../testdata/sealed/sealed13.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.89, "closest_handled": 1,
			"fact_early": 0.9, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 80, "median_abstention_runes": 50},
		// Round nine: tune7 to tune20 (first contact in testdata/fresh's
		// README), tuned on since; sealed14 run once (3e72621), then read
		// and tuned on. Held at the level reached.
		"../testdata/fresh/tune7.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 1,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.88, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune8.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.93, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune9.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.91, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune10.jsonl": {"recall@1": 0.97, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.95, "closest_handled": 1,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune11.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.91, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune12.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.95, "closest_handled": 1,
			"fact_early": 0.93, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune13.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.9, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune14.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.9, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune15.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.91, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// tune16's fact_early 0.91 → 0.89: an English answer now right,
		// its fact behind the English lead line.
		"../testdata/fresh/tune16.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.9,
			"fact_early": 0.89, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune17.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 0.87,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune18.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.93, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune19.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.9, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune20.jsonl": {"recall@1": 0.83, "recall@5": 1, "mrr@10": 0.91, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.9, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed14.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.87,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed15 is held at the README's final figures (its one run, 165592f).
		"../testdata/sealed/sealed15.jsonl": {"recall@1": 0.87, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 0.91, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// Round ten: tune21 to tune41 (first contact in testdata/fresh's
		// README; tune39 to tune41 were measured once on dd08c1d beside
		// sealed16 and not tuned on), held at the levels reached.
		"../testdata/fresh/tune21.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune22.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.96,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune23.jsonl": {"recall@1": 0.9, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune24.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune25.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune26.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// fact_early re-based 0.96 → 0.94: a volunteer-platform question now has its facts, stated after 60 characters
		"../testdata/fresh/tune27.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.94, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune28.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune29.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune30.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// mrr@10 re-based 0.97 → 0.96: 住春柳那边 is read as the street, and the gold passage of that story ranks 4th, not 2nd (its answer now states the fact at once)
		"../testdata/fresh/tune31.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune32.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.94, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune33.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune34.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune35.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune36.jsonl": {"recall@1": 0.8, "recall@5": 1, "mrr@10": 0.88, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.87, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune37.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.8,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune38.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// fact_early re-based 1 → 0.98: a volunteer-platform question now has its facts, stated after 60 characters
		"../testdata/fresh/tune39.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.95,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune40.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.95,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.85, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.5,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune41.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.93,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.89, "closest_handled": 0.9,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.5,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed16 is held at the README's final figures (its one run, dd08c1d).
		"../testdata/sealed/sealed16.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.96,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.89, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.87,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// tune42 and sealed17 were run once on df31525, after the rules the
		// first held-out run taught; held at those figures.
		// tune42, tune49 and tune52: recall@1 and mrr@10 re-based in round
		// twelve (one 海葬 question each now ranks its gold passage second,
		// answered the same) when 骨灰海葬 stopped being an alternative name
		// of 节地生态安葬, so that 海葬 asked of 浑南 is refused as only 大连's.
		"../testdata/fresh/tune42.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.8,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed17.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.87,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// Round eleven: tune43–46 measured once on first contact (9ca5686),
		// tune47–49 once on dcac6b1 after the rules the first four taught
		// (README); then tuned on and held at the levels reached.
		"../testdata/fresh/tune43.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune44.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune45.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune46.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// fact_early re-based 0.98 → 0.96: the English question quoting 事实无人抚养儿童 now has its fact, after the line saying the documents are in Chinese
		"../testdata/fresh/tune47.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// closest_handled re-based from 1 in round thirteen: "怎么申请?找谁?"
		// alone asks the procedure, which the documents never give (none).
		"../testdata/fresh/tune48.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.95,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune49.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// tune50–52 measured once on bec4c54 (README), then tuned on.
		"../testdata/fresh/tune50.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.9,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune51.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.8,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.8,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune52.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// tune53, tune54 and sealed18 were run once on 4abd9e5 (README);
		// held at the levels reached after.
		"../testdata/fresh/tune53.jsonl": {"recall@1": 0.85, "recall@5": 0.98, "mrr@10": 0.91, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.8,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.8,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune54.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed18.jsonl": {"recall@1": 0.88, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.93,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.89, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// Round twelve: tune55–58 were run once on 557eae1, tune60 and tune61
		// on 78111cf, tune59 on 835169a, sealed19 on 1dd5d4d (README); held at
		// the levels reached after.
		"../testdata/fresh/tune55.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.93,
			"cited_right_doc": 0.93, "answered_when_answerable": 0.95, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune56.jsonl": {"recall@1": 0.9, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.93,
			"cited_right_doc": 0.93, "answered_when_answerable": 0.93, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune57.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.82, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune58.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune59.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 0.9,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune60.jsonl": {"recall@1": 0.88, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune61.jsonl": {"recall@1": 0.8, "recall@5": 0.96, "mrr@10": 0.88, "facts_in_answer": 0.91,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed19.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// Round thirteen: tune62-tune75 were each measured once on first
		// contact (README), then tuned on.
		"../testdata/fresh/tune62.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.54,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune63.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.45,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune64.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.45,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune65.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune66.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune67.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune68.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune69.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune70.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune71.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune72.jsonl": {"recall@1": 0.8, "recall@5": 1, "mrr@10": 0.89, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune73.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune74.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune75.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// tune76-78: measured once on the round's final code (955fd7f), then tuned on
		"../testdata/fresh/tune76.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// recall@1 re-based 0.93 → 0.91 in round fourteen: English "returned" reads 返还, which
		// ranks another 返还 passage over the gold one for t77-004 (answer and fact unchanged)
		"../testdata/fresh/tune77.jsonl": {"recall@1": 0.91, "recall@5": 0.98, "mrr@10": 0.94, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.88, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune78.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// the round's sealed sets, spent once (README), then tuned on
		"../testdata/sealed/sealed20.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.54,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed21.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// round fourteen: tune79-84 met 3eccedf once, tune85-88 fa1fdce, tune89-92 c3cca09 (README), then tuned on
		"../testdata/fresh/tune79.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune80.jsonl": {"recall@1": 0.93, "recall@5": 0.98, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune81.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.95,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune82.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune83.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune84.jsonl": {"recall@1": 0.94, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune85.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune86.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune87.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune88.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.89, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune89.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune90.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune91.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune92.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// round fourteen, fourth wave: tune93-96 met the final code 940d1b8 once (README), then tuned on
		"../testdata/fresh/tune93.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune94.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune95.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.85, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune96.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// round fourteen's sealed sets, run once on 899ef6b (README), then tuned on
		"../testdata/sealed/sealed22.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed23.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// round fifteen's fresh sets, first met in four waves (README), then tuned on
		"../testdata/fresh/tune97.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune98.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune99.jsonl": {"recall@1": 0.91, "recall@5": 0.98, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.92, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune100.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune101.jsonl": {"recall@1": 0.91, "recall@5": 0.98, "mrr@10": 0.95, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune102.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune103.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune104.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune105.jsonl": {"recall@1": 0.72, "recall@5": 0.93, "mrr@10": 0.81, "facts_in_answer": 0.73,
			"cited_right_doc": 0.83, "answered_when_answerable": 0.83, "abstained_when_oos": 0.89, "closest_handled": 0.72,
			"fact_early": 0.89, "simplified": 1, "paraphrase_consistency": 0.33,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune106.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune107.jsonl": {"recall@1": 0.93, "recall@5": 0.98, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune108.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune109.jsonl": {"recall@1": 0.96, "recall@5": 0.98, "mrr@10": 0.97, "facts_in_answer": 0.9,
			"cited_right_doc": 0.93, "answered_when_answerable": 0.93, "abstained_when_oos": 0.96, "closest_handled": 0.81,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.58,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune110.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune111.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 70},
		"../testdata/fresh/tune112.jsonl": {"recall@1": 0.85, "recall@5": 0.98, "mrr@10": 0.9, "facts_in_answer": 0.93,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 97, "median_abstention_runes": 50},
		// round fifteen's sealed sets, run once on 9d39d85 (README), then spent
		"../testdata/sealed/sealed24.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed25.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// round sixteen: four waves of fresh sets, each run once on the commit of its day (README), then tuned on
		"../testdata/fresh/tune113.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune114.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune115.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.92, "closest_handled": 0.91,
			"fact_early": 0.94, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune116.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune117.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune118.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune119.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune120.jsonl": {"recall@1": 0.93, "recall@5": 0.98, "mrr@10": 0.95, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.89, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune121.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.95,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune122.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune123.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.91,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune124.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 70},
		"../testdata/fresh/tune125.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune126.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune127.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.95,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune128.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune129.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.95,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// a fifth wave, met once by the sealed runs' code 5189a36 (README)
		"../testdata/fresh/tune130.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune131.jsonl": {"recall@1": 0.86, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune132.jsonl": {"recall@1": 0.9, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.93,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune133.jsonl": {"recall@1": 0.86, "recall@5": 0.98, "mrr@10": 0.91, "facts_in_answer": 0.9,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// round sixteen's sealed sets, run once on 5189a36 (README), then spent
		"../testdata/sealed/sealed26.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed27.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune134.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune135.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune136.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.83,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune137.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.93, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed28.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed29.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.84,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune138.jsonl": {"recall@1": 0.92, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune139.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.91, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.91,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune140.jsonl": {"recall@1": 0.92, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune141.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 0.83,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed30.jsonl": {"recall@1": 0.89, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.89,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.93, "closest_handled": 0.91,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed31.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.95,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune142.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.91,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune143.jsonl": {"recall@1": 0.89, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune144.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune145.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.93,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.87, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune146.jsonl": {"recall@1": 0.88, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune147.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune148.jsonl": {"recall@1": 0.92, "recall@5": 0.98, "mrr@10": 0.94, "facts_in_answer": 0.93,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune149.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.85,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed32.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed33.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune150.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune151.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.88, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune152.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune153.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// fact_early 0.98 → 0.96 in round nineteen: tune154-001 (多久能给
		// 安排上就业) now shows the 24小时 sentence, its fact past 60
		// characters, where it showed none.
		"../testdata/fresh/tune154.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.95,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.96, "simplified": 1, "paraphrase_consistency": 0.66,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune155.jsonl": {"recall@1": 0.9, "recall@5": 0.98, "mrr@10": 0.94, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune156.jsonl": {"recall@1": 0.87, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 0.8,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune157.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed34.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.93,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed35.jsonl": {"recall@1": 0.9, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.84, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// Round nineteen: tune158–163 met first on 82e36f5, tune164–167 on
		// c3c4882 (README "Round nineteen"), then tuned on; sealed36 and
		// sealed37 run once on 212de7b, then spent.
		"../testdata/fresh/tune158.jsonl": {"recall@1": 0.86, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune159.jsonl": {"recall@1": 0.86, "recall@5": 0.98, "mrr@10": 0.9, "facts_in_answer": 0.91,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.8, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune160.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.9,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.86, "closest_handled": 0.8,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.5,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune161.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.94, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.6,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune162.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.9,
			"cited_right_doc": 0.96, "answered_when_answerable": 0.96, "abstained_when_oos": 0.9, "closest_handled": 0.5,
			"fact_early": 0.88, "simplified": 1, "paraphrase_consistency": 0.58,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune163.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune164.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune165.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.93,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.6,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune166.jsonl": {"recall@1": 0.86, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.86,
			"cited_right_doc": 0.98, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.8,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 0.66,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune167.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune168.jsonl": {"recall@1": 0.85, "recall@5": 1, "mrr@10": 0.92, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.86, "closest_handled": 0.8,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune169.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune170.jsonl": {"recall@1": 0.83, "recall@5": 0.98, "mrr@10": 0.9, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune171.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune172.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.6,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune173.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune174.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.4,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 60},
		"../testdata/fresh/tune175.jsonl": {"recall@1": 0.9, "recall@5": 0.98, "mrr@10": 0.93, "facts_in_answer": 0.95,
			"cited_right_doc": 0.96, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.8,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune176.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 1, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/fresh/tune177.jsonl": {"recall@1": 0.9, "recall@5": 0.98, "mrr@10": 0.94, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed36.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.95, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed37.jsonl": {"recall@1": 0.96, "recall@5": 1, "mrr@10": 0.98, "facts_in_answer": 0.98,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.83, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed38 and sealed39 run once on 7470206, then spent.
		"../testdata/sealed/sealed38.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.96, "closest_handled": 0.9,
			"fact_early": 0.93, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed39.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.93, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed40 and sealed41 run once on 1133677, then spent.
		"../testdata/sealed/sealed40.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 1, "closest_handled": 0.8,
			"fact_early": 0.94, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed41.jsonl": {"recall@1": 0.93, "recall@5": 0.98, "mrr@10": 0.96, "facts_in_answer": 0.95,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.86, "closest_handled": 0.7,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.75,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed42-45 run once on d2e0ed2, then spent (and tuned on).
		"../testdata/sealed/sealed42.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.96, "closest_handled": 1,
			"fact_early": 0.98, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed43.jsonl": {"recall@1": 1, "recall@5": 1, "mrr@10": 1, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.93, "closest_handled": 0.8,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed44.jsonl": {"recall@1": 0.93, "recall@5": 1, "mrr@10": 0.96, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.9, "closest_handled": 1,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 1,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed45.jsonl": {"recall@1": 0.88, "recall@5": 1, "mrr@10": 0.93, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.93, "closest_handled": 0.7,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed46 and sealed47 run once on fc5a08c, then spent.
		"../testdata/sealed/sealed46.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 0.98,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.86, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.83,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed47.jsonl": {"recall@1": 0.91, "recall@5": 1, "mrr@10": 0.95, "facts_in_answer": 0.96,
			"cited_right_doc": 0.98, "answered_when_answerable": 0.98, "abstained_when_oos": 0.9, "closest_handled": 1,
			"fact_early": 0.97, "simplified": 1, "paraphrase_consistency": 0.66,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		// sealed48 and sealed49 run once on 7ac09c9, then spent.
		"../testdata/sealed/sealed48.jsonl": {"recall@1": 0.98, "recall@5": 1, "mrr@10": 0.99, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.86, "closest_handled": 0.9,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
		"../testdata/sealed/sealed49.jsonl": {"recall@1": 0.95, "recall@5": 1, "mrr@10": 0.97, "facts_in_answer": 1,
			"cited_right_doc": 1, "answered_when_answerable": 1, "abstained_when_oos": 0.8, "closest_handled": 0.7,
			"fact_early": 1, "simplified": 1, "paraphrase_consistency": 0.91,
			"median_answer_runes": 90, "median_abstention_runes": 50},
	}
	for path, want := range levels {
		rep := evaluateFile(t, path)
		got := map[string]float64{
			"recall@1": rep.RecallAt1, "recall@5": rep.RecallAt5, "mrr@10": rep.MRRAt10,
			"facts_in_answer": rep.FactsInAnswer, "cited_right_doc": rep.CitedRightDoc,
			"answered_when_answerable": rep.AnsweredWhenAnswerable, "abstained_when_oos": rep.AbstainedWhenOOS,
			"closest_handled": rep.ClosestHandled, "fact_early": rep.FactEarly, "simplified": rep.Simplified,
			"paraphrase_consistency": rep.ParaphraseConsistency,
			"median_answer_runes":    rep.MedianAnswerRunes, "median_abstention_runes": rep.MedianAbstentionRunes,
		}
		for name, w := range want {
			g, ok := got[name]
			if !ok {
				t.Fatalf("no metric %s", name)
			}
			if strings.HasPrefix(name, "median_") {
				if g > w {
					t.Errorf("%s: %s = %.1f, above the level reached %.0f", path, name, g, w)
				}
				continue
			}
			if g < w-1e-9 {
				t.Errorf("%s: %s = %.3f, below the level reached %.2f", path, name, g, w)
			}
		}
	}
}

// fakeAsk answers from a table by question ID; an ID missing from it fails.
func fakeAsk(answers map[string]Answer) AskFunc {
	return func(_ context.Context, req Request) (Answer, error) {
		a, ok := answers[req.ID]
		if !ok {
			return Answer{}, errors.New("no answer")
		}
		return a, nil
	}
}

func cite(doc string) []Citation { return []Citation{{N: 1, Source: doc + "_doc.txt"}} }

func answerable(id, q string, facts ...[]string) EvalQuestion {
	return EvalQuestion{ID: id, Q: q, Kind: KindAnswerable, Gold: []Gold{{Doc: "001", Any: []string{"x"}}}, Facts: facts}
}

func TestReadQuestionsDecoding(t *testing.T) {
	good := `{"id":"a","q":"补贴多少?","kind":"answerable","gold":[{"doc":"001","any":["补贴"]}],"facts":[["500元"]],"group":"g1"}
{"id":"b","q":"那大连呢?","kind":"answerable","gold":[{"doc":"002","any":["大连"]}],"context":["沈阳的补贴多少?","要什么材料?"]}

{"id":"c","q":"有没有上限?","kind":"closest","gold":[{"doc":"003","any":["补贴"]}]}
{"id":"d","q":"能养宠物吗?","kind":"oos"}
`
	qs, err := ReadQuestions(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 4 || qs[0].Group != "g1" || len(qs[1].Context) != 2 || qs[1].Context[0] != "沈阳的补贴多少?" ||
		qs[2].Kind != KindClosest || len(qs[2].Facts) != 0 {
		t.Errorf("decoded %+v", qs)
	}
	for _, tc := range []struct{ name, line, want string }{
		{"bad kind", `{"id":"a","q":"问","kind":"maybe"}`, "kind must be"},
		{"closest without gold", `{"id":"a","q":"问","kind":"closest"}`, "needs gold"},
		{"answerable without gold", `{"id":"a","q":"问","kind":"answerable"}`, "needs gold"},
		{"unknown field", `{"id":"a","q":"问","kind":"oos","paraphrase":"g"}`, "unknown field"},
		{"context not a list", `{"id":"a","q":"问","kind":"oos","context":"之前"}`, "cannot unmarshal"},
		{"empty context turn", `{"id":"a","q":"问","kind":"oos","context":["之前"," "]}`, "context turn 2"},
		{"group not a string", `{"id":"a","q":"问","kind":"oos","group":3}`, "cannot unmarshal"},
		{"no id", `{"q":"问","kind":"oos"}`, "required"},
		{"two values", `{"id":"a","q":"问","kind":"oos"} {"id":"b"}`, "more than one"},
	} {
		_, err := ReadQuestions(strings.NewReader(good + tc.line + "\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "line 6") {
			t.Errorf("%s: error %v, want line 6 and %q", tc.name, err, tc.want)
		}
	}
}

func TestEvaluateContextAsHistory(t *testing.T) {
	var got [][]string
	ask := func(_ context.Context, req Request) (Answer, error) {
		got = append(got, req.History)
		return Answer{Answer: "好"}, nil
	}
	ctxTurns := []string{"沈阳的补贴多少?", "要什么材料?"}
	qs := []EvalQuestion{
		{ID: "a", Q: "那大连呢?", Kind: KindOOS, Context: ctxTurns},
		{ID: "b", Q: "补贴多少?", Kind: KindOOS},
	}
	if _, err := Evaluate(context.Background(), ask, qs); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[0], ctxTurns) || got[1] != nil {
		t.Errorf("histories %q", got)
	}
	got[0][0] = "changed"
	if qs[0].Context[0] != "沈阳的补贴多少?" {
		t.Error("the answerer can change the question's context")
	}
}

func TestEvaluateAnsweredAndAbstained(t *testing.T) {
	qs := []EvalQuestion{
		answerable("legacy", "问"), answerable("answer", "问"), answerable("closest", "问"),
		answerable("clarify", "问"), answerable("none", "问"), answerable("abstained", "问"), answerable("error", "问"),
		{ID: "o-legacy", Q: "问", Kind: KindOOS}, {ID: "o-answered", Q: "问", Kind: KindOOS},
		{ID: "o-closest", Q: "问", Kind: KindOOS}, {ID: "o-clarify", Q: "问", Kind: KindOOS},
		{ID: "o-none", Q: "问", Kind: KindOOS}, {ID: "o-error", Q: "问", Kind: KindOOS},
	}
	rep, err := Evaluate(context.Background(), fakeAsk(map[string]Answer{
		"legacy":     {Answer: "答", Citations: cite("001")},
		"answer":     {Answer: "答", Confidence: ConfidenceAnswer, Citations: cite("001")},
		"closest":    {Answer: "答", Confidence: ConfidenceClosest, Citations: cite("001")},
		"clarify":    {Answer: "哪个区?", Confidence: ConfidenceClarify, Citations: cite("001")},
		"none":       {Answer: "没有", Confidence: ConfidenceNone},
		"abstained":  {Answer: "没有", Abstained: true},
		"o-legacy":   {Answer: "没有", Abstained: true},
		"o-answered": {Answer: "答"},
		"o-closest":  {Answer: "答", Confidence: ConfidenceClosest},
		"o-clarify":  {Answer: "哪个区?", Confidence: ConfidenceClarify},
		"o-none":     {Answer: "没有", Confidence: ConfidenceNone, Abstained: true},
	}), qs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Answerable != 7 || rep.OOS != 6 {
		t.Fatalf("counts %d %d", rep.Answerable, rep.OOS)
	}
	if want := 3.0 / 7; !near(rep.AnsweredWhenAnswerable, want) {
		t.Errorf("answered_when_answerable = %.3f, want %.3f", rep.AnsweredWhenAnswerable, want)
	}
	if want := 3.0 / 6; !near(rep.AbstainedWhenOOS, want) {
		t.Errorf("abstained_when_oos = %.3f, want %.3f", rep.AbstainedWhenOOS, want)
	}
	if want := 3.0 / 7; !near(rep.CitedRightDoc, want) { // the clarify answer's citation does not count
		t.Errorf("cited_right_doc = %.3f, want %.3f", rep.CitedRightDoc, want)
	}
	conf := map[string]string{}
	for _, r := range rep.Results {
		conf[r.ID] = r.Confidence
	}
	want := map[string]string{"legacy": "answer", "abstained": "none", "o-legacy": "none", "closest": "closest", "clarify": "clarify", "error": ""}
	for id, c := range want {
		if conf[id] != c {
			t.Errorf("%s: confidence %q, want %q", id, conf[id], c)
		}
	}
}

func TestEvaluateClosestHandled(t *testing.T) {
	closest := func(id string) EvalQuestion {
		return EvalQuestion{ID: id, Q: "问", Kind: KindClosest, Gold: []Gold{{Doc: "002", Any: []string{"x"}}}}
	}
	qs := []EvalQuestion{closest("ok"), closest("as-answer"), closest("wrong-doc"), closest("none"), closest("clarify"), closest("abstained")}
	rep, err := Evaluate(context.Background(), fakeAsk(map[string]Answer{
		"ok":        {Answer: "文件只说了", Confidence: ConfidenceClosest, Citations: cite("002")},
		"as-answer": {Answer: "答", Confidence: ConfidenceAnswer, Citations: cite("002")},
		"wrong-doc": {Answer: "答", Confidence: ConfidenceClosest, Citations: cite("001")},
		"none":      {Answer: "没有", Confidence: ConfidenceNone, Citations: cite("002")},
		"clarify":   {Answer: "哪个区?", Confidence: ConfidenceClarify, Citations: cite("002")},
		"abstained": {Answer: "没有", Confidence: ConfidenceClosest, Abstained: true, Citations: cite("002")},
	}), qs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Closest != 6 || rep.Answerable != 0 || !near(rep.ClosestHandled, 2.0/6) {
		t.Errorf("closest %d, closest_handled %.3f, want 6 and 0.333", rep.Closest, rep.ClosestHandled)
	}
	table := rep.Table()
	for _, id := range []string{"wrong-doc (closest", "none (closest", "clarify (closest", "abstained (closest"} {
		if !strings.Contains(table, id) {
			t.Errorf("table misses %q:\n%s", id, table)
		}
	}
	if strings.Contains(table, " ok (") || strings.Contains(table, "as-answer (") {
		t.Errorf("table lists a handled question:\n%s", table)
	}
}

func TestEvaluateFactEarly(t *testing.T) {
	pad := strings.Repeat("啊", 60)
	cases := []struct {
		name    string
		q       EvalQuestion
		answer  Answer
		facts   bool
		pos     int
		counted bool // in the denominator of fact_early
		early   bool
	}{
		{"at the start", answerable("a", "问", []string{"500元"}), Answer{Answer: "补贴500元。"}, true, 2, true, true},
		{"at rune 59", answerable("a", "问", []string{"500元"}), Answer{Answer: pad[:59*3] + "500元"}, true, 59, true, true},
		{"at rune 60", answerable("a", "问", []string{"500元"}), Answer{Answer: pad + "500元"}, true, 60, true, false},
		{"earliest across groups", answerable("a", "问", []string{"500元"}, []string{"每月", "按月"}),
			Answer{Answer: "按月发放," + pad + "500元,每月"}, true, 0, true, true},
		{"earliest phrase of a group", answerable("a", "问", []string{"五百元", "500元"}),
			Answer{Answer: pad + "500元,即五百元"}, true, 60, true, false},
		{"normalised: pinyin and full width", answerable("a", "问", []string{"500元"}),
			Answer{Answer: "補(bǔ)貼(tiē)５００元"}, true, 2, true, true},
		{"a fact missing", answerable("a", "问", []string{"500元"}, []string{"每月"}), Answer{Answer: "500元"}, false, 0, false, false},
		{"no facts to place", answerable("a", "问"), Answer{Answer: "答"}, true, -1, false, false},
		{"abstained", answerable("a", "问", []string{"500元"}), Answer{Answer: "500元", Abstained: true}, false, -1, false, false},
		{"closest answer", answerable("a", "问", []string{"500元"}), Answer{Answer: "500元", Confidence: ConfidenceClosest}, true, 0, true, true},
		// The bar is for simplified-script answers: an English answer's
		// lead line and a traditional question's answer are not counted.
		{"english question", answerable("a", "How much is it?", []string{"500元"}), Answer{Answer: "From the documents: 500元"}, true, 20, false, false},
		{"traditional question", answerable("a", "補貼多少錢", []string{"500元"}), Answer{Answer: "補貼500元"}, true, 2, false, false},
	}
	for _, tc := range cases {
		rep, err := Evaluate(context.Background(), fakeAsk(map[string]Answer{"a": tc.answer}), []EvalQuestion{tc.q})
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Results[0]
		if r.Facts != tc.facts || r.FactsPos != tc.pos {
			t.Errorf("%s: facts %t at %d, want %t at %d", tc.name, r.Facts, r.FactsPos, tc.facts, tc.pos)
		}
		want := 0.0
		if tc.early {
			want = 1
		}
		if rep.n.factEarly != b2i(tc.counted) || rep.FactEarly != want {
			t.Errorf("%s: fact_early %.1f of %d, want %.1f of %d", tc.name, rep.FactEarly, rep.n.factEarly, want, b2i(tc.counted))
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEvaluateSimplifiedAndLengths(t *testing.T) {
	qs := []EvalQuestion{
		{ID: "s1", Q: "补贴多少?", Kind: KindOOS},                    // answered, 5 runes
		{ID: "s2", Q: "补贴多少?", Kind: KindOOS},                    // answered in traditional, 7 runes
		{ID: "s3", Q: "补贴多少?", Kind: KindOOS},                    // answered, 9 runes
		{ID: "s4", Q: "补贴多少?", Kind: KindOOS},                    // answered, 100 runes
		{ID: "t1", Q: "補貼多少?", Kind: KindOOS},                    // traditional question: not counted
		{ID: "en", Q: "How much is the subsidy?", Kind: KindOOS}, // English: not in the answer median
		{ID: "a1", Q: "补贴多少?", Kind: KindOOS},                    // abstained, 4 runes
		{ID: "a2", Q: "How much?", Kind: KindOOS},                // none, 12 runes
		{ID: "a3", Q: "補貼多少?", Kind: KindOOS},                    // abstained, 6 runes
		{ID: "c1", Q: "补贴多少?", Kind: KindOOS},                    // clarify: neither median
		{ID: "err", Q: "补贴多少?", Kind: KindOOS},                   // error: not counted
	}
	rep, err := Evaluate(context.Background(), fakeAsk(map[string]Answer{
		"s1": {Answer: "补贴五百元"},
		"s2": {Answer: "補貼五百元整。"},
		"s3": {Answer: "补贴五百元,按月。"},
		"s4": {Answer: strings.Repeat("长", 100)},
		"t1": {Answer: "補貼五百元"},
		"en": {Answer: strings.Repeat("x", 1000)},
		"a1": {Answer: "没有文件", Abstained: true},
		"a2": {Answer: "No documents", Confidence: ConfidenceNone},
		"a3": {Answer: "沒有這文件", Abstained: true, Confidence: ConfidenceNone},
		"c1": {Answer: strings.Repeat("哪", 50), Confidence: ConfidenceClarify},
	}), qs)
	if err != nil {
		t.Fatal(err)
	}
	// Counted: s1 s2 s3 s4 en a1 a2 c1; traditional: s2.
	if want := 7.0 / 8; rep.n.simplified != 8 || !near(rep.Simplified, want) {
		t.Errorf("simplified = %.3f of %d, want %.3f of 8", rep.Simplified, rep.n.simplified, want)
	}
	if rep.MedianAnswerRunes != 8 || rep.n.answers != 4 { // 5 7 9 100
		t.Errorf("median_answer_runes = %.1f of %d, want 8 of 4", rep.MedianAnswerRunes, rep.n.answers)
	}
	if rep.MedianAbstentionRunes != 5 || rep.n.abstentions != 3 { // 4 5 12
		t.Errorf("median_abstention_runes = %.1f of %d, want 5 of 3", rep.MedianAbstentionRunes, rep.n.abstentions)
	}
	for _, r := range rep.Results {
		if r.Traditional != (r.ID == "s2") {
			t.Errorf("%s: traditional %t", r.ID, r.Traditional)
		}
		if r.ID == "s3" && r.AnswerRunes != 9 {
			t.Errorf("s3: answer_runes %d", r.AnswerRunes)
		}
	}
	if !strings.Contains(rep.Table(), "s2 (answered, confidence answer, traditional answer)") {
		t.Errorf("table:\n%s", rep.Table())
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []int
		want float64
	}{{nil, 0}, {[]int{3}, 3}, {[]int{9, 1}, 5}, {[]int{9, 1, 4}, 4}, {[]int{1, 2, 3, 10}, 2.5}} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
}

func TestEvaluateParaphraseConsistency(t *testing.T) {
	q := func(id, group string) EvalQuestion {
		e := answerable(id, "问", []string{"500元"})
		e.Group = group
		return e
	}
	qs := []EvalQuestion{
		q("same1", "same"), q("same2", "same"), q("same3", "same"), // all answer with facts; one legacy confidence
		q("nofacts1", "nofacts"), q("nofacts2", "nofacts"), // both answer without facts
		q("decision1", "decision"), q("decision2", "decision"), // answer and closest
		q("facts1", "facts"), q("facts2", "facts"), // same decision, facts differ
		q("abst1", "abst"), q("abst2", "abst"), // legacy abstention and none
		q("err1", "err"), q("err2", "err"), // one fails
		q("alone", "alone"), q("nogroup", ""),
	}
	rep, err := Evaluate(context.Background(), fakeAsk(map[string]Answer{
		"same1":     {Answer: "500元"},
		"same2":     {Answer: "500元", Confidence: ConfidenceAnswer},
		"same3":     {Answer: "五百,500元", Confidence: ConfidenceAnswer},
		"nofacts1":  {Answer: "补贴"},
		"nofacts2":  {Answer: "有补贴"},
		"decision1": {Answer: "500元", Confidence: ConfidenceAnswer},
		"decision2": {Answer: "500元", Confidence: ConfidenceClosest},
		"facts1":    {Answer: "500元"},
		"facts2":    {Answer: "有补贴"},
		"abst1":     {Answer: "没有", Abstained: true},
		"abst2":     {Answer: "没有", Confidence: ConfidenceNone},
		"err1":      {Answer: "500元"},
		"alone":     {Answer: "没有", Abstained: true},
		"nogroup":   {Answer: "没有", Abstained: true},
	}), qs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ParaphraseGroups != 6 || !near(rep.ParaphraseConsistency, 3.0/6) {
		t.Errorf("paraphrase_consistency = %.3f of %d groups, want 0.5 of 6", rep.ParaphraseConsistency, rep.ParaphraseGroups)
	}
	if want := []string{"decision", "facts", "err"}; !reflect.DeepEqual(rep.InconsistentGroups, want) {
		t.Errorf("inconsistent groups %q, want %q", rep.InconsistentGroups, want)
	}
	if table := rep.Table(); !strings.Contains(table, "inconsistent groups: decision (decision1 answer+facts, decision2 closest+facts); facts (") {
		t.Errorf("table:\n%s", table)
	}
}

func TestReportJSONNames(t *testing.T) {
	rep, err := Evaluate(context.Background(), fakeAsk(map[string]Answer{"a": {Answer: "500元"}}),
		[]EvalQuestion{answerable("a", "问", []string{"500元"})})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"questions", "answerable", "oos", "closest", "recall@1", "recall@5", "mrr@10",
		"facts_in_answer", "cited_right_doc", "answered_when_answerable", "abstained_when_oos", "closest_handled",
		"fact_early", "simplified", "median_answer_runes", "median_abstention_runes", "paraphrase_groups",
		"paraphrase_consistency", "results"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report has no %q: %s", k, raw)
		}
	}
	res := m["results"].([]any)[0].(map[string]any)
	for _, k := range []string{"confidence", "facts_pos", "answer_runes"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result has no %q: %s", k, raw)
		}
	}
	table := rep.Table()
	for _, k := range []string{"closest_handled", "fact_early", "simplified", "median_answer_runes",
		"median_abstention_runes", "paraphrase_consistency", "recall@5"} {
		if !strings.Contains(table, k) {
			t.Errorf("table has no %s:\n%s", k, table)
		}
	}
}

func TestSweep(t *testing.T) {
	// Each question has a score; at threshold v the fake answers those
	// scoring at least v and abstains on the rest.
	type fq struct {
		q     EvalQuestion
		score float64
		ans   Answer
	}
	closestQ := EvalQuestion{ID: "c", Q: "问", Kind: KindClosest, Gold: []Gold{{Doc: "002", Any: []string{"x"}}}}
	fqs := []fq{
		{answerable("good", "问", []string{"500元"}), 0.9, Answer{Answer: "500元", Citations: cite("001")}},
		{answerable("nofact", "问", []string{"500元"}), 0.8, Answer{Answer: "补贴", Citations: cite("001")}},
		{answerable("wrongdoc", "问", []string{"500元"}), 0.3, Answer{Answer: "500元", Citations: cite("009")}},
		{closestQ, 0.6, Answer{Answer: "只说了", Confidence: ConfidenceClosest, Citations: cite("002")}},
		{EvalQuestion{ID: "o", Q: "问", Kind: KindOOS}, 0.5, Answer{Answer: "答"}},
	}
	var qs []EvalQuestion
	for _, f := range fqs {
		qs = append(qs, f.q)
	}
	asked := map[float64]int{}
	ask := func(v float64) (AskFunc, error) {
		if v < 0 {
			return nil, errors.New("bad value")
		}
		return func(_ context.Context, req Request) (Answer, error) {
			asked[v]++
			for _, f := range fqs {
				if f.q.ID == req.ID {
					if f.score >= v {
						return f.ans, nil
					}
					return Answer{Answer: "没有", Abstained: true, Confidence: ConfidenceNone}, nil
				}
			}
			return Answer{}, errors.New("unknown")
		}, nil
	}
	pts, err := Sweep(context.Background(), qs, []float64{1, 0.85, 0.7, 0.55, 0.4, 0}, ask)
	if err != nil {
		t.Fatal(err)
	}
	want := []CurvePoint{
		{Value: 1, N: 5},
		{Value: 0.85, Coverage: 0.2, Answered: 1, N: 5},
		{Value: 0.7, Coverage: 0.4, Risk: 0.5, Answered: 2, Wrong: 1, N: 5},
		{Value: 0.55, Coverage: 0.6, Risk: 1.0 / 3, Answered: 3, Wrong: 1, N: 5},
		{Value: 0.4, Coverage: 0.8, Risk: 0.5, Answered: 4, Wrong: 2, N: 5},
		{Value: 0, Coverage: 1, Risk: 0.6, Answered: 5, Wrong: 3, N: 5},
	}
	if len(pts) != len(want) {
		t.Fatalf("points %+v", pts)
	}
	for i, p := range pts {
		w := want[i]
		if p.Value != w.Value || p.Answered != w.Answered || p.Wrong != w.Wrong || p.N != w.N ||
			!near(p.Coverage, w.Coverage) || !near(p.Risk, w.Risk) {
			t.Errorf("point %d = %+v, want %+v", i, p, w)
		}
	}
	if asked[0.55] != len(qs) {
		t.Errorf("asked %v", asked)
	}
	if _, err := Sweep(context.Background(), qs, []float64{0.5, -1}, ask); err == nil || !strings.Contains(err.Error(), "bad value") {
		t.Errorf("ask error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sweep(ctx, qs, []float64{0.5}, ask); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sweep: %v", err)
	}

	table := Curve(pts).Table()
	if !strings.Contains(table, "coverage") || !strings.Contains(table, "0.55") || strings.Count(table, "\n") != len(pts)+1 {
		t.Errorf("curve table:\n%s", table)
	}
	svg := Curve(pts).SVG()
	if !strings.HasPrefix(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"") || strings.Count(svg, "<circle") != len(pts) ||
		!strings.Contains(svg, ">0.85</text>") || !strings.Contains(svg, "<polyline") {
		t.Errorf("svg:\n%s", svg)
	}
	for _, c := range []Curve{pts, nil, {{Value: 2, Coverage: 1.5, Risk: math.NaN()}}} {
		dec := xml.NewDecoder(strings.NewReader(c.SVG()))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("svg of %v is not XML: %v", c, err)
			}
		}
	}
}
