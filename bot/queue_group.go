package bot

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/minsheng/minsheng/retrieval"
)

// QueueGroup is a set of similar questions from one region, counted.
type QueueGroup struct {
	// Question is the wording asked most often (the latest on a tie);
	// Wordings are the group's other distinct wordings, most often first.
	Question string    `json:"question"`
	Wordings []string  `json:"wordings,omitempty"`
	Region   string    `json:"region,omitempty"`
	Count    int       `json:"count"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	// Decisions counts entries by decision (QueueNone, QueueClosest,
	// QueueDownvote); Reasons counts the reasons given with 👎.
	Decisions map[string]int `json:"decisions"`
	Reasons   map[string]int `json:"reasons,omitempty"`
	// Sources are the documents of the passages shown, most often first.
	Sources []string `json:"sources,omitempty"`
}

// SimilarQuestions is the similarity (Jaccard index of the character
// bigram sets, see questionKey) at which two questions of one region fall
// into one group. Rewordings share most of their pairs once place names,
// question words and particles are set aside: 请问老年助餐补贴怎么领 and
// 老年助餐补贴如何领取 score 0.71, 低保标准是多少 and 我电话[手机号],低保标准
// 是多少 0.6. Questions that share a topic but ask different things stay
// apart: 浑南区低保标准 and 浑南区低保怎么申请 score 0.25, 公租房怎么申请
// and 廉租房怎么申请 (two programmes) 0.5.
const SimilarQuestions = 0.6

// Group sorts entries into groups of similar questions, most asked first
// (then most recently asked). Questions are grouped within a region only:
// a curated answer holds for one region, and the same question asked
// about two places needs two.
//
// The method is single-link clustering over distinct wordings, in the
// order the entries were recorded: a question joins the group of its
// region holding the wording it is most similar to, when that similarity
// is at least SimilarQuestions, and otherwise starts a group. Questions
// with no pairs to compare (a lone character, only placeholders) group by
// their exact wording.
func Group(entries []QueueEntry) []QueueGroup {
	type draft struct {
		keys     []map[string]bool // of each distinct wording
		empty    bool              // a group of a wording with no pairs
		exact    string
		region   string
		members  []*QueueEntry
		wordings map[string]int
		lastOf   map[string]time.Time
	}
	var drafts []*draft
	// byPair finds the groups of a region sharing a pair with a question,
	// so that a question is compared with those only.
	byPair := map[string][]int{}
	sorted := append([]QueueEntry(nil), entries...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.Before(sorted[j].Time) })
	for i := range sorted {
		e := &sorted[i]
		key := questionKey(e.Question, e.Region)
		best, bestSim := -1, 0.0
		if len(key) == 0 {
			for gi, d := range drafts {
				if d.empty && d.region == e.Region && d.exact == e.Question {
					best = gi
				}
			}
		} else {
			tried := map[int]bool{}
			for p := range key {
				for _, gi := range byPair[e.Region+"\x00"+p] {
					if tried[gi] {
						continue
					}
					tried[gi] = true
					for _, k := range drafts[gi].keys {
						if s := jaccard(key, k); s >= SimilarQuestions && (s > bestSim || s == bestSim && gi < best) {
							best, bestSim = gi, s
						}
					}
				}
			}
		}
		if best < 0 {
			best = len(drafts)
			drafts = append(drafts, &draft{empty: len(key) == 0, exact: e.Question, region: e.Region,
				wordings: map[string]int{}, lastOf: map[string]time.Time{}})
		}
		d := drafts[best]
		if d.wordings[e.Question] == 0 && len(key) > 0 {
			d.keys = append(d.keys, key)
			for p := range key {
				if ids := byPair[e.Region+"\x00"+p]; len(ids) == 0 || ids[len(ids)-1] != best {
					byPair[e.Region+"\x00"+p] = append(ids, best)
				}
			}
		}
		d.members = append(d.members, e)
		d.wordings[e.Question]++
		d.lastOf[e.Question] = e.Time
	}

	out := make([]QueueGroup, 0, len(drafts))
	for _, d := range drafts {
		g := QueueGroup{Region: d.region, Count: len(d.members), First: d.members[0].Time,
			Last: d.members[len(d.members)-1].Time, Decisions: map[string]int{}}
		sources := map[string]int{}
		for _, e := range d.members {
			g.Decisions[e.Decision]++
			if e.Reason != "" {
				if g.Reasons == nil {
					g.Reasons = map[string]int{}
				}
				g.Reasons[e.Reason]++
			}
			seen := map[string]bool{}
			for _, p := range e.Passages {
				if !seen[p.Source] {
					seen[p.Source] = true
					sources[p.Source]++
				}
			}
		}
		words := rankedKeys(d.wordings, func(a, b string) bool { return d.lastOf[a].After(d.lastOf[b]) })
		g.Question, g.Wordings = words[0], words[1:]
		g.Sources = rankedKeys(sources, func(a, b string) bool { return a < b })
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Last.After(out[j].Last)
	})
	return out
}

// Groups groups the entries kept from since on (see Group).
func (q *Queue) Groups(since time.Time) ([]QueueGroup, error) {
	entries, err := q.Entries(since)
	if err != nil {
		return nil, err
	}
	return Group(entries), nil
}

// rankedKeys lists the keys of counts, highest count first, ties broken
// by before.
func rankedKeys(counts map[string]int, before func(a, b string) bool) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return before(keys[i], keys[j])
	})
	return keys
}

// maskPlaceholder matches what Mask puts in place of a number: it says
// nothing about what was asked.
var maskPlaceholder = regexp.MustCompile(`\[(?:身份证号|银行卡号|手机号|电话)\]`)

// withoutMaskedClauses drops the clauses of an already masked question
// that hold a placeholder, unless nothing else is left.
func withoutMaskedClauses(q string) string {
	if !maskPlaceholder.MatchString(q) {
		return q
	}
	var keep []string
	for _, c := range clauseSep.Split(q, -1) {
		if c = strings.TrimSpace(c); c != "" && !maskPlaceholder.MatchString(c) {
			keep = append(keep, c)
		}
	}
	if len(keep) == 0 {
		return q
	}
	return strings.Join(keep, ",")
}

// particles are single characters that end or link a question's words
// without adding to what it asks (低保标准是多少, 浑南区的低保).
var particles = strings.NewReplacer("的", " ", "吗", " ", "呢", " ", "吧", " ", "啊", " ", "呀", " ", "嘛", " ", "了", " ", "是", " ")

// questionKey is what grouping compares of a question asked about region:
// the question without its clauses that carry a masked number (我电话
// [手机号] is context about the asker, as in withoutPersonalClauses),
// folded as the index folds text (simplified script, half-width, lower
// case), with multi-character question words (多少, 怎么, 请问 …), the
// names of the region (浑南区, 浑南, 沈阳市 …, which every question of the
// group shares anyway) and particles (的, 吗, 是 …) blanked, cut into runs
// of Han characters, digits and letters at everything else, and each
// run's character bigrams; a one-character run yields itself. Bigrams
// need no word list, so colloquial wordings and typos still share most of
// their pairs.
func questionKey(q, region string) map[string]bool {
	folded := retrieval.BlankQuestionWords(retrieval.Fold(maskPlaceholder.ReplaceAllString(withoutMaskedClauses(q), " ")))
	folded = placeNames(region).Replace(folded)
	folded = particles.Replace(folded)
	key := map[string]bool{}
	var run []rune
	flush := func() {
		switch {
		case len(run) == 1:
			key[string(run)] = true
		case len(run) > 1:
			for i := 0; i+1 < len(run); i++ {
				key[string(run[i:i+2])] = true
			}
		}
		run = run[:0]
	}
	for _, r := range folded {
		if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) || unicode.IsLetter(r) {
			run = append(run, r)
		} else {
			flush()
		}
	}
	flush()
	return key
}

// placeNames blanks the places of a region label, with and without their
// level (浑南区 and 浑南; 沈阳市 and 沈阳), longest first.
func placeNames(label string) *strings.Replacer {
	var names []string
	for _, part := range strings.FieldsFunc(label, func(r rune) bool { return r == '›' || r == ';' }) {
		name := retrieval.Fold(strings.TrimSpace(part))
		if name == "" {
			continue
		}
		names = append(names, name)
		for _, level := range []string{"省", "市", "区", "县", "旗", "镇", "乡", "街道"} {
			if short := strings.TrimSuffix(name, level); short != name && len([]rune(short)) >= 2 {
				names = append(names, short)
			}
		}
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	pairs := make([]string, 0, 2*len(names))
	for _, n := range names {
		pairs = append(pairs, n, " ")
	}
	return strings.NewReplacer(pairs...)
}

// jaccard is |a∩b| / |a∪b|.
func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for k := range a {
		if b[k] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// regionName is the innermost place of a region label ("辽宁省 › 沈阳市 ›
// 浑南区" → 浑南区), which questions and imports accept as a region.
func regionName(label string) string {
	if strings.Contains(label, ";") {
		return label
	}
	parts := strings.Split(label, "›")
	return strings.TrimSpace(parts[len(parts)-1])
}

// QueueExportColumns are the columns of a queue export, those of the
// curated-answer spreadsheet (question, other wordings, answer, source
// documents, region, valid until, author), so that staff fill in the
// answers and import the file as it is.
var QueueExportColumns = []string{"问题", "其他问法", "答复", "来源文件", "地区", "有效期至", "整理人"}

// exportListSep separates the items of a cell that holds several (other
// wordings, source documents): a line break, which spreadsheets show as
// such and which no question or file name contains.
const exportListSep = "\n"

// ExportRows turns groups into rows of QueueExportColumns: the most asked
// wording, the group's other wordings, an empty answer, the documents the
// answers showed, the region's innermost place and empty validity and
// author for staff to fill in.
func ExportRows(groups []QueueGroup) [][]string {
	rows := make([][]string, 0, len(groups))
	for _, g := range groups {
		region := ""
		if g.Region != "" {
			region = regionName(g.Region)
		}
		rows = append(rows, []string{g.Question, strings.Join(g.Wordings, exportListSep), "",
			strings.Join(g.Sources, exportListSep), region, "", ""})
	}
	return rows
}
