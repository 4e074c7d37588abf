package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/store"
	"github.com/minsheng/minsheng/store/storetest"
)

func openStore(t *testing.T, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

func today() string { return time.Now().In(bot.BeijingTime()).Format(time.DateOnly) }

// Two replicas' budgets, each on its own connection pool, share one
// day's count in PostgreSQL: each sees the other's tokens within
// bot.TokenRefresh, and the counter holds the sum. A counter call that
// times out on a loaded machine is retried by the budget a few seconds
// later (TestServeAnswersWhileTokenCountIsUnreachable covers the outage),
// so it is logged here, and the wait allows one such retry.
func TestSharedTokenCount(t *testing.T) {
	url := storetest.URL(t)
	db1, db2 := openStore(t, url), openStore(t, url)
	onErr := func(err error) { t.Log(err) }
	b1 := bot.NewSharedTokenBudget(dbTokens{db1}, nil, onErr)
	b2 := bot.NewSharedTokenBudget(dbTokens{db2}, nil, onErr)
	b1.Add(700)
	b2.Add(300)
	for name, b := range map[string]*bot.TokenBudget{"first": b1, "second": b2} {
		waitWithin(t, bot.TokenRefresh+10*time.Second, "the "+name+" replica to see 1000 tokens", func() bool { return b.Exhausted(1000) })
		if b.Exhausted(1001) {
			t.Errorf("the %s replica counts more than 1000", name)
		}
	}
	if n, err := db1.Counter(context.Background(), tokensKey+today()); err != nil || n != 1000 {
		t.Errorf("counter %s%s = %d, %v; want 1000", tokensKey, today(), n, err)
	}
	// A replica started later begins from the day's total.
	if _, n := bot.NewSharedTokenBudget(dbTokens{db2}, nil, onErr).Used(); n != 1000 {
		t.Errorf("a new replica starts at %d, want 1000", n)
	}
}

// waitWithin polls cond until it holds, failing after d.
func waitWithin(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s took more than %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// `minsheng llm off|on`, run with MINSHENG_DATABASE_URL and a data folder
// of its own, reaches a running serve through PostgreSQL within seconds;
// serve's tokens are counted there, and status reads both back.
func TestServeFollowsSharedLLMSwitch(t *testing.T) {
	url := storetest.URL(t)
	env := llmEnv(fakeChat(t, groundedReply, 0, false).URL)
	env["MINSHENG_DATABASE_URL"] = url
	env["MINSHENG_DATA_DIR"] = warmDir(t)
	srv, logs, _ := runServeCmd(t, env)
	if r := askHTTP(srv); r.ans.Mode != "llm" {
		t.Fatalf("before the switch: %v %s", r.err, r.ans.Mode)
	}
	db := openStore(t, url)
	var tokens int64
	waitWithin(t, 5*time.Second, "serve's tokens to reach PostgreSQL", func() bool {
		tokens, _ = db.Counter(context.Background(), tokensKey+today())
		return tokens > 0
	})

	cliDir := t.TempDir() // not serve's: the switch must travel through PostgreSQL
	for _, step := range []struct{ cmd, log, mode string }{
		{"off", `"switch":"off"`, "extractive"},
		{"on", `"switch":"on"`, "llm"},
	} {
		seen := strings.Count(logs.String(), step.log)
		code, out, errOut := runCLI(t, "", "llm", "--data-dir", cliDir, step.cmd)
		if code != exitOK || !strings.Contains(out, "in PostgreSQL") {
			t.Fatalf("llm %s: exit %d %s%s", step.cmd, code, out, errOut)
		}
		// serve's poll reads only what the notification brought, so this
		// bound holds only if the notification arrived.
		waitWithin(t, 3*time.Second, "serve to apply llm "+step.cmd, func() bool { return strings.Count(logs.String(), step.log) > seen })
		if r := askHTTP(srv); r.ans.Mode != step.mode {
			t.Errorf("after llm %s: %v %s, want %s", step.cmd, r.err, r.ans.Mode, step.mode)
		}
	}
	code, out, errOut := runCLI(t, "", "llm", "--data-dir", cliDir, "status")
	if code != exitOK || !strings.Contains(out, "llm: on") || !strings.Contains(out, "tokens: ") || strings.Contains(out, "tokens: 0 used") {
		t.Errorf("status: exit %d\n%s%s", code, out, errOut)
	}
	for _, dir := range []string{cliDir, env["MINSHENG_DATA_DIR"]} {
		for _, name := range []string{llmSwitchFile, llmUsageFile} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("%s written in %s although the database holds it", name, dir)
			}
		}
	}
}

