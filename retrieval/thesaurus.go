package retrieval

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
)

//go:embed thesaurus.txt
var thesaurusData string

// Thesaurus maps how residents talk to how policies are written. It is data
// (thesaurus.txt) so that community workers can extend it without code.
type Thesaurus struct {
	groups []synonymGroup
	// listed holds every word of every group; alternatives, for each
	// policy term, the other policy terms written beside it. Both are
	// asked for per word per passage while judging, so they are built once.
	listed       map[string]bool
	alternatives map[string][]string
	// policy holds the words written on the left of a group.
	policy map[string]bool
	// of gives, for each everyday word, the policy terms of the groups
	// listing it; expanded remembers what recent texts expanded to. Both
	// are asked for per word of every question while reading and judging,
	// and a scan of every group each time grows with the thesaurus.
	of       map[string][]string
	expanded *lru.Cache[string, []Expansion]
}

type synonymGroup struct {
	policy     []string
	colloquial []string
}

var builtinThesaurus = mustThesaurus(thesaurusData)

func mustThesaurus(data string) *Thesaurus {
	t, err := ParseThesaurus(data)
	if err != nil {
		panic(err) // embedded data; covered by tests
	}
	return t
}

// ParseThesaurus reads lines of the form "policy terms = everyday words".
func ParseThesaurus(data string) (*Thesaurus, error) {
	t := &Thesaurus{}
	for n, line := range strings.Split(data, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		left, right, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("thesaurus line %d: want \"policy terms = everyday words\"", n+1)
		}
		g := synonymGroup{policy: strings.Fields(Fold(left)), colloquial: strings.Fields(Fold(right))}
		// An English phrase is written with underscores (long_term_care)
		// and matched with its spaces.
		for i, w := range g.colloquial {
			g.colloquial[i] = strings.ReplaceAll(w, "_", " ")
		}
		if len(g.policy) == 0 || len(g.colloquial) == 0 {
			return nil, fmt.Errorf("thesaurus line %d: both sides need at least one word", n+1)
		}
		t.groups = append(t.groups, g)
	}
	if len(t.groups) == 0 {
		return nil, fmt.Errorf("thesaurus is empty")
	}
	t.index()
	return t, nil
}

// index builds the word lookups.
func (t *Thesaurus) index() {
	t.listed, t.alternatives, t.policy, t.of = map[string]bool{}, map[string][]string{}, map[string]bool{}, map[string][]string{}
	// bounded: questions are users' text
	t.expanded, _ = lru.New[string, []Expansion](expandedCacheSize)
	for _, g := range t.groups {
		for _, w := range g.colloquial {
			t.listed[w] = true
			t.of[w] = append(t.of[w], g.policy...)
		}
		for _, w := range g.policy {
			t.listed[w] = true
			t.policy[w] = true
			for _, p := range g.policy {
				if p != w && !slices.Contains(t.alternatives[w], p) {
					t.alternatives[w] = append(t.alternatives[w], p)
				}
			}
		}
	}
}

// Expand returns the policy terms for the everyday words found in a folded
// question. Terms already in the question are not repeated.
func (t *Thesaurus) Expand(folded string) []string {
	var out []string
	for _, e := range t.expand(folded) {
		out = append(out, e.Term)
	}
	return out
}

// Expansions returns the policy terms standing in for the everyday words
// of a folded question, each with its share of the word's weight.
func Expansions(folded string) []Expansion { return builtinThesaurus.expand(folded) }

// ExpandedWords returns the everyday words of a folded question that the
// thesaurus knows.
func ExpandedWords(folded string) []string {
	var out []string
	for _, g := range builtinThesaurus.groups {
		for _, w := range g.colloquial {
			if strings.Contains(folded, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// PolicyTermsOf returns the policy terms of the groups that list word
// itself as an everyday word, unlike PolicyTerms, which also expands the
// everyday words word contains (高龄津贴 contains 津贴).
func PolicyTermsOf(word string) []string {
	return slices.Clone(builtinThesaurus.of[word])
}

// Words returns every word of the thesaurus, policy terms and everyday
// words alike.
func Words() []string {
	var out []string
	for _, g := range builtinThesaurus.groups {
		out = append(out, g.policy...)
		out = append(out, g.colloquial...)
	}
	return out
}

// InThesaurus reports whether the thesaurus lists word itself, as a policy
// term or an everyday word.
func InThesaurus(word string) bool { return builtinThesaurus.listed[word] }

// IsPolicyTerm reports whether the thesaurus writes word on the left of a
// group: a name of a measure (生育津贴), not an everyday word for one.
func IsPolicyTerm(word string) bool { return builtinThesaurus.policy[word] }

// PolicyAlternatives returns the policy terms written beside word on the
// left of a group (失业保险 for 失业保险金): the documents may use any of
// them for the same thing.
func PolicyAlternatives(word string) []string { return builtinThesaurus.alternatives[word] }

// PolicyTerms returns the policy terms an everyday word maps to.
func PolicyTerms(word string) []string { return builtinThesaurus.Expand(word) }

// Expansion is a policy term standing in for an everyday word. The terms of
// one group share the weight of the word they replace, so a group of three
// alternatives cannot outweigh a specific word the question really used.
type Expansion struct {
	Term   string
	Weight float32
}

func (t *Thesaurus) expand(folded string) []Expansion {
	if e, ok := t.expanded.Get(folded); ok {
		return slices.Clone(e)
	}
	out := t.expandAll(folded)
	t.expanded.Add(folded, slices.Clone(out))
	return out
}

// expandedCacheSize is how many texts' expansions are remembered: the
// words of a few hundred questions.
const expandedCacheSize = 8192

func (t *Thesaurus) expandAll(folded string) []Expansion {
	var out []Expansion
	seen := map[string]bool{}
	// Each group's words found in the question; a group found only through
	// words inside a longer word another group found (smart elderly inside
	// smart elderly-care devices) is left out: the longer word says what
	// the asker meant.
	found := make([][]string, len(t.groups))
	var all []string
	for i, g := range t.groups {
		for _, w := range g.colloquial {
			if containsTerm(folded, w) {
				found[i] = append(found[i], w)
				all = append(all, w)
			}
		}
	}
	for i, g := range t.groups {
		hit := false
		for _, w := range found[i] {
			if !insideLonger(w, all) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, w := range g.policy {
			if !seen[w] && !strings.Contains(folded, w) {
				seen[w] = true
				out = append(out, Expansion{Term: w, Weight: 1 / float32(len(g.policy))})
			}
		}
	}
	return out
}

// containsTerm reports whether folded text holds the thesaurus word w. An
// English word must start a word there ("hr" is not in "three", "rent" not
// in "parent"); one of five letters or more may end inside one (retire in
// retired, pension in pensioner), a shorter one must end the word too
// (park is not in parking). Chinese has no word boundaries to respect.
func containsTerm(folded, w string) bool {
	if w == "" || !isLatinLetter(w[0]) {
		return strings.Contains(folded, w)
	}
	for i := 0; ; {
		j := strings.Index(folded[i:], w)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(w)
		starts := at == 0 || !isLatinLetter(folded[at-1])
		ends := len(w) >= 5 || end == len(folded) || !isLatinLetter(folded[end])
		if starts && ends {
			return true
		}
		i += j + 1
	}
}

func isLatinLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// insideLonger reports whether w is part of a longer word of words.
func insideLonger(w string, words []string) bool {
	for _, o := range words {
		if len(o) > len(w) && strings.Contains(o, w) {
			return true
		}
	}
	return false
}
