package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// source is a passage as numbered for the LLM, with the quantities it
// states.
type source struct {
	hit retrieval.Hit
	// quantities are "number|unit" (850|元, 2|万, 3.5|%) as the passage
	// text writes them; numbers are the bare numbers.
	quantities, numbers map[string]bool
	// years are the years of the document (title, date), which an answer
	// may name when it says whose policy it is and when it was issued.
	years map[string]bool
	// folded is the passage text as matched, for Chinese numerals.
	folded string
}

var (
	markerRe       = regexp.MustCompile(`\[(\d{1,3})\]`)
	spacedMarkerRe = regexp.MustCompile(`\[\s*(\d{1,3})\s*\]`)
	// A number as written — 1,300 and 3.5 included — and the character
	// right after it, which is its unit when it is one (元, 万, %, 户 …).
	quantityRe = regexp.MustCompile(`(\d+(?:,\d{3})*(?:\.\d+)?)([%\p{Han}]?)`)
	// Chinese numerals of two or more characters that count (九千九百,
	// 二十五): an LLM could write a figure this way to slip past a digit
	// check.
	cnNumberRe = regexp.MustCompile(`[零〇一二两三四五六七八九十百千万亿]{2,}`)
	yearRe     = regexp.MustCompile(`(19|20)\d{2}`)
)

func newSources(hits []retrieval.Hit) []source {
	out := make([]source, len(hits))
	for i, h := range hits {
		s := source{hit: h, quantities: map[string]bool{}, numbers: map[string]bool{}, years: map[string]bool{},
			folded: retrieval.Fold(h.Text)}
		for _, q := range quantities(s.folded) {
			s.quantities[q.num+"|"+q.unit] = true
			s.numbers[q.num] = true
		}
		for _, t := range []string{h.Title, h.Date} {
			for _, y := range yearRe.FindAllString(t, -1) {
				s.years[y] = true
			}
		}
		out[i] = s
	}
	return out
}

type quantity struct{ num, unit string }

func quantities(folded string) []quantity {
	var out []quantity
	for _, m := range quantityRe.FindAllStringSubmatch(folded, -1) {
		out = append(out, quantity{num: canonNumber(strings.ReplaceAll(m[1], ",", "")), unit: m[2]})
	}
	return out
}

// canonNumber writes 850, 850.0 and 0850 alike.
func canonNumber(n string) string {
	if f, err := strconv.ParseFloat(n, 64); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return n
}

// supports reports whether the sources state quantity q: the same number
// with the same unit (850元 is not 850万), or the bare number when the
// answer gives none, or a document's year.
func supports(srcs []source, q quantity) bool {
	for _, s := range srcs {
		switch {
		case q.unit != "" && s.quantities[q.num+"|"+q.unit]:
			return true
		case q.unit == "" && s.numbers[q.num]:
			return true
		case (q.unit == "" || q.unit == "年") && s.years[q.num]:
			return true
		}
	}
	return false
}

// cnNumbersSupported reports whether every counting Chinese numeral of the
// sentence stands in one of the sources as written.
func cnNumbersSupported(folded string, srcs []source) bool {
	for _, n := range cnNumberRe.FindAllString(folded, -1) {
		if !strings.ContainsAny(n, "十百千万亿") && utf8.RuneCountInString(n) < 3 {
			continue // 一二, 三四: an ordinal pair, not a figure
		}
		ok := false
		for _, s := range srcs {
			if strings.Contains(s.folded, n) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// normaliseMarkers folds the ways models write note marks — 【1】, [1],
// ［１］, [ 1 ] — into [1].
func normaliseMarkers(s string) string {
	s = strings.NewReplacer("【", "[", "】", "]", "\uff3b", "[", "\uff3d", "]").Replace(s)
	s = strings.Map(func(r rune) rune {
		if r >= '\uff10' && r <= '\uff19' {
			return r - '\uff10' + '0'
		}
		return r
	}, s)
	return spacedMarkerRe.ReplaceAllString(s, "[$1]")
}

// Reasons an LLM answer fails verification.
var (
	errNoCitation    = errors.New("no citation points to a passage")
	errUnsupported   = errors.New("a number is not in the passages it cites")
	errLeak          = errors.New("the reply reproduces the system prompt")
	errEmptyVerified = errors.New("nothing left after verification")
)

// leaksCanary reports whether text holds the canary, however it was
// written: full-width, another case, spaced out or with zero-width
// characters.
func leaksCanary(text, canary string) bool {
	if canary == "" {
		return false
	}
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '-' || r == '_' {
				return -1
			}
			return r
		}, retrieval.Fold(s))
	}
	return strings.Contains(squash(text), squash(canary))
}

// verified is an LLM answer that passed: its text with markers renumbered
// 1…m in order of first use, and the sources behind them.
type verified struct {
	text    string
	sources []source
}

type citedSentence struct {
	text  string // invalid marks removed
	cites []int
	// breaks is how many line breaks follow the sentence (at most
	// maxBreaks): paragraphs and list items of an answer stay apart, and
	// Telegram does not split it mid-paragraph.
	breaks int
}

// maxBreaks is the most line breaks kept between two sentences: one blank
// line separates paragraphs; more is a model padding its output.
const maxBreaks = 2

// splitCited splits an answer into sentences with the valid marks of each
// and the line breaks after each.
func splitCited(answer string, n int) ([]citedSentence, map[int]bool) {
	var ss []citedSentence
	citedAny := map[int]bool{}
	lines := strings.Split(answer, "\n")
	for i, line := range lines {
		for _, s := range retrieval.Sentences(line) {
			var cites []int
			clean := markerRe.ReplaceAllStringFunc(s, func(m string) string {
				k, _ := strconv.Atoi(markerRe.FindStringSubmatch(m)[1])
				if k < 1 || k > n {
					return "" // points nowhere: dropped
				}
				cites = append(cites, k)
				citedAny[k] = true
				return m
			})
			ss = append(ss, citedSentence{text: clean, cites: cites})
		}
		if len(ss) > 0 && i < len(lines)-1 {
			ss[len(ss)-1].breaks = min(ss[len(ss)-1].breaks+1, maxBreaks)
		}
	}
	return ss, citedAny
}

