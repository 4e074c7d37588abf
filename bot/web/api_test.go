package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/metrics"
	"github.com/minsheng/minsheng/bot/web"
)

func TestAskDibao(t *testing.T) {
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t)}))
	tests := []struct {
		name   string
		accept string
	}{
		{"json", "application/json"},
		{"no accept header", ""},
		{"event stream", "text/event-stream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.accept != "" {
				hdr = []string{"Accept", tc.accept}
			}
			resp, body := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": dibaoQuestion}, hdr...)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if resp.Header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
			var ans bot.Answer
			if tc.accept == "text/event-stream" {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
					t.Fatalf("Content-Type %q", ct)
				}
				events := readEvents(t, body)
				var names []string
				for _, e := range events {
					names = append(names, e.name)
				}
				// At least one delta, then exactly answer and done, in order.
				if len(events) < 3 || events[0].name != "delta" ||
					events[len(events)-2].name != "answer" || events[len(events)-1].name != "done" {
					t.Fatalf("events %v, want delta… answer done", names)
				}
				var d struct{ Text string }
				decodeJSON(t, events[0].data, &d)
				if !strings.Contains(d.Text, "850") {
					t.Errorf("delta %q lacks 850", d.Text)
				}
				decodeJSON(t, events[len(events)-2].data, &ans)
			} else {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Fatalf("Content-Type %q", ct)
				}
				decodeJSON(t, body, &ans)
			}
			checkDibao(t, ans)
		})
	}
}

func checkDibao(t *testing.T, ans bot.Answer) {
	t.Helper()
	if ans.Abstained || !strings.Contains(ans.Answer, "850") {
		t.Errorf("answer lacks 850 (abstained=%v): %s", ans.Abstained, ans.Answer)
	}
	if len(ans.Citations) == 0 {
		t.Fatal("no citations")
	}
	c := ans.Citations[0]
	if !strings.Contains(c.Title, "浑南区") || !strings.Contains(c.Quote, "850") || c.N != 1 {
		t.Errorf("first citation %+v", c)
	}
	if !strings.Contains(ans.Answer, "[1]") {
		t.Errorf("answer has no [1] marker: %s", ans.Answer)
	}
}

