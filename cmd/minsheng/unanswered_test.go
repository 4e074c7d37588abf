package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/minsheng/minsheng/bot"
)

// fillQueue writes a queue in a fresh data folder: three askings of the
// elderly-canteen question (two wordings, one a 👎), two of the pension
// question in 大连, one of heating nine days ago and one from long ago.
func fillQueue(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	q, err := bot.OpenQueue(filepath.Join(dir, queueFile), 0)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	const hunnan, dalian = "辽宁省 › 沈阳市 › 浑南区", "辽宁省 › 大连市"
	entries := []bot.QueueEntry{
		{Time: now.Add(-400 * 24 * time.Hour), Question: "很久以前的问题", Decision: bot.QueueNone},
		{Time: now.Add(-9 * 24 * time.Hour), Question: "取暖补贴怎么领?", Decision: bot.QueueNone},
		{Time: now.Add(-3 * time.Hour), Question: "请问老年助餐补贴怎么领", Region: hunnan, Decision: bot.QueueNone,
			Passages: []bot.Shown{{Source: "001_1a1d5eee5e46f0c9.txt", Section: "二、重点任务"}}},
		{Time: now.Add(-2 * time.Hour), Question: "老年助餐补贴如何领取?我电话13812345678", Region: hunnan, Decision: bot.QueueClosest,
			Passages: []bot.Shown{{Source: "001_1a1d5eee5e46f0c9.txt", Section: "二、重点任务"}}},
		{Time: now.Add(-time.Hour), Question: "老年助餐补贴如何领取?", Region: hunnan, Decision: bot.QueueDownvote,
			Reason: bot.MsgReasonOutdated, Channel: "web"},
		{Time: now.Add(-90 * time.Minute), Question: "大连养老金今年涨多少?", Region: dalian, Decision: bot.QueueClosest},
		{Time: now.Add(-30 * time.Minute), Question: "大连养老金今年涨多少?", Region: dalian, Decision: bot.QueueDownvote,
			Reason: bot.MsgReasonOffTopic, Channel: "telegram"},
	}
	for _, e := range entries {
		if err := q.Record(e); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestUnansweredList(t *testing.T) {
	dir := fillQueue(t)
	code, out, errOut := runCLI(t, "", "unanswered", "--data-dir", dir, "--top", "2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"近 180 天未能回答的问题:6 条,3 组;按次数列出前 2 组。",
		// the group's latest asking was an hour ago: its day, not today's,
		// when Beijing's midnight fell in between
		"1. 3 次 · 最近 " + time.Now().Add(-time.Hour).In(bot.BeijingTime()).Format("2006-01-02") + " · 辽宁省 › 沈阳市 › 浑南区 · 无答案 1 · 最接近 1 · 👎 1(过时 1)",
		"   老年助餐补贴如何领取?",
		"也问:请问老年助餐补贴怎么领",
		"显示过的文件:001_1a1d5eee5e46f0c9.txt",
		"2. 2 次",
		"辽宁省 › 大连市 · 最接近 1 · 👎 1(答非所问 1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "取暖") || strings.Contains(out, "很久以前") || strings.Contains(out, "13812345678") {
		t.Errorf("list shows a group past --top, an expired entry or a phone number:\n%s", out)
	}
	// The run dropped the entry past the retention from the file.
	raw, _ := os.ReadFile(filepath.Join(dir, queueFile))
	if strings.Contains(string(raw), "很久以前") || strings.Count(string(raw), "\n") != 6 {
		t.Errorf("queue file after listing:\n%s", raw)
	}

	code, out, _ = runCLI(t, "", "unanswered", "--data-dir", dir, "--since", "7", "--json")
	if code != exitOK {
		t.Fatalf("--json exit %d", code)
	}
	var groups []bot.QueueGroup
	if err := json.Unmarshal([]byte(out), &groups); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if len(groups) != 2 || groups[0].Count != 3 || groups[1].Count != 2 || groups[1].Reasons[bot.MsgReasonOffTopic] != 1 {
		t.Errorf("--since 7 --json: %+v", groups)
	}

	// A shorter retention lists (and keeps) less.
	code, out, _ = runCLI(t, "", "unanswered", "--data-dir", dir, "--queue-retention", "1d")
	if code != exitOK || !strings.Contains(out, "近 1 天未能回答的问题:5 条,2 组") {
		t.Errorf("--queue-retention 1d: exit %d:\n%s", code, out)
	}

	code, out, _ = runCLI(t, "", "unanswered", "--data-dir", t.TempDir())
	if code != exitOK || !strings.Contains(out, "没有未能回答的问题") {
		t.Errorf("empty queue: exit %d:\n%s", code, out)
	}
}

func TestUnansweredBadInput(t *testing.T) {
	dir := fillQueue(t)
	tests := []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"negative since", "", []string{"--since", "-1"}, "--since"},
		{"stray argument", "", []string{"list"}, "no arguments"},
		{"export without file", "", []string{"export"}, "one file name"},
		{"export to .txt", "", []string{"export", filepath.Join(dir, "out.txt")}, ".csv or .xlsx"},
		{"bad retention flag", "", []string{"--queue-retention", "half a year"}, "queue-retention"},
		{"zero retention", "", []string{"--queue-retention", "0"}, "queue-retention"},
		{"bad retention env", "forever", nil, "MINSHENG_QUEUE_RETENTION"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("MINSHENG_QUEUE_RETENTION", tc.env)
			}
			code, _, errOut := runCLI(t, "", append([]string{"unanswered", "--data-dir", dir}, tc.args...)...)
			if code != exitBadInput || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, exitBadInput, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out.txt")); err == nil {
		t.Error("a refused export wrote a file")
	}
}

