package telegram

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

// A question arrives by getUpdates and is answered from the seed documents
// with a citation; its buttons show the quote and record feedback.
func TestAnswerAndButtons(t *testing.T) {
	a := realAnswerer(t)
	feedbackPath := filepath.Join(t.TempDir(), "feedback.jsonl")
	var mu sync.Mutex
	var observed []error
	var channels []string
	h := start(t, a, func(o *Options) {
		o.Feedback = bot.NewFeedbackLog(feedbackPath, "test-salt")
		o.Observe = func(channel string, ans bot.Answer, err error) {
			mu.Lock()
			defer mu.Unlock()
			channels = append(channels, channel)
			observed = append(observed, err)
		}
	})
	const chat = 501
	h.f.push(privateText(chat, "浑南区低保标准到2025年能到每月多少钱?"))
	calls := h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	answer := sent(calls, chat)[0]

	text := answer.Form["text"]
	if answer.Form["parse_mode"] != "HTML" {
		t.Errorf("parse_mode = %q, want HTML", answer.Form["parse_mode"])
	}
	for _, want := range []string{"850", "[1]", "<b>来源</b>", "<b>[1]</b> 《", "地区:", "日期:"} {
		if !strings.Contains(text, want) {
			t.Errorf("answer lacks %q:\n%s", want, text)
		}
	}
	if countMethod(calls, "sendChatAction") == 0 {
		t.Error("no typing action while answering")
	}
	if strings.Contains(answer.Form["reply_markup"], "copy_text") {
		t.Errorf("keyboard carries copy_text: %s", answer.Form["reply_markup"])
	}
	kb := keyboardOf(t, answer)
	quote, ok := findButton(kb, "[1] 原文")
	if !ok {
		t.Fatalf("no [1] 原文 button: %s", answer.Form["reply_markup"])
	}
	up, ok := findButton(kb, "👍")
	if !ok {
		t.Fatalf("no 👍 button: %s", answer.Form["reply_markup"])
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if n := len(b.CallbackData); n == 0 || n > 64 {
				t.Errorf("callback_data %q is %d bytes", b.CallbackData, n)
			}
		}
	}
	mu.Lock()
	if len(observed) != 1 || observed[0] != nil || channels[0] != "telegram" {
		t.Errorf("Observe calls: %v %v, want one for telegram without error", channels, observed)
	}
	mu.Unlock()

	// "[1] 原文" shows the quoted passage under the answer.
	h.f.push(callback(chat, chat, answer.Result, quote.CallbackData))
	calls = h.f.waitFor("the quote", func(calls []apiCall) bool {
		return len(sent(calls, chat)) > 1 && countMethod(calls, "answerCallbackQuery") > 0
	})
	q := sent(calls, chat)[1]
	if !strings.Contains(q.Form["text"], "<blockquote>") || !strings.Contains(q.Form["text"], "850") {
		t.Errorf("quote message:\n%s", q.Form["text"])
	}
	if q.Form["reply_parameters"] == "" || !strings.Contains(q.Form["reply_parameters"], strconv.Itoa(answer.Result)) {
		t.Errorf("quote does not reply to the answer: %q", q.Form["reply_parameters"])
	}

	// 👍 is recorded once per user; a second press is only thanked.
	const voter = 777001
	h.f.push(callback(chat, voter, answer.Result, up.CallbackData))
	h.f.push(callback(chat, voter, answer.Result, up.CallbackData))
	h.f.push(callback(chat, voter, answer.Result, "c:NoSuchId:1"))
	calls = h.f.waitFor("feedback answers", func(calls []apiCall) bool { return countMethod(calls, "answerCallbackQuery") >= 4 })
	var toasts []string
	for _, c := range calls {
		if c.Method == "answerCallbackQuery" {
			toasts = append(toasts, c.Form["text"])
		}
	}
	// Buttons are handled concurrently: which press counts is not fixed,
	// only that one does.
	want := []string{"", "已经收到您的反馈,谢谢!", "谢谢反馈!", expiredText}
	slices.Sort(toasts)
	slices.Sort(want)
	if !slices.Equal(toasts, want) {
		t.Errorf("callback answers = %q, want %q", toasts, want)
	}
	lines := readLines(t, feedbackPath)
	if len(lines) != 1 {
		t.Fatalf("feedback log has %d lines, want 1:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &raw); err != nil {
		t.Fatal(err)
	}
	if raw["channel"] != "telegram" || raw["helpful"] != true || !strings.Contains(fmt.Sprint(raw["question"]), "浑南区低保") {
		t.Errorf("feedback record: %s", lines[0])
	}
	if strings.Contains(lines[0], strconv.Itoa(voter)) {
		t.Errorf("feedback record holds the raw user id: %s", lines[0])
	}
	if !strings.Contains(fmt.Sprint(raw["sources"]), "001_") {
		t.Errorf("feedback record lacks the cited source: %s", lines[0])
	}
}

