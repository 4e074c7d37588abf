package coord_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minsheng/minsheng/coord"
	"github.com/minsheng/minsheng/coord/coordtest"
)

// state is the method set the three implementations share; the tests run
// one scenario against each.
type state interface {
	Claim(ctx context.Context, id string, claimTTL time.Duration) (bool, error)
	Done(ctx context.Context, id string, doneTTL time.Duration) error
	TryLock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error)
	Allow(ctx context.Context, key string, interval time.Duration, burst int) (bool, time.Duration, error)
	AppendTurn(ctx context.Context, conv string, turn []byte, maxTurns int, ttl time.Duration) error
	Turns(ctx context.Context, conv string) ([][]byte, error)
	ForgetTurns(ctx context.Context, conv string) error
	Lease(ctx context.Context, name string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name string) error
}

var (
	_ state = (*coord.Redis)(nil)
	_ state = (*coord.Local)(nil)
	_ state = (*coord.Shared)(nil)
)

// pair is two callers that should see one state: two Redis clients (two
// replicas), two Shared over two clients, or one Local asked twice (one
// replica's goroutines).
type pair struct {
	a, b state
	// shared says whether a and b are distinct holders across replicas,
	// which Local's leases are not.
	shared bool
}

// eachPair runs f once for every kind of pair, each on a fresh prefix and
// in parallel, since most scenarios wait for a short TTL.
func eachPair(t *testing.T, f func(t *testing.T, p pair)) {
	kinds := []struct {
		name string
		mk   func(t *testing.T) pair
	}{
		{"redis", func(t *testing.T) pair {
			prefix := coordtest.Prefix(t)
			return pair{a: open(t, prefix), b: open(t, prefix), shared: true}
		}},
		{"local", func(t *testing.T) pair {
			l := coord.NewLocal(100)
			return pair{a: l, b: l}
		}},
		{"shared", func(t *testing.T) pair {
			prefix := coordtest.Prefix(t)
			return pair{
				a:      &coord.Shared{Redis: open(t, prefix), Local: coord.NewLocal(100)},
				b:      &coord.Shared{Redis: open(t, prefix), Local: coord.NewLocal(100)},
				shared: true,
			}
		}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			f(t, k.mk(t))
		})
	}
}

func open(t *testing.T, prefix string) *coord.Redis {
	t.Helper()
	r, err := coord.Open(context.Background(), coordtest.URL(t), coord.Options{
		Prefix: prefix,
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
		OnDegraded: func(op string, err error) {
			t.Errorf("degraded to Local in %s with Redis up: %v", op, err)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if !r.Healthy() {
		t.Fatal("Redis reachable for coordtest but not healthy after Open")
	}
	return r
}

func TestClaim(t *testing.T) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	eachPair(t, func(t *testing.T, p pair) {
		cases := []struct {
			name string
			run  func(t *testing.T, id string)
		}{
			{"racing callers: exactly one wins", func(t *testing.T, id string) {
				var wins atomic.Int32
				var wg sync.WaitGroup
				for i := range 20 {
					wg.Go(func() {
						s := p.a
						if i%2 == 1 {
							s = p.b
						}
						ok, err := s.Claim(ctx, id, time.Minute)
						if err != nil {
							t.Error(err)
						}
						if ok {
							wins.Add(1)
						}
					})
				}
				wg.Wait()
				if n := wins.Load(); n != 1 {
					t.Fatalf("%d callers won the claim, want 1", n)
				}
			}},
			{"after Done nobody claims, even once the claim TTL passed", func(t *testing.T, id string) {
				mustClaim(t, p.a, id, ttl, true)
				if err := p.a.Done(ctx, id, time.Minute); err != nil {
					t.Fatal(err)
				}
				mustClaim(t, p.b, id, ttl, false)
				mustClaim(t, p.a, id, ttl, false)
				time.Sleep(ttl + 50*time.Millisecond)
				mustClaim(t, p.b, id, ttl, false)
			}},
			{"a claim left without Done expires and another claims", func(t *testing.T, id string) {
				mustClaim(t, p.a, id, ttl, true)
				mustClaim(t, p.b, id, ttl, false)
				time.Sleep(ttl + 50*time.Millisecond)
				mustClaim(t, p.b, id, ttl, true)
				mustClaim(t, p.a, id, ttl, false)
			}},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, "update-"+string(rune('a'+i)))
			})
		}
	})
}

