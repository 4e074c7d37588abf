package web

import (
	"sync"
	"time"
)

// clientLimiter is a token bucket per client: burst requests at once, then
// one per interval. It remembers at most max clients, so a flood from many
// addresses costs bounded memory; a client it forgot starts with a full
// bucket, which is what an idle client would have anyway.
type clientLimiter struct {
	mu       sync.Mutex
	m        map[string]*bucket
	interval time.Duration
	burst    int
	max      int
	now      func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newClientLimiter(interval time.Duration, burst, max int) *clientLimiter {
	return &clientLimiter{m: map[string]*bucket{}, interval: interval, burst: burst, max: max, now: time.Now}
}

// allow takes a token for client; when there is none it says how long
// until there is.
func (l *clientLimiter) allow(client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.m[client]
	if !ok {
		if len(l.m) >= l.max {
			l.evictLocked(now)
		}
		b = &bucket{tokens: float64(l.burst), last: now}
		l.m[client] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(float64(l.burst), b.tokens+float64(d)/float64(l.interval))
	}
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.interval))
	}
	b.tokens--
	return true, 0
}

// evictLocked forgets clients whose bucket has filled up again (they lose
// nothing), or else the one seen longest ago.
func (l *clientLimiter) evictLocked(now time.Time) {
	full := time.Duration(l.burst) * l.interval
	oldest, oldestAt := "", now
	for k, b := range l.m {
		if now.Sub(b.last) >= full {
			delete(l.m, k)
			continue
		}
		if oldest == "" || b.last.Before(oldestAt) {
			oldest, oldestAt = k, b.last
		}
	}
	if len(l.m) >= l.max && oldest != "" {
		delete(l.m, oldest)
	}
}
