package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-ego/gse"
	chromem "github.com/philippgille/chromem-go"
	"golang.org/x/sync/errgroup"
)

// formatVersion changes whenever cleaning, splitting, tokenising or the file
// layout changes, so that old indexes are rebuilt rather than misread.
const formatVersion = 6

const collectionName = "passages"

// The saved index's data files (saved.go); segmenterFile holds the
// segmenter's dictionary snapshot (segsnap.go).
const (
	passagesFile  = "passages.bin"
	lexicalFile   = "lexical.bin"
	vectorsFile   = "vectors.bin"
	segmenterFile = "segmenter.bin"
)

// Options configure building and opening an index.
type Options struct {
	// Dir holds the persisted index; "" keeps it in memory only.
	Dir      string
	Embedder Embedder
	Split    SplitOptions
	// Progress receives human-readable progress lines; nil discards them.
	Progress io.Writer
	// Rebuild ignores a saved index and builds anew (minsheng ingest); it
	// also removes leftovers of interrupted saves at once, whatever their
	// age.
	Rebuild bool
}

// Index is a searchable set of passages.
type Index struct {
	passages []Passage
	folded   []string
	words    *bm25
	grams    *bm25
	db       *chromem.DB
	coll     *chromem.Collection
	// flat is a contiguous copy of coll's vectors, the one saved.
	flat *flatVectors
	// vectors answers the vector list; by default an exact scan over flat.
	vectors  VectorSearcher
	embedder Embedder
	regions  *regionIndex
	paths    [][]string // distinct document regions, for messages
	docs     []DocumentInfo
	key      string
	// docOf gives each passage's index in docs.
	docOf []int
	// reviews marks documents with a section reviewing past work.
	reviews map[string]bool
	// bufs recycles per-search score arrays.
	bufs sync.Pool
}

// DocumentInfo is a document as the index knows it, without its text.
type DocumentInfo struct {
	Source, Title, Issuer, Date, DateBasis, Kind string
	Region                                       []string
	Passages                                     int
	// SourceURL is where the document was published, when known.
	SourceURL string
	Validity
}

type manifest struct {
	Format   int       `json:"format"`
	Key      string    `json:"key"`
	Embedder string    `json:"embedder"`
	Passages int       `json:"passages"`
	Built    time.Time `json:"built"`
	// Files holds the SHA-256 of each data file, so that a file damaged or
	// edited after saving is noticed instead of served.
	Files map[string]string `json:"files"`
}

func (o Options) progress(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// contentKey identifies what an index was built from: every document's
// text and facts, the splitter settings, the embedder, the format, and the
// thesaurus and stopwords — the segmenter learns the thesaurus's words, so
// editing it changes how passages are cut into words.
func contentKey(docs []Document, opt Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "format=%d\nembedder=%s\nsplit=%d\ngse=%s\n", formatVersion, opt.Embedder.ID, opt.Split.MaxRunes, gseVersion)
	fmt.Fprintf(h, "thesaurus=%d\n%s\nstopwords=%d\n%s\n", len(thesaurusData), thesaurusData, len(stopwordsData), stopwordsData)
	for _, d := range docs {
		meta, _ := json.Marshal([]any{d.Source, d.Title, d.Issuer, d.Region, d.Date, d.DateBasis, d.Kind})
		fmt.Fprintf(h, "%s\n%d\n", meta, len(d.Text))
		io.WriteString(h, d.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// gseVersion is the segmenter module's version: its dictionary, saved in
// the index as a snapshot, changes with it.
var gseVersion = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/go-ego/gse" {
				return d.Version
			}
		}
	}
	return gse.Version
}()

func (o *Options) defaults() {
	if o.Embedder.Embed == nil {
		o.Embedder = LocalEmbedder()
	}
	if o.Embedder.Batch <= 0 {
		o.Embedder.Batch = 64
	}
	if o.Split.MaxRunes <= 0 {
		o.Split = DefaultSplit
	}
}