// The channel passes a region as retrieval.RegionName of a Regions()
// path; the answerer must accept every one of them.
func TestRegionNamesAccepted(t *testing.T) {
	a := realAnswerer(t)
	for _, r := range a.Regions() {
		_, err := a.Answer(context.Background(), bot.Request{Question: "养老服务有什么政策?", Region: retrieval.RegionName(r)})
		if err != nil {
			t.Errorf("region %q: %v", retrieval.RegionName(r), err)
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		out = append(out, s.Text())
	}
	return out
}

// Groups: the bot answers only when mentioned or replied to; other
// content and other updates are handled without an answer or a crash.
func TestWhatIsAnswered(t *testing.T) {
	fa := &fakeAnswerer{}
	h := start(t, fa, nil)
	group := func(chat int64, text string) map[string]any {
		m := message(chat, "supergroup", text)
		m["from"] = map[string]any{"id": 42, "is_bot": false, "first_name": "群友"}
		return m
	}
	tests := []struct {
		name   string
		update func(chat int64) map[string]any
		// reply is what the bot must send ("" = nothing); question what the
		// answerer must get ("" = not asked).
		reply, question string
	}{
		{"private question", func(c int64) map[string]any { return privateText(c, "低保标准是多少?") }, "850", "低保标准是多少?"},
		{"group without mention", func(c int64) map[string]any {
			return map[string]any{"message": group(c, "低保标准是多少?")}
		}, "", ""},
		{"group with mention", func(c int64) map[string]any {
			return map[string]any{"message": group(c, "@Minsheng_Bot 低保标准是多少?")}
		}, "850", "低保标准是多少?"},
		{"group mentioning a longer name", func(c int64) map[string]any {
			return map[string]any{"message": group(c, "@minsheng_bot2 低保标准是多少?")}
		}, "", ""},
		{"group reply to the bot", func(c int64) map[string]any {
			m := group(c, "那养老呢?")
			m["reply_to_message"] = map[string]any{"message_id": 7, "date": 1, "chat": m["chat"],
				"from": map[string]any{"id": 123456, "is_bot": true, "first_name": "民生问答"}}
			return map[string]any{"message": m}
		}, "850", "那养老呢?"},
		{"group command for another bot", func(c int64) map[string]any {
			return map[string]any{"message": group(c, "/help@other_bot")}
		}, "", ""},
		{"group photo without mention", func(c int64) map[string]any {
			m := group(c, "")
			m["photo"] = []any{map[string]any{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}}
			return map[string]any{"message": m}
		}, "", ""},
		{"group member joined", func(c int64) map[string]any {
			m := group(c, "")
			m["new_chat_members"] = []any{map[string]any{"id": 5, "is_bot": false, "first_name": "新人"}}
			return map[string]any{"message": m}
		}, "", ""},
		{"private sticker", func(c int64) map[string]any {
			m := message(c, "private", "")
			m["sticker"] = map[string]any{"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1}
			return map[string]any{"message": m}
		}, "只能回答文字问题", ""},
		{"private voice", func(c int64) map[string]any {
			m := message(c, "private", "")
			m["voice"] = map[string]any{"file_id": "v", "file_unique_id": "v", "duration": 1}
			return map[string]any{"message": m}
		}, "只能回答文字问题", ""},
		{"edited message", func(c int64) map[string]any {
			return map[string]any{"edited_message": message(c, "private", "低保标准是多少?")}
		}, "", ""},
		{"channel post", func(c int64) map[string]any {
			return map[string]any{"channel_post": message(c, "channel", "低保标准是多少?")}
		}, "", ""},
		{"member update", func(c int64) map[string]any {
			member := func(status string) map[string]any {
				return map[string]any{"status": status, "user": map[string]any{"id": 123456, "is_bot": true, "first_name": "民生问答"}}
			}
			return map[string]any{"my_chat_member": map[string]any{"chat": map[string]any{"id": c, "type": "private"},
				"from": map[string]any{"id": c, "is_bot": false, "first_name": "居民"}, "date": 1,
				"old_chat_member": member("member"), "new_chat_member": member("kicked")}}
		}, "", ""},
		{"message from a bot", func(c int64) map[string]any {
			m := message(c, "private", "低保标准是多少?")
			m["from"] = map[string]any{"id": 99, "is_bot": true, "first_name": "别的机器人"}
			return map[string]any{"message": m}
		}, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chat := int64(-1000 - i)
			before := len(fa.requests())
			h.f.push(tt.update(chat))
			// A later message from another chat is dispatched after this
			// one, so once it is answered this one has been handled.
			sentinel := int64(8000 + i)
			h.f.push(privateText(sentinel, "/help"))
			h.f.waitFor("the sentinel", func(calls []apiCall) bool { return len(sent(calls, sentinel)) > 0 })
			var calls []apiCall
			if tt.reply != "" {
				calls = h.f.waitFor("the reply", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
				if got := sent(calls, chat)[0].Form["text"]; !strings.Contains(got, tt.reply) {
					t.Errorf("reply %q lacks %q", got, tt.reply)
				}
			} else if got := sent(h.f.snapshot(), chat); len(got) > 0 {
				t.Errorf("bot replied: %s", dump(got))
			}
			reqs := fa.requests()[before:]
			switch {
			case tt.question == "" && len(reqs) > 0:
				t.Errorf("answerer asked %q", reqs[0].Question)
			case tt.question != "" && (len(reqs) != 1 || reqs[0].Question != tt.question):
				t.Errorf("answerer got %+v, want question %q", reqs, tt.question)
			}
		})
	}
}

// The webhook refuses requests without the right secret before the
// library sees them, and answers a redelivered update once.
func TestWebhook(t *testing.T) {
	fa := &fakeAnswerer{}
	const secret = "s3cret-Token_1"
	h := start(t, fa, func(o *Options) {
		o.WebhookURL = "https://bot.example.org/telegram/webhook"
		o.WebhookSecret = secret
	})
	calls := h.f.waitFor("setWebhook", func(calls []apiCall) bool { return countMethod(calls, "setWebhook") > 0 })
	for _, c := range calls {
		if c.Method == "setWebhook" {
			if c.Form["url"] != "https://bot.example.org/telegram/webhook" || c.Form["secret_token"] != secret {
				t.Errorf("setWebhook form: %v", c.Form)
			}
			if !strings.Contains(c.Form["allowed_updates"], "callback_query") {
				t.Errorf("allowed_updates = %q", c.Form["allowed_updates"])
			}
		}
	}
	srv := httptest.NewServer(h.b.WebhookHandler())
	defer srv.Close()

	update := func(id, chat int64, text string) []byte {
		u := privateText(chat, text)
		u["update_id"] = id
		body, _ := json.Marshal(u)
		return body
	}
	tests := []struct {
		name, method, secret string
		body                 []byte
		want                 int
	}{
		{"GET", http.MethodGet, secret, update(1, 611, "低保?"), http.StatusMethodNotAllowed},
		{"no secret", http.MethodPost, "", update(2, 612, "低保?"), http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "s3cret-Token_2", update(3, 613, "低保?"), http.StatusForbidden},
		{"secret prefix", http.MethodPost, secret[:5], update(4, 614, "低保?"), http.StatusForbidden},
		{"too large", http.MethodPost, secret, bytes.Repeat([]byte(" "), maxWebhookBody+1), http.StatusRequestEntityTooLarge},
		{"not an update", http.MethodPost, secret, []byte(`{"message":{}}`), http.StatusBadRequest},
		{"not JSON", http.MethodPost, secret, []byte("nope"), http.StatusBadRequest},
		{"right secret", http.MethodPost, secret, update(10, 601, "低保标准是多少?"), http.StatusOK},
		{"redelivered", http.MethodPost, secret, update(10, 601, "低保标准是多少?"), http.StatusOK},
		{"next update", http.MethodPost, secret, update(11, 602, "养老呢?"), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL, bytes.NewReader(tt.body))
			if tt.secret != "" {
				req.Header.Set(secretHeader, tt.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	// Wait until both chats are answered; the redelivery of 601 was
	// handled before 602 was posted.
	calls = h.f.waitFor("answers", func(calls []apiCall) bool {
		return len(sent(calls, 601)) > 0 && len(sent(calls, 602)) > 0
	})
	if n := len(sent(calls, 601)); n != 1 {
		t.Errorf("update 10 answered %d times", n)
	}
	for _, chat := range []int64{611, 612, 613, 614} {
		if n := len(sent(calls, chat)); n > 0 {
			t.Errorf("refused update for chat %d was answered", chat)
		}
	}
	// Two chats are answered side by side, so the answerer may hear them in
	// either order; each exactly once is what counts.
	var questions []string
	for _, r := range fa.requests() {
		questions = append(questions, r.Question)
	}
	sort.Strings(questions)
	if fmt.Sprint(questions) != "[低保标准是多少? 养老呢?]" {
		t.Errorf("answerer got %q", questions)
	}
	h.f.mu.Lock()
	polls := h.f.polls
	h.f.mu.Unlock()
	if polls != 0 {
		t.Errorf("webhook mode polled getUpdates %d times", polls)
	}
}

// A 429 is waited out (retry_after) and the message sent again.
func TestRetryAfter(t *testing.T) {
	h := start(t, &fakeAnswerer{}, nil)
	var once sync.Once
	h.f.setFail(func(c apiCall) *apiError {
		var e *apiError
		if c.Method == "sendMessage" {
			once.Do(func() { e = &apiError{Code: 429, Desc: "Too Many Requests: retry after 1", RetryAfter: 1} })
		}
		return e
	})
	const chat = 701
	h.f.push(privateText(chat, "/help"))
	calls := h.f.waitFor("the resent message", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	var tries []apiCall
	for _, c := range calls {
		if c.Method == "sendMessage" {
			tries = append(tries, c)
		}
	}
	if len(tries) != 2 || !tries[0].Failed || tries[1].Failed {
		t.Fatalf("sendMessage calls:\n%s", dump(tries))
	}
	if gap := tries[1].At.Sub(tries[0].At); gap < 900*time.Millisecond {
		t.Errorf("resent after %v, before retry_after", gap)
	}
}

// A reply Telegram's 429 would hold past MaxRetryAfter, or that is still
// waiting when the shutdown grace ends, is dropped: counted, and logged by
// its chat's hash, never by the chat ID or the text.
func TestRetryAfterDropped(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter int // seconds, in every 429
		maxWait    time.Duration
		shutdown   bool // shut down while the reply waits
		tries      int  // sendMessage attempts expected
		reason     string
	}{
		{"longer than the maximum", 600, time.Second, false, 1, DropRateLimit},
		{"429 after every wait", 1, time.Minute, false, maxAttempts, DropRateLimit},
		{"shutdown during the wait", 30, time.Minute, true, 1, DropShutdown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const chat = 987654321
			drops := make(chan string, 8)
			h := start(t, &fakeAnswerer{}, func(o *Options) {
				o.MaxRetryAfter = tt.maxWait
				o.Dropped = func(channel, reason string) { drops <- channel + "/" + reason }
			})
			h.f.setFail(func(c apiCall) *apiError {
				if c.Method == "sendMessage" && c.Form["chat_id"] == strconv.Itoa(chat) {
					return &apiError{Code: 429, Desc: fmt.Sprintf("Too Many Requests: retry after %d", tt.retryAfter),
						RetryAfter: tt.retryAfter}
				}
				return nil
			})
			h.f.push(privateText(chat, "低保标准是多少?"))
			h.f.waitFor("a refused send", func(calls []apiCall) bool {
				return slices.ContainsFunc(calls, func(c apiCall) bool { return c.Method == "sendMessage" && c.Failed })
			})
			if tt.shutdown {
				if _, err := h.shutdown(); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case got := <-drops:
				if got != "telegram/"+tt.reason {
					t.Errorf("Dropped(%s), want telegram/%s", got, tt.reason)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("the reply was never reported dropped; logs:\n%s", h.logs.String())
			}
			if _, err := h.shutdown(); err != nil {
				t.Fatal(err)
			}
			if n := countMethod(h.f.snapshot(), "sendMessage"); n != tt.tries {
				t.Errorf("%d sendMessage attempts, want %d", n, tt.tries)
			}
			if len(drops) > 0 {
				t.Errorf("another drop reported: %s", <-drops)
			}
			logs := h.logs.String()
			if !logged(logs, `"reply dropped"`, "chat="+h.b.chatHash(chat), "reason="+tt.reason) {
				t.Errorf("the drop is not logged by chat hash:\n%s", logs)
			}
			if strings.Contains(logs, strconv.Itoa(chat)) || strings.Contains(logs, "850元") {
				t.Errorf("the logs show the chat ID or the answer:\n%s", logs)
			}
		})
	}
}

// fakeClock is a Bot's clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// With the default limits a chat may send a burst of three messages, then
// one per three seconds; past that it is told once to wait, and what it
// sends until it may again is dropped.
func TestChatRateLimit(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	h := startTuned(t, &fakeAnswerer{}, nil, func(b *Bot) { b.now = clock.now })
	const chat = 2501
	count := func(calls []apiCall) (replies, notices int) {
		for _, c := range sent(calls, chat) {
			switch {
			case strings.Contains(c.Form["text"], "请稍候"):
				notices++
			case strings.Contains(c.Form["text"], "怎么用"):
				replies++
			}
		}
		return replies, notices
	}
	steps := []struct {
		advance          time.Duration
		messages         int
		replies, notices int // so far
	}{
		{0, 5, 3, 1},               // the burst, one notice, one dropped
		{time.Second, 1, 3, 1},     // too soon, and already told
		{2 * time.Second, 2, 4, 2}, // three seconds on: one, then told again
		{3 * time.Second, 1, 5, 2}, // and one more three seconds later
	}
	for i, st := range steps {
		clock.advance(st.advance)
		var upds []map[string]any
		for range st.messages {
			upds = append(upds, privateText(chat, "/help"))
		}
		// The sentinel, from another chat, is dispatched after them.
		sentinel := int64(2600 + i)
		h.f.push(append(upds, privateText(sentinel, "/help"))...)
		h.f.waitFor(fmt.Sprintf("step %d", i), func(calls []apiCall) bool {
			r, n := count(calls)
			return len(sent(calls, sentinel)) > 0 && r >= st.replies && n >= st.notices
		})
	}
	if _, err := h.shutdown(); err != nil {
		t.Fatal(err)
	}
	if r, n := count(h.f.snapshot()); r != 5 || n != 2 {
		t.Errorf("%d replies and %d notices, want 5 and 2:\n%s", r, n, dump(sent(h.f.snapshot(), chat)))
	}
}

// A chat sending many messages gets its first answered and one notice;
// the rest are dropped without replies.
func TestFloodThrottled(t *testing.T) {
	release := make(chan struct{})
	blocking := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return fixedAnswer(req), nil
	}}
	tests := []struct {
		name      string
		answerer  *fakeAnswerer
		configure func(*Options)
		release   bool
	}{
		{"rate limit", &fakeAnswerer{}, func(o *Options) { o.ChatBurst, o.ChatInterval = 1, time.Hour }, false},
		{"one question at a time", blocking, func(o *Options) { o.ChatBurst = 50 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, tt.answerer, tt.configure)
			const chat = 801
			var flood []map[string]any
			for i := range 8 {
				flood = append(flood, privateText(chat, fmt.Sprintf("低保标准是多少?%d", i)))
			}
			// The sentinel from another chat is dispatched after the whole
			// flood: once it is answered, every flood message was judged.
			h.f.push(append(flood, privateText(802, "/help"))...)
			h.f.waitFor("the notice and the sentinel", func(calls []apiCall) bool {
				return len(sent(calls, chat)) > 0 && len(sent(calls, 802)) > 0
			})
			if tt.release {
				close(release)
			}
			calls := h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) >= 2 })
			h.f.push(privateText(803, "/help"))
			calls = h.f.waitFor("the second sentinel", func(calls []apiCall) bool { return len(sent(calls, 803)) > 0 })
			notices, answers := 0, 0
			for _, c := range sent(calls, chat) {
				switch {
				case strings.Contains(c.Form["text"], "请稍候"):
					notices++
				case strings.Contains(c.Form["text"], "850"):
					answers++
				}
			}
			if notices != 1 || answers != 1 || len(sent(calls, chat)) != 2 {
				t.Errorf("notices %d, answers %d, messages %d; want 1, 1, 2:\n%s", notices, answers, len(sent(calls, chat)), dump(calls))
			}
			if n := len(tt.answerer.requests()); n != 1 {
				t.Errorf("answerer called %d times, want 1", n)
			}
		})
	}
}

