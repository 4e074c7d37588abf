package retrieval

import (
	"sort"
	"strings"
)

// regionIndex resolves a region named by a person (--region, /region) to
// catalog regions, by full name (浑南区), short name (浑南) or path. Places
// in questions are read by the judging package's gazetteer.
type regionIndex struct {
	names []regionName // longest first
}

type regionName struct {
	alias string
	// paths are every region the alias names: two cities can each have a
	// 和平区.
	paths [][]string // e.g. [辽宁省 沈阳市 浑南区]
}

var adminSuffixes = []string{"特别行政区", "自治区", "自治州", "新区", "省", "市", "区", "县", "旗", "盟"}

func shortName(name string) string {
	for _, s := range adminSuffixes {
		if short, ok := strings.CutSuffix(name, s); ok && len([]rune(short)) >= 2 {
			return short
		}
	}
	return name
}

func newRegionIndex(paths [][]string) *regionIndex {
	ri := &regionIndex{}
	byAlias := map[string]int{} // alias → index in ri.names
	seenPath := map[string]bool{}
	for _, p := range paths {
		for i := range p {
			sub := append([]string(nil), p[:i+1]...)
			for _, alias := range []string{p[i], shortName(p[i])} {
				alias = Fold(alias)
				key := alias + "\x00" + RegionName(sub)
				if seenPath[key] {
					continue
				}
				seenPath[key] = true
				if j, ok := byAlias[alias]; ok {
					ri.names[j].paths = append(ri.names[j].paths, sub)
					continue
				}
				byAlias[alias] = len(ri.names)
				ri.names = append(ri.names, regionName{alias: alias, paths: [][]string{sub}})
			}
		}
	}
	sort.Slice(ri.names, func(i, j int) bool { return len(ri.names[i].alias) > len(ri.names[j].alias) })
	return ri
}

// find returns the catalog regions a folded text names (a document's title
// at ingest), by full or short name.
func (ri *regionIndex) find(folded string) [][]string {
	var known [][]string
	rest := folded
	for _, n := range ri.names {
		if strings.Contains(rest, n.alias) {
			known = append(known, n.paths...)
			rest = strings.ReplaceAll(rest, n.alias, " ")
		}
	}
	return known
}

// resolve finds catalog regions by name (full or short), for --region. A
// path such as 辽宁省›沈阳市›和平区 picks the one region it spells out.
func (ri *regionIndex) resolve(name string) ([][]string, bool) {
	name = Fold(strings.TrimSpace(name))
	for _, sep := range []string{"›", ">", "/", " "} {
		if !strings.Contains(name, sep) {
			continue
		}
		var parts []string
		for _, p := range strings.Split(name, sep) {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			return nil, false
		}
		cands, ok := ri.resolve(parts[len(parts)-1])
		if !ok {
			return nil, false
		}
		for _, c := range cands {
			if len(c) >= len(parts) && suffixMatches(c, parts) {
				return [][]string{c}, true
			}
		}
		return nil, false
	}
	for _, n := range ri.names {
		if n.alias == name {
			return n.paths, true
		}
	}
	return nil, false
}

// suffixMatches reports whether the last levels of path are parts, each by
// full or short name.
func suffixMatches(path, parts []string) bool {
	off := len(path) - len(parts)
	for i, p := range parts {
		got := Fold(path[off+i])
		if got != p && shortName(got) != p {
			return false
		}
	}
	return true
}

// Within reports whether region path doc lies inside (or is) region path r.
func Within(doc, r []string) bool { return within(doc, r) }

// within reports whether doc region path lies inside region path r.
func within(doc, r []string) bool {
	if len(r) > len(doc) {
		return false
	}
	for i := range r {
		if doc[i] != r[i] {
			return false
		}
	}
	return true
}
