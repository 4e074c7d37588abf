package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval"
	"github.com/minsheng/minsheng/store"
)

// maxSheetBytes bounds a spreadsheet of curated answers: thousands of
// rows take a few megabytes; anything far larger is the wrong file.
const maxSheetBytes = 20 << 20

func runFAQ(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"faq needs import FILE, export FILE or list"}
	}
	var cfg Config
	fset := flag.NewFlagSet("faq "+args[0], flag.ContinueOnError)
	bindCommon(fset, &cfg)
	replace := false
	if args[0] == "import" {
		fset.BoolVar(&replace, "replace", false, "make the file the whole set of curated answers, dropping those it does not hold")
	}
	if err := parseFlags(fset, args[1:]); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	var store *curated.Store
	var shared *sharedCurated
	var err error
	if cfg.DatabaseURL != "" {
		if shared, err = openSharedCurated(ctx, cfg, args[0] == "import"); err != nil {
			return err
		}
		defer shared.close()
		store = shared.store
	} else if store, err = curated.Open(cfg.DataDir, nil); err != nil {
		return err
	}
	switch args[0] {
	case "import":
		if fset.NArg() != 1 {
			return usageError{"faq import needs one .csv or .xlsx file"}
		}
		if err := faqImport(ctx, cfg, store, fset.Arg(0), replace, stdout, stderr); err != nil || shared == nil {
			return err
		}
		return shared.publish(ctx, stdout)
	case "export":
		if fset.NArg() != 1 {
			return usageError{"faq export needs one .csv or .xlsx file to write"}
		}
		return faqExport(store, fset.Arg(0), stdout)
	case "list":
		if fset.NArg() != 0 {
			return usageError{"faq list takes no arguments"}
		}
		return faqList(store, stdout)
	}
	return usageError{fmt.Sprintf("unknown faq command %q (import, export, list)", args[0])}
}

// faqImport checks every row of a sheet and imports them all, or, if any
// row has a problem, none: a half-imported sheet would leave staff unsure
// which answers residents get.
func faqImport(ctx context.Context, cfg Config, store *curated.Store, path string, replace bool, stdout, stderr io.Writer) error {
	rows, err := readSheet(path)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return badInputError{fmt.Sprintf("%s has no rows below its header; nothing imported", path)}
	}
	docs, err := cfg.documents()
	if err != nil {
		return err
	}
	pairs, problems := curated.Check(rows, docs, cfg.regionResolver(ctx, stderr))
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "%s: %s\n", filepath.Base(path), p)
		}
		return badInputError{fmt.Sprintf("nothing imported: %d of %d rows have problems (above); fix them and import %s again",
			len(problems), len(rows), filepath.Base(path))}
	}
	old, _ := store.Load()
	merged, added, changed, same := mergePairs(old, pairs, replace)
	today := time.Now().In(bot.BeijingTime()).Format(time.DateOnly)
	if err := store.Replace(merged, today); err != nil {
		return err
	}
	expired := 0
	for _, p := range pairs {
		if p.Expired(today) {
			expired++
		}
	}
	fmt.Fprintf(stdout, "imported %d rows of %s: %d new, %d changed, %d unchanged", len(pairs), filepath.Base(path), added, changed, same)
	if dropped := len(old) + added - len(merged); dropped > 0 {
		fmt.Fprintf(stdout, ", %d dropped (--replace)", dropped)
	}
	fmt.Fprintf(stdout, "; %d curated answers in all\n", len(merged))
	if expired > 0 {
		fmt.Fprintf(stdout, "note: %d of the imported answers are past their valid-until date and will not be given\n", expired)
	}
	return nil
}

// mergePairs puts the imported pairs in place of those asking the same
// question, after the others unless replace drops them.
func mergePairs(old, imported []curated.Pair, replace bool) (merged []curated.Pair, added, changed, same int) {
	byID := map[string]curated.Pair{}
	for _, p := range old {
		byID[p.ID] = p
	}
	in := map[string]bool{}
	for _, p := range imported {
		in[p.ID] = true
		switch o, ok := byID[p.ID]; {
		case !ok:
			added++
		case samePair(o, p):
			same++
		default:
			changed++
		}
	}
	if !replace {
		for _, p := range old {
			if !in[p.ID] {
				merged = append(merged, p)
			}
		}
	}
	return append(merged, imported...), added, changed, same
}

func samePair(a, b curated.Pair) bool {
	a.Added, b.Added = "", ""
	return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b)
}

