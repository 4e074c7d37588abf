package judge

import "testing"

// Each rule of Similarity on readings made by hand, with the fake corpus's
// IDFs: rewordings meet, the same topic asking something else does not.
func TestSimilarity(t *testing.T) {
	standard := Reading{Judged: "低保标准是多少", Terms: []Term{noun("低保"), noun("标准")},
		AsksFigure: true, AsksMoney: true, FigureClause: "低保标准是多少"}
	tests := []struct {
		name  string
		a, b  Reading
		match bool
	}{
		{"same words", standard, standard, true},
		{"everyday words the thesaurus maps (给多少 → 标准), asker's words left out",
			standard, Reading{Judged: "吃低保的一个月能给多少钱", AsksFigure: true, AsksMoney: true, FigureClause: "吃低保的一个月能给多少钱",
				Terms: []Term{{Text: "吃", Weight: 0.3}, noun("低保"), {Text: "一个月", Weight: 0.2}, {Text: "钱", Weight: 0.3, Noun: true}}}, true},
		{"everyday word for the policy term (吃饭 → 助餐)",
			Reading{Judged: "有助餐吗", Terms: []Term{noun("助餐")}, YesNo: true},
			Reading{Judged: "有吃饭的吗", Terms: []Term{noun("吃饭")}, YesNo: true}, true},
		// Counted twice, 助餐 and 吃饭 would hold 4 of 5.25 (0.76) against
		// the absent verb's 1.25; once, 2 of 3.25 (0.62).
		{"an everyday word beside the policy term it stands for counts once",
			Reading{Judged: "有助餐吗", Terms: []Term{noun("助餐")}, YesNo: true},
			Reading{Judged: "助餐吃饭收费吗", Terms: []Term{noun("助餐"), noun("吃饭"), verb("收费")}, YesNo: true}, false},
		{"same topic, another figure (households, not the amount)",
			standard, Reading{Judged: "低保户有多少户", Terms: []Term{noun("低保户"), {Text: "户", Weight: 0.3}},
				AsksFigure: true, FigureClause: "低保户有多少户"}, false},
		{"same topic, how to apply",
			standard, Reading{Judged: "低保怎么申请", Terms: []Term{noun("低保"), {Text: "申请", Weight: 1.5, Focus: true}}, How: true}, false},
		{"same topic, how fast it grows",
			standard, Reading{Judged: "低保标准每年提高多少", Terms: []Term{noun("低保"), noun("标准"), verb("提高")},
				AsksFigure: true, FigureClause: "低保标准每年提高多少"}, false},
		{"another benefit's standard",
			standard, Reading{Judged: "养老金标准是多少", Terms: []Term{noun("养老金"), noun("标准")},
				AsksFigure: true, AsksMoney: true, FigureClause: "养老金标准是多少"}, false},
		{"nothing topical", standard, Reading{Judged: "多少", AsksFigure: true, FigureClause: "多少"}, false},
	}
	r := fakeReader(DefaultPolicy())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := r.Comparable(tc.a), r.Comparable(tc.b)
			s, ok := r.AsksSame(a, b)
			if ok != tc.match {
				t.Errorf("similarity %.2f: match %v, want %v", s, ok, tc.match)
			}
			if s2 := r.Similarity(b, a); s2 != s {
				t.Errorf("not symmetric: %.3f and %.3f", s, s2)
			}
		})
	}
}

// MinCuratedSimilarity and AskMismatchFactor each move the match they name.
func TestCuratedPolicy(t *testing.T) {
	orphans := Reading{Judged: "孤儿养育标准是多少", Terms: []Term{noun("孤儿"), noun("养育"), noun("标准")},
		AsksFigure: true, AsksMoney: true, FigureClause: "孤儿养育标准是多少"}
	// 孤儿 (3) and 标准 (1) of 孤儿 (3) + 养育 (5) + 标准 (1): 0.44.
	orphansMoney := Reading{Judged: "孤儿每月给多少钱", Terms: []Term{noun("孤儿"), {Text: "每月", Weight: 0.2}},
		AsksFigure: true, AsksMoney: true, FigureClause: "孤儿每月给多少钱"}
	standard := Reading{Judged: "低保标准多少", Terms: []Term{noun("低保"), noun("标准")},
		AsksFigure: true, AsksMoney: true, FigureClause: "低保标准多少"}
	// 提高 is an absent verb: 5 × 0.5 × 0.5 = 1.25, so 3 of 4.25 (0.71),
	// halved for asking a rate rather than an amount.
	rate := Reading{Judged: "低保标准每年提高多少", Terms: []Term{noun("低保"), noun("标准"), verb("提高")},
		AsksFigure: true, FigureClause: "低保标准每年提高多少"}
	for _, tc := range []struct {
		field string
		v     float64
		a, b  Reading
		match bool
	}{
		{"min_curated_similarity", 0.65, orphans, orphansMoney, false},
		{"min_curated_similarity", 0.4, orphans, orphansMoney, true},
		{"ask_mismatch_factor", 0.5, standard, rate, false},
		{"ask_mismatch_factor", 1, standard, rate, true},
	} {
		p := DefaultPolicy()
		if err := p.Set(tc.field, tc.v); err != nil {
			t.Fatal(err)
		}
		r := fakeReader(p)
		if s, ok := r.AsksSame(r.Comparable(tc.a), r.Comparable(tc.b)); ok != tc.match {
			t.Errorf("%s=%.2f: similarity %.2f, match %v, want %v", tc.field, tc.v, s, ok, tc.match)
		}
	}
}