// Open loads the index persisted in opt.Dir when it was built from the same
// documents with the same embedder, and otherwise builds it (and saves it).
// A corrupt or partial index is reported through opt.Progress and rebuilt.
func Open(ctx context.Context, docs []Document, opt Options) (*Index, error) {
	opt.defaults()
	key := contentKey(docs, opt)
	if opt.Dir != "" {
		// A rebuild (ingest) replaces whatever a save under way would
		// produce, so it need not spare young leftovers.
		age := TempGrace
		if opt.Rebuild {
			age = 0
		}
		sweepTemp(opt.Dir, age)
	}
	if opt.Dir != "" && !opt.Rebuild {
		ix, err := load(ctx, docs, opt, key)
		switch {
		case err == nil:
			return ix, nil
		case errors.Is(err, errStale):
			opt.progress("index: %v; rebuilding", err)
		case errors.Is(err, os.ErrNotExist):
			opt.progress("index: none in %s yet; building", opt.Dir)
		default:
			opt.progress("index: the index in %s cannot be used (%v); rebuilding", opt.Dir, err)
		}
	}
	go sharedSeg.load() // the dictionary loads while documents are split
	ix, err := Build(ctx, docs, opt)
	if err != nil {
		return nil, err
	}
	ix.key = key
	if opt.Dir != "" {
		// A failure to save costs the next start a rebuild, not this
		// answer: the index in memory is complete.
		if err := ix.save(opt.Dir); err != nil {
			opt.progress("index: could not save to %s (%v); it will be rebuilt next time", opt.Dir, err)
		} else {
			opt.progress("index: saved %d passages to %s", len(ix.passages), opt.Dir)
		}
	}
	return ix, nil
}

// TempGrace is how old a leftover temporary file or folder must be before
// an ordinary start removes it: a younger one may belong to a save or an
// ingest under way in another process, and an hour is far longer than
// either takes.
const TempGrace = time.Hour

// sweepTemp removes half-written index folders, and old ones moved aside,
// that a crashed process left behind, when older than olderThan.
func sweepTemp(dir string, olderThan time.Duration) {
	removeOld(dir, olderThan, "index.tmp-*", "index.old-*")
}

// removeOld removes what matches the patterns in dir and was last changed
// more than olderThan ago. It is housekeeping: what it cannot remove is
// tried again next time.
func removeOld(dir string, olderThan time.Duration, patterns ...string) {
	for _, pattern := range patterns {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && time.Since(st.ModTime()) >= olderThan {
				os.RemoveAll(m)
			}
		}
	}
}

var errStale = errors.New("index is out of date")

