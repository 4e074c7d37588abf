package telegram

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
)

// fakeGate is a ChatGate shared by several Bots, as Redis is by replicas.
// Its buckets never refill: the tests set an interval of an hour.
type fakeGate struct {
	mu     sync.Mutex
	busy   map[int64]bool
	tokens map[int64]int
	ttls   []time.Duration
	ends   int // calls of end; a second call for one Begin is an error
	errs   []string
}

func newFakeGate() *fakeGate {
	return &fakeGate{busy: map[int64]bool{}, tokens: map[int64]int{}}
}

func (g *fakeGate) Allow(chat int64, _ time.Duration, burst int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.tokens[chat]; !ok {
		g.tokens[chat] = burst
	}
	if g.tokens[chat] == 0 {
		return false
	}
	g.tokens[chat]--
	return true
}

func (g *fakeGate) Begin(chat int64, ttl time.Duration) (func(), bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ttls = append(g.ttls, ttl)
	if g.busy[chat] {
		return nil, false // a Bot calling it would panic
	}
	g.busy[chat] = true
	var once atomic.Bool
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.ends++
		if !once.CompareAndSwap(false, true) {
			g.errs = append(g.errs, "end called twice")
			return
		}
		g.busy[chat] = false
	}, true
}

func (g *fakeGate) isBusy(chat int64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.busy[chat]
}

// texts are the texts of the messages sent to chat.
func texts(calls []apiCall, chat int64) []string {
	var out []string
	for _, c := range sent(calls, chat) {
		out = append(out, c.Form["text"])
	}
	return out
}

func countContaining(texts []string, sub string) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

