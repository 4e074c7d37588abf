package curated

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/minsheng/minsheng/retrieval"
)

// Problem is why one row cannot be imported.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("row %d: %s", p.Line, p.Reason) }

// Resolver finds the region paths a name stands for (浑南区 → 辽宁省 ›
// 沈阳市 › 浑南区); judge.Reader.ResolveRegion is one.
type Resolver func(name string) ([][]string, error)

// Check turns rows into pairs. Every row must have a question, an answer
// and at least one source that is a document of the library (docs, by
// file name); a region the resolver knows, and a valid-until date that is
// a date. Every figure the answer states must appear in one of its
// sources: a curated answer is given before any document is searched, so
// a figure mistyped in the sheet would otherwise reach residents as if a
// document said it. Two rows may not ask the same question. The problems
// found are all returned, each with its row.
func Check(rows []Row, docs []retrieval.Document, resolve Resolver) ([]Pair, []Problem) {
	byName := map[string]retrieval.Document{}
	for _, d := range docs {
		byName[d.Source] = d
	}
	figuresOf := map[string]map[string]bool{} // per source, computed once
	var pairs []Pair
	var problems []Problem
	firstRow := map[string]int{}
	for _, row := range rows {
		var reasons []string
		p := Pair{Question: row.Question, Wordings: splitList(row.Wordings), Answer: row.Answer,
			Sources: splitList(row.Sources), Author: row.Author}
		if p.Question == "" {
			reasons = append(reasons, "no question")
		} else {
			id := IDOf(p.Question)
			if n, ok := firstRow[id]; ok {
				reasons = append(reasons, fmt.Sprintf("asks the same question as row %d", n))
			} else {
				firstRow[id] = row.Line
			}
		}
		if p.Answer == "" {
			reasons = append(reasons, "no answer")
		}
		if len(p.Sources) == 0 {
			reasons = append(reasons, "no source document (the file name of the document the answer rests on)")
		}
		var known []string
		for _, s := range p.Sources {
			if _, ok := byName[s]; ok {
				known = append(known, s)
			} else {
				reasons = append(reasons, fmt.Sprintf("cites %q, which is no document of the library", s))
			}
		}
		if len(known) > 0 && len(known) == len(p.Sources) {
			for _, f := range Figures(p.Answer) {
				found := false
				for _, s := range known {
					if figuresOf[s] == nil {
						figuresOf[s] = figureSet(byName[s].Title + "\n" + byName[s].Text)
					}
					found = found || figuresOf[s][f]
				}
				if !found {
					reasons = append(reasons, fmt.Sprintf("the answer's figure %s is not in %s", f, strings.Join(known, ", ")))
				}
			}
		}
		if row.Region != "" {
			path, err := regionOf(row.Region, resolve)
			if err != nil {
				reasons = append(reasons, err.Error())
			}
			p.Region = path
		}
		if row.ValidUntil != "" {
			d, err := parseDate(row.ValidUntil)
			if err != nil {
				reasons = append(reasons, err.Error())
			}
			p.ValidUntil = d
		}
		if len(reasons) > 0 {
			problems = append(problems, Problem{Line: row.Line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		p.ID = IDOf(p.Question)
		pairs = append(pairs, p)
	}
	return pairs, problems
}

// splitList splits a cell holding several items: one a line, or separated
// by | or ;.
func splitList(cell string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune("\n\r|;;", r) }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// figure is a number as written in digits: 850, 3.5, 1,300.
var figure = regexp.MustCompile(`\d+(?:[.,]\d+)*`)

// Figures are the numbers a text states in digits, thousands separators
// taken out (1,300 → 1300), each once, in order. Numbers in Chinese
// characters (三个月) are not read: they are as often words (三级五方,
// 一站式) as figures.
func Figures(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range figure.FindAllString(retrieval.Fold(text), -1) {
		f := normalFigure(m)
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func figureSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, f := range Figures(text) {
		set[f] = true
	}
	return set
}

// normalFigure drops thousands separators and a sentence's full stop
// after a number (850. → 850): 1,300 and 1300 are one figure.
func normalFigure(m string) string {
	m = strings.TrimRight(m, ".,")
	if strings.Contains(m, ",") {
		m = strings.ReplaceAll(m, ",", "")
	}
	return m
}

// HasFigure reports whether text states figure f (as Figures gives it).
func HasFigure(text, f string) bool { return figureSet(text)[f] }

// regionOf resolves a region cell to one region path: a name (浑南区,
// 浑南) or a path as export writes it (辽宁省/沈阳市/浑南区).
func regionOf(name string, resolve Resolver) ([]string, error) {
	if resolve == nil {
		return nil, fmt.Errorf("region %q cannot be checked", name)
	}
	paths, err := resolve(name)
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("unknown region %q", name)
	}
	if len(paths) > 1 {
		// A path spelled out picks its own among the places it names.
		want := strings.Join(strings.FieldsFunc(name, func(r rune) bool { return strings.ContainsRune("/›> ", r) }), "/")
		for _, p := range paths {
			if strings.Join(p, "/") == want {
				return p, nil
			}
		}
		var names []string
		for _, p := range paths {
			names = append(names, strings.Join(p, "/"))
		}
		return nil, fmt.Errorf("region %q could be %s; write the whole path, e.g. %s", name, strings.Join(names, " or "), names[0])
	}
	return paths[0], nil
}

// Excel date serials accepted for a valid-until date: 1954-10-03 to
// 9999-12-31. A bare year (2026) is far below and is refused as a date.
const (
	minSerial = 20000
	maxSerial = 2958466
)

// parseDate reads a valid-until cell: 2026-12-31, 2026/12/31, 2026.12.31,
// 2026年12月31日, or the serial number a date cell of Excel holds.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= minSerial && n < maxSerial {
		// Excel counts days from 1899-12-30 (its 1900 leap-year bug
		// included); fractions are the time of day.
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)).Format(time.DateOnly), nil
	}
	for _, layout := range []string{"2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("valid-until %q is not a date (write it as 2026-12-31)", s)
}
