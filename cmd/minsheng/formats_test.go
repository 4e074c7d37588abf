package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// pdfNotice is a two-page notice printed by Chromium (see
// retrieval/testdata/README.md): 某某社区助餐补贴每人每月123元.
const pdfNotice = "../../retrieval/testdata/notice.pdf"

// docxNumbering numbers chapters 一、 (chineseCounting), sections (一) and
// items 1. (decimal), as Word does for a Chinese notice.
const docxNumbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>`

// writeDocx writes a .docx with the standard library: paragraphs are
// "level|text", level 0–2 numbered automatically, "-" not numbered.
func writeDocx(t *testing.T, paras ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		level, text, _ := strings.Cut(p, "|")
		body.WriteString("<w:p>")
		if level != "-" {
			fmt.Fprintf(&body, `<w:pPr><w:numPr><w:ilvl w:val="%s"/><w:numId w:val="1"/></w:numPr></w:pPr>`, level)
		}
		fmt.Fprintf(&body, "<w:r><w:t>%s</w:t></w:r></w:p>", text)
	}
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`,
		"word/numbering.xml":  docxNumbering,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type askedAnswer struct {
	Answer    string `json:"answer"`
	Abstained bool   `json:"abstained"`
	Citations []struct {
		Source, Title, Section, Quote string
	} `json:"citations"`
}

func askJSON(t *testing.T, dir, q string) askedAnswer {
	t.Helper()
	code, out, errOut := runCLI(t, "", "ask", "--data-dir", dir, "--json", q)
	if code != exitOK {
		t.Fatalf("ask %q: exit %d: %s", q, code, errOut)
	}
	var a askedAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask %q: %v: %s", q, err, out)
	}
	return a
}

// A PDF, a .docx and a GBK text notice, each with a made-up figure, are
// added and answered with that figure and a citation to the file.
func TestIngestFormatsThenAsk(t *testing.T) {
	in := t.TempDir()
	pdf, err := os.ReadFile(pdfNotice)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"notice.pdf": pdf,
		"bath.docx": writeDocx(t,
			"-|关于浑南区某某街道老年人助浴服务补贴的通知",
			"-|发布机构:沈阳市浑南区民政局 发布日期:2024-04-02",
			"0|补贴对象",
			"1|某某街道户籍的失能老年人",
			"2|某某街道助浴补贴每人每次67元,由助浴服务机构直接减免。",
			"0|申请方式",
			"2|到街道社区服务中心申请。"),
		"nursery.txt": gbk(t, "关于浑南区某某社区托育补贴的通知\n发布日期:2024-05-06\n一、补贴标准\n1.某某社区托育补贴每名婴幼儿每月234元,按月发放到家庭账户。\n二、申请方式\n1.家长到社区服务站申请。\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "", "ingest", "--data-dir", dir, in)
	if code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"added bath.docx: 《关于浑南区某某街道老年人助浴服务补贴的通知》 辽宁省 › 沈阳市 › 浑南区 · 2024-04-02 · 沈阳市浑南区民政局",
		"added notice.pdf: 《关于浑南区某某社区老年助餐补贴的通知》 辽宁省 › 沈阳市 › 浑南区 · 2024-03-01 · 沈阳市浑南区民政局",
		"added nursery.txt: 《关于浑南区某某社区托育补贴的通知》 辽宁省 › 沈阳市 › 浑南区 · 2024-05-06",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ingest output lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct{ q, figure, source, section string }{
		{"浑南区某某社区助餐补贴每人每月多少钱?", "123元", "notice.pdf", "二、补贴标准"},
		{"浑南区某某街道老人助浴补贴每次多少钱?", "67元", "bath.docx", "一、补贴对象 › (一)某某街道户籍的失能老年人 › 1."},
		{"浑南区某某社区托育补贴每月多少钱?", "234元", "nursery.txt", "一、补贴标准"},
	} {
		a := askJSON(t, dir, tc.q)
		if a.Abstained || !strings.Contains(a.Answer, tc.figure) || len(a.Citations) == 0 ||
			a.Citations[0].Source != tc.source || !strings.HasPrefix(a.Citations[0].Section, tc.section) {
			t.Errorf("%s: %+v", tc.q, a)
		}
	}
}

// Each bad input gets a clear message and exit 2, a URL that times out
// exit 1, and none of them changes the library or the saved index.
func TestIngestBadInputsChangeNothing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(t.TempDir(), "canteen.html")
	os.WriteFile(good, []byte(canteenNotice), 0o644)
	if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", dir, "--date", "2024-06-01", good); code != exitOK {
		t.Fatalf("first ingest: exit %d: %s", code, errOut)
	}
	before := snapshot(t, dir)

	pdf, err := os.ReadFile(pdfNotice)
	if err != nil {
		t.Fatal(err)
	}
	encrypted, err := os.ReadFile("../../retrieval/testdata/encrypted.pdf")
	if err != nil {
		t.Fatal(err)
	}
	var xlsx bytes.Buffer
	zw := zip.NewWriter(&xlsx)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	zw.Close()
	in := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case "/photo.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	defer close(release)

	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want []string
	}{
		{"encrypted PDF", nil, []string{write("locked.pdf", encrypted)}, exitBadInput, []string{"locked.pdf", "encrypted"}},
		{"scanned PDF", nil, []string{write("scan.pdf", scannedPDF())}, exitBadInput, []string{"scan.pdf", "no text layer", "OCR"}},
		{"truncated PDF", nil, []string{write("cut.pdf", pdf[:len(pdf)/2])}, exitBadInput, []string{"cut.pdf", "cut short"}},
		{"zip that is not a docx", nil, []string{write("sheet.docx", xlsx.Bytes())}, exitBadInput, []string{"sheet.docx", "no Word document"}},
		{"old .doc renamed .docx", nil, []string{write("old.docx", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))}, exitBadInput, []string{"old.docx", "not a zip", "save it as .docx"}},
		{"0 bytes", nil, []string{write("empty.txt", nil)}, exitBadInput, []string{"empty.txt", "empty (0 bytes)"}},
		{"over the cap (flag)", nil, []string{"--max-document-bytes", "1000", write("big.txt", bytes.Repeat([]byte("关于浑南区的通知。"), 100))}, exitBadInput,
			[]string{"big.txt", "2700 bytes, over the cap of 1000 bytes", "MINSHENG_MAX_DOCUMENT_BYTES"}},
		{"over the cap (environment)", map[string]string{"MINSHENG_MAX_DOCUMENT_BYTES": "1000"}, []string{filepath.Join(in, "big.txt")}, exitBadInput, []string{"over the cap of 1000 bytes"}},
		{"bad cap", map[string]string{"MINSHENG_MAX_DOCUMENT_BYTES": "50MB"}, []string{good}, exitBadInput, []string{"MINSHENG_MAX_DOCUMENT_BYTES must be a number of bytes"}},
		{"old .doc", nil, []string{write("notice.doc", []byte("x"))}, exitBadInput, []string{"save it as .docx"}},
		{"GBK named UTF-8", nil, []string{"--encoding", "utf-8", "--date", "2024", write("gbk.txt", gbk(t, "关于浑南区助餐补贴的通知\n1.每人每月123元。"))}, exitBadInput, []string{"gbk.txt", "not valid UTF-8"}},
		{"unknown encoding", nil, []string{"--encoding", "latin-9", filepath.Join(in, "gbk.txt")}, exitBadInput, []string{"unknown encoding", "utf-8, gbk, gb18030"}},
		{"private address", nil, []string{srv.URL + "/notice.html"}, exitBadInput, []string{"loopback", "MINSHENG_FETCH_ALLOW_PRIVATE=1"}},
		{"URL not found", map[string]string{"MINSHENG_FETCH_ALLOW_PRIVATE": "1"}, []string{srv.URL + "/gone.html"}, exitBadInput, []string{"404"}},
		{"URL of an image", map[string]string{"MINSHENG_FETCH_ALLOW_PRIVATE": "1"}, []string{srv.URL + "/photo.png"}, exitBadInput, []string{"image/png", "web pages, PDF, .docx and plain text"}},
		{"URL times out", map[string]string{"MINSHENG_FETCH_ALLOW_PRIVATE": "1", "MINSHENG_FETCH_TIMEOUT": "300ms"}, []string{srv.URL + "/slow"}, exitFailure,
			[]string{srv.URL + "/slow", "no complete answer within 300ms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runCLI(t, "", append([]string{"ingest", "--data-dir", dir}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not say %q", errOut, w)
				}
			}
			after := snapshot(t, dir)
			for name, b := range before {
				if after[name] != b {
					t.Errorf("%s changed", name)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s left behind", name)
				}
			}
		})
	}
}

