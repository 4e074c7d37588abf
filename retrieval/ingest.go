package retrieval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/minsheng/minsheng/seeds"
)

// Meta is what a person says about a document they add. Empty fields are
// worked out from the text where it says them.
type Meta struct {
	Title  string   `json:"title"`
	Issuer string   `json:"issuer"`
	Region []string `json:"region"`
	Date   string   `json:"date"`
	Kind   string   `json:"kind"`
	// Validity given here wins over what the text says, field by field.
	Validity
}

// ErrNeedMeta is returned when a document does not say its region or date
// and the caller did not either.
var ErrNeedMeta = errors.New("missing document facts")

var (
	yearInTitle = regexp.MustCompile(`(19|20)\d{2}`)
	kindWords   = []string{"实施意见", "意见", "通知", "办法", "规定", "细则", "方案", "规划", "政府工作报告", "报告", "公告", "条例", "决定"}
)

// ParseFile turns a plain-text, Markdown, HTML or .docx file into a
// Document, as Formats.Parse does with the encoding detected and no PDF
// reader.
func ParseFile(name string, raw []byte, meta Meta, known [][]string) (Document, error) {
	return Formats{}.Parse(context.Background(), name, raw, meta, known)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// skipElements hold page chrome or code, never document text.
var skipElements = map[string]bool{"script": true, "style": true, "noscript": true, "nav": true,
	"header": true, "footer": true, "aside": true, "form": true, "select": true, "button": true, "iframe": true, "svg": true}

var blockElements = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "section": true, "article": true, "table": true,
	"ul": true, "ol": true, "dd": true, "dt": true, "blockquote": true, "pre": true, "hr": true}

// htmlToText keeps the text of a page with a line break per block element,
// and returns the <title>.
func htmlToText(doc string) (string, string) {
	z := html.NewTokenizer(strings.NewReader(doc))
	var b strings.Builder
	var title strings.Builder
	skip, inTitle := 0, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String(), strings.TrimSpace(title.String())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if skipElements[tag] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if tag == "title" {
				inTitle = tt == html.StartTagToken
			}
			if blockElements[tag] {
				b.WriteByte('\n')
			} else if tag == "td" || tag == "th" {
				// Cells of a row stay on one line, apart.
				b.WriteByte(' ')
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if inTitle {
				title.WriteString(t)
				continue
			}
			b.WriteString(strings.ReplaceAll(t, "\n", " "))
		}
	}
}

