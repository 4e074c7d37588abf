package telegram

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/minsheng/minsheng/bot"
)

// checkChunks asserts what Telegram needs of every message: within the
// limit, well-formed HTML (tags nested and closed, no stray < > &), not
// blank; and that together the messages say exactly what the text said.
func checkChunks(t *testing.T, source string, chunks []string, limit int) {
	t.Helper()
	for i, c := range chunks {
		if n := u16len(c); n > limit {
			t.Fatalf("chunk %d is %d units, limit %d", i, n, limit)
		}
		if !utf8.ValidString(c) {
			t.Fatalf("chunk %d is not UTF-8: %q", i, c)
		}
		if err := wellFormed(c); err != "" {
			t.Fatalf("chunk %d: %s: %q", i, err, c)
		}
		if strings.TrimSpace(plainText(c)) == "" {
			t.Fatalf("chunk %d is blank: %q", i, c)
		}
	}
	if got, want := squeeze(plainText(strings.Join(chunks, ""))), squeeze(plainText(source)); got != want {
		t.Fatalf("text changed by splitting:\n got %q\nwant %q", got, want)
	}
}

// wellFormed checks a message independently of tokenize's repairs.
func wellFormed(s string) string {
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			tok, n, ok := readTag(s[i:])
			if !ok {
				return "stray <"
			}
			if tok.kind == tokOpen {
				open = append(open, tok.name)
			} else {
				if len(open) == 0 || open[len(open)-1] != tok.name {
					return "misnested </" + tok.name + ">"
				}
				open = open[:len(open)-1]
			}
			i += n
		case '>':
			return "stray >"
		case '&':
			n := entityLen(s[i:])
			if n == 0 {
				return "broken entity"
			}
			i += n
		default:
			i++
		}
	}
	if len(open) > 0 {
		return "unclosed <" + open[len(open)-1] + ">"
	}
	return ""
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestSplitHTML(t *testing.T) {
	para := strings.Repeat("城乡低保标准提高到每月850元&lt;含&gt;。", 40) // ~1000 units
	tests := []struct {
		name   string
		text   string
		limit  int
		chunks int
		// first, when set, is how the first chunk must end.
		first string
	}{
		{"short", "<b>来源</b>\n\n正文", 4096, 1, "正文"},
		{"paragraphs", strings.Repeat(para+"\n\n", 6), 4096, 2, "。"},
		{"one long line", strings.Repeat("很长的一句话没有标点", 600), 4096, 2, ""},
		{"bold across the cut", "<b>" + strings.Repeat("字", 5000) + "</b>", 4096, 2, "</b>"},
		{"quote across the cut", "前言\n\n<blockquote>" + strings.Repeat("引用。", 2000) + "</blockquote>", 4096, 2, "</blockquote>"},
		{"entities at the cut", strings.Repeat("&amp;", 1000), 4096, 2, ";"},
		{"emoji count double", strings.Repeat("👍", 3000), 4096, 2, ""},
		{"lines preferred to characters", strings.Repeat("第一行内容\n", 30), 100, 0, "内容"},
		{"blank", " \n\n ", 4096, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := splitHTML(tt.text, tt.limit)
			if tt.chunks > 0 && len(chunks) != tt.chunks {
				t.Errorf("%d chunks, want %d", len(chunks), tt.chunks)
			}
			if tt.first != "" && len(chunks) > 0 && !strings.HasSuffix(chunks[0], tt.first) {
				t.Errorf("first chunk ends %q, want …%q", lastRunes(chunks[0], 12), tt.first)
			}
			checkChunks(t, tt.text, chunks, tt.limit)
		})
	}
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

func TestRenderAnswer(t *testing.T) {
	ans := bot.Answer{Answer: "标准是<850>元 & 以上[1]。", Citations: []bot.Citation{
		{N: 1, Title: "A&B《通知》", Region: "辽宁省 › 沈阳市", Date: "2023-10-30", Section: "一、<总则>"}}}
	got := renderAnswer(ans)
	want := "标准是&lt;850&gt;元 &amp; 以上[1]。\n\n<b>来源</b>\n\n<b>[1]</b> 《A&amp;B《通知》》\n" +
		"地区:辽宁省 › 沈阳市 · 日期:2023-10-30 · 章节:一、&lt;总则&gt;"
	if got != want {
		t.Errorf("renderAnswer:\n%s\nwant:\n%s", got, want)
	}
	if p := plainText(got); !strings.Contains(p, "标准是<850>元 & 以上[1]。") {
		t.Errorf("plainText: %q", p)
	}
}