func TestParseRetention(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"180", 180 * day, true},
		{"180d", 180 * day, true},
		{" 30d ", 30 * day, true},
		{"720h", 30 * day, true},
		{"90m", 90 * time.Minute, true},
		{"0", 0, false},
		{"-5d", 0, false},
		{"3651d", 0, false},
		{"1y", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, err := parseRetention(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseRetention(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// The export has the curated-answer columns and one row per group, which
// read back as written, from CSV and from .xlsx.
func TestUnansweredExport(t *testing.T) {
	dir := fillQueue(t)
	want := [][]string{
		bot.QueueExportColumns,
		{"老年助餐补贴如何领取?", "老年助餐补贴如何领取?我电话[手机号]\n请问老年助餐补贴怎么领", "", "001_1a1d5eee5e46f0c9.txt", "浑南区", "", ""},
		{"大连养老金今年涨多少?", "", "", "", "大连市", "", ""},
		{"取暖补贴怎么领?", "", "", "", "", "", ""},
	}

	csvPath := filepath.Join(t.TempDir(), "待整理.csv")
	code, out, errOut := runCLI(t, "", "unanswered", "export", "--data-dir", dir, csvPath)
	if code != exitOK || !strings.Contains(out, "3 组") {
		t.Fatalf("export csv: exit %d: %s %s", code, out, errOut)
	}
	raw, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "\uFEFF") {
		t.Error("the CSV lacks the BOM Excel needs to read UTF-8")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "csv", rows, want)
	if strings.Contains(string(raw), "13812345678") {
		t.Error("the export holds a phone number")
	}

	xlsxPath := filepath.Join(t.TempDir(), "待整理.xlsx")
	code, _, errOut = runCLI(t, "", "unanswered", "--data-dir", dir, "--top", "2", "export", xlsxPath)
	if code != exitOK {
		t.Fatalf("export xlsx: exit %d: %s", code, errOut)
	}
	x, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	got, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "xlsx", got, want[:3])
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(xlsxPath), ".*tmp*"))
	if len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func checkRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d: %q", what, len(got), len(want), got)
	}
	for i := range want {
		// A spreadsheet drops empty cells at a row's end.
		row := append([]string(nil), got[i]...)
		for len(row) < len(want[i]) {
			row = append(row, "")
		}
		if !slices.Equal(row, want[i]) {
			t.Errorf("%s row %d = %q, want %q", what, i, got[i], want[i])
		}
	}
}

// ask queues an abstention unless told not to; an answer is not queued.
func TestAskQueues(t *testing.T) {
	dir := dataDir(t)
	count := func() int {
		raw, _ := os.ReadFile(filepath.Join(dir, queueFile))
		return strings.Count(string(raw), "\n")
	}
	before := count()
	if code, _, errOut := runCLI(t, "", "ask", "--data-dir", dir, "北京的养老金标准是多少?"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d entries after an abstention, want %d", n, before+1)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, queueFile))
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var e bot.QueueEntry
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &e); err != nil || e.Decision != bot.QueueNone || !strings.Contains(e.Question, "北京") {
		t.Errorf("last entry %s: %v", lines[len(lines)-1], err)
	}
	runCLI(t, "", "ask", "--data-dir", dir, "--queue=false", "北京的养老金标准是多少?")
	runCLI(t, "", "ask", "--data-dir", dir, "浑南区低保标准到2025年能到每月多少钱?")
	if n := count(); n != before+1 {
		t.Errorf("%d entries after --queue=false and an answer, want %d", n, before+1)
	}
}

// serve drops expired entries when it starts, and queues abstentions
// (from every route) and 👎 with their reasons.
func TestServeQueues(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	old, err := bot.OpenQueue(filepath.Join(dir, queueFile), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Record(bot.QueueEntry{Time: time.Now().Add(-200 * 24 * time.Hour), Question: "半年前的问题", Decision: bot.QueueNone}); err != nil {
		t.Fatal(err)
	}
	s, release := startServe(t, ctx, serveConfig{Config: Config{DataDir: dir, QueueRetention: bot.DefaultQueueRetention}}, 0)
	release()
	waitReady(t, s.url)

	post := func(path, body string) int {
		t.Helper()
		resp, err := http.Post(s.url+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("/v1/ask", `{"question":"北京的养老金标准是多少?"}`); code != 200 {
		t.Fatalf("ask: %d", code)
	}
	if code := post("/v1/chat/completions", `{"model":"minsheng","messages":[{"role":"user","content":"北京的低保标准是多少?"}]}`); code != 200 {
		t.Fatalf("chat completions: %d", code)
	}
	if code := post("/v1/feedback", `{"question":"浑南区低保标准是多少?","answer":"850元","helpful":false,"reason":"wrong_citation"}`); code != 204 {
		t.Fatalf("feedback: %d", code)
	}
	if code := post("/v1/feedback", `{"question":"浑南区低保标准是多少?","answer":"850元","helpful":false,"reason":"slow"}`); code != 400 {
		t.Errorf("feedback with a bad reason: %d, want 400", code)
	}
	var es []bot.QueueEntry
	deadline := time.Now().Add(10 * time.Second)
	for {
		es, err = old.Entries(time.Time{})
		raw, _ := os.ReadFile(filepath.Join(dir, queueFile))
		if err == nil && len(es) == 3 && !strings.Contains(string(raw), "半年前") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue %+v %v, want 3 entries and the expired one dropped:\n%s", es, err, raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := []string{es[0].Decision, es[1].Decision, es[2].Decision + ":" + es[2].Reason}
	if !slices.Equal(got, []string{bot.QueueNone, bot.QueueNone, bot.QueueDownvote + ":" + bot.MsgReasonWrongCitation}) {
		t.Errorf("queued %q", got)
	}
	cancel()
	<-s.done
}
