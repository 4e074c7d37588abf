package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"
)

// TokenBudget counts the tokens the LLM used today, for
// LLMLimits.DailyTokens. The count is kept in a small JSON file, rewritten
// whole after every call (temporary file, fsync, rename), so a restart or
// a crash does not hand out the day's budget again. "Today" is a calendar
// day in the budget's time zone: the bill of most Chinese providers resets
// at midnight Beijing time.
//
// Calls that run at once are admitted while the count is below the bound,
// so a day may end up to Concurrency calls over it.
//
// Two processes on one data folder (serve and an operator's ask) each keep
// their own count and the last to write wins; serve is the one that
// matters.
type TokenBudget struct {
	path        string
	loc         *time.Location
	now         func() time.Time
	onSaveError func(error)

	mu      sync.Mutex
	day     string
	used    int64
	version uint64

	saveMu sync.Mutex
	saved  uint64
}

// budgetFile is the file's content.
type budgetFile struct {
	Day    string `json:"day"`
	Zone   string `json:"zone"`
	Tokens int64  `json:"tokens"`
}

// BeijingTime is the zone of budget days unless configured otherwise. It
// is Asia/Shanghai from the zone database when there is one, else the
// fixed UTC+8 that zone has kept since 1991.
func BeijingTime() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("Asia/Shanghai", 8*60*60)
}

// OpenTokenBudget reads the count kept at path ("" keeps it in memory
// only), counting days in loc (nil means BeijingTime). onSaveError, when
// set, hears of a count that could not be written; answering goes on.
func OpenTokenBudget(path string, loc *time.Location, onSaveError func(error)) (*TokenBudget, error) {
	if loc == nil {
		loc = BeijingTime()
	}
	b := &TokenBudget{path: path, loc: loc, now: time.Now, onSaveError: onSaveError}
	if path == "" {
		return b, nil
	}
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return b, nil
	case err != nil:
		return nil, fmt.Errorf("LLM token count: %w", err)
	}
	var f budgetFile
	if err := json.Unmarshal(raw, &f); err != nil || f.Tokens < 0 {
		return nil, fmt.Errorf("LLM token count %s is unreadable (%v); delete it to start the day's count afresh", path, err)
	}
	b.day, b.used = f.Day, f.Tokens
	return b, nil
}

// rollLocked starts a new count when the day has changed.
func (b *TokenBudget) rollLocked() {
	if today := b.now().In(b.loc).Format(time.DateOnly); today != b.day {
		b.day, b.used = today, 0
	}
}

// Used returns the day and the tokens counted on it.
func (b *TokenBudget) Used() (day string, tokens int64) {
	if b == nil {
		return "", 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rollLocked()
	return b.day, b.used
}

// Zone is the time zone of the budget's days.
func (b *TokenBudget) Zone() *time.Location { return b.loc }

// Exhausted reports whether today's count has reached limit; a limit of
// 0 or less is no bound.
func (b *TokenBudget) Exhausted(limit int64) bool {
	if b == nil || limit <= 0 {
		return false
	}
	_, used := b.Used()
	return used >= limit
}

// Add counts tokens and writes the count down.
func (b *TokenBudget) Add(tokens int64) {
	if b == nil || tokens <= 0 {
		return
	}
	b.mu.Lock()
	b.rollLocked()
	b.used += tokens
	b.version++
	snap, v := budgetFile{Day: b.day, Zone: b.loc.String(), Tokens: b.used}, b.version
	b.mu.Unlock()
	if b.path == "" {
		return
	}
	b.saveMu.Lock()
	defer b.saveMu.Unlock()
	if v <= b.saved {
		return // a later count is written already
	}
	if err := writeJSONAtomic(b.path, snap); err != nil {
		if b.onSaveError != nil {
			b.onSaveError(fmt.Errorf("LLM token count not saved: %w", err))
		}
		return
	}
	b.saved = v
}

// writeJSONAtomic replaces path with v as JSON so that a reader, or the
// next start after a crash or a full disk, sees the old content or the new
// one and never a part: temporary file beside it, fsync, rename.
func writeJSONAtomic(path string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(path, append(raw, '\n'))
}

// Usage is what one completion used, in tokens. Estimated says the
// endpoint reported nothing and the numbers come from the text's length.
type Usage struct {
	Prompt, Completion int
	Estimated          bool
}

// Total is the tokens billed.
func (u Usage) Total() int { return u.Prompt + u.Completion }

// UsageChatModel is a ChatModel that says what each completion used, as
// the endpoint reported it; *OpenAIChat is one. Usage counts every attempt
// that reached the model, retries included, also when err is not nil.
type UsageChatModel interface {
	ChatModel
	ChatUsage(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, Usage, error)
}

// runesPerToken turns text lengths into tokens where an endpoint reports
// no usage (some streams; Ollama before it learnt include_usage). Chinese
// runs about 1.3–1.6 characters a token in the DeepSeek and Qwen
// tokenizers and nearer 1 in OpenAI's; the lower figure over-counts, which
// is the safe side of a budget.
const runesPerToken = 1.2

// estimateTokens is the tokens of n characters of text.
func estimateTokens(runes int) int {
	return int(math.Ceil(float64(runes) / runesPerToken))
}

// estimatePrompt is the tokens of a request's messages.
func estimatePrompt(msgs []ChatMessage) int {
	n := 0
	for _, m := range msgs {
		n += utf8.RuneCountInString(m.Content)
	}
	return estimateTokens(n)
}

// meteredModel counts what every completion uses against the budget.
type meteredModel struct {
	ChatModel
	budget *TokenBudget
}

func (m meteredModel) Chat(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, error) {
	if um, ok := m.ChatModel.(UsageChatModel); ok {
		text, u, err := um.ChatUsage(ctx, msgs, onDelta)
		m.budget.Add(int64(u.Total()))
		return text, err
	}
	text, err := m.ChatModel.Chat(ctx, msgs, onDelta)
	if err == nil {
		m.budget.Add(int64(estimatePrompt(msgs) + estimateTokens(utf8.RuneCountInString(text))))
	}
	return text, err
}
