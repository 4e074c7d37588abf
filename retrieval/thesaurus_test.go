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
		// the second call is a hit: change what it returned too
		again := Expansions(q)
		if !reflect.DeepEqual(again, want) {
			t.Errorf("after a caller's change, Expansions(%q) = %v, want %v", q, again, want)
		}
		for i := range again {
			again[i].Term = "changed again"
		}
		if third := Expansions(q); !reflect.DeepEqual(third, want) {
			t.Errorf("after a change to a remembered result, Expansions(%q) = %v, want %v", q, third, want)
		}
	}
	got := PolicyTermsOf("养老钱")
	if len(got) == 0 || got[0] != "养老金" {
		t.Fatalf("PolicyTermsOf(养老钱) = %v, want it to start with 养老金", got)
	}
	got[0] = "changed"
	if again := PolicyTermsOf("养老钱"); again[0] != "养老金" {
		t.Errorf("after a caller's change, PolicyTermsOf(养老钱) = %v", again)
	}
}
