package bot

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/retrieval"
)

// guard is what every text a resident reads passes through before it is
// shown, except the bot's own fixed texts (messages.go), which are written
// and reviewed here:
//   - document quotes in extractive answers and citations lose links,
//     phone numbers and e-mail addresses that neither the catalog nor the
//     allowlist vouches for (scrub);
//   - each sentence of an LLM answer, streamed or final, is held back when
//     it reproduces the system prompt (leaks: the answer then fails
//     verification), carries such a link, or advises, judges or promises
//     without a citation (holdsBack).
//
// The extractive answer needs no leak check: its quotes are document text
// verbatim, and documents hold neither the per-process canary nor, beyond
// what the LLM is also allowed to quote, the prompt.
type guard struct {
	canary string
	// prompt holds the letter pairs of the rendered system prompt, and
	// echo those of the phrases it asks answers to use (promptEchoes).
	prompt, echo map[string]bool
	// hosts are the allowed link hosts (a subdomain of one is allowed
	// too), numbers the allowed phone numbers, digits only.
	hosts   []string
	numbers map[string]bool
}

// defaultAllowedNumbers are the phone numbers an answer may always show:
// the local government hotline, the national mental-health line, police
// and ambulance.
var defaultAllowedNumbers = []string{"12345", "12356", "110", "120"}

// newGuard builds the guard of an answerer. systemPrompt is the rendered
// system prompt ("" without an LLM); docs give the hosts of the catalog's
// source URLs; allowed are further hosts and numbers
// (MINSHENG_ALLOWED_LINKS), added to the catalog's and the default
// numbers.
func newGuard(canary, systemPrompt string, docs []retrieval.DocumentInfo, allowed []string) *guard {
	g := &guard{canary: canary, prompt: letterPairs(systemPrompt), echo: map[string]bool{}, numbers: map[string]bool{}}
	for _, e := range promptEchoes {
		for p := range letterPairs(e) {
			g.echo[p] = true
		}
	}
	for _, d := range docs {
		if h := hostOf(d.SourceURL); h != "" {
			g.hosts = append(g.hosts, h)
		}
	}
	for _, a := range append(append([]string(nil), defaultAllowedNumbers...), allowed...) {
		a = strings.TrimSpace(a)
		if isNumber(a) {
			g.numbers[digitsOnly(a)] = true
		} else if h := hostOf(a); h != "" {
			g.hosts = append(g.hosts, h)
		}
	}
	return g
}

// promptEchoes are the phrases the system prompt asks answers to use:
// repeating them is doing as told, not reproducing the prompt, so their
// letter pairs do not count towards a leak. TestPromptEchoes keeps them in
// step with prompts/system.tmpl.
var promptEchoes = []string{
	"民生问答",                // the bot's name: saying it is no leak
	"不低于每人每月850元",         // rule 2's example of a cited sentence
	"(浑南区,2023年文件)",       // rule 3's attribution
	"那是当时的计划,不一定是现行标准",    // rule 3
	"现有文件没有涉及这个问题",        // rule 4
	"建议拨打12345政务服务便民热线咨询", // rule 4
}

// A sentence reproduces the system prompt when, of its letter pairs that
// are neither in the passages the model was given nor in promptEchoes, at
// least leakShare are pairs of the prompt, and there are at least
// minLeakPairs of them. Pairs are taken over letters only (Han and Latin,
// folded), so that punctuation, digits and spacing cannot hide a copy.
// leakShare is low because a leak mixes the prompt with words of its own
// ("我的设定如下:你是“民生问答”…必须遵守的规则:" is about half prompt);
// an answer's own sentences share a pair or two with the prompt's topic
// words at most once the passages' words are set aside. minLeakPairs keeps
// a short sentence ("资料中没有提到。") from tipping on a pair or two.
// Measured on the 1,256 sentences of the seed documents as if an answer
// wrote them without their passage: none reaches 0.4 (99% stay under
// 0.17, the highest is 0.33); the half-prompt example above is at 0.53.
const (
	leakShare    = 0.4
	minLeakPairs = 6
)

// letters keeps the letters of folded text.
func letters(folded string) []rune {
	var out []rune
	for _, r := range folded {
		if unicode.IsLetter(r) {
			out = append(out, r)
		}
	}
	return out
}