func mustClaim(t *testing.T, s state, id string, ttl time.Duration, want bool) {
	t.Helper()
	ok, err := s.Claim(context.Background(), id, ttl)
	if err != nil {
		t.Fatal(err)
	}
	if ok != want {
		t.Fatalf("Claim(%q) = %v, want %v", id, ok, want)
	}
}

func TestTryLock(t *testing.T) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	eachPair(t, func(t *testing.T, p pair) {
		lock := func(s state, want bool) func() {
			t.Helper()
			unlock, ok, err := s.TryLock(ctx, "chat-1", ttl)
			if err != nil {
				t.Fatal(err)
			}
			if ok != want {
				t.Fatalf("TryLock = %v, want %v", ok, want)
			}
			if unlock == nil {
				t.Fatal("TryLock returned a nil unlock")
			}
			return unlock
		}
		unlockA := lock(p.a, true)
		lock(p.b, false)() // a refused lock's unlock is a harmless no-op
		lock(p.b, false)   // ... and did not free A's lock
		unlockA()
		unlockA() // twice is harmless
		unlockB := lock(p.b, true)
		time.Sleep(ttl + 50*time.Millisecond)
		// B's lock expired; A retakes it. B's late unlock must not free A's.
		unlockA = lock(p.a, true)
		unlockB()
		lock(p.b, false)
		unlockA()
		lock(p.b, true)
	})
}

func TestAllow(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		interval time.Duration
		burst    int
	}{
		{"burst of three, one a second", time.Second, 3},
		{"no burst, five a second", 200 * time.Millisecond, 1},
	}
	eachPair(t, func(t *testing.T, p pair) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				key := "chat-" + c.name
				for i := range c.burst {
					// Alternate callers: the bucket is one across replicas.
					s := []state{p.a, p.b}[i%2]
					if ok, after, err := s.Allow(ctx, key, c.interval, c.burst); err != nil || !ok {
						t.Fatalf("request %d of the burst: ok=%v after=%v err=%v", i+1, ok, after, err)
					}
				}
				ok, after, err := []state{p.a, p.b}[c.burst%2].Allow(ctx, key, c.interval, c.burst)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					t.Fatal("request past the burst allowed")
				}
				if after <= c.interval-100*time.Millisecond || after > c.interval {
					t.Fatalf("retryAfter = %v, want close to %v", after, c.interval)
				}
				if c.interval < time.Second {
					time.Sleep(after + 10*time.Millisecond)
					if ok, after, err := p.a.Allow(ctx, key, c.interval, c.burst); err != nil || !ok {
						t.Fatalf("after waiting retryAfter: ok=%v after=%v err=%v", ok, after, err)
					}
				}
			})
		}
	})
}

func TestTurns(t *testing.T) {
	ctx := context.Background()
	eachPair(t, func(t *testing.T, p pair) {
		cases := []struct {
			name string
			run  func(t *testing.T, conv string)
		}{
			{"keeps the last maxTurns, oldest first, for every caller", func(t *testing.T, conv string) {
				for i, s := range []string{"1", "2", "3", "4", "5"} {
					if err := []state{p.a, p.b}[i%2].AppendTurn(ctx, conv, []byte(s), 3, time.Minute); err != nil {
						t.Fatal(err)
					}
				}
				wantTurns(t, p.b, conv, "3", "4", "5")
				if err := p.a.ForgetTurns(ctx, conv); err != nil {
					t.Fatal(err)
				}
				wantTurns(t, p.b, conv)
			}},
			{"expires ttl after the last turn", func(t *testing.T, conv string) {
				// Margins of several hundred milliseconds: a loaded machine
				// only lengthens the sleeps, which keeps "q" past its own ttl
				// (the check that the last turn renews it) and "a" well
				// within its.
				const ttl = 1500 * time.Millisecond
				if err := p.a.AppendTurn(ctx, conv, []byte("q"), 10, ttl); err != nil {
					t.Fatal(err)
				}
				time.Sleep(1000 * time.Millisecond)
				if err := p.b.AppendTurn(ctx, conv, []byte("a"), 10, ttl); err != nil {
					t.Fatal(err)
				}
				time.Sleep(700 * time.Millisecond) // "q" is now past its ttl
				wantTurns(t, p.a, conv, "q", "a")
				time.Sleep(ttl - 700*time.Millisecond + 300*time.Millisecond)
				wantTurns(t, p.a, conv)
			}},
			{"an unknown conversation has no turns", func(t *testing.T, conv string) {
				wantTurns(t, p.a, conv)
			}},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, "conv-"+string(rune('a'+i)))
			})
		}
	})
}

