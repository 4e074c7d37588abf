package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
)

// queueServer serves the real answerer with a feedback log and a queue in
// a temporary folder.
func queueServer(t *testing.T) (url, feedbackPath string, q *bot.Queue) {
	t.Helper()
	dir := t.TempDir()
	q, err := bot.OpenQueue(filepath.Join(dir, "unanswered.jsonl"), 0)
	if err != nil {
		t.Fatal(err)
	}
	feedbackPath = filepath.Join(dir, "feedback.jsonl")
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), Feedback: bot.NewFeedbackLog(feedbackPath, "salt"), Queue: q}))
	return srv.URL, feedbackPath, q
}

func feedbackLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("feedback line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// A 👎 with each of the four reasons, by code or by label, is recorded
// with its label in the feedback log and in the queue, with the region
// and passages the answer showed.
func TestFeedbackReasons(t *testing.T) {
	const doc = "001_1a1d5eee5e46f0c9.txt"
	for _, r := range bot.DownvoteReasons {
		for _, given := range []string{r.Code, r.Label} {
			t.Run(given, func(t *testing.T) {
				url, fbPath, q := queueServer(t)
				body := map[string]any{"question": dibaoQuestion + " 我电话13812345678", "answer": "850元[1]。", "helpful": false,
					"reason": given, "sources": []string{doc}, "region": "辽宁省 › 沈阳市 › 浑南区",
					"passages": []map[string]string{{"source": doc, "section": "二、重点任务"}}}
				resp, out := do(t, "POST", url+"/v1/feedback", body)
				if resp.StatusCode != 204 {
					t.Fatalf("status %d: %s", resp.StatusCode, out)
				}
				lines := feedbackLines(t, fbPath)
				if len(lines) != 1 || lines[0]["reason"] != r.Label || lines[0]["helpful"] != false {
					t.Errorf("feedback log %v, want one 👎 with reason %s", lines, r.Label)
				}
				es, err := q.Entries(time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				if len(es) != 1 {
					t.Fatalf("queue %+v, want one entry", es)
				}
				e := es[0]
				if e.Decision != bot.QueueDownvote || e.Reason != r.Label || e.Channel != web.ChannelWeb ||
					e.Region != "辽宁省 › 沈阳市 › 浑南区" || len(e.Passages) != 1 ||
					e.Passages[0] != (bot.Shown{Source: doc, Section: "二、重点任务"}) ||
					strings.Contains(e.Question, "13812345678") || !strings.Contains(e.Question, "低保") {
					t.Errorf("queue entry %+v", e)
				}
			})
		}
	}
}

// A bad reason, or a reason with a 👍, is refused and records nothing; a
// 👍, a 👎 without a reason and a 👎 on a routed answer are recorded in
// the feedback log, and only the plain 👎 enters the queue.
func TestFeedbackReasonChecks(t *testing.T) {
	const doc = "001_1a1d5eee5e46f0c9.txt"
	vote := func(helpful bool, extra ...any) map[string]any {
		m := map[string]any{"question": dibaoQuestion, "answer": "850元[1]。", "helpful": helpful}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
	tests := []struct {
		name     string
		body     map[string]any
		status   int
		wantMsg  string
		logged   bool
		queued   bool
		queuedAs string // reason in the queue
	}{
		{"unknown reason", vote(false, "reason", "太慢"), 400, "过时、答非所问、引用不对、其他", false, false, ""},
		{"reason in another case", vote(false, "reason", "Outdated"), 400, "outdated", false, false, ""},
		{"reason not a string", vote(false, "reason", 1), 400, "", false, false, ""},
		{"reason with 👍", vote(true, "reason", "outdated"), 400, "helpful", false, false, ""},
		{"passage outside the catalog", vote(false, "reason", "other", "passages", []map[string]string{{"source": "我的日记.txt"}}), 400, "收录", false, false, ""},
		{"section too long", vote(false, "passages", []map[string]string{{"source": doc, "section": strings.Repeat("章", 201)}}), 400, "章节", false, false, ""},
		{"region too long", vote(false, "region", strings.Repeat("区", 65)), 400, "地区", false, false, ""},
		{"route not ASCII", vote(false, "route", "危机"), 400, "route", false, false, ""},
		{"👍", vote(true), 204, "", true, false, ""},
		{"👎 without a reason", vote(false), 204, "", true, true, ""},
		{"👎 on a routed answer", vote(false, "reason", "other", "route", "crisis"), 204, "", true, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url, fbPath, q := queueServer(t)
			resp, out := do(t, "POST", url+"/v1/feedback", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, out)
			}
			if tc.status == 400 {
				if msg := errorOf(t, out); !strings.Contains(msg, tc.wantMsg) {
					t.Errorf("error %q lacks %q", msg, tc.wantMsg)
				}
			}
			if n := len(feedbackLines(t, fbPath)); n != map[bool]int{false: 0, true: 1}[tc.logged] {
				t.Errorf("%d feedback lines, logged=%v", n, tc.logged)
			}
			es, err := q.Entries(time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != map[bool]int{false: 0, true: 1}[tc.queued] {
				t.Fatalf("queue %+v, queued=%v", es, tc.queued)
			}
			if tc.queued && (es[0].Reason != tc.queuedAs || es[0].Decision != bot.QueueDownvote) {
				t.Errorf("queue entry %+v", es[0])
			}
		})
	}
}

// The page offers the reasons bot.DownvoteReasons has, sending the code
// and showing the label, and builds them without markup.
func TestPageOffersReasons(t *testing.T) {
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t)}))
	_, js := do(t, "GET", srv.URL+"/assets/app.js", nil)
	for _, r := range bot.DownvoteReasons {
		if want := "{ code: '" + r.Code + "', label: '" + r.Label + "' }"; !strings.Contains(js, want) {
			t.Errorf("app.js lacks the reason %s", want)
		}
	}
	if !strings.Contains(js, "body.reason = reason") || !strings.Contains(js, bot.MsgReasonAsk) {
		t.Error("app.js does not ask for a reason after 👎")
	}
}
