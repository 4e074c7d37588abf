package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

var (
	indexOnce sync.Once
	testIndex *retrieval.Index
	indexErr  error
)

// seedIndex is the in-memory index of the embedded documents, built once.
func seedIndex(t *testing.T) *retrieval.Index {
	t.Helper()
	indexOnce.Do(func() {
		docs, err := retrieval.SeedDocuments()
		if err != nil {
			indexErr = err
			return
		}
		testIndex, indexErr = retrieval.Build(context.Background(), docs, retrieval.Options{})
	})
	if indexErr != nil {
		t.Fatal(indexErr)
	}
	return testIndex
}

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
	open := func(ctx context.Context) (*bot.Answerer, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return bot.NewAnswerer(slowSearch{ix, delay}, bot.Options{Documents: ix.Documents()}), nil
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
	deadline := time.Now().Add(10 * time.Second)
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
	open := func(context.Context) (*bot.Answerer, error) { return nil, boom }
	err = serve(context.Background(), serveConfig{Config: Config{DataDir: t.TempDir()}, ShutdownTimeout: time.Second}, ln, open,
		slog.New(slog.DiscardHandler))
	if !errors.Is(err, boom) {
		t.Errorf("serve: %v, want the index error", err)
	}
}

func TestTasks(t *testing.T) {
	run, ctx := newTasks(context.Background())
	boom := errors.New("boom")
	stopped := make(chan struct{})
	run.Go("waits", func(ctx context.Context) error { <-ctx.Done(); close(stopped); return nil })
	run.Go("fails", func(context.Context) error { return boom })
	if err := run.Wait(); !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "fails: ") {
		t.Errorf("Wait: %v", err)
	}
	<-stopped
	if ctx.Err() == nil {
		t.Error("context not cancelled")
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