// letterPairs is the set of adjacent letter pairs of a text, folded.
func letterPairs(s string) map[string]bool {
	rs := letters(retrieval.Fold(s))
	out := make(map[string]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// sourcePairs is the set of letter pairs of the passages an answer rests
// on.
func sourcePairs(srcs []source) map[string]bool {
	out := map[string]bool{}
	for _, s := range srcs {
		for p := range letterPairs(s.hit.Text) {
			out[p] = true
		}
	}
	return out
}

// leaks reports whether a sentence of an LLM answer reproduces the system
// prompt: its canary, however written, or enough of its wording.
func (g *guard) leaks(sentence string, srcPairs map[string]bool) bool {
	if leaksCanary(sentence, g.canary) {
		return true
	}
	n, in := 0, 0
	for p := range letterPairs(sentence) {
		if srcPairs[p] || g.echo[p] {
			continue
		}
		n++
		if g.prompt[p] {
			in++
		}
	}
	return n >= minLeakPairs && float64(in) >= leakShare*float64(n)
}

// holdsBack reports whether a sentence of an LLM answer is withheld (it
// stays out of the stream and of the final answer, which may go on
// without it). A sentence with a link, phone number or address nobody
// vetted is withheld whole rather than scrubbed: it is most likely
// sending the resident somewhere ("请立即访问 … 缴纳手续费"), and what is
// left once the link is cut would still say to go and pay. A sentence
// that advises, judges or promises must rest on a passage it cites.
func (g *guard) holdsBack(s citedSentence) bool {
	if _, changed := g.scrub(s.text); changed {
		return true
	}
	return len(s.cites) == 0 && advises(s.text)
}

// Links, addresses and numbers in text: an e-mail address; a URL with a
// scheme or www., or a bare domain under a common top-level domain; a
// phone number as Mask reads one (mobile, or landline with its area code),
// a 400/800 service number, or a short number after a word that calls it
// one (拨打12345, 热线96123).
var (
	emailRe = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	urlRe   = regexp.MustCompile(`(?i)(?:(?:https?|ftp)://|www\.)[a-z0-9\-._~/?#@!$&*+=%:]+|` +
		`\b(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:com|cn|net|org|gov|edu|info|top|xyz|site|online|vip|shop|club|app|io|me|cc|tv|biz|link|ink|wang|example)\b(?:[/?#][a-z0-9\-._~/?#@!$&*+=%:]*)?`)
	serviceNumber = regexp.MustCompile(`^[48]00\d{7}$`)
	phoneCue      = regexp.MustCompile(`(?i)(?:电话|热线|拨打|致电|手机|号码|联系方式|客服|call|dial|phone|tel|hotline)[:\x{FF1A}\s]*$`)
	phoneCueAfter = regexp.MustCompile(`(?i)^\s*(?:政务服务便民热线|便民热线|服务热线|热线|心理援助热线|电话|急救电话|报警电话|hotline)`)
)

// scrubQuotes scrubs the document text an answer carries besides its own
// text: the quotes and sections of its citations, which channels show
// under the answer, and its passages.
func (g *guard) scrubQuotes(ans *Answer) {
	for i := range ans.Citations {
		c := &ans.Citations[i]
		c.Quote, _ = g.scrub(c.Quote)
		c.Section, _ = g.scrub(c.Section)
	}
	for i := range ans.Passages {
		p := &ans.Passages[i]
		p.Text, _ = g.scrub(p.Text)
		p.Section, _ = g.scrub(p.Section)
	}
}

type found struct {
	start, end int // byte offsets
	omitted    string
}

// scrub replaces each link, phone number and e-mail address of text that
// the guard does not allow by a note saying it was left out, and reports
// whether it replaced any.
func (g *guard) scrub(text string) (string, bool) {
	var fs []found
	for _, m := range emailRe.FindAllStringIndex(text, -1) {
		at := strings.LastIndexByte(text[m[0]:m[1]], '@')
		if !g.hostAllowed(text[m[0]+at+1 : m[1]]) {
			fs = append(fs, found{m[0], m[1], emailOmitted})
		}
	}
	for _, m := range urlRe.FindAllStringIndex(text, -1) {
		end := m[0] + len(strings.TrimRight(text[m[0]:m[1]], ".:!?"))
		if overlapsAny(fs, m[0], end) || g.hostAllowed(hostOf(text[m[0]:end])) {
			continue
		}
		fs = append(fs, found{m[0], end, linkOmitted})
	}
	for _, p := range phoneNumbers(text) {
		if !overlapsAny(fs, p.start, p.end) && !g.numbers[p.digits] && !g.numbers[strings.TrimPrefix(p.digits, "86")] {
			fs = append(fs, found{p.start, p.end, phoneOmitted})
		}
	}
	if len(fs) == 0 {
		return text, false
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].start < fs[j].start })
	for i, f := range fs {
		// "(www.x.com)" becomes "(链接已省略)", not "((链接已省略))".
		open, so := utf8.DecodeLastRuneInString(text[:f.start])
		closing, sc := utf8.DecodeRuneInString(text[f.end:])
		if (open == '(' && closing == ')') || (open == '\uff08' && closing == '\uff09') {
			fs[i].start, fs[i].end = f.start-so, f.end+sc
		}
	}
	var b strings.Builder
	at := 0
	for _, f := range fs {
		b.WriteString(text[at:f.start])
		b.WriteString(f.omitted)
		at = f.end
	}
	b.WriteString(text[at:])
	return b.String(), true
}

func overlapsAny(fs []found, start, end int) bool {
	for _, f := range fs {
		if start < f.end && f.start < end {
			return true
		}
	}
	return false
}

