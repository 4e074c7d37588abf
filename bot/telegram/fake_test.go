package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
	"github.com/minsheng/minsheng/retrieval/retrievaltest"
)

// testToken looks like a real token, so that a leak would be found.
const testToken = "123456:AAE-fake_TOKEN-do-not-log-0123456789"

// fakeAPI is a Bot API server: it serves getUpdates from a queue and
// records every other call, as the real go-telegram client sends them
// (multipart forms).
type fakeAPI struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	calls   []apiCall
	updates []map[string]any
	// again holds updates to deliver once more, whatever the offset, as
	// Telegram does when it thinks a delivery was lost; raw, response
	// bodies to serve once, as they are, before any update.
	again   []map[string]any
	raw     []string
	nextUpd int64
	nextMsg int
	polls   int
	// confirmed is the highest update_id a getUpdates offset confirmed:
	// Telegram forgets those, so no client is sent them again. inflight
	// counts getUpdates under way and conflicts those refused because
	// another was, with 409 as Telegram does.
	confirmed int64
	inflight  int
	conflicts int
	changed   chan struct{}
	// fail, when set, may answer a call with an error instead.
	fail func(c apiCall) *apiError
}

type apiCall struct {
	Method string
	Form   map[string]string
	At     time.Time
	Failed bool
	// Result is the message_id a sendMessage or editMessageText returned.
	Result int
}

type apiError struct {
	Code       int
	Desc       string
	RetryAfter int
}

func newFakeAPI(t testing.TB) *fakeAPI {
	f := &fakeAPI{t: t, changed: make(chan struct{}), nextMsg: 1000}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+testToken+"/")
	if !ok || r.Method != http.MethodPost {
		writeJSON(w, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
		return
	}
	form := map[string]string{}
	if err := r.ParseMultipartForm(1 << 20); err == nil {
		for k, v := range r.MultipartForm.Value {
			form[k] = v[0]
		}
	}
	if method == "getUpdates" {
		f.mu.Lock()
		f.polls++
		if f.inflight > 0 {
			f.conflicts++
			f.mu.Unlock()
			writeJSON(w, map[string]any{"ok": false, "error_code": 409,
				"description": "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})
			return
		}
		f.inflight++
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.inflight--
			f.notify()
			f.mu.Unlock()
		}()
		f.getUpdates(w, r, form)
		return
	}
	c := apiCall{Method: method, Form: form, At: time.Now()}
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail != nil {
		if e := fail(c); e != nil {
			c.Failed = true
			f.record(c)
			resp := map[string]any{"ok": false, "error_code": e.Code, "description": e.Desc}
			if e.RetryAfter > 0 {
				resp["parameters"] = map[string]any{"retry_after": e.RetryAfter}
			}
			writeJSON(w, resp)
			return
		}
	}
	var result any = true
	switch method {
	case "getMe":
		result = map[string]any{"id": 123456, "is_bot": true, "first_name": "民生问答", "username": "minsheng_bot"}
	case "sendMessage", "editMessageText":
		chat, _ := strconv.ParseInt(form["chat_id"], 10, 64)
		f.mu.Lock()
		id := f.nextMsg
		if method == "sendMessage" {
			f.nextMsg++
		} else {
			id, _ = strconv.Atoi(form["message_id"])
		}
		f.mu.Unlock()
		c.Result = id
		result = map[string]any{"message_id": id, "date": time.Now().Unix(),
			"chat": map[string]any{"id": chat, "type": "private"}, "text": form["text"],
			"from": map[string]any{"id": 123456, "is_bot": true, "first_name": "民生问答"}}
	}
	f.record(c)
	writeJSON(w, map[string]any{"ok": true, "result": result})
}

func (f *fakeAPI) record(c apiCall) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.notify()
	f.mu.Unlock()
}

// getUpdates answers with the queued updates from offset on, waiting a
// little for some when there are none, as long polling does.
func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request, form map[string]string) {
	offset, _ := strconv.ParseInt(form["offset"], 10, 64)
	f.mu.Lock()
	f.confirmed = max(f.confirmed, offset-1)
	offset = f.confirmed + 1
	f.mu.Unlock()
	deadline := time.NewTimer(200 * time.Millisecond)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		if len(f.raw) > 0 {
			body := f.raw[0]
			f.raw = f.raw[1:]
			f.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, body)
			return
		}
		out := f.again
		f.again = nil
		for _, u := range f.updates {
			if u["update_id"].(int64) >= offset {
				out = append(out, u)
			}
		}
		changed := f.changed
		f.mu.Unlock()
		if len(out) > 0 {
			writeJSON(w, map[string]any{"ok": true, "result": out})
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			writeJSON(w, map[string]any{"ok": true, "result": []any{}})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// push queues updates for getUpdates, numbering them, and returns their IDs.
func (f *fakeAPI) push(upds ...map[string]any) []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int64
	for _, u := range upds {
		f.nextUpd++
		u["update_id"] = f.nextUpd
		ids = append(ids, f.nextUpd)
		f.updates = append(f.updates, u)
	}
	f.notify()
	return ids
}

