package retrieval

import (
	"sort"
	"strings"
)

// regionIndex recognises places in a question. Catalog regions are matched
// by full name (浑南区) and by short name (浑南); other known places only
// tell that the question is about somewhere the documents do not cover.
type regionIndex struct {
	names   []regionName // longest first
	foreign []string
}

type regionName struct {
	alias string
	path  []string // e.g. 辽宁省 沈阳市 浑南区
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
	seen := map[string]bool{}
	for _, p := range paths {
		for i := range p {
			sub := append([]string(nil), p[:i+1]...)
			for _, alias := range []string{p[i], shortName(p[i])} {
				alias = Fold(alias)
				if !seen[alias] {
					seen[alias] = true
					ri.names = append(ri.names, regionName{alias: alias, path: sub})
				}
			}
		}
	}
	for _, w := range dataWords(regionsData) {
		w = Fold(w)
		if !seen[w] && !seen[shortName(w)] {
			ri.foreign = append(ri.foreign, w)
		}
	}
	sort.Slice(ri.names, func(i, j int) bool { return len(ri.names[i].alias) > len(ri.names[j].alias) })
	sort.Slice(ri.foreign, func(i, j int) bool { return len(ri.foreign[i]) > len(ri.foreign[j]) })
	return ri
}

// find returns the catalog regions named in a folded question (most specific
// path per mention) and any other places it names.
func (ri *regionIndex) find(folded string) (known [][]string, foreign []string) {
	rest := folded
	for _, n := range ri.names {
		if strings.Contains(rest, n.alias) {
			known = append(known, n.path)
			rest = strings.ReplaceAll(rest, n.alias, " ")
		}
	}
	for _, f := range ri.foreign {
		if strings.Contains(rest, f) {
			foreign = append(foreign, f)
			rest = strings.ReplaceAll(rest, f, " ")
		}
	}
	return known, foreign
}

// resolve finds a catalog region by name (full or short), for --region.
func (ri *regionIndex) resolve(name string) ([]string, bool) {
	name = Fold(strings.TrimSpace(name))
	for _, n := range ri.names {
		if n.alias == name {
			return n.path, true
		}
	}
	// a path such as 辽宁省›沈阳市 names its last level
	for _, sep := range []string{"›", ">", "/", " "} {
		if i := strings.LastIndex(name, sep); i >= 0 {
			return ri.resolve(name[i+len(sep):])
		}
	}
	return nil, false
}

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
