package retrieval

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// The saved index's data files are written in a compact binary form that
// loads in one pass: passages with their strings cut from one copy of the
// file, the word and bigram postings as they are laid out in memory, and
// the vectors as raw float32s. A reload then decodes what the build made
// instead of segmenting, interning and sorting the corpus again, which is
// what made a gob snapshot of 100,000 passages slow to load.
//
// Each file starts with a magic line naming its layout; lengths and counts
// are unsigned varints, fixed-size numbers little-endian.
const (
	passagesMagic = "minsheng-passages-1\n"
	lexicalMagic  = "minsheng-lexical-1\n"
	vectorsMagic  = "minsheng-vectors-1\n"
)

var errMalformed = errors.New("malformed or truncated")

// enc appends to a byte slice.
type enc struct{ b []byte }

func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }

// dec reads what enc wrote. The first error sticks and later reads give
// zero values, so that a caller checks once, at the end. When s holds the
// same bytes as b, strings are cut from s without copying.
type dec struct {
	b   []byte
	s   string
	off int
	err error
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = errMalformed
	}
}

func (d *dec) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

// count reads a count of items each at least min bytes long, refusing one
// the rest of the file cannot hold, so that a damaged count cannot make a
// huge allocation.
func (d *dec) count(min int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.off)/uint64(max(min, 1)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *dec) take(n uint64) []byte {
	if d.err != nil || n > uint64(len(d.b)-d.off) {
		d.fail()
		return nil
	}
	b := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return b
}

func (d *dec) str() string {
	n := d.uvarint()
	start := d.off
	b := d.take(n)
	if b == nil {
		return ""
	}
	if d.s != "" {
		return d.s[start : start+int(n)]
	}
	return string(b)
}

func (d *dec) magic(m string) {
	if string(d.take(uint64(len(m)))) != m {
		d.fail()
	}
}

// end reports whether the file was read whole and well.
func (d *dec) end() error {
	if d.err == nil && d.off != len(d.b) {
		d.fail()
	}
	return d.err
}

// encodePassages writes passages; the document's facts are written only
// when they differ from the previous passage's.
func encodePassages(ps []Passage) []byte {
	e := &enc{b: []byte(passagesMagic)}
	e.uvarint(uint64(len(ps)))
	for i, p := range ps {
		if i > 0 && sameDocFacts(ps[i-1], p) {
			e.uvarint(0)
		} else {
			e.uvarint(1)
			for _, s := range []string{p.Source, p.Title, p.Issuer, p.Date, p.DateBasis, p.Kind} {
				e.str(s)
			}
			e.uvarint(uint64(len(p.Region)))
			for _, r := range p.Region {
				e.str(r)
			}
		}
		for _, s := range []string{p.ID, p.Section, p.Item, p.Text} {
			e.str(s)
		}
	}
	return e.b
}

func sameDocFacts(a, b Passage) bool {
	return a.Source == b.Source && a.Title == b.Title && a.Issuer == b.Issuer && a.Date == b.Date &&
		a.DateBasis == b.DateBasis && a.Kind == b.Kind && slices.Equal(a.Region, b.Region)
}

// decodePassages reads what encodePassages wrote. Every string is a piece
// of one copy of the file, and passages of one document share its region.
func decodePassages(raw []byte) ([]Passage, error) {
	d := &dec{b: raw, s: string(raw)}
	d.magic(passagesMagic)
	ps := make([]Passage, d.count(5))
	var prev Passage
	for i := range ps {
		p := &ps[i]
		switch d.uvarint() {
		case 0:
			if i == 0 {
				d.fail()
			}
			p.Source, p.Title, p.Issuer, p.Date, p.DateBasis, p.Kind, p.Region =
				prev.Source, prev.Title, prev.Issuer, prev.Date, prev.DateBasis, prev.Kind, prev.Region
		case 1:
			p.Source, p.Title, p.Issuer, p.Date, p.DateBasis, p.Kind = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
			p.Region = make([]string, d.count(1))
			for j := range p.Region {
				p.Region[j] = d.str()
			}
		default:
			d.fail()
		}
		p.ID, p.Section, p.Item, p.Text = d.str(), d.str(), d.str(), d.str()
		if d.err != nil {
			return nil, d.err
		}
		prev = *p
	}
	return ps, d.end()
}

// encodeLexical writes the word and the bigram index.
func encodeLexical(words, grams *bm25) ([]byte, error) {
	e := &enc{b: []byte(lexicalMagic)}
	for _, ix := range []*bm25{words, grams} {
		if err := ix.encode(e); err != nil {
			return nil, err
		}
	}
	return e.b, nil
}

func decodeLexical(raw []byte) (words, grams *bm25, err error) {
	d := &dec{b: raw}
	d.magic(lexicalMagic)
	words, grams = decodeBM25(d), decodeBM25(d)
	return words, grams, d.end()
}