// redeliver queues the updates with these IDs to be delivered again.
func (f *fakeAPI) redeliver(ids ...int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.updates {
		if slices.Contains(ids, u["update_id"].(int64)) {
			f.again = append(f.again, u)
		}
	}
	f.notify()
}

// serveRaw queues a getUpdates response body, served as it is.
func (f *fakeAPI) serveRaw(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raw = append(f.raw, body)
	f.notify()
}

func (f *fakeAPI) setFail(fail func(c apiCall) *apiError) {
	f.mu.Lock()
	f.fail = fail
	f.mu.Unlock()
}

func (f *fakeAPI) snapshot() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

// waitFor waits until cond holds for the calls so far, or fails the test.
func (f *fakeAPI) waitFor(what string, cond func(calls []apiCall) bool) []apiCall {
	f.t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		calls := append([]apiCall(nil), f.calls...)
		changed := f.changed
		f.mu.Unlock()
		if cond(calls) {
			return calls
		}
		select {
		case <-changed:
		case <-deadline.C:
			f.t.Fatalf("timed out waiting for %s; calls:\n%s", what, dump(calls))
		}
	}
}

// sent returns the successful sendMessage/editMessageText calls to chat.
func sent(calls []apiCall, chat int64, methods ...string) []apiCall {
	if len(methods) == 0 {
		methods = []string{"sendMessage"}
	}
	var out []apiCall
	for _, c := range calls {
		if c.Failed || c.Form["chat_id"] != strconv.FormatInt(chat, 10) {
			continue
		}
		for _, m := range methods {
			if c.Method == m {
				out = append(out, c)
			}
		}
	}
	return out
}

func countMethod(calls []apiCall, method string) int {
	n := 0
	for _, c := range calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

func dump(calls []apiCall) string {
	var b strings.Builder
	for _, c := range calls {
		text := c.Form["text"]
		if r := []rune(text); len(r) > 80 {
			text = string(r[:80]) + "…"
		}
		fmt.Fprintf(&b, "  %s failed=%v chat=%s text=%q markup=%.120s\n", c.Method, c.Failed, c.Form["chat_id"], text, c.Form["reply_markup"])
	}
	return b.String()
}

// Updates, as Telegram sends them.

func privateText(chat int64, text string) map[string]any {
	return map[string]any{"message": message(chat, "private", text)}
}

func message(chat int64, kind, text string) map[string]any {
	m := map[string]any{
		"message_id": 1, "date": time.Now().Unix(),
		"chat": map[string]any{"id": chat, "type": kind},
		"from": map[string]any{"id": chat, "is_bot": false, "first_name": "居民"},
	}
	if text != "" {
		m["text"] = text
	}
	return m
}

func callback(chat int64, user int64, msgID int, data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{
		"id": "cq" + strconv.Itoa(msgID) + data, "data": data, "chat_instance": "x",
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "居民"},
		"message": map[string]any{"message_id": msgID, "date": time.Now().Unix(),
			"chat": map[string]any{"id": chat, "type": "private"}},
	}}
}

// keyboardOf decodes a call's reply_markup.
func keyboardOf(t testing.TB, c apiCall) keyboard {
	t.Helper()
	var kb keyboard
	if s := c.Form["reply_markup"]; s != "" {
		if err := json.Unmarshal([]byte(s), &kb); err != nil {
			t.Fatalf("reply_markup %q: %v", s, err)
		}
	}
	return kb
}

func findButton(kb keyboard, text string) (button, bool) {
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, text) {
				return b, true
			}
		}
	}
	return button{}, false
}

// logBuffer collects logs so tests can check what never appears in them.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// harness runs a Bot against a fakeAPI until the test ends, or until
// shutdown.
type harness struct {
	f        *fakeAPI
	b        *Bot
	logs     *logBuffer
	shutdown func() (time.Duration, error)
}

func start(t *testing.T, a Answerer, configure func(*Options)) *harness {
	t.Helper()
	return startTuned(t, a, configure, nil)
}