// A panicking answerer costs the user an apology, not the bot.
func TestAnswererPanic(t *testing.T) {
	var mu sync.Mutex
	var observed []error
	fa := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
		if strings.Contains(req.Question, "炸") {
			panic("boom on " + req.Question + " 13812345678")
		}
		return fixedAnswer(req), nil
	}}
	h := start(t, fa, func(o *Options) {
		o.Observe = func(_ string, _ bot.Answer, err error) {
			mu.Lock()
			observed = append(observed, err)
			mu.Unlock()
		}
	})
	const chat = 901
	h.f.push(privateText(chat, "炸"))
	calls := h.f.waitFor("the apology", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	if got := sent(calls, chat)[0].Form["text"]; !strings.Contains(got, "抱歉") {
		t.Errorf("reply to a panic: %q", got)
	}
	h.f.push(privateText(chat, "低保标准是多少?"))
	calls = h.f.waitFor("the next answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 1 })
	if got := sent(calls, chat)[1].Form["text"]; !strings.Contains(got, "850") {
		t.Errorf("answer after the panic: %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(observed) != 2 || observed[0] == nil || observed[1] != nil {
		t.Errorf("Observe errors = %v, want [panic, nil]", observed)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "answerer panicked") || strings.Contains(logs, "13812345678") {
		t.Errorf("panic log missing or unmasked:\n%s", logs)
	}
}

// An LLM-style answer is shown growing in one message, edited at most
// every editEvery, and ends as the verified answer with its buttons.
func TestStreamingEdits(t *testing.T) {
	pieces := []string{"根据", "浑南区的文件,", "城乡低保标准", "到2025年", "提高到每月850元。"}
	fa := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
		for _, p := range pieces {
			onDelta(p)
			time.Sleep(30 * time.Millisecond)
		}
		onDelta("") // an empty delta changes nothing and must not cause an identical edit
		time.Sleep(60 * time.Millisecond)
		ans := fixedAnswer(req)
		ans.Mode = bot.ModeLLM
		return ans, nil
	}}
	h := start(t, fa, nil)
	const chat = 1001
	h.f.push(privateText(chat, "低保标准是多少?"))
	calls := h.f.waitFor("the final edit", func(calls []apiCall) bool {
		for _, c := range sent(calls, chat, "editMessageText") {
			if c.Form["parse_mode"] == "HTML" {
				return true
			}
		}
		return false
	})
	msgs := sent(calls, chat, "sendMessage", "editMessageText")
	if msgs[0].Method != "sendMessage" || msgs[0].Form["parse_mode"] != "" {
		t.Fatalf("first call should send a plain draft:\n%s", dump(msgs))
	}
	draftID := msgs[0].Result
	final := msgs[len(msgs)-1]
	if final.Form["parse_mode"] != "HTML" || final.Form["message_id"] != strconv.Itoa(draftID) {
		t.Fatalf("final call should edit the draft into HTML:\n%s", dump(msgs))
	}
	if want := renderAnswer(fixedAnswer(bot.Request{})); final.Form["text"] != want {
		t.Errorf("final text:\n%s\nwant:\n%s", final.Form["text"], want)
	}
	if _, ok := findButton(keyboardOf(t, final), "[1] 原文"); !ok {
		t.Errorf("final edit lacks the buttons: %s", final.Form["reply_markup"])
	}
	drafts := msgs[:len(msgs)-1]
	if len(drafts) < 2 {
		t.Errorf("draft never edited:\n%s", dump(msgs))
	}
	for i := 1; i < len(drafts); i++ {
		if drafts[i].Method != "editMessageText" || drafts[i].Form["text"] == drafts[i-1].Form["text"] {
			t.Errorf("draft update %d repeats or is not an edit:\n%s", i, dump(msgs))
		}
		if gap := drafts[i].At.Sub(drafts[i-1].At); gap < 40*time.Millisecond {
			t.Errorf("draft edits %v apart, want ≥ editEvery", gap)
		}
	}
	if n := len(sent(calls, chat)); n != 1 {
		t.Errorf("%d messages sent, want the draft only (then edits)", n)
	}
}

