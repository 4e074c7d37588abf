package retrieval

import (
	"bytes"
	"math"
	"slices"
	"testing"
	"unicode/utf8"
)

// TestLazySegmenterMatchesFull checks that a segmenter loading its
// dictionary from a snapshot, piece by piece, cuts, weighs and tags every
// text as one that loaded the whole dictionary.
func TestLazySegmenterMatchesFull(t *testing.T) {
	ix := seedIndex(t) // loads the full dictionary into sharedSeg
	full := sharedSeg
	var buf bytes.Buffer
	if err := full.writeSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	snap, err := readSnapshot(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	lazy := &segmenter{added: map[string]bool{}}
	lazy.useSnapshot(snap)
	// The domain words full learnt after its dictionary, in its order:
	// the thesaurus (useSnapshot adds it), then the seed regions.
	if err := lazy.addWords(ix.regionWords()); err != nil {
		t.Fatal(err)
	}
	if got := lazy.lazy.snap.total; got != full.dictTotal {
		t.Fatalf("snapshot total %v, dictionary %v", got, full.dictTotal)
	}
	// Looked up before any group is loaded, added words and dictionary
	// words alike answer as in the full dictionary.
	fresh := &segmenter{added: map[string]bool{}}
	fresh.useSnapshot(snap)
	if err := fresh.addWords(ix.regionWords()); err != nil {
		t.Fatal(err)
	}
	for w := range full.added {
		_, last := utf8.DecodeLastRuneInString(w)
		for _, x := range []string{w, w[:len(w)-last], w + "人"} {
			lpos, lok := fresh.wordPOS(x)
			fpos, fok := full.wordPOS(x)
			if lpos != fpos || lok != fok {
				t.Fatalf("word %q before loading: lazy %q %v, full %q %v", x, lpos, lok, fpos, fok)
			}
		}
	}
	if len(fresh.lazy.loaded) != 0 {
		t.Fatalf("looking words up loaded %d groups", len(fresh.lazy.loaded))
	}
	var texts []string
	for _, q := range devQuestions(t) {
		texts = append(texts, Fold(q))
	}
	texts = append(texts, ix.folded...)
	texts = append(texts, "app申请 WiFi 2025年低保850元", "")
	for _, text := range texts {
		if a, b := lazy.words(text), full.words(text); !slices.Equal(a, b) {
			t.Fatalf("words of %q:\nlazy %q\nfull %q", text, a, b)
		}
		if a, b := lazy.cutWords(text), full.cutWords(text); !slices.Equal(a, b) {
			t.Fatalf("cut of %q:\nlazy %v\nfull %v", text, a, b)
		}
		lt, ft := lazy.seg.Dict.TotalFreq(), full.seg.Dict.TotalFreq()
		if math.Float64bits(lt) != math.Float64bits(ft) {
			t.Fatalf("after %q: total frequency %v, full %v", text, lt, ft)
		}
	}
	// Every word of the full dictionary, and every added word, is found
	// with the same frequency and part of speech.
	for i := range full.seg.Dict.Tokens {
		tok := &full.seg.Dict.Tokens[i]
		w := tok.Text()
		lpos, lok := lazy.wordPOS(w)
		fpos, fok := full.wordPOS(w)
		lazy.ready(w)
		lf, _, _ := lazy.seg.Find(w)
		lazy.mu.RUnlock()
		ff, _, _ := full.seg.Find(w)
		if lpos != fpos || lok != fok || lf != ff {
			t.Fatalf("word %q: lazy %v %q %v, full %v %q %v", w, lf, lpos, lok, ff, fpos, fok)
		}
	}
	if lt, ft := lazy.seg.Dict.TotalFreq(), full.seg.Dict.TotalFreq(); lt != ft {
		t.Fatalf("total frequency %v, full %v", lt, ft)
	}
	// A lazy segmenter writes back the snapshot it read.
	var again bytes.Buffer
	if err := lazy.writeSnapshot(&again); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Fatalf("snapshot written back differs (%v)", err)
	}
}

func TestReadSnapshotRejectsDamage(t *testing.T) {
	for _, raw := range [][]byte{nil, []byte("nonsense"), []byte(snapMagic + "\x00\x00\x00\x00\x00\x00\xf0\x3f\xff\xff\x00\x00")} {
		if _, err := readSnapshot(raw); err == nil {
			t.Fatalf("%q was read as a snapshot", raw)
		}
	}
}