// startTuned is start with tune applied to the Bot before it runs, to
// change what Options do not reach (its clock).
func startTuned(t *testing.T, a Answerer, configure func(*Options), tune func(*Bot)) *harness {
	t.Helper()
	return startOn(t, newFakeAPI(t), a, configure, tune)
}

// startOn is startTuned on a given Bot API server, which several Bots may
// share.
func startOn(t *testing.T, f *fakeAPI, a Answerer, configure func(*Options), tune func(*Bot)) *harness {
	t.Helper()
	logs := &logBuffer{}
	opt := Options{Token: testToken, APIURL: f.srv.URL, ShutdownGrace: 2 * time.Second,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if configure != nil {
		configure(&opt)
	}
	b, err := New(a, opt)
	if err != nil {
		t.Fatal(err)
	}
	b.editEvery = 50 * time.Millisecond
	if tune != nil {
		tune(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	// shutdown cancels Run's context and waits for Run, reporting how long
	// that took; later calls report the first.
	var once sync.Once
	var took time.Duration
	var runErr error
	shutdown := func() (time.Duration, error) {
		once.Do(func() {
			begin := time.Now()
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(20 * time.Second):
				runErr = errors.New("Run did not return after cancel")
			}
			took = time.Since(begin)
		})
		return took, runErr
	}
	t.Cleanup(func() {
		if _, err := shutdown(); err != nil {
			t.Errorf("Run: %v", err)
		}
		if strings.Contains(logs.String(), testToken) || strings.Contains(logs.String(), "AAE-fake_TOKEN") {
			t.Errorf("the token appears in the logs:\n%s", logs.String())
		}
	})
	return &harness{f: f, b: b, logs: logs, shutdown: shutdown}
}

// fakeAnswerer answers with a fixed answer unless answer is set, and
// records the requests.
type fakeAnswerer struct {
	mu        sync.Mutex
	reqs      []bot.Request
	forgotten []string
	answer    func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error)
}

func (a *fakeAnswerer) AnswerStream(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
	a.mu.Lock()
	a.reqs = append(a.reqs, req)
	f := a.answer
	a.mu.Unlock()
	if f != nil {
		return f(ctx, req, onDelta)
	}
	ans := fixedAnswer(req)
	if onDelta != nil {
		onDelta(ans.Answer)
	}
	return ans, nil
}

// Forget records a conversation /new forgot, as *bot.Answerer would drop
// its turns.
func (a *fakeAnswerer) Forget(conversation string) {
	a.mu.Lock()
	a.forgotten = append(a.forgotten, conversation)
	a.mu.Unlock()
}

func (a *fakeAnswerer) forgot() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.forgotten...)
}

func (a *fakeAnswerer) requests() []bot.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]bot.Request(nil), a.reqs...)
}

func (a *fakeAnswerer) Documents() []retrieval.DocumentInfo {
	return []retrieval.DocumentInfo{
		{Source: "001.txt", Title: "关于进一步保障和改善民生的实施意见", Issuer: "沈阳市浑南区人民政府", Date: "2023-10-30",
			Kind: "实施意见", Region: []string{"辽宁省", "沈阳市", "浑南区"}},
		{Source: "002.txt", Title: "大连行动实施意见", Issuer: "大连市人民政府", Date: "2023-09-17",
			Kind: "实施意见", Region: []string{"辽宁省", "大连市"}},
	}
}

func (a *fakeAnswerer) Regions() [][]string {
	return [][]string{{"辽宁省", "沈阳市", "浑南区"}, {"辽宁省", "大连市"}}
}

func fixedAnswer(req bot.Request) bot.Answer {
	return bot.Answer{ID: req.ID, Question: req.Question, Mode: bot.ModeExtractive,
		Answer: "根据浑南区《实施意见》:城乡低保标准提高到每月850元[1]。",
		Citations: []bot.Citation{{N: 1, Source: "001.txt", Title: "关于进一步保障和改善民生的实施意见",
			Region: "辽宁省 › 沈阳市 › 浑南区", Date: "2023-10-30", Section: "二、重点任务",
			Quote: "到2025年,城乡低保标准提高到每月850元。"}}}
}

var (
	seedOnce     sync.Once
	seedIndex    *retrieval.Index
	seedAnswerer *bot.Answerer
)

// realAnswerer is the project's answerer over the seed documents, built
// once per test binary.
func realAnswerer(t *testing.T) *bot.Answerer {
	t.Helper()
	seedOnce.Do(func() {
		seedIndex = retrievaltest.SeedIndex(t)
		seedAnswerer = bot.NewAnswerer(seedIndex, bot.Options{Documents: seedIndex.Documents()})
	})
	return seedAnswerer
}
