package retrieval

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// pinyinNote matches an inline pinyin reading after a Han character, as
// some sites print them: 推進(jìn) → 推進. A tone mark is required so that
// ordinary bracketed Latin text such as (APP) or (PM2.5) survives.
var pinyinNote = regexp.MustCompile(`(\p{Han})[(\x{FF08}]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]*)[)\x{FF09}]`)

// StripPinyin removes inline pinyin annotations.
func StripPinyin(s string) string {
	if !mayHavePinyin(s) {
		return s
	}
	// Repeat: a reading removed can bring the next one next to its Han
	// character (推(ā)(ā)). Each pass removes at least one, so this ends.
	for {
		out := pinyinNote.ReplaceAllString(s, "$1")
		if out == s {
			return out
		}
		s = out
	}
}

// mayHavePinyin reports whether s has a bracket followed by a character
// that can begin a reading ([a-zü] or a toned vowel): where none is, the
// pattern cannot match, and the regular expression, slow on long text
// with many brackets, need not run.
func mayHavePinyin(s string) bool {
	for _, open := range []string{"(", "\uFF08"} {
		for rest := s; ; {
			j := strings.Index(rest, open)
			if j < 0 {
				break
			}
			rest = rest[j+len(open):]
			r, _ := utf8.DecodeRuneInString(rest)
			if (r >= 'a' && r <= 'z') || r == '\u00FC' || strings.ContainsRune(pinyinTones, r) {
				return true
			}
		}
	}
	return false
}

// pinyinTones are the toned vowels of pinyinNote.
const pinyinTones = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"

// script converts Chinese text between scripts with one of OpenCC's
// conversions. The converter is built on first use (its dictionaries take
// a few milliseconds); it is read-only afterwards and safe for concurrent
// use. Text it cannot convert is returned as it is.
type script struct {
	name string
	once sync.Once
	cc   *opencc.OpenCC
	tab  *ccTable
	err  error
}

func (c *script) convert(s string) string {
	c.once.Do(func() {
		if c.cc, c.err = opencc.New(c.name); c.err == nil {
			c.tab, c.err = newCCTable(c.cc)
		}
	})
	if c.err != nil || !hasHan(s) {
		return s
	}
	return c.tab.convert(s)
}

// ccTable converts as opencc's Convert does, from the same dictionaries,
// read once into maps. opencc's own Convert turns every position's next
// ten characters into a string and asks each dictionary for a map of its
// prefixes: folding a 100,000-passage corpus took tens of CPU seconds,
// most of an index build and of a reload. TestCCTableMatchesOpenCC checks
// that the two agree.
type ccTable struct {
	chain [][]ccDict // opencc's conversion chain: groups of dictionaries
}

type ccDict struct {
	words    map[string]string // key → the first of its values, as Convert takes
	first    runeSet           // first characters of the keys
	maxRunes int
}

// runeSet is a set of characters as a bitmap: looked up for every
// character folded.
type runeSet []uint64

func (s *runeSet) add(r rune) {
	for int(r)/64 >= len(*s) {
		*s = append(*s, 0)
	}
	(*s)[r/64] |= 1 << (r % 64)
}

func (s runeSet) has(r rune) bool {
	return r >= 0 && int(r)/64 < len(s) && s[r/64]&(1<<(r%64)) != 0
}

// ccWindow is how many characters opencc's Convert looks ahead (its
// preOffset): longer keys never match.
const ccWindow = 10

func newCCTable(cc *opencc.OpenCC) (*ccTable, error) {
	t := &ccTable{}
	for _, g := range cc.DictChains {
		var group []ccDict
		for _, d := range g.Dicts {
			cd := ccDict{words: map[string]string{}}
			// Every key in the trie, as its PrefixMatch would find them.
			for _, id := range d.Trie.PrefixPredict(nil, 0) {
				key, err := d.Trie.Key(id)
				if err != nil {
					return nil, fmt.Errorf("opencc %s: %w", cc.Conversion, err)
				}
				v, err := d.Trie.Value(id)
				if err != nil || v < 0 || v >= len(d.Values) || len(d.Values[v]) == 0 || len(key) == 0 {
					continue
				}
				k := string(key)
				cd.words[k] = d.Values[v][0]
				r, _ := utf8.DecodeRuneInString(k)
				cd.first.add(r)
				cd.maxRunes = max(cd.maxRunes, utf8.RuneCountInString(k))
			}
			cd.maxRunes = min(cd.maxRunes, ccWindow)
			group = append(group, cd)
		}
		t.chain = append(t.chain, group)
	}
	return t, nil
}

// convert applies each group in turn: at each position the first
// dictionary of the group with a key starting there gives its longest such
// key's value; a character no key starts with stays.
func (t *ccTable) convert(s string) string {
	for _, group := range t.chain {
		s = convertGroup(group, s)
	}
	return s
}

func convertGroup(group []ccDict, s string) string {
	var b strings.Builder
	changed := false
	var ends [ccWindow + 1]int // byte offsets of the next characters' ends
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		token, n := "", 0
		for d := range group {
			cd := &group[d]
			if !cd.first.has(r) {
				continue
			}
			m := 0
			for j := i; m < cd.maxRunes && j < len(s); m++ {
				_, w := utf8.DecodeRuneInString(s[j:])
				j += w
				ends[m+1] = j
			}
			for l := m; l >= 1; l-- {
				if v, ok := cd.words[s[i:ends[l]]]; ok {
					token, n = v, ends[l]-i
					break
				}
			}
			if n > 0 {
				break
			}
		}
		if n == 0 {
			if changed {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		if !changed && token != s[i:i+n] {
			changed = true
			b.Grow(len(s))
			b.WriteString(s[:i])
		}
		if changed {
			b.WriteString(token)
		}
		i += n
	}
	if !changed {
		return s
	}
	return b.String()
}

var (
	t2s = &script{name: "t2s"}
	s2t = &script{name: "s2t"}
)

// toSimplified folds traditional characters to simplified ones.
func toSimplified(s string) string { return t2s.convert(s) }

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x3400 {
			return true
		}
	}
	return false
}

// Fold maps text to the form used for indexing and matching: pinyin notes
// removed, traditional folded to simplified, full-width ASCII (brackets,
// digits, %, letters) folded to half-width, Latin letters lower-cased, and
// invalid UTF-8 and control characters replaced by spaces. Quotes shown to
// people use the cleaned original instead.
func Fold(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = toSimplified(s)
	// Text already folded (an index's passages, embedded after folding)
	// comes back as it is, without a copy.
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		at := i
		i += size
		was := r
		switch {
		case r == utf8.RuneError && size <= 1:
			r = ' '
		case r == 0x3000:
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case unicode.IsControl(r):
			r = ' '
		}
		r = unicode.ToLower(r)
		if !changed {
			if r == was && !(r == utf8.RuneError && size <= 1) {
				continue
			}
			changed = true
			b.Grow(len(s))
			b.WriteString(s[:at])
		}
		b.WriteRune(r)
	}
	if changed {
		s = b.String()
	}
	// Last, so that full-width brackets and capitals are already folded.
	return StripPinyin(s)
}

// Simplify converts traditional characters to simplified ones and leaves
// everything else as written: for text shown to people, unlike Fold.
func Simplify(s string) string { return toSimplified(s) }

// IsTraditional reports whether s has characters that simplify
// differently, i.e. it is written (at least partly) in traditional script.
func IsTraditional(s string) bool { return toSimplified(s) != s }

// Traditionalize converts simplified characters to traditional ones, for
// answering a question written in traditional script.
func Traditionalize(s string) string { return s2t.convert(s) }