// Build cleans, splits, embeds and indexes docs in memory.
func Build(ctx context.Context, docs []Document, opt Options) (*Index, error) {
	opt.defaults()
	if len(docs) == 0 {
		return nil, errors.New("no documents to index")
	}
	start := time.Now()
	// Cleaning, splitting, folding, segmenting and embedding are each
	// independent per document or passage, so they run on every core.
	perDoc := make([][]Passage, len(docs))
	inParallel(len(docs), 1, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			perDoc[i] = docs[i].Passages(opt.Split)
		}
		return nil
	})
	var passages []Passage
	for i, d := range docs {
		ps := perDoc[i]
		if len(ps) == 0 {
			opt.progress("index: %s has no text left after cleaning; skipped", d.Source)
			continue
		}
		passages = append(passages, ps...)
	}
	perDoc = nil
	if len(passages) == 0 {
		return nil, errors.New("no passages: every document was empty after cleaning")
	}
	opt.progress("index: %d documents → %d passages", len(docs), len(passages))
	ix := newIndex(docs, passages, opt.Embedder)
	if err := sharedSeg.addWords(ix.regionWords()); err != nil {
		return nil, fmt.Errorf("load segmenter dictionary: %w", err)
	}
	// The word index, the bigram index and the vectors are independent, so
	// they are built side by side: the serial parts of one (interning
	// terms, laying out postings) leave the cores to the others.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		// Passages are segmented a slice at a time and their words handed
		// to the index at once, so that the words of the whole corpus are
		// never held as strings together.
		words := newBM25Builder(len(passages))
		slice := make([][]string, 4096)
		for lo := 0; lo < len(passages); lo += len(slice) {
			if err := gctx.Err(); err != nil {
				return err
			}
			hi := min(lo+len(slice), len(passages))
			inParallel(hi-lo, 64, func(a, b int) error {
				for i := a; i < b; i++ {
					slice[i] = sharedSeg.words(ix.folded[lo+i])
				}
				return nil
			})
			for i := range hi - lo {
				words.addTerms(slice[i])
				slice[i] = nil
			}
		}
		ix.words = words.build()
		return nil
	})
	g.Go(func() error {
		ix.grams = gramIndex(ix.folded)
		return nil
	})
	vecs := make([][]float32, len(passages))
	g.Go(func() error {
		batch := opt.Embedder.Batch
		var mu sync.Mutex
		embedded := 0
		return inParallel(len(passages), batch, func(lo, hi int) error {
			for b := lo; b < hi; b += batch {
				e := min(b+batch, hi)
				vs, err := opt.Embedder.Embed(gctx, ix.folded[b:e])
				if err != nil {
					return fmt.Errorf("embed passages %d–%d: %w", b, e, err)
				}
				if len(vs) != e-b {
					return fmt.Errorf("embed passages %d–%d: got %d vectors", b, e, len(vs))
				}
				copy(vecs[b:e], vs)
				mu.Lock()
				embedded += e - b
				if len(passages) > 5000 && (embedded/batch)%20 == 0 {
					opt.progress("index: embedded %d/%d passages", embedded, len(passages))
				}
				mu.Unlock()
			}
			return nil
		}, opt.Embedder.Concurrency)
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ix.indexVectors(ctx, vecs); err != nil {
		return nil, err
	}
	opt.progress("index: built in %s", time.Since(start).Round(time.Millisecond))
	return ix, nil
}

// inParallel calls f on consecutive parts of 0..n, each a multiple of
// grain long (but the last), on up to workers goroutines (default: one per
// core), and returns the first error.
func inParallel(n, grain int, f func(lo, hi int) error, workers ...int) error {
	w := runtime.GOMAXPROCS(0)
	if len(workers) > 0 {
		w = max(1, workers[0])
	}
	grain = max(1, grain)
	// Parts several times smaller than n/w keep every core busy when
	// parts cost unevenly.
	part := max(grain, (n/(4*w)+grain-1)/grain*grain)
	var g errgroup.Group
	g.SetLimit(w)
	for lo := 0; lo < n; lo += part {
		hi := min(lo+part, n)
		g.Go(func() error { return f(lo, hi) })
	}
	return g.Wait()
}

func newIndex(docs []Document, passages []Passage, emb Embedder) *Index {
	ix := &Index{passages: passages, embedder: emb}
	ix.folded = make([]string, len(passages))
	inParallel(len(passages), 256, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			ix.folded[i] = passages[i].indexText()
		}
		return nil
	})
	count := map[string]int{}
	ix.reviews = map[string]bool{}
	for _, p := range passages {
		count[p.Source]++
		if sectionTense(p.Section) == TensePast {
			ix.reviews[p.Source] = true
		}
	}
	seen := map[string]bool{}
	docIndex := map[string]int{}
	for _, d := range docs {
		docIndex[d.Source] = len(ix.docs)
		ix.docs = append(ix.docs, DocumentInfo{Source: d.Source, Title: d.Title, Issuer: d.Issuer,
			Date: d.Date, DateBasis: d.DateBasis, Kind: d.Kind, Region: d.Region, Passages: count[d.Source], SourceURL: d.SourceURL, Validity: d.Validity})
		if k := RegionName(d.Region); !seen[k] {
			seen[k] = true
			ix.paths = append(ix.paths, d.Region)
		}
	}
	ix.regions = newRegionIndex(ix.paths)
	ix.docOf = make([]int, len(passages))
	for i, p := range passages {
		ix.docOf[i] = docIndex[p.Source]
	}
	titles := map[string]string{}
	for _, d := range docs {
		titles[d.Source] = d.Title
	}
	for i := range ix.docs {
		v := &ix.docs[i].Validity
		if v.SupersededBy != "" {
			v.SupersededByTitle = firstNonEmpty(titles[v.SupersededBy], v.SupersededBy)
		}
	}
	for i, p := range passages {
		passages[i].Validity = ix.docs[docIndex[p.Source]].Validity
	}
	return ix
}

func (ix *Index) regionWords() []string {
	var ws []string
	for _, n := range ix.regions.names {
		ws = append(ws, n.alias)
	}
	return ws
}

func (ix *Index) indexVectors(ctx context.Context, vecs [][]float32) error {
	flat, give, err := newFlatVectors(vecs)
	if err != nil {
		return err
	}
	db, coll, err := newCollection(ctx, ix.passages, give)
	if err != nil {
		return err
	}
	ix.db, ix.coll, ix.flat, ix.vectors = db, coll, flat, flat
	return nil
}

