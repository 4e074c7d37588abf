package telegram

import (
	"crypto/rand"
	"encoding/base64"
	"sort"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/minsheng/minsheng/bot"
)

// buttonInterval and buttonBurst limit button presses that send a
// message (quotes): quicker than questions, since a resident may open
// several sources of one answer in a row, but not a flood.
const (
	buttonInterval = time.Second
	buttonBurst    = 5
)

// chatState is what the bot remembers about one chat.
type chatState struct {
	mu           sync.Mutex
	region       string // as passed in bot.Request.Region; "" = all regions
	regionLabel  string
	conversation string
	busy         bool          // a question is being answered
	noticed      bool          // the "please wait" notice was sent since the last admitted message
	messages     *rate.Limiter // made on first use, with the channel's limits
	buttons      *rate.Limiter
	seen         time.Time
}

// verdict is what to do with an incoming message.
type verdict int

const (
	admit  verdict = iota
	notify         // refuse, and say so once
	drop           // refuse silently: the chat was already told
)

// verdict turns the gate's refusal (or not) of a message into what to do
// with it. A refused chat is told once, not once per message, so a flood
// does not turn into a flood of notices.
func (s *chatState) verdict(now time.Time, refused bool) verdict {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = now
	if !refused {
		s.noticed = false
		return admit
	}
	if s.noticed {
		return drop
	}
	s.noticed = true
	return notify
}

// localGate is the ChatGate of a single process: the limits live in the
// chats' states, beside their regions.
type localGate struct{ b *Bot }

func (g localGate) Allow(chat int64, interval time.Duration, burst int) bool {
	now := g.b.now()
	s := g.b.chats.get(chat, now)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.messages == nil {
		s.messages = rate.NewLimiter(rate.Every(interval), burst)
	}
	return s.messages.AllowN(now, 1)
}

func (g localGate) Begin(chat int64, _ time.Duration) (end func(), ok bool) {
	s := g.b.chats.get(chat, g.b.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy {
		return func() {}, false
	}
	s.busy = true
	return s.finish, true
}

// busyTTL bounds how long a question holds its chat: its wait for a slot
// and its answer, with a margin, since the chat is freed once the answer
// is computed.
func (b *Bot) busyTTL() time.Duration { return b.opt.QueueWait + b.opt.AnswerTimeout + 15*time.Second }

// admitButton limits button presses that send messages (quotes).
func (s *chatState) admitButton(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = now
	if s.buttons == nil {
		s.buttons = rate.NewLimiter(rate.Every(buttonInterval), buttonBurst)
	}
	return s.buttons.AllowN(now, 1)
}

func (s *chatState) finish() {
	s.mu.Lock()
	s.busy = false
	s.mu.Unlock()
}

// request fills in what the chat chose: its region and conversation.
func (s *chatState) request() (region, conversation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.region, s.conversation
}

func (s *chatState) setRegion(region, label string) {
	s.mu.Lock()
	s.region, s.regionLabel = region, label
	s.mu.Unlock()
}

func (s *chatState) currentRegion() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.regionLabel
}

// conversationOf is a chat's conversation: the same on every replica, so
// that a follow-up reaching another replica is read against the turns
// before it (when the answerer's turns are shared). /new forgets them.
func conversationOf(chat int64) string { return "tg-" + strconv.FormatInt(chat, 10) }

// chatStore holds chat states, bounded in number and age.
type chatStore struct {
	mu  sync.Mutex
	m   map[int64]*chatState
	max int
	ttl time.Duration
}

func newChatStore(max int, ttl time.Duration) *chatStore {
	return &chatStore{m: map[int64]*chatState{}, max: max, ttl: ttl}
}

func (c *chatStore) get(id int64, now time.Time) *chatState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[id]; ok {
		return s
	}
	if len(c.m) >= c.max {
		c.evict(now)
	}
	s := &chatState{seen: now, conversation: conversationOf(id)}
	c.m[id] = s
	return s
}

func (c *chatStore) remove(id int64) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

