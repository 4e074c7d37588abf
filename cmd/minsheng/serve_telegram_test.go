package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBotAPI is a Telegram Bot API server that delivers one message from
// chat 7 and records what the bot sends.
type fakeBotAPI struct {
	mu        sync.Mutex
	delivered bool
	sent      []map[string]string
	// polling counts getUpdates under way, conflicts those refused with
	// 409 because another was, as Telegram refuses a second poller.
	polling   int
	conflicts int
}

func (f *fakeBotAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Every call is POST /bot<token>/<method> with a multipart form.
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	if !strings.HasPrefix(r.URL.Path, "/bot123:secret-token/") {
		http.Error(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, 401)
		return
	}
	form := map[string]string{}
	if err := r.ParseMultipartForm(1 << 20); err == nil {
		for k, v := range r.MultipartForm.Value {
			form[k] = v[0]
		}
	} else {
		io.Copy(io.Discard, r.Body)
	}
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "getMe":
		fmt.Fprint(w, `{"ok":true,"result":{"id":42,"is_bot":true,"first_name":"民生问答","username":"minsheng_bot"}}`)
	case "getUpdates":
		f.mu.Lock()
		if f.polling > 0 {
			f.conflicts++
			f.mu.Unlock()
			fmt.Fprint(w, `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"}`)
			return
		}
		f.polling++
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.polling--
			f.mu.Unlock()
		}()
		f.mu.Lock()
		first := !f.delivered
		f.delivered = true
		f.mu.Unlock()
		if first {
			fmt.Fprint(w, `{"ok":true,"result":[{"update_id":1001,"message":{"message_id":5,"date":1700000000,`+
				`"chat":{"id":7,"type":"private"},"from":{"id":7,"is_bot":false,"first_name":"居民"},`+
				`"text":"浑南区低保标准到2025年能到每月多少钱?"}}]}`)
			return
		}
		select { // long poll: nothing more to deliver
		case <-r.Context().Done():
		case <-time.After(500 * time.Millisecond):
		}
		fmt.Fprint(w, `{"ok":true,"result":[]}`)
	case "sendMessage", "editMessageText":
		f.mu.Lock()
		f.sent = append(f.sent, form)
		n := len(f.sent)
		f.mu.Unlock()
		b, _ := json.Marshal(form["text"])
		fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":1700000000,"chat":{"id":7,"type":"private"},"text":%s}}`, 100+n, b)
	default: // deleteWebhook, setMyCommands, sendChatAction …
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	}
}

func (f *fakeBotAPI) answerTo(chat string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.sent {
		if m["chat_id"] == chat && strings.Contains(m["text"], "850") {
			return m["text"]
		}
	}
	return ""
}

// The bar: `minsheng serve` with a token and a Bot API URL answers
// chat 7's question with 850 and a citation within 20 s.
func TestServeAnswersOnTelegram(t *testing.T) {
	fake := &fakeBotAPI{}
	api := httptest.NewServer(fake)
	defer api.Close()
	t.Setenv("MINSHENG_TELEGRAM_TOKEN", "123:secret-token")
	t.Setenv("MINSHENG_TELEGRAM_API_URL", api.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--http-addr", "127.0.0.1:0", "--data-dir", dataDir(t)}, strings.NewReader(""), io.Discard, &stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = fake.answerTo("7"); got != "" {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d: %s", code, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if got == "" {
		t.Fatalf("no answer with 850 to chat 7 within 20 s; log:\n%s", stderr.String())
	}
	if !strings.Contains(got, "[1]") || !strings.Contains(got, "浑南区") {
		t.Errorf("answer lacks a citation:\n%s", got)
	}
	if strings.Contains(stderr.String(), "secret-token") {
		t.Error("the bot token reached the log")
	}
	// The channel's lines name it once.
	tagged := 0
	for _, line := range strings.Split(stderr.String(), "\n") {
		switch strings.Count(line, "channel=telegram") {
		case 0:
		case 1:
			tagged++
		default:
			t.Errorf("log line names the channel more than once: %s", line)
		}
	}
	if tagged == 0 {
		t.Errorf("no log line names the channel:\n%s", stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after shutdown: %s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}
