package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	testPDFOnce   sync.Once
	testPDFReader *PDFReader
)

// pdfReader is one engine for the package's tests. Its compiled code is
// kept where every run of the tests finds it, so that only the first run
// on a machine pays the seconds of compiling.
func pdfReader(t *testing.T) *PDFReader {
	t.Helper()
	testPDFOnce.Do(func() {
		testPDFReader = &PDFReader{CacheDir: filepath.Join(os.TempDir(), "minsheng-test-pdfium-cache")}
	})
	return testPDFReader
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testPDFReader != nil {
		testPDFReader.Close()
	}
	os.Exit(code)
}

// notice.pdf is a two-page notice printed by Chromium from
// testdata/notice-pdf.html, with the browser's header (date, title) and
// footer (file URL, page number) on both pages and a paragraph that wraps.
func TestPDFNotice(t *testing.T) {
	raw, err := os.ReadFile("testdata/notice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := pdfReader(t).Pages(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	text := pdfText(pages)
	// Reading order: the headings in the order printed, across pages.
	last := -1
	for _, h := range []string{"关于浑南区某某社区老年助餐补贴的通知", "一、补贴对象", "二、补贴标准", "1.某某社区助餐补贴每人每月123元", "三、申请方式", "四、其他事项"} {
		i := strings.Index(text, h)
		if i <= last {
			t.Errorf("%q at %d, after %d: out of order or missing\n%s", h, i, last, text)
		}
		last = i
	}
	// The wrapped paragraph is whole again, its figure included.
	if !strings.Contains(text, "老年人名单和金额,接受居民监督") || !strings.Contains(text, "本季度全社区补贴总额控制在8765元以内。") {
		t.Errorf("wrapped lines not joined:\n%s", text)
	}
	// The printer's running header and footer are gone.
	for _, chrome := range []string{"file://", "1/2", "2/2", "PM", "浑南区某某社区老年助餐补贴通知\n"} {
		if strings.Contains(text, chrome) {
			t.Errorf("header/footer %q left:\n%s", chrome, text)
		}
	}
	d, err := (Formats{PDF: pdfReader(t)}).Parse(context.Background(), "notice.pdf", raw, Meta{}, knownRegions)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "关于浑南区某某社区老年助餐补贴的通知" || d.Issuer != "沈阳市浑南区民政局" || d.Date != "2024-03-01" ||
		RegionName(d.Region) != "辽宁省 › 沈阳市 › 浑南区" {
		t.Errorf("facts: %q %q %q %q", d.Title, d.Issuer, d.Date, RegionName(d.Region))
	}
	if n := Clean(d.Text).Number; n != "浑民发〔2024〕7号" {
		t.Errorf("number %q", n)
	}
	ix, err := Build(context.Background(), []Document{d}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), PlainQuery("某某社区助餐补贴每人每月多少钱"))
	if err != nil || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "123元") || res.Hits[0].Section != "二、补贴标准 › 1.某某社区助餐补贴每人每月123元,由社区老年食堂在就餐时直接抵扣" {
		t.Errorf("search: %v %+v", err, res.Hits)
	}
}

// minimalPDF writes a one-page PDF whose page shows content; objs are
// further objects from number 5 on. Offsets in the cross-reference table
// are computed, so PDFium reads it without repairs.
func minimalPDF(content string, resources string, objs ...string) []byte {
	all := append([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << " + resources + " >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}, objs...)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(all))
	for i, o := range all {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(all)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(all)+1, xref)
	return b.Bytes()
}

// A scanned page: one grey image, no text.
func scannedPDF() []byte {
	return minimalPDF("q 200 0 0 200 0 0 cm /Im1 Do Q", "/XObject << /Im1 5 0 R >>",
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream")
}

// Encrypted, scanned, cut short or not a PDF at all: each is refused with
// what to do about it, as ErrUnreadable.
func TestPDFRejects(t *testing.T) {
	notice, err := os.ReadFile("testdata/notice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	encrypted, err := os.ReadFile("testdata/encrypted.pdf")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"encrypted", encrypted, "encrypted"},
		{"scanned", scannedPDF(), "no text layer"},
		{"truncated", notice[:len(notice)*2/3], "cut short"},
		{"not a PDF", []byte("<html>关于浑南区的通知</html>"), "not a readable PDF"},
		{"damaged inside", append([]byte("%PDF-1.7\n"+strings.Repeat("\x00garbage ", 50)), "\n%%EOF\n"...), "not a readable PDF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := (Formats{PDF: pdfReader(t)}).Parse(context.Background(), "notice.pdf", tc.raw, Meta{Date: "2024", Region: []string{"辽宁省"}}, knownRegions)
			if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "notice.pdf") {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	// A text page of the same hand-made kind is read: the refusal above is
	// the image, not the maker.
	text := minimalPDF("BT /F1 12 Tf 20 100 Td (Subsidy 123 yuan) Tj ET", "/Font << /F1 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	pages, err := pdfReader(t).Pages(context.Background(), text)
	if err != nil || len(pages) != 1 || !strings.Contains(pages[0], "Subsidy 123 yuan") {
		t.Errorf("text page: %v %q", err, pages)
	}
	// Without a reader, PDFs are refused rather than misread.
	if _, err := ParseFile("notice.pdf", notice, Meta{}, knownRegions); err == nil {
		t.Error("ParseFile without a PDF reader read a PDF")
	}
}

func TestPDFText(t *testing.T) {
	header := "2024/3/1 10:15 浑南区政府网"
	tests := []struct {
		name  string
		pages []string
		want  string
	}{
		{"running header and footer, page numbers",
			[]string{
				"浑南区民政局文件\r\n一、补贴标准\r\n1.每人每月123元。\r\n- 1 -",
				"浑南区民政局文件\r\n二、申请方式\r\n1.到社区申请。\r\n- 2 -",
				"浑南区民政局文件\r\n三、其他\r\n本通知自印发之日起施行。\r\n- 3 -",
			},
			"一、补贴标准\n1.每人每月123元。\n二、申请方式\n1.到社区申请。\n三、其他\n本通知自印发之日起施行。\n"},
		{"one page keeps its first line, loses the print stamp",
			[]string{header + "\r\n关于助餐补贴的通知\r\n1.每人每月123元。\r\n第1页 共1页"},
			"关于助餐补贴的通知\n1.每人每月123元。\n"},
		{"wrapped lines joined, headings and items not",
			[]string{"一、补贴标准和发放方式以及资金来源说明\r\n1.补贴资金由区财政按季度拨付到社区,社区服务站每月公示名单和金\r\n额,接受监督。\r\n2.每人每月123元。"},
			"一、补贴标准和发放方式以及资金来源说明\n1.补贴资金由区财政按季度拨付到社区,社区服务站每月公示名单和金额,接受监督。\n2.每人每月123元。\n"},
		{"Latin words keep their space",
			[]string{"The subsidy is paid every month to residents who\r\nregistered before March."},
			"The subsidy is paid every month to residents who registered before March.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pdfText(tc.pages); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func FuzzPDFText(f *testing.F) {
	f.Add("浑南区民政局文件\r\n一、补贴标准\r\n- 1 -", "浑南区民政局文件\r\n1.每人每月123元。\r\n- 2 -")
	f.Add("2024/3/1 10:15 页眉\r\n", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		out := pdfText([]string{a, b})
		if strings.Contains(out, "\n\n") {
			t.Errorf("blank line in %q", out)
		}
	})
}