// evict drops chats idle past the TTL and, if that is not enough, the
// tenth least recently seen. Chats with a question under way stay.
func (c *chatStore) evict(now time.Time) {
	type idle struct {
		id   int64
		seen time.Time
	}
	var rest []idle
	for id, s := range c.m {
		s.mu.Lock()
		seen, busy := s.seen, s.busy
		s.mu.Unlock()
		switch {
		case busy:
		case now.Sub(seen) > c.ttl:
			delete(c.m, id)
		default:
			rest = append(rest, idle{id, seen})
		}
	}
	if len(c.m) < c.max {
		return
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].seen.Before(rest[j].seen) })
	for _, r := range rest[:max(1, len(rest)/10)] {
		delete(c.m, r.id)
	}
}

// answerEntry is an answer kept for its buttons: the citations (with the
// quotes behind "[n] 原文") and the question and answer a 👍/👎 refers to.
// It holds no more than that, for answerTTL: the question masked, no
// passages.
type answerEntry struct {
	chat      int64
	question  string // masked
	answer    string
	citations []bot.Citation
	// region and route are the answer's, for the unanswered queue.
	region  string
	route   string
	expires time.Time
	voters  map[int64]bool
}

// answerStore keeps recent answers under short random IDs, because
// callback data holds at most 64 bytes. It is bounded in size and age;
// buttons of a forgotten answer say so.
type answerStore struct {
	mu    sync.Mutex
	m     map[string]*answerEntry
	order []string
	max   int
	ttl   time.Duration
}

func newAnswerStore(max int, ttl time.Duration) *answerStore {
	return &answerStore{m: map[string]*answerEntry{}, max: max, ttl: ttl}
}

func (s *answerStore) put(e *answerEntry, now time.Time) string {
	var b [6]byte
	rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	e.expires = now.Add(s.ttl)
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.order) > 0 {
		old, ok := s.m[s.order[0]]
		if ok && len(s.m) < s.max && now.Before(old.expires) {
			break
		}
		delete(s.m, s.order[0])
		s.order = s.order[1:]
	}
	s.m[id] = e
	s.order = append(s.order, id)
	return id
}

func (s *answerStore) get(id string, now time.Time) *answerEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[id]
	if !ok || !now.Before(e.expires) {
		return nil
	}
	return e
}

// voted reports whether user has voted on an answer.
func (s *answerStore) voted(e *answerEntry, user int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return e.voters[user]
}

// vote notes user's vote on an answer; false means the user had voted.
func (s *answerStore) vote(e *answerEntry, user int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.voters == nil {
		e.voters = map[int64]bool{}
	}
	if e.voters[user] {
		return false
	}
	e.voters[user] = true
	return true
}

// unvote takes back a vote that could not be stored.
func (s *answerStore) unvote(e *answerEntry, user int64) {
	s.mu.Lock()
	delete(e.voters, user)
	s.mu.Unlock()
}

// updateSet remembers the update IDs already handled, so that an update
// delivered again (a webhook Telegram thinks was lost, a getUpdates whose
// confirmation did not arrive) is answered once. It is bounded in number
// and forgets an ID after ttl: Telegram keeps an undelivered update for 24
// hours, so no redelivery comes later than that.
type updateSet struct {
	mu    sync.Mutex
	m     map[int64]struct{}
	order []seenUpdate // oldest first
	max   int
	ttl   time.Duration
}

type seenUpdate struct {
	id int64
	at time.Time
}

func newUpdateSet(max int, ttl time.Duration) *updateSet {
	return &updateSet{m: map[int64]struct{}{}, max: max, ttl: ttl}
}

// first reports whether id is new, and remembers it.
func (u *updateSet) first(id int64, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for len(u.order) > 0 && now.Sub(u.order[0].at) > u.ttl {
		u.forgetOldest()
	}
	if _, ok := u.m[id]; ok {
		return false
	}
	if len(u.order) >= u.max {
		u.forgetOldest()
	}
	u.m[id] = struct{}{}
	u.order = append(u.order, seenUpdate{id, now})
	return true
}

func (u *updateSet) forgetOldest() {
	delete(u.m, u.order[0].id)
	u.order = u.order[1:]
}