// newCollection puts the passages' vectors into a chromem-go collection,
// each document named by its passage's index. Documents are added one by
// one on every core: chromem-go's AddDocuments starts a goroutine per
// document, which at 100,000 passages costs more than adding them.
func newCollection(ctx context.Context, passages []Passage, vecs [][]float32) (*chromem.DB, *chromem.Collection, error) {
	db := chromem.NewDB()
	coll, err := db.CreateCollection(collectionName, nil, noEmbedding)
	if err != nil {
		return nil, nil, fmt.Errorf("create collection: %w", err)
	}
	err = inParallel(len(passages), 1024, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			doc := chromem.Document{ID: strconv.Itoa(i), Metadata: regionMeta(passages[i].Region), Embedding: vecs[i], Content: passages[i].ID}
			if err := coll.AddDocument(ctx, doc); err != nil {
				return fmt.Errorf("add passage %d to vector store: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return db, coll, nil
}

// noEmbedding guards against chromem-go embedding anything itself: every
// vector is computed by our Embedder, in batches, before it reaches chromem.
func noEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("vectors are computed by the retrieval package, not by chromem-go")
}

// regionMeta stores one metadata key per region level, because chromem-go's
// where filter is exact equality: {"region1":"沈阳市"} selects a city with
// all its districts.
func regionMeta(path []string) map[string]string {
	m := make(map[string]string, len(path))
	for i, r := range path {
		m["region"+strconv.Itoa(i)] = r
	}
	return m
}

func (ix *Index) save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(dir, "index.tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	sums := map[string]string{}
	write := func(name string, fill func(io.Writer) error) error {
		h := sha256.New()
		err := writeFileSync(filepath.Join(tmp, name), func(w io.Writer) error { return fill(io.MultiWriter(w, h)) })
		sums[name] = hex.EncodeToString(h.Sum(nil))
		return err
	}
	lex, err := encodeLexical(ix.words, ix.grams)
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{passagesFile: encodePassages(ix.passages), lexicalFile: lex, vectorsFile: encodeVectors(ix.flat)} {
		if err := write(name, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return err
		}
	}
	if err := write(segmenterFile, sharedSeg.writeSnapshot); err != nil {
		return err
	}
	m := manifest{Format: formatVersion, Key: ix.key, Embedder: ix.embedder.ID, Passages: len(ix.passages),
		Built: time.Now().UTC(), Files: sums}
	// The manifest is written last: a folder without one is never loaded.
	if err := writeFileSync(filepath.Join(tmp, "manifest.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}); err != nil {
		return err
	}
	// Move the old index aside rather than deleting it first, so that at
	// no moment is there a half-removed index under the final name; if
	// another process saved meanwhile, the second rename fails and its
	// index stays.
	final := filepath.Join(dir, "index")
	old := fmt.Sprintf("%s.old-%d", final, time.Now().UnixNano())
	if err := os.Rename(final, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	defer os.RemoveAll(old)
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	// The renames are only durable once the folder holding them is synced.
	return syncDir(dir)
}

func writeFileSync(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func load(ctx context.Context, docs []Document, opt Options, key string) (*Index, error) {
	dir := filepath.Join(opt.Dir, "index")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m manifest
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if m.Key != key || m.Format != formatVersion {
		what := "documents or settings changed"
		if m.Embedder != opt.Embedder.ID {
			what = fmt.Sprintf("embedder changed from %s to %s", m.Embedder, opt.Embedder.ID)
		}
		return nil, fmt.Errorf("%w (%s)", errStale, what)
	}
	// Each file is read once, checked against its sum and decoded; the
	// three data files decode side by side.
	read := func(name string) ([]byte, error) {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(raw); m.Files[name] == "" || hex.EncodeToString(sum[:]) != m.Files[name] {
			return nil, fmt.Errorf("%s does not match the manifest (damaged or edited)", name)
		}
		return raw, nil
	}
	raw, err = read(segmenterFile)
	if err != nil {
		return nil, err
	}
	snap, err := readSnapshot(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", segmenterFile, err)
	}
	// A process that has not loaded the dictionary yet loads from the
	// snapshot only what the texts it cuts need.
	sharedSeg.useSnapshot(snap)
	var (
		ix           *Index
		words, grams *bm25
		flat         *flatVectors
	)
	var g errgroup.Group
	g.Go(func() error {
		raw, err := read(passagesFile)
		if err != nil {
			return err
		}
		ps, err := decodePassages(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", passagesFile, err)
		}
		if len(ps) != m.Passages {
			return fmt.Errorf("%s holds %d passages, manifest says %d", passagesFile, len(ps), m.Passages)
		}
		ix = newIndex(docs, ps, opt.Embedder)
		return nil
	})
	g.Go(func() error {
		raw, err := read(lexicalFile)
		if err != nil {
			return err
		}
		if words, grams, err = decodeLexical(raw); err != nil {
			return fmt.Errorf("%s: %w", lexicalFile, err)
		}
		if len(words.docLen) != m.Passages || len(grams.docLen) != m.Passages {
			return fmt.Errorf("%s holds %d passages, manifest says %d", lexicalFile, len(words.docLen), m.Passages)
		}
		return nil
	})
	g.Go(func() error {
		raw, err := read(vectorsFile)
		if err != nil {
			return err
		}
		if flat, err = decodeVectors(raw); err != nil {
			return fmt.Errorf("%s: %w", vectorsFile, err)
		}
		if flat.len() != m.Passages {
			return fmt.Errorf("%s holds %d vectors, manifest says %d", vectorsFile, flat.len(), m.Passages)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := sharedSeg.addWords(ix.regionWords()); err != nil {
		return nil, fmt.Errorf("load segmenter dictionary: %w", err)
	}
	// chromem-go keeps the flat copy's rows as its vectors: they are
	// already in the form it stores.
	rows := make([][]float32, flat.len())
	for i := range rows {
		rows[i] = flat.data[i*flat.dim : (i+1)*flat.dim : (i+1)*flat.dim]
	}
	db, coll, err := newCollection(ctx, ix.passages, rows)
	if err != nil {
		return nil, err
	}
	ix.words, ix.grams = words, grams
	ix.db, ix.coll, ix.flat, ix.vectors, ix.key = db, coll, flat, flat, key
	return ix, nil
}

// Documents lists what the index holds.
func (ix *Index) Documents() []DocumentInfo { return ix.docs }

// ResolveRegion finds catalog regions by name, full or short (浑南,
// 浑南区), or by a path that picks one of several (辽宁省/沈阳市/和平区),
// for --region and a chat's chosen region.
func (ix *Index) ResolveRegion(name string) ([][]string, error) {
	paths, ok := ix.regions.resolve(name)
	if !ok {
		return nil, fmt.Errorf("%w %q: the documents cover %s", ErrUnknownRegion, name, ix.regionList())
	}
	return paths, nil
}

// IDF is the inverse document frequency of a search word; a word the
// corpus lacks weighs the most.
func (ix *Index) IDF(word string) float64 { return float64(ix.words.idf(word)) }

// HasWord reports whether passage i has word as one of its search words:
// whole words, so that the character 发 is not found in 发展.
func (ix *Index) HasWord(i int, word string) bool { return ix.words.has(word, int32(i)) }

// Folded is passage i's text as indexed: folded, with its heading path.
func (ix *Index) Folded(i int) string { return ix.folded[i] }

// Written reports whether some passage writes folded text s as it is: a
// word written so is no typo, even if the segmenter never cuts it out
// whole (三事 in 三事工作法). Only the passages holding s's rarest character
// pair are read.
func (ix *Index) Written(s string) bool {
	return ix.WrittenWithin(s, func([]string) bool { return true })
}

// WrittenWithin reports whether some passage whose document region within
// accepts writes folded text s as it is (see Written).
func (ix *Index) WrittenWithin(s string, within func(region []string) bool) bool {
	rarest, n := int32(-1), 0
	ok := true
	eachGram(s, nil, func(g []rune) {
		n++
		id, found := ix.grams.ids[string(g)]
		if !found {
			ok = false
			return
		}
		if rarest < 0 || ix.grams.df(id) < ix.grams.df(rarest) {
			rarest = id
		}
	})
	if !ok || n == 0 || rarest < 0 {
		return false
	}
	for _, p := range ix.grams.postings[ix.grams.start[rarest]:ix.grams.start[rarest+1]] {
		if within(ix.passages[p.doc].Region) && strings.Contains(ix.folded[p.doc], s) {
			return true
		}
	}
	return false
}

// Vocabulary calls fn with every search word of the corpus and the number
// of passages holding it.
func (ix *Index) Vocabulary(fn func(word string, passages int)) {
	for id, w := range ix.words.terms {
		fn(w, int(ix.words.start[id+1]-ix.words.start[id]))
	}
}

// Regions lists the distinct document regions.
func (ix *Index) Regions() [][]string { return ix.paths }

// Len is the number of passages.
func (ix *Index) Len() int { return len(ix.passages) }
