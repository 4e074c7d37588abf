package telegram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// An update Telegram delivers again by getUpdates is answered once, as a
// redelivered webhook update is.
func TestPollingRedeliveryAnsweredOnce(t *testing.T) {
	fa := &fakeAnswerer{}
	h := start(t, fa, nil)
	const chat, sentinel = 2101, 2102
	ids := h.f.push(privateText(chat, "低保标准是多少?"))
	h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	h.f.redeliver(ids...)
	h.f.push(privateText(sentinel, "低保标准是多少?"))
	h.f.waitFor("the sentinel's answer", func(calls []apiCall) bool { return len(sent(calls, sentinel)) > 0 })
	// Shutting down waits for every reply under way, so none is missed.
	if _, err := h.shutdown(); err != nil {
		t.Fatal(err)
	}
	if n := len(sent(h.f.snapshot(), chat)); n != 1 {
		t.Errorf("redelivered update answered %d times, want once:\n%s", n, dump(h.f.snapshot()))
	}
	if n := len(fa.requests()); n != 2 {
		t.Errorf("answerer asked %d times, want 2", n)
	}
	if !logged(h.logs.String(), `"duplicate update ignored"`, fmt.Sprintf("update_id=%d", ids[0])) {
		t.Errorf("duplicate not logged:\n%s", h.logs.String())
	}
}

// secretQuestion is what a resident wrote: it must never reach a log.
const secretQuestion = "我叫王秘密,低保怎么申请"

// malformedUpdate is a message update whose message_id is not a number.
func malformedUpdate(chat int64) map[string]any {
	u := privateText(chat, secretQuestion)
	u["message"].(map[string]any)["message_id"] = "not-a-number"
	return u
}

// checkLogged fails when the logs quote the update, or lack the line
// naming it by ID and kind.
func checkLogged(t *testing.T, logs string, id int64) {
	t.Helper()
	for _, leak := range []string{"王秘密", "低保怎么申请", "not-a-number"} {
		if strings.Contains(logs, leak) {
			t.Errorf("the logs quote the update (%q):\n%s", leak, logs)
		}
	}
	want := fmt.Sprintf("update_id=%d kind=wrong_type field=message.message_id", id)
	if !logged(logs, "malformed update", want) {
		t.Errorf("the logs lack %q:\n%s", want, logs)
	}
}

