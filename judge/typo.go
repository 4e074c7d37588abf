package judge

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"github.com/minsheng/minsheng/retrieval"
)

// typoIndex corrects homophone typos of pinyin input (养劳金 → 养老金,
// 浑楠 → 浑南, 鞍杉市 → 鞍山市): a word of the question that neither the
// documents nor the dictionary know is replaced by a word of the documents,
// the thesaurus or the gazetteer's place names with the same toneless
// pinyin that shares at least half its characters.
type typoIndex struct {
	// written reports whether the documents write a piece of text as it
	// is: then it is no typo (三事 is not 三实); nil for none.
	written func(string) bool
	known   map[string]bool
	df      map[string]int
	// places are the gazetteer's names among known: a place name may
	// hold a character that is elsewhere grammar (沙河口 typed 沙和口).
	places   map[string]bool
	byPinyin map[string][]string
}

// maxTypoRunes is the longest word corrected: five characters reach the
// thesaurus's longer terms (适老话改造 → 适老化改造), whose shorter parts
// the segmenter may not keep whole (适 老化 改造).
const maxTypoRunes = 5

func newTypoIndex(vocab map[string]int, names []string, written func(string) bool) *typoIndex {
	t := &typoIndex{written: written, known: map[string]bool{}, df: map[string]int{}, places: map[string]bool{}, byPinyin: map[string][]string{}}
	add := func(w string, df int) {
		r := []rune(w)
		if len(r) < 2 || len(r) > maxTypoRunes || !allHan(r) || t.known[w] {
			return
		}
		t.known[w], t.df[w] = true, df
		k := fuzzyPinyin(pinyinKey(w))
		t.byPinyin[k] = append(t.byPinyin[k], w)
	}
	for w, n := range vocab {
		// Segments the dictionary does not know and only one passage has
		// are as likely cutting debris as words to correct towards.
		if n >= 2 || dictionaryWord(w) {
			add(w, n)
		}
	}
	for _, n := range names {
		f := retrieval.Fold(n)
		add(f, 1)
		t.places[f] = true
	}
	// The thesaurus's words are what people mean even when no document
	// uses them (长期护里险 is 长期护理险).
	for _, w := range retrieval.Words() {
		add(w, 1)
	}
	return t
}

