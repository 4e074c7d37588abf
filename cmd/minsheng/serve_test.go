package main

import (
	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval/retrievaltest"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
	"github.com/minsheng/minsheng/retrieval"
)

// seedIndex is the in-memory index of the embedded documents, built once.
func seedIndex(t *testing.T) *retrieval.Index { return retrievaltest.SeedIndex(t) }

// slowSearch makes every answer take a while, so that a shutdown can
// happen while one is in flight.
type slowSearch struct {
	ix    *retrieval.Index
	delay time.Duration
}

func (s slowSearch) Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error) {
	time.Sleep(s.delay) // deliberately deaf to ctx: the answer must be let finish
	return s.ix.Search(ctx, q)
}

// syncBuffer is a log sink the server goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type started struct {
	url  string
	done chan error
	logs *syncBuffer
}

// startServe runs serve on a loopback port. open is released by the
// returned func, so a test sees the server before the index is ready.
func startServe(t *testing.T, ctx context.Context, cfg serveConfig, delay time.Duration) (started, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 10 * time.Second
	}
	release := make(chan struct{})
	ix := seedIndex(t)
	open := func(ctx context.Context, hooks answererHooks) (*bot.Answerer, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		rd, err := bot.NewReader(ix, judge.DefaultPolicy(), nil)
		if err != nil {
			return nil, err
		}
		return bot.NewAnswerer(slowSearch{ix, delay}, bot.Options{Documents: ix.Documents(), Reader: rd,
			OnLLMError: hooks.Metrics.LLMError, OnRoute: hooks.Metrics.Route, OnStripped: hooks.Metrics.Stripped,
			OnUnanswered: hooks.OnUnanswered}), nil
	}
	s := started{url: "http://" + ln.Addr().String(), done: make(chan error, 1), logs: &syncBuffer{}}
	log := slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	go func() { s.done <- serve(ctx, cfg, ln, open, log) }()
	var once sync.Once
	return s, func() { once.Do(func() { close(release) }) }
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	// Building the seed index takes about 2 s; under -race on a loaded
	// 2-core runner ten times that has been seen.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if code, _ := get(t, url+"/readyz"); code == 200 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server never became ready")
}

