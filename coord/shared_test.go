package coord_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minsheng/minsheng/coord"
	"github.com/minsheng/minsheng/coord/coordtest"
)

const downTimeout = 300 * time.Millisecond

// ops calls every method once, as a server would while answering.
var ops = []struct {
	name string
	call func(ctx context.Context, s state) error
}{
	{"claim", func(ctx context.Context, s state) error {
		ok, err := s.Claim(ctx, "u1", time.Minute)
		if err == nil && !ok {
			err = errors.New("first claim refused")
		}
		return err
	}},
	{"done", func(ctx context.Context, s state) error { return s.Done(ctx, "u1", time.Minute) }},
	{"lock", func(ctx context.Context, s state) error {
		unlock, ok, err := s.TryLock(ctx, "chat", time.Minute)
		if err == nil && !ok {
			err = errors.New("free lock refused")
		}
		unlock()
		return err
	}},
	{"allow", func(ctx context.Context, s state) error {
		ok, _, err := s.Allow(ctx, "chat", time.Second, 2)
		if err == nil && !ok {
			err = errors.New("first request refused")
		}
		return err
	}},
	{"append_turn", func(ctx context.Context, s state) error {
		return s.AppendTurn(ctx, "conv", []byte("q"), 4, time.Minute)
	}},
	{"turns", func(ctx context.Context, s state) error { _, err := s.Turns(ctx, "conv"); return err }},
	{"forget_turns", func(ctx context.Context, s state) error { return s.ForgetTurns(ctx, "conv") }},
	{"lease", func(ctx context.Context, s state) error {
		held, err := s.Lease(ctx, "poller", time.Minute)
		if err == nil && !held {
			err = errors.New("lease refused")
		}
		return err
	}},
	{"release_lease", func(ctx context.Context, s state) error { return s.ReleaseLease(ctx, "poller") }},
}

// reports records OnDegraded's calls.
type reports struct {
	mu   sync.Mutex
	errs map[string][]error
}

func (r *reports) add(op string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.errs == nil {
		r.errs = map[string][]error{}
	}
	r.errs[op] = append(r.errs[op], err)
}

func (r *reports) get(op string) []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs[op]...)
}

