package bot

import (
	"sync"
	"time"
)

// turn is what a conversation remembers of one question.
type turn struct {
	question string // as asked
	query    string // standalone: what was searched (question + carried topic)
	region   string // the region the answer was about, "" for none
	at       time.Time
}

// conversations keeps the last few turns per conversation, bounded in
// turns, in conversations and in time, so memory cannot grow without limit
// and an old chat does not colour a new question.
type conversations struct {
	mu       sync.Mutex
	m        map[string][]turn
	maxTurns int
	maxConvs int
	ttl      time.Duration
	now      func() time.Time
}

func newConversations(now func() time.Time) *conversations {
	return &conversations{m: map[string][]turn{}, maxTurns: 4, maxConvs: 10000, ttl: 30 * time.Minute, now: now}
}

func (c *conversations) history(id string) []turn {
	if id == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.m[id]
	if len(ts) > 0 && c.now().Sub(ts[len(ts)-1].at) > c.ttl {
		delete(c.m, id)
		return nil
	}
	return append([]turn(nil), ts...)
}

func (c *conversations) add(id string, t turn) {
	if id == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[id]; !ok && len(c.m) >= c.maxConvs {
		c.evictLocked()
	}
	t.at = c.now()
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
		last := ts[len(ts)-1].at
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

func (c *conversations) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}