func TestServeLifecycle(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dataDir := t.TempDir()
	s, release := startServe(t, ctx, serveConfig{Config: Config{DataDir: dataDir}}, 600*time.Millisecond)
	defer release()

	// Before the index: alive, not ready.
	if code, _ := get(t, s.url+"/healthz"); code != 200 {
		t.Errorf("healthz while loading: %d", code)
	}
	if code, body := get(t, s.url+"/readyz"); code != 503 {
		t.Errorf("readyz while loading: %d %s", code, body)
	}
	release()
	waitReady(t, s.url)

	if code, body := get(t, s.url+"/"); code != 200 || !strings.Contains(body, "民生问答") {
		t.Errorf("page: %d", code)
	}

	// A question in flight when the shutdown starts is answered in full.
	type result struct {
		code int
		ans  bot.Answer
		err  error
	}
	inflight := make(chan result, 1)
	go func() {
		resp, err := http.Post(s.url+"/v1/ask", "application/json",
			strings.NewReader(`{"question":"浑南区低保标准到2025年能到每月多少钱?"}`))
		if err != nil {
			inflight <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var r result
		r.code = resp.StatusCode
		r.err = json.NewDecoder(resp.Body).Decode(&r.ans)
		inflight <- r
	}()
	time.Sleep(200 * time.Millisecond) // the answer is now inside slowSearch
	if code, body := get(t, s.url+"/metrics"); code != 200 || !strings.Contains(body, "minsheng_http_requests_total") {
		t.Errorf("/metrics: %d", code)
	}
	cancel()

	r := <-inflight
	if r.err != nil || r.code != 200 || !strings.Contains(r.ans.Answer, "850") || len(r.ans.Citations) == 0 {
		t.Errorf("in-flight answer: code %d err %v answer %q", r.code, r.err, r.ans.Answer)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
	if _, err := http.Get(s.url + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
	for _, want := range []string{`"msg":"listening"`, `"msg":"ready"`, `"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(s.logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, s.logs.String())
		}
	}
	if strings.Contains(s.logs.String(), "浑南区低保") && !strings.Contains(s.logs.String(), `"level":"DEBUG","msg":"question"`) {
		t.Errorf("question text outside the debug line:\n%s", s.logs.String())
	}
	// The salt for hashing voters was made once, privately.
	if fi, err := os.Stat(filepath.Join(dataDir, "feedback.salt")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("feedback.salt: %v %v", fi, err)
	}
}

func TestServeShutdownIsBounded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, release := startServe(t, ctx, serveConfig{ShutdownTimeout: 200 * time.Millisecond}, 3*time.Second)
	release()
	waitReady(t, s.url)
	go http.Post(s.url+"/v1/ask", "application/json", strings.NewReader(`{"question":"低保标准"}`))
	time.Sleep(100 * time.Millisecond)
	begin := time.Now()
	cancel()
	select {
	case err := <-s.done:
		if err == nil || !strings.Contains(err.Error(), "cut") {
			t.Errorf("serve: %v, want an error saying requests were cut", err)
		}
		if d := time.Since(begin); d > 2*time.Second {
			t.Errorf("shutdown took %v with a 200ms bound", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("shutdown not bounded")
	}
}

func TestServeStopsWhenTheIndexFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("index is corrupt")
	open := func(context.Context, answererHooks) (*bot.Answerer, error) { return nil, boom }
	err = serve(context.Background(), serveConfig{Config: Config{DataDir: t.TempDir()}, ShutdownTimeout: time.Second}, ln, open,
		slog.New(slog.DiscardHandler))
	if !errors.Is(err, boom) {
		t.Errorf("serve: %v, want the index error", err)
	}
}

func TestServeFlags(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		out  string // part of stderr
	}{
		{"unknown flag", []string{"serve", "--bogus"}, nil, exitBadInput, "bogus"},
		{"argument", []string{"serve", "extra"}, nil, exitBadInput, "no arguments"},
		{"bad log level", []string{"serve", "--log-level", "loud"}, nil, exitBadInput, "log-level"},
		{"bad MINSHENG_LOG_JSON", []string{"serve"}, map[string]string{"MINSHENG_LOG_JSON": "maybe"}, exitBadInput, "MINSHENG_LOG_JSON"},
		{"bad shutdown timeout", []string{"serve", "--shutdown-timeout", "soon"}, nil, exitBadInput, "shutdown-timeout"},
		{"address in use", []string{"serve", "--data-dir", dir}, map[string]string{"MINSHENG_HTTP_ADDR": "in-use"}, exitFailure, "listen on"},
		{"bad frame ancestor", []string{"serve"}, map[string]string{"MINSHENG_FRAME_ANCESTORS": "https://www.hunnan.gov.cn/chat"}, exitBadInput, "MINSHENG_FRAME_ANCESTORS"},
		{"frame ancestor *", []string{"serve", "--frame-ancestors", "*"}, nil, exitBadInput, "frame-ancestors"},
		// The webhook path becomes a route: it may not be one of the server's.
		{"webhook at /", []string{"serve"}, webhookEnv("https://bot.example.org/"), exitBadInput, "server's own route"},
		{"webhook under /v1/", []string{"serve"}, webhookEnv("https://bot.example.org/v1/telegram"), exitBadInput, "under /v1/"},
		{"webhook at /v1", []string{"serve"}, webhookEnv("https://bot.example.org/v1"), exitBadInput, "under /v1/"},
		{"webhook at /metrics", []string{"serve"}, webhookEnv("https://bot.example.org/metrics"), exitBadInput, "server's own route"},
		{"webhook at /healthz/", []string{"serve"}, webhookEnv("https://bot.example.org/healthz/"), exitBadInput, "server's own route"},
		{"webhook under /assets/", []string{"serve"}, webhookEnv("https://bot.example.org/assets/hook"), exitBadInput, "under /assets/"},
		{"webhook under /admin/", []string{"serve"}, webhookEnv("https://bot.example.org/admin/hook"), exitBadInput, "under /admin/"},
		{"webhook path with escapes", []string{"serve"}, webhookEnv("https://bot.example.org/tg%2Fhook"), exitBadInput, "must be plain"},
		// A context that is already done: listen, log, stop cleanly.
		{"clean stop, JSON logs", []string{"serve", "--data-dir", dir, "--http-addr", "127.0.0.1:0", "--log-json"}, nil, exitOK, `"msg":"listening"`},
		{"address from the environment", []string{"serve", "--data-dir", dir}, map[string]string{"MINSHENG_HTTP_ADDR": "127.0.0.1:0",
			"MINSHENG_LOG_JSON": "true", "MINSHENG_API_TOKEN": "tok-secret-42"}, exitOK, `"addr":"127.0.0.1:`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				if v == "in-use" {
					ln, err := net.Listen("tcp", "127.0.0.1:0")
					if err != nil {
						t.Fatal(err)
					}
					defer ln.Close()
					v = ln.Addr().String()
				}
				t.Setenv(k, v)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.out) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", code, tc.code, tc.out, stderr.String())
			}
			if strings.Contains(stderr.String(), "tok-secret-42") {
				t.Errorf("the API token was logged:\n%s", stderr.String())
			}
		})
	}
}

// webhookEnv configures a Telegram webhook at url.
func webhookEnv(url string) map[string]string {
	return map[string]string{"MINSHENG_TELEGRAM_TOKEN": "123:secret-token", "MINSHENG_TELEGRAM_WEBHOOK_URL": url,
		"MINSHENG_TELEGRAM_WEBHOOK_SECRET": "hook-secret"}
}

var listenAddr = regexp.MustCompile(`"msg":"listening".*?"addr":"([^"]+)"`)

