package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/minsheng/minsheng/retrieval"
)

var (
	sharedDirOnce sync.Once
	sharedDir     string
)

// dataDir is one index shared by the read-only tests of this package, so
// it is built once.
func dataDir(t *testing.T) string {
	sharedDirOnce.Do(func() {
		d, err := os.MkdirTemp("", "minsheng-cmd-test-")
		if err != nil {
			t.Fatal(err)
		}
		sharedDir = d
	})
	return sharedDir
}

// cliEnv makes the test binary run as the minsheng command itself, so that
// a test can start it as a separate process (under a file-size limit, say).
const cliEnv = "MINSHENG_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// The PDF engine's compiled code is kept where every test and every
	// run finds it: compiling takes seconds, and each test has its own
	// data directory (whose snapshots it must not change).
	if os.Getenv("MINSHENG_PDF_CACHE_DIR") == "" {
		os.Setenv("MINSHENG_PDF_CACHE_DIR", filepath.Join(os.TempDir(), "minsheng-test-pdfium-cache"))
	}
	code := m.Run()
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	if warmSrc != "" {
		os.RemoveAll(warmSrc)
	}
	os.Exit(code)
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAskBadInput(t *testing.T) {
	dir := dataDir(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no question", []string{"ask"}, "needs a question"},
		{"empty", []string{"ask", ""}, "问题是空的"},
		{"whitespace", []string{"ask", "  \t "}, "问题是空的"},
		{"punctuation", []string{"ask", "?!。,,"}, "标点"},
		{"too long", []string{"ask", strings.Repeat("养老", 5000)}, "太长"},
		{"invalid utf-8", []string{"ask", "低保\xff\xfe"}, "UTF-8"},
		{"control characters", []string{"ask", "低保\x07\x1b[2J"}, "控制字符"},
		{"unknown region", []string{"ask", "--region", "火星", "低保标准"}, "不认识这个地区"},
		{"bad k", []string{"ask", "--k", "0", "低保"}, "--k"},
		{"unknown flag", []string{"ask", "--nope", "低保"}, "flag provided but not defined"},
		{"bad allowed link", []string{"ask", "--allowed-links", "not a host", "低保"}, "allowed-links"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"no command", nil, "Usage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if len(args) > 0 && args[0] == "ask" {
				args = append([]string{"ask", "--data-dir", dir}, args[1:]...)
			}
			code, out, errOut := runCLI(t, "", args...)
			if code != exitBadInput {
				t.Errorf("exit %d, want %d (stdout %q)", code, exitBadInput, out)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tc.want)
			}
		})
	}
}

// Flags may follow the question, as people type them; "--" ends flags.
func TestFlagsAfterArguments(t *testing.T) {
	code, out, errOut := runCLI(t, "", "ask", "浑南区家庭医生团队有多少个?", "--json", "--data-dir", dataDir(t))
	if code != exitOK || !strings.HasPrefix(strings.TrimSpace(out), "{") || !strings.Contains(out, "179") {
		t.Errorf("exit %d: %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", "ask", "--data-dir", dataDir(t), "--json", "--", "-浑南区家庭医生团队有多少个?")
	if code != exitOK || !strings.Contains(out, `"question":"-浑南区家庭医生团队有多少个?"`) {
		t.Errorf("after --: exit %d: %.200s", code, out)
	}
}

// "--" given as a flag's value is that value, not the end of flags.
func TestDashDashAsValue(t *testing.T) {
	code, _, errOut := runCLI(t, "", "ask", "--data-dir", dataDir(t), "--region", "--", "低保标准", "--json")
	if code != exitBadInput || !strings.Contains(errOut, "不认识这个地区") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"ask", "ingest", "eval", "serve"} {
		code, out, _ := runCLI(t, "", cmd, "--help")
		if code != exitOK || !strings.Contains(out, "-data-dir") {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, out)
		}
	}
}

func TestAskJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "", "ask", "--data-dir", dataDir(t), "--json", "浑南区低保标准到2025年能到每月多少钱?")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"abstained", "answer", "citations", "confidence", "id", "mode", "passages", "question", "region"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("fields %v, want %v", keys, want)
	}
	var ans struct {
		Answer    string `json:"answer"`
		Mode      string `json:"mode"`
		Abstained bool   `json:"abstained"`
		Citations []struct {
			N                                           int
			Source, Title, Region, Date, Section, Quote string
		} `json:"citations"`
		Passages []struct{ Source, Title, Section, Text string } `json:"passages"`
	}
	json.Unmarshal([]byte(out), &ans)
	if ans.Mode != "extractive" || ans.Abstained || !strings.Contains(ans.Answer, "850") || !strings.Contains(ans.Answer, "[1]") {
		t.Errorf("answer: %+v", ans)
	}
	if len(ans.Citations) == 0 || ans.Citations[0].Source != "001_1a1d5eee5e46f0c9.txt" || ans.Citations[0].Date != "2023-10-30" ||
		ans.Citations[0].Section == "" || ans.Citations[0].Quote == "" || ans.Citations[0].Region != "辽宁省 › 沈阳市 › 浑南区" {
		t.Errorf("citation: %+v", ans.Citations)
	}
	if len(ans.Passages) < 10 {
		t.Errorf("%d passages, want at least 10", len(ans.Passages))
	}
}

func TestAskText(t *testing.T) {
	code, out, _ := runCLI(t, "", "ask", "--data-dir", dataDir(t), "沈阳要建成多少套保障房?")
	if code != exitOK || !strings.Contains(out, "来源:") || !strings.Contains(Fold(out), "1万套") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "ask", "--data-dir", dataDir(t), "给我讲个笑话")
	if code != exitOK || !strings.Contains(out, "12345") || strings.Contains(out, "来源:") {
		t.Errorf("out-of-scope question: exit %d:\n%s", code, out)
	}
}

func TestAskJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","q":"浑南区家庭医生团队有多少个?"}`,
		`not json`,
		`{"id":"c"}`,
		`{"id":"d","q":"   "}`,
		``,
		`{"id":"e","q":"大连农村自来水普及率要到多少?","kind":"answerable","gold":[]}`,
	}, "\n")
	code, out, errOut := runCLI(t, in, "ask", "--data-dir", dataDir(t), "--jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("output line is not JSON: %v", err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 5 {
		t.Fatalf("%d output lines, want 5:\n%s", len(lines), out)
	}
	wantErr := []bool{false, true, true, true, false}
	wantID := []string{"a", "", "c", "d", "e"}
	for i, m := range lines {
		_, isErr := m["error"]
		if isErr != wantErr[i] || (m["id"] != nil && m["id"] != wantID[i]) {
			t.Errorf("line %d: %v", i, m)
		}
	}
	if !strings.Contains(lines[0]["answer"].(string), "179") || !strings.Contains(Fold(lines[4]["answer"].(string)), "88%") {
		t.Errorf("answers: %v / %v", lines[0]["answer"], lines[4]["answer"])
	}
}

