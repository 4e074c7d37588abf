package telegram

import (
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/minsheng/minsheng/bot"
)

// maxMessage is Telegram's limit for one message. Telegram counts the text
// after parsing entities, in UTF-16 units; we count the HTML source, which
// is never shorter, so a chunk that fits here fits there.
const maxMessage = 4096

// draftLimit leaves room for the "…" a growing draft ends with.
const draftLimit = 4000

// esc makes generated text safe inside Telegram HTML. Invalid UTF-8 would
// make Telegram reject the whole message, so it is replaced first.
func esc(s string) string {
	return html.EscapeString(strings.ToValidUTF8(s, "\uFFFD"))
}

// renderAnswer formats a verified answer: its text, then the numbered
// sources with title, region, date and section. Each source is its own
// paragraph so that a long answer splits between sources, not inside one.
func renderAnswer(a bot.Answer) string {
	var b strings.Builder
	text := strings.TrimSpace(a.Answer)
	if text == "" {
		text = "(没有生成内容)"
	}
	b.WriteString(esc(text))
	if len(a.Suggestions) > 0 {
		b.WriteString("\n\n<b>可以这样问</b>")
		for _, q := range a.Suggestions {
			b.WriteString("\n· " + esc(q))
		}
	}
	if len(a.Citations) > 0 {
		b.WriteString("\n\n<b>来源</b>")
		for _, c := range a.Citations {
			b.WriteString("\n\n")
			b.WriteString(renderSource(c))
		}
	}
	return b.String()
}

// renderSource is one numbered source: "[1] 《title》" and a line of details.
func renderSource(c bot.Citation) string {
	var b strings.Builder
	b.WriteString("<b>[" + strconv.Itoa(c.N) + "]</b> ")
	if c.Title != "" {
		b.WriteString("《" + esc(c.Title) + "》")
	} else {
		b.WriteString(esc(c.Source))
	}
	var details []string
	if c.Region != "" {
		details = append(details, "地区:"+esc(c.Region))
	}
	if c.Date != "" {
		details = append(details, "日期:"+esc(c.Date))
	}
	if c.Section != "" {
		details = append(details, "章节:"+esc(c.Section))
	}
	if len(details) > 0 {
		b.WriteString("\n" + strings.Join(details, " · "))
	}
	return b.String()
}

// renderQuote shows the passage a citation quotes, for the "[n] 原文" button.
func renderQuote(c bot.Citation) string {
	quote := strings.TrimSpace(c.Quote)
	if quote == "" {
		quote = "(这条来源没有保存原文摘录。)"
	}
	return renderSource(c) + "\n\n<blockquote>" + esc(quote) + "</blockquote>"
}

// draftText is what a growing (not yet verified) answer shows: plain
// text, cut to fit one message.
func draftText(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if u16len(s) <= draftLimit {
		return s + " …"
	}
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > draftLimit {
			return s[:i] + " …"
		}
	}
	return s
}

func u16len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// A token is the smallest piece a message may be cut between: one
// character, one entity (&amp;) or one tag. Cutting only between tokens is
// what keeps tags and entities whole.
type token struct {
	s    string
	kind tokenKind
	name string // tag name, for tags
}

type tokenKind int

const (
	tokText tokenKind = iota
	tokEntity
	tokOpen
	tokClose
)

// tokenize reads the small HTML subset this package writes. Anything that
// is not a tag Telegram knows, a well-nested closing tag or an entity is
// escaped, so even unexpected input yields text Telegram can parse.
func tokenize(s string) []token {
	return balance(lex(s))
}

func lex(s string) []token {
	toks := make([]token, 0, len(s))
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if t, n, ok := readTag(s[i:]); ok {
				toks = append(toks, t)
				i += n
				continue
			}
			toks = append(toks, token{s: "&lt;", kind: tokEntity})
			i++
		case '>':
			toks = append(toks, token{s: "&gt;", kind: tokEntity})
			i++
		case '&':
			if n := entityLen(s[i:]); n > 0 {
				toks = append(toks, token{s: s[i : i+n], kind: tokEntity})
				i += n
				continue
			}
			toks = append(toks, token{s: "&amp;", kind: tokEntity})
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			text := s[i : i+size]
			if r == utf8.RuneError && size <= 1 {
				text = "\uFFFD"
			}
			toks = append(toks, token{s: text, kind: tokText})
			i += size
		}
	}
	return toks
}

// balance escapes closing tags that do not close the innermost open tag;
// tags still open at the end are closed by splitHTML.
func balance(toks []token) []token {
	var open []string
	for k, t := range toks {
		switch t.kind {
		case tokOpen:
			open = append(open, t.name)
		case tokClose:
			if n := len(open); n > 0 && open[n-1] == t.name {
				open = open[:n-1]
				continue
			}
			toks[k] = token{s: html.EscapeString(t.s), kind: tokEntity}
		}
	}
	return toks
}

// telegramTags are the tags Telegram's HTML parse mode accepts.
var telegramTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true,
	"ins": true, "s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true}

// readTag reads <name ...> or </name> at the start of s.
func readTag(s string) (token, int, bool) {
	end := strings.IndexByte(s, '>')
	if end < 0 || strings.ContainsAny(s[1:end], "<&\n") {
		return token{}, 0, false
	}
	body := s[1:end]
	kind := tokOpen
	if strings.HasPrefix(body, "/") {
		kind = tokClose
		body = body[1:]
	}
	name := body
	if i := strings.IndexAny(body, " \t"); i >= 0 {
		name = body[:i]
	}
	if !telegramTags[name] || kind == tokClose && name != body ||
		strings.ContainsAny(body, "\"'") && !validAttrs(body[len(name):]) {
		return token{}, 0, false
	}
	return token{s: s[:end+1], kind: kind, name: name}, end + 1, true
}

