package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/coord"
	"github.com/minsheng/minsheng/coord/coordtest"
)

// openReplica is one replica's Redis client, under the test's prefix.
func openReplica(t *testing.T, prefix string) *coord.Redis {
	t.Helper()
	r, err := coord.Open(context.Background(), coordtest.URL(t), coord.Options{Prefix: prefix,
		Timeout: sharedTimeout, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// Two replicas' gates over one Redis hold a chat to one question at a
// time and to one rate; other chats are not touched.
func TestChatGateShared(t *testing.T) {
	prefix := coordtest.Prefix(t)
	a := chatGate{&coord.Shared{Redis: openReplica(t, prefix), Local: coord.NewLocal(0)}}
	b := chatGate{&coord.Shared{Redis: openReplica(t, prefix), Local: coord.NewLocal(0)}}
	const chat, other = 4242, 4343

	end, ok := a.Begin(chat, time.Minute)
	if !ok {
		t.Fatal("a could not begin a question in a free chat")
	}
	if _, ok := b.Begin(chat, time.Minute); ok {
		t.Error("b began a second question while a answered the chat's first")
	}
	endOther, ok := b.Begin(other, time.Minute)
	if !ok {
		t.Error("another chat is busy too")
	}
	endOther()
	end()
	end, ok = b.Begin(chat, time.Minute)
	if !ok {
		t.Error("the chat is still busy after end")
	}
	end()

	// A question whose replica died frees its chat after the TTL.
	if _, ok := a.Begin(chat, 200*time.Millisecond); !ok {
		t.Fatal("a could not begin")
	}
	time.Sleep(300 * time.Millisecond)
	if end, ok := b.Begin(chat, time.Minute); !ok {
		t.Error("the chat of a dead replica's question is still busy past its TTL")
	} else {
		end()
	}

	const burst = 2
	for i, g := range []chatGate{a, b} {
		if !g.Allow(chat, time.Hour, burst) {
			t.Errorf("message %d of the burst refused", i+1)
		}
	}
	if a.Allow(chat, time.Hour, burst) || b.Allow(chat, time.Hour, burst) {
		t.Error("a message past the burst, sent through either replica, was allowed")
	}
	if !a.Allow(other, time.Hour, burst) {
		t.Error("another chat shares the bucket")
	}
}

// One replica at a time holds the poll lease; another takes it at once
// when the holder releases it, and within the TTL when the holder dies.
// A holder that cannot reach Redis keeps polling; a waiter keeps waiting.
func TestPollLease(t *testing.T) {
	prefix := coordtest.Prefix(t)
	ctx := context.Background()
	const ttl = 300 * time.Millisecond
	a := &pollLease{r: openReplica(t, prefix), ttl: ttl}
	b := &pollLease{r: openReplica(t, prefix), ttl: ttl}
	if !a.Hold(ctx) || !a.Hold(ctx) {
		t.Fatal("a could not take and renew a free lease")
	}
	if b.Hold(ctx) {
		t.Fatal("b holds the lease a holds")
	}
	a.Release()
	if !b.Hold(ctx) {
		t.Fatal("b did not take the lease a released")
	}

	// b dies: it renews no more, and releases nothing.
	if a.Hold(ctx) {
		t.Fatal("a took the lease b holds")
	}
	deadline := time.Now().Add(ttl + time.Second)
	for !a.Hold(ctx) {
		if time.Now().After(deadline) {
			t.Fatal("a did not take over the lease of a replica that died")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Redis out of reach: a, polling, goes on; c, waiting, waits.
	c := &pollLease{r: openReplica(t, prefix), ttl: ttl}
	if c.Hold(ctx) {
		t.Fatal("c took the lease a holds")
	}
	a.r.Close()
	c.r.Close()
	if !a.Hold(ctx) {
		t.Error("the holder stopped polling when Redis became unreachable")
	}
	if c.Hold(ctx) {
		t.Error("a waiting replica took the lease when Redis became unreachable")
	}
}

// Two `serve` replicas sharing Redis, without a webhook: one long-polls,
// the other waits, and takes over when the first shuts down.
func TestServePollsFromOneReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers")
	}
	fake := &fakeBotAPI{}
	api := httptest.NewServer(fake)
	defer api.Close()
	t.Setenv("MINSHENG_TELEGRAM_TOKEN", "123:secret-token")
	t.Setenv("MINSHENG_TELEGRAM_API_URL", api.URL)
	t.Setenv("MINSHENG_REDIS_URL", coordtest.URL(t))
	t.Setenv("MINSHENG_REDIS_PREFIX", coordtest.Prefix(t))
	type replica struct {
		stop   context.CancelFunc
		done   chan struct{}
		code   int // once done
		stderr *syncBuffer
	}
	start := func() *replica {
		ctx, cancel := context.WithCancel(context.Background())
		r := &replica{stop: cancel, done: make(chan struct{}), stderr: &syncBuffer{}}
		dir := warmDir(t)
		go func() {
			defer close(r.done)
			r.code = run(ctx, []string{"serve", "--http-addr", "127.0.0.1:0", "--data-dir", dir},
				strings.NewReader(""), io.Discard, r.stderr)
		}()
		t.Cleanup(func() {
			cancel()
			select {
			case <-r.done:
			case <-time.After(20 * time.Second):
				t.Error("serve did not stop")
			}
		})
		return r
	}
	rs := []*replica{start(), start()}
	const polls, waits = "long polling started", "long polling waits"
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; logs:\n%s\n---\n%s", what, rs[0].stderr.String(), rs[1].stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("the answer", func() bool { return fake.answerTo("7") != "" })
	waitFor("one replica polling, the other waiting", func() bool {
		a, b := rs[0].stderr.String(), rs[1].stderr.String()
		return strings.Contains(a, polls) && strings.Contains(b, waits) ||
			strings.Contains(b, polls) && strings.Contains(a, waits)
	})
	time.Sleep(2 * pollLeaseEvery) // a few renewals, and long polls
	holder, waiter := rs[0], rs[1]
	if !strings.Contains(holder.stderr.String(), polls) {
		holder, waiter = waiter, holder
	}
	if strings.Contains(waiter.stderr.String(), polls) {
		t.Fatalf("both replicas polled:\n%s\n---\n%s", holder.stderr.String(), waiter.stderr.String())
	}
	holder.stop()
	<-holder.done
	if holder.code != exitOK {
		t.Errorf("exit %d after shutdown: %s", holder.code, holder.stderr.String())
	}
	waitFor("the other replica taking over", func() bool { return strings.Contains(waiter.stderr.String(), polls) })
	time.Sleep(time.Second)
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.conflicts != 0 {
		t.Errorf("%d getUpdates refused with 409: two replicas polled at once", fake.conflicts)
	}
	answers := 0
	for _, m := range fake.sent {
		if m["chat_id"] == "7" && strings.Contains(m["text"], "850") {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("chat 7 got %d answers, want 1", answers)
	}
}