// A line over the limit gets an error object; the lines around it are
// answered.
func TestAskJSONLOversizedLine(t *testing.T) {
	in := `{"id":"a","q":"浑南区家庭医生团队有多少个?"}` + "\n" +
		`{"id":"big","q":"` + strings.Repeat("养", maxBatchLine) + `"}` + "\n" +
		`{"id":"c","q":"大连农村自来水普及率要到多少?"}`
	code, out, errOut := runCLI(t, in, "ask", "--data-dir", dataDir(t), "--jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"id":"a"`) || !strings.Contains(lines[1], `"line":2`) ||
		!strings.Contains(lines[1], "error") || !strings.Contains(lines[2], `"id":"c"`) {
		t.Errorf("got %d lines:\n%.300s", len(lines), out)
	}
}

// MINSHENG_REGION is for questions; it must not place an added document.
func TestIngestIgnoresRegionFromEnvironment(t *testing.T) {
	t.Setenv("MINSHENG_REGION", "大连")
	dir := t.TempDir()
	doc := filepath.Join(t.TempDir(), "n.txt")
	os.WriteFile(doc, []byte("关于浑南区助餐服务的通知\n1.建成食堂15个。"), 0o644)
	code, out, errOut := runCLI(t, "", "ingest", "--data-dir", dir, "--date", "2024", doc)
	if code != exitOK || !strings.Contains(out, "浑南区") || strings.Contains(out, "大连") {
		t.Errorf("exit %d: %s %s", code, out, errOut)
	}
}

func TestIngestThenAsk(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(t.TempDir(), "canteen.html")
	os.WriteFile(doc, []byte(`<html><body><nav>首页 | 关于</nav><h1>关于浑南区老年助餐补贴的通知</h1>
<p>一、补贴标准</p><p>1.对80周岁以上老人每餐补贴3元,由社区食堂直接减免。</p></body></html>`), 0o644)
	code, out, errOut := runCLI(t, "", "ingest", "--data-dir", dir, "--date", "2024-06-01", doc)
	if code != exitOK {
		t.Fatalf("ingest exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "辽宁省 › 沈阳市 › 浑南区") || !strings.Contains(out, "index ready: 6 documents") {
		t.Errorf("ingest output: %s", out)
	}
	code, out, _ = runCLI(t, "", "ask", "--data-dir", dir, "--json", "浑南80岁老人吃饭每餐补贴多少钱?")
	if code != exitOK || !strings.Contains(out, "canteen.html") || !strings.Contains(out, "3元") {
		t.Errorf("ask after ingest: %s", out)
	}
	// A file without a region or date is refused with advice, and nothing is lost.
	bare := filepath.Join(t.TempDir(), "bare.txt")
	os.WriteFile(bare, []byte("关于养老的通知\n1.建成食堂。"), 0o644)
	code, _, errOut = runCLI(t, "", "ingest", "--data-dir", dir, bare)
	if code != exitBadInput || !strings.Contains(errOut, "--region") {
		t.Errorf("bare file: exit %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, "", "ingest", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "6 documents") {
		t.Errorf("rebuild after refusal: %s", out)
	}
	code, _, errOut = runCLI(t, "", "ingest", "--data-dir", dir, "--region", "辽宁省/沈阳市", "--date", "2020", filepath.Join(t.TempDir(), "missing.txt"))
	if code != exitBadInput || !strings.Contains(errOut, "cannot read") {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
}

func TestEvalCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "", "eval", "--data-dir", dataDir(t), "--questions", "../../testdata/dev.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "recall@5") || !strings.Contains(out, `"abstained_when_oos"`) {
		t.Errorf("eval output:\n%s", out)
	}
	code, _, _ = runCLI(t, "", "eval", "--data-dir", dataDir(t), "--questions", "nope.jsonl")
	if code != exitBadInput {
		t.Errorf("missing questions file: exit %d", code)
	}
}

// eval --answers writes each judged answer, in the order asked.
func TestEvalAnswers(t *testing.T) {
	qs := filepath.Join(t.TempDir(), "qs.jsonl")
	lines := `{"id":"a","q":"沈阳要建成多少套保障房?","kind":"answerable","gold":[{"doc":"000","any":["保障房"]}],"facts":[["1万套"]]}
{"id":"b","q":"那大连呢?","kind":"answerable","gold":[{"doc":"002","any":["保障"]}],"facts":[],"context":["沈阳要建成多少套保障房?"]}
{"id":"c","q":"给我讲个笑话","kind":"oos","gold":[],"facts":[]}
`
	if err := os.WriteFile(qs, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "answers.jsonl")
	if code, _, errOut := runCLI(t, "", "eval", "--data-dir", dataDir(t), "--json", "--questions", qs, "--answers", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID, Q, Confidence, Answer string
		Context                   []string
	}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var a struct {
			ID, Q, Confidence, Answer string
			Context                   []string
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, a)
	}
	if len(got) != 3 || got[0].ID != "a" || got[1].ID != "b" || got[2].ID != "c" {
		t.Fatalf("answers: %+v", got)
	}
	if !strings.Contains(Fold(got[0].Answer), "1万套") || got[0].Confidence != "answer" || len(got[1].Context) != 1 || got[2].Confidence != "none" {
		t.Errorf("answers: %+v", got)
	}
	if code, _, _ := runCLI(t, "", "eval", "--data-dir", dataDir(t), "--questions", qs, "--answers", filepath.Join(t.TempDir(), "no", "such", "dir.jsonl")); code != exitBadInput {
		t.Errorf("unwritable answers file: exit %d", code)
	}
}

// ask --explain shows the reading and the decision; --after asks a
// follow-up.
func TestAskExplain(t *testing.T) {
	code, out, errOut := runCLI(t, "", "ask", "--data-dir", dataDir(t), "--queue=false", "--explain", "--after", "浑南区低保标准是多少?", "那大连呢?")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "judgement:") || !strings.Contains(out, `"decision": "closest"`) || !strings.Contains(out, "大连市") {
		t.Errorf("ask --explain:\n%s", out)
	}
	code, out, _ = runCLI(t, "", "ask", "--data-dir", dataDir(t), "--queue=false", "--json", "--explain", "浑南区有没有免费的护照")
	if code != exitOK || !strings.Contains(out, `"decision":"none"`) || !strings.Contains(out, `"reason":`) {
		t.Errorf("ask --json --explain: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "", "ask", "--data-dir", dataDir(t), "--after", " ", "低保"); code != exitBadInput {
		t.Errorf("empty --after: exit %d", code)
	}
}

func TestParseSweep(t *testing.T) {
	tests := []struct {
		in     string
		name   string
		values []float64
		ok     bool
	}{
		{"min_coverage=0.2:0.3:0.05", "min_coverage", []float64{0.2, 0.25, 0.3}, true},
		{"min_closest=0.1:0.1:0.1", "min_closest", []float64{0.1}, true},
		{"min_coverage", "", nil, false},
		{"min_coverage=0.3:0.2:0.1", "", nil, false},
		{"min_coverage=0.1:0.2:0", "", nil, false},
		{"min_coverage=a:0.2:0.1", "", nil, false},
		{"x=0:1000:0.001", "", nil, false},
	}
	for _, tc := range tests {
		name, values, err := parseSweep(tc.in)
		if (err == nil) != tc.ok || name != tc.name || !reflect.DeepEqual(values, tc.values) {
			t.Errorf("parseSweep(%q) = %q %v %v", tc.in, name, values, err)
		}
	}
}

// TestAllowedLinks: a link in an added document is scrubbed from answers
// unless its host is allowed (MINSHENG_ALLOWED_LINKS / --allowed-links).
func TestAllowedLinks(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(t.TempDir(), "apply.txt")
	os.WriteFile(doc, []byte("浑南区困难群众临时救助申请指南\n一、申请方式\n1.临时救助网上申请请访问 https://zwfw.hunnan.gov.cn/apply 填写,或访问 http://evil.example/apply 。\n"), 0o644)
	if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", dir, "--region", "辽宁省/沈阳市/浑南区", "--date", "2024-03-01", doc); code != exitOK {
		t.Fatalf("ingest: %s", errOut)
	}
	const q = "浑南区临时救助网上申请怎么办?"
	code, out, errOut := runCLI(t, "", "ask", "--data-dir", dir, q)
	if code != exitOK || !strings.Contains(out, "网上申请") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if strings.Contains(out, "evil.example") || strings.Contains(out, "hunnan.gov.cn") || !strings.Contains(out, "链接已省略") {
		t.Errorf("links not scrubbed:\n%s", out)
	}
	t.Setenv("MINSHENG_ALLOWED_LINKS", "hunnan.gov.cn, 96123")
	_, out, _ = runCLI(t, "", "ask", "--data-dir", dir, q)
	if strings.Contains(out, "evil.example") || !strings.Contains(out, "https://zwfw.hunnan.gov.cn/apply") {
		t.Errorf("allowed host not kept, or unvetted one shown:\n%s", out)
	}
}

