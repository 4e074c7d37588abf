package retrieval

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/minsheng/minsheng/seeds"
)

// ErrUnreadable marks a file whose content cannot be read as a document:
// encrypted, scanned, cut short, of another kind than its name says, or in
// an encoding that does not decode.
var ErrUnreadable = errors.New("cannot read the document")

// DefaultMaxDocumentBytes is the largest file ingest takes by default, from
// disk or from the web: policy notices, scanned annexes included, stay far
// below it, and a file of this size is still read in memory comfortably.
const DefaultMaxDocumentBytes = 50 << 20

// ErrTooLarge marks a document over the size cap.
var ErrTooLarge = errors.New("document too large")

// CheckSize refuses an empty document and one over the cap (max bytes),
// saying which and by how much; name is how the person knows it.
func CheckSize(name string, n, max int64) error {
	if n == 0 {
		return fmt.Errorf("%s: %w: the file is empty (0 bytes)", name, ErrUnreadable)
	}
	if n > max {
		return fmt.Errorf("%s: %w: %s, over the cap of %s (MINSHENG_MAX_DOCUMENT_BYTES)", name, ErrTooLarge, sizeText(n), sizeText(max))
	}
	return nil
}

// sizeText writes a size as people read it: bytes when small.
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	return megabytes(uint64(n))
}

// FormatList names the kinds of file ingest reads, for messages.
const FormatList = ".txt, .md, .html, .pdf and .docx"

// extensions maps the file names ingest reads to their kind.
var extensions = map[string]string{
	".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
	".pdf": "pdf", ".docx": "docx",
}

// Supported reports whether ingest can read a file of this name.
func Supported(name string) bool {
	_, ok := extensions[strings.ToLower(filepath.Ext(name))]
	return ok
}

// Unsupported explains why a file of this name cannot be added.
func Unsupported(name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".doc", ".wps", ".rtf", ".odt":
		return fmt.Errorf("%s: ingest reads %s files; open it in Word or WPS and save it as .docx", name, FormatList)
	case ".ofd", ".xps":
		return fmt.Errorf("%s: ingest reads %s files; print or export it as PDF", name, FormatList)
	}
	return fmt.Errorf("%s: ingest reads %s files", name, FormatList)
}

// Formats reads the kinds of file ingest takes.
type Formats struct {
	// Encoding is the text encoding of .txt, .md and .html files, as named
	// with --encoding; empty detects it.
	Encoding string
	// PDF reads PDF files; nil refuses them.
	PDF *PDFReader
}

// read is a file's text with what its format says about the document.
type read struct {
	text  string
	title string // the page's own title (HTML), else ""
	// whole is the text of the entire page when text is only its main
	// part (HTML), for the metadata around it.
	whole     string
	siteTitle string
}

func (f Formats) read(ctx context.Context, name string, raw []byte) (read, error) {
	kind := extensions[strings.ToLower(filepath.Ext(name))]
	switch kind {
	case "pdf":
		if f.PDF == nil {
			return read{}, errors.New("PDF files are not read here")
		}
		pages, err := f.PDF.Pages(ctx, raw)
		if err != nil {
			return read{}, err
		}
		text := pdfText(pages)
		if !hasText(text) {
			return read{}, errPDFNoText
		}
		return read{text: text}, nil
	case "docx":
		text, err := docxText(raw)
		return read{text: text}, err
	}
	enc := f.Encoding
	// A page's own <meta charset> is believed only for bytes that are not
	// UTF-8 already: pages converted to UTF-8 often keep the old tag.
	if kind == "html" && enc == "" && !hasBOM(raw) && !utf8.Valid(raw) {
		enc = htmlCharset(raw)
	}
	text, _, err := decodeText(raw, enc)
	if err != nil {
		return read{}, err
	}
	switch kind {
	case "html":
		p := readHTML(text)
		return read{text: p.body, title: p.heading, whole: p.whole, siteTitle: p.siteTitle}, nil
	case "markdown":
		return read{text: markdownToText(text)}, nil
	}
	return read{text: text}, nil
}

// Parse turns a file into a Document: its text, in any format ingest reads,
// and the facts about it, from meta where given and otherwise from the
// text. known are the regions already in the library, so that a document
// whose title says 浑南区 is placed under 辽宁省 › 沈阳市 › 浑南区.
func (f Formats) Parse(ctx context.Context, name string, raw []byte, meta Meta, known [][]string) (Document, error) {
	if !Supported(name) {
		return Document{}, Unsupported(name)
	}
	if strings.HasPrefix(filepath.Base(name), tempPrefix) {
		return Document{}, fmt.Errorf("%s: names starting with %s are kept for ingest's own temporary files; rename it", name, tempPrefix)
	}
	if len(raw) == 0 {
		return Document{}, fmt.Errorf("%s: %w: the file is empty (0 bytes)", name, ErrUnreadable)
	}
	r, err := f.read(ctx, name, raw)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	c := Clean(r.text)
	if len(c.Lines) == 0 {
		return Document{}, fmt.Errorf("%s: no text left after removing page boilerplate", name)
	}
	around := c
	if r.whole != "" {
		around = Clean(r.whole)
	}
	title, _ := Split(c.Lines, DefaultSplit)
	if !titleLike(title) {
		title = ""
	}
	d := Document{Source: filepath.Base(name), Text: r.text}
	d.Title = firstNonEmpty(meta.Title, c.Title, around.Title, r.title, title, r.siteTitle, strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	d.Issuer = firstNonEmpty(meta.Issuer, c.Issuer, around.Issuer, "未注明")
	d.Kind = meta.Kind
	if d.Kind == "" {
		d.Kind = "其他"
		for _, k := range kindWords {
			if strings.Contains(d.Title, k) {
				d.Kind = k
				break
			}
		}
	}
	d.Region = meta.Region
	if len(d.Region) == 0 {
		ri := newRegionIndex(known)
		for _, probe := range []string{d.Title, strings.Join(c.Lines[:min(3, len(c.Lines))], "\n")} {
			if paths := ri.find(Fold(probe)); len(paths) > 0 {
				sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
				d.Region = paths[0]
				break
			}
		}
	}
	if len(d.Region) == 0 {
		return Document{}, fmt.Errorf("%w: %s does not say which region it is for; give it with --region (e.g. --region 辽宁省/沈阳市/浑南区)", ErrNeedMeta, name)
	}
	d.Date = firstNonEmpty(meta.Date, c.Date, around.Date)
	if d.Date == "" {
		if y := yearInTitle.FindString(d.Title); y != "" {
			d.Date = y
		}
	}
	if d.Date == "" {
		return Document{}, fmt.Errorf("%w: %s does not say when it was issued; give it with --date (YYYY-MM-DD or YYYY)", ErrNeedMeta, name)
	}
	if err := seeds.ValidDate(d.Date); err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	d.Validity = parseValidity(around, r.text)
	if c.Number != "" {
		d.Number = c.Number
	}
	d.Number = firstNonEmpty(meta.Number, d.Number)
	d.Effective = firstNonEmpty(meta.Effective, d.Effective)
	d.Expires = firstNonEmpty(meta.Expires, d.Expires)
	d.SupersededBy = firstNonEmpty(meta.SupersededBy, d.SupersededBy)
	if err := d.Validity.Check(); err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}
