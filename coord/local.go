package coord

import (
	"context"
	"crypto/rand"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// DefaultLocalEntries bounds each of Local's tables when NewLocal is given
// zero: enough for the chats and updates of a busy hour on one replica, at a
// few MiB.
const DefaultLocalEntries = 10000

// Local keeps the same state as Redis in this process only. It serves a
// single replica, and is what Shared answers from while Redis is away:
// de-duplication and limits then hold per replica instead of across them.
//
// Each table is an LRU bounded to the size given to NewLocal, so an outage
// cannot grow memory without limit; evicting an entry early at worst lets
// an update be answered twice or a bucket refill. The zero value is ready
// to use with DefaultLocalEntries. Local is safe for concurrent use.
type Local struct {
	mu      sync.Mutex
	size    int
	updates *simplelru.LRU[string, localUpdate]
	locks   *simplelru.LRU[string, localHold]
	buckets *simplelru.LRU[string, *rate.Limiter]
	convs   *simplelru.LRU[string, localConv]
}

type localUpdate struct{ claimUntil, doneUntil time.Time }

type localHold struct {
	token string
	until time.Time
}

type localConv struct {
	turns [][]byte
	until time.Time
}

// NewLocal returns a Local whose tables hold at most entries keys each
// (DefaultLocalEntries when entries is zero or less).
func NewLocal(entries int) *Local {
	return &Local{size: entries}
}

// tables makes the LRUs on first use, so the zero Local works; l.mu must be
// held.
func (l *Local) tables() {
	if l.updates != nil {
		return
	}
	if l.size <= 0 {
		l.size = DefaultLocalEntries
	}
	// NewLRU fails only for a size below one, excluded above.
	l.updates, _ = simplelru.NewLRU[string, localUpdate](l.size, nil)
	l.locks, _ = simplelru.NewLRU[string, localHold](l.size, nil)
	l.buckets, _ = simplelru.NewLRU[string, *rate.Limiter](l.size, nil)
	l.convs, _ = simplelru.NewLRU[string, localConv](l.size, nil)
}

// Claim is Redis.Claim within this process.
func (l *Local) Claim(_ context.Context, id string, claimTTL time.Duration) (bool, error) {
	if err := checkName("update id", id); err != nil {
		return false, err
	}
	if err := checkTTL("claim TTL", claimTTL); err != nil {
		return false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	now := time.Now()
	u, _ := l.updates.Get(id)
	if now.Before(u.doneUntil) || now.Before(u.claimUntil) {
		return false, nil
	}
	l.updates.Add(id, localUpdate{claimUntil: now.Add(claimTTL)})
	return true, nil
}

// Done is Redis.Done within this process.
func (l *Local) Done(_ context.Context, id string, doneTTL time.Duration) error {
	if err := checkName("update id", id); err != nil {
		return err
	}
	if err := checkTTL("done TTL", doneTTL); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	l.updates.Add(id, localUpdate{doneUntil: time.Now().Add(doneTTL)})
	return nil
}

// TryLock is Redis.TryLock within this process.
func (l *Local) TryLock(_ context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error) {
	if err := checkName("lock key", key); err != nil {
		return noop, false, err
	}
	if err := checkTTL("lock TTL", ttl); err != nil {
		return noop, false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	now := time.Now()
	if h, held := l.locks.Get(key); held && now.Before(h.until) {
		return noop, false, nil
	}
	token := rand.Text()
	l.locks.Add(key, localHold{token: token, until: now.Add(ttl)})
	return once(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if h, held := l.locks.Peek(key); held && h.token == token {
			l.locks.Remove(key)
		}
	}), true, nil
}

// Allow is Redis.Allow within this process, with x/time/rate's bucket. A
// key asked with a new interval or burst keeps its tokens under the new
// rate.
func (l *Local) Allow(_ context.Context, key string, interval time.Duration, burst int) (ok bool, retryAfter time.Duration, err error) {
	if err := checkRate(key, interval, burst); err != nil {
		return false, 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	now := time.Now()
	every := rate.Every(interval)
	b, found := l.buckets.Get(key)
	if !found {
		b = rate.NewLimiter(every, burst)
		l.buckets.Add(key, b)
	} else if b.Limit() != every || b.Burst() != burst {
		b.SetLimitAt(now, every)
		b.SetBurstAt(now, burst)
	}
	res := b.ReserveN(now, 1)
	if !res.OK() {
		return false, interval, nil
	}
	if d := res.DelayFrom(now); d > 0 {
		// Give the token back: a refused request must not push the next
		// allowed one further away.
		res.CancelAt(now)
		return false, d, nil
	}
	return true, 0, nil
}

// AppendTurn is Redis.AppendTurn within this process. The turn is copied,
// so the caller may reuse its buffer.
func (l *Local) AppendTurn(_ context.Context, conv string, turn []byte, maxTurns int, ttl time.Duration) error {
	if err := checkTurns(conv, maxTurns, ttl); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	now := time.Now()
	c, _ := l.convs.Get(conv)
	if !now.Before(c.until) {
		c.turns = nil
	}
	turns := append(c.turns, append([]byte(nil), turn...))
	if len(turns) > maxTurns {
		// A fresh slice, so the dropped turns are not kept alive by the
		// array behind it.
		turns = append([][]byte(nil), turns[len(turns)-maxTurns:]...)
	}
	l.convs.Add(conv, localConv{turns: turns, until: now.Add(ttl)})
	return nil
}

// Turns is Redis.Turns within this process. The turns are copies.
func (l *Local) Turns(_ context.Context, conv string) ([][]byte, error) {
	if err := checkName("conversation", conv); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	c, found := l.convs.Get(conv)
	if !found {
		return nil, nil
	}
	if !time.Now().Before(c.until) {
		l.convs.Remove(conv)
		return nil, nil
	}
	out := make([][]byte, len(c.turns))
	for i, t := range c.turns {
		out[i] = append([]byte(nil), t...)
	}
	return out, nil
}

// ForgetTurns is Redis.ForgetTurns within this process.
func (l *Local) ForgetTurns(_ context.Context, conv string) error {
	if err := checkName("conversation", conv); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tables()
	l.convs.Remove(conv)
	return nil
}

// Lease always grants the lease: within one process there is no other
// replica to hold it. Under Shared this means that while Redis is away every
// replica believes it holds every lease (see Shared).
func (l *Local) Lease(_ context.Context, name string, ttl time.Duration) (bool, error) {
	if err := checkName("lease name", name); err != nil {
		return false, err
	}
	if err := checkTTL("lease TTL", ttl); err != nil {
		return false, err
	}
	return true, nil
}

// ReleaseLease has nothing to release within one process; it checks its
// argument like Redis.ReleaseLease.
func (l *Local) ReleaseLease(_ context.Context, name string) error {
	return checkName("lease name", name)
}
