package retrieval

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// docxPart is one paragraph of a test document: its style, its numbering
// (numID "" for none) and its runs.
type docxPart struct {
	style, numID, ilvl string
	runs               string // the inside of <w:p> after <w:pPr>, raw XML
}

func para(text string) docxPart { return docxPart{runs: run(text)} }

func run(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

// The numbering of a Chinese notice as Word writes it: chapters 一、 by
// chineseCounting, sections (一) by chineseCounting in full-width brackets,
// items 1. by decimal; a second list of 甲、乙 (ideographTraditional); and
// headings numbered through their style.
const testNumbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/><w:pStyle w:val="1"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
 <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3.%4"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1、"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>`

// Chinese Word names its heading styles by number: styleId "1" is 标题 1.
const testStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
</w:styles>`

var testNotice = []docxPart{
	{style: "Title", runs: run("关于浑南区某某社区老年助餐补贴的通知")},
	para("发布机构:沈阳市浑南区民政局 发布日期:2024-03-01"),
	para("文号:浑民发〔2024〕7号"),
	{style: "1", runs: run("补贴对象")},
	{numID: "1", ilvl: "1", runs: run("户籍在某某社区、年满60周岁的老年人。")},
	{numID: "1", ilvl: "1", runs: run("在社区老年食堂登记就餐的老年人。")},
	{style: "1", runs: run("补贴标准")},
	{numID: "1", ilvl: "1", runs: run("就餐补贴")},
	{numID: "1", ilvl: "2", runs: run("某某社区助餐补贴每人每") + `<w:del><w:r><w:delText>年</w:delText></w:r></w:del>` + run("月123元,由社区老年食堂直接抵扣。")},
	{numID: "1", ilvl: "2", runs: run("年满80周岁的老年人每人每月再增加45元。")},
	{numID: "1", ilvl: "3", runs: run("失能老年人另行申请。")},
	{numID: "2", ilvl: "0", runs: run("甲类食堂")},
	{numID: "2", ilvl: "0", runs: run("乙类食堂")},
	{numID: "3", ilvl: "0", runs: run("重新编号的第一项")},
	{numID: "4", ilvl: "0", runs: run("不编号的要点")},
	{style: "1", runs: run("申请方式")},
	{numID: "1", ilvl: "2", runs: run("到社区服务站申请") + `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>`},
}

const testTable = `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>对象</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>每月补贴</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>80周岁以上</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>168元</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`

// writeDocx builds a .docx with the standard library's zip and the XML
// Word writes: the content types, the package relationships, the
// document, its styles and numbering.
func writeDocx(t testing.TB, parts []docxPart, extra string, withNumbering bool) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range parts {
		body.WriteString("<w:p>")
		if p.style != "" || p.numID != "" {
			body.WriteString("<w:pPr>")
			if p.style != "" {
				fmt.Fprintf(&body, `<w:pStyle w:val="%s"/>`, p.style)
			}
			if p.numID != "" {
				fmt.Fprintf(&body, `<w:numPr><w:ilvl w:val="%s"/><w:numId w:val="%s"/></w:numPr>`, p.ilvl, p.numID)
			}
			body.WriteString("</w:pPr>")
		}
		body.WriteString(p.runs)
		body.WriteString("</w:p>\n")
	}
	body.WriteString(extra)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
` + body.String() + `<w:sectPr/></w:body></w:document>`},
		{"word/styles.xml", testStyles},
	}
	if withNumbering {
		files = append(files, struct{ name, body string }{"word/numbering.xml", testNumbering})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Automatic numbers come out as the reader sees them, so the splitter
// finds chapters, sections and items; deleted text and field codes stay
// out; a table row is one line.
func TestDocxText(t *testing.T) {
	text, err := docxText(writeDocx(t, testNotice, testTable, true))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"关于浑南区某某社区老年助餐补贴的通知",
		"发布机构:沈阳市浑南区民政局 发布日期:2024-03-01",
		"文号:浑民发〔2024〕7号",
		"一、补贴对象",
		"(一)户籍在某某社区、年满60周岁的老年人。",
		"(二)在社区老年食堂登记就餐的老年人。",
		"二、补贴标准",
		"(一)就餐补贴",
		"1.某某社区助餐补贴每人每月123元,由社区老年食堂直接抵扣。",
		"2.年满80周岁的老年人每人每月再增加45元。",
		"2.1 失能老年人另行申请。",
		"甲、甲类食堂",
		"乙、乙类食堂",
		"甲、重新编号的第一项",
		"不编号的要点",
		"三、申请方式",
		"1.到社区服务站申请",
		"对象  每月补贴",
		"80周岁以上  168元",
	}
	got := strings.Split(strings.TrimSpace(text), "\n")
	for i := range max(len(got), len(want)) {
		g, w := "", ""
		if i < len(got) {
			g = tidy(got[i])
		}
		if i < len(want) {
			w = tidy(want[i])
		}
		if g != w {
			t.Errorf("line %d: %q, want %q", i+1, g, w)
		}
	}
}

// A .docx notice becomes a document whose passages carry the structure
// of its automatic numbering, the facts of its metadata lines, and the
// figure.
func TestParseDocx(t *testing.T) {
	raw := writeDocx(t, testNotice, testTable, true)
	d, err := ParseFile("notice.docx", raw, Meta{}, knownRegions)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "关于浑南区某某社区老年助餐补贴的通知" || d.Issuer != "沈阳市浑南区民政局" || d.Date != "2024-03-01" ||
		RegionName(d.Region) != "辽宁省 › 沈阳市 › 浑南区" || d.Kind != "通知" {
		t.Errorf("facts: %q %q %q %q %q", d.Title, d.Issuer, d.Date, RegionName(d.Region), d.Kind)
	}
	found := false
	for _, p := range d.Passages(DefaultSplit) {
		if strings.Contains(p.Text, "123元") {
			found = true
			if !strings.HasPrefix(p.Section, "二、补贴标准 › (一)就餐补贴 › 1.") || p.Item != "1" {
				t.Errorf("123元 under %q item %q", p.Section, p.Item)
			}
		}
	}
	if !found {
		t.Error("no passage holds 123元")
	}
	ix, err := Build(context.Background(), []Document{d}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), PlainQuery("某某社区助餐补贴每月多少钱"))
	if err != nil || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "123元") || res.Hits[0].Source != "notice.docx" {
		t.Errorf("search: %v %+v", err, res.Hits)
	}
}

func TestDocxRejects(t *testing.T) {
	var notWord bytes.Buffer
	zw := zip.NewWriter(&notWord)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	zw.Close()
	good := writeDocx(t, testNotice, "", true)
	var badXML bytes.Buffer
	zw = zip.NewWriter(&badXML)
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte("<w:document><w:body><w:p>"))
	zw.Close()
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"zip of a spreadsheet", notWord.Bytes(), "no Word document"},
		{"old .doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word"), "not a zip"},
		{"cut short", good[:len(good)/2], "not a zip"},
		{"broken XML", badXML.Bytes(), "damaged"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFile("notice.docx", tc.raw, Meta{Date: "2024", Region: []string{"辽宁省"}}, knownRegions)
			if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "notice.docx") {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	// Without numbering.xml the paragraphs are kept, unnumbered.
	text, err := docxText(writeDocx(t, testNotice, "", false))
	if err != nil || !strings.Contains(text, "补贴对象") || strings.Contains(text, "一、补贴对象") {
		t.Errorf("no numbering part: %v %q", err, text)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		n      int
		format string
		want   string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"}, {35, "chineseCounting", "三十五"}, {100, "chineseCounting", "一百"},
		{105, "chineseCounting", "一百零五"}, {110, "chineseCounting", "一百一十"}, {1010, "chineseCountingThousand", "一千零一十"},
		{3, "chineseLegalSimplified", "叁"}, {12, "chineseLegalSimplified", "拾贰"},
		{1, "ideographTraditional", "甲"}, {10, "ideographTraditional", "癸"}, {11, "ideographTraditional", "甲"},
		{2, "ideographZodiac", "丑"}, {105, "ideographDigital", "一〇五"},
		{3, "decimal", "3"}, {3, "decimalZero", "03"}, {3, "decimalEnclosedCircle", "③"}, {3, "decimalEnclosedParen", "⑶"},
		{27, "lowerLetter", "aa"}, {2, "upperLetter", "B"}, {14, "upperRoman", "XIV"}, {4, "lowerRoman", "iv"},
		{7, "none", ""}, {7, "someNewFormat", "7"},
	}
	for _, tc := range tests {
		if got := formatNumber(tc.n, tc.format); got != tc.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", tc.n, tc.format, got, tc.want)
		}
	}
}

func FuzzDocxText(f *testing.F) {
	f.Add(writeDocx(f, testNotice, testTable, true))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		docxText(raw) // must not panic
	})
}
