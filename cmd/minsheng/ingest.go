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
	date := fset.String("date", "", "date of issue when the text does not say (YYYY-MM-DD or YYYY)")
	title := fset.String("title", "", "title when the text does not say")
	issuer := fset.String("issuer", "", "issuing body when the text does not say")
	kind := fset.String("kind", "", "kind of document (意见, 通知, 报告 …)")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	// What an interrupted ingest left is removed at once: no other ingest
	// should be running beside this one.
	cfg.library().Sweep(0)
	files, err := collectFiles(fset.Args())
	if err != nil {
		return err
	}
	if len(files) > 0 {
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
		meta := retrieval.Meta{Title: *title, Issuer: *issuer, Date: *date, Kind: *kind}
		// Only a --region given here places a document: MINSHENG_REGION is
		// the default for questions, and must not put a 浑南 notice in 大连.
		explicit := false
		fset.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "region" })
		if explicit && cfg.Region != "" {
			meta.Region = regionPath(cfg.Region, known)
		}
		if *title != "" && len(files) > 1 {
			return usageError{"--title names one document; give one file with it"}
		}
		for i, f := range files {
			name := filepath.Base(f)
			if taken[name] {
				return usageError{fmt.Sprintf("%s has the name of a built-in document; rename it", name)}
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			doc, err := retrieval.ParseFile(name, raw, meta, known)
			if errors.Is(err, retrieval.ErrNeedMeta) {
				return badInputError{err.Error()}
			}
			if err != nil {
				return badInputError{err.Error()}
			}
			if err := cfg.library().Add(doc, raw); err != nil {
				if i > 0 {
					// They are indexed by the next ingest, ask or serve.
					err = fmt.Errorf("%w (the %d documents added above stay added)", err, i)
				}
				return fmt.Errorf("store %s: %w", name, err)
			}
			fmt.Fprintf(stdout, "added %s: 《%s》 %s · %s · %s\n", name, doc.Title, retrieval.RegionName(doc.Region), doc.Date, doc.Issuer)
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

// collectFiles expands folders into the supported files inside them.
func collectFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, badInputError{fmt.Sprintf("cannot read %s: %v", a, err)}
		}
		if !st.IsDir() {
			if !retrieval.Supported(a) {
				return nil, badInputError{fmt.Sprintf("%s: only .txt, .md and .html files can be added", a)}
			}
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && retrieval.Supported(p) {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
