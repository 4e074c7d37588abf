package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
)

// downvoteHarness answers every question with fixedAnswer about 浑南区
// (routed when the question says so) and records feedback and queue in a
// temporary folder.
func downvoteHarness(t *testing.T) (*harness, string, *bot.Queue) {
	t.Helper()
	dir := t.TempDir()
	q, err := bot.OpenQueue(filepath.Join(dir, "unanswered.jsonl"), 0)
	if err != nil {
		t.Fatal(err)
	}
	fbPath := filepath.Join(dir, "feedback.jsonl")
	fa := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
		ans := fixedAnswer(req)
		ans.Region = "辽宁省 › 沈阳市 › 浑南区"
		if strings.Contains(req.Question, "crisis") {
			ans.Route = "crisis"
		}
		return ans, nil
	}}
	h := start(t, fa, func(o *Options) {
		o.Feedback = bot.NewFeedbackLog(fbPath, "salt")
		o.Queue = q
	})
	return h, fbPath, q
}

// askAndDownvote asks in chat, presses 👎 on the answer and returns the
// answer's message ID and the reason prompt that follows.
func askAndDownvote(t *testing.T, h *harness, chat int64, question string) (int, apiCall) {
	t.Helper()
	h.f.push(privateText(chat, question))
	calls := h.f.waitFor("the answer", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
	answer := sent(calls, chat)[0]
	down, ok := findButton(keyboardOf(t, answer), "👎")
	if !ok {
		t.Fatalf("no 👎 button: %s", answer.Form["reply_markup"])
	}
	h.f.push(callback(chat, chat, answer.Result, down.CallbackData))
	calls = h.f.waitFor("the reason prompt", func(calls []apiCall) bool { return len(sent(calls, chat)) > 1 })
	return answer.Result, sent(calls, chat)[1]
}

// 👎 asks what was wrong with four buttons under the answer; each reason
// is recorded with the vote in the feedback log and the queue, with the
// answer's region and passages, and the prompt then says which was chosen.
func TestDownvoteReasons(t *testing.T) {
	h, fbPath, q := downvoteHarness(t)
	for i, r := range bot.DownvoteReasons {
		t.Run(r.Code, func(t *testing.T) {
			chat := int64(4100 + i)
			answerMsg, prompt := askAndDownvote(t, h, chat, "浑南区低保标准是多少?")
			if prompt.Form["text"] != bot.MsgReasonAsk || !strings.Contains(prompt.Form["reply_parameters"], strconv.Itoa(answerMsg)) {
				t.Errorf("prompt %q replying to %s, want %q under message %d", prompt.Form["text"], prompt.Form["reply_parameters"], bot.MsgReasonAsk, answerMsg)
			}
			kb := keyboardOf(t, prompt)
			var labels []string
			for _, row := range kb.InlineKeyboard {
				for _, b := range row {
					labels = append(labels, b.Text)
					if n := len(b.CallbackData); n == 0 || n > 64 {
						t.Errorf("callback_data %q is %d bytes", b.CallbackData, n)
					}
				}
			}
			if strings.Join(labels, "|") != "过时|答非所问|引用不对|其他" {
				t.Errorf("reason buttons %q", labels)
			}
			if n := len(readLinesIfAny(t, fbPath)); n != i {
				t.Errorf("👎 alone was recorded: %d feedback lines before the reason, want %d", n, i)
			}
			btn, _ := findButton(kb, r.Label)
			h.f.push(callback(chat, chat, prompt.Result, btn.CallbackData))
			calls := h.f.waitFor("the prompt edited", func(calls []apiCall) bool {
				return len(sent(calls, chat, "editMessageText")) > 0
			})
			edit := sent(calls, chat, "editMessageText")[0]
			if edit.Form["message_id"] != strconv.Itoa(prompt.Result) || !strings.Contains(edit.Form["text"], "("+r.Label+")") ||
				strings.Contains(edit.Form["reply_markup"], "callback_data") {
				t.Errorf("prompt edit: message %s text %q markup %q", edit.Form["message_id"], edit.Form["text"], edit.Form["reply_markup"])
			}
			lines := readLinesIfAny(t, fbPath)
			if len(lines) != i+1 {
				t.Fatalf("%d feedback lines, want %d", len(lines), i+1)
			}
			var rec map[string]any
			json.Unmarshal([]byte(lines[i]), &rec)
			if rec["helpful"] != false || rec["reason"] != r.Label || rec["channel"] != "telegram" {
				t.Errorf("feedback record %s", lines[i])
			}
			es, err := q.Entries(time.Time{})
			if err != nil || len(es) != i+1 {
				t.Fatalf("queue %+v %v, want %d entries", es, err, i+1)
			}
			e := es[i]
			if e.Decision != bot.QueueDownvote || e.Reason != r.Label || e.Channel != "telegram" || e.Region != "辽宁省 › 沈阳市 › 浑南区" ||
				len(e.Passages) != 1 || e.Passages[0] != (bot.Shown{Source: "001.txt", Section: "二、重点任务"}) {
				t.Errorf("queue entry %+v", e)
			}
		})
	}
}

// A reason button that names no reason is refused; a vote counts once per
// user (👎 again only thanks); a 👎 on a routed answer is recorded in the
// feedback log but never queued.
func TestDownvoteChecks(t *testing.T) {
	h, fbPath, q := downvoteHarness(t)
	const chat = 4200
	answerMsg, prompt := askAndDownvote(t, h, chat, "浑南区低保标准是多少?")
	kb := keyboardOf(t, prompt)
	other, _ := findButton(kb, "其他")
	id := strings.Split(other.CallbackData, ":")[1]
	before := countMethod(h.f.snapshot(), "answerCallbackQuery")
	h.f.push(callback(chat, chat, prompt.Result, "f:"+id+":0:bogus"))
	h.f.push(callback(chat, chat, prompt.Result, "f:"+id+":1:other"))
	calls := h.f.waitFor("two refusals", func(calls []apiCall) bool { return countMethod(calls, "answerCallbackQuery") >= before+2 })
	for _, c := range calls {
		if c.Method == "answerCallbackQuery" && c.Form["text"] != "" && c.Form["text"] != expiredText {
			t.Errorf("toast %q for a bad reason button", c.Form["text"])
		}
	}
	if n := len(readLinesIfAny(t, fbPath)); n != 0 {
		t.Errorf("a bad reason button recorded %d votes", n)
	}

	h.f.push(callback(chat, chat, prompt.Result, other.CallbackData))
	h.f.waitFor("the vote", func(calls []apiCall) bool { return len(sent(calls, chat, "editMessageText")) > 0 })
	h.f.push(callback(chat, chat, answerMsg, "f:"+id+":0"))
	h.f.push(callback(chat, chat, prompt.Result, other.CallbackData))
	calls = h.f.waitFor("thanks for voting before", func(calls []apiCall) bool {
		n := 0
		for _, c := range calls {
			if c.Method == "answerCallbackQuery" && strings.Contains(c.Form["text"], "已经收到") {
				n++
			}
		}
		return n == 2
	})
	if n := len(sent(calls, chat)); n != 2 {
		t.Errorf("%d messages sent to the chat, want the answer and one prompt", n)
	}

	const crisisChat = 4201
	_, prompt = askAndDownvote(t, h, crisisChat, "crisis 我不想活了")
	other, _ = findButton(keyboardOf(t, prompt), "其他")
	h.f.push(callback(crisisChat, crisisChat, prompt.Result, other.CallbackData))
	h.f.waitFor("the routed vote", func(calls []apiCall) bool { return len(sent(calls, crisisChat, "editMessageText")) > 0 })
	if n := len(readLinesIfAny(t, fbPath)); n != 2 {
		t.Errorf("%d feedback lines, want 2", n)
	}
	es, err := q.Entries(time.Time{})
	if err != nil || len(es) != 1 || es[0].Reason != "其他" {
		t.Errorf("queue %+v %v, want only the first chat's 👎", es, err)
	}
}

// readLinesIfAny is readLines for a file that may not exist yet.
func readLinesIfAny(t *testing.T, path string) []string {
	t.Helper()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return readLines(t, path)
}
