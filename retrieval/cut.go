package retrieval

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// cutSearch gives what gse's CutSearch(text, true) gives: the dictionary
// walk (the most probable path through every dictionary word found at
// each character), unknown runs cut by gse's HMM, then the two- and
// three-character dictionary words inside each word. gse builds a map per
// text for its word graph and its routes and turns every candidate into a
// new string; at 100,000 passages that was most of an index build. This
// walk looks the same candidates up as byte ranges of one copy of the
// text, in slices, and returns pieces of the text itself.
// TestCutSearchMatchesGse checks that the two agree.
func cutSearch(seg *gse.Segmenter, text string) []string {
	if gse.ToLower {
		text = strings.ToLower(text)
	}
	if !utf8.ValidString(text) {
		// gse reads invalid bytes as U+FFFD; folded text has none.
		return seg.CutSearch(text, true)
	}
	b := []byte(text)
	// off[k] is where the k-th character starts; off[n] = len(b).
	off := make([]int, 0, len(b)+1)
	for i := range text {
		off = append(off, i)
	}
	n := len(off)
	off = append(off, len(b))
	find := func(from, to int) (float64, bool) { // characters from..to-1
		freq, _, ok := seg.Dict.Find(b[off[from]:off[to]])
		return freq, ok
	}

	// The word graph: ends[start[k]:start[k+1]] are the last characters
	// of the dictionary words starting at character k, shortest first, or
	// k alone when there is none. freqs are what gse's route finding looks
	// up for each: the word's frequency, or for the lone character its
	// frequency when the dictionary has it as a prefix (0) and 1 when not.
	start := make([]int32, n+1)
	ends := make([]int32, 0, 2*n)
	freqs := make([]float64, 0, 2*n)
	for k := 0; k < n; k++ {
		start[k] = int32(len(ends))
		lone := 1.0
		for i := k; i < n; i++ {
			freq, ok := find(k, i+1)
			if !ok {
				break
			}
			if i == k {
				lone = freq
			}
			if freq > 0 {
				ends = append(ends, int32(i))
				freqs = append(freqs, freq)
			}
		}
		if len(ends) == int(start[k]) {
			ends = append(ends, int32(k))
			freqs = append(freqs, lone)
		}
	}
	start[n] = int32(len(ends))
	// isWord reports whether characters k..e, two or more, form a
	// dictionary word (a lone character's entry is no word).
	isWord := func(k, e int) bool {
		for _, x := range ends[start[k]:start[k+1]] {
			if int(x) == e {
				return e > k
			}
		}
		return false
	}

	// The best route from each character to the end, as gse's calc
	// computes it, ties going to the longer word.
	type route struct {
		freq  float64
		index int
	}
	rs := make([]route, n+1)
	logT := math.Log(seg.Dict.TotalFreq())
	for idx := n - 1; idx >= 0; idx-- {
		for j, e := range ends[start[idx]:start[idx+1]] {
			i := int(e)
			f := math.Log(freqs[int(start[idx])+j]) - logT + rs[i+1].freq
			r := route{freq: f, index: i}
			if j == 0 {
				rs[idx] = r
			} else if v := rs[idx]; v.freq < r.freq || (v.freq == r.freq && v.index < r.index) {
				rs[idx] = r
			}
		}
	}

	// Runs of single characters go to the HMM unless the run is itself a
	// dictionary entry (gse's cutDAG). at[i] is where words[i] starts, in
	// characters, or -1 when an HMM cut did not keep the run's characters
	// in order.
	words := make([]string, 0, n/2+1)
	at := make([]int, 0, n/2+1)
	flush := func(from, to int) {
		switch {
		case to-from == 1:
			words = append(words, text[off[from]:off[to]])
			at = append(at, from)
		case to-from > 1:
			run := text[off[from]:off[to]]
			if freq, ok := find(from, to); !ok || freq == 0 {
				cut := hmmCut(seg, run)
				if strings.Join(cut, "") != run {
					for _, w := range cut {
						words = append(words, w)
						at = append(at, -1)
					}
					return
				}
				k := from
				for _, w := range cut {
					words = append(words, w)
					at = append(at, k)
					k += utf8.RuneCountInString(w)
				}
			} else {
				for k := from; k < to; k++ {
					words = append(words, text[off[k]:off[k+1]])
					at = append(at, k)
				}
			}
		}
	}
	single := -1 // where the current run of single characters began
	for x := 0; x < n; {
		y := rs[x].index + 1
		if y-x == 1 {
			if single < 0 {
				single = x
			}
		} else {
			if single >= 0 {
				flush(single, x)
				single = -1
			}
			words = append(words, text[off[x]:off[y]])
			at = append(at, x)
		}
		x = y
	}
	if single >= 0 {
		flush(single, n)
	}

	// Search mode: each word's two- and three-character dictionary words,
	// then the word. Inside the text they were looked up for the graph.
	out := make([]string, 0, len(words)*2)
	for wi, w := range words {
		var wo [32]int // character offsets within w
		o := wo[:0]
		for i := range w {
			o = append(o, i)
		}
		m := len(o)
		o = append(o, len(w))
		for _, incr := range []int{2, 3} {
			if m <= incr {
				continue
			}
			for i := 0; i+incr <= m; i++ {
				g := w[o[i]:o[i+incr]]
				var word bool
				if k := at[wi]; k >= 0 {
					word = isWord(k+i, k+i+incr-1)
				} else {
					freq, _, ok := seg.Dict.Find([]byte(g))
					word = ok && freq > 0
				}
				if word {
					out = append(out, g)
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// hmmCut gives what gse's HMMCut gives: each run of Han characters cut by
// its HMM, each decimal figure or run of ASCII letters and digits whole,
// and what lies between them as it is. gse finds these runs with two
// regular expressions over the rest of the text at every step, which cost
// more than the HMM itself on passages full of figures and brackets.
func hmmCut(seg *gse.Segmenter, text string) []string {
	var out []string
	for text != "" {
		hs, he := hanRun(text)
		if hs == 0 {
			run := text[:he]
			if _, size := utf8.DecodeRuneInString(run); size == len(run) {
				out = append(out, run) // the HMM keeps one character whole
			} else {
				out = append(out, seg.HMMCut(run)...)
			}
			text = text[he:]
			continue
		}
		as, ae := alnumRun(text)
		if as == 0 {
			out = append(out, text[:ae])
			text = text[ae:]
			continue
		}
		if hs < 0 && as < 0 {
			out = append(out, text)
			break
		}
		next := as
		if hs >= 0 && (as < 0 || hs < as) {
			next = hs
		}
		out = append(out, text[:next])
		text = text[next:]
	}
	return out
}

// hanRun is where the first run of Han characters in s starts and ends,
// -1 when s has none: gse's \p{Han}+.
func hanRun(s string) (int, int) {
	start := -1
	for i, r := range s {
		han := unicode.Is(unicode.Han, r)
		switch {
		case han && start < 0:
			start = i
		case !han && start >= 0:
			return start, i
		}
	}
	if start < 0 {
		return -1, -1
	}
	return start, len(s)
}

// alnumRun is the first match of gse's (\d+\.\d+|[a-zA-Z0-9]+) in s, -1
// when none: at the first ASCII letter or digit, a decimal figure if one
// starts there (the first alternative wins), else the letters and digits.
func alnumRun(s string) (int, int) {
	start := -1
	for i := 0; i < len(s); i++ {
		if isASCIIAlnum(s[i]) {
			start = i
			break
		}
	}
	if start < 0 {
		return -1, -1
	}
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	if d := digits(start); d > start && d < len(s) && s[d] == '.' {
		if e := digits(d + 1); e > d+1 {
			return start, e
		}
	}
	end := start
	for end < len(s) && isASCIIAlnum(s[end]) {
		end++
	}
	return start, end
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