// Formatting Telegram refuses is resent as plain text.
func TestPlainTextFallback(t *testing.T) {
	h := start(t, &fakeAnswerer{}, nil)
	h.f.setFail(func(c apiCall) *apiError {
		if c.Method == "sendMessage" && c.Form["parse_mode"] == "HTML" {
			return &apiError{Code: 400, Desc: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"}
		}
		return nil
	})
	const chat = 1101
	h.f.push(privateText(chat, "低保标准是多少?"))
	calls := h.f.waitFor("the plain answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	plain := sent(calls, chat)[0]
	if plain.Form["parse_mode"] != "" || strings.Contains(plain.Form["text"], "<b>") ||
		!strings.Contains(plain.Form["text"], "850") || !strings.Contains(plain.Form["text"], "来源") {
		t.Errorf("fallback message: %v", plain.Form)
	}
	if _, ok := findButton(keyboardOf(t, plain), "👍"); !ok {
		t.Error("fallback lost the buttons")
	}
}

// A user who blocked the bot is dropped quietly: no retry, no warning.
func TestBlockedUser(t *testing.T) {
	h := start(t, &fakeAnswerer{}, nil)
	const chat = 1201
	h.f.setFail(func(c apiCall) *apiError {
		if c.Form["chat_id"] == strconv.Itoa(chat) {
			return &apiError{Code: 403, Desc: "Forbidden: bot was blocked by the user"}
		}
		return nil
	})
	h.f.push(privateText(chat, "低保标准是多少?"))
	h.f.push(privateText(1202, "/help"))
	calls := h.f.waitFor("the sentinel", func(calls []apiCall) bool { return len(sent(calls, 1202)) > 0 })
	calls = h.f.waitFor("the refused send", func(calls []apiCall) bool {
		for _, c := range calls {
			if c.Method == "sendMessage" && c.Failed {
				return true
			}
		}
		return false
	})
	n := 0
	for _, c := range calls {
		if c.Method == "sendMessage" && c.Form["chat_id"] == strconv.Itoa(chat) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d sendMessage attempts to a blocked chat, want 1", n)
	}
	if strings.Contains(h.logs.String(), "delivery failed") {
		t.Errorf("a blocked user was logged as a failure:\n%s", h.logs.String())
	}
}

// Commands answer in Chinese; /region and /new change what the next
// question is asked with.
func TestCommands(t *testing.T) {
	fa := &fakeAnswerer{}
	h := start(t, fa, func(o *Options) { o.ChatBurst = 100 })
	tests := []struct {
		text string
		want []string
	}{
		{"/start", []string{"民生问答", "《关于进一步保障和改善民生的实施意见》", "沈阳市浑南区人民政府", "辽宁省 › 大连市", "哈希", "遮盖", "12345", "/region"}},
		{"/help", []string{"怎么用", "@minsheng_bot", "/sources"}},
		{"/sources@minsheng_bot", []string{"2份", "发文:沈阳市浑南区人民政府", "日期:2023-10-30", "地区:辽宁省 › 沈阳市 › 浑南区"}},
		{"/region", []string{"请选择地区", "当前:全部地区"}},
		{"/nonsense", []string{"没有这个命令"}},
	}
	for i, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			chat := int64(1300 + i)
			h.f.push(privateText(chat, tt.text))
			calls := h.f.waitFor("the reply", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
			got := sent(calls, chat)[0].Form["text"]
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s reply lacks %q:\n%s", tt.text, w, got)
				}
			}
		})
	}

	const chat = 1399
	ask := func(q string) bot.Request {
		t.Helper()
		before, sends := len(fa.requests()), len(sent(h.f.snapshot(), chat))
		h.f.push(privateText(chat, q))
		h.f.waitFor("the answer", func(calls []apiCall) bool {
			return len(fa.requests()) > before && len(sent(calls, chat)) > sends
		})
		return fa.requests()[before]
	}
	command := func(text string) apiCall {
		t.Helper()
		before := len(sent(h.f.snapshot(), chat))
		h.f.push(privateText(chat, text))
		calls := h.f.waitFor(text, func(calls []apiCall) bool { return len(sent(calls, chat)) > before })
		return sent(calls, chat)[before]
	}
	first := ask("低保标准是多少?")
	if first.Region != "" || first.Conversation == "" {
		t.Errorf("first request: region %q conversation %q", first.Region, first.Conversation)
	}
	menu := command("/region")
	kb := keyboardOf(t, menu)
	dalian, ok := findButton(kb, "辽宁省 › 大连市")
	all, ok2 := findButton(kb, "全部地区")
	if !ok || !ok2 {
		t.Fatalf("region menu: %s", menu.Form["reply_markup"])
	}
	edits := len(sent(h.f.snapshot(), chat, "editMessageText"))
	h.f.push(callback(chat, chat, menu.Result, dalian.CallbackData))
	calls := h.f.waitFor("the choice", func(calls []apiCall) bool { return len(sent(calls, chat, "editMessageText")) > edits })
	if got := sent(calls, chat, "editMessageText")[edits].Form["text"]; !strings.Contains(got, "辽宁省 › 大连市") {
		t.Errorf("choice message: %q", got)
	}
	second := ask("养老服务有什么政策?")
	if second.Region != "辽宁省 › 大连市" || second.Conversation != first.Conversation {
		t.Errorf("after /region: region %q conversation %q (was %q)", second.Region, second.Conversation, first.Conversation)
	}
	if got := command("/new").Form["text"]; !strings.Contains(got, "新的对话") {
		t.Errorf("/new reply: %q", got)
	}
	h.f.push(callback(chat, chat, menu.Result, all.CallbackData))
	h.f.waitFor("the second choice", func(calls []apiCall) bool { return len(sent(calls, chat, "editMessageText")) > edits+1 })
	third := ask("就业有什么补贴?")
	// The conversation is the chat's on every replica; /new drops its turns.
	if third.Region != "" || third.Conversation != first.Conversation || first.Conversation != "tg-"+strconv.FormatInt(chat, 10) {
		t.Errorf("after /new and 全部地区: region %q conversation %q (was %q)", third.Region, third.Conversation, first.Conversation)
	}
	if got := fa.forgot(); !slices.Equal(got, []string{first.Conversation}) {
		t.Errorf("/new forgot %q, want %q", got, first.Conversation)
	}
}

func TestNewChecksOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want string // "" = no error
	}{
		{"polling", Options{Token: testToken}, ""},
		{"webhook", Options{Token: testToken, WebhookURL: "https://x.example/telegram/webhook", WebhookSecret: "abc_DEF-1"}, ""},
		{"no token", Options{}, "token is empty"},
		{"token with space", Options{Token: testToken + " x"}, "token contains"},
		{"webhook without secret", Options{Token: testToken, WebhookURL: "https://x.example/hook"}, "needs a secret"},
		{"secret with bad characters", Options{Token: testToken, WebhookURL: "https://x.example/hook", WebhookSecret: "a b"}, "secret must be"},
		{"relative webhook URL", Options{Token: testToken, WebhookURL: "/hook", WebhookSecret: "abc"}, "webhook URL"},
		{"webhook URL without a path", Options{Token: testToken, WebhookURL: "https://x.example", WebhookSecret: "abc"}, ""},
		{"webhook path with escapes", Options{Token: testToken, WebhookURL: "https://x.example/a%2Fb", WebhookSecret: "abc"}, "must be plain"},
		{"bad API URL", Options{Token: testToken, APIURL: "ftp://x"}, "API URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(&fakeAnswerer{}, tt.opt)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			case err != nil && strings.Contains(err.Error(), "AAE-fake"):
				t.Fatalf("error shows the token: %v", err)
			}
		})
	}
}

