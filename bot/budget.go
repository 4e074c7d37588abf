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
// matters. Replicas share one count through a TokenCounter instead (see
// NewSharedTokenBudget).
type TokenBudget struct {
	path        string
	loc         *time.Location
	now         func() time.Time
	onSaveError func(error)

	mu      sync.Mutex
	day     string
	used    int64
	version uint64

	// With a counter, used is shared (the day's total as the counter
	// last returned it) plus pending (counted here, not yet added there).
	counter TokenCounter
	shared  int64
	pending int64
	synced  time.Time // when the counter last answered
	retryAt time.Time // no call to the counter before, after a failure
	syncing bool      // a call to the counter is under way
	failing bool      // the last call failed (and was reported)

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
		// Tokens of the old day still pending are dropped with it: they
		// no longer bound anything.
		b.day, b.used, b.shared, b.pending, b.synced = today, 0, 0, 0, time.Time{}
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
	if b.counter != nil && b.now().Sub(b.synced) >= TokenRefresh {
		b.syncLocked()
	}
	return b.day, b.used
}

// Zone is the time zone of the budget's days.
func (b *TokenBudget) Zone() *time.Location { return b.loc }

// Exhausted reports whether today's count has reached limit; a limit of
// 0 or less is no bound. A shared budget answers from its own view and
// never waits for the counter.
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
	if b.counter != nil {
		b.pending += tokens
		b.syncLocked()
		b.mu.Unlock()
		return
	}
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

// TokenCounter keeps the day's count where every replica adds to it
// (PostgreSQL, through an adapter in cmd). day is a date such as
// "2026-12-03" in the budget's zone; Add returns the day's total with n
// in it. Each call should have a deadline of its own: a shared budget
// makes one call at a time, in the background.
type TokenCounter interface {
	Add(day string, n int64) (total int64, err error)
	Total(day string) (int64, error)
}

// TokenRefresh bounds how stale a shared budget's view of the other
// replicas' use may grow: Exhausted reads the counter again past it,
// so questions do not each cost a round trip.
const TokenRefresh = 2 * time.Second

// tokenRetry is how long a shared budget leaves a failing counter alone,
// counting on its own meanwhile, so that an outage costs no call per
// question.
const tokenRetry = 5 * time.Second

// NewSharedTokenBudget counts days in loc (nil means BeijingTime) on c,
// shared by every replica, after reading today's total once. Tokens are
// counted here at once and added to c in the background, so an answer
// never waits for c. While c fails, this replica counts on its own and
// adds what it counted once c answers again; onError (when set) hears of
// the first failure of each outage. A call whose answer was lost may be
// added twice: the budget errs on the side of spending less.
func NewSharedTokenBudget(c TokenCounter, loc *time.Location, onError func(error)) *TokenBudget {
	if loc == nil {
		loc = BeijingTime()
	}
	b := &TokenBudget{loc: loc, now: time.Now, onSaveError: onError, counter: c}
	b.mu.Lock()
	b.rollLocked()
	b.syncing = true
	b.mu.Unlock()
	b.sync()
	return b
}

// syncLocked starts a call to the counter unless one is under way or the
// counter failed a moment ago.
func (b *TokenBudget) syncLocked() {
	if b.syncing || b.now().Before(b.retryAt) {
		return
	}
	b.syncing = true
	go b.sync()
}

// sync adds the pending tokens to the counter (or reads its total when
// none are pending) until nothing is left pending or a call fails.
func (b *TokenBudget) sync() {
	for {
		b.mu.Lock()
		day, n := b.day, b.pending
		b.mu.Unlock()
		var total int64
		var err error
		if n > 0 {
			total, err = b.counter.Add(day, n)
		} else {
			total, err = b.counter.Total(day)
		}
		b.mu.Lock()
		now := b.now()
		if err != nil {
			b.syncing = false
			b.retryAt = now.Add(tokenRetry)
			report := !b.failing
			b.failing = true
			b.mu.Unlock()
			if report && b.onSaveError != nil {
				b.onSaveError(fmt.Errorf("LLM token count not shared; counting on this replica until it is: %w", err))
			}
			return
		}
		b.failing = false
		if day == b.day { // else the day turned meanwhile and its count was dropped
			b.shared, b.pending, b.synced = total, b.pending-n, now
			b.used = b.shared + b.pending
		}
		if b.pending == 0 || day != b.day {
			b.syncing = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
	}
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
