package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/metrics"
	"github.com/minsheng/minsheng/bot/web"
	"github.com/minsheng/minsheng/coord"
	"github.com/minsheng/minsheng/store"
)

// What several replicas share: PostgreSQL (MINSHENG_DATABASE_URL) keeps
// what must last, Redis (MINSHENG_REDIS_URL) what expires. Without them
// everything stays in the data folder and this process, as before.

// Bounds of the shared state.
const (
	// sharedTimeout bounds one call to Redis made on a resident's behalf;
	// past it this replica answers from its own memory.
	sharedTimeout = 500 * time.Millisecond
	// claimTTL is how long an update claimed by a replica stays its own:
	// longer than an answer takes, so that a slow answer is not answered
	// again, short enough that a dead replica's update is taken over.
	claimTTL = 3 * time.Minute
	// doneTTL is how long an answered update is remembered: Telegram
	// redelivers for at most a day.
	doneTTL = 25 * time.Hour
	// Advisory locks under which one replica at a time publishes a shared
	// folder.
	libraryLock int64 = 0x6d696e7368656e67 // "minsheng"
	curatedLock int64 = libraryLock + 1
)

// shared is what serve opened of PostgreSQL and Redis; each part nil when
// not configured.
type shared struct {
	db    *store.DB
	redis *coord.Redis
	kv    *coord.Shared
}

// openShared connects to what is configured. PostgreSQL down at start is
// an error (a replica must not start on data it cannot store); Redis down
// is not (answers go on, dedupe and limits hold per replica meanwhile).
func (c serveConfig) openShared(ctx context.Context, m *metrics.Metrics, log *slog.Logger) (*shared, error) {
	s := &shared{}
	if c.DatabaseURL != "" {
		db, err := store.Open(ctx, c.DatabaseURL, store.Options{SpoolDir: filepath.Join(c.DataDir, "spool"),
			SpoolMaxBytes: c.SpoolMaxBytes, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL (MINSHENG_DATABASE_URL): %w", err)
		}
		s.db = db
	}
	if c.RedisURL != "" {
		// go-redis logs every failed dial on its own (a line a second while
		// Redis is down); coord already logs each change of state once.
		redis.SetLogger(redisLog{log})
		r, err := coord.Open(ctx, c.RedisURL, coord.Options{Prefix: c.RedisPrefix, Timeout: sharedTimeout, Logger: log,
			OnDegraded: m.Degraded})
		if err != nil {
			s.close()
			return nil, usageError{fmt.Sprintf("MINSHENG_REDIS_URL: %v", err)}
		}
		if !r.Healthy() {
			log.Warn("redis is not answering; dedupe, limits and conversations hold per replica until it does")
		}
		s.redis = r
		s.kv = &coord.Shared{Redis: r, Local: coord.NewLocal(0)}
	}
	return s, nil
}

// redisLog keeps go-redis's own lines at debug level.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

func (s *shared) close() {
	if s.db != nil {
		s.db.Close()
	}
	if s.redis != nil {
		s.redis.Close()
	}
}

// voteLimiter is nil (each replica its own buckets) without Redis.
func (s *shared) voteLimiter() web.Limiter {
	if s.kv == nil {
		return nil
	}
	return voteLimiter{s.kv}
}

// dependencies are what /readyz reports.
func (s *shared) dependencies() map[string]func(context.Context) error {
	deps := map[string]func(context.Context) error{}
	if s.db != nil {
		deps["postgres"] = func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			return s.db.Ping(ctx)
		}
	}
	if s.redis != nil {
		deps["redis"] = func(context.Context) error {
			if !s.redis.Healthy() {
				return errors.New("not answering")
			}
			return nil
		}
	}
	return deps
}

// journal is where a log of kind is kept: PostgreSQL when configured,
// else the file of the data folder.
func (s *shared) journal(kind, path string) bot.Journal {
	if s.db == nil {
		return bot.NewFileJournal(path)
	}
	return dbJournal{s.db.Journal(kind)}
}