func allHan(r []rune) bool {
	for _, c := range r {
		if !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	return true
}

// pinyinKey is the toneless pinyin of w. go-pinyin converts a character
// at a time through regular expressions, so each character's syllable is
// kept once it is known: the index is built from thousands of words
// sharing a few thousand characters.
func pinyinKey(w string) string {
	var b strings.Builder
	for _, r := range w {
		syl, ok := syllables.Load(r)
		if !ok {
			syl = strings.Join(pinyin.LazyConvert(string(r), nil), "")
			syllables.Store(r, syl)
		}
		b.WriteString(syl.(string))
	}
	return b.String()
}

// maxReadings bounds the readings of a typed word tried (each character
// with several: 藏 is cang and zang): a window of five such characters
// would otherwise try hundreds.
const maxReadings = 8

// pinyinKeys are the toneless pinyin of w in every reading of its
// characters, the usual one first: a typist who means 海葬 (haizang) and
// picks 藏 typed zang, not the cang go-pinyin reads by default.
func pinyinKeys(w string) []string {
	keys := []string{""}
	for _, r := range w {
		rs, ok := readings.Load(r)
		if !ok {
			a := pinyin.NewArgs()
			a.Heteronym = true
			var syl []string
			if ps := pinyin.Pinyin(string(r), a); len(ps) == 1 {
				for _, p := range ps[0] {
					if !slices.Contains(syl, p) {
						syl = append(syl, p)
					}
				}
			}
			rs = syl
			readings.Store(r, syl)
		}
		syl := rs.([]string)
		if len(syl) == 0 || len(keys)*len(syl) > maxReadings {
			syl = []string{pinyinKey(string(r))}
		}
		next := make([]string, 0, len(keys)*len(syl))
		for _, k := range keys {
			for _, p := range syl {
				next = append(next, k+p)
			}
		}
		keys = next
	}
	if def := pinyinKey(w); len(keys) == 0 || keys[0] != def {
		keys = append([]string{def}, slices.DeleteFunc(keys, func(k string) bool { return k == def })...)
	}
	return keys
}

// readings caches each character's toneless readings (rune → []string).
var readings sync.Map

// fuzzyPinyin folds the sounds pinyin typists most often confuse, as
// input methods' 模糊音 do: -ng and -n (高林 for 高龄), zh/ch/sh and z/c/s.
// Candidates must still share half their characters with the typo.
func fuzzyPinyin(p string) string { return fuzzy.Replace(p) }

var fuzzy = strings.NewReplacer("zh", "z", "ch", "c", "sh", "s", "ng", "n")

// minFuzzyDF is how many passages a word must be in to be the meaning of
// a typo that sounds like it only with sounds folded (-ng/-n, zh/z).
const minFuzzyDF = 2

// nounSuffixes end the word before them in speech (站子, 院子, 老头儿):
// a window starting with one is no typo.
const nounSuffixes = "子儿"

// numeralChars start a count and its measure word (一平, 两顿, 每平).
const numeralChars = "一二两三四五六七八九十几每半"

// syllables caches each character's toneless pinyin (rune → string).
var syllables sync.Map

// correctPasses bounds the passes of correct: a word typed with two
// sound-alikes (高领津帖) is mended one part at a time, 津帖 → 津贴 in the
// first pass and 高领津贴 → 高龄津贴 in the next; a corrected word is known,
// so a third pass finds nothing.
const correctPasses = 2

// correct returns folded text with typos replaced, and what was replaced.
func (t *typoIndex) correct(folded string) (string, map[string]string) {
	var fixed map[string]string
	for range correctPasses {
		out, more := t.correctOnce(folded)
		if len(more) == 0 {
			break
		}
		if fixed == nil {
			fixed = map[string]string{}
		}
		for w, c := range more {
			// what was typed, not a half-mended word: 高领津帖 → 高龄津贴,
			// not 高领津贴 → 高龄津贴 beside 津帖 → 津贴
			for pw, pc := range fixed {
				if pc != c && strings.Contains(w, pc) {
					w = strings.Replace(w, pc, pw, 1)
					delete(fixed, pw)
				}
			}
			fixed[w] = c
		}
		folded = out
	}
	return folded, fixed
}

// measureChars follow a count written in digits (25年, 80岁, 10个): the
// first character of a run after digits belongs to the number, so no typo
// window starts there (25年低宝 is 25年 + 低宝, not 年底 + 宝).
const measureChars = "年月日岁个元户人万亿天周号次名所张平"

// correctOnce is one pass of correct.
func (t *typoIndex) correctOnce(folded string) (string, map[string]string) {
	var fixed map[string]string
	var b strings.Builder
	run := []rune{}
	afterDigit := false
	flush := func() {
		fixed = t.correctPlaces(fixed, run)
		for i := 0; i < len(run); {
			step := 1
			for n := min(maxTypoRunes, len(run)-i); n >= 2; n-- {
				w := string(run[i : i+n])
				if strings.ContainsAny(w, functionChars) && !endTypo(run, i, n) {
					continue // 有几类 is no typo of 有机类
				}
				if i > 0 && strings.ContainsRune(nounSuffixes, run[i]) {
					continue // 站子建 is 站子 + 建: 子建 is no typo of 自建
				}
				if c := t.best(w); !t.known[w] && c != "" && t.places[c] && strangePlace(w) {
					// A place name the dictionary knows but no gazetteer
					// entry holds is a typed city (安山 for 鞍山).
					fixed = t.fix(fixed, run, i, w, c)
					step = n
					break
				}
				if t.known[w] || dictionaryWord(w) || retrieval.IsStopword(w) {
					step = n
					break
				}
				if i == 0 && afterDigit && strings.ContainsRune(measureChars, run[0]) {
					continue // 年低 of 25年低宝: 年 is the count's
				}
				if n == 2 && strings.ContainsRune(numeralChars, run[i]) {
					step = n // a count and its measure (一平: a square metre) is no typo of 一品
					break
				}
				if p := t.knownPrefix(run[i : i+n]); p != "" {
					// 大连失业 starts with 大连: no typo of 大连市. Yet a
					// word that keeps the prefix and differs in one
					// sound-alike character after it is (居住正 → 居住证).
					// (not where the window's last character starts a
					// word: 补贴今年 is no 补贴金)
					// So is a longer one (适老话改造 → 适老化改造).
					if c := t.best(w); (n == 3 || (n >= 4 && sharedRunes(w, c) == n-1)) && c != "" && strings.HasPrefix(c, p) && !t.knownOverlap(run, i, n, false) && !startsWord(run, i+n-1) && !t.typoAt(run, i+n-1) {
						fixed = t.fix(fixed, run, i, w, c)
						step = n
						break
					}
					// A term of four or five characters whose first word is
					// typed as another dictionary word (高领津贴: 高领 is a
					// collar) is that term, when only that sound differs.
					if c := t.best(w); n >= 4 && c != "" && !strings.HasPrefix(c, p) && sharedRunes(w, c) == n-1 && !t.knownOverlap(run, i, n, false) {
						fixed = t.fix(fixed, run, i, w, c)
						step = n
						break
					}
					continue
				}
				// 领育 of 能领育儿补贴 ends inside 育儿: no typo of 领域; a two-
				// character window is not even corrected across a word only
				// the dictionary knows (打肺 of 打肺炎疫苗 is no 打非).
				if t.knownOverlap(run, i, n, n == 2) {
					continue
				}
				if t.written != nil && t.written(w) {
					continue // the documents write it so: 三事 is no typo of 三实
				}
				// 做适 of 做适老花改造 sounds like 做实, but 适老花改造 is the
				// typo: a longer one starting inside the window wins.
				if n == 2 && !t.places[t.best(w)] && t.typoAt(run, i+1) {
					continue
				}
				if c := t.best(w); c != "" {
					fixed = t.fix(fixed, run, i, w, c)
					step = n
					break
				}
			}
			i += step
		}
		b.WriteString(string(run))
		run = run[:0]
	}
	for _, r := range folded {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
			continue
		}
		flush()
		afterDigit = unicode.IsDigit(r)
		b.WriteRune(r)
	}
	flush()
	return b.String(), fixed
}

