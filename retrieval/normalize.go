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

var (
	t2sOnce sync.Once
	t2s     *opencc.OpenCC
	t2sErr  error
)

// toSimplified folds traditional characters to simplified ones with OpenCC's
// t2s dictionaries. The converter is built once; it is read-only afterwards
// and safe for concurrent use.
func toSimplified(s string) string {
	t2sOnce.Do(func() { t2s, t2sErr = opencc.New("t2s") })
	if t2sErr != nil || !hasHan(s) {
		return s
	}
	out, err := t2s.Convert(s)
	if err != nil {
		return s
	}
	return out
}

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

var (
	s2tOnce sync.Once
	s2t     *opencc.OpenCC
	s2tErr  error
)

// Traditionalize converts simplified characters to traditional ones, for
// answering a question written in traditional script.
func Traditionalize(s string) string {
	s2tOnce.Do(func() { s2t, s2tErr = opencc.New("s2t") })
	if s2tErr != nil || !hasHan(s) {
		return s
	}
	out, err := s2t.Convert(s)
	if err != nil {
		return s
	}
	return out
}
