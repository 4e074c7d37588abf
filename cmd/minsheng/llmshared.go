package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/store"
)

// With PostgreSQL configured, the LLM switch and the day's token count
// live there, so that `minsheng llm off` reaches every replica and the
// daily bound holds for all of them together.
const (
	// llmSwitchSetting is the setting holding the switch, as JSON.
	llmSwitchSetting = "llm_switch"
	// settingsChannel is notified with the setting's key when an operator
	// changes it; every serve replica listens.
	settingsChannel = "minsheng_settings"
	// tokensKey is the counter of one budget day ("2026-12-03" in the
	// budget's zone, which every replica must share).
	tokensKey = "llm_tokens:"
	// counterTimeout bounds one call to the token counter. The budget
	// makes it in the background, so this only bounds how long a replica
	// goes without hearing of the others' use.
	counterTimeout = 2 * time.Second
)

// switchSource gives the operator's switch; nil in Config means the file
// in the data folder.
type switchSource interface {
	LLMSwitch() (bot.LLMSwitch, error)
}

// dbTokens is the day's token count in PostgreSQL.
type dbTokens struct{ db *store.DB }

func (t dbTokens) Add(day string, n int64) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), counterTimeout)
	defer cancel()
	return t.db.AddCounter(ctx, tokensKey+day, n)
}

func (t dbTokens) Total(day string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), counterTimeout)
	defer cancel()
	return t.db.Counter(ctx, tokensKey+day)
}

// decodeDBSwitch reads the stored setting; without one the LLM is on.
func decodeDBSwitch(v string, ok bool) (bot.LLMSwitch, error) {
	if !ok {
		return bot.LLMSwitch{On: true}, nil
	}
	return bot.DecodeLLMSwitch([]byte(v), "in PostgreSQL (setting "+llmSwitchSetting+")")
}

// writeDBSwitch stores the switch and tells every replica.
func writeDBSwitch(ctx context.Context, db *store.DB, s bot.LLMSwitch) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := db.SetSetting(ctx, llmSwitchSetting, string(raw)); err != nil {
		return fmt.Errorf("LLM switch: %w", err)
	}
	if err := db.Notify(ctx, settingsChannel, llmSwitchSetting); err != nil {
		return fmt.Errorf("LLM switch stored, but the running replicas were not told (they follow when they next reconnect; run the command again): %w", err)
	}
	return nil
}

// dbSwitch is serve's copy of the switch in PostgreSQL, read again on
// each notification, so that watchLLM's poll costs no query.
type dbSwitch struct {
	db *store.DB

	mu  sync.Mutex
	cur bot.LLMSwitch
	err error // a setting that cannot be read: watchLLM keeps the limits in force
}

func (s *dbSwitch) LLMSwitch() (bot.LLMSwitch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur, s.err
}

// reload reads the switch. When PostgreSQL does not answer, the last
// value read stays in force; a stored value that cannot be decoded is
// kept as the error LLMSwitch returns.
func (s *dbSwitch) reload(ctx context.Context) error {
	v, ok, err := s.db.Setting(ctx, llmSwitchSetting)
	if err != nil {
		return fmt.Errorf("LLM switch: %w", err)
	}
	sw, err := decodeDBSwitch(v, ok)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.cur = sw
	}
	s.err = err
	return err
}

// follow re-reads the switch on each notification, and after each
// reconnection of the listener (for a change made while it was away),
// and then wakes changed, until ctx ends.
func (s *dbSwitch) follow(ctx context.Context, changed chan<- struct{}, log *slog.Logger) error {
	return s.db.Listen(ctx, settingsChannel, func(payload string) {
		if payload != "" && payload != llmSwitchSetting {
			return
		}
		if err := s.reload(ctx); err != nil && ctx.Err() == nil {
			log.Warn("LLM switch not read from PostgreSQL; keeping the one in force", "error", err)
		}
		select {
		case changed <- struct{}{}:
		default: // a wake-up is pending already
		}
	})
}
