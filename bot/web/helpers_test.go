package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
	"github.com/minsheng/minsheng/retrieval"
	"github.com/minsheng/minsheng/retrieval/retrievaltest"
)

// dibaoQuestion is the acceptance question: the answer must carry 850
// (元/月, 浑南区's 2025 target) and cite its source.
const dibaoQuestion = "浑南区低保标准到2025年能到每月多少钱?"

var (
	realOnce sync.Once
	realIx   *retrieval.Index
	realA    *bot.Answerer
)

// realAnswerer builds the index over the embedded documents once per test
// binary (about two seconds).
func realAnswerer(tb testing.TB) *bot.Answerer {
	tb.Helper()
	realOnce.Do(func() {
		realIx = retrievaltest.SeedIndex(tb)
		realA = bot.NewAnswerer(realIx, bot.Options{Documents: realIx.Documents()})
	})
	return realA
}

// freshAnswerer is a new answerer over the shared index: it remembers no
// conversation, as after a restart or on another replica.
func freshAnswerer(tb testing.TB) *bot.Answerer {
	tb.Helper()
	realAnswerer(tb)
	return bot.NewAnswerer(realIx, bot.Options{Documents: realIx.Documents()})
}

// start serves s on a loopback httptest server closed at the end of the test.
func start(tb testing.TB, s *web.Server) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return srv
}

// fake is an Answerer that says what it is told to, for the paths the
// real one cannot be made to take (failures mid-stream, panics).
type fake struct {
	deltas []string
	ans    bot.Answer
	err    error
	panics bool

	mu   sync.Mutex
	reqs []bot.Request
}

func (f *fake) AnswerStream(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	if f.panics {
		panic("fake answerer panics on " + req.Question)
	}
	for _, d := range f.deltas {
		if onDelta != nil {
			onDelta(d)
		}
	}
	if f.err != nil {
		return bot.Answer{}, f.err
	}
	ans := f.ans
	ans.Question = req.Question
	return ans, nil
}

func (f *fake) Documents() []retrieval.DocumentInfo { return nil }
func (f *fake) Regions() [][]string                 { return nil }

func (f *fake) requests() []bot.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Request(nil), f.reqs...)
}

// do sends a request with a JSON (or raw string) body and returns the
// response with its body read.
func do(tb testing.TB, method, url string, body any, hdr ...string) (*http.Response, string) {
	tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case io.Reader:
		r = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		r = strings.NewReader(string(raw))
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp, string(out)
}

type event struct {
	name string
	data string
}

// readEvents parses a text/event-stream body.
func readEvents(tb testing.TB, body string) []event {
	tb.Helper()
	var out []event
	var cur event
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.data != "" || cur.name != "" {
				out = append(out, cur)
			}
			cur = event{}
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data += strings.TrimPrefix(line, "data: ")
		default:
			tb.Errorf("unexpected line in event stream: %q", line)
		}
	}
	return out
}

func decodeJSON(tb testing.TB, s string, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		tb.Fatalf("decode %q: %v", truncate(s, 300), err)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// errorOf reads {"error":"…"}.
func errorOf(tb testing.TB, body string) string {
	tb.Helper()
	var e struct {
		Error string `json:"error"`
	}
	decodeJSON(tb, body, &e)
	if e.Error == "" {
		tb.Errorf("error body without message: %s", body)
	}
	return e.Error
}
