// Package retrieval turns policy documents into passages, indexes them and
// finds the passages that answer a question.
//
// The pipeline is documents (text in UTF-8, GBK or UTF-16, Markdown, HTML,
// PDF, .docx; files or fetched URLs: Formats, Fetch) → Clean (web chrome
// and pinyin notes out) → Split (along the document's own headings) →
// passages → index (chromem-go vectors plus BM25 over gse words and
// character bigrams) → Search (fused ranking, region filter, evidence
// strength for abstaining).
package retrieval

import (
	"fmt"
	"strings"

	"github.com/minsheng/minsheng/seeds"
)

// Document is one policy document with what is known about it.
type Document struct {
	// Source is the file name as it lies in seeds/ or as it was ingested.
	Source    string
	Title     string
	Issuer    string
	Region    []string // outermost first
	Date      string   // YYYY, YYYY-MM or YYYY-MM-DD
	DateBasis string
	Kind      string
	// SourceURL is where the document was published, when known.
	SourceURL string
	Validity
	Text string // raw, as collected
}

// Passage is a piece of a document that can be retrieved and cited.
type Passage struct {
	ID        string
	Source    string
	Title     string
	Issuer    string
	Region    []string
	Date      string
	DateBasis string
	Kind      string
	// Section is the heading path, e.g. 二、重点任务 › (六)… › 34.…
	Section string
	Item    string
	// Text is the cleaned original, fit to quote.
	Text string
	// Validity is the document's, set by the index from the documents it
	// was opened with, so that a supersession needs no rebuild.
	Validity Validity `json:"-"`
}

// RegionName renders the region path for people: 辽宁省 › 沈阳市 › 浑南区.
func RegionName(path []string) string { return strings.Join(path, " › ") }

// SeedDocuments returns the embedded documents with their catalog facts.
func SeedDocuments() ([]Document, error) {
	cat, err := seeds.Load()
	if err != nil {
		return nil, err
	}
	docs := make([]Document, 0, len(cat.Documents))
	for _, e := range cat.Documents {
		raw, err := seeds.Text(e.File)
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", e.File, err)
		}
		docs = append(docs, Document{
			Source: e.File, Title: e.Title, Issuer: e.Issuer, Region: e.Region,
			Date: e.Date, DateBasis: e.DateBasis, Kind: e.Kind, SourceURL: e.SourceURL, Text: string(raw),
		})
	}
	return docs, nil
}

// Passages cleans and splits one document.
func (d Document) Passages(opt SplitOptions) []Passage {
	c := Clean(d.Text)
	_, chunks := Split(c.Lines, opt)
	out := make([]Passage, 0, len(chunks))
	for i, ch := range chunks {
		out = append(out, Passage{
			ID:     fmt.Sprintf("%s#%d", d.Source, i),
			Source: d.Source, Title: d.Title, Issuer: d.Issuer, Region: d.Region,
			Date: d.Date, DateBasis: d.DateBasis, Kind: d.Kind,
			Section: strings.Join(ch.Headings, " › "), Item: ch.Item, Text: ch.Text,
		})
	}
	return out
}

// indexText is what lexical and vector search see: headings first, so
// that a question about 助餐 finds item 34 even where its body only says 食堂.
func (p Passage) indexText() string {
	return Fold(p.Section) + "\n" + Fold(p.Text)
}
