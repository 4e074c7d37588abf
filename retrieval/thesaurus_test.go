package retrieval

import (
	"reflect"
	"testing"
)

// Remembered expansions are the ones computed, and a caller changing what
// it got does not change what the next caller gets.
func TestExpansionsRemembered(t *testing.T) {
	for _, q := range []string{"我妈的养老钱", "elderly meal canteen", "没有的词"} {
		want := builtinThesaurus.expandAll(q)
		first := Expansions(q)
		if !reflect.DeepEqual(first, want) {
			t.Fatalf("Expansions(%q) = %v, want %v", q, first, want)
		}
		for i := range first {
			first[i].Term = "changed"
		}
		if again := Expansions(q); !reflect.DeepEqual(again, want) {
			t.Errorf("after a caller's change, Expansions(%q) = %v, want %v", q, again, want)
		}
	}
	if got, want := PolicyTermsOf("养老钱"), []string{"养老金"}; len(got) == 0 || got[0] != want[0] {
		t.Errorf("PolicyTermsOf(养老钱) = %v, want it to start with %v", got, want)
	}
}
