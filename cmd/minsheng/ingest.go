package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/minsheng/minsheng/retrieval"
)

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fset := flag.NewFlagSet("ingest", flag.ContinueOnError)
	bindCommon(fset, &cfg)
	bindDocuments(fset, &cfg)
	date := fset.String("date", "", "date of issue when the text does not say (YYYY-MM-DD or YYYY)")
	title := fset.String("title", "", "title when the text does not say")
	issuer := fset.String("issuer", "", "issuing body when the text does not say")
	kind := fset.String("kind", "", "kind of document (意见, 通知, 报告 …)")
	encoding := fset.String("encoding", "", "encoding of .txt, .md and .html files: "+retrieval.Encodings+" (default: byte-order mark, else UTF-8, else GB18030; Big5 only when named)")
	replace := fset.Bool("replace", false, "replace documents of the same name already in the library")
	accept := fset.Bool("accept", false, "add even when check questions about other documents lose their answer")
	var validity retrieval.Validity
	fset.StringVar(&validity.Number, "number", "", "document number (文号) when the text does not say")
	fset.StringVar(&validity.Effective, "effective", "", "date it takes effect, YYYY-MM-DD, when the text does not say")
	fset.StringVar(&validity.Expires, "expires", "", "last day in force, YYYY-MM-DD, when the text does not say")
	fset.StringVar(&validity.SupersededBy, "superseded-by", "", "name of the document that replaces it")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	if *encoding != "" {
		if err := retrieval.CheckEncoding(*encoding); err != nil {
			return usageError{"--encoding: " + err.Error()}
		}
	}
	// What an interrupted ingest left is removed at once: no other ingest
	// should be running beside this one.
	cfg.library().Sweep(0)
	sources, err := collectSources(fset.Args())
	if err != nil {
		return err
	}
	if len(sources) > 0 {
		seedDocs, err := retrieval.SeedDocuments()
		if err != nil {
			return err
		}
		added, err := cfg.library().Load()
		if err != nil {
			return err
		}
		taken := map[string]bool{}
		var known [][]string
		for _, d := range append(seedDocs, added...) {
			known = append(known, d.Region)
			if isSeed(seedDocs, d.Source) {
				taken[d.Source] = true
			}
		}
		if err := validity.Check(); err != nil {
			return usageError{err.Error()}
		}
		meta := retrieval.Meta{Title: *title, Issuer: *issuer, Date: *date, Kind: *kind, Validity: validity}
		// Only a --region given here places a document: MINSHENG_REGION is
		// the default for questions, and must not put a 浑南 notice in 大连.
		explicit := false
		fset.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "region" })
		if explicit && cfg.Region != "" {
			meta.Region = regionPath(cfg.Region, known)
		}
		if *title != "" && len(sources) > 1 {
			return usageError{"--title names one document; give one file with it"}
		}
		if validity != (retrieval.Validity{}) && len(sources) > 1 {
			return usageError{"--number, --effective, --expires and --superseded-by describe one document; give one file with them"}
		}
		pdf := cfg.pdfReader()
		defer pdf.Close()
		// Every file is read and checked before any is stored: a folder
		// goes in whole or not at all.
		var docs []retrieval.Document
		var raws [][]byte
		var names []string
		lib := cfg.library()
		inCall := map[string]string{}
		for _, src := range sources {
			doc, raw, err := src.read(ctx, cfg, retrieval.Formats{Encoding: *encoding, PDF: pdf}, meta, known)
			if err != nil {
				return fmt.Errorf("%w (nothing was added)", err)
			}
			if taken[doc.Source] {
				return usageError{fmt.Sprintf("%s has the name of a built-in document; rename it (nothing was added)", doc.Source)}
			}
			if prev, ok := inCall[doc.Source]; ok {
				return badInputError{fmt.Sprintf("%s and %s have the same name %s; rename one (nothing was added)", prev, src.label(), doc.Source)}
			}
			inCall[doc.Source] = src.label()
			if lib.Has(doc.Source) && !*replace {
				return badInputError{fmt.Sprintf("%s is already in the library; give --replace to replace it (nothing was added)", doc.Source)}
			}
			docs, raws, names = append(docs, doc), append(raws, raw), append(names, doc.Source)
		}
		if by := validity.SupersededBy; by != "" {
			known := by != docs[0].Source && (isSeed(seedDocs, by) || lib.Has(by))
			if !known {
				return badInputError{fmt.Sprintf("--superseded-by %s: no other document of that name; documents list shows the names (nothing was added)", by)}
			}
		}
		err = changeLibrary(ctx, cfg, stdout, stderr, libraryChange{names: names, accept: *accept,
			apply: func() error {
				if err := lib.AddAll(docs, raws); err != nil {
					return fmt.Errorf("store: %w", err)
				}
				return nil
			}})
		if err != nil {
			return err
		}
		for i, doc := range docs {
			from := ""
			if sources[i].url != "" {
				from = " from " + sources[i].url
			}
			fmt.Fprintf(stdout, "added %s%s: 《%s》 %s · %s · %s\n", doc.Source, from, doc.Title, retrieval.RegionName(doc.Region), doc.Date, doc.Issuer)
		}
	}
	// Always rebuild: an explicit ingest also repairs a damaged index. The
	// saved one is replaced only once the new one is complete.
	ix, err := cfg.openIndex(ctx, stderr, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "index ready: %d documents, %d passages in %s\n", len(ix.Documents()), ix.Len(), cfg.DataDir)
	return nil
}