func TestDraftText(t *testing.T) {
	long := strings.Repeat("字", 5000)
	if got := draftText(long); u16len(got) > maxMessage || !strings.HasSuffix(got, "…") {
		t.Errorf("long draft is %d units", u16len(got))
	}
	if got := draftText("你好"); got != "你好 …" {
		t.Errorf("draftText = %q", got)
	}
}

// FuzzSplitHTML splits text built from escaped arbitrary input with tags
// around some of it, at arbitrary limits.
func FuzzSplitHTML(f *testing.F) {
	f.Add("城乡低保|标准&提高<到>每月|850元。\n\n第二段", 64)
	f.Add(strings.Repeat("a&b<c>", 300), 100)
	f.Add("\xff\xfe|👍👍👍|\n\n\n", 70)
	f.Add(strings.Repeat("一二三。\n", 200), 4096)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit = 64 + abs(limit)%4096
		var b strings.Builder
		for i, part := range strings.Split(text, "|") {
			switch i % 4 {
			case 1:
				b.WriteString("<b>" + esc(part) + "</b>")
			case 3:
				b.WriteString("<blockquote>" + esc(part) + "<i>" + esc(part) + "</i></blockquote>")
			default:
				b.WriteString(esc(part))
			}
		}
		source := b.String()
		checkChunks(t, source, splitHTML(source, limit), limit)
	})
}

// FuzzRender formats arbitrary answers and sources and checks every
// message Telegram would get; raw input, even broken HTML, must come out
// escaped.
func FuzzRender(f *testing.F) {
	f.Add("标准是850元[1]。", "《通知》", "一、总则", "到2025年,标准850元。", 3)
	f.Add("<b>not bold</b> &amp; </i>", "a<b", "&#x41;", "<blockquote>", 1)
	f.Add(strings.Repeat("很长的回答。", 900), strings.Repeat("题", 300), "", "\x00\xff", 40)
	f.Fuzz(func(t *testing.T, answer, title, section, quote string, n int) {
		n = 1 + abs(n)%50
		var cits []bot.Citation
		for i := 1; i <= n; i++ {
			cits = append(cits, bot.Citation{N: i, Title: title, Region: "辽宁省 › 沈阳市", Date: "2023-10-30", Section: section, Quote: quote})
		}
		out := renderAnswer(bot.Answer{Answer: answer, Citations: cits})
		chunks := splitHTML(out, maxMessage)
		checkChunks(t, out, chunks, maxMessage)
		if len(chunks) == 0 {
			t.Fatal("an answer rendered to nothing")
		}
		if !strings.Contains(squeeze(plainText(strings.Join(chunks, ""))), squeeze(strings.ToValidUTF8(answer, "\uFFFD"))) {
			t.Fatalf("answer text not shown verbatim")
		}
		q := renderQuote(cits[0])
		checkChunks(t, q, splitHTML(q, maxMessage), maxMessage)
		if !strings.Contains(squeeze(plainText(q)), squeeze(strings.ToValidUTF8(quote, "\uFFFD"))) {
			t.Fatal("quote not shown verbatim")
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // the smallest int
			return 0
		}
		return -n
	}
	return n
}

func TestRenderAnswerSuggestions(t *testing.T) {
	got := renderAnswer(bot.Answer{Answer: "抱歉,现有政策文件里没有这方面的内容。", Abstained: true,
		Suggestions: []string{"浑南区低保标准是多少?", "<b>x</b>"}})
	for _, want := range []string{"可以这样问", "· 浑南区低保标准是多少?", "· &lt;b&gt;x&lt;/b&gt;"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered answer lacks %q:\n%s", want, got)
		}
	}
}
