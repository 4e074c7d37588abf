package bot

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// memCounter is a TokenCounter in memory that can be made to fail, and
// counts the calls it is given.
type memCounter struct {
	mu     sync.Mutex
	days   map[string]int64
	down   bool
	calls  int
	onCall func() // runs before each call is answered, outside the lock
}

func newMemCounter() *memCounter { return &memCounter{days: map[string]int64{}} }

func (c *memCounter) call() error {
	c.mu.Lock()
	hook := c.onCall
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.down {
		return errors.New("connection refused")
	}
	return nil
}

func (c *memCounter) Add(day string, n int64) (int64, error) {
	if err := c.call(); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.days[day] += n
	return c.days[day], nil
}

func (c *memCounter) Total(day string) (int64, error) {
	if err := c.call(); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.days[day], nil
}

func (c *memCounter) set(down bool) {
	c.mu.Lock()
	c.down = down
	c.mu.Unlock()
}

func (c *memCounter) stats() (calls int, days map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int64{}
	for k, v := range c.days {
		out[k] = v
	}
	return c.calls, out
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sharedBudget opens a budget on c whose days are UTC and whose clock is
// clk (from its first call on: the first read uses time.Now's day, so
// clk starts on today).
func sharedBudget(t *testing.T, c TokenCounter, clk *fakeClock, onErr func(error)) *TokenBudget {
	t.Helper()
	b := NewSharedTokenBudget(c, time.UTC, onErr)
	b.mu.Lock()
	b.now = clk.now
	b.mu.Unlock()
	return b
}

// eventually polls cond for a few seconds: the budget adds in the
// background.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func used(b *TokenBudget) int64 { _, n := b.Used(); return n }

// Two replicas' budgets on one counter: each sees its own tokens at once
// and the other's within TokenRefresh, and the counter holds the sum.
func TestSharedTokenBudget(t *testing.T) {
	c := newMemCounter()
	clk := &fakeClock{t: time.Now().UTC()}
	today := clk.now().Format(time.DateOnly)
	a := sharedBudget(t, c, clk, func(err error) { t.Error(err) })
	b := sharedBudget(t, c, clk, func(err error) { t.Error(err) })

	a.Add(600)
	if n := used(a); n != 600 {
		t.Errorf("a's own tokens: %d, want 600 at once", n)
	}
	eventually(t, "a's tokens in the counter", func() bool { _, d := c.stats(); return d[today] == 600 })
	b.Add(300)
	eventually(t, "b to see both", func() bool { return used(b) == 900 })
	if !b.Exhausted(900) || b.Exhausted(901) {
		t.Errorf("b: Exhausted(900), Exhausted(901) = %v, %v; want true, false", b.Exhausted(900), b.Exhausted(901))
	}

	// a learns of b's tokens only once its view is older than TokenRefresh.
	if n := used(a); n != 600 {
		t.Errorf("a before the refresh: %d, want its own 600", n)
	}
	calls, _ := c.stats()
	for range 100 {
		a.Exhausted(1000)
	}
	if now, _ := c.stats(); now != calls {
		t.Errorf("100 questions within TokenRefresh made %d calls to the counter, want 0", now-calls)
	}
	clk.advance(TokenRefresh)
	a.Exhausted(1000) // starts the refresh
	eventually(t, "a to see b's tokens", func() bool { return used(a) == 900 })

	// A new day starts from the counter's count of it.
	clk.advance(24 * time.Hour)
	if d, n := a.Used(); d == today || n != 0 {
		t.Errorf("next day: %d on %s", n, d)
	}
}

// While the counter fails, tokens are counted here, the failure is
// reported once, answers never wait, and the tokens reach the counter
// once it answers again.
func TestSharedTokenBudgetOutage(t *testing.T) {
	c := newMemCounter()
	clk := &fakeClock{t: time.Now().UTC()}
	today := clk.now().Format(time.DateOnly)
	var mu sync.Mutex
	var reported []error
	b := sharedBudget(t, c, clk, func(err error) { mu.Lock(); reported = append(reported, err); mu.Unlock() })
	c.set(true)
	// Each Add past tokenRetry tries the counter again, and fails.
	for i := range 5 {
		before, _ := c.stats()
		b.Add(10)
		if i < 4 {
			eventually(t, "a call to the failing counter", func() bool { n, _ := c.stats(); return n > before })
		}
		if i < 3 {
			clk.advance(tokenRetry)
		}
	}
	if n := used(b); n != 50 {
		t.Errorf("counted during the outage: %d, want 50", n)
	}
	if !b.Exhausted(50) {
		t.Error("the local count does not bound the day")
	}
	nReported := func() int { mu.Lock(); defer mu.Unlock(); return len(reported) }
	eventually(t, "the outage to be reported", func() bool { return nReported() > 0 })
	if n := nReported(); n != 1 {
		t.Errorf("%d reports of one outage, want 1: %v", n, reported)
	}

	c.set(false)
	clk.advance(tokenRetry)
	b.Add(5)
	// Used tries again should the Add have found the last failing call
	// still under way.
	eventually(t, "the local count to reach the counter", func() bool { used(b); _, d := c.stats(); return d[today] == 55 })
	if n := used(b); n != 55 {
		t.Errorf("after the outage: %d, want 55", n)
	}

	// A counter that hangs does not hold up Add or Exhausted.
	release := make(chan struct{})
	c.mu.Lock()
	c.onCall = func() { <-release }
	c.mu.Unlock()
	defer close(release)
	done := make(chan struct{})
	go func() {
		b.Add(1)
		clk.advance(TokenRefresh)
		b.Exhausted(100)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Add or Exhausted waited for a hung counter")
	}
}