var (
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdHeading  = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s*`)
	mdListMark = regexp.MustCompile(`(?m)^\s*(?:[-*+]|>)\s+`)
	mdEmphasis = regexp.MustCompile(`\*\*|__|\x60`)
)

// markdownToText removes Markdown markup and keeps the words; numbered list
// items (1. …) are kept because the splitter reads them as structure.
func markdownToText(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdHeading.ReplaceAllString(s, "")
	s = mdListMark.ReplaceAllString(s, "")
	return mdEmphasis.ReplaceAllString(s, "")
}

// Library is the folder of documents added with ingest, each stored as
// its original file plus a .meta.json with its facts.
type Library struct {
	Dir string
	// write fills a new file; nil is a plain Write. Tests put in one that
	// fails partway, as a full disk does.
	write writeFunc
	// free reports the room left in Dir; nil asks the file system.
	free freeFunc
}

// writeFunc writes p to w, a temporary file of the library.
type writeFunc func(w io.Writer, p []byte) error

// freeFunc reports the free bytes of the file system holding dir; ok is
// false when that cannot be known.
type freeFunc func(dir string) (free uint64, ok bool)

const metaSuffix = ".meta.json"

// facts is what the library keeps beside a document. Text is the text read
// from it when that is not the file's own bytes (PDF, .docx, HTML, another
// encoding): reading a PDF again at every start would cost seconds, and
// the facts file, moved into place last, keeps the two in step.
type facts struct {
	Meta
	Text string `json:"text,omitempty"`
}

// tempPrefix starts the names of the library's temporary files: new copies
// not yet moved into place, and previous ones kept until a replacement is
// complete. Anything so named is ours to remove.
const tempPrefix = ".ingest-"

// freeMargin is the room Add leaves beyond the document and its facts: the
// index rebuilt right after is saved on the same disk, and a disk filled
// to the last byte fails every other writer on it (the feedback log, the
// server's own index saves).
const freeMargin = 32 << 20

// ErrNoSpace is returned when the disk has too little room for a document.
var ErrNoSpace = errors.New("not enough free disk space")

// Add stores a document in the library as its original bytes (raw), with
// its facts beside it, replacing one of the same name. Both are written to
// temporary files and synced first, then moved into place, the facts last;
// an error before the end leaves the library as it was: the previous copy,
// its facts, and so the index built from them.
func (l Library) Add(d Document, raw []byte) error {
	name := d.Source
	if name != filepath.Base(name) || strings.HasPrefix(name, tempPrefix) {
		return fmt.Errorf("%s: not a name the library can store", name)
	}
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return err
	}
	f := facts{Meta: Meta{Title: d.Title, Issuer: d.Issuer, Region: d.Region, Date: d.Date, Kind: d.Kind, Validity: d.Validity}}
	if d.Text != string(raw) {
		f.Text = d.Text
	}
	meta, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	final := filepath.Join(l.Dir, name)
	_, statErr := os.Lstat(final)
	replacing := statErr == nil
	kept := fmt.Sprintf("%s was not added", name)
	if replacing {
		kept = fmt.Sprintf("the previous copy of %s and its facts are kept", name)
	}
	if err := l.commit(name, raw, meta, replacing); err != nil {
		return fmt.Errorf("%w; %s", err, kept)
	}
	// The files are in place; this makes their new names survive a power
	// cut. Should it fail, the next ingest of the name repeats the work.
	if err := syncDir(l.Dir); err != nil {
		return fmt.Errorf("%s is stored but %s could not be synced to disk: %w", name, l.Dir, err)
	}
	return nil
}

func (l Library) commit(name string, raw, meta []byte, replacing bool) error {
	free := l.free
	if free == nil {
		free = freeSpace
	}
	need := uint64(len(raw)+len(meta)) + freeMargin
	if have, ok := free(l.Dir); ok && have < need {
		return fmt.Errorf("%w in %s: %s free, %s needed (the document and %s for the index); free some space and run ingest again",
			ErrNoSpace, l.Dir, megabytes(have), megabytes(need), megabytes(freeMargin))
	}
	newDoc, err := l.writeTemp(name, raw)
	if err != nil {
		return fmt.Errorf("write the new copy: %w", err)
	}
	defer os.Remove(newDoc) // gone once renamed; removes it after a failure
	newMeta, err := l.writeTemp(name+metaSuffix, meta)
	if err != nil {
		return fmt.Errorf("write the facts: %w", err)
	}
	defer os.Remove(newMeta)
	final := filepath.Join(l.Dir, name)
	// A second name for the previous copy lets it come back should the
	// facts fail to move into place. A file system without hard links
	// goes without.
	previous := ""
	if replacing && os.Link(final, newDoc+".previous") == nil {
		previous = newDoc + ".previous"
		defer os.Remove(previous)
	}
	if err := os.Rename(newDoc, final); err != nil {
		return fmt.Errorf("move the new copy into place: %w", err)
	}
	if err := os.Rename(newMeta, final+metaSuffix); err != nil {
		if previous != "" {
			os.Rename(previous, final)
		} else if !replacing {
			os.Remove(final)
		}
		return fmt.Errorf("move the facts into place: %w", err)
	}
	return nil
}

// writeTemp writes data to a new synced temporary file in the library and
// returns its path; after an error nothing of it is left.
func (l Library) writeTemp(name string, data []byte) (string, error) {
	f, err := os.CreateTemp(l.Dir, tempPrefix+name+"-*")
	if err != nil {
		return "", err
	}
	write := l.write
	if write == nil {
		write = func(w io.Writer, p []byte) error {
			_, err := w.Write(p)
			return err
		}
	}
	err = f.Chmod(0o644) // as os.Create would make it: readable by the server
	if err == nil {
		err = write(f, data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func megabytes(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// Sweep removes temporary files that an interrupted Add left in the
// library, when older than olderThan: TempGrace on an ordinary start, 0
// when ingest begins.
func (l Library) Sweep(olderThan time.Duration) {
	removeOld(l.Dir, olderThan, tempPrefix+"*")
}

// Load reads every document of the library, in name order. A missing
// folder is an empty library.
func (l Library) Load() ([]Document, error) {
	entries, err := os.ReadDir(l.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var docs []Document
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, metaSuffix) || strings.HasPrefix(name, tempPrefix) || !Supported(name) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(l.Dir, name+metaSuffix))
		if err != nil {
			return nil, fmt.Errorf("library %s: %s has no facts file: %w", l.Dir, name, err)
		}
		var m facts
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("library %s: %s%s: %w", l.Dir, name, metaSuffix, err)
		}
		if err := m.Validity.Check(); err != nil {
			return nil, fmt.Errorf("library %s: %s%s: %w", l.Dir, name, metaSuffix, err)
		}
		if len(m.Region) == 0 || seeds.ValidDate(m.Date) != nil || m.Title == "" {
			return nil, fmt.Errorf("library %s: %s%s lacks a region, a valid date or a title", l.Dir, name, metaSuffix)
		}
		body := m.Text
		if body == "" {
			// Added before the facts kept the text, or the text is the
			// file itself.
			text, err := os.ReadFile(filepath.Join(l.Dir, name))
			if err != nil {
				return nil, err
			}
			body = string(text)
			switch strings.ToLower(filepath.Ext(name)) {
			case ".html", ".htm":
				body, _ = htmlToText(body)
			case ".md", ".markdown":
				body = markdownToText(body)
			case ".pdf", ".docx":
				return nil, fmt.Errorf("library %s: %s%s holds no text; add %s again with ingest", l.Dir, name, metaSuffix, name)
			}
		}
		docs = append(docs, Document{Source: name, Title: m.Title, Issuer: m.Issuer, Region: m.Region,
			Date: m.Date, Kind: m.Kind, Validity: m.Validity, Text: body})
	}
	return docs, nil
}