// A malformed update is logged by ID and kind, never by its text. The
// webhook refuses it without marking it seen, so that a redelivery that
// parses is answered; polling moves past it to the next update.
func TestMalformedUpdate(t *testing.T) {
	t.Run("webhook", func(t *testing.T) {
		const secret = "s3cret"
		h := start(t, &fakeAnswerer{}, func(o *Options) {
			o.WebhookURL = "https://bot.example.org/telegram/webhook"
			o.WebhookSecret = secret
		})
		h.f.waitFor("setWebhook", func(calls []apiCall) bool { return countMethod(calls, "setWebhook") > 0 })
		srv := httptest.NewServer(h.b.WebhookHandler())
		defer srv.Close()
		post := func(u map[string]any) int {
			t.Helper()
			body, _ := json.Marshal(u)
			req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
			req.Header.Set(secretHeader, secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		const chat, id = 2201, 40
		bad := malformedUpdate(chat)
		bad["update_id"] = id
		if code := post(bad); code != http.StatusBadRequest {
			t.Errorf("malformed update: status %d, want 400 so that Telegram sends it again", code)
		}
		good := privateText(chat, "低保标准是多少?")
		good["update_id"] = id
		if code := post(good); code != http.StatusOK {
			t.Errorf("redelivery: status %d, want 200", code)
		}
		h.f.waitFor("the answer to the redelivery", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
		checkLogged(t, h.logs.String(), id)
	})

	t.Run("polling", func(t *testing.T) {
		h := start(t, &fakeAnswerer{}, nil)
		const chat, next = 2301, 2302
		ids := h.f.push(malformedUpdate(chat), privateText(next, "低保标准是多少?"))
		h.f.waitFor("the next update's answer", func(calls []apiCall) bool { return len(sent(calls, next)) > 0 })
		if got := sent(h.f.snapshot(), chat); len(got) > 0 {
			t.Errorf("the malformed update was answered:\n%s", dump(got))
		}
		checkLogged(t, h.logs.String(), ids[0])
	})

	// A getUpdates response that is not JSON at all is the library's to
	// report, and it quotes the body: only the kind of failure is logged.
	t.Run("polling, broken response", func(t *testing.T) {
		h := start(t, &fakeAnswerer{}, nil)
		h.f.serveRaw(`{"ok":true,"result":[{"update_id":7,"message":{"text":"` + secretQuestion + `"`)
		const next = 2401
		h.f.push(privateText(next, "低保标准是多少?"))
		h.f.waitFor("the next update's answer", func(calls []apiCall) bool { return len(sent(calls, next)) > 0 })
		logs := h.logs.String()
		if strings.Contains(logs, "王秘密") {
			t.Errorf("the logs quote the response:\n%s", logs)
		}
		if !logged(logs, `"bot api: malformed data"`, "kind=not_json") {
			t.Errorf("the broken response is not logged:\n%s", logs)
		}
	})
}

// The library's errors, in the forms go-telegram/bot v1.19.0 builds them:
// those quoting a body are logged by kind, the others as they are.
func TestLibraryErrorLogged(t *testing.T) {
	body := []byte(`{"update_id":9,"message":{"message_id":"x","text":"` + secretQuestion + `"}}`)
	typeErr := json.Unmarshal([]byte(`{"message":{"message_id":"x"}}`), &models.Update{})
	syntaxErr := json.Unmarshal(body[:20], &struct{}{})
	tests := []struct {
		name      string
		err       error
		want, not string
	}{
		{"webhook decode", fmt.Errorf("error decode request body, %s, %w", body, typeErr),
			"kind=wrong_type field=message.message_id", "王秘密"},
		{"polling decode", fmt.Errorf("error get updates, %w",
			fmt.Errorf("error decode response body for method getUpdates, %s, %w", body, syntaxErr)), "kind=not_json", "王秘密"},
		{"decode, no json error", fmt.Errorf("error decode request body, %s, %w", body, errors.New("bad")), "kind=not_json", "王秘密"},
		{"network", fmt.Errorf("error get updates, %w", errors.New("error do request for method getUpdates, dial tcp: connection refused")),
			"connection refused", testToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &logBuffer{}
			b, err := New(&fakeAnswerer{}, Options{Token: testToken, Logger: slog.New(slog.NewTextHandler(logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			b.libraryError(tt.err)
			if got := logs.String(); !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
				t.Errorf("log %q, want %q and not %q", got, tt.want, tt.not)
			}
		})
	}
}

// The set of seen updates is bounded in number and forgets after its TTL.
func TestUpdateSet(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u := newUpdateSet(3, time.Hour)
	steps := []struct {
		id    int64
		at    time.Duration
		first bool
	}{
		{1, 0, true},
		{1, time.Minute, false},
		{2, time.Minute, true},
		{3, time.Minute, true},
		{2, 2 * time.Minute, false}, // full, but 2 is remembered
		{4, 2 * time.Minute, true},  // 1, the oldest, is forgotten
		{1, 3 * time.Minute, true},
		{4, 3 * time.Minute, false},
		{4, 2*time.Minute + time.Hour + time.Second, true}, // expired
	}
	for i, s := range steps {
		if got := u.first(s.id, t0.Add(s.at)); got != s.first {
			t.Errorf("step %d: first(%d) at +%v = %v, want %v", i, s.id, s.at, got, s.first)
		}
	}
	if len(u.m) > 3 || len(u.order) > 3 {
		t.Errorf("set holds %d IDs, bound 3", len(u.m))
	}
}

// logged reports whether one line of logs holds all of parts.
func logged(logs string, parts ...string) bool {
	for _, line := range strings.Split(logs, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}
