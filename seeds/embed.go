// Package seeds holds the default policy documents exactly as they were
// collected from the web, plus a catalog that says what each one is.
//
// The texts are kept unchanged on purpose: cleaning them is the ingest
// pipeline's job, so that new documents of the same messy kind work too. The
// catalog is validated when it is loaded so that a typo fails at start-up with
// a clear message instead of producing wrong citations later.
package seeds

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed *.txt catalog.json
var files embed.FS

// Entry describes one document: who issued it, for which region and when.
type Entry struct {
	File   string   `json:"file"`
	Title  string   `json:"title"`
	Issuer string   `json:"issuer"`
	Region []string `json:"region"` // outermost first: 辽宁省, 沈阳市, 浑南区
	// Date is YYYY, YYYY-MM or YYYY-MM-DD: excerpts often only allow the year.
	Date string `json:"date"`
	// DateBasis says where the date comes from, so a reader can judge it.
	DateBasis string `json:"date_basis,omitempty"`
	Kind      string `json:"kind"`
	SHA256    string `json:"sha256"`
	// SourceURL is where the document was published, when its text says
	// so: links to its host are then allowed in answers. Empty when the
	// collected text does not name its page.
	SourceURL string `json:"source_url,omitempty"`
}

// Catalog lists the embedded documents.
type Catalog struct {
	Documents []Entry `json:"documents"`
}

// FS returns the embedded files (the documents and catalog.json).
func FS() fs.FS { return files }

// Load decodes and validates the embedded catalog against the embedded texts.
func Load() (Catalog, error) {
	raw, err := files.ReadFile("catalog.json")
	if err != nil {
		return Catalog{}, fmt.Errorf("seeds: read catalog: %w", err)
	}
	return Parse(raw, files)
}

// Parse decodes a catalog strictly and checks it against the texts in fsys:
// every text has exactly one entry, every entry has its text with the recorded
// hash, and every field is usable.
func Parse(raw []byte, fsys fs.FS) (Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Catalog{}, fmt.Errorf("seeds: catalog.json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Catalog{}, errors.New("seeds: catalog.json: trailing data after the catalog object")
	}
	if len(c.Documents) == 0 {
		return Catalog{}, errors.New("seeds: catalog.json lists no documents")
	}
	seen := map[string]bool{}
	for i, e := range c.Documents {
		if err := e.validate(); err != nil {
			return Catalog{}, fmt.Errorf("seeds: catalog.json entry %d (%q): %w", i, e.File, err)
		}
		if seen[e.File] {
			return Catalog{}, fmt.Errorf("seeds: catalog.json lists %q twice", e.File)
		}
		seen[e.File] = true
		body, err := fs.ReadFile(fsys, e.File)
		if err != nil {
			return Catalog{}, fmt.Errorf("seeds: catalog.json names %q: %w", e.File, err)
		}
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != strings.ToLower(e.SHA256) {
			return Catalog{}, fmt.Errorf("seeds: %s changed: sha256 %s, catalog says %s (seed texts are kept as collected; update the catalog only on purpose)", e.File, got, e.SHA256)
		}
	}
	texts, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return Catalog{}, fmt.Errorf("seeds: list texts: %w", err)
	}
	for _, t := range texts {
		if !seen[t] {
			return Catalog{}, fmt.Errorf("seeds: %s has no entry in catalog.json", t)
		}
	}
	sort.Slice(c.Documents, func(i, j int) bool { return c.Documents[i].File < c.Documents[j].File })
	return c, nil
}

// Text returns the raw text of one embedded document.
func Text(file string) ([]byte, error) {
	if path.Base(file) != file {
		return nil, fmt.Errorf("seeds: %q is not a plain file name", file)
	}
	return files.ReadFile(file)
}

func (e Entry) validate() error {
	switch {
	case e.File == "" || path.Base(e.File) != e.File || !strings.HasSuffix(e.File, ".txt"):
		return errors.New("file must be a .txt file name in seeds/")
	case strings.TrimSpace(e.Title) == "":
		return errors.New("title is empty")
	case strings.TrimSpace(e.Issuer) == "":
		return errors.New("issuer is empty")
	case strings.TrimSpace(e.Kind) == "":
		return errors.New("kind is empty")
	case len(e.Region) == 0:
		return errors.New("region is empty")
	case len(e.SHA256) != 64:
		return errors.New("sha256 must be 64 hex digits")
	}
	for _, r := range e.Region {
		if strings.TrimSpace(r) == "" {
			return errors.New("region has an empty level")
		}
	}
	if err := ValidDate(e.Date); err != nil {
		return err
	}
	if e.SourceURL != "" {
		u, err := url.Parse(e.SourceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("source_url %q is not an http(s) URL", e.SourceURL)
		}
	}
	return nil
}

// ValidDate accepts YYYY, YYYY-MM or YYYY-MM-DD.
func ValidDate(d string) error {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(d) == len(layout) {
			if _, err := time.Parse(layout, d); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", d)
}
