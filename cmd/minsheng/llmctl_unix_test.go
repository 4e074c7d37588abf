//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// SIGHUP re-reads the env file: the switch and the concurrency change
// while serve runs, an answer under way is finished, and a bad line is
// logged and changes nothing. (SIGHUP used to end serve at once; here it
// would end the test binary.)
func TestServeReloadsOnSIGHUP(t *testing.T) {
	llm := newHeldChat(t)
	dir := t.TempDir()
	envFile := filepath.Join(dir, "minsheng.env")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(envFile, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("# LLM limits\nMINSHENG_LLM_CONCURRENCY=4\n")
	env := llmEnv(llm.srv.URL)
	env["MINSHENG_ENV_FILE"] = envFile
	env["MINSHENG_DATA_DIR"] = filepath.Join(dir, "data")
	url, logs, stop := runServeCmd(t, env)
	hup := func() {
		t.Helper()
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}

	// A question is at the LLM when the signal comes.
	inflight := make(chan askResult, 1)
	go func() { inflight <- askHTTP(url) }()
	waitFor(t, "the question to reach the LLM", func() bool { calls, _ := llm.stats(); return calls == 1 })
	write("MINSHENG_LLM_ENABLED=false\nMINSHENG_LLM_CONCURRENCY=3\nMINSHENG_REGION=大连\n")
	hup()
	waitFor(t, "the reload", func() bool {
		return strings.Contains(logs.String(), `"enabled":false,"switch":"on","concurrency":3`)
	})
	llm.release()
	if r := <-inflight; r.err != nil || r.code != 200 || r.ans.Mode != "llm" {
		t.Errorf("answer under way at the SIGHUP: %d %v %s", r.code, r.err, r.ans.Mode)
	}
	if r := askHTTP(url); r.err != nil || r.ans.Mode != "extractive" {
		t.Errorf("answer after MINSHENG_LLM_ENABLED=false: %v %s", r.err, r.ans.Mode)
	}
	if !strings.Contains(logs.String(), `"key":"MINSHENG_REGION"`) {
		t.Error("no word that MINSHENG_REGION needs a restart")
	}

	// A bad line: logged, with its line number, and nothing changes.
	write("MINSHENG_LLM_ENABLED=true\nMINSHENG_LLM_CONCURRENCY=lots\n")
	hup()
	waitFor(t, "the bad file to be reported", func() bool {
		return strings.Contains(logs.String(), "line 2: MINSHENG_LLM_CONCURRENCY must be")
	})
	if r := askHTTP(url); r.err != nil || r.ans.Mode != "extractive" {
		t.Errorf("after a bad env file the LLM came back on: %v %s", r.err, r.ans.Mode)
	}
	_, metrics := get(t, url+"/metrics")
	if !strings.Contains(metrics, `minsheng_llm_fallbacks_total{channel="web",reason="disabled"} 2`) {
		t.Error("/metrics lacks the two answers given with the LLM off")
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d:\n%s", code, logs.String())
	}
}

// `minsheng llm off` reaches a running serve, which reads the switch file
// every switchPoll, and `llm on` brings the LLM back.
func TestServeFollowsLLMSwitch(t *testing.T) {
	llm := fakeChat(t, groundedReply, 0, false)
	dir := t.TempDir()
	env := llmEnv(llm.URL)
	env["MINSHENG_DATA_DIR"] = dir
	url, logs, _ := runServeCmd(t, env)
	if r := askHTTP(url); r.ans.Mode != "llm" {
		t.Fatalf("before the switch: %v %s", r.err, r.ans.Mode)
	}
	for _, step := range []struct{ cmd, log, mode string }{
		{"off", `"switch":"off"`, "extractive"},
		{"on", `"switch":"on"`, "llm"},
	} {
		if code, _, errOut := runCLI(t, "", "llm", "--data-dir", dir, step.cmd); code != exitOK {
			t.Fatalf("llm %s: exit %d %s", step.cmd, code, errOut)
		}
		waitFor(t, "serve to read the switch", func() bool { return strings.Contains(logs.String(), step.log) })
		if r := askHTTP(url); r.ans.Mode != step.mode {
			t.Errorf("after llm %s: %v %s, want %s", step.cmd, r.err, r.ans.Mode, step.mode)
		}
	}
}