// correctPlaces corrects place names of three characters or more typed
// with one sound-alike character (沙和口 and 沙合口 for 沙河口), before
// the word-by-word pass: that pass leaves a window holding a particle
// (和) alone, and one whose last character starts a known word (区 of
// 区政府). A place name is long and rare enough that a window sounding
// like it and differing in one character is it.
func (t *typoIndex) correctPlaces(fixed map[string]string, run []rune) map[string]string {
	for n := min(maxTypoRunes, len(run)); n >= 3; n-- {
		for i := 0; i+n <= len(run); i++ {
			w := string(run[i : i+n])
			// 大连失业 starts with 大连: 大连失 is no typo of 大连市; nor is
			// 阳全市 of 沈阳全市 one of 阳泉市.
			// Nor is 是城乡 (of 我妈是城乡居民) one of 石城乡: all but its
			// first character is written in the documents (anywhere, not
			// only as a whole word), so the window reads on as such.
			if t.known[w] || dictionaryWord(w) || (t.written != nil && t.written(w)) || t.placePrefixed(run[i:i+n], run, i+n-1) || t.knownInto(run, i) ||
				(t.written != nil && t.written(string(run[i+1:i+n]))) {
				continue
			}
			for _, c := range t.byPinyin[fuzzyPinyin(pinyinKey(w))] {
				if t.places[c] && utf8.RuneCountInString(c) == n && sharedRunes(w, c) == n-1 {
					fixed = t.fix(fixed, run, i, w, c)
					break
				}
			}
		}
	}
	return fixed
}