// sentenceSupported checks the figures of one sentence against the
// sources it may rest on.
func sentenceSupported(text string, allowed []source) bool {
	body := retrieval.Fold(markerRe.ReplaceAllString(text, ""))
	for _, q := range quantities(body) {
		if !supports(allowed, q) {
			return false
		}
	}
	return cnNumbersSupported(body, allowed)
}

// verify checks an LLM answer against the passages it was given: markers
// that point nowhere are dropped; no sentence may reproduce the system
// prompt (errLeak); sentences the guard holds back are dropped; at least
// one mark must remain; every figure of a sentence — digits with their
// unit, or counting Chinese numerals — must be stated by a passage that
// sentence cites (or, for a sentence without a mark, by one the answer
// cites). It returns the answer with citations renumbered.
func verify(answer string, srcs []source, g *guard) (verified, error) {
	answer = normaliseMarkers(answer)
	if leaksCanary(answer, g.canary) {
		return verified{}, errLeak
	}
	all, _ := splitCited(answer, len(srcs))
	srcPairs := sourcePairs(srcs)
	var ss []citedSentence
	citedAny := map[int]bool{}
	for _, s := range all {
		if g.leaks(s.text, srcPairs) {
			return verified{}, errLeak
		}
		if g.holdsBack(s) {
			if len(ss) > 0 {
				// its line breaks stay, so the next line does not join the last
				ss[len(ss)-1].breaks = max(ss[len(ss)-1].breaks, s.breaks)
			}
			continue
		}
		ss = append(ss, s)
		for _, k := range s.cites {
			citedAny[k] = true
		}
	}
	if len(citedAny) == 0 {
		return verified{}, errNoCitation
	}
	for _, s := range ss {
		var allowed []source
		cites := s.cites
		if len(cites) == 0 {
			for k := range citedAny {
				cites = append(cites, k)
			}
		}
		for _, k := range cites {
			allowed = append(allowed, srcs[k-1])
		}
		if !sentenceSupported(g.withoutAllowedNumbers(s.text), allowed) {
			return verified{}, errUnsupported
		}
	}
	// Renumber in order of first use.
	order := map[int]int{}
	var used []source
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(markerRe.ReplaceAllStringFunc(s.text, func(m string) string {
			k, _ := strconv.Atoi(markerRe.FindStringSubmatch(m)[1])
			if _, ok := order[k]; !ok {
				order[k] = len(used) + 1
				used = append(used, srcs[k-1])
			}
			return "[" + strconv.Itoa(order[k]) + "]"
		}))
		b.WriteString(strings.Repeat("\n", s.breaks))
	}
	text := strings.TrimSpace(b.String())
	if text == "" {
		return verified{}, errEmptyVerified
	}
	return verified{text: text, sources: used}, nil
}

// streamVerifier passes an LLM's text on sentence by sentence, and only
// sentences that verify on their own and pass the guard: a figure the
// passages do not state, or the system prompt, never reaches the person,
// even for the moment before the final check. The first sentence that
// fails stops the stream; the final answer then replaces whatever was
// shown. A sentence the guard holds back is skipped, as verify drops it.
type streamVerifier struct {
	srcs     []source
	guard    *guard
	srcPairs map[string]bool // of srcs, made at the first sentence
	out      func(string)
	buf      strings.Builder
	blocked  bool
	shown    bool // a sentence was passed on
	breaks   int  // line breaks owed before the next sentence, as verify keeps them
}

// emit passes a sentence on after the line breaks owed before it.
func (v *streamVerifier) emit(cs citedSentence) {
	text := cs.text
	if v.shown {
		text = strings.Repeat("\n", v.breaks) + text
	}
	v.out(text)
	v.shown, v.breaks = true, cs.breaks
}

func (v *streamVerifier) feed(delta string) {
	if v.out == nil || v.blocked {
		return
	}
	v.buf.WriteString(delta)
	for {
		s := v.buf.String()
		i := strings.IndexAny(s, "。!?;\n")
		if i < 0 {
			if leaksCanary(s, v.guard.canary) {
				v.blocked = true
			}
			return
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		raw := s[:i+size]
		v.buf.Reset()
		v.buf.WriteString(s[i+size:])
		if strings.TrimSpace(raw) == "" {
			if strings.Contains(raw, "\n") {
				v.breaks = min(v.breaks+1, maxBreaks)
			}
			continue
		}
		if v.srcPairs == nil {
			v.srcPairs = sourcePairs(v.srcs)
		}
		if leaksCanary(raw, v.guard.canary) {
			v.blocked = true
			return
		}
		ss, _ := splitCited(normaliseMarkers(raw), len(v.srcs))
		for _, cs := range ss {
			if v.guard.leaks(cs.text, v.srcPairs) {
				v.blocked = true
				return
			}
			if v.guard.holdsBack(cs) {
				if v.shown {
					v.breaks = max(v.breaks, cs.breaks)
				}
				continue
			}
			var allowed []source
			for _, k := range cs.cites {
				allowed = append(allowed, v.srcs[k-1])
			}
			// A sentence with a figure needs a valid mark of its own.
			if !sentenceSupported(v.guard.withoutAllowedNumbers(cs.text), allowed) {
				v.blocked = true
				return
			}
			v.emit(cs)
		}
	}
}
