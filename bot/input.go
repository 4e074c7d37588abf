package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	unorm "golang.org/x/text/unicode/norm"
)

// MaxQuestionRunes bounds a question. Real questions are a sentence or two;
// a page of text is a paste by mistake or an attempt to flood the bot.
const MaxQuestionRunes = 500

// Classes of invisible characters CleanQuestion strips, as counted by
// Options.OnStripped.
const (
	// StripZeroWidth: zero-width spaces and joiners, word joiners, the
	// byte-order mark and soft hyphens. They split words a filter looks
	// for ("忽\u200b略") and are never typed on purpose.
	StripZeroWidth = "zero_width"
	// StripBidi: bidirectional marks, embeddings, overrides and isolates.
	// Chinese and English need none; an override makes text read
	// differently from how it is stored.
	StripBidi = "bidi"
	// StripTag: Unicode tag characters (U+E0000–U+E007F). Invisible
	// everywhere, they can spell a whole instruction ("ignore all rules")
	// that a model reads and a person never sees.
	StripTag = "tag"
)

// invisibleClass names the class of an invisible character, or "".
func invisibleClass(r rune) string {
	switch {
	case r >= 0x200B && r <= 0x200D, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x00AD:
		return StripZeroWidth
	case r == 0x200E, r == 0x200F, r == 0x061C, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return StripBidi
	case r >= 0xE0000 && r <= 0xE007F:
		return StripTag
	}
	return ""
}

// keepsForm reports whether NFKC must leave r as the resident typed it.
// NFKC turns full-width punctuation (U+FF0C comma, U+FF1F question mark
// and the rest of the U+FF01–U+FF65 punctuation) into ASCII and "…" into "...": Chinese text
// would then read as if typed on an English keyboard, and quotes of it
// would no longer match. Full-width letters and digits are folded (ＡＢＣ
// １２３ is ABC123), since matching and masking want those as ASCII;
// 。、“”《》 and the rest of CJK punctuation have no compatibility form
// and are kept by NFKC itself.
func keepsForm(r rune) bool {
	switch {
	case r >= 0xFF01 && r <= 0xFF0F, r >= 0xFF1A && r <= 0xFF20, r >= 0xFF3B && r <= 0xFF40, r >= 0xFF5B && r <= 0xFF65:
		return true
	case r == '…', r == '‥':
		return true
	}
	return false
}

// normalize folds width and compatibility forms with NFKC — full-width
// Latin letters and digits, ㈠ → (一), ① → 1, compatibility ideographs →
// their unified form — except the punctuation keepsForm keeps.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := 0
	for i, r := range s {
		if keepsForm(r) {
			b.WriteString(unorm.NFKC.String(s[start:i]))
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	b.WriteString(unorm.NFKC.String(s[start:]))
	return b.String()
}

// stripInvisible removes invisible characters and reports the classes it
// found, each once.
func stripInvisible(s string) (string, []string) {
	var classes []string
	out := strings.Map(func(r rune) rune {
		c := invisibleClass(r)
		if c == "" {
			return r
		}
		found := false
		for _, k := range classes {
			found = found || k == c
		}
		if !found {
			classes = append(classes, c)
		}
		return -1
	}, s)
	return out, classes
}

// CleanQuestion checks a question and returns it trimmed, with invisible
// characters stripped and width forms folded, or a KindBadInput error whose
// message tells the person what to change. Every channel calls it (through
// AnswerStream), so a question reads the same however it arrived.
func CleanQuestion(q string) (string, error) {
	q, _, err := cleanQuestion(q)
	return q, err
}

// cleanQuestion is CleanQuestion, also reporting the classes of invisible
// characters stripped.
func cleanQuestion(q string) (string, []string, error) {
	if !utf8.ValidString(q) {
		return "", nil, badInput(MsgInvalidUTF8)
	}
	q, stripped := stripInvisible(q)
	q = normalize(q)
	for _, r := range q {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return "", stripped, badInput("问题里有控制字符,请只输入普通文字。")
		}
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return "", stripped, badInput("问题是空的。请输入想咨询的内容,例如:“浑南区有老年食堂吗?”")
	}
	if n := utf8.RuneCountInString(q); n > MaxQuestionRunes {
		return "", stripped, badInput("问题太长了(" + strconv.Itoa(n) + "字),请控制在" + strconv.Itoa(MaxQuestionRunes) + "字以内,一次问一件事。")
	}
	meaningful := false
	for _, r := range q {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			meaningful = true
			break
		}
	}
	if !meaningful {
		return "", stripped, badInput("问题里只有标点或符号。请用文字描述想咨询的内容。")
	}
	return q, stripped, nil
}
