package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const groundedReply = "浑南区到2025年城乡低保标准不低于每人每月850元[1]。"

// heldChat is an OpenAI-compatible endpoint whose replies wait until
// release; it counts the requests it holds at once.
type heldChat struct {
	srv  *httptest.Server
	hold chan struct{}
	once sync.Once

	mu                    sync.Mutex
	calls, inFlight, peak int
}

func newHeldChat(t *testing.T) *heldChat {
	h := &heldChat{hold: make(chan struct{})}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h.mu.Lock()
		h.calls++
		h.inFlight++
		h.peak = max(h.peak, h.inFlight)
		h.mu.Unlock()
		defer func() {
			h.mu.Lock()
			h.inFlight--
			h.mu.Unlock()
		}()
		select {
		case <-h.hold:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		chunk, _ := json.Marshal(map[string]any{"id": "1", "object": "chat.completion.chunk",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": groundedReply}, "finish_reason": "stop"}}})
		fmt.Fprintf(w, "data: %s\n\ndata: [DONE]\n\n", chunk)
	}))
	t.Cleanup(h.release)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *heldChat) release() { h.once.Do(func() { close(h.hold) }) }

func (h *heldChat) stats() (calls, peak int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, h.peak
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func llmEnv(base string) map[string]string {
	return map[string]string{"MINSHENG_LLM_BASE_URL": base + "/v1", "MINSHENG_LLM_MODEL": "fake",
		"MINSHENG_LLM_API_KEY": "sk-test", "MINSHENG_LLM_TIMEOUT": "60s"}
}

type askResult struct {
	code int
	ans  struct{ Answer, Mode string }
	err  error
}

// askHTTP asks the acceptance question; the client's timeout is the
// deadline every answer must meet.
func askHTTP(url string) askResult {
	c := &http.Client{Timeout: 60 * time.Second}
	resp, err := c.Post(url+"/v1/ask", "application/json", strings.NewReader(`{"question":"浑南区低保标准到2025年能到每月多少钱?"}`))
	if err != nil {
		return askResult{err: err}
	}
	defer resp.Body.Close()
	r := askResult{code: resp.StatusCode}
	r.err = json.NewDecoder(resp.Body).Decode(&r.ans)
	return r
}

// Past MINSHENG_LLM_CONCURRENCY calls at the LLM, questions over HTTP are
// answered extractively at once (they are all answered while the LLM
// still holds its calls) and counted as busy fallbacks.
func TestServeLLMBusy(t *testing.T) {
	const clients, limit = 12, 2
	llm := newHeldChat(t)
	env := llmEnv(llm.srv.URL)
	env["MINSHENG_LLM_CONCURRENCY"] = fmt.Sprint(limit)
	url, _, _ := runServeCmd(t, env)
	results := make(chan askResult, clients)
	for range clients {
		go func() { results <- askHTTP(url) }()
	}
	for i := 0; i < clients-limit; i++ {
		r := <-results
		if r.err != nil || r.code != 200 || r.ans.Mode != "extractive" || !strings.Contains(r.ans.Answer, "850") {
			t.Fatalf("answer %d while the LLM is held: %d %v %s %q", i, r.code, r.err, r.ans.Mode, r.ans.Answer)
		}
	}
	llm.release()
	for i := 0; i < limit; i++ {
		if r := <-results; r.err != nil || r.ans.Mode != "llm" {
			t.Errorf("LLM answer: %v %s", r.err, r.ans.Mode)
		}
	}
	if calls, peak := llm.stats(); calls != limit || peak > limit {
		t.Errorf("%d calls, %d at once; want %d", calls, peak, limit)
	}
	_, metrics := get(t, url+"/metrics")
	if want := fmt.Sprintf(`minsheng_llm_fallbacks_total{channel="web",reason="busy"} %d`, clients-limit); !strings.Contains(metrics, want) {
		t.Errorf("/metrics lacks %s", want)
	}
}

// `minsheng llm off|on|status` keeps the switch in the data folder, and
// ask follows it.
func TestLLMCommand(t *testing.T) {
	dir := t.TempDir()
	for k, v := range llmEnv(fakeChat(t, groundedReply, 0, false).URL) {
		t.Setenv(k, v)
	}
	askMode := func() (string, string) {
		t.Helper()
		code, out, errOut := runCLI(t, "", "ask", "--data-dir", dir, "--json", "浑南区低保标准到2025年能到每月多少钱?")
		if code != exitOK {
			t.Fatalf("ask: exit %d %s", code, errOut)
		}
		var ans struct{ Mode, Answer string }
		json.Unmarshal([]byte(out), &ans)
		return ans.Mode, ans.Answer
	}
	steps := []struct {
		args []string
		env  map[string]string
		code int
		out  []string
		mode string // of an ask after the step; "" to skip
	}{
		{[]string{"status"}, nil, exitOK, []string{"llm: on", "concurrency: 8", "tokens: "}, "llm"},
		{[]string{"off"}, nil, exitOK, []string{"switched off", "llm: off (`minsheng llm off` at "}, "extractive"},
		{[]string{"status", "--llm-concurrency", "3"}, nil, exitOK, []string{"llm: off", "concurrency: 3"}, ""},
		{[]string{"on"}, nil, exitOK, []string{"switched on", "llm: on"}, "llm"},
		{[]string{"status"}, map[string]string{"MINSHENG_LLM_ENABLED": "false"}, exitOK, []string{"llm: off (MINSHENG_LLM_ENABLED=false; the switch is on)"}, "extractive"},
		{[]string{"maybe"}, nil, exitBadInput, nil, ""},
		{nil, nil, exitBadInput, nil, ""},
		{[]string{"status"}, map[string]string{"MINSHENG_LLM_CONCURRENCY": "many"}, exitBadInput, nil, ""},
	}
	for _, s := range steps {
		for k, v := range s.env {
			t.Setenv(k, v)
		}
		args := append([]string{"llm", "--data-dir", dir}, s.args...)
		code, out, errOut := runCLI(t, "", args...)
		if code != s.code {
			t.Errorf("llm %v: exit %d, want %d: %s", s.args, code, s.code, errOut)
		}
		for _, w := range s.out {
			if !strings.Contains(out, w) {
				t.Errorf("llm %v: output lacks %q:\n%s", s.args, w, out)
			}
		}
		if s.mode != "" {
			mode, answer := askMode()
			if mode != s.mode {
				t.Errorf("after llm %v: ask answered %s, want %s", s.args, mode, s.mode)
			}
			if mode == "extractive" && !strings.Contains(answer, "原文摘录") {
				t.Errorf("after llm %v: extractive answer without its note:\n%s", s.args, answer)
			}
		}
		for k := range s.env {
			os.Unsetenv(k)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, llmSwitchFile)); err != nil {
		t.Errorf("switch file: %v", err)
	}
}

// MINSHENG_LLM_DAILY_TOKENS: past it ask answers extractively, and the
// count, kept in the data folder, survives from one process to the next.
// The endpoint reports no usage here, so the count is estimated.
func TestAskDailyTokens(t *testing.T) {
	dir := t.TempDir()
	for k, v := range llmEnv(fakeChat(t, groundedReply, 0, false).URL) {
		t.Setenv(k, v)
	}
	t.Setenv("MINSHENG_LLM_DAILY_TOKENS", "100")
	var modes []string
	for range 2 {
		code, out, errOut := runCLI(t, "", "ask", "--data-dir", dir, "--json", "浑南区低保标准到2025年能到每月多少钱?")
		if code != exitOK {
			t.Fatalf("ask: exit %d %s", code, errOut)
		}
		var ans struct{ Mode, Answer string }
		json.Unmarshal([]byte(out), &ans)
		modes = append(modes, ans.Mode)
		if ans.Mode == "extractive" && !strings.Contains(ans.Answer, "额度") {
			t.Errorf("budget answer without its note:\n%s", ans.Answer)
		}
	}
	if strings.Join(modes, ",") != "llm,extractive" {
		t.Errorf("modes %v, want llm then extractive", modes)
	}
	raw, err := os.ReadFile(filepath.Join(dir, llmUsageFile))
	var count struct {
		Day    string
		Zone   string
		Tokens int64
	}
	if err != nil || json.Unmarshal(raw, &count) != nil || count.Tokens < 100 || count.Zone != "Asia/Shanghai" {
		t.Errorf("count file: %v %s", err, raw)
	}
	code, out, _ := runCLI(t, "", "llm", "--data-dir", dir, "status")
	if want := fmt.Sprintf("tokens: %d used of 100 on %s (Asia/Shanghai)", count.Tokens, count.Day); code != exitOK || !strings.Contains(out, want) {
		t.Errorf("status lacks %q:\n%s", want, out)
	}
	// Any zone of the database, which the binary carries (time/tzdata).
	t.Setenv("MINSHENG_LLM_BUDGET_TZ", "America/New_York")
	if code, out, _ := runCLI(t, "", "llm", "--data-dir", dir, "status"); code != exitOK || !strings.Contains(out, "(America/New_York)") {
		t.Errorf("status in New York time: %d\n%s", code, out)
	}
	t.Setenv("MINSHENG_LLM_BUDGET_TZ", "Mars/Olympus")
	if code, _, errOut := runCLI(t, "", "llm", "--data-dir", dir, "status"); code != exitBadInput || !strings.Contains(errOut, "MINSHENG_LLM_BUDGET_TZ") {
		t.Errorf("unknown zone: exit %d %s", code, errOut)
	}
}

func TestParseEnvFile(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]string
		err  string // part of the error
	}{
		{"lines, comments, export, quotes", "# limits\n\nMINSHENG_LLM_ENABLED=false\r\nexport MINSHENG_LLM_CONCURRENCY = 4\nMINSHENG_REGION=\"沈阳\"\nX='a=b'\n",
			map[string]string{"MINSHENG_LLM_ENABLED": "false", "MINSHENG_LLM_CONCURRENCY": "4", "MINSHENG_REGION": "沈阳", "X": "a=b"}, ""},
		{"empty", "", map[string]string{}, ""},
		{"no equals sign", "MINSHENG_LLM_ENABLED=true\nMINSHENG_LLM_API_KEY sk-secret\n", nil, "line 2: want KEY=value"},
		{"bad key", "1KEY=x\n", nil, "line 1"},
		{"bad switch", "MINSHENG_LLM_ENABLED=maybe\n", nil, "line 1: MINSHENG_LLM_ENABLED must be true or false"},
		{"bad concurrency", "MINSHENG_LLM_CONCURRENCY=0\n", nil, "MINSHENG_LLM_CONCURRENCY must be a whole number from 1"},
		{"too many", "MINSHENG_LLM_CONCURRENCY=100000\n", nil, "MINSHENG_LLM_CONCURRENCY"},
		{"bad budget", "\n\nMINSHENG_LLM_DAILY_TOKENS=-5\n", nil, "line 3: MINSHENG_LLM_DAILY_TOKENS"},
		{"not UTF-8", "MINSHENG_REGION=\xff\n", nil, "UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseEnvFile("minsheng.env", []byte(tc.text))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err %v, want %q", err, tc.err)
				}
				if err != nil && strings.Contains(err.Error(), "sk-secret") {
					t.Errorf("the error quotes the line: %v", err)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("%v %v", got, err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s=%q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// Settings are layered: defaults, environment, env file, flags; the
// switch file turns the LLM off whatever they say.
func TestLLMState(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("MINSHENG_LLM_CONCURRENCY", "5")
	t.Setenv("MINSHENG_LLM_DAILY_TOKENS", "1000")
	envFile := filepath.Join(dir, "minsheng.env")
	os.WriteFile(envFile, []byte("MINSHENG_LLM_CONCURRENCY=6\nMINSHENG_LLM_DAILY_TOKENS=2000\n"), 0o644)
	var cfg Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	bindCommon(fs, &cfg)
	if err := parseFlags(fs, []string{"--data-dir", dir, "--env-file", envFile, "--llm-daily-tokens", "3000"}); err != nil {
		t.Fatal(err)
	}
	file, err := cfg.readEnvFile()
	if err != nil {
		t.Fatal(err)
	}
	st, err := cfg.llmState(file)
	if err != nil || st.Limits.Off || st.Limits.Concurrency != 6 || st.Limits.DailyTokens != 3000 {
		t.Errorf("%+v %v, want on, concurrency 6 from the file, 3000 tokens from the flag", st, err)
	}
	os.WriteFile(filepath.Join(dir, llmSwitchFile), []byte(`{"on":false}`), 0o644)
	if st, err := cfg.llmState(file); err != nil || !st.Limits.Off || st.SettingsOff {
		t.Errorf("switched off: %+v %v", st, err)
	}
}
