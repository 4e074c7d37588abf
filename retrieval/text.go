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

// segmenter wraps gse. Its full dictionary takes about a second to load,
// so it is loaded once per process; a process that opens a saved index
// instead reads the dictionary snapshot saved beside it and loads only the
// entries that the texts it cuts can use (segsnap.go). Domain words
// (regions, thesaurus terms) are added to it so that 浑南区 or 助餐 come out
// whole.
type segmenter struct {
	once  sync.Once
	mu    sync.RWMutex
	seg   gse.Segmenter
	err   error
	added map[string]bool
	// dictTokens is how many of seg's tokens the dictionary itself gave,
	// before any domain word: what a snapshot keeps.
	dictTokens int
	dictTotal  float64
	// lazy, when set, loads the dictionary from a snapshot as needed.
	lazy *lazyDict
}

var sharedSeg = &segmenter{added: map[string]bool{}}

func (s *segmenter) load() error {
	s.once.Do(func() {
		s.seg.SkipLog = true
		s.err = s.seg.LoadDictEmbed("zh_s")
		if s.err == nil {
			s.dictTokens, s.dictTotal = s.seg.Dict.NumTokens(), s.seg.Dict.TotalFreq()
		}
		s.addThesaurus()
	})
	return s.err
}

// useSnapshot has the segmenter load its dictionary from snap, piece by
// piece, unless it has loaded one already.
func (s *segmenter) useSnapshot(snap *dictSnapshot) {
	s.once.Do(func() {
		s.seg.SkipLog = true
		// What gse's LoadDictStr does before reading its file: a new
		// dictionary and the HMM model for unknown words.
		s.seg.Dict = gse.NewDict()
		s.seg.Init()
		s.lazy = newLazyDict(snap)
		s.addThesaurus()
	})
}

func (s *segmenter) addThesaurus() {
	for _, g := range builtinThesaurus.groups {
		for _, w := range g.policy {
			s.addLocked(w)
		}
		for _, w := range g.colloquial {
			s.addLocked(w)
		}
	}
}

const addedFreq = 50000