// withoutAllowedNumbers blanks the allowed phone numbers of text (拨打12345,
// 12356热线): they are numbers to call, not figures a passage must state.
func (g *guard) withoutAllowedNumbers(text string) string {
	ps := phoneNumbers(text)
	for i := len(ps) - 1; i >= 0; i-- {
		if p := ps[i]; g.numbers[p.digits] {
			text = text[:p.start] + " " + text[p.end:]
		}
	}
	return text
}

type phoneNumber struct {
	start, end int // byte offsets
	digits     string
}

// phoneNumbers finds the phone numbers of text.
func phoneNumbers(text string) []phoneNumber {
	// Byte offsets from ranging over the string itself: a byte that is not
	// UTF-8 is one byte there, though it becomes a three-byte U+FFFD as a
	// rune.
	var rs []rune
	var offsets []int
	for i, r := range text {
		rs = append(rs, r)
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(text))
	var out []phoneNumber
	for i := 0; i < len(rs); {
		start, end, digits := digitRun(rs, i)
		if end == start {
			i++
			continue
		}
		var next rune
		if end < len(rs) {
			next = rs[end]
		}
		kind := numberKind(digits, rs[start:end], next)
		switch {
		case kind == "[手机号]" || kind == "[电话]" || serviceNumber.MatchString(digits),
			kind == "" && len(digits) >= 3 && len(digits) <= 8 &&
				(phoneCue.MatchString(string(rs[max(0, start-8):start])) || phoneCueAfter.MatchString(string(rs[end:min(len(rs), end+8)]))):
			out = append(out, phoneNumber{offsets[start], offsets[end], digits})
		}
		i = end
	}
	return out
}

// hostOf is the host of a URL or bare host name, lower case and without
// "www.", or "".
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if !strings.Contains(h, ".") {
		return ""
	}
	return h
}

func (g *guard) hostAllowed(host string) bool {
	host = hostOf(host)
	if host == "" {
		return false
	}
	for _, a := range g.hosts {
		if host == a || strings.HasSuffix(host, "."+a) {
			return true
		}
	}
	return false
}

// ValidAllowedLink reports whether an allowlist entry (Options.AllowedLinks)
// is a host name, a URL whose host is taken, or a phone number.
func ValidAllowedLink(e string) bool {
	e = strings.TrimSpace(e)
	return isNumber(e) || hostOf(e) != ""
}

// isNumber reports whether an allowlist entry is a phone number: digits,
// perhaps written with +, dashes, spaces or brackets.
func isNumber(s string) bool {
	d := strings.Map(func(r rune) rune {
		if strings.ContainsRune("+-() ", r) {
			return -1
		}
		return r
	}, s)
	if d == "" {
		return false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := asciiDigit(r); ok {
			b.WriteRune(d)
		}
	}
	return b.String()
}

// What makes a sentence advise, judge or promise, on folded text (ASCII
// punctuation, lower case). In an LLM answer such a sentence must cite a
// passage: the documents may advise or promise, the model may not on its
// own. The cases that define what counts are testdata/advice.jsonl.
var adviceCues = []*regexp.Regexp{
	// advice: telling the resident what to do
	regexp.MustCompile(`建议|应该|应当|最好|不妨|赶紧|务必|可以考虑|起诉|上诉|打官司|找律师|申请仲裁|` +
		`(?:您|你)(?:必须|得|一定要|需要)|(?:您|你)(?:可以|可)(?:直接|去|到|找|向|先)`),
	// judgement: on the resident's case, or on right and wrong
	regexp.MustCompile(`(?:您|你)(?:的情况)?(?:完全|肯定|应该)?(?:符合|不符合|属于|不属于|满足|不满足|够|不够|有资格|没有资格|没资格)|` +
		`(?:是|属于|构成)(?:违法|合法|违规|侵权)|(?:您|你)(?:的情况)?(?:能|可以|能够)(?:领|领取|享受|申请到|拿到|得到)`),
	// promises
	regexp.MustCompile(`一定(?:能|会|可以|给)|肯定(?:能|会|可以|给)|保证|绝对|百分之百|包(?:您|你)|稳拿`),
	// the same in English
	regexp.MustCompile(`\b(?:you should|you must|you need to|you have to|i (?:would )?(?:recommend|suggest|advise)|i'd (?:recommend|suggest)|` +
		`we recommend|sue|file a lawsuit|hire a lawyer|you (?:are|re) (?:eligible|entitled|qualified)|you qualify|` +
		`definitely|certainly|guarantee\w*|for sure)\b`),
}

// hotlineAdvice sends the resident to the 12345 hotline, as the system
// prompt asks when the documents fall short: not advice of the model's
// own.
var hotlineAdvice = regexp.MustCompile(`(?:建议|可以|请)?(?:您|你)?(?:拨打|致电|咨询)?12345[^,.;!?,。;!?]*|(?i:please )?call (?:the )?12345[^,.;!?]*`)

// advises reports whether a sentence advises, judges or promises.
func advises(sentence string) bool {
	f := retrieval.Fold(markerRe.ReplaceAllString(sentence, ""))
	f = hotlineAdvice.ReplaceAllString(f, " ")
	for _, re := range adviceCues {
		if re.MatchString(f) {
			return true
		}
	}
	return false
}