// typoAt reports whether a window of three characters or more starting
// at run[j] is a typo the index would correct.
func (t *typoIndex) typoAt(run []rune, j int) bool {
	for n := min(maxTypoRunes, len(run)-j); n >= 3; n-- {
		w := string(run[j : j+n])
		if t.known[w] || dictionaryWord(w) || strings.ContainsAny(w, functionChars) || t.knownPrefix(run[j:j+n]) != "" ||
			t.knownOverlap(run, j, n, false) || (t.written != nil && t.written(w)) {
			continue
		}
		if c := t.best(w); c != "" && sharedRunes(w, c) == n-1 {
			return true
		}
	}
	return false
}

// knownInto reports whether a known word of two characters or more starts
// before run[i] and ends inside the window starting there.
func (t *typoIndex) knownInto(run []rune, i int) bool {
	for j := max(0, i-maxTypoRunes+1); j < i; j++ {
		for k := i + 1; k <= min(len(run), j+maxTypoRunes); k++ {
			if k-j >= 2 && t.known[string(run[j:k])] {
				return true
			}
		}
	}
	return false
}

// placePrefixed reports whether window w starts with a known word that
// leaves it no place typo: a place itself (大连失业, 大连适老话改造: 大连 is
// whole), or a word the dictionary starts at run[j], the window's last
// character (失业 of 大连失业). A word that is no place, before a last
// character starting no word, is a place name's start (哈尔 of 哈尔宾).
func (t *typoIndex) placePrefixed(w, run []rune, j int) bool {
	p := t.knownPrefix(w)
	return p != "" && (t.places[p] || startsWord(run, j))
}

// startsWord reports whether a word the dictionary knows starts at run[j]
// and runs past it.
func startsWord(run []rune, j int) bool {
	for k := 2; k <= maxTypoRunes && j+k <= len(run); k++ {
		if dictionaryWord(string(run[j : j+k])) {
			return true
		}
	}
	return false
}

// fix writes c over the window w at run[i:], noting it in fixed.
func (t *typoIndex) fix(fixed map[string]string, run []rune, i int, w, c string) map[string]string {
	if fixed == nil {
		fixed = map[string]string{}
	}
	fixed[w] = c
	copy(run[i:i+len([]rune(c))], []rune(c))
	return fixed
}

// endChars are function characters that never end what is typed: the
// passive 被 comes before its verb, 们 after a person (我们, known whole).
// Last in a run (装什么设被, 几点开们) each is a sound-alike typed for a
// content word's last character (设备, 开门).
const endChars = "被们"

// endTypo reports whether the window of n characters at run[i] is two
// characters ending the run with one of endChars after a content character.
func endTypo(run []rune, i, n int) bool {
	return n == 2 && i+n == len(run) && strings.ContainsRune(endChars, run[i+1]) && !strings.ContainsRune(functionChars, run[i])
}

// functionChars are question words and particles: a window holding one
// is the asker's grammar, not a misspelt term.
const functionChars = "几多吗呢么啥咋怎哪谁的了是在有不没要能会给把被就都也还又和与及或这那我你他她它们个些"

// knownPrefix is the known word shorter than the window it starts, ""
// for none: the window then straddles that word and the next.
func (t *typoIndex) knownPrefix(w []rune) string {
	for k := 2; k < len(w); k++ {
		p := string(w[:k])
		if t.known[p] || dictionaryWord(p) {
			return p
		}
	}
	return ""
}

// knownOverlap reports whether a known word of the documents (with
// dictionary, any noun the dictionary knows) starts inside the window
// run[i:i+n] and ends after it: the window's last characters belong to
// that word, and correcting the window would break it.
func (t *typoIndex) knownOverlap(run []rune, i, n int, dictionary bool) bool {
	for j := i + 1; j < i+n; j++ {
		for k := 2; k <= maxTypoRunes && j+k <= len(run); k++ {
			if j+k <= i+n {
				continue // inside the window: the window may still be a typo
			}
			// Only words the documents, the thesaurus or the gazetteer
			// use: the general dictionary knows 金发, and 养劳金发放 is
			// still 养老金发放. A two-character window is not corrected
			// across any dictionary word either: 区现 of 市区现在 is no
			// 区县, whatever part of speech 现在 is.
			if w := string(run[j : j+k]); t.known[w] || (dictionary && dictionaryWord(w)) {
				return true
			}
		}
	}
	return false
}