// openVia opens a client on rawURL. Tests of how calls detect an outage
// ping rarely (an hour), so that no background ping detects it first.
func openVia(t *testing.T, rawURL, prefix string, rep *reports, ping time.Duration) *coord.Redis {
	t.Helper()
	r, err := coord.Open(context.Background(), rawURL, coord.Options{
		Prefix:         prefix,
		Timeout:        downTimeout,
		HealthInterval: ping,
		Logger:         slog.New(slog.NewTextHandler(t.Output(), nil)),
		OnDegraded:     rep.add,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestSharedRedisDown checks that with Redis away every call answers from
// Local within the timeout, without an error, and reports the fallback.
func TestSharedRedisDown(t *testing.T) {
	cases := []struct {
		name string
		// down returns a client whose Redis is, or is about to be, away, and
		// what OnDegraded should see first.
		down     func(t *testing.T, rep *reports) *coord.Redis
		firstErr func(error) bool
	}{
		{
			name: "unreachable from the start",
			down: func(t *testing.T, rep *reports) *coord.Redis {
				r := openVia(t, "redis://127.0.0.1:1/0", "minsheng-test:down:", rep, time.Hour)
				if r.Healthy() {
					t.Fatal("Healthy with nothing listening")
				}
				return r
			},
			firstErr: func(err error) bool { return errors.Is(err, coord.ErrUnavailable) },
		},
		{
			name: "goes away while serving",
			down: func(t *testing.T, rep *reports) *coord.Redis {
				p := startProxy(t)
				r := openVia(t, p.url, coordtest.Prefix(t), rep, time.Hour)
				p.kill()
				return r
			},
			firstErr: func(err error) bool { return err != nil && !errors.Is(err, coord.ErrUnavailable) },
		},
		{
			name: "stops answering while serving",
			down: func(t *testing.T, rep *reports) *coord.Redis {
				p := startProxy(t)
				r := openVia(t, p.url, coordtest.Prefix(t), rep, time.Hour)
				p.blackhole(true)
				return r
			},
			firstErr: func(err error) bool { return errors.Is(err, context.DeadlineExceeded) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rep := &reports{}
			r := c.down(t, rep)
			s := &coord.Shared{Redis: r, Local: coord.NewLocal(100)}
			for i, op := range ops {
				start := time.Now()
				if err := op.call(context.Background(), s); err != nil {
					t.Fatalf("%s: %v", op.name, err)
				}
				if d := time.Since(start); d > downTimeout+150*time.Millisecond {
					t.Errorf("%s took %v with Redis away, want at most the %v timeout", op.name, d, downTimeout)
				}
				errs := rep.get(op.name)
				if len(errs) != 1 {
					t.Fatalf("%s: OnDegraded called %d times, want once", op.name, len(errs))
				}
				if i == 0 && !c.firstErr(errs[0]) {
					t.Errorf("%s: first fallback reported %v", op.name, errs[0])
				}
			}
			if r.Healthy() {
				t.Error("Healthy after calls failed")
			}
		})
	}
}

// TestSharedRecovers checks that once Redis answers again, the background
// ping makes Healthy true and Shared's calls reach Redis again.
func TestSharedRecovers(t *testing.T) {
	ctx := context.Background()
	rep := &reports{}
	p := startProxy(t)
	prefix := coordtest.Prefix(t)
	r := openVia(t, p.url, prefix, rep, 50*time.Millisecond)
	s := &coord.Shared{Redis: r, Local: coord.NewLocal(100)}
	p.blackhole(true)
	if ok, err := s.Claim(ctx, "during", time.Minute); err != nil || !ok {
		t.Fatalf("claim during the outage: ok=%v err=%v", ok, err)
	}
	if len(rep.get("claim")) != 1 {
		t.Fatal("the outage's claim was not reported as degraded")
	}
	p.blackhole(false)
	deadline := time.Now().Add(2 * time.Second)
	for !r.Healthy() {
		if time.Now().After(deadline) {
			t.Fatal("not Healthy 2 s after Redis answered again")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if ok, err := s.Claim(ctx, "after", time.Minute); err != nil || !ok {
		t.Fatalf("claim after recovery: ok=%v err=%v", ok, err)
	}
	if n := len(rep.get("claim")); n != 1 {
		t.Fatalf("claim after recovery degraded (%d reports)", n)
	}
	// The claim is in Redis: another replica sees it.
	other := openVia(t, coordtest.URL(t), prefix, rep, time.Hour)
	if ok, err := other.Claim(ctx, "after", time.Minute); err != nil || ok {
		t.Fatalf("another replica claimed an update claimed after recovery: ok=%v err=%v", ok, err)
	}
}

// TestSharedWithoutRedis checks that a deployment without Redis runs on
// Local and reports nothing as degraded: nothing is.
func TestSharedWithoutRedis(t *testing.T) {
	s := &coord.Shared{Local: coord.NewLocal(100)}
	for _, op := range ops {
		if err := op.call(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
	}
}

// proxy stands between a client and the test Redis, so a test can take
// Redis away (kill) or make it silent (blackhole) for one client only,
// without touching the server others use.
type proxy struct {
	url  string
	ln   net.Listener
	drop atomic.Bool

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

func startProxy(t *testing.T) *proxy {
	t.Helper()
	u, err := url.Parse(coordtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	upstream := u.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u.Host = ln.Addr().String()
	p := &proxy{url: u.String(), ln: ln}
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			p.wg.Go(func() { p.forward(up, c) })
			p.wg.Go(func() { io.Copy(c, up) })
		}
	})
	t.Cleanup(func() {
		p.kill()
		p.wg.Wait()
	})
	return p
}

// forward copies client bytes to Redis, or swallows them while the proxy
// is a black hole, so the client waits for replies that never come.
func (p *proxy) forward(up, c net.Conn) {
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 && !p.drop.Load() {
			if _, werr := up.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *proxy) blackhole(on bool) { p.drop.Store(on) }

// kill closes the listener and every connection: new dials are refused.
func (p *proxy) kill() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