// dbJournal makes a full spool a bot.KindUnavailable error, which the
// channels answer with "try again later" (HTTP 503).
type dbJournal struct{ j *store.Journal }

func (d dbJournal) Append(line []byte) error {
	err := d.j.Append(line)
	if errors.Is(err, store.ErrSpoolFull) {
		return &bot.Error{Kind: bot.KindUnavailable, Message: bot.MsgFeedbackNotSaved, Err: err}
	}
	return err
}
func (d dbJournal) Scan(fn func(line []byte)) error { return d.j.Scan(fn) }
func (d dbJournal) Prune(keep func(line []byte) bool) (int, int, error) {
	return d.j.Prune(keep)
}

// salt is the feedback salt: the configured one, else one made once and
// shared by every replica, so a voter hashes the same everywhere.
func (s *shared) salt(ctx context.Context) (string, error) {
	return s.db.SettingOrCreate(ctx, "feedback_salt", func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return hex.EncodeToString(b)
	})
}

// turns shares conversations through Redis, falling back to this
// replica's memory when Redis fails.
type redisTurns struct{ kv *coord.Shared }

func (t redisTurns) History(id string) []bot.Turn {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	raw, err := t.kv.Turns(ctx, "conv:"+id)
	if err != nil {
		return nil
	}
	var out []bot.Turn
	for _, r := range raw {
		var tr bot.Turn
		if json.Unmarshal(r, &tr) == nil {
			out = append(out, tr)
		}
	}
	return out
}

func (t redisTurns) Add(id string, tr bot.Turn) {
	if id == "" {
		return
	}
	tr.At = time.Now()
	raw, err := json.Marshal(tr)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	t.kv.AppendTurn(ctx, "conv:"+id, raw, bot.ConversationTurns, bot.ConversationTTL)
}

func (t redisTurns) Forget(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	t.kv.ForgetTurns(ctx, "conv:"+id)
}

// voteLimiter shares the web's vote buckets through Redis.
type voteLimiter struct{ kv *coord.Shared }

func (v voteLimiter) Allow(client string) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	ok, wait, err := v.kv.Allow(ctx, "vote:"+client, web.VoteInterval, web.VoteBurst)
	return ok || err != nil, wait
}

// claims share Telegram updates through Redis.
type claims struct{ kv *coord.Shared }

func (c claims) Claim(id int64) bool {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	ok, err := c.kv.Claim(ctx, "tg:"+strconv.FormatInt(id, 10), claimTTL)
	return ok || err != nil // an error here is a bad argument: act rather than drop
}

func (c claims) Done(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	c.kv.Done(ctx, "tg:"+strconv.FormatInt(id, 10), doneTTL)
}

// mirror is a folder of the data folder whose truth is in PostgreSQL
// (the library, the curated answers): pulled at start, published after a
// change made here, pulled again when another replica announces one.
type mirror struct {
	set, dir string
	lock     int64 // advisory lock under which one replica publishes it
	held     atomic.Int64
	// changed is called after a newer version was pulled.
	changed func(ctx context.Context, version int64)
}

// chatGate holds Telegram chats' limits in Redis, so that a chat's rate
// and its one question at a time hold whichever replica its messages
// reach; while Redis is away they hold per replica.
type chatGate struct{ kv *coord.Shared }

func (g chatGate) Allow(chat int64, interval time.Duration, burst int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	ok, _, err := g.kv.Allow(ctx, "tg:"+strconv.FormatInt(chat, 10), interval, burst)
	return ok || err != nil // an error here is a bad argument: act rather than drop
}

func (g chatGate) Begin(chat int64, ttl time.Duration) (end func(), ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	unlock, ok, err := g.kv.TryLock(ctx, "tgbusy:"+strconv.FormatInt(chat, 10), ttl)
	if err != nil {
		return func() {}, true // a bad argument, as above
	}
	return unlock, ok
}

