package retrieval

import (
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
	if !strings.ContainsAny(s, "(\uFF08") {
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

// script converts Chinese text between scripts with one of OpenCC's
// conversions. The converter is built on first use (its dictionaries take
// a few milliseconds); it is read-only afterwards and safe for concurrent
// use. Text it cannot convert is returned as it is.
type script struct {
	name string
	once sync.Once
	cc   *opencc.OpenCC
	err  error
}

func (c *script) convert(s string) string {
	c.once.Do(func() { c.cc, c.err = opencc.New(c.name) })
	if c.err != nil || !hasHan(s) {
		return s
	}
	out, err := c.cc.Convert(s)
	if err != nil {
		return s
	}
	return out
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
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
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
		b.WriteRune(unicode.ToLower(r))
	}
	// Last, so that full-width brackets and capitals are already folded.
	return StripPinyin(b.String())
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