// A wrong token stops Run with an error that does not show the token.
func TestRunWithRejectedToken(t *testing.T) {
	f := newFakeAPI(t)
	f.setFail(func(c apiCall) *apiError { return &apiError{Code: 401, Desc: "Unauthorized"} })
	b, err := New(&fakeAnswerer{}, Options{Token: testToken, APIURL: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = b.Run(ctx)
	if err == nil || !errors.Is(err, tgbot.ErrorUnauthorized) || strings.Contains(err.Error(), testToken) {
		t.Fatalf("Run = %v, want an unauthorized error without the token", err)
	}
}

func TestScrub(t *testing.T) {
	b, err := New(&fakeAnswerer{}, Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Errorf("%w, for https://api.telegram.org/bot%s/sendMessage", tgbot.ErrorForbidden, testToken)
	err = b.scrub(fmt.Errorf("send: %w", base))
	if strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "<token>") {
		t.Errorf("scrubbed error: %v", err)
	}
	if !errors.Is(err, tgbot.ErrorForbidden) || !blocked(err) {
		t.Error("scrubbing lost the error's identity")
	}
	if got := b.clean(errors.New("user 110101199003077777 at 13812345678")); strings.Contains(got, "13812345678") || strings.Contains(got, "110101199003077777") {
		t.Errorf("clean did not mask: %q", got)
	}
}

// Telegram failing at start (a 502) is waited out; the bot then works.
func TestStartWaitsForTelegram(t *testing.T) {
	var once sync.Once
	f := newFakeAPI(t)
	f.setFail(func(c apiCall) *apiError {
		var e *apiError
		if c.Method == "getMe" {
			once.Do(func() { e = &apiError{Code: 502, Desc: "Bad Gateway"} })
		}
		return e
	})
	b, err := New(&fakeAnswerer{}, Options{Token: testToken, APIURL: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	f.push(privateText(1501, "/help"))
	calls := f.waitFor("the reply", func(calls []apiCall) bool { return len(sent(calls, 1501)) > 0 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if n := countMethod(calls, "getMe"); n != 2 {
		t.Errorf("getMe called %d times, want 2", n)
	}
}

// A webhook URL without a path gets the default one; a path must be plain,
// so that it is a route the HTTP server can mount as it stands.
func TestWebhookPath(t *testing.T) {
	tests := []struct {
		in, url, path string
		err           bool
	}{
		{"https://bot.example.org", "https://bot.example.org/telegram/webhook", "/telegram/webhook", false},
		{"https://bot.example.org:8443", "https://bot.example.org:8443/telegram/webhook", "/telegram/webhook", false},
		{"https://bot.example.org/tg/hook-1", "https://bot.example.org/tg/hook-1", "/tg/hook-1", false},
		{"https://bot.example.org/tg/hook/", "https://bot.example.org/tg/hook/", "/tg/hook/", false},
		{"https://bot.example.org/", "https://bot.example.org/", "/", false},
		{"https://bot.example.org/a%20b", "", "", true},
		{"https://bot.example.org/a/../b", "", "", true},
		{"https://bot.example.org//hook", "", "", true},
		{"https://bot.example.org/{id}", "", "", true},
		{"https://bot.example.org/hook#x", "", "", true},
		{"/telegram/webhook", "", "", true},
	}
	for _, tc := range tests {
		u, p, err := WebhookPath(tc.in)
		if (err != nil) != tc.err || u != tc.url || p != tc.path {
			t.Errorf("WebhookPath(%q) = %q, %q, %v; want %q, %q, error %v", tc.in, u, p, err, tc.url, tc.path, tc.err)
		}
	}

	// Telegram is given the URL with the path the handler is mounted at.
	h := start(t, &fakeAnswerer{}, func(o *Options) {
		o.WebhookURL = "https://bot.example.org"
		o.WebhookSecret = "abc"
	})
	calls := h.f.waitFor("setWebhook", func(calls []apiCall) bool { return countMethod(calls, "setWebhook") > 0 })
	for _, c := range calls {
		if c.Method == "setWebhook" && c.Form["url"] != "https://bot.example.org"+DefaultWebhookPath {
			t.Errorf("setWebhook url %q", c.Form["url"])
		}
	}
	if got := h.b.WebhookPath(); got != DefaultWebhookPath {
		t.Errorf("WebhookPath() = %q", got)
	}
}

// A question under way when the bot is told to stop still gets a reply
// within the configured grace: the answer when it finishes in time, else
// an apology, sent although the answer's own context was cancelled.
func TestShutdownDelivers(t *testing.T) {
	tests := []struct {
		name  string
		grace time.Duration
		// answer takes a while; ctx-deaf, or it waits for ctx to end.
		slow   time.Duration
		want   string
		maxRun time.Duration // from cancel until Run returns
	}{
		{"answer finishes in the grace", 3 * time.Second, 500 * time.Millisecond, "850", 2500 * time.Millisecond},
		{"answer cut, asker told", 900 * time.Millisecond, 0, "服务正在重启", 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entered := make(chan struct{}, 1)
			fa := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
				entered <- struct{}{}
				if tc.slow == 0 {
					<-ctx.Done()
					return bot.Answer{}, ctx.Err()
				}
				time.Sleep(tc.slow)
				return fixedAnswer(req), nil
			}}
			var mu sync.Mutex
			var observed []error
			h := start(t, fa, func(o *Options) {
				o.ShutdownGrace = tc.grace
				o.Observe = func(_ string, _ bot.Answer, err error) { mu.Lock(); observed = append(observed, err); mu.Unlock() }
			})
			const chat = 1701
			h.f.push(privateText(chat, "低保标准是多少?"))
			select {
			case <-entered:
			case <-time.After(10 * time.Second):
				t.Fatal("the question never reached the answerer")
			}
			took, err := h.shutdown()
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if took > tc.maxRun {
				t.Errorf("Run took %v after cancel, want at most %v (grace %v)", took, tc.maxRun, tc.grace)
			}
			msgs := sent(h.f.snapshot(), chat)
			if len(msgs) != 1 || !strings.Contains(msgs[0].Form["text"], tc.want) {
				t.Fatalf("replies %s, want one saying %q", dump(msgs), tc.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(observed) != 1 {
				t.Errorf("Observe called %d times", len(observed))
			}
		})
	}
}

// The answers kept for their buttons hold the masked question and no
// passages.
func TestAnswerStoreKeepsLittle(t *testing.T) {
	fa := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
		ans := fixedAnswer(req)
		ans.Passages = []bot.Passage{{Source: "001.txt", Text: "一整段检索到的原文"}}
		return ans, nil
	}}
	feedbackPath := filepath.Join(t.TempDir(), "feedback.jsonl")
	h := start(t, fa, func(o *Options) { o.Feedback = bot.NewFeedbackLog(feedbackPath, "salt") })
	const chat = 1801
	h.f.push(privateText(chat, "我电话13812345678,低保标准是多少?"))
	calls := h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	answer := sent(calls, chat)[0]
	h.b.answers.mu.Lock()
	var entries []*answerEntry
	for _, e := range h.b.answers.m {
		entries = append(entries, e)
	}
	h.b.answers.mu.Unlock()
	if len(entries) != 1 {
		t.Fatalf("%d stored answers", len(entries))
	}
	if e := entries[0]; strings.Contains(e.question, "13812345678") || !strings.Contains(e.question, "低保标准") ||
		len(e.citations) != 1 || !strings.Contains(e.answer, "850") {
		t.Errorf("stored entry %+v", e)
	}
	// The buttons still work from what is kept.
	kb := keyboardOf(t, answer)
	quote, _ := findButton(kb, "[1] 原文")
	up, _ := findButton(kb, "👍")
	h.f.push(callback(chat, chat, answer.Result, quote.CallbackData), callback(chat, chat, answer.Result, up.CallbackData))
	calls = h.f.waitFor("quote and vote", func(calls []apiCall) bool {
		return len(sent(calls, chat)) > 1 && countMethod(calls, "answerCallbackQuery") >= 2
	})
	if q := sent(calls, chat)[1].Form["text"]; !strings.Contains(q, "850") {
		t.Errorf("quote:\n%s", q)
	}
	lines := readLines(t, feedbackPath)
	if len(lines) != 1 || strings.Contains(lines[0], "13812345678") || !strings.Contains(lines[0], "001.txt") {
		t.Errorf("feedback lines %q", lines)
	}
}

// flakyJournal refuses appends while down, as a store whose spool is full.
type flakyJournal struct {
	mu    sync.Mutex
	down  bool
	lines [][]byte
}

func (j *flakyJournal) Append(line []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.down {
		return &bot.Error{Kind: bot.KindUnavailable, Message: bot.MsgFeedbackNotSaved}
	}
	j.lines = append(j.lines, line)
	return nil
}
func (j *flakyJournal) Scan(fn func([]byte)) error                { return nil }
func (j *flakyJournal) Prune(func([]byte) bool) (int, int, error) { return 0, 0, nil }
func (j *flakyJournal) set(down bool)                             { j.mu.Lock(); j.down = down; j.mu.Unlock() }
func (j *flakyJournal) stored() int                               { j.mu.Lock(); defer j.mu.Unlock(); return len(j.lines) }

// A vote the store refuses is not acknowledged: the resident is told it
// was not saved and may press again, and the second press is stored.
func TestVoteNotStoredIsNotAcknowledged(t *testing.T) {
	j := &flakyJournal{down: true}
	h := start(t, &fakeAnswerer{}, func(o *Options) { o.Feedback = bot.NewFeedbackJournal(j, "salt") })
	const chat = 1802
	h.f.push(privateText(chat, "低保标准是多少?"))
	calls := h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	answer := sent(calls, chat)[0]
	up, _ := findButton(keyboardOf(t, answer), "👍")
	h.f.push(callback(chat, chat, answer.Result, up.CallbackData))
	calls = h.f.waitFor("the refusal", func(calls []apiCall) bool { return countMethod(calls, "answerCallbackQuery") >= 1 })
	if got := lastForm(calls, "answerCallbackQuery")["text"]; got != bot.MsgFeedbackNotSaved || j.stored() != 0 {
		t.Fatalf("vote with the store down: callback %q, stored %d", got, j.stored())
	}
	j.set(false)
	h.f.push(callback(chat, chat, answer.Result, up.CallbackData))
	calls = h.f.waitFor("the thanks", func(calls []apiCall) bool { return countMethod(calls, "answerCallbackQuery") >= 2 })
	if got := lastForm(calls, "answerCallbackQuery")["text"]; !strings.Contains(got, "谢谢") || j.stored() != 1 {
		t.Errorf("vote with the store back: callback %q, stored %d", got, j.stored())
	}
}

func lastForm(calls []apiCall, method string) map[string]string {
	var out map[string]string
	for _, c := range calls {
		if strings.HasSuffix(c.Method, method) {
			out = c.Form
		}
	}
	return out
}