func TestBadRequests(t *testing.T) {
	dir := t.TempDir()
	s := web.New(web.Options{Answerer: realAnswerer(t), Feedback: bot.NewFeedbackLog(filepath.Join(dir, "fb.jsonl"), "salt")})
	srv := start(t, s)
	_, emptyErr := bot.CleanQuestion("  ")
	big := `{"question":"` + strings.Repeat("问", 1<<20) + `"}` // 3 MB

	tests := []struct {
		name, method, path string
		body               any
		status             int
		wantMsg            string // part of the error message
		allow              string // expected Allow header
	}{
		{"malformed JSON", "POST", "/v1/ask", `{"question": "低保`, 400, "不是有效的JSON", ""},
		{"not an object", "POST", "/v1/ask", `["低保"]`, 400, "不是有效的JSON", ""},
		{"empty body", "POST", "/v1/ask", ``, 400, "请求体是空的", ""},
		{"unknown field", "POST", "/v1/ask", `{"q":"低保"}`, 400, `unknown field "q"`, ""},
		{"two values", "POST", "/v1/ask", `{"question":"低保"} {"question":"x"}`, 400, "多余", ""},
		{"empty question", "POST", "/v1/ask", `{"question":"   "}`, 400, bot.Reply(emptyErr), ""},
		{"punctuation only", "POST", "/v1/ask", `{"question":"???"}`, 400, "标点", ""},
		{"long conversation id", "POST", "/v1/ask", map[string]string{"question": "低保", "conversation": strings.Repeat("x", 500)}, 400, "conversation", ""},
		{"unknown region", "POST", "/v1/ask", map[string]string{"question": "低保标准", "region": "火星"}, 400, "不认识这个地区", ""},
		{"3 MB body", "POST", "/v1/ask", big, 413, "请求太大", ""},
		{"3 MB body without length", "POST", "/v1/ask", io.MultiReader(strings.NewReader(big)), 413, "请求太大", ""},
		{"3 MB to chat", "POST", "/v1/chat/completions", big, 413, "", ""},
		{"GET ask", "GET", "/v1/ask", nil, 405, "POST", "POST, OPTIONS"},
		{"DELETE documents", "DELETE", "/v1/documents", nil, 405, "GET", "GET, HEAD, OPTIONS"},
		{"GET chat", "GET", "/v1/chat/completions", nil, 405, "", "POST, OPTIONS"},
		{"unknown API route", "GET", "/v1/nothing", nil, 404, "没有这个接口", ""},
		{"feedback without helpful", "POST", "/v1/feedback", `{"question":"低保"}`, 400, "helpful", ""},
		{"feedback malformed", "POST", "/v1/feedback", `{"helpful":"yes"}`, 400, "JSON", ""},
		// Go's JSON decoder would turn these bytes into U+FFFD silently.
		{"invalid UTF-8 question", "POST", "/v1/ask", "{\"question\":\"低保\xff\xfe标准\"}", 400, "UTF-8", ""},
		{"invalid UTF-8 to chat", "POST", "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"低保\xc3\"}]}", 400, "", ""},
		{"invalid UTF-8 feedback", "POST", "/v1/feedback", "{\"question\":\"低保\xff\",\"helpful\":true}", 400, "UTF-8", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.method, srv.URL+tc.path, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, truncate(body, 300))
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			if strings.HasPrefix(tc.path, "/v1/chat") {
				var e struct {
					Error struct{ Message, Type string }
				}
				decodeJSON(t, body, &e)
				if e.Error.Message == "" || e.Error.Type == "" {
					t.Errorf("not an OpenAI error: %s", body)
				}
			} else if msg := errorOf(t, body); !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("error %q lacks %q", msg, tc.wantMsg)
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
}

func TestNotReady(t *testing.T) {
	s := web.New(web.Options{})
	srv := start(t, s)
	checks := []struct {
		path   string
		method string
		body   any
		status int
	}{
		{"/healthz", "GET", nil, 200},
		{"/readyz", "GET", nil, 503},
		{"/v1/ask", "POST", map[string]string{"question": dibaoQuestion}, 503},
		{"/v1/ask", "POST", map[string]string{"question": ""}, 400}, // the question is checked first
		{"/v1/documents", "GET", nil, 503},
		{"/v1/chat/completions", "POST", map[string]any{"messages": []map[string]string{{"role": "user", "content": dibaoQuestion}}}, 503},
		{"/v1/models", "GET", nil, 200},
		{"/", "GET", nil, 200},
	}
	for _, c := range checks {
		resp, body := do(t, c.method, srv.URL+c.path, c.body)
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: %d, want %d: %s", c.method, c.path, resp.StatusCode, c.status, body)
		}
		if c.status == 503 && c.path != "/readyz" && resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", c.path)
		}
	}
	s.SetAnswerer(realAnswerer(t))
	resp, body := do(t, "GET", srv.URL+"/readyz", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"ready"`) {
		t.Errorf("readyz after SetAnswerer: %d %s", resp.StatusCode, body)
	}
}

func TestDocumentsAndRegions(t *testing.T) {
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t)}))
	resp, body := do(t, "GET", srv.URL+"/v1/documents", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("documents: %d %s", resp.StatusCode, body)
	}
	var docs struct {
		Documents []struct {
			Title, Issuer, Region, Date, Kind, Source string
			RegionPath                                []string `json:"region_path"`
			InForce                                   *bool    `json:"in_force"`
		}
	}
	decodeJSON(t, body, &docs)
	for _, d := range docs.Documents {
		if d.InForce == nil || !*d.InForce {
			t.Errorf("%s: in_force missing or false for a seed document", d.Source)
		}
	}
	if len(docs.Documents) != len(realAnswerer(t).Documents()) || len(docs.Documents) == 0 {
		t.Fatalf("%d documents listed", len(docs.Documents))
	}
	for _, d := range docs.Documents {
		if d.Title == "" || d.Issuer == "" || d.Region == "" || d.Date == "" || d.Kind == "" || d.Source == "" || len(d.RegionPath) == 0 {
			t.Errorf("incomplete document %+v", d)
		}
	}

	resp, body = do(t, "GET", srv.URL+"/v1/regions", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("regions: %d %s", resp.StatusCode, body)
	}
	var regs struct {
		Regions []struct {
			Name, Label string
			Path        []string
			Depth       int
		}
	}
	decodeJSON(t, body, &regs)
	pos := map[string]int{}
	for i, r := range regs.Regions {
		pos[r.Name] = i
		if r.Depth != len(r.Path)-1 || r.Path[len(r.Path)-1] != r.Name {
			t.Errorf("region %+v", r)
		}
	}
	for _, want := range []string{"辽宁省", "沈阳市", "浑南区", "大连市", "沙河口区"} {
		if _, ok := pos[want]; !ok {
			t.Errorf("regions lack %s: %s", want, body)
		}
	}
	if pos["沈阳市"] > pos["浑南区"] || pos["大连市"] > pos["沙河口区"] {
		t.Errorf("a child is listed before its parent: %s", body)
	}
	// Every listed name is one the search accepts as a region.
	for _, r := range regs.Regions {
		resp, body := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "养老服务", "region": r.Name})
		if resp.StatusCode != 200 {
			t.Errorf("region %s refused: %d %s", r.Name, resp.StatusCode, body)
		}
	}
	resp, _ = do(t, "HEAD", srv.URL+"/v1/documents", nil)
	if resp.StatusCode != 200 {
		t.Errorf("HEAD documents: %d", resp.StatusCode)
	}
}

func TestFeedback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), Feedback: bot.NewFeedbackLog(path, "pepper")}))
	votes := []struct {
		body   map[string]any
		status int
	}{
		{map[string]any{"question": dibaoQuestion + " 我电话13812345678", "answer": "850元[1]。", "helpful": true,
			"sources": []string{"001_1a1d5eee5e46f0c9.txt"}, "conversation": "c1"}, 204},
		{map[string]any{"question": dibaoQuestion, "answer": "850元[1]。", "helpful": false}, 204},
		{map[string]any{"question": "", "helpful": true}, 400},
	}
	for _, v := range votes {
		resp, body := do(t, "POST", srv.URL+"/v1/feedback", v.body)
		if resp.StatusCode != v.status {
			t.Errorf("feedback %v: %d, want %d: %s", v.body, resp.StatusCode, v.status, body)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d feedback lines, want 2:\n%s", len(lines), raw)
	}
	var first, second struct {
		Channel  string
		UserHash string `json:"user_hash"`
		Question string
		Helpful  bool
		Sources  []string
	}
	decodeJSON(t, lines[0], &first)
	decodeJSON(t, lines[1], &second)
	if !first.Helpful || second.Helpful || len(first.Sources) != 1 {
		t.Errorf("votes recorded wrongly:\n%s", raw)
	}
	if strings.Contains(string(raw), "13812345678") || strings.Contains(string(raw), "c1") {
		t.Errorf("feedback log holds a phone number or a raw user id:\n%s", raw)
	}
	if first.UserHash == "" || first.UserHash == second.UserHash {
		t.Errorf("user hashes %q %q: want distinct (conversation vs remote address)", first.UserHash, second.UserHash)
	}

	// Without a log the endpoint says so instead of pretending.
	srv2 := start(t, web.New(web.Options{Answerer: realAnswerer(t)}))
	resp, _ := do(t, "POST", srv2.URL+"/v1/feedback", votes[1].body)
	if resp.StatusCode != 503 {
		t.Errorf("feedback without log: %d, want 503", resp.StatusCode)
	}
}

// What one client can append to the feedback log is bounded: in size, in
// what sources may name, and in rate.
func TestFeedbackLimits(t *testing.T) {
	const doc = "001_1a1d5eee5e46f0c9.txt"
	vote := func(sources ...string) map[string]any {
		return map[string]any{"question": dibaoQuestion, "answer": "850元[1]。", "helpful": true, "sources": sources}
	}
	many := make([]string, 11)
	for i := range many {
		many[i] = doc
	}
	tests := []struct {
		name    string
		body    any
		status  int
		wantMsg string
		logged  []string // sources of the recorded line; nil = nothing recorded
	}{
		{"catalog source", vote(doc), 204, "", []string{doc}},
		{"repeated source kept once", vote(doc, doc, "002_1ae0edc04d5e94e4.txt"), 204, "", []string{doc, "002_1ae0edc04d5e94e4.txt"}},
		{"no sources", vote(), 204, "", []string{}},
		{"made-up source", vote(doc, "我的日记.txt"), 400, "收录", nil},
		{"path as source", vote("../../etc/passwd"), 400, "收录", nil},
		{"too many sources", vote(many...), 400, "来源太多", nil},
		{"over 16 KiB", map[string]any{"question": dibaoQuestion, "answer": strings.Repeat("长", 6000), "helpful": true}, 413, "请求太大", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "feedback.jsonl")
			srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), Feedback: bot.NewFeedbackLog(path, "salt")}))
			resp, body := do(t, "POST", srv.URL+"/v1/feedback", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, truncate(body, 300))
			}
			if tc.wantMsg != "" {
				if msg := errorOf(t, body); !strings.Contains(msg, tc.wantMsg) {
					t.Errorf("error %q lacks %q", msg, tc.wantMsg)
				}
			}
			raw, err := os.ReadFile(path)
			if tc.logged == nil {
				if err == nil && len(raw) > 0 {
					t.Errorf("refused vote was recorded:\n%s", raw)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rec struct{ Sources []string }
			decodeJSON(t, strings.TrimSpace(string(raw)), &rec)
			if !slices.Equal(rec.Sources, tc.logged) && !(len(rec.Sources) == 0 && len(tc.logged) == 0) {
				t.Errorf("recorded sources %q, want %q", rec.Sources, tc.logged)
			}
		})
	}

	// One address gets a burst of votes, then has to wait.
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), Feedback: bot.NewFeedbackLog(path, "salt")}))
	var codes []int
	var retryAfter string
	for range 12 {
		resp, _ := do(t, "POST", srv.URL+"/v1/feedback", vote(doc))
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			retryAfter = resp.Header.Get("Retry-After")
		}
	}
	want := []int{204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 429, 429}
	if !slices.Equal(codes, want) {
		t.Errorf("statuses %v, want %v", codes, want)
	}
	if n, err := strconv.Atoi(retryAfter); err != nil || n < 1 || n > 3 {
		t.Errorf("Retry-After %q, want 1–3 seconds", retryAfter)
	}
	raw, _ := os.ReadFile(path)
	if n := strings.Count(string(raw), "\n"); n != 10 {
		t.Errorf("%d votes recorded, want 10", n)
	}
}

func TestAuth(t *testing.T) {
	const token = "s3cret-token"
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), APIToken: token}))
	ask := map[string]string{"question": dibaoQuestion}
	tests := []struct {
		name, method, path string
		body               any
		auth               string
		status             int
	}{
		{"ask without token", "POST", "/v1/ask", ask, "", 401},
		{"ask with wrong token", "POST", "/v1/ask", ask, "Bearer nope", 401},
		{"ask with token as basic", "POST", "/v1/ask", ask, "Basic " + token, 401},
		{"ask with token", "POST", "/v1/ask", ask, "Bearer " + token, 200},
		{"scheme is case-insensitive", "POST", "/v1/ask", ask, "bearer " + token, 200},
		{"documents without token", "GET", "/v1/documents", nil, "", 401},
		{"models without token", "GET", "/v1/models", nil, "", 401},
		{"page is open", "GET", "/", nil, "", 200},
		{"assets are open", "GET", "/assets/app.js", nil, "", 200},
		{"health is open", "GET", "/healthz", nil, "", 200},
		{"readiness is open", "GET", "/readyz", nil, "", 200},
		{"preflight needs no token", "OPTIONS", "/v1/ask", nil, "", 204},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			resp, body := do(t, tc.method, srv.URL+tc.path, tc.body, hdr...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate: Bearer")
			}
		})
	}
}

func TestCORS(t *testing.T) {
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), CORSOrigins: []string{"https://jiedao.example.cn", " https://other.example/ "}}))
	tests := []struct {
		name, method, origin string
		status               int
		allowOrigin          string
		allowMethods         string
	}{
		{"preflight from allowed origin", "OPTIONS", "https://jiedao.example.cn", 204, "https://jiedao.example.cn", "POST, OPTIONS"},
		{"origin configured with slash and spaces", "OPTIONS", "https://other.example", 204, "https://other.example", "POST, OPTIONS"},
		{"preflight from another origin", "OPTIONS", "https://evil.example", 204, "", ""},
		{"request from allowed origin", "POST", "https://jiedao.example.cn", 200, "https://jiedao.example.cn", ""},
		{"request from another origin", "POST", "https://evil.example", 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			hdr := []string{"Origin", tc.origin}
			if tc.method == "OPTIONS" {
				hdr = append(hdr, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
			} else {
				body = map[string]string{"question": dibaoQuestion}
			}
			resp, out := do(t, tc.method, srv.URL+"/v1/ask", body, hdr...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, out)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Allow-Origin %q, want %q", got, tc.allowOrigin)
			}
			if got := resp.Header.Get("Access-Control-Allow-Methods"); got != tc.allowMethods {
				t.Errorf("Allow-Methods %q, want %q", got, tc.allowMethods)
			}
			if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
				t.Error("no Vary: Origin")
			}
		})
	}
	// "*" lets any origin in.
	any := start(t, web.New(web.Options{Answerer: realAnswerer(t), CORSOrigins: []string{"*"}}))
	resp, _ := do(t, "OPTIONS", any.URL+"/v1/chat/completions", nil, "Origin", "https://x.example", "Access-Control-Request-Method", "POST")
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://x.example" {
		t.Errorf("CORS *: Allow-Origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
}

func TestStreamFailures(t *testing.T) {
	unavailable := &bot.Error{Kind: bot.KindUnavailable, Message: "大模型暂时不可用,请稍后再试。"}
	tests := []struct {
		name     string
		fake     *fake
		status   int
		events   []string // event names of /v1/ask's stream
		contains string
	}{
		{"fails before any text", &fake{err: unavailable}, 503, nil, unavailable.Message},
		{"fails mid-stream", &fake{deltas: []string{"根据"}, err: errors.New("boom")}, 200, []string{"delta", "error"}, "抱歉"},
		{"final answer replaces deltas", &fake{deltas: []string{"草稿"}, ans: bot.Answer{Answer: "定稿"}}, 200,
			[]string{"delta", "answer", "done"}, "定稿"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t, web.New(web.Options{Answerer: tc.fake}))
			resp, body := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "低保"}, "Accept", "text/event-stream")
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if !strings.Contains(body, tc.contains) {
				t.Errorf("body lacks %q: %s", tc.contains, body)
			}
			if strings.Contains(body, "boom") {
				t.Errorf("internal error text reached the client: %s", body)
			}
			if tc.events == nil {
				errorOf(t, body)
				return
			}
			var names []string
			for _, e := range readEvents(t, body) {
				names = append(names, e.name)
			}
			if strings.Join(names, " ") != strings.Join(tc.events, " ") {
				t.Errorf("events %v, want %v", names, tc.events)
			}
		})
	}
}

func TestPanicIsA500(t *testing.T) {
	var logs bytes.Buffer
	srv := start(t, web.New(web.Options{Answerer: &fake{panics: true}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}))
	resp, body := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "低保 我的电话13812345678"})
	if resp.StatusCode != 500 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	errorOf(t, body)
	// The panic value quotes the question: it is logged masked.
	if !strings.Contains(logs.String(), "fake answerer panics") || strings.Contains(logs.String(), "13812345678") {
		t.Errorf("panic not logged, or logged unmasked: %s", logs.String())
	}
}

// The access log and answer log must never carry a resident's words, a
// phone number or a token.
func TestLogsHoldNoPersonalData(t *testing.T) {
	var logs bytes.Buffer
	const token = "tok-9f8e7d6c5b4a"
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), APIToken: token,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	q := "我是浑南区的,电话13912345678,身份证210112198001011234,低保标准是多少?"
	resp, body := do(t, "POST", srv.URL+"/v1/ask?token="+token, map[string]string{"question": q}, "Authorization", "Bearer "+token)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	do(t, "GET", srv.URL+"/nothing/13912345678", nil)
	out := logs.String()
	for _, secret := range []string{"13912345678", "210112198001011234", token} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	// Only the debug line carries the question, masked.
	var sawAccess, sawMasked bool
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "http" && rec["route"] == "/v1/ask" {
			sawAccess = rec["status"] == float64(200) && rec["method"] == "POST" && rec["duration_ms"] != nil
		}
		if q, ok := rec["question"].(string); ok {
			if rec["level"] != "DEBUG" || !strings.Contains(q, "[手机号]") {
				t.Errorf("question logged at %v: %q", rec["level"], q)
			}
			sawMasked = true
		}
	}
	if !sawAccess || !sawMasked {
		t.Errorf("access line %v, masked debug line %v:\n%s", sawAccess, sawMasked, out)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	m := metrics.New(nil)
	s := web.New(web.Options{Answerer: realAnswerer(t), Metrics: m})
	s.Handle("GET /metrics", m.Handler())
	srv := start(t, s)
	do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": dibaoQuestion})
	do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": ""})
	do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "北京的低保标准是多少?"})
	do(t, "GET", srv.URL+"/no/such/page", nil)
	resp, body := do(t, "GET", srv.URL+"/metrics", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`minsheng_questions_total{channel="web",outcome="answered"} 1`,
		`minsheng_questions_total{channel="web",outcome="abstained"} 1`,
		`minsheng_abstentions_total{channel="web"} 1`,
		`minsheng_errors_total{channel="web",kind="bad_input"} 1`,
		`minsheng_http_requests_total{code="200",route="/v1/ask"}`,
		`minsheng_http_requests_total{code="400",route="/v1/ask"} 1`,
		`minsheng_http_requests_total{code="404",route="unmatched"} 1`,
		`minsheng_answer_duration_seconds_bucket{channel="web",stage="retrieval"`,
		`minsheng_http_request_duration_seconds_count{route="/v1/ask"} 3`,
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// blocking answers only when released, to hold a slot.
type blocking struct {
	fake
	entered chan struct{}
	release chan struct{}
}

func (b *blocking) AnswerStream(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
	b.entered <- struct{}{}
	<-b.release
	return bot.Answer{Question: req.Question, Answer: "好的。"}, nil
}

func TestBusy(t *testing.T) {
	b := &blocking{entered: make(chan struct{}, 1), release: make(chan struct{})}
	srv := start(t, web.New(web.Options{Answerer: b, MaxConcurrent: 1, QueueWait: 50 * time.Millisecond}))
	first := make(chan int, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/v1/ask", "application/json", strings.NewReader(`{"question":"低保"}`))
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-b.entered // the only slot is taken
	for _, path := range []string{"/v1/ask", "/v1/chat/completions"} {
		body := any(map[string]string{"question": "低保"})
		if path == "/v1/chat/completions" {
			body = map[string]any{"messages": []map[string]string{{"role": "user", "content": "低保"}}}
		}
		resp, out := do(t, "POST", srv.URL+path, body)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(out, "人比较多") {
			t.Errorf("%s while busy: %d Retry-After %q: %s", path, resp.StatusCode, resp.Header.Get("Retry-After"), out)
		}
	}
	close(b.release)
	if code := <-first; code != 200 {
		t.Errorf("the question holding the slot: %d", code)
	}
	// The slot is free again.
	resp, _ := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "低保"})
	if resp.StatusCode != 200 {
		t.Errorf("after release: %d", resp.StatusCode)
	}
}

// TestCrisisNotLogged: a crisis message gets the crisis reply over HTTP and
// leaves no trace of its words in the logs, even at debug level; the
// answer line says only its route.
func TestCrisisNotLogged(t *testing.T) {
	var logs bytes.Buffer
	srv := start(t, web.New(web.Options{Answerer: freshAnswerer(t),
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	resp, body := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "我不想活了,活着没意思"})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var ans bot.Answer
	decodeJSON(t, body, &ans)
	if ans.Route != bot.RouteCrisis || !strings.Contains(ans.Answer, "12356") || !ans.Abstained {
		t.Errorf("answer %+v", ans)
	}
	if out := logs.String(); strings.Contains(out, "不想活") || strings.Contains(out, "没意思") {
		t.Errorf("the crisis message was logged:\n%s", out)
	} else if !strings.Contains(out, `"route":"crisis"`) {
		t.Errorf("no answer line with the route:\n%s", out)
	}
}
