package retrieval

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// A dictionary snapshot is gse's loaded dictionary written out grouped by
// first character, so that a process opening a saved index loads only the
// groups of the characters it meets: a question needs a few dozen of some
// six thousand groups, which takes milliseconds where the whole dictionary
// takes a second or more.
//
// It stays exact. A word can only match text at a position holding its
// first character, so the groups of a text's characters are all the
// dictionary can offer that text. gse weighs a word by its frequency
// against the dictionary's total, so the snapshot records the total, and
// the segmenter's is kept equal to it, to the bit, by correction entries
// whose text no folded text contains. Domain words added before their
// group is loaded wait for it, so that, as in a full load, the
// dictionary's own entry wins over an added word of the same text.
type dictSnapshot struct {
	raw    []byte // the whole file, as saved
	total  float64
	hashes []byte            // sorted FNV-64a of every word's text, 8 bytes each
	groups map[rune][2]int32 // first character → span of blob
	blob   []byte
}

const snapMagic = "minsheng-gse-dict-1\n"

// writeSnapshot writes the dictionary the segmenter loaded.
func (s *segmenter) writeSnapshot(w io.Writer) error {
	if err := s.load(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.lazy != nil {
		_, err := w.Write(s.lazy.snap.raw)
		return err
	}
	type entry struct {
		first      rune
		text, pos  string
		freq       float64
		orderInDic int
	}
	entries := make([]entry, 0, s.dictTokens)
	for i := range s.seg.Dict.Tokens[:s.dictTokens] {
		t := &s.seg.Dict.Tokens[i]
		text := t.Text()
		r, _ := utf8.DecodeRuneInString(text)
		entries = append(entries, entry{r, text, t.Pos(), t.Freq(), i})
	}
	// Grouped by first character, in dictionary order within a group.
	sort.SliceStable(entries, func(a, b int) bool { return entries[a].first < entries[b].first })
	var blob, groups bytes.Buffer
	hashes := make([]uint64, 0, len(entries))
	var num [binary.MaxVarintLen64]byte
	for i := 0; i < len(entries); {
		j := i
		start := blob.Len()
		for ; j < len(entries) && entries[j].first == entries[i].first; j++ {
			e := entries[j]
			blob.Write(num[:binary.PutUvarint(num[:], uint64(len(e.text)))])
			blob.WriteString(e.text)
			blob.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(e.freq)))
			blob.Write(num[:binary.PutUvarint(num[:], uint64(len(e.pos)))])
			blob.WriteString(e.pos)
			hashes = append(hashes, textHash(e.text))
		}
		for _, v := range []uint32{uint32(entries[i].first), uint32(start), uint32(blob.Len() - start)} {
			groups.Write(binary.LittleEndian.AppendUint32(nil, v))
		}
		i = j
	}
	sort.Slice(hashes, func(a, b int) bool { return hashes[a] < hashes[b] })
	var out bytes.Buffer
	out.WriteString(snapMagic)
	out.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(s.dictTotal)))
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(hashes))))
	for _, h := range hashes {
		out.Write(binary.LittleEndian.AppendUint64(nil, h))
	}
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(groups.Len()/12)))
	out.Write(groups.Bytes())
	out.Write(blob.Bytes())
	_, err := w.Write(out.Bytes())
	return err
}

func textHash(s string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, s)
	return h.Sum64()
}

var errSnapshot = errors.New("dictionary snapshot is malformed")

