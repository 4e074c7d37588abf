package retrieval

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

//go:embed stopwords.txt
var stopwordsData string

//go:embed regions.txt
var regionsData string

var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range dataWords(stopwordsData) {
		m[w] = true
	}
	return m
}()

// dataWords reads a whitespace-separated word list, skipping # comments.
func dataWords(data string) []string {
	var out []string
	for _, line := range strings.Split(data, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}

// segmenter wraps gse. Its dictionary takes about a second to load, so it is
// loaded once per process, in the background from the first Open; domain
// words (regions, thesaurus terms) are added to it so that 浑南区 or 助餐
// come out whole.
type segmenter struct {
	once  sync.Once
	mu    sync.RWMutex
	seg   gse.Segmenter
	err   error
	added map[string]bool
}

var sharedSeg = &segmenter{added: map[string]bool{}}

func (s *segmenter) load() error {
	s.once.Do(func() {
		s.seg.SkipLog = true
		s.err = s.seg.LoadDictEmbed("zh_s")
		for _, w := range dataWords(regionsData) {
			s.addLocked(w)
		}
		for _, g := range builtinThesaurus.groups {
			for _, w := range g.policy {
				s.addLocked(w)
			}
			for _, w := range g.colloquial {
				s.addLocked(w)
			}
		}
	})
	return s.err
}

func (s *segmenter) addLocked(w string) {
	if s.added[w] || len([]rune(w)) < 2 {
		return
	}
	s.added[w] = true
	s.seg.AddToken(w, 50000, "n")
}

// addWords teaches the segmenter words such as region names from a catalog.
func (s *segmenter) addWords(words []string) error {
	if err := s.load(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range words {
		s.addLocked(w)
	}
	return nil
}

// words segments folded text for search (sub-words included) and drops
// punctuation and stopwords.
func (s *segmenter) words(folded string) []string {
	if err := s.load(); err != nil {
		return nil
	}
	s.mu.RLock()
	raw := s.seg.CutSearch(folded, true)
	s.mu.RUnlock()
	out := raw[:0]
	for _, w := range raw {
		w = strings.TrimSpace(w)
		if w == "" || stopwords[w] || !hasWordRune(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// termWord is a question word with how much it says about the topic.
type termWord struct {
	text string
	// weight is 1 for nouns and names of things, less for verbs,
	// adjectives and adverbs: a question's topic lives in its nouns, while
	// its verbs are often the asker's own phrasing (方便, 追回来, 上街).
	weight float64
	// focus marks the action a how-question asks about (怎么注册 → 注册).
	focus bool
}

// terms segments a folded question without overlapping sub-words, for
// judging how much of it a passage covers: each span counts once.
func (s *segmenter) terms(folded string) []termWord {
	if err := s.load(); err != nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []termWord
	seen := map[string]bool{}
	// Cut is the same dictionary walk as the search-mode cut used for the
	// index, without the overlapping sub-words, and without HMM guessing,
	// which glues unknown neighbours into words no text contains (网指).
	focus := false
	for _, raw := range s.seg.Cut(folded, false) {
		w := strings.TrimSpace(raw)
		if howWords[w] {
			focus = true // the next word is what the question is about
			continue
		}
		if w == "" || stopwords[w] || !hasWordRune(w) {
			continue // blanks and particles do not end the focus
		}
		wasFocus := focus
		focus = false
		if seen[w] {
			continue
		}
		seen[w] = true
		_, pos, _ := s.seg.Find(w)
		weight := posWeight(pos)
		if wasFocus {
			weight = 1.5 // 怎么注册: the procedure asked about weighs most
		}
		if utf8.RuneCountInString(w) == 1 {
			// A lone character is mostly a verb or particle of the
			// asker's phrasing (打, 发, 办); it says little about the topic.
			weight = 0.3
		}
		out = append(out, termWord{text: w, weight: weight, focus: wasFocus && utf8.RuneCountInString(w) >= 2})
	}
	return out
}

// howWords introduce the action a question asks how to do.
var howWords = map[string]bool{"怎么": true, "如何": true, "怎样": true, "咋": true, "怎么样": true, "怎么才能": true, "如何才能": true}

func posWeight(pos string) float64 {
	if pos == "" {
		return 1
	}
	if pos == "vn" || pos == "eng" {
		return 1
	}
	switch pos[0] {
	case 'm', 'q', 'r', 't', 'f', 'd', 'p', 'c', 'u', 'y', 'e', 'o':
		// numerals, measures, pronouns, times, adverbs and particles tell
		// about the asker's situation (七十多, 每餐, 现在), not the topic
		return 0.2
	}
	switch pos[0] {
	case 'n', 's', 'l', 'j', 'i', 'x': // nouns, places, idioms, abbreviations, unknown
		return 1
	}
	return 0.5
}

func hasWordRune(w string) bool {
	for _, r := range w {
		if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) || unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// bigrams returns the character bigrams of each run of Han characters and
// digits. Runs are cut at punctuation so no bigram spans two clauses; a
// one-character run yields itself so that short queries still match.
func bigrams(folded string) []string {
	var out []string
	var run []rune
	flush := func() {
		switch {
		case len(run) == 1 && unicode.Is(unicode.Han, run[0]):
			out = append(out, string(run))
		case len(run) > 1:
			for i := 0; i+1 < len(run); i++ {
				out = append(out, string(run[i:i+2]))
			}
		}
		run = run[:0]
	}
	for _, r := range folded {
		if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) || r == '.' || r == '%' {
			run = append(run, r)
			continue
		}
		flush()
	}
	flush()
	return out
}

// questionWords blanks out multi-character stopwords (多少, 怎么样 …) so that
// query bigrams are not made of question words, which policy texts rarely
// contain and which would therefore look falsely specific.
var questionWords = func() *strings.Replacer {
	var ws []string
	for w := range stopwords {
		if len([]rune(w)) >= 2 {
			ws = append(ws, w)
		}
	}
	// longest first, so 有没有 wins over 没有
	sort.Slice(ws, func(i, j int) bool {
		if len(ws[i]) != len(ws[j]) {
			return len(ws[i]) > len(ws[j])
		}
		return ws[i] < ws[j]
	})
	var pairs []string
	for _, w := range ws {
		pairs = append(pairs, w, " ")
	}
	return strings.NewReplacer(pairs...)
}()