// The switch written by the CLI is what a replica starting afterwards
// reads, and a stored value that cannot be read is a clear error.
func TestSharedLLMSwitchStored(t *testing.T) {
	url := storetest.URL(t)
	t.Setenv("MINSHENG_DATABASE_URL", url)
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "", "llm", "--data-dir", dir, "off"); code != exitOK {
		t.Fatalf("llm off: exit %d %s", code, errOut)
	}
	db := openStore(t, url)
	sw := &dbSwitch{db: db}
	if err := sw.reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s, _ := sw.LLMSwitch(); s.On || s.Changed.IsZero() {
		t.Errorf("stored switch %+v, want off with its time", s)
	}
	if err := db.SetSetting(context.Background(), llmSwitchSetting, `{"on":`); err != nil {
		t.Fatal(err)
	}
	if err := sw.reload(context.Background()); err == nil {
		t.Error("a damaged setting was read")
	}
	if s, err := sw.LLMSwitch(); err == nil || s.On {
		t.Errorf("after a damaged setting: %+v %v; want the error and the switch kept off", s, err)
	}
	code, _, errOut := runCLI(t, "", "llm", "--data-dir", dir, "status")
	if code == exitOK || !strings.Contains(errOut, "minsheng llm on") {
		t.Errorf("status of a damaged setting: exit %d %s", code, errOut)
	}
	// `llm on` repairs it.
	if code, out, errOut := runCLI(t, "", "llm", "--data-dir", dir, "on"); code != exitOK || !strings.Contains(out, "switched on") {
		t.Errorf("llm on: exit %d %s%s", code, out, errOut)
	}
	if err := sw.reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s, err := sw.LLMSwitch(); err != nil || !s.On {
		t.Errorf("after llm on: %+v %v", s, err)
	}
}

// PostgreSQL going away while serve counts tokens fails no answer: the
// LLM keeps answering, this replica counts on its own, and the outage is
// logged once.
func TestServeAnswersWhileTokenCountIsUnreachable(t *testing.T) {
	proxy, proxied := storetest.NewProxy(t, storetest.URL(t))
	env := llmEnv(fakeChat(t, groundedReply, 0, false).URL)
	env["MINSHENG_DATABASE_URL"] = proxied
	env["MINSHENG_DATA_DIR"] = warmDir(t)
	srv, logs, _ := runServeCmd(t, env)
	if r := askHTTP(srv); r.err != nil || r.ans.Mode != "llm" {
		t.Fatalf("before the outage: %v %s", r.err, r.ans.Mode)
	}
	proxy.Stop()
	for i := range 3 {
		start := time.Now()
		r := askHTTP(srv)
		if r.err != nil || r.code != 200 || r.ans.Mode != "llm" || !strings.Contains(r.ans.Answer, "850") {
			t.Fatalf("answer %d without PostgreSQL: %d %v %s %q", i, r.code, r.err, r.ans.Mode, r.ans.Answer)
		}
		if d := time.Since(start); d > counterTimeout {
			t.Errorf("answer %d without PostgreSQL took %v", i, d)
		}
	}
	waitWithin(t, 2*counterTimeout+time.Second, "the outage to be logged", func() bool {
		return strings.Contains(logs.String(), "LLM token count not shared")
	})
	if n := strings.Count(logs.String(), "LLM token count not shared"); n != 1 {
		t.Errorf("outage logged %d times, want once:\n%s", n, logs.String())
	}
}