// strangePlace reports whether the dictionary tags w a place name (ns).
func strangePlace(w string) bool {
	pos, ok := retrieval.WordPOS(w)
	return ok && pos == "ns"
}

// dictionaryWord reports whether the segmenter knows w as a word, so it is
// no typo even if the documents never use it.
func dictionaryWord(w string) bool {
	_, ok := retrieval.WordPOS(w)
	return ok
}

// spelled is the word of the documents most used among those whose pinyin
// is latin, "" for none.
func (t *typoIndex) spelled(latin string) string {
	best, bestDF := "", 0
	for _, c := range t.byPinyin[fuzzyPinyin(latin)] {
		if t.df[c] > bestDF {
			best, bestDF = c, t.df[c]
		}
	}
	return best
}

// sharedRunes counts the positions where a and b have the same character.
func sharedRunes(a, b string) int {
	ar, br := []rune(a), []rune(b)
	n := 0
	for i := range min(len(ar), len(br)) {
		if ar[i] == br[i] {
			n++
		}
	}
	return n
}

// best is the document word w was most likely meant as, or "".
func (t *typoIndex) best(w string) string {
	keys := pinyinKeys(w)
	var cands []string
	var folded []string
	for _, k := range keys {
		// two readings may fold to one key (zh/z): its words once
		if f := fuzzyPinyin(k); !slices.Contains(folded, f) {
			folded = append(folded, f)
			cands = append(cands, t.byPinyin[f]...)
		}
	}
	r := []rune(w)
	best, bestShared, bestDF := "", 0, 0
	for _, c := range cands {
		cr := []rune(c)
		if len(cr) != len(r) {
			continue
		}
		shared := 0
		for i := range r {
			if r[i] == cr[i] {
				shared++
			}
		}
		if shared*2 < len(r) || shared == len(r) {
			continue
		}
		// Sounds folded alike (想照 and 先照 by -ng/-n) point to a word one
		// passage uses only when it is a place or a policy term: a rare
		// word is no likelier meant than the asker's own.
		if t.df[c] < minFuzzyDF && !t.places[c] && !retrieval.InThesaurus(c) && !slices.Contains(keys, pinyinKey(c)) {
			continue
		}
		// A word matched only in another reading of the typed characters
		// (海藏 read haizang for 海葬) must be one the documents write: 家
		// read jie would make 我家孩子 the thesaurus's 接孩子.
		if fuzzyPinyin(pinyinKey(c)) != fuzzyPinyin(keys[0]) && (t.written == nil || !t.written(c)) {
			continue
		}
		// Ties go to a place or a policy term (植树 over 指数 for 植数), then
		// to the smaller string: candidates come from a map, and the same question
		// must read the same way in every process.
		if shared > bestShared || (shared == bestShared && (t.df[c] > bestDF ||
			(t.df[c] == bestDF && t.preferredTie(c, best)))) {
			best, bestShared, bestDF = c, shared, t.df[c]
		}
	}
	return best
}

// preferredTie reports whether candidate c wins a tie against the best so
// far: a place (鞍山 for 安山), then a policy term, over another word, else
// the smaller string.
func (t *typoIndex) preferredTie(c, best string) bool {
	if best == "" {
		return true
	}
	if pc, pb := t.places[c], t.places[best]; pc != pb {
		return pc
	}
	if pc, pb := retrieval.IsPolicyTerm(c), retrieval.IsPolicyTerm(best); pc != pb {
		return pc
	}
	return c < best
}

// asTyped undoes corrections in text: each word read is put back as it
// was typed (养老金 → 养劳金), for cues that must be read as written.
// Longer words go first, and ties in order, so the result does not depend
// on the map's order.
func asTyped(text string, corrected map[string]string) string {
	typos := slices.SortedFunc(maps.Keys(corrected), func(a, b string) int {
		if n := len(corrected[b]) - len(corrected[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	for _, typed := range typos {
		text = strings.ReplaceAll(text, corrected[typed], typed)
	}
	return text
}
