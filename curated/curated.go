// Package curated keeps the question–answer pairs that community workers
// write in a spreadsheet: each answers one question (and the other
// wordings of it) for a region until a date, citing the documents it rests
// on. The bot gives a matching pair's answer before it searches.
//
// The pairs live in the data folder as curated.json, replaced whole by an
// import; how often each was given lives beside them in
// curated-hits.json, so that counting (by ask and serve) and importing (by
// faq import, in another process) never overwrite each other's file. Both
// are written to a temporary file, synced, and renamed into place.
package curated

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/minsheng/minsheng/retrieval"
)

// Pair is one curated answer.
type Pair struct {
	// ID is derived from the question, so that a pair imported again keeps
	// its hit count.
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Wordings []string `json:"wordings,omitempty"`
	Answer   string   `json:"answer"`
	// Sources are the file names of the documents the answer rests on, as
	// the document catalog and library name them.
	Sources []string `json:"sources"`
	// Region is the region path the answer holds for, outermost first;
	// empty means everywhere.
	Region []string `json:"region,omitempty"`
	// ValidUntil is the last day the answer may be given (YYYY-MM-DD); ""
	// means no end.
	ValidUntil string `json:"valid_until,omitempty"`
	Author     string `json:"author,omitempty"`
	// Added is the day the pair took its present content (YYYY-MM-DD): the
	// date its label shows.
	Added string `json:"added"`
}

// IDOf is the ID of the pair for a question: the same question, however
// it is spaced or scripted, gives the same ID.
func IDOf(question string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(retrieval.Fold(question)), " ")))
	return hex.EncodeToString(sum[:6])
}

// Expired reports whether the pair's last day is before today (YYYY-MM-DD).
func (p Pair) Expired(today string) bool { return p.ValidUntil != "" && p.ValidUntil < today }

// sameContent reports whether two pairs say the same thing, whoever
// added them when.
func sameContent(a, b Pair) bool {
	a.Added, b.Added = "", ""
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// File names in the data folder.
const (
	pairsFile = "curated.json"
	hitsFile  = "curated-hits.json"
)

// Counter counts how often each pair was given. By default the counts
// are a file beside the pairs; several replicas share them in
// PostgreSQL instead.
type Counter interface {
	Hit(id string) error
	Hits() (map[string]int, error)
}

// Store holds the curated pairs of a data folder and their hit counts.
// It is safe for concurrent use.
type Store struct {
	dir     string
	onError func(error)
	counter Counter // nil: the hits file

	mu      sync.Mutex
	pairs   []Pair
	stamp   fileStamp
	version int
}

// fileStamp tells whether a file changed since it was read.
type fileStamp struct {
	size int64
	mod  time.Time
}

// Open reads the pairs kept in dir; a folder without any is an empty
// store. onError, when set, hears of a hit count that could not be saved
// (answering goes on).
func Open(dir string, onError func(error)) (*Store, error) {
	return OpenCounted(dir, nil, onError)
}

// OpenCounted is Open with the hits counted by counter (nil: the file).
func OpenCounted(dir string, counter Counter, onError func(error)) (*Store, error) {
	s := &Store{dir: dir, onError: onError, counter: counter}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reload(); err != nil {
		return nil, err
	}
	return s, nil
}

type pairsDoc struct {
	Pairs []Pair `json:"pairs"`
}

// reload reads the pairs file when it changed since it was last read: an
// import by another process reaches a running server at its next
// question. Called with mu held.
func (s *Store) reload() error {
	path := filepath.Join(s.dir, pairsFile)
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		if s.pairs != nil {
			s.pairs, s.stamp = nil, fileStamp{}
			s.version++
		}
		return nil
	}
	if err != nil {
		return err
	}
	stamp := fileStamp{size: st.Size(), mod: st.ModTime()}
	if stamp == s.stamp && s.version > 0 {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc pairsDoc
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	s.pairs, s.stamp = doc.Pairs, stamp
	s.version++
	return nil
}

// Load returns the pairs, read again if the file changed, and a version
// that changes whenever they do, so that a caller may keep what it made of
// them. A file that cannot be read leaves the pairs as they were, and its
// error is reported to onError.
func (s *Store) Load() ([]Pair, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reload(); err != nil && s.onError != nil {
		s.onError(fmt.Errorf("curated answers: %w", err))
	}
	return s.pairs, s.version
}

// Replace makes pairs the store's whole content. A pair whose content did
// not change keeps the day it was added; the others are added today.
func (s *Store) Replace(pairs []Pair, today string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reload(); err != nil {
		return err
	}
	old := map[string]Pair{}
	for _, p := range s.pairs {
		old[p.ID] = p
	}
	out := make([]Pair, len(pairs))
	for i, p := range pairs {
		p.ID = IDOf(p.Question)
		p.Added = today
		if o, ok := old[p.ID]; ok && sameContent(o, p) {
			p.Added = o.Added
		}
		out[i] = p
	}
	raw, err := json.MarshalIndent(pairsDoc{Pairs: out}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(s.dir, pairsFile, raw); err != nil {
		return fmt.Errorf("save curated answers: %w", err)
	}
	s.stamp = fileStamp{} // read back what was written, with its stamp
	return s.reload()
}

// Hit counts one use of the pair with id. The count is written at once (a
// write per hit: read, add one, write a temporary file, sync, rename), so
// it survives a crash or a kill, and ask, serve and faq list share one
// count; at the rate residents ask, the few milliseconds do not matter.
// Two processes counting in the same instant may lose one of the counts.
func (s *Store) Hit(id string) {
	if s.counter != nil {
		if err := s.counter.Hit(id); err != nil && s.onError != nil {
			s.onError(fmt.Errorf("count a curated answer's use: %w", err))
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	hits, err := s.readHits()
	if err == nil {
		hits[id]++
		var raw []byte
		raw, err = json.MarshalIndent(hits, "", "  ")
		if err == nil {
			err = writeAtomic(s.dir, hitsFile, raw)
		}
	}
	if err != nil && s.onError != nil {
		s.onError(fmt.Errorf("count a curated answer's use: %w", err))
	}
}

// Hits returns how often each pair was given, by ID.
func (s *Store) Hits() (map[string]int, error) {
	if s.counter != nil {
		return s.counter.Hits()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readHits()
}

func (s *Store) readHits() (map[string]int, error) {
	raw, err := os.ReadFile(filepath.Join(s.dir, hitsFile))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]int{}, nil
	}
	if err != nil {
		return nil, err
	}
	hits := map[string]int{}
	if err := json.Unmarshal(raw, &hits); err != nil {
		return nil, fmt.Errorf("%s: %w", hitsFile, err)
	}
	return hits, nil
}

// writeAtomic replaces dir/name with data: a temporary file in dir,
// synced, renamed over the old one, and the folder synced so that the
// rename lasts. A failure leaves the old file as it was.
func writeAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone once renamed
	err = f.Chmod(0o644)
	if err == nil {
		_, err = io.Copy(f, bytes.NewReader(data))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
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
