package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/text/width"
)

// ErrPDFEngine marks a PDF that could not be read because the PDF engine
// itself failed (it could not start, or ran out of time), not because of
// the file.
var ErrPDFEngine = errors.New("PDF engine failed")

// pdfTimeout bounds the reading of one PDF. PDFium reads a page of text in
// milliseconds; a file that keeps it busy for minutes is a pathological
// one, and an ingest must not hang on it.
const pdfTimeout = 2 * time.Minute

// PDFReader reads the text layer of PDF files with PDFium compiled to
// WebAssembly (go-pdfium on wazero): pure Go, no cgo. The engine starts at
// the first PDF, not before: compiling it takes seconds and some 300 MB,
// which no start without a PDF should pay.
type PDFReader struct {
	// CacheDir keeps the compiled engine between runs: compiling takes
	// about 4 s, loading it back about 0.1 s. Empty compiles every time.
	CacheDir string

	once sync.Once
	pool pdfium.Pool
	err  error
}

func (r *PDFReader) start() error {
	r.once.Do(func() {
		// A custom runtime config must name the features PDFium needs
		// itself (else "tag section not supported"); closing on context
		// done lets a deadline stop a runaway file.
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true)
		if r.CacheDir != "" {
			if err := os.MkdirAll(r.CacheDir, 0o755); err != nil {
				r.err = fmt.Errorf("%w: PDF engine cache %s: %w", ErrPDFEngine, r.CacheDir, err)
				return
			}
			cache, err := wazero.NewCompilationCacheWithDir(r.CacheDir)
			if err != nil {
				r.err = fmt.Errorf("%w: PDF engine cache %s: %w", ErrPDFEngine, r.CacheDir, err)
				return
			}
			rc = rc.WithCompilationCache(cache)
		}
		pool, err := webassembly.Init(webassembly.Config{
			MinIdle: 1, MaxIdle: 1, MaxTotal: 1,
			RuntimeConfig: rc,
			// The engine reads the bytes it is handed and nothing else:
			// no file system is mounted for it.
			FSConfig: wazero.NewFSConfig(),
			Stdout:   discard{}, Stderr: discard{},
		})
		if err != nil {
			r.err = fmt.Errorf("%w: start: %w", ErrPDFEngine, err)
			return
		}
		r.pool = pool
	})
	return r.err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Close stops the engine, if it was started.
func (r *PDFReader) Close() error {
	if r == nil || r.pool == nil {
		return nil
	}
	return r.pool.Close()
}

// PDF problems a person can fix by giving another file; each is an
// ErrUnreadable.
var (
	errPDFEncrypted = fmt.Errorf("%w: the PDF is encrypted (password-protected); save or print an unprotected copy and add that", ErrUnreadable)
	errPDFNoText    = fmt.Errorf("%w: the PDF has no text layer (a scan or pictures of pages); run OCR on it or add the text as a .txt file", ErrUnreadable)
	errPDFTruncated = fmt.Errorf("%w: the PDF is cut short (no %%%%EOF at its end): download or copy it again", ErrUnreadable)
	errPDFDamaged   = fmt.Errorf("%w: not a readable PDF (damaged, or another kind of file named .pdf)", ErrUnreadable)
)

// pdfTail is how far from its end a PDF's %%EOF marker may stand: writers
// add a newline or a few bytes of padding after it.
const pdfTail = 1024

// Pages returns the text of each page, in page order and, within a page,
// in PDFium's reading order.
func (r *PDFReader) Pages(ctx context.Context, raw []byte) ([]string, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(raw[:min(len(raw), pdfTail)], "\x00\t\n\r "), []byte("%PDF-")) {
		return nil, errPDFDamaged
	}
	// PDFium repairs a file cut short and reads what is left; a document
	// missing its end must not be added as though it were whole.
	if !bytes.Contains(raw[max(0, len(raw)-pdfTail):], []byte("%%EOF")) {
		return nil, errPDFTruncated
	}
	if err := r.start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	inst, err := r.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPDFEngine, err)
	}
	// A deadline kills the instance mid-call; otherwise it is closed here.
	stop := context.AfterFunc(ctx, func() { inst.Kill() })
	pages, err := pdfPages(inst, raw)
	if stop() {
		inst.Close()
	} else {
		return nil, fmt.Errorf("%w: reading the PDF took longer than %s: %w", ErrPDFEngine, pdfTimeout, ctx.Err())
	}
	return pages, err
}