// Two replicas sharing a gate hold a chat to one question at a time and
// to one rate, whichever replica its messages reach.
func TestSharedChatGate(t *testing.T) {
	t.Run("one question at a time", func(t *testing.T) {
		gate := newFakeGate()
		release := make(chan struct{})
		slow := &fakeAnswerer{answer: func(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
			select {
			case <-release:
			case <-ctx.Done():
			}
			return fixedAnswer(req), nil
		}}
		quick := &fakeAnswerer{}
		opts := func(o *Options) { o.Chats, o.ChatBurst, o.ChatInterval = gate, 50, time.Hour }
		a := start(t, slow, opts)
		b := start(t, quick, opts)
		const chat = 901

		a.f.push(privateText(chat, "低保标准是多少?"))
		waitUntil(t, "the first question under way on a", func() bool { return len(slow.requests()) == 1 })
		b.f.push(privateText(chat, "老年食堂怎么申请?"))
		calls := b.f.waitFor("b's notice", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
		if got := texts(calls, chat); len(got) != 1 || got[0] != esc(noticeBusy) {
			t.Errorf("b sent %q, want only the busy notice %q", got, noticeBusy)
		}
		if n := len(quick.requests()); n != 0 {
			t.Errorf("b answered %d questions while a answered the chat's", n)
		}

		close(release)
		a.f.waitFor("a's answer", func(calls []apiCall) bool { return countContaining(texts(calls, chat), "850") > 0 })
		waitUntil(t, "the chat freed", func() bool { return !gate.isBusy(chat) })
		b.f.push(privateText(chat, "老年食堂怎么申请?"))
		b.f.waitFor("b's answer once the chat is free", func(calls []apiCall) bool {
			return countContaining(texts(calls, chat), "850") > 0
		})

		gate.mu.Lock()
		defer gate.mu.Unlock()
		if len(gate.errs) > 0 {
			t.Error(gate.errs)
		}
		for _, ttl := range gate.ttls {
			if ttl <= DefaultAnswerTimeout+DefaultQueueWait {
				t.Errorf("a question holds its chat for %v, not past its wait and answer", ttl)
			}
		}
	})

	t.Run("rate", func(t *testing.T) {
		gate := newFakeGate()
		opts := func(o *Options) { o.Chats, o.ChatBurst, o.ChatInterval = gate, 2, time.Hour }
		a := start(t, &fakeAnswerer{}, opts)
		b := start(t, &fakeAnswerer{}, opts)
		const chat = 902
		a.f.push(privateText(chat, "/help"), privateText(chat, "/help"))
		a.f.waitFor("two replies on a", func(calls []apiCall) bool { return len(sent(calls, chat)) == 2 })
		b.f.push(privateText(chat, "/help"), privateText(chat, "/help"), privateText(903, "/help"))
		calls := b.f.waitFor("b's notice and the sentinel", func(calls []apiCall) bool {
			return len(sent(calls, chat)) > 0 && len(sent(calls, 903)) > 0
		})
		if got := texts(calls, chat); len(got) != 1 || got[0] != esc(noticeTooFast) {
			t.Errorf("b sent %q, want only the notice %q once", got, noticeTooFast)
		}
	})
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// leaseBoard is where fake leases are held: by one name at a time.
type leaseBoard struct {
	mu     sync.Mutex
	holder string
}

func (l *leaseBoard) set(holder string) {
	l.mu.Lock()
	l.holder = holder
	l.mu.Unlock()
}

func (l *leaseBoard) get() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.holder
}

type fakeLease struct {
	board *leaseBoard
	name  string
}

func (l fakeLease) Hold(context.Context) bool {
	l.board.mu.Lock()
	defer l.board.mu.Unlock()
	if l.board.holder == "" {
		l.board.holder = l.name
	}
	return l.board.holder == l.name
}

func (l fakeLease) Release() {
	l.board.mu.Lock()
	defer l.board.mu.Unlock()
	if l.board.holder == l.name {
		l.board.holder = ""
	}
}

// front is a replica's own address for a shared Bot API server, counting
// the getUpdates that replica makes.
func front(t *testing.T, f *fakeAPI) (url string, polls *atomic.Int64) {
	polls = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getUpdates") {
			polls.Add(1)
		}
		f.serve(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, polls
}

// Of two replicas sharing a poll lease only the holder polls; when it
// stops the other takes over, and a replica that loses the lease stops.
func TestPollLease(t *testing.T) {
	f := newFakeAPI(t)
	board := &leaseBoard{}
	names := []string{"a", "b"}
	hs := map[string]*harness{}
	polls := map[string]*atomic.Int64{}
	for _, name := range names {
		url, p := front(t, f)
		polls[name] = p
		hs[name] = startOn(t, f, &fakeAnswerer{}, func(o *Options) {
			o.APIURL, o.Lease, o.LeaseEvery = url, fakeLease{board, name}, 20*time.Millisecond
		}, nil)
	}
	waitUntil(t, "a holder", func() bool { return board.get() != "" })
	first := board.get()
	second := map[string]string{"a": "b", "b": "a"}[first]

	answered := func(chat int64) {
		t.Helper()
		ids := f.push(privateText(chat, "/help"))
		f.waitFor("the reply", func(calls []apiCall) bool { return len(sent(calls, chat)) > 0 })
		// Confirmed by the holder's next poll, as Telegram needs before
		// another client could be sent it again.
		waitUntil(t, "the update confirmed", func() bool {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.confirmed >= ids[0]
		})
	}
	answered(1001)
	// Several long polls of the holder, with the other asking for the
	// lease all along.
	before := polls[first].Load()
	waitUntil(t, "more polls", func() bool { return polls[first].Load() >= before+3 })
	if n := polls[second].Load(); n != 0 {
		t.Fatalf("%s polled %d times while %s held the lease", second, n, first)
	}

	if _, err := hs[first].shutdown(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, second+" polling", func() bool { return polls[second].Load() > 0 })
	answered(1002)
	if !strings.Contains(hs[second].logs.String(), "holds the poll lease") {
		t.Errorf("the take-over is not logged:\n%s", hs[second].logs.String())
	}

	// Lost to another replica: polling stops until the lease is back.
	board.set("c")
	waitUntil(t, "polling stopped", func() bool {
		return strings.Contains(hs[second].logs.String(), "long polling stopped")
	})
	stopped := polls[second].Load()
	f.push(privateText(1003, "/help"))
	time.Sleep(300 * time.Millisecond) // past a long poll of the fake and many lease periods
	if n := polls[second].Load(); n != stopped {
		t.Errorf("%d polls after the lease was lost", n-stopped)
	}
	if n := len(sent(f.snapshot(), 1003)); n != 0 {
		t.Errorf("%d replies without the lease", n)
	}
	board.set("")
	f.waitFor("the reply once the lease is back", func(calls []apiCall) bool { return len(sent(calls, 1003)) > 0 })

	calls := f.snapshot()
	for _, chat := range []int64{1001, 1002, 1003} {
		if n := len(sent(calls, chat)); n != 1 {
			t.Errorf("chat %d got %d replies, want 1", chat, n)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conflicts != 0 {
		t.Errorf("%d getUpdates refused with 409: two replicas polled at once", f.conflicts)
	}
}