func (s *segmenter) addLocked(w string) {
	if s.added[w] || len([]rune(w)) < 2 {
		return
	}
	s.added[w] = true
	if s.lazy != nil {
		s.lazy.add(&s.seg, w, addedFreq)
		return
	}
	s.seg.AddToken(w, addedFreq, "n")
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

// ready makes sure that the dictionary entries text can use are loaded,
// and then read-locks the segmenter; the caller unlocks.
func (s *segmenter) ready(text string) {
	if s.lazy == nil {
		s.mu.RLock()
		return
	}
	s.mu.RLock()
	if !s.lazy.missing(text) {
		return
	}
	s.mu.RUnlock()
	s.mu.Lock()
	s.lazy.ensure(&s.seg, text)
	s.mu.Unlock()
	s.mu.RLock()
}

// words segments folded text for search (sub-words included) and drops
// punctuation and stopwords.
func (s *segmenter) words(folded string) []string {
	if err := s.load(); err != nil {
		return nil
	}
	s.ready(folded)
	raw := cutSearch(&s.seg, folded)
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

// Token is a word of a question with its part of speech as the
// dictionary gives it ("n", "v", "m" …; "" for words it does not know).
type Token struct {
	Text, POS string
}

// CutWords segments folded text without overlapping sub-words, each span
// once, blanks dropped but stopwords kept: for judging how much of a
// question a passage covers. It is the dictionary walk of the search-mode
// cut, without HMM guessing, which glues unknown neighbours into words no
// text contains (网指).
func CutWords(folded string) []Token { return sharedSeg.cutWords(folded) }

func (s *segmenter) cutWords(folded string) []Token {
	if err := s.load(); err != nil {
		return nil
	}
	s.ready(folded)
	defer s.mu.RUnlock()
	var out []Token
	glued := false // the previous piece was Latin letters, nothing between
	for _, raw := range s.seg.Cut(folded, false) {
		w := strings.TrimSpace(raw)
		if w == "" {
			glued = false
			continue
		}
		latin := latinLetters(raw)
		if latin && glued {
			// The dictionary cuts an English word it does not hold into
			// ones it does (approved → app + roved): the word stays whole.
			w = out[len(out)-1].Text + w
			out = out[:len(out)-1]
		}
		glued = latin
		_, pos, _ := s.seg.Find(w)
		out = append(out, Token{Text: w, POS: pos})
	}
	return out
}

// latinLetters reports whether s is lower-case Latin letters only.
func latinLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// SearchWords segments folded text for search, sub-words included, without
// punctuation and stopwords.
func SearchWords(folded string) []string { return sharedSeg.words(folded) }

// IsStopword reports whether w carries no topic in a question (question
// words, particles, the asker's own context).
func IsStopword(w string) bool { return stopwords[w] }

// IsWord reports whether w has a letter, digit or Han character.
func IsWord(w string) bool { return hasWordRune(w) }

// WordPOS returns the part of speech the segmenter's dictionary gives w,
// and false when the dictionary does not have it.
func WordPOS(w string) (string, bool) { return sharedSeg.wordPOS(w) }

func (s *segmenter) wordPOS(w string) (string, bool) {
	if err := s.load(); err != nil {
		return "", false
	}
	if s.lazy != nil {
		// Looking a word up needs only its own entry, not the whole
		// group loaded into gse: judging looks up thousands of place
		// names at start.
		s.mu.RLock()
		r, _ := utf8.DecodeRuneInString(w)
		if !s.lazy.loaded[r] {
			pos, ok := s.lazy.find(w)
			s.mu.RUnlock()
			return pos, ok
		}
		s.mu.RUnlock()
	}
	s.ready(w)
	defer s.mu.RUnlock()
	freq, pos, ok := s.seg.Find(w)
	return pos, ok && freq > 0
}

// BlankQuestionWords blanks multi-character question words (多少, 怎么样 …)
// so that they make no search words or bigrams.
func BlankQuestionWords(folded string) string { return questionWords.Replace(folded) }

// AddWords teaches the segmenter words that must come out whole, such as
// the names of places.
func AddWords(words []string) error { return sharedSeg.addWords(words) }

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
	eachGram(folded, nil, func(g []rune) { out = append(out, string(g)) })
	return out
}

// eachGram calls emit with each gram bigrams cuts from folded (a bigram,
// or a lone Han character), reusing run as its buffer.
func eachGram(folded string, run []rune, emit func(g []rune)) []rune {
	flush := func() {
		switch {
		case len(run) == 1 && unicode.Is(unicode.Han, run[0]):
			emit(run)
		case len(run) > 1:
			for i := 0; i+1 < len(run); i++ {
				emit(run[i : i+2])
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
	return run
}

// gramIndex indexes the bigrams of folded passages, as bigrams cuts them,
// without making a string of each bigram.
func gramIndex(folded []string) *bm25 {
	bb := newBM25Builder(len(folded))
	var run []rune
	var buf []byte
	emit := func(g []rune) {
		buf = buf[:0]
		for _, r := range g {
			buf = utf8.AppendRune(buf, r)
		}
		bb.ts = append(bb.ts, bb.idBytes(buf))
	}
	for _, f := range folded {
		run = eachGram(f, run, emit)
		bb.add()
	}
	return bb.build()
}

// questionWords blanks out multi-character stopwords (多少, 怎么样 …) so that
// query bigrams are not made of question words, which policy texts rarely
// contain and which would therefore look falsely specific.
var questionWords = func() *strings.Replacer {
	var ws []string
	for w := range stopwords {
		// English stopwords are whole words, removed by segmenting; blanked
		// as substrings they would cut "heating" into "he g".
		if len([]rune(w)) >= 2 && hasHan(w) {
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