// validAttrs accepts name="value" pairs without stray quotes, which is all
// this package writes.
func validAttrs(s string) bool {
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		eq := strings.Index(s, "=\"")
		if eq <= 0 || strings.ContainsAny(s[:eq], " \"'") {
			return false
		}
		end := strings.IndexByte(s[eq+2:], '"')
		if end < 0 {
			return false
		}
		s = s[eq+2+end+1:]
	}
	return true
}

// entityLen is the length of the entity at the start of s (0 if none):
// the named entities Telegram knows, or a numeric one.
func entityLen(s string) int {
	for _, e := range []string{"&lt;", "&gt;", "&amp;", "&quot;"} {
		if strings.HasPrefix(s, e) {
			return len(e)
		}
	}
	if !strings.HasPrefix(s, "&#") {
		return 0
	}
	i, hex := 2, false
	if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
		i, hex = 3, true
	}
	start := i
	for i < len(s) && i-start < 8 && (s[i] >= '0' && s[i] <= '9' || hex && strings.IndexByte("abcdefABCDEF", s[i]) >= 0) {
		i++
	}
	if i == start || i >= len(s) || s[i] != ';' {
		return 0
	}
	return i + 1
}

// breakRank says how good a place the position after toks[j-1] is to end a
// message: between paragraphs, between lines, after a sentence, or
// anywhere between tokens.
func breakRank(toks []token, j int) int {
	if j >= len(toks) {
		return 4
	}
	prev := toks[j-1]
	if prev.kind != tokText {
		return 0
	}
	switch prev.s {
	case "\n":
		if j >= 2 && toks[j-2].s == "\n" {
			return 3
		}
		return 2
	case "。", "\uff01", "\uff1f", "\uff1b", "!", "?", ";", ".", " ", "\u3000":
		return 1
	}
	return 0
}

// splitHTML cuts formatted text into messages of at most limit UTF-16
// units, preferring paragraph, then line, then sentence boundaries, never
// cutting inside a tag or entity. Tags open at a cut are closed at the end
// of one message and opened again at the start of the next.
func splitHTML(s string, limit int) []string {
	toks := tokenize(s)
	var out []string
	var stack []token // tags open at the start of the current message
	i := 0
	for {
		for i < len(toks) && toks[i].kind == tokText && isSpace(toks[i].s) {
			i++
		}
		if i >= len(toks) {
			break
		}
		prefix := joinTokens(stack)
		k := cutPoint(toks, i, stack, u16len(prefix), limit)
		body, after := replay(toks[i:k], stack)
		chunk := prefix + strings.TrimRightFunc(body, unicode.IsSpace) + closers(after)
		if strings.TrimSpace(plainText(chunk)) != "" {
			out = append(out, chunk)
		}
		stack = after
		i = k
	}
	return out
}

// cutPoint finds where the message starting at toks[i] should end.
func cutPoint(toks []token, i int, stack []token, used, limit int) int {
	var best [5]int
	depth := append([]string(nil), names(stack)...)
	closeLen := 0
	for _, n := range depth {
		closeLen += len(n) + 3
	}
	j := i
	for j < len(toks) {
		t := toks[j]
		used += u16len(t.s)
		switch t.kind {
		case tokOpen:
			depth = append(depth, t.name)
			closeLen += len(t.name) + 3
		case tokClose: // balance made every closing tag close the innermost one
			depth = depth[:len(depth)-1]
			closeLen -= len(t.name) + 3
		}
		j++
		if used > limit {
			break
		}
		if used+closeLen <= limit {
			best[breakRank(toks, j)] = j
		}
	}
	if best[4] > 0 {
		return best[4]
	}
	// A good boundary is worth a shorter message, but not a tiny one.
	minFill := i + (j-i)/3
	for rank := 3; rank >= 1; rank-- {
		if best[rank] > minFill {
			return best[rank]
		}
	}
	if latest := max(best[0], best[1], best[2], best[3]); latest > i {
		return latest
	}
	return i + 1 // nothing fits: still make progress
}

func names(stack []token) []string {
	out := make([]string, len(stack))
	for i, t := range stack {
		out[i] = t.name
	}
	return out
}

// replay joins toks and returns the tags still open after them.
func replay(toks []token, stack []token) (string, []token) {
	open := append([]token(nil), stack...)
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.s)
		switch t.kind {
		case tokOpen:
			open = append(open, t)
		case tokClose:
			open = open[:len(open)-1]
		}
	}
	return b.String(), open
}

func closers(stack []token) string {
	var b strings.Builder
	for k := len(stack) - 1; k >= 0; k-- {
		b.WriteString("</" + stack[k].name + ">")
	}
	return b.String()
}

func joinTokens(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.s)
	}
	return b.String()
}

func isSpace(s string) bool {
	return strings.TrimSpace(s) == ""
}

// plainText is what Telegram would show for an HTML message, used when
// Telegram rejects the formatting and the message is resent without it.
func plainText(s string) string {
	var b strings.Builder
	for _, t := range tokenize(s) {
		switch t.kind {
		case tokText:
			b.WriteString(t.s)
		case tokEntity:
			b.WriteString(html.UnescapeString(t.s))
		}
	}
	return b.String()
}
