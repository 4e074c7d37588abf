package retrieval

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chunk is one passage of a document as the splitter sees it: its place in
// the document's own structure and its text.
type Chunk struct {
	// Headings is the path from the outermost heading down to this
	// passage's own heading, e.g. 二、重点任务 › (六)… › 34.…
	Headings []string
	// Item is the number of the numbered item the passage belongs to ("34"),
	// or "" outside numbered items.
	Item string
	Text string
}

// SplitOptions bound passage length. Long items are cut into windows of
// about MaxRunes that overlap by one sentence so that a fact near a cut is
// still seen whole in one of the two windows.
type SplitOptions struct {
	MaxRunes int
}

// DefaultSplit suits policy prose: long enough to hold one measure with its
// figures, short enough that a passage is about one thing.
var DefaultSplit = SplitOptions{MaxRunes: 220}

const (
	levelChapter = 1 // 一、
	levelSection = 2 // (一)
	levelLabel   = 3 // a short line standing alone: 重点项目及任务:
	levelItem    = 4 // 1.
	levelSubItem = 5 // (1)
)

var (
	reChapter = regexp.MustCompile(`^[一二三四五六七八九十百零]+[、.]`)
	reSection = regexp.MustCompile(`^\([一二三四五六七八九十百零]+\)`)
	reItem    = regexp.MustCompile(`^(\d{1,3})(?:、|\.(?:[^\d]|$))`)
	reSubItem = regexp.MustCompile(`^\((\d{1,3})\)`)
	reAnnex   = regexp.MustCompile(`^附件\s*\d*:?\s*$`)
)

type heading struct {
	level int
	text  string
	item  string
}

// Split turns cleaned lines into passages along the document's own
// structure. The first line is taken as the title (not a passage) when it
// looks like one; it is returned so that ingested files can name themselves.
func Split(lines []string, opt SplitOptions) (title string, chunks []Chunk) {
	if opt.MaxRunes <= 0 {
		opt = DefaultSplit
	}
	var stack []heading
	push := func(h heading) {
		for len(stack) > 0 && stack[len(stack)-1].level >= h.level {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, h)
	}
	emit := func(text string) {
		path := make([]string, len(stack))
		item := ""
		for i, h := range stack {
			path[i] = h.text
			if h.item != "" {
				item = h.item
			}
		}
		for _, piece := range window(text, opt.MaxRunes) {
			chunks = append(chunks, Chunk{Headings: path, Item: item, Text: piece})
		}
	}
	annexTitlePending := false
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n := utf8.RuneCountInString(line)
		standalone := n <= 40 && !strings.ContainsAny(line, "。;!?")
		switch {
		case reAnnex.MatchString(line):
			push(heading{level: levelChapter, text: strings.TrimRight(line, ":")})
			annexTitlePending = true
			continue
		case annexTitlePending && standalone && !reItem.MatchString(line):
			push(heading{level: levelSection, text: line})
			annexTitlePending = false
			continue
		case reChapter.MatchString(line):
			annexTitlePending = false
			push(heading{level: levelChapter, text: headingOf(line)})
		case reSection.MatchString(line):
			push(heading{level: levelSection, text: headingOf(line)})
		case reSubItem.MatchString(line):
			m := reSubItem.FindStringSubmatch(line)
			push(heading{level: levelSubItem, text: headingOf(line), item: m[1]})
		case reItem.MatchString(line):
			m := reItem.FindStringSubmatch(line)
			push(heading{level: levelItem, text: headingOf(line), item: m[1]})
		case i == 0 && standalone && title == "":
			title = line
			continue
		case standalone:
			// A short line on its own is a label (重点项目及任务:) or page
			// residue (新闻资讯); either way it is no passage of its own.
			if n >= 4 && len(chunks) > 0 {
				push(heading{level: levelLabel, text: strings.TrimRight(line, ":")})
			}
			continue
		default:
			// Plain paragraph: keep the path, drop headings below a label.
			for len(stack) > 0 && stack[len(stack)-1].level > levelLabel {
				stack = stack[:len(stack)-1]
			}
			if lead := leadSentence(line); lead != "" {
				push(heading{level: levelItem, text: lead})
			}
		}
		if standalone {
			continue // a heading line with nothing after it
		}
		emit(line)
	}
	return title, chunks
}

// headingOf returns the heading part of a line that may run on into prose:
// "(一)指导思想。以习近平…" → "(一)指导思想". Lines without a short lead
// are cut to a readable label.
func headingOf(line string) string {
	if i := strings.IndexAny(line, "。:;"); i >= 0 && utf8.RuneCountInString(line[:i]) <= 48 {
		return line[:i]
	}
	if utf8.RuneCountInString(line) <= 48 {
		return line
	}
	r := []rune(line)
	cut := 24
	for j := 8; j < 40 && j < len(r); j++ {
		if r[j] == ',' || r[j] == '、' {
			cut = j
			break
		}
	}
	return string(r[:cut]) + "…"
}

// leadSentence returns the short first sentence that reports use as a bold
// lead ("加大就业和社会保障力度。…"), or "".
func leadSentence(line string) string {
	i := strings.Index(line, "。")
	if i < 0 || i+len("。") >= len(line) {
		return ""
	}
	if n := utf8.RuneCountInString(line[:i]); n >= 4 && n <= 16 && !strings.Contains(line[:i], ",") {
		return line[:i]
	}
	return ""
}

// Sentences splits text after sentence-final punctuation (。!?;), keeping it
// with its closing quotes.
func Sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		switch r {
		case '。', '!', '?', ';':
			end := i + utf8.RuneLen(r)
			// keep a closing quote or bracket with its sentence
			for end < len(text) {
				next, size := utf8.DecodeRuneInString(text[end:])
				if next != '”' && next != '’' && next != ')' && next != '"' {
					break
				}
				end += size
			}
			if s := strings.TrimSpace(text[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
	}
	if start < len(text) {
		if s := strings.TrimSpace(text[start:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// clauses splits an over-long sentence at commas so no piece exceeds max.
func clauses(s string, max int) []string {
	if utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	var parts []string
	start := 0
	for i, r := range s {
		if r == ',' || r == '、' {
			end := i + utf8.RuneLen(r)
			parts = append(parts, s[start:end])
			start = end
		}
	}
	parts = append(parts, s[start:])
	// hard-cut any clause that is still too long
	var out []string
	for _, p := range parts {
		r := []rune(p)
		for len(r) > max {
			out = append(out, string(r[:max]))
			r = r[max:]
		}
		if len(r) > 0 {
			out = append(out, string(r))
		}
	}
	return out
}

// window packs sentences into pieces of at most max runes, each piece
// starting with the last sentence of the previous one.
func window(text string, max int) []string {
	if utf8.RuneCountInString(text) <= max {
		return []string{text}
	}
	var units []string
	for _, s := range Sentences(text) {
		units = append(units, clauses(s, max/2)...)
	}
	var out []string
	var cur []string
	size := 0
	for i := 0; i < len(units); i++ {
		u := units[i]
		n := utf8.RuneCountInString(u)
		if size+n > max && len(cur) > 0 {
			out = append(out, strings.Join(cur, ""))
			last := cur[len(cur)-1]
			cur, size = nil, 0
			if ln := utf8.RuneCountInString(last); ln+n <= max {
				cur, size = []string{last}, ln
			}
		}
		cur = append(cur, u)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, ""))
	}
	return out
}