func readSheet(path string) ([]curated.Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, badInputError{fmt.Sprintf("cannot read %s: %v", path, err)}
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxSheetBytes+1))
	if err != nil {
		return nil, badInputError{fmt.Sprintf("cannot read %s: %v", path, err)}
	}
	if len(raw) > maxSheetBytes {
		return nil, badInputError{fmt.Sprintf("%s is larger than %d MB; a sheet of curated answers is far smaller", path, maxSheetBytes>>20)}
	}
	rows, err := curated.ReadSheet(path, bytes.NewReader(raw))
	if errors.Is(err, curated.ErrBadSheet) {
		return nil, badInputError{err.Error()}
	}
	return rows, err
}

// regionResolver resolves a region cell as a person's chosen region is
// resolved, opening the index only when a row names a region.
func (c Config) regionResolver(ctx context.Context, progress io.Writer) curated.Resolver {
	var rd *judge.Reader
	var openErr error
	return func(name string) ([][]string, error) {
		if rd == nil && openErr == nil {
			ix, err := c.openIndex(ctx, progress, false)
			if err == nil {
				rd, err = bot.NewReader(ix, judge.DefaultPolicy(), nil)
			}
			openErr = err
		}
		if openErr != nil {
			return nil, fmt.Errorf("open index: %w", openErr)
		}
		return rd.ResolveRegion(name)
	}
}

// faqExport writes every pair, with its hit count, to a new .csv or .xlsx
// file, replacing it only once complete.
func faqExport(store *curated.Store, path string, stdout io.Writer) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".xlsx":
	default:
		return usageError{fmt.Sprintf("%s: export writes .csv or .xlsx", path)}
	}
	pairs, _ := store.Load()
	hits, err := store.Hits()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := curated.WriteSheet(path, &buf, pairs, hits); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "exported %d curated answers to %s\n", len(pairs), path)
	return nil
}

// faqList shows the pairs, most used first.
func faqList(store *curated.Store, stdout io.Writer) error {
	pairs, _ := store.Load()
	hits, err := store.Hits()
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		_, err := fmt.Fprintln(stdout, "no curated answers yet; add some with minsheng faq import FILE")
		return err
	}
	sorted := append([]curated.Pair(nil), pairs...)
	sort.SliceStable(sorted, func(i, j int) bool { return hits[sorted[i].ID] > hits[sorted[j].ID] })
	today := time.Now().In(bot.BeijingTime()).Format(time.DateOnly)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HITS\tQUESTION\tREGION\tVALID UNTIL\tSOURCES\tAUTHOR\tADDED")
	for _, p := range sorted {
		region, until := "各地", p.ValidUntil
		if len(p.Region) > 0 {
			region = retrieval.RegionName(p.Region)
		}
		switch {
		case until == "":
			until = "-"
		case p.Expired(today):
			until += " (expired)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", hits[p.ID], oneLine(p.Question), region, until,
			strings.Join(p.Sources, ", "), oneLine(p.Author), p.Added)
	}
	return tw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// sharedCurated is the curated answers kept in PostgreSQL
// (MINSHENG_DATABASE_URL), as serve's replicas keep them: pulled into the
// data folder's curated/ (with the library, which imports are checked
// against), counted there, and for an import pushed back under the lock
// the replicas publish with, which tells every replica.
type sharedCurated struct {
	db     *store.DB
	dir    string
	store  *curated.Store
	unlock func()
}

func openSharedCurated(ctx context.Context, cfg Config, write bool) (*sharedCurated, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL (MINSHENG_DATABASE_URL): %w", err)
	}
	s := &sharedCurated{db: db, dir: filepath.Join(cfg.DataDir, "curated"), unlock: func() {}}
	if write {
		if s.unlock, err = db.Lock(ctx, curatedLock); err != nil {
			db.Close()
			return nil, fmt.Errorf("lock the shared curated answers: %w", err)
		}
	}
	for set, dir := range map[string]string{"curated": s.dir, "library": cfg.library().Dir} {
		if err = os.MkdirAll(dir, 0o755); err == nil {
			_, err = db.PullFiles(ctx, set, dir)
		}
		if err != nil {
			s.close()
			return nil, fmt.Errorf("pull the shared %s: %w", set, err)
		}
	}
	if s.store, err = curated.OpenCounted(s.dir, hitCounter{db}, nil); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *sharedCurated) publish(ctx context.Context, stdout io.Writer) error {
	v, err := s.db.PushFiles(ctx, "curated", s.dir)
	if err != nil {
		return fmt.Errorf("imported into %s but not shared with the replicas: %w", s.dir, err)
	}
	fmt.Fprintf(stdout, "shared: curated answers version %d is in PostgreSQL; the replicas give them now\n", v)
	return nil
}

func (s *sharedCurated) close() {
	s.unlock()
	s.db.Close()
}