func pdfPages(inst pdfium.Pdfium, raw []byte) ([]string, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &raw})
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
		return nil, errPDFEncrypted
	case err != nil:
		return nil, fmt.Errorf("%w (%v)", errPDFDamaged, err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", errPDFDamaged, err)
	}
	pages := make([]string, 0, count.PageCount)
	for i := range count.PageCount {
		t, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return nil, fmt.Errorf("%w: page %d (%v)", errPDFDamaged, i+1, err)
		}
		pages = append(pages, t.Text)
	}
	return pages, nil
}

// pageEdge is how many lines at the top and at the bottom of a page may
// be a running header or footer.
const pageEdge = 3

// fullLine is the share of the widest line's width from which a line is
// taken as filled to the margin, so that the text goes on in the next
// line: a wrapped line falls short of the widest by a character or two.
const fullLine = 0.85

var (
	digitRun = regexp.MustCompile(`\d+`)
	// printStamp starts the header a browser prints on every page: the
	// date and time of printing, then the page's title.
	printStamp = regexp.MustCompile(`^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}`)
	pageNumber = regexp.MustCompile(`^(?:-\s*\d+\s*-|\d+\s*/\s*\d+|\d+|第\s*\d+\s*页(?:\s*[,,/]?\s*共\s*\d+\s*页)?|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?)$`)
	// startsBlock matches a line that begins something new: a heading or a
	// numbered item, which a wrapped line is never continued by.
	startsBlock = regexp.MustCompile(`^(?:[一二三四五六七八九十百零]+[、.]|\([一二三四五六七八九十百零\d]+\)|\d{1,3}(?:、|\.\D)|第[一二三四五六七八九十百零\d]+[章节条]|附件)`)
)

type pdfLine struct {
	text  string
	width int // in columns: a Han character or full-width sign takes two
}

// pdfText joins the pages of a PDF into one text, without the lines that
// are not the document's: running headers and footers (a line at the top
// or bottom of at least two pages and half of them, its numbers aside,
// such as the printer's date and title, or "3/12"), page numbers, and the
// printing stamp a browser puts on a page, also on a document of one
// page. Lines the layout wrapped are joined again, so that a sentence or
// a figure cut at the margin is whole.
func pdfText(pages []string) string {
	split := make([][]pdfLine, len(pages))
	for i, p := range pages {
		p = strings.ReplaceAll(p, "\r\n", "\n")
		p = strings.ReplaceAll(p, "\r", "\n")
		for _, l := range strings.Split(p, "\n") {
			if t := tidy(l); t != "" {
				split[i] = append(split[i], pdfLine{t, columns(strings.TrimSpace(l))})
			}
		}
	}
	key := func(l string) string { return digitRun.ReplaceAllString(l, "#") }
	edge := func(lines []pdfLine, j int) bool { return j < pageEdge || j >= len(lines)-pageEdge }
	seen := map[string]int{}
	for _, lines := range split {
		onPage := map[string]bool{}
		for j, l := range lines {
			if k := key(l.text); edge(lines, j) && !onPage[k] {
				onPage[k] = true
				seen[k]++
			}
		}
	}
	running := func(l string) bool { n := seen[key(l)]; return n >= 2 && n*2 >= len(split) }
	var kept []pdfLine
	widest := 0
	for _, lines := range split {
		for j, l := range lines {
			if edge(lines, j) && (running(l.text) || pageNumber.MatchString(l.text) || printStamp.MatchString(l.text)) {
				continue
			}
			kept = append(kept, l)
			widest = max(widest, l.width)
		}
	}
	var b strings.Builder
	for i, l := range kept {
		b.WriteString(l.text)
		if i+1 < len(kept) && wrapped(l, kept[i+1], widest) {
			if next, _ := utf8.DecodeRuneInString(kept[i+1].text); isWordRune(lastRune(l.text)) && isWordRune(next) {
				b.WriteByte(' ')
			}
			continue
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// wrapped reports whether line goes on in next: it reaches the margin,
// does not end a sentence, and next does not start a heading or an item.
func wrapped(line, next pdfLine, widest int) bool {
	if float64(line.width) < fullLine*float64(widest) {
		return false
	}
	if strings.ContainsRune("。!?;:", lastRune(line.text)) || strings.HasSuffix(line.text, "。”") {
		return false
	}
	return !startsBlock.MatchString(next.text)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// isWordRune is a letter or digit of a script that puts spaces between
// words, where a line break stood for a space.
func isWordRune(r rune) bool {
	return r < 0x3000 && (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// columns is the width of s as printed: East Asian wide and full-width
// characters take two columns.
func columns(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// hasText reports whether s holds a letter or digit: a scan's pages come
// back empty or as stray marks.
func hasText(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