// readSnapshot parses a snapshot; its groups are decoded when used.
func readSnapshot(raw []byte) (*dictSnapshot, error) {
	rest, ok := bytes.CutPrefix(raw, []byte(snapMagic))
	if !ok || len(rest) < 12 {
		return nil, errSnapshot
	}
	snap := &dictSnapshot{raw: raw, total: math.Float64frombits(binary.LittleEndian.Uint64(rest))}
	n := int(binary.LittleEndian.Uint32(rest[8:]))
	rest = rest[12:]
	if len(rest) < n*8+4 {
		return nil, errSnapshot
	}
	snap.hashes, rest = rest[:n*8], rest[n*8:]
	g := int(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if len(rest) < g*12 {
		return nil, errSnapshot
	}
	snap.groups = make(map[rune][2]int32, g)
	for i := 0; i < g; i++ {
		e := rest[i*12:]
		r := rune(binary.LittleEndian.Uint32(e))
		start, size := binary.LittleEndian.Uint32(e[4:]), binary.LittleEndian.Uint32(e[8:])
		snap.groups[r] = [2]int32{int32(start), int32(start + size)}
	}
	snap.blob = rest[g*12:]
	for _, span := range snap.groups {
		if span[0] > span[1] || int(span[1]) > len(snap.blob) {
			return nil, errSnapshot
		}
	}
	return snap, nil
}

// has reports whether the dictionary holds text.
func (snap *dictSnapshot) has(text string) bool {
	h := textHash(text)
	n := len(snap.hashes) / 8
	i := sort.Search(n, func(i int) bool { return binary.LittleEndian.Uint64(snap.hashes[i*8:]) >= h })
	return i < n && binary.LittleEndian.Uint64(snap.hashes[i*8:]) == h
}

// lazyDict is the part of a snapshot loaded so far.
type lazyDict struct {
	snap   *dictSnapshot
	loaded map[rune]bool
	// waiting are added words whose first character's group is not loaded.
	waiting map[rune][]string
	// total is the total frequency the full dictionary would have now.
	total float64
	fixes int
}

func newLazyDict(snap *dictSnapshot) *lazyDict {
	return &lazyDict{snap: snap, loaded: map[rune]bool{}, waiting: map[rune][]string{}, total: snap.total}
}

// add adds a domain word with freq, as gse's AddToken would after a full
// load: ignored when the dictionary has it.
func (l *lazyDict) add(seg *gse.Segmenter, w string, freq float64) {
	if !l.snap.has(w) {
		l.total += freq
	}
	r, _ := utf8.DecodeRuneInString(w)
	if l.loaded[r] {
		seg.AddToken(w, freq, "n")
		l.balance(seg)
		return
	}
	l.waiting[r] = append(l.waiting[r], w)
}

// missing reports whether a character of text has its group unloaded.
func (l *lazyDict) missing(text string) bool {
	for _, r := range text {
		if !l.loaded[r] {
			return true
		}
	}
	return false
}

// ensure loads the groups of text's characters, then the added words that
// waited for them.
func (l *lazyDict) ensure(seg *gse.Segmenter, text string) {
	changed := false
	for _, r := range text {
		if l.loaded[r] {
			continue
		}
		l.loaded[r] = true
		changed = true
		if span, ok := l.snap.groups[r]; ok {
			if err := l.loadGroup(seg, l.snap.blob[span[0]:span[1]]); err != nil {
				// The file matched its checksum, so this is a bug,
				// not damage; a word missed costs recall, not a crash.
				continue
			}
		}
		for _, w := range l.waiting[r] {
			seg.AddToken(w, addedFreq, "n")
		}
		delete(l.waiting, r)
	}
	if changed {
		l.balance(seg)
	}
}

// find is what gse's Find would give w, as a part of speech and whether w
// is a word, while w's group is not loaded: the dictionary's entry, else
// an added word waiting for the group.
func (l *lazyDict) find(w string) (string, bool) {
	r, _ := utf8.DecodeRuneInString(w)
	if span, ok := l.snap.groups[r]; ok {
		found := false
		var pos string
		var freq float64
		l.eachEntry(l.snap.blob[span[0]:span[1]], func(text []byte, f float64, p string) bool {
			if string(text) == w {
				found, freq, pos = true, f, p
				return false
			}
			return true
		})
		if found {
			return pos, freq > 0
		}
	}
	if slices.Contains(l.waiting[r], w) {
		return "n", true
	}
	return "", false
}

func (l *lazyDict) loadGroup(seg *gse.Segmenter, b []byte) error {
	return l.eachEntry(b, func(text []byte, freq float64, pos string) bool {
		seg.AddToken(string(text), freq, pos)
		return true
	})
}

// eachEntry decodes a group's entries until fn returns false.
func (l *lazyDict) eachEntry(b []byte, fn func(text []byte, freq float64, pos string) bool) error {
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n+8 {
			return errSnapshot
		}
		text := b[k : k+int(n)]
		b = b[k+int(n):]
		freq := math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
		n, k = binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return errSnapshot
		}
		pos := string(b[k : k+int(n)])
		b = b[k+int(n):]
		if !fn(text, freq, pos) {
			return nil
		}
	}
	return nil
}

// balance brings gse's total frequency back to what the full dictionary's
// would be, with an entry of the difference. gse's total is then at most
// twice the target, so the difference is exact (Sterbenz) and so is the
// sum.
func (l *lazyDict) balance(seg *gse.Segmenter) {
	for range 3 {
		got := seg.Dict.TotalFreq()
		if got == l.total {
			return
		}
		l.fixes++
		// Fold turns control characters into spaces, so no folded text
		// holds this word. (Not \x00: gse's trie ends keys with it.)
		seg.AddToken("\x01"+strconv.Itoa(l.fixes), l.total-got)
	}
}
