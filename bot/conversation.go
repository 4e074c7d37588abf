package bot

import (
	"sync"
	"time"
)

// Turn is what a conversation remembers of one question.
type Turn struct {
	Question string `json:"q"` // as asked
	// Query is the standalone form: what was searched (the question plus
	// the topic it carried on).
	Query  string    `json:"query"`
	Region string    `json:"region,omitempty"` // the region the answer was about
	At     time.Time `json:"at"`
}

// TurnStore keeps conversations' recent turns, so that a follow-up is
// read against them: in memory by default; in Redis when replicas share
// conversations, so that a follow-up reaching another replica is still
// understood. It reports no errors: a store that fails remembers nothing
// (or falls back to memory), and the question is answered on its own.
type TurnStore interface {
	// History returns the conversation's turns, oldest first, none when it
	// has been idle for longer than ConversationTTL.
	History(id string) []Turn
	// Add appends a turn, keeping the last ConversationTurns.
	Add(id string, t Turn)
	// Forget drops a conversation.
	Forget(id string)
}

// Bounds of a conversation: what a follow-up may refer back to, and how
// long a pause ends it, so that an old chat does not colour a new question.
const (
	ConversationTurns = 4
	ConversationTTL   = 30 * time.Minute
)

// conversations keeps the last few turns per conversation, bounded in
// turns, in conversations and in time, so memory cannot grow without limit
// and an old chat does not colour a new question.
type conversations struct {
	mu       sync.Mutex
	m        map[string][]Turn
	maxTurns int
	maxConvs int
	ttl      time.Duration
	now      func() time.Time
}

func newConversations(now func() time.Time) *conversations {
	return &conversations{m: map[string][]Turn{}, maxTurns: ConversationTurns, maxConvs: 10000, ttl: ConversationTTL, now: now}
}

// History implements TurnStore.
func (c *conversations) History(id string) []Turn {
	if id == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.m[id]
	if len(ts) > 0 && c.now().Sub(ts[len(ts)-1].At) > c.ttl {
		delete(c.m, id)
		return nil
	}
	return append([]Turn(nil), ts...)
}

// Add implements TurnStore.
func (c *conversations) Add(id string, t Turn) {
	if id == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[id]; !ok && len(c.m) >= c.maxConvs {
		c.evictLocked()
	}
	t.At = c.now()
	ts := append(c.m[id], t)
	if len(ts) > c.maxTurns {
		ts = ts[len(ts)-c.maxTurns:]
	}
	c.m[id] = ts
}

// evictLocked drops expired conversations, or else the oldest one.
func (c *conversations) evictLocked() {
	now := c.now()
	oldestID, oldest := "", now
	for id, ts := range c.m {
		last := ts[len(ts)-1].At
		if now.Sub(last) > c.ttl {
			delete(c.m, id)
			continue
		}
		if last.Before(oldest) || oldestID == "" {
			oldestID, oldest = id, last
		}
	}
	if len(c.m) >= c.maxConvs && oldestID != "" {
		delete(c.m, oldestID)
	}
}

// Forget implements TurnStore.
func (c *conversations) Forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}
