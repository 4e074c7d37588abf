package retrieval

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDocxPart bounds the unzipped size of one part of a .docx: a zip bomb
// of a few kilobytes must not fill the memory. The text of the longest
// policy document is a few megabytes.
const maxDocxPart = 256 << 20

var (
	errNotZip = fmt.Errorf("%w: not a .docx (not a zip archive): an old .doc, a password-protected document or another kind of file; open it in Word or WPS and save it as .docx without a password", ErrUnreadable)
	errNoWord = fmt.Errorf("%w: the zip holds no Word document (word/document.xml): a .docx is the only zip ingest reads", ErrUnreadable)
)

// docxText returns the text of a Word document (.docx, Office Open XML) a
// paragraph a line, with each paragraph's automatic number written out as
// the reader sees it (一、, (一), 1.), so that the splitter finds the
// structure. Table rows become one line each; deleted revisions, field
// codes and the drawings' fallback copies are left out.
func docxText(raw []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return "", errNotZip
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	main := relTarget(files, "", "_rels/.rels", "/officeDocument", "word/document.xml")
	if files[main] == nil {
		return "", errNoWord
	}
	dir := path.Dir(main)
	rels := path.Join(dir, "_rels", path.Base(main)+".rels")
	d := &docx{styles: map[string]*docxStyle{}, abstract: map[string]*docxAbstract{}, nums: map[string]*docxNum{},
		counters: map[string][]int{}, used: map[string]bool{}}
	if b, err := readPart(files, relTarget(files, dir, rels, "/styles", path.Join(dir, "styles.xml"))); err != nil {
		return "", err
	} else if b != nil {
		if err := d.readStyles(b); err != nil {
			return "", fmt.Errorf("%w: styles.xml: %v", errDocxDamaged, err)
		}
	}
	if b, err := readPart(files, relTarget(files, dir, rels, "/numbering", path.Join(dir, "numbering.xml"))); err != nil {
		return "", err
	} else if b != nil {
		if err := d.readNumbering(b); err != nil {
			return "", fmt.Errorf("%w: numbering.xml: %v", errDocxDamaged, err)
		}
	}
	body, err := readPart(files, main)
	if err != nil {
		return "", err
	}
	text, err := d.body(body)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", errDocxDamaged, main, err)
	}
	return text, nil
}

var errDocxDamaged = fmt.Errorf("%w: the .docx is damaged", ErrUnreadable)

// relTarget finds the part a relationship of the given type points to, or
// def when the package does not say.
func relTarget(files map[string]*zip.File, base, relsPath, typeSuffix, def string) string {
	b, err := readPart(files, relsPath)
	if err != nil || b == nil {
		return def
	}
	var rels struct {
		Rel []struct {
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &rels) != nil {
		return def
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, typeSuffix) && r.TargetMode != "External" {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/")
			}
			return path.Join(base, r.Target)
		}
	}
	return def
}

// readPart returns a part's bytes, nil when there is no such part.
func readPart(files map[string]*zip.File, name string) ([]byte, error) {
	f := files[name]
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errDocxDamaged, name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDocxPart+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errDocxDamaged, name, err)
	}
	if len(b) > maxDocxPart {
		return nil, fmt.Errorf("%w: %s unzips to more than %s", ErrUnreadable, name, megabytes(maxDocxPart))
	}
	return b, nil
}

type docx struct {
	styles   map[string]*docxStyle
	abstract map[string]*docxAbstract
	nums     map[string]*docxNum
	// counters holds the current number of each level of a list, by
	// abstract numbering: Word continues a list across the numIds that
	// share one, unless a numId starts it over (startOverride).
	counters map[string][]int
	used     map[string]bool // numIds seen, for their startOverride
}

type docxStyle struct {
	basedOn     string
	numID, ilvl string
}

type docxLevel struct {
	start       int
	format      string
	text        string
	restart     int // lvlRestart: restart after this level (1-based); -1 unset
	legal       bool
	suffix      string
	pStyle      string
	textDefined bool
}

type docxAbstract struct {
	levels [9]*docxLevel
}

type docxNum struct {
	abstract string
	starts   map[int]int
	levels   map[int]*docxLevel
}

