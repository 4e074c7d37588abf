package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/minsheng/minsheng/bot"
)

// Defaults of `minsheng unanswered`: a screenful of groups to read; an
// export takes them all, since staff work through it at their pace.
const (
	defaultListTop   = 20
	defaultExportTop = 0 // all
)

// runUnanswered lists the groups of the unanswered queue, or exports them
// as a spreadsheet of curated answers to fill in:
//
//	minsheng unanswered [--top N] [--since DAYS] [--json]
//	minsheng unanswered export [--top N] [--since DAYS] FILE.csv|FILE.xlsx
func runUnanswered(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("unanswered", flag.ContinueOnError)
	fs.StringVar(&cfg.DataDir, "data-dir", envOr("MINSHENG_DATA_DIR", defaultDataDir()), "where the index and added documents live (MINSHENG_DATA_DIR)")
	bindQueue(fs, &cfg)
	top := fs.Int("top", -1, fmt.Sprintf("how many groups, most asked first (default %d for the list, all for export)", defaultListTop))
	since := fs.Int("since", 0, "only questions of the last DAYS days (default: all kept)")
	asJSON := fs.Bool("json", false, "print the groups as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	export := ""
	switch rest := fs.Args(); {
	case len(rest) == 0:
	case rest[0] == "export" && len(rest) == 2:
		export = rest[1]
	case rest[0] == "export":
		return usageError{"unanswered export needs one file name, e.g. minsheng unanswered export 待整理.xlsx"}
	default:
		return usageError{fmt.Sprintf("unanswered takes no arguments but export FILE, got %q", rest)}
	}
	if *since < 0 {
		return usageError{"--since must be a number of days, 1 or more"}
	}
	if *top < 0 {
		*top = defaultListTop
		if export != "" {
			*top = defaultExportTop
		}
	}
	if export != "" {
		if err := exportFormatOK(export); err != nil {
			return err
		}
	}

	q, err := cfg.queue()
	if err != nil {
		return err
	}
	// The queue drops what is past its retention whenever staff look at
	// it, so a deployment without serve keeps no more than it should.
	if res, err := q.Compact(); err != nil {
		return err
	} else if res.Damaged > 0 {
		fmt.Fprintf(stderr, "minsheng: %d damaged line(s) dropped from %s\n", res.Damaged, q.Path())
	}
	var from time.Time
	if *since > 0 {
		from = time.Now().Add(-time.Duration(*since) * 24 * time.Hour)
	}
	groups, err := q.Groups(from)
	if err != nil {
		return err
	}
	total := 0
	for _, g := range groups {
		total += g.Count
	}
	shown := groups
	if *top > 0 && len(shown) > *top {
		shown = shown[:*top]
	}
	switch {
	case export != "":
		if err := writeExport(export, bot.ExportRows(shown)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d 组问题已导出到 %s(共 %d 条记录)。填好“答复”等列后即可作为社区整理的答复导入。\n", len(shown), export, total)
		return nil
	case *asJSON:
		if shown == nil {
			shown = []bot.QueueGroup{}
		}
		return writeJSON(stdout, shown)
	}
	return printGroups(stdout, shown, len(groups), total, *since, q.Retention())
}

// printGroups lists groups for a person: count, when, where and why, then
// the wording asked most and the others.
func printGroups(w io.Writer, groups []bot.QueueGroup, all, total, since int, retention time.Duration) error {
	period := fmt.Sprintf("近 %d 天", int(retention.Hours()/24))
	if since > 0 {
		period = fmt.Sprintf("近 %d 天", since)
	}
	if total == 0 {
		_, err := fmt.Fprintf(w, "%s没有未能回答的问题。\n", period)
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s未能回答的问题:%d 条,%d 组;按次数列出前 %d 组。\n", period, total, all, len(groups))
	for i, g := range groups {
		region := "未指定地区"
		if g.Region != "" {
			region = g.Region
		}
		fmt.Fprintf(&b, "\n%d. %d 次 · 最近 %s · %s · %s\n", i+1, g.Count, g.Last.In(bot.BeijingTime()).Format("2006-01-02"),
			region, decisionSummary(g))
		fmt.Fprintf(&b, "   %s\n", g.Question)
		for _, o := range g.Wordings[:min(len(g.Wordings), maxWordingsShown)] {
			fmt.Fprintf(&b, "   也问:%s\n", o)
		}
		if n := len(g.Wordings) - maxWordingsShown; n > 0 {
			fmt.Fprintf(&b, "   另有 %d 种问法\n", n)
		}
		if len(g.Sources) > 0 {
			fmt.Fprintf(&b, "   显示过的文件:%s\n", strings.Join(g.Sources, "、"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxWordingsShown keeps a group's entry in the list to a few lines; the
// export has every wording.
const maxWordingsShown = 3

// decisionSummary says why a group is there:
// "无答案 3 · 最接近 1 · 👎 2(过时 1、其他 1)".
func decisionSummary(g bot.QueueGroup) string {
	var parts []string
	if n := g.Decisions[bot.QueueNone]; n > 0 {
		parts = append(parts, fmt.Sprintf("无答案 %d", n))
	}
	if n := g.Decisions[bot.QueueClosest]; n > 0 {
		parts = append(parts, fmt.Sprintf("最接近 %d", n))
	}
	if n := g.Decisions[bot.QueueDownvote]; n > 0 {
		down := fmt.Sprintf("👎 %d", n)
		var reasons []string
		for _, r := range bot.DownvoteReasons {
			if k := g.Reasons[r.Label]; k > 0 {
				reasons = append(reasons, fmt.Sprintf("%s %d", r.Label, k))
			}
		}
		if len(reasons) > 0 {
			down += "(" + strings.Join(reasons, "、") + ")"
		}
		parts = append(parts, down)
	}
	return strings.Join(parts, " · ")
}

// exportFormatOK checks the file name's extension before any work.
func exportFormatOK(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".xlsx":
		return nil
	}
	return usageError{fmt.Sprintf("unanswered export writes .csv or .xlsx, not %q", filepath.Ext(path))}
}

// writeExport writes the header and rows as CSV or .xlsx, to a temporary
// file renamed into place, so a failed export leaves no half a file.
func writeExport(path string, rows [][]string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmp := f.Name()
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		err = writeXLSX(f, rows)
	} else {
		err = writeCSV(f, rows)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

// utf8BOM opens the CSV so that Excel reads it as UTF-8 rather than the
// system's GBK; importers strip it.
const utf8BOM = "\uFEFF"

func writeCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what spreadsheets write, and read most reliably
	if err := cw.Write(bot.QueueExportColumns); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// exportSheet names the one sheet of an .xlsx export.
const exportSheet = "待整理"

func writeXLSX(w io.Writer, rows [][]string) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName(x.GetSheetName(0), exportSheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(exportSheet)
	if err != nil {
		return err
	}
	cells := func(row []string) []any {
		out := make([]any, len(row))
		for i, v := range row {
			out[i] = v
		}
		return out
	}
	if err := sw.SetRow("A1", cells(bot.QueueExportColumns)); err != nil {
		return err
	}
	for i, row := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), cells(row)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}
