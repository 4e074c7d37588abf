package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// LLMLimits are an operator's bounds on the LLM. They may change while the
// answerer runs (SetLLMLimits), so that a kill switch, a smaller pool or a
// spent budget takes effect without a restart. Whatever they refuse is
// answered extractively, at once, with a note saying why.
type LLMLimits struct {
	// Off answers every question extractively: the kill switch.
	Off bool
	// Concurrency bounds the LLM calls in flight (default
	// DefaultLLMConcurrency). An endpoint answers a few calls at once at
	// full speed and queues or refuses the rest, and each call is billed:
	// past the bound a question gets the extractive answer now rather than
	// a fluent one after a long wait.
	Concurrency int
	// DailyTokens bounds the tokens the LLM may use a day (Options.Budget
	// counts them); 0 means no bound.
	DailyTokens int64
}

// DefaultLLMConcurrency is LLMLimits.Concurrency when none is given: what
// one hosted endpoint key or one GPU serving a 7B model handles at once
// without slowing every answer down.
const DefaultLLMConcurrency = 8

// How a question waits for an LLM slot. A slot frees when a call ends,
// which takes seconds, so a long wait seldom gets one and only delays the
// answer: a question waits at most llmQueueWait, and at most as many
// questions wait as there are slots; the rest are answered extractively at
// once.
const (
	llmQueueWait    = 100 * time.Millisecond
	llmQueuePerSlot = 1
)

// Reasons an answer is extractive although an LLM is configured, besides
// the LLM's own failures (Answer.Fallback).
const (
	FallbackDisabled = "disabled"     // LLMLimits.Off
	FallbackBudget   = "budget"       // the day's tokens are spent
	FallbackBusy     = "busy"         // every LLM slot is taken
	FallbackBreaker  = "breaker_open" // the endpoint failed repeatedly
)

var errLLMBusy = errors.New("every LLM slot is taken")

// llmGate bounds the LLM calls in flight. Unlike a buffered channel, its
// bound can change while calls hold slots: a smaller bound lets the calls
// under way finish and admits new ones only below it.
type llmGate struct {
	mu      sync.Mutex
	limit   int
	held    int
	waiting int
	freed   chan struct{} // closed, and replaced, when a slot may have freed
}

func newLLMGate(limit int) *llmGate {
	return &llmGate{limit: limit, freed: make(chan struct{})}
}

// acquire takes a slot, waiting at most llmQueueWait; errLLMBusy when none
// came, ctx's error when ctx ended first.
func (g *llmGate) acquire(ctx context.Context) error {
	g.mu.Lock()
	if g.held < g.limit {
		g.held++
		g.mu.Unlock()
		return nil
	}
	if g.waiting >= g.limit*llmQueuePerSlot {
		g.mu.Unlock()
		return errLLMBusy
	}
	g.waiting++
	defer func() {
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
	}()
	t := time.NewTimer(llmQueueWait)
	defer t.Stop()
	for {
		freed := g.freed
		g.mu.Unlock()
		select {
		case <-freed:
		case <-t.C:
			return errLLMBusy
		case <-ctx.Done():
			return ctx.Err()
		}
		g.mu.Lock()
		if g.held < g.limit {
			g.held++
			g.mu.Unlock()
			return nil
		}
	}
}

func (g *llmGate) release() {
	g.mu.Lock()
	g.held--
	g.wakeLocked()
	g.mu.Unlock()
}

func (g *llmGate) setLimit(n int) {
	g.mu.Lock()
	g.limit = n
	g.wakeLocked()
	g.mu.Unlock()
}

// wakeLocked tells every waiter to look again; they are few (at most the
// limit), so waking all is cheaper than keeping them in order.
func (g *llmGate) wakeLocked() {
	close(g.freed)
	g.freed = make(chan struct{})
}

// SetLLMLimits changes the bounds on the LLM; calls under way finish.
func (a *Answerer) SetLLMLimits(l LLMLimits) {
	if l.Concurrency <= 0 {
		l.Concurrency = DefaultLLMConcurrency
	}
	if l.DailyTokens < 0 {
		l.DailyTokens = 0
	}
	a.limitsMu.Lock()
	a.limits = l
	a.limitsMu.Unlock()
	a.gate.setLimit(l.Concurrency)
}

// LLMLimits returns the bounds in force.
func (a *Answerer) LLMLimits() LLMLimits {
	a.limitsMu.Lock()
	defer a.limitsMu.Unlock()
	return a.limits
}

// llmSlot takes what one LLM call needs: the switch on, tokens left today,
// a free slot and a closed circuit breaker. It returns the slot's release,
// or the reason there is none (a Fallback… label); err only when the asker
// went away while waiting.
func (a *Answerer) llmSlot(ctx context.Context) (release func(), reason string, err error) {
	l := a.LLMLimits()
	switch {
	case l.Off:
		return nil, FallbackDisabled, nil
	case a.budget.Exhausted(l.DailyTokens):
		return nil, FallbackBudget, nil
	}
	if err := a.gate.acquire(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, "", err
		}
		return nil, FallbackBusy, nil
	}
	// The breaker is asked only with a slot in hand: a half-open trial it
	// allows must then really be made.
	if !a.breaker.allow() {
		a.gate.release()
		return nil, FallbackBreaker, nil
	}
	return a.gate.release, "", nil
}
