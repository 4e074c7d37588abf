package web

import (
	"testing"
	"time"
)

// The per-client bucket: a burst, then one request per interval, a wait
// that says when the next one is allowed, and a bounded memory that
// forgets refilled clients first.
func TestClientLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := newClientLimiter(3*time.Second, 2, 3)
	l.now = func() time.Time { return now }
	steps := []struct {
		advance time.Duration
		client  string
		ok      bool
		wait    time.Duration
	}{
		{0, "a", true, 0},
		{0, "a", true, 0},
		{0, "a", false, 3 * time.Second},
		{time.Second, "a", false, 2 * time.Second}, // a refusal takes nothing
		{2 * time.Second, "a", true, 0},
		{0, "a", false, 3 * time.Second},
		{0, "b", true, 0}, // clients are apart
		{0, "b", true, 0},
		{0, "b", false, 3 * time.Second},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		ok, wait := l.Allow(s.client)
		if ok != s.ok || wait != s.wait {
			t.Errorf("step %d (%s): allow %v wait %v, want %v %v", i, s.client, ok, wait, s.ok, s.wait)
		}
	}

	// Memory stays bounded: a fourth client evicts one; a client whose
	// bucket refilled goes first, so "b" (spent) is kept over "c" (full).
	now = now.Add(time.Second)
	l.Allow("c")
	now = now.Add(6 * time.Second) // a and c refill, b too by now
	l.m["b"].lim.ReserveN(now, 2)  // b spent again
	l.Allow("d")
	if len(l.m) > 3 {
		t.Errorf("%d clients remembered, max 3", len(l.m))
	}
	if _, ok := l.m["b"]; !ok {
		t.Error("a client with a spent bucket was forgotten before refilled ones")
	}
	if ok, _ := l.Allow("b"); ok {
		t.Error("b got a token it had spent")
	}
}
