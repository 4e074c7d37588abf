package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// source is a passage as numbered for the LLM.
type source struct {
	hit     retrieval.Hit
	numbers map[string]bool // every number the passage (and its facts) states
}

var (
	markerRe = regexp.MustCompile(`\[(\d{1,3})\]`)
	numberRe = regexp.MustCompile(`\d+(?:\.\d+)?`)

	spacedMarkerRe = regexp.MustCompile(`\[\s*(\d{1,3})\s*\]`)
)

func newSources(hits []retrieval.Hit) []source {
	out := make([]source, len(hits))
	for i, h := range hits {
		nums := map[string]bool{}
		for _, t := range []string{h.Text, h.Title, h.Section, h.Date} {
			for _, n := range numberRe.FindAllString(retrieval.Fold(t), -1) {
				nums[canonNumber(n)] = true
			}
		}
		out[i] = source{hit: h, numbers: nums}
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
	errCanary        = errors.New("the reply leaks the system prompt")
	errEmptyVerified = errors.New("nothing left after verification")
)

// verified is an LLM answer that passed: its text with markers renumbered
// 1…m in order of first use, and the sources behind them.
type verified struct {
	text    string
	sources []source
}

// verify checks an LLM answer against the passages it was given: markers
// that point nowhere are dropped; at least one must remain; every number
// in a sentence must be stated by a passage that sentence cites (or, for a
// sentence without a mark, by one the answer cites); the canary must not
// appear. It returns the answer with citations renumbered.
func verify(answer string, srcs []source, canary string) (verified, error) {
	answer = normaliseMarkers(answer)
	if canary != "" && strings.Contains(answer, canary) {
		return verified{}, errCanary
	}
	sentences := retrieval.Sentences(strings.ReplaceAll(answer, "\n", "\n。"))
	type sent struct {
		text  string
		cites []int
	}
	var ss []sent
	citedAny := map[int]bool{}
	for _, s := range sentences {
		s = strings.TrimPrefix(s, "。")
		var cites []int
		clean := markerRe.ReplaceAllStringFunc(s, func(m string) string {
			n, _ := strconv.Atoi(markerRe.FindStringSubmatch(m)[1])
			if n < 1 || n > len(srcs) {
				return "" // points nowhere: dropped
			}
			cites = append(cites, n)
			citedAny[n] = true
			return m
		})
		ss = append(ss, sent{text: clean, cites: cites})
	}
	if len(citedAny) == 0 {
		return verified{}, errNoCitation
	}
	for _, s := range ss {
		allowed := s.cites
		if len(allowed) == 0 {
			for n := range citedAny {
				allowed = append(allowed, n)
			}
		}
		body := retrieval.Fold(markerRe.ReplaceAllString(s.text, ""))
		for _, num := range numberRe.FindAllString(body, -1) {
			ok := false
			for _, n := range allowed {
				if srcs[n-1].numbers[canonNumber(num)] {
					ok = true
					break
				}
			}
			if !ok {
				return verified{}, errUnsupported
			}
		}
	}
	// Renumber in order of first use.
	order := map[int]int{}
	var used []source
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(markerRe.ReplaceAllStringFunc(s.text, func(m string) string {
			n, _ := strconv.Atoi(markerRe.FindStringSubmatch(m)[1])
			if _, ok := order[n]; !ok {
				order[n] = len(used) + 1
				used = append(used, srcs[n-1])
			}
			return "[" + strconv.Itoa(order[n]) + "]"
		}))
	}
	text := strings.TrimSpace(strings.ReplaceAll(b.String(), "\n。", "\n"))
	if text == "" {
		return verified{}, errEmptyVerified
	}
	return verified{text: text, sources: used}, nil
}

// streamVerifier passes an LLM's text on sentence by sentence, and only
// sentences that verify on their own: a number the passages do not state
// never reaches the person, even for the moment before the final check.
type streamVerifier struct {
	srcs    []source
	canary  string
	out     func(string)
	buf     strings.Builder
	blocked bool
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
			return
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		sentence := s[:i+size]
		v.buf.Reset()
		v.buf.WriteString(s[i+size:])
		if strings.TrimSpace(sentence) == "" {
			continue
		}
		if _, err := verify(sentence, v.srcs, v.canary); err != nil && !errors.Is(err, errNoCitation) {
			v.blocked = true
			return
		}
		if v.canary != "" && strings.Contains(sentence, v.canary) {
			v.blocked = true
			return
		}
		// A sentence without a mark is held back only if it states a number.
		if numberRe.MatchString(markerRe.ReplaceAllString(sentence, "")) && !markerRe.MatchString(normaliseMarkers(sentence)) {
			v.blocked = true
			return
		}
		v.out(dropInvalidMarkers(normaliseMarkers(sentence), len(v.srcs)))
	}
}

// dropInvalidMarkers removes marks that point to no passage.
func dropInvalidMarkers(s string, n int) string {
	return markerRe.ReplaceAllStringFunc(s, func(m string) string {
		k, _ := strconv.Atoi(markerRe.FindStringSubmatch(m)[1])
		if k < 1 || k > n {
			return ""
		}
		return m
	})
}
