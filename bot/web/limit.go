package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// clientLimiter is a token bucket per client (golang.org/x/time/rate):
// burst requests at once, then one per interval. It remembers at most max
// clients, so a flood from many addresses costs bounded memory; a client
// it forgot starts with a full bucket, which is what an idle client would
// have anyway.
type clientLimiter struct {
	mu       sync.Mutex
	m        map[string]*client
	interval time.Duration
	burst    int
	max      int
	now      func() time.Time
}

type client struct {
	lim  *rate.Limiter
	last time.Time
}

func newClientLimiter(interval time.Duration, burst, max int) *clientLimiter {
	return &clientLimiter{m: map[string]*client{}, interval: interval, burst: burst, max: max, now: time.Now}
}

// Allow takes a token for name; when there is none it says how long until
// there is.
func (l *clientLimiter) Allow(name string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c, ok := l.m[name]
	if !ok {
		if len(l.m) >= l.max {
			l.evictLocked(now)
		}
		c = &client{lim: rate.NewLimiter(rate.Every(l.interval), l.burst)}
		l.m[name] = c
	}
	c.last = now
	r := c.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request takes nothing
		return false, d
	}
	return true, 0
}

// evictLocked forgets clients whose bucket has filled up again (they lose
// nothing), or else the one seen longest ago.
func (l *clientLimiter) evictLocked(now time.Time) {
	oldest, oldestAt := "", now
	for k, c := range l.m {
		if c.lim.TokensAt(now) >= float64(l.burst) {
			delete(l.m, k)
			continue
		}
		if oldest == "" || c.last.Before(oldestAt) {
			oldest, oldestAt = k, c.last
		}
	}
	if len(l.m) >= l.max && oldest != "" {
		delete(l.m, oldest)
	}
}