// runServeCmd runs `minsheng serve` as the command line does, with env set,
// on a free loopback port, and returns its URL once it is ready; stop
// shuts it down and returns the exit code.
func runServeCmd(t *testing.T, env map[string]string) (url string, logs *syncBuffer, stop func() int) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan int, 1)
	dir := dataDir(t)
	if d, ok := env["MINSHENG_DATA_DIR"]; ok {
		dir = d // a test that writes to the data folder has its own
	}
	go func() {
		done <- run(ctx, []string{"serve", "--http-addr", "127.0.0.1:0", "--log-json", "--data-dir", dir},
			strings.NewReader(""), io.Discard, logs)
	}()
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Error("serve did not stop")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := listenAddr.FindStringSubmatch(logs.String()); m != nil {
			url = "http://" + m[1]
			break
		}
		select {
		case c := <-done:
			t.Fatalf("serve exited with %d:\n%s", c, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never listened:\n%s", logs.String())
		}
	}
	waitReady(t, url)
	return url, logs, stop
}

// A webhook URL without a path gets /telegram/webhook, where the server
// then takes Telegram's updates (they used to reach POST / and a 405).
func TestServeWebhookDefaultPath(t *testing.T) {
	fake := &fakeBotAPI{}
	api := httptest.NewServer(fake)
	defer api.Close()
	env := webhookEnv("https://bot.example.org")
	env["MINSHENG_TELEGRAM_API_URL"] = api.URL
	url, logs, stop := runServeCmd(t, env)

	update := `{"update_id":2001,"message":{"message_id":9,"date":1700000000,"chat":{"id":8,"type":"private"},` +
		`"from":{"id":8,"is_bot":false,"first_name":"居民"},"text":"浑南区低保标准到2025年能到每月多少钱?"}}`
	post := func(path, secret string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", url+path, strings.NewReader(update))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The webhook is registered once Telegram has been asked who the bot
	// is; until then the route answers, but nothing consumes updates.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "telegram webhook registered") {
		if time.Now().After(deadline) {
			t.Fatalf("webhook never registered:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code := post("/telegram/webhook", "wrong"); code != http.StatusForbidden {
		t.Errorf("wrong secret: %d, want 403", code)
	}
	if code := post("/telegram/webhook", "hook-secret"); code != http.StatusOK {
		t.Fatalf("update: %d, want 200", code)
	}
	deadline = time.Now().Add(20 * time.Second)
	for fake.answerTo("8") == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no answer to chat 8:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d:\n%s", code, logs.String())
	}
}

// MINSHENG_FRAME_ANCESTORS lets the named sites embed the chat page.
func TestServeFrameAncestors(t *testing.T) {
	url, _, _ := runServeCmd(t, map[string]string{"MINSHENG_FRAME_ANCESTORS": "https://www.hunnan.gov.cn, 'self'"})
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors https://www.hunnan.gov.cn 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if xfo := resp.Header.Get("X-Frame-Options"); xfo != "" {
		t.Errorf("X-Frame-Options %q would forbid the named site", xfo)
	}
}

// A failed LLM call is counted in minsheng_llm_errors_total, through the
// hook serve gives the answerer.
func TestServeCountsLLMErrors(t *testing.T) {
	llm := fakeChat(t, "", http.StatusInternalServerError, false)
	url, logs, _ := runServeCmd(t, map[string]string{"MINSHENG_LLM_BASE_URL": llm.URL + "/v1", "MINSHENG_LLM_MODEL": "fake",
		"MINSHENG_LLM_API_KEY": "sk-test", "MINSHENG_LLM_TIMEOUT": "5s"})
	resp, err := http.Post(url+"/v1/ask", "application/json", strings.NewReader(`{"question":"浑南区低保标准到2025年能到每月多少钱?"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "850") {
		t.Fatalf("answer without the LLM: %d %s", resp.StatusCode, body)
	}
	code, metrics := get(t, url+"/metrics")
	for _, want := range []string{
		`minsheng_llm_errors_total{reason="server"} 1`,
		`minsheng_llm_fallbacks_total{channel="web",reason="server"} 1`,
	} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Errorf("/metrics (%d) lacks %s", code, want)
		}
	}
	if strings.Contains(logs.String(), "sk-test") {
		t.Error("the LLM API key reached the log")
	}
}

// A webhook path is mounted beside the server's own routes without a clash,
// and matches only itself, also when it ends in a slash.
func TestWebhookPattern(t *testing.T) {
	tests := []struct {
		mount string
		post  string
		want  int
	}{
		{"/telegram/webhook", "/telegram/webhook", http.StatusTeapot},
		{"/telegram/webhook", "/telegram/webhook/x", http.StatusNotFound},
		{"/tg/hook/", "/tg/hook/", http.StatusTeapot},
		{"/tg/hook/", "/tg/hook/x", http.StatusNotFound},
		{"/tg/hook/", "/v1/ask", http.StatusBadRequest}, // the API is still the API
	}
	for _, tc := range tests {
		site := web.New(web.Options{})
		site.Handle(webhookPattern(tc.mount), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTeapot)
		}))
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", tc.post, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		site.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("mounted at %s, POST %s: %d, want %d", tc.mount, tc.post, rec.Code, tc.want)
		}
	}
}