// ingest URL fetches a page (here from a test server, allowed by
// MINSHENG_FETCH_ALLOW_PRIVATE=1), takes its title from the <h1>, not from
// the login box above it, and answers from it.
func TestIngestURL(t *testing.T) {
	t.Setenv("MINSHENG_FETCH_ALLOW_PRIVATE", "1")
	page := `<html><head><title>沈阳市浑南区人民政府</title></head><body>
<div class="top"><a href="/login">登录</a> <a href="/reg">注册</a></div>
<h1>关于浑南区某某社区老年人理发补贴的通知</h1>
<p>发布机构:沈阳市浑南区民政局 发布日期:2024-07-08</p>
<div class="content"><p>一、补贴标准</p><p>1.某某社区老年人理发补贴每人每月19元,由社区理发点直接减免,不发放现金,补贴不得转让。</p>
<p>二、申请方式</p><p>1.老年人持身份证到社区服务站登记,社区服务站当场办理,登记后的次月起可以享受补贴。</p></div>
<div class="footer">版权所有 辽ICP备12345678号</div></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/art/2024/art_88.jsp" {
			http.Redirect(w, r, "/art/2024/art_88.jsp", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "", "ingest", "--data-dir", dir, srv.URL+"/notice")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "added art_88.html from "+srv.URL+"/notice: 《关于浑南区某某社区老年人理发补贴的通知》 辽宁省 › 沈阳市 › 浑南区 · 2024-07-08 · 沈阳市浑南区民政局") {
		t.Errorf("output: %s", out)
	}
	a := askJSON(t, dir, "浑南区某某社区老人理发补贴每月多少钱?")
	if a.Abstained || !strings.Contains(a.Answer, "19元") || len(a.Citations) == 0 || a.Citations[0].Source != "art_88.html" ||
		a.Citations[0].Title != "关于浑南区某某社区老年人理发补贴的通知" {
		t.Errorf("answer: %+v", a)
	}
	if strings.Contains(out+a.Answer, "登录") {
		t.Errorf("navigation in the answer: %s %s", out, a.Answer)
	}
}

// scannedPDF is a one-page PDF showing one grey image and no text, as a
// scan is; its cross-reference offsets are computed.
func scannedPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Length 31 >>\nstream\nq 200 0 0 200 0 0 cm /Im1 Do Q\nendstream",
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