func wantTurns(t *testing.T, s state, conv string, want ...string) {
	t.Helper()
	got, err := s.Turns(context.Background(), conv)
	if err != nil {
		t.Fatal(err)
	}
	var gs []string
	for _, g := range got {
		gs = append(gs, string(g))
	}
	if len(gs) != len(want) {
		t.Fatalf("turns = %q, want %q", gs, want)
	}
	for i := range gs {
		if gs[i] != want[i] {
			t.Fatalf("turns = %q, want %q", gs, want)
		}
	}
}

func TestLease(t *testing.T) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	eachPair(t, func(t *testing.T, p pair) {
		lease := func(s state, want bool) {
			t.Helper()
			held, err := s.Lease(ctx, "telegram-poller", ttl)
			if err != nil {
				t.Fatal(err)
			}
			if held != want {
				t.Fatalf("Lease = %v, want %v", held, want)
			}
		}
		if !p.shared {
			// One process is the only contender for its own leases.
			lease(p.a, true)
			lease(p.b, true)
			if err := p.a.ReleaseLease(ctx, "telegram-poller"); err != nil {
				t.Fatal(err)
			}
			return
		}
		lease(p.a, true)
		lease(p.b, false)
		// Renewed within the TTL, A keeps it past the first TTL.
		for range 5 {
			time.Sleep(ttl / 3)
			lease(p.a, true)
			lease(p.b, false)
		}
		// A stops renewing (it died): B takes over after the TTL.
		time.Sleep(ttl + 50*time.Millisecond)
		lease(p.b, true)
		lease(p.a, false)
		// A's release must not free B's lease; B's does.
		if err := p.a.ReleaseLease(ctx, "telegram-poller"); err != nil {
			t.Fatal(err)
		}
		lease(p.a, false)
		if err := p.b.ReleaseLease(ctx, "telegram-poller"); err != nil {
			t.Fatal(err)
		}
		lease(p.a, true)
	})
}

func TestInvalidArguments(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		call func(s state) error
	}{
		{"empty update id", func(s state) error { _, err := s.Claim(ctx, "", time.Second); return err }},
		{"zero claim TTL", func(s state) error { _, err := s.Claim(ctx, "u", 0); return err }},
		{"negative done TTL", func(s state) error { return s.Done(ctx, "u", -time.Second) }},
		{"empty lock key", func(s state) error { _, _, err := s.TryLock(ctx, "", time.Second); return err }},
		{"zero rate interval", func(s state) error { _, _, err := s.Allow(ctx, "k", 0, 1); return err }},
		{"zero burst", func(s state) error { _, _, err := s.Allow(ctx, "k", time.Second, 0); return err }},
		{"zero max turns", func(s state) error { return s.AppendTurn(ctx, "c", []byte("x"), 0, time.Second) }},
		{"empty conversation", func(s state) error { _, err := s.Turns(ctx, ""); return err }},
		{"empty lease name", func(s state) error { _, err := s.Lease(ctx, "", time.Second); return err }},
	}
	eachPair(t, func(t *testing.T, p pair) {
		for _, c := range cases {
			if err := c.call(p.a); !errors.Is(err, coord.ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", c.name, err)
			}
		}
	})
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, url, prefix string
	}{
		{"empty prefix", "redis://127.0.0.1:6379/0", ""},
		{"not a redis URL", "http://127.0.0.1:6379/0", "p:"},
		{"unknown option", "redis://127.0.0.1:6379/0?colour=blue", "p:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := coord.Open(ctx, c.url, coord.Options{Prefix: c.prefix})
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded, want an error")
			}
		})
	}
}