// wordprocessingML elements are matched by local name: the transitional
// and strict namespaces differ, the names do not.
func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (d *docx) readStyles(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur *docxStyle
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "style":
			cur = &docxStyle{ilvl: ""}
			d.styles[attr(se, "styleId")] = cur
		case "basedOn":
			if cur != nil {
				cur.basedOn = attr(se, "val")
			}
		case "numId":
			if cur != nil {
				cur.numID = attr(se, "val")
			}
		case "ilvl":
			if cur != nil {
				cur.ilvl = attr(se, "val")
			}
		}
	}
}

func (d *docx) readNumbering(b []byte) error {
	var n struct {
		Abstract []struct {
			ID     string     `xml:"abstractNumId,attr"`
			Levels []xmlLevel `xml:"lvl"`
		} `xml:"abstractNum"`
		Num []struct {
			ID       string `xml:"numId,attr"`
			Abstract struct {
				Val string `xml:"val,attr"`
			} `xml:"abstractNumId"`
			Overrides []struct {
				Ilvl  string `xml:"ilvl,attr"`
				Start *struct {
					Val string `xml:"val,attr"`
				} `xml:"startOverride"`
				Level *xmlLevel `xml:"lvl"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	if err := xml.Unmarshal(b, &n); err != nil {
		return err
	}
	for _, a := range n.Abstract {
		abs := &docxAbstract{}
		for _, l := range a.Levels {
			if i, err := strconv.Atoi(l.Ilvl); err == nil && i >= 0 && i < len(abs.levels) {
				abs.levels[i] = l.level()
			}
		}
		d.abstract[a.ID] = abs
	}
	for _, m := range n.Num {
		num := &docxNum{abstract: m.Abstract.Val, starts: map[int]int{}, levels: map[int]*docxLevel{}}
		for _, o := range m.Overrides {
			i, err := strconv.Atoi(o.Ilvl)
			if err != nil || i < 0 || i > 8 {
				continue
			}
			if o.Start != nil {
				if v, err := strconv.Atoi(o.Start.Val); err == nil {
					num.starts[i] = v
				}
			}
			if o.Level != nil {
				num.levels[i] = o.Level.level()
			}
		}
		d.nums[m.ID] = num
	}
	return nil
}

type xmlVal struct {
	Val string `xml:"val,attr"`
}

type xmlLevel struct {
	Ilvl    string  `xml:"ilvl,attr"`
	Start   *xmlVal `xml:"start"`
	Format  *xmlVal `xml:"numFmt"`
	Text    *xmlVal `xml:"lvlText"`
	Restart *xmlVal `xml:"lvlRestart"`
	Legal   *xmlVal `xml:"isLgl"`
	Suffix  *xmlVal `xml:"suff"`
	PStyle  *xmlVal `xml:"pStyle"`
}

func (x xmlLevel) level() *docxLevel {
	l := &docxLevel{start: 1, format: "decimal", restart: -1, suffix: "tab"}
	if x.Start != nil {
		if v, err := strconv.Atoi(x.Start.Val); err == nil {
			l.start = v
		}
	}
	if x.Format != nil {
		l.format = x.Format.Val
	}
	if x.Text != nil {
		l.text, l.textDefined = x.Text.Val, true
	}
	if x.Restart != nil {
		if v, err := strconv.Atoi(x.Restart.Val); err == nil {
			l.restart = v
		}
	}
	l.legal = x.Legal != nil && x.Legal.Val != "0" && x.Legal.Val != "false"
	if x.Suffix != nil {
		l.suffix = x.Suffix.Val
	}
	if x.PStyle != nil {
		l.pStyle = x.PStyle.Val
	}
	return l
}

// paragraph is what one <w:p> said while it was read.
type paragraph struct {
	text         strings.Builder
	style        string
	numID, ilvl  string
	numIDDefined bool
}

// skipped elements hold no text the reader sees as the document's: deleted
// revisions, field codes, previous formatting, and the fallback copy of a
// drawing whose text box is read from its first choice.
var docxSkipped = map[string]bool{"del": true, "delText": true, "instrText": true, "pPrChange": true,
	"rPrChange": true, "Fallback": true, "footnoteReference": true, "endnoteReference": true}

func (d *docx) body(b []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var out strings.Builder
	var paras []*paragraph // nested: a text box's paragraphs inside a paragraph
	type cell struct{ parts []string }
	var rows [][]string // one per open table
	var cells []*cell
	inPPr, inRun, skip := 0, 0, 0
	emit := func(line string) {
		line = strings.TrimSpace(line)
		if line == "" {
			return
		}
		if len(cells) > 0 {
			c := cells[len(cells)-1]
			c.parts = append(c.parts, line)
			return
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if skip > 0 || docxSkipped[name] {
				skip++
				continue
			}
			var p *paragraph
			if len(paras) > 0 {
				p = paras[len(paras)-1]
			}
			switch name {
			case "p":
				paras = append(paras, &paragraph{})
			case "pPr":
				inPPr++
			case "pStyle":
				if p != nil && inPPr > 0 {
					p.style = attr(t, "val")
				}
			case "numId":
				if p != nil && inPPr > 0 {
					p.numID, p.numIDDefined = attr(t, "val"), true
				}
			case "ilvl":
				if p != nil && inPPr > 0 {
					p.ilvl = attr(t, "val")
				}
			case "r":
				inRun++
			case "t":
				if p != nil && inRun > 0 {
					var s string
					if err := dec.DecodeElement(&s, &t); err != nil {
						return "", err
					}
					p.text.WriteString(s)
				}
			case "tab", "ptab":
				if p != nil && inRun > 0 {
					p.text.WriteByte('\t')
				}
			case "br", "cr":
				if p != nil && inRun > 0 {
					p.text.WriteByte('\n')
				}
			case "noBreakHyphen", "softHyphen":
				if p != nil && inRun > 0 && name == "noBreakHyphen" {
					p.text.WriteByte('-')
				}
			case "tbl":
				rows = append(rows, nil)
			case "tc":
				cells = append(cells, &cell{})
			}
		case xml.EndElement:
			name := t.Name.Local
			if skip > 0 {
				skip--
				continue
			}
			switch name {
			case "pPr":
				inPPr--
			case "r":
				inRun--
			case "p":
				if len(paras) == 0 {
					continue
				}
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				emit(d.number(p) + p.text.String())
			case "tc":
				if len(cells) == 0 {
					continue
				}
				c := cells[len(cells)-1]
				cells = cells[:len(cells)-1]
				if len(rows) > 0 {
					rows[len(rows)-1] = append(rows[len(rows)-1], strings.Join(c.parts, " "))
				}
			case "tr":
				if len(rows) > 0 {
					emit(strings.Join(rows[len(rows)-1], "  "))
					rows[len(rows)-1] = nil
				}
			case "tbl":
				if len(rows) > 0 {
					rows = rows[:len(rows)-1]
				}
			}
		}
	}
	return out.String(), nil
}

// number returns the paragraph's automatic number with what follows it,
// as the reader sees it ("一、", "(一)", "1.", "1.2 "), and advances the
// list; "" for a paragraph without one.
func (d *docx) number(p *paragraph) string {
	numID, ilvlText := p.numID, p.ilvl
	// A paragraph style may carry the numbering (headings numbered by
	// their style); the paragraph's own numPr wins.
	for s, depth := d.styles[p.style], 0; s != nil && depth < 16; s, depth = d.styles[s.basedOn], depth+1 {
		if !p.numIDDefined && numID == "" && s.numID != "" {
			numID = s.numID
		}
		if ilvlText == "" && s.ilvl != "" {
			ilvlText = s.ilvl
		}
	}
	num := d.nums[numID]
	if numID == "" || numID == "0" || num == nil {
		return ""
	}
	abs := d.abstract[num.abstract]
	if abs == nil {
		return ""
	}
	level := func(i int) *docxLevel {
		if l := num.levels[i]; l != nil {
			return l
		}
		if l := abs.levels[i]; l != nil {
			return l
		}
		return &docxLevel{start: 1, format: "decimal", restart: -1, suffix: "tab"}
	}
	ilvl := -1
	if v, err := strconv.Atoi(ilvlText); err == nil && v >= 0 && v < 9 {
		ilvl = v
	}
	if ilvl < 0 {
		// A level may name the style it numbers (Heading 2 → level 1).
		ilvl = 0
		for i := range 9 {
			if l := level(i); l.pStyle != "" && l.pStyle == p.style {
				ilvl = i
				break
			}
		}
	}
	counts := d.counters[num.abstract]
	if counts == nil {
		counts = make([]int, 9)
		for i := range counts {
			counts[i] = level(i).start - 1
		}
	}
	if !d.used[numID] {
		d.used[numID] = true
		for i, v := range num.starts {
			counts[i] = v - 1
			for j := i + 1; j < 9; j++ {
				counts[j] = level(j).start - 1
			}
		}
	}
	counts[ilvl]++
	for j := ilvl + 1; j < 9; j++ {
		r := level(j).restart
		if r < 0 {
			r = j
		}
		if r != 0 && ilvl < r {
			counts[j] = level(j).start - 1
		}
	}
	d.counters[num.abstract] = counts
	l := level(ilvl)
	if l.format == "bullet" {
		return ""
	}
	tmpl := l.text
	if !l.textDefined {
		tmpl = "%" + strconv.Itoa(ilvl+1) + "."
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '%' && i+1 < len(tmpl) && tmpl[i+1] >= '1' && tmpl[i+1] <= '9' {
			k := int(tmpl[i+1] - '1')
			format := level(k).format
			if l.legal {
				format = "decimal"
			}
			b.WriteString(formatNumber(max(counts[k], level(k).start), format))
			i++
			continue
		}
		b.WriteByte(tmpl[i])
	}
	label := b.String()
	if label == "" {
		return ""
	}
	if l.suffix == "nothing" {
		return label
	}
	// A tab or space after "一、" or "1." is a gap in the layout, not a
	// character of the text; after a bare "1.2" it keeps the number apart.
	if last, _ := utf8.DecodeLastRuneInString(label); unicode.IsPunct(last) {
		return label
	}
	return label + " "
}

var (
	hanDigits       = []rune("零一二三四五六七八九")
	digitalDigits   = []rune("〇一二三四五六七八九")
	legalDigits     = []rune("零壹贰叁肆伍陆柒捌玖")
	heavenlyStems   = []rune("甲乙丙丁戊己庚辛壬癸")
	earthlyBranches = []rune("子丑寅卯辰巳午未申酉戌亥")
)

// formatNumber writes n in a Word numbering format (w:numFmt).
func formatNumber(n int, format string) string {
	if n < 0 {
		n = 0
	}
	switch format {
	case "none":
		return ""
	case "decimalZero":
		return fmt.Sprintf("%02d", n)
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
		"taiwaneseCountingThousand", "koreanCounting", "ideographLegalTraditional":
		return hanNumber(n, hanDigits, "十百千万")
	case "chineseLegalSimplified":
		return hanNumber(n, legalDigits, "拾佰仟万")
	case "ideographDigital", "taiwaneseDigital", "koreanDigital", "japaneseDigitalTenThousand":
		var b strings.Builder
		for _, c := range strconv.Itoa(n) {
			b.WriteRune(digitalDigits[c-'0'])
		}
		return b.String()
	case "ideographTraditional":
		if n < 1 {
			return strconv.Itoa(n)
		}
		return string(heavenlyStems[(n-1)%len(heavenlyStems)])
	case "ideographZodiac":
		if n < 1 {
			return strconv.Itoa(n)
		}
		return string(earthlyBranches[(n-1)%len(earthlyBranches)])
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune('⑴' + n - 1))
		}
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune('⒈' + n - 1))
		}
	case "upperLetter", "lowerLetter":
		if n < 1 {
			return strconv.Itoa(n)
		}
		// Word repeats the letter: A … Z, AA … ZZ, AAA …
		s := strings.Repeat(string(rune('A'+(n-1)%26)), (n-1)/26+1)
		if format == "lowerLetter" {
			s = strings.ToLower(s)
		}
		return s
	case "upperRoman", "lowerRoman":
		if n < 1 || n >= 4000 {
			return strconv.Itoa(n)
		}
		s := roman(n)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	}
	return strconv.Itoa(n)
}

// hanNumber writes n below 100 000 in Chinese counting numerals as Word
// does: 十, 十一, 二十, 一百零五, 一千零二十.
func hanNumber(n int, digits []rune, units string) string {
	if n == 0 {
		return string(digits[0])
	}
	if n >= 100000 {
		return strconv.Itoa(n)
	}
	u := []rune(units) // 十 百 千 万
	var b strings.Builder
	pending := false // a zero to write before the next digit
	for i, p := 4, 10000; i >= 0; i, p = i-1, p/10 {
		d := n / p % 10
		if d == 0 {
			if b.Len() > 0 {
				pending = true
			}
			continue
		}
		if pending {
			b.WriteRune(digits[0])
			pending = false
		}
		// 十 not 一十 at the start, as Word writes 10–19.
		if !(i == 1 && d == 1 && b.Len() == 0) {
			b.WriteRune(digits[d])
		}
		if i > 0 {
			b.WriteRune(u[i-1])
		}
	}
	return b.String()
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