// The Telegram poll lease: a replica that dies is replaced within
// pollLeaseTTL and one pollLeaseEvery; renewed every pollLeaseEvery, the
// lease outlives two renewals that failed.
const (
	pollLeaseName  = "telegram-poll"
	pollLeaseTTL   = 7 * time.Second
	pollLeaseEvery = 2 * time.Second
)

// pollLease lets one replica long-poll Telegram, which answers a second
// poller of one token with 409 Conflict.
//
// It is a Redis lease rather than a PostgreSQL advisory lock because each
// renewal tells the holder whether it still holds it. An advisory lock is
// lost silently with its connection (store only logs it): after a
// PostgreSQL restart another replica would take it while the first still
// polls, for good. It is coord.Redis's lease, not coord.Shared's, which
// grants it to every replica while Redis is away.
//
// While Redis cannot be reached, Hold answers as it last did: the replica
// polling goes on, so that answers go on through a Redis outage, and the
// others, unable to take the lease, go on waiting. The cost is that a
// holder cut off from Redis alone polls beside the replica that took the
// lease over, until it reaches Redis again.
type pollLease struct {
	r    *coord.Redis
	ttl  time.Duration
	held bool // Hold and Release are called from one goroutine
}

func (l *pollLease) Hold(ctx context.Context) bool {
	held, err := l.r.Lease(ctx, pollLeaseName, l.ttl)
	if err == nil {
		l.held = held
	}
	return l.held
}

func (l *pollLease) Release() {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	l.r.ReleaseLease(ctx, pollLeaseName)
	l.held = false
}

// start pulls the folder; the first replica ever to start puts its own
// (often empty: the seed documents are built in) there.
func (s *shared) start(ctx context.Context, m *mirror) error {
	if err := os.MkdirAll(m.dir, 0o755); err != nil {
		return err
	}
	v, err := s.db.PullFiles(ctx, m.set, m.dir)
	if err == nil && v == 0 {
		return s.publish(ctx, m)
	}
	m.held.Store(v)
	return err
}

// publish stores the folder under the lock and announces it.
func (s *shared) publish(ctx context.Context, m *mirror) error {
	unlock, err := s.db.Lock(ctx, m.lock)
	if err != nil {
		return fmt.Errorf("lock %s: %w", m.set, err)
	}
	defer unlock()
	v, err := s.db.PushFiles(ctx, m.set, m.dir)
	if err != nil {
		return err
	}
	// What this replica published it already has: its own announcement
	// is not pulled again.
	m.held.Store(v)
	return nil
}

// follow keeps the mirrors in step with PostgreSQL until ctx ends: on each
// announcement, and after each reconnect for what was missed meanwhile.
func (s *shared) follow(ctx context.Context, log *slog.Logger, ms ...*mirror) error {
	return s.db.Listen(ctx, store.FilesChannel, func(payload string) {
		for _, m := range ms {
			if payload != "" && !strings.HasPrefix(payload, m.set+":") {
				continue
			}
			v, err := s.db.FilesVersion(ctx, m.set)
			if err != nil {
				log.Warn("shared folder version", "set", m.set, "error", err)
				continue
			}
			if v <= m.held.Load() {
				continue
			}
			if v, err = s.db.PullFiles(ctx, m.set, m.dir); err != nil {
				log.Error("shared folder not pulled", "set", m.set, "error", err)
				continue
			}
			m.held.Store(v)
			if m.changed != nil {
				m.changed(ctx, v)
			}
		}
	})
}

// hitCounter counts curated answers' use in PostgreSQL.
type hitCounter struct{ db *store.DB }

const hitPrefix = "curated_hit:"

func (h hitCounter) Hit(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := h.db.AddCounter(ctx, hitPrefix+id, 1)
	return err
}

func (h hitCounter) Hits() (map[string]int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	all, err := h.db.Counters(ctx, hitPrefix)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(all))
	for k, v := range all {
		out[k] = int(v)
	}
	return out, nil
}