var (
	warmOnce sync.Once
	warmSrc  string
	warmErr  error
)

// warmDir is a data folder of the test's own that already holds the seed
// index (copied from one built once), so that a test needing a folder to
// itself does not build the index again: under -race a build takes long.
func warmDir(t testing.TB) string {
	warmOnce.Do(func() {
		if warmSrc, warmErr = os.MkdirTemp("", "minsheng-warm-"); warmErr != nil {
			return
		}
		_, warmErr = Config{DataDir: warmSrc}.openIndex(context.Background(), io.Discard, false)
	})
	if warmErr != nil {
		t.Fatalf("seed index: %v", warmErr)
	}
	dir := t.TempDir()
	if err := os.CopyFS(retrieval.SnapshotDir(dir), os.DirFS(retrieval.SnapshotDir(warmSrc))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// --jsonl answers a line's "context" as a follow-up and explains each
// answer with --explain; --after belongs to a single question.
func TestAskJSONLFollowUpExplain(t *testing.T) {
	in := `{"id":"a","q":"那大连呢?","context":["浑南区低保标准是多少?"]}` + "\n"
	code, out, errOut := runCLI(t, in, "ask", "--data-dir", dataDir(t), "--queue=false", "--jsonl", "--explain")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var ans struct {
		Region    string
		Judgement *struct{ Decision string }
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// 大连's documents name its 低保 standard without an amount: closest.
	if !strings.Contains(ans.Region, "大连") || ans.Judgement == nil || ans.Judgement.Decision == "none" {
		t.Errorf("follow-up line: %s", out)
	}
	if code, _, _ := runCLI(t, in, "ask", "--data-dir", dataDir(t), "--jsonl", "--after", "浑南区低保标准是多少?"); code != exitBadInput {
		t.Errorf("--jsonl with --after: exit %d", code)
	}
}
