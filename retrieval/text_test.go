package retrieval

import (
	"slices"
	"testing"
)

// An English word the dictionary does not hold stays whole, though the
// dictionary holds a piece of it (approved: app + roved).
func TestCutWordsKeepsEnglishWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"approved for dibao", []string{"approved", "for", "dibao"}},
		{"apply now", []string{"apply", "now"}},
		{"hpv疫苗", []string{"hpv", "疫苗"}},
	} {
		var got []string
		for _, tok := range CutWords(tc.in) {
			got = append(got, tok.Text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("CutWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