// source is a document to add: a file, or a URL to fetch.
type source struct{ path, url string }

func (s source) label() string { return s.path + s.url }

// read reads or fetches the document and parses it. A document that is
// wrong in itself (empty, over the cap, encrypted, not what its name
// says, refused by the fetch's rules) is bad input; a failure on the way
// (the network, the PDF engine) is not.
func (s source) read(ctx context.Context, cfg Config, formats retrieval.Formats, meta retrieval.Meta, known [][]string) (retrieval.Document, []byte, error) {
	var name string
	var raw []byte
	if s.url != "" {
		f, err := retrieval.Fetch(ctx, s.url, cfg.fetchOptions())
		if errors.Is(err, retrieval.ErrFetchRefused) {
			return retrieval.Document{}, nil, badInputError{err.Error()}
		}
		if err != nil {
			return retrieval.Document{}, nil, err
		}
		name, raw = f.Name, f.Raw
		if formats.Encoding == "" {
			formats.Encoding = f.Encoding()
		}
	} else {
		var err error
		if raw, err = readDocument(s.path, cfg.MaxDocumentBytes); err != nil {
			return retrieval.Document{}, nil, err
		}
		name = filepath.Base(s.path)
	}
	doc, err := formats.Parse(ctx, name, raw, meta, known)
	switch {
	case err == nil:
		return doc, raw, nil
	case errors.Is(err, retrieval.ErrPDFEngine), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return retrieval.Document{}, nil, err
	default:
		return retrieval.Document{}, nil, badInputError{err.Error()}
	}
}

// readDocument reads a file of at most max bytes; an empty one and one
// over the cap are bad input. The cap is checked again while reading, in
// case the file grows.
func readDocument(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, badInputError{fmt.Sprintf("cannot read %s: %v", path, err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := retrieval.CheckSize(path, st.Size(), max); err != nil {
		return nil, sizeError(err)
	}
	raw, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := retrieval.CheckSize(path, int64(len(raw)), max); err != nil {
		return nil, sizeError(err)
	}
	return raw, nil
}

func sizeError(err error) error {
	if errors.Is(err, retrieval.ErrTooLarge) {
		return badInputError{err.Error() + "; --max-document-bytes raises it"}
	}
	return badInputError{err.Error()}
}

func isSeed(seedDocs []retrieval.Document, name string) bool {
	for _, d := range seedDocs {
		if d.Source == name {
			return true
		}
	}
	return false
}

// regionPath reads --region: a path such as 辽宁省/沈阳市/浑南区, or the
// name of a region already known (浑南区 → its full path).
func regionPath(s string, known [][]string) []string {
	for _, sep := range []string{"›", ">", "/", " "} {
		if strings.Contains(s, sep) {
			var out []string
			for _, p := range strings.Split(s, sep) {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out
		}
	}
	for _, p := range known {
		for i, r := range p {
			if r == s || strings.TrimSuffix(r, "市") == s || strings.TrimSuffix(r, "区") == s {
				return p[:i+1]
			}
		}
	}
	return []string{s}
}

// collectSources expands folders into the supported files inside them;
// http and https arguments are URLs to fetch.
func collectSources(args []string) ([]source, error) {
	var out []source
	for _, a := range args {
		if low := strings.ToLower(a); strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") {
			out = append(out, source{url: a})
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, badInputError{fmt.Sprintf("cannot read %s: %v", a, err)}
		}
		if !st.IsDir() {
			if !retrieval.Supported(a) {
				return nil, badInputError{retrieval.Unsupported(a).Error()}
			}
			out = append(out, source{path: a})
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && retrieval.Supported(p) {
				out = append(out, source{path: p})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
