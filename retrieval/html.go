package retrieval

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// page is what an HTML file holds for ingest.
type page struct {
	// body is the main text, as go-readability finds it: no menus, login
	// boxes, sidebars or footers.
	body string
	// whole is the text of the entire page, whose metadata table (发布机构,
	// 发布日期, 文号) often stands outside the main text.
	whole string
	// heading is the page's own title: its <h1> (or <h2>), else the
	// document's part of <title>, else readability's reading of the page's
	// metadata.
	heading string
	// siteTitle is the <title> as written, the last resort.
	siteTitle string
}

// titleSeparator splits a <title> such as "关于…的通知 - 浑南区人民政府"
// into the document's part and the site's.
var titleSeparator = regexp.MustCompile(`\s+[-|_–—]\s+|\s*[|_–—]\s*`)

func readHTML(doc string) page {
	var p page
	p.whole, p.siteTitle = htmlToText(doc)
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		p.body = p.whole
		return p
	}
	// "关于…的通知 - 浑南区人民政府": the document's part and the site's.
	// Readability's own reading of <title> counts words by spaces, which
	// Chinese does not have.
	site, fromTitle := "", ""
	parts := titleSeparator.Split(p.siteTitle, -1)
	if len(parts) > 1 {
		site = strings.TrimSpace(parts[len(parts)-1])
	}
	for _, part := range parts {
		if part = strings.TrimSpace(part); titleLike(part) && !orgName(part) && part != site {
			fromTitle = part
			break
		}
	}
	article, err := readability.FromDocument(root, nil)
	if err == nil {
		if article.SiteName() != "" {
			site = article.SiteName()
		}
		if article.Node != nil {
			p.body = render.InnerText(article.Node)
		}
	}
	// A page too short or too odd for readability keeps all its text;
	// cleaning still drops the chrome it recognises.
	if len(Clean(p.body).Lines) == 0 {
		p.body = p.whole
	}
	p.heading = firstNonEmpty(firstHeading(root, site), fromTitle)
	if t := strings.TrimSpace(article.Title()); p.heading == "" && err == nil && titleLike(t) && !orgName(t) && t != site {
		p.heading = t
	}
	return p
}

// firstHeading returns the text of the first <h1> outside the page chrome
// that reads as a document's title, else of the first such <h2>: not the
// site's own name (a logo in <h1>), not a section heading (一、…).
func firstHeading(root *html.Node, site string) string {
	for _, tag := range []string{"h1", "h2"} {
		if t := findHeading(root, tag, site); t != "" {
			return t
		}
	}
	return ""
}

func findHeading(n *html.Node, tag, site string) string {
	if n.Type == html.ElementNode && skipElements[n.Data] {
		return ""
	}
	if n.Type == html.ElementNode && n.Data == tag {
		t := tidy(textOf(n))
		if titleLike(t) && t != site && !isChrome(t) && !orgName(t) && !startsBlock.MatchString(t) {
			return t
		}
		return ""
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := findHeading(c, tag, site); t != "" {
			return t
		}
	}
	return ""
}

// orgName reports whether a heading is only the name of a public body, as
// a site's logo is (沈阳市浑南区人民政府), rather than a document's title.
func orgName(s string) bool {
	if utf8.RuneCountInString(s) > 24 || strings.Contains(s, "关于") {
		return false
	}
	for _, k := range kindWords {
		if strings.Contains(s, k) {
			return false
		}
	}
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == "script" || c.Data == "style") {
			continue
		}
		b.WriteString(textOf(c))
	}
	return b.String()
}

// maxTitle is the longest a line may be to be taken as a title.
const maxTitle = 80

// titleLike reports whether a line can be a document's title: short, with
// Han text, not an addressee ("各街道、各社区:"), not a menu.
func titleLike(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < 2 || n > maxTitle || !hasHan(s) {
		return false
	}
	if strings.HasSuffix(s, ":") || strings.HasSuffix(s, ":") {
		return false
	}
	return !navOnly(tidy(s))
}

// htmlCharset returns the encoding an HTML file declares in a
// <meta charset>, or "" when it declares none, UTF-8, or one ingest does
// not read (windows-1252 is what the lookup says when nothing is declared).
func htmlCharset(raw []byte) string {
	_, name, _ := charset.DetermineEncoding(raw, "")
	if _, ok := namedEncodings[name]; !ok || name == "utf-8" {
		return ""
	}
	return name
}
