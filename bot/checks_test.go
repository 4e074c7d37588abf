package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/retrieval"
)

func TestValidityNotes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		v    retrieval.Validity
		want string
	}{
		{"in force", retrieval.Validity{Expires: "2030-12-31"}, ""},
		{"expired", retrieval.Validity{Expires: "2020-01-01"}, "已于2020-01-01失效"},
		{"superseded", retrieval.Validity{SupersededBy: "b.txt", SupersededByTitle: "新通知"}, "已被《新通知》取代"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(validityNotes(tc.v, now), ",")
			if got != tc.want {
				t.Errorf("notes %q, want %q", got, tc.want)
			}
		})
	}
}

func TestChecksDecode(t *testing.T) {
	qs, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 15 || len(qs) > 25 {
		t.Errorf("%d check questions, want 15–25", len(qs))
	}
}

// Every check question is answered with its figures and its document on
// the seeds alone: a question that already fails could never show a
// change breaking it.
func TestChecksPassOnSeeds(t *testing.T) {
	qs, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), seedAnswerer(t).Answer, qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rep.Results {
		if !r.Facts || !r.CitedGold || !strings.HasPrefix(r.Cited, qs[i].Gold[0].Doc) {
			t.Errorf("%s: facts %v, cited gold %v (first cited %s)", r.ID, r.Facts, r.CitedGold, r.Cited)
		}
	}
}

func TestCompareChecks(t *testing.T) {
	qs := []EvalQuestion{
		{ID: "a", Q: "甲", Gold: []Gold{{Doc: "001"}}},
		{ID: "b", Q: "乙", Gold: []Gold{{Doc: "002"}}},
	}
	good := QuestionResult{Confidence: ConfidenceAnswer, Facts: true, CitedGold: true}
	for _, tc := range []struct {
		name                string
		afterA              QuestionResult
		changed, superseded []string
		broken, meant       bool
	}{
		{"unchanged", QuestionResult{Confidence: ConfidenceAnswer, Facts: true, CitedGold: true, Cited: "001_x.txt"}, nil, nil, false, false},
		{"lost facts", QuestionResult{Confidence: ConfidenceAnswer, CitedGold: true, Cited: "001_x.txt"}, []string{"new.txt"}, nil, true, false},
		{"lost first citation", QuestionResult{Confidence: ConfidenceAnswer, Facts: true, CitedGold: true, Cited: "new.txt"}, []string{"new.txt"}, nil, true, false},
		{"its own document changed", QuestionResult{Confidence: ConfidenceNone}, []string{"001_x.txt"}, nil, false, false},
		{"superseded", QuestionResult{Confidence: ConfidenceAnswer, Cited: "new.txt"}, nil, []string{"001_x.txt"}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			beforeA := good
			beforeA.Cited = "001_x.txt"
			before := Report{Results: []QuestionResult{beforeA, good}}
			after := Report{Results: []QuestionResult{tc.afterA, good}}
			m := CompareChecks(qs, before, after, tc.changed, tc.superseded)
			if m[0].Broken != tc.broken || m[0].Meant != tc.meant || m[1].Broken {
				t.Errorf("broken %v meant %v (other broken %v), want %v %v", m[0].Broken, m[0].Meant, m[1].Broken, tc.broken, tc.meant)
			}
			if tc.meant && !strings.Contains(m[0].String(), "meant to move") {
				t.Errorf("diff line %q does not say it was meant to move", m[0])
			}
		})
	}
}
