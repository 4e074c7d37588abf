package curated

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Row is one row of a spreadsheet as written, before it is checked.
type Row struct {
	// Line is the row's number as the spreadsheet shows it (the header is
	// row 1).
	Line                                        int
	Question, Wordings, Answer, Sources, Region string
	ValidUntil, Author                          string
}

// Columns of the spreadsheet, in the order export writes them. Import
// finds them by header, in any order, by these names or their English
// ones; hits is written for staff to read and ignored on import.
var columns = []struct {
	key     string
	names   []string
	needed  bool
	heading string
}{
	{"question", []string{"问题", "question"}, true, "问题"},
	{"wordings", []string{"其他问法", "其他说法", "相似问法", "other wordings", "wordings"}, false, "其他问法"},
	{"answer", []string{"答复", "答案", "回答", "answer"}, true, "答复"},
	{"sources", []string{"来源文件", "来源文档", "来源", "source", "sources", "source document", "source documents", "source document(s)"}, true, "来源文件"},
	{"region", []string{"地区", "区域", "region"}, false, "地区"},
	{"valid_until", []string{"有效期至", "有效期", "valid until"}, false, "有效期至"},
	{"author", []string{"作者", "整理人", "author"}, false, "作者"},
	{"hits", []string{"命中次数", "hits"}, false, "命中次数"},
}

// ErrBadSheet marks a file that cannot be read as a sheet of curated
// answers at all (rather than one with bad rows).
var ErrBadSheet = errors.New("not a sheet of curated answers")

// maxRows bounds a sheet: far more than any community curates, few enough
// that a wrong file (a whole database export) is refused, not loaded.
const maxRows = 10000

// ReadSheet reads the rows of a .csv or .xlsx file (by the name's
// extension). A CSV may be UTF-8 (with or without a byte-order mark) or,
// as Excel saves it on Chinese Windows, GB18030. Blank rows are skipped.
func ReadSheet(name string, r io.Reader) ([]Row, error) {
	var cells [][]string
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		cells, err = readCSV(r)
	case ".xlsx":
		cells, err = readXLSX(r)
	default:
		return nil, fmt.Errorf("%w: %s is neither .csv nor .xlsx", ErrBadSheet, filepath.Base(name))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadSheet, filepath.Base(name), err)
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("%w: %s is empty", ErrBadSheet, filepath.Base(name))
	}
	if len(cells) > maxRows+1 {
		return nil, fmt.Errorf("%w: %s has %d rows, more than %d", ErrBadSheet, filepath.Base(name), len(cells)-1, maxRows)
	}
	at, err := headerColumns(cells[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadSheet, filepath.Base(name), err)
	}
	var rows []Row
	for i, rec := range cells[1:] {
		cell := func(key string) string {
			j, ok := at[key]
			if !ok || j >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[j])
		}
		row := Row{Line: i + 2, Question: cell("question"), Wordings: cell("wordings"), Answer: cell("answer"),
			Sources: cell("sources"), Region: cell("region"), ValidUntil: cell("valid_until"), Author: cell("author")}
		if row == (Row{Line: row.Line}) {
			continue
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// headerColumns finds each column by its header.
func headerColumns(header []string) (map[string]int, error) {
	at := map[string]int{}
	for j, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		// "问题(question)" names the column by either name
		for _, part := range strings.FieldsFunc(h, func(r rune) bool { return strings.ContainsRune("()()/", r) }) {
			part = strings.TrimSpace(part)
			for _, c := range columns {
				for _, n := range c.names {
					if part == n {
						if _, dup := at[c.key]; !dup {
							at[c.key] = j
						}
					}
				}
			}
		}
	}
	var missing []string
	for _, c := range columns {
		if _, ok := at[c.key]; c.needed && !ok {
			missing = append(missing, c.heading+" ("+c.names[len(c.names)-1]+")")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the first row must name the columns; missing %s (columns: %s)", strings.Join(missing, ", "), headings())
	}
	return at, nil
}

func headings() string {
	var hs []string
	for _, c := range columns {
		hs = append(hs, c.heading)
	}
	return strings.Join(hs, " ")
}

func readCSV(r io.Reader) ([][]string, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	if !utf8.Valid(raw) {
		if raw, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err != nil {
			return nil, fmt.Errorf("neither UTF-8 nor GB18030: %w", err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1 // short rows are blank at the end
	return cr.ReadAll()
}

func readXLSX(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	// Raw values: a date cell gives its serial number, not whatever
	// display format the worker's Excel chose (12-31-26).
	return f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
}

// WriteSheet writes pairs as a .csv or .xlsx file (by the name's
// extension) that ReadSheet reads back as the same pairs, with each
// pair's hit count in a last column for staff to read.
func WriteSheet(name string, w io.Writer, pairs []Pair, hits map[string]int) error {
	records := [][]string{{}}
	for _, c := range columns {
		records[0] = append(records[0], c.heading)
	}
	for _, p := range pairs {
		records = append(records, []string{p.Question, strings.Join(p.Wordings, "\n"), p.Answer,
			strings.Join(p.Sources, "\n"), strings.Join(p.Region, "/"), p.ValidUntil, p.Author, strconv.Itoa(hits[p.ID])})
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		// The byte-order mark makes Excel read the file as UTF-8.
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(records); err != nil {
			return err
		}
		return cw.Error()
	case ".xlsx":
		return writeXLSX(w, records)
	}
	return fmt.Errorf("%s: export writes .csv or .xlsx", filepath.Base(name))
}

func writeXLSX(w io.Writer, records [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, rec := range records {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v // as text: 2026-12-31 stays a date as written
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return f.Write(w)
}