// encode writes the terms (their bytes in one block, then their lengths),
// the passage lengths, and each term's postings as passage gaps. Term
// frequencies and lengths are counts; the common frequency 1 costs no
// byte of its own: a posting is gap<<1, or gap<<1|1 followed by its
// frequency.
func (ix *bm25) encode(e *enc) error {
	e.uvarint(uint64(len(ix.terms)))
	total := 0
	for _, t := range ix.terms {
		total += len(t)
	}
	e.uvarint(uint64(total))
	for _, t := range ix.terms {
		e.b = append(e.b, t...)
	}
	for _, t := range ix.terms {
		e.uvarint(uint64(len(t)))
	}
	e.uvarint(uint64(len(ix.docLen)))
	for _, l := range ix.docLen {
		n, err := countOf(l)
		if err != nil {
			return fmt.Errorf("passage length: %w", err)
		}
		e.uvarint(n)
	}
	e.uvarint(uint64(len(ix.postings)))
	for id := range ix.terms {
		ps := ix.postings[ix.start[id]:ix.start[id+1]]
		e.uvarint(uint64(len(ps)))
		prev := int32(0)
		for _, p := range ps {
			tf, err := countOf(p.tf)
			if err != nil {
				return fmt.Errorf("term frequency: %w", err)
			}
			gap := uint64(p.doc - prev)
			prev = p.doc
			if tf == 1 {
				e.uvarint(gap << 1)
			} else {
				e.uvarint(gap<<1 | 1)
				e.uvarint(tf)
			}
		}
	}
	return nil
}

// countOf is f as a count; the index holds only counts as float32s.
func countOf(f float32) (uint64, error) {
	if f < 0 || f != float32(uint32(f)) {
		return 0, fmt.Errorf("%v is not a count", f)
	}
	return uint64(f), nil
}

func decodeBM25(d *dec) *bm25 {
	ix := &bm25{k1: 1.2, b: 0.6}
	nTerms := d.count(1)
	block := string(d.take(d.uvarint()))
	ix.terms = make([]string, nTerms)
	ix.ids = make(map[string]int32, nTerms)
	off := 0
	for id := range ix.terms {
		n := int(d.uvarint())
		if d.err != nil || n > len(block)-off {
			d.fail()
			return ix
		}
		ix.terms[id] = block[off : off+n]
		ix.ids[ix.terms[id]] = int32(id)
		off += n
	}
	if off != len(block) || len(ix.ids) != nTerms {
		d.fail()
		return ix
	}
	ix.docLen = make([]float32, d.count(1))
	for i := range ix.docLen {
		ix.docLen[i] = float32(d.uvarint())
	}
	ix.start = make([]int32, nTerms+1)
	total := d.count(1) // a posting takes a byte or more
	if d.err != nil || total > math.MaxInt32 {
		d.fail()
		return ix
	}
	ix.postings = make([]posting, 0, total)
	b, off := d.b, d.off
	nDocs := int32(len(ix.docLen))
	for id := range ix.terms {
		ix.start[id] = int32(len(ix.postings))
		n, k := binary.Uvarint(b[off:])
		if k <= 0 || n > uint64(len(b)-off) {
			d.fail()
			return ix
		}
		off += k
		doc := int32(0)
		for range n {
			v, k := binary.Uvarint(b[off:])
			if k <= 0 {
				d.fail()
				return ix
			}
			off += k
			tf := float32(1)
			if v&1 != 0 {
				t, k := binary.Uvarint(b[off:])
				if k <= 0 {
					d.fail()
					return ix
				}
				off += k
				tf = float32(t)
			}
			gap := v >> 1
			if gap >= uint64(nDocs) || int64(doc)+int64(gap) >= int64(nDocs) || (gap == 0 && len(ix.postings) > int(ix.start[id])) ||
				len(ix.postings) == total {
				d.fail()
				return ix
			}
			doc += int32(gap)
			ix.postings = append(ix.postings, posting{doc: doc, tf: tf})
		}
	}
	d.off = off
	if len(ix.postings) != total {
		d.fail()
		return ix
	}
	ix.start[nTerms] = int32(total)
	ix.setAvgLen()
	return ix
}

// encodeVectors writes the flat copy as raw float32s: dimension, count,
// then the rows.
func encodeVectors(f *flatVectors) []byte {
	b := make([]byte, 0, len(vectorsMagic)+8+4*len(f.data))
	b = append(b, vectorsMagic...)
	b = binary.LittleEndian.AppendUint32(b, uint32(f.dim))
	b = binary.LittleEndian.AppendUint32(b, uint32(f.len()))
	for _, x := range f.data {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

func decodeVectors(raw []byte) (*flatVectors, error) {
	d := &dec{b: raw}
	d.magic(vectorsMagic)
	head := d.take(8)
	if d.err != nil {
		return nil, d.err
	}
	dim, n := binary.LittleEndian.Uint32(head), binary.LittleEndian.Uint32(head[4:])
	if (dim == 0) != (n == 0) || uint64(dim)*uint64(n)*4 != uint64(len(raw)-d.off) {
		return nil, errMalformed
	}
	f := &flatVectors{dim: int(dim), data: make([]float32, int(dim)*int(n))}
	body := raw[d.off:]
	for i := range f.data {
		f.data[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:]))
	}
	return f, nil
}
