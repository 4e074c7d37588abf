package coord

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// claimScript claims an update unless it is done or claimed. The claim's
// value is a token fresh for each call, and a claim already holding that
// token counts as won: go-redis may retry a call whose reply was lost after
// Redis ran it, and that retry must not turn our own claim into a refusal.
//
// KEYS[1] done, KEYS[2] claim; ARGV[1] token, ARGV[2] claim TTL in ms.
var claimScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local v = redis.call('GET', KEYS[2])
if v == ARGV[1] then return 1 end
if v then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
`)

// holdScript takes a key that is free, or renews it when it already holds
// our token; it serves both locks (a token per lock) and leases (the
// client's token).
//
// KEYS[1] key; ARGV[1] token, ARGV[2] TTL in ms.
var holdScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if v then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// releaseScript deletes a key only while it holds our token, so a holder
// whose lock expired and was taken by another never deletes the new one.
//
// KEYS[1] key; ARGV[1] token.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// gcraScript is a token bucket as GCRA: the key holds the theoretical
// arrival time (TAT, µs) of the next request on Redis's own clock, so
// replicas' clocks do not matter. A request is allowed while the TAT is at
// most (burst-1) intervals ahead of now; each allowed request pushes it one
// interval on. The key expires when the bucket would be full again.
// string.format keeps all digits, where tostring would round a 16-digit
// number.
//
// KEYS[1] bucket; ARGV[1] interval in µs, ARGV[2] burst.
// Returns {1, 0} or {0, µs to wait}.
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if tat < now then tat = now end
local late = tat - now - (burst - 1) * interval
if late > 0 then return {0, math.ceil(late)} end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
return {1, 0}
`)

// Claim claims Telegram update id for claimTTL, the time one replica may
// take to answer it. It returns false when the update is done or another
// caller holds a live claim; a claim whose holder died without Done expires,
// and the next delivery of the update is claimed by someone else.
func (r *Redis) Claim(ctx context.Context, id string, claimTTL time.Duration) (bool, error) {
	if err := checkName("update id", id); err != nil {
		return false, err
	}
	if err := checkTTL("claim TTL", claimTTL); err != nil {
		return false, err
	}
	var won bool
	err := r.call(ctx, "claim", func(ctx context.Context) error {
		n, err := claimScript.Run(ctx, r.c, r.updateKeys(id), rand.Text(), millis(claimTTL)).Int()
		won = n == 1
		return err
	})
	return won, err
}

// Done marks update id answered for doneTTL, which should outlast
// Telegram's redeliveries, and drops its claim.
func (r *Redis) Done(ctx context.Context, id string, doneTTL time.Duration) error {
	if err := checkName("update id", id); err != nil {
		return err
	}
	if err := checkTTL("done TTL", doneTTL); err != nil {
		return err
	}
	keys := r.updateKeys(id)
	return r.call(ctx, "done", func(ctx context.Context) error {
		_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, keys[0], "1", doneTTL)
			p.Del(ctx, keys[1])
			return nil
		})
		return err
	})
}

// updateKeys returns the done and claim keys of an update. The braces make
// both hash to one slot, so the claim script would also run on a cluster.
func (r *Redis) updateKeys(id string) []string {
	base := r.key("update", "{"+id+"}")
	return []string{base + ":done", base + ":claim"}
}

// TryLock takes the lock named key for at most ttl, which bounds how long a
// holder that died keeps others out. ok is false when another holds it. The
// returned unlock releases the lock only if it is still ours; it has its own
// deadline, ignores errors (the TTL frees the lock anyway) and may be called
// more than once. On failure unlock is a no-op, never nil.
func (r *Redis) TryLock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error) {
	if err := checkName("lock key", key); err != nil {
		return noop, false, err
	}
	if err := checkTTL("lock TTL", ttl); err != nil {
		return noop, false, err
	}
	k, token := r.key("lock", key), rand.Text()
	err = r.call(ctx, "lock", func(ctx context.Context) error {
		n, err := holdScript.Run(ctx, r.c, []string{k}, token, millis(ttl)).Int()
		ok = n == 1
		return err
	})
	if err != nil || !ok {
		return noop, false, err
	}
	return once(func() {
		// The caller's ctx may be done by now (a cancelled request must
		// still free its chat), so unlock runs on a fresh deadline.
		_ = r.call(context.Background(), "unlock", func(ctx context.Context) error {
			return releaseScript.Run(ctx, r.c, []string{k}, token).Err()
		})
	}), true, nil
}

// Allow takes one token from the bucket named key, which holds burst tokens
// and regains one per interval. When it refuses, retryAfter says when the
// next token comes.
func (r *Redis) Allow(ctx context.Context, key string, interval time.Duration, burst int) (ok bool, retryAfter time.Duration, err error) {
	if err := checkRate(key, interval, burst); err != nil {
		return false, 0, err
	}
	err = r.call(ctx, "allow", func(ctx context.Context) error {
		v, err := gcraScript.Run(ctx, r.c, []string{r.key("rate", key)}, micros(interval), burst).Int64Slice()
		if err != nil {
			return err
		}
		if len(v) != 2 {
			return fmt.Errorf("rate script returned %d values, want 2", len(v))
		}
		ok, retryAfter = v[0] == 1, time.Duration(v[1])*time.Microsecond
		return nil
	})
	return ok, retryAfter, err
}

// AppendTurn appends turn to conversation conv, keeps only its last maxTurns
// turns, and makes the whole conversation expire ttl after this turn.
func (r *Redis) AppendTurn(ctx context.Context, conv string, turn []byte, maxTurns int, ttl time.Duration) error {
	if err := checkTurns(conv, maxTurns, ttl); err != nil {
		return err
	}
	k := r.key("turns", conv)
	return r.call(ctx, "append_turn", func(ctx context.Context) error {
		_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.RPush(ctx, k, turn)
			p.LTrim(ctx, k, int64(-maxTurns), -1)
			p.PExpire(ctx, k, ttl)
			return nil
		})
		return err
	})
}

// Turns returns conversation conv's turns, oldest first; none once it
// expired or was forgotten.
func (r *Redis) Turns(ctx context.Context, conv string) ([][]byte, error) {
	if err := checkName("conversation", conv); err != nil {
		return nil, err
	}
	var turns [][]byte
	err := r.call(ctx, "turns", func(ctx context.Context) error {
		v, err := r.c.LRange(ctx, r.key("turns", conv), 0, -1).Result()
		if err != nil {
			return err
		}
		for _, s := range v {
			turns = append(turns, []byte(s))
		}
		return nil
	})
	return turns, err
}

// ForgetTurns deletes conversation conv, e.g. when its user asks to start
// over.
func (r *Redis) ForgetTurns(ctx context.Context, conv string) error {
	if err := checkName("conversation", conv); err != nil {
		return err
	}
	return r.call(ctx, "forget_turns", func(ctx context.Context) error {
		return r.c.Del(ctx, r.key("turns", conv)).Err()
	})
}

// Lease takes the lease called name for ttl, or renews it when this client
// already holds it. held is false while another client holds it; that
// holder keeps it only by renewing within ttl, so a replica that dies loses
// it to the next one asking. Renew well inside ttl (e.g. every ttl/3).
func (r *Redis) Lease(ctx context.Context, name string, ttl time.Duration) (held bool, err error) {
	if err := checkName("lease name", name); err != nil {
		return false, err
	}
	if err := checkTTL("lease TTL", ttl); err != nil {
		return false, err
	}
	err = r.call(ctx, "lease", func(ctx context.Context) error {
		n, err := holdScript.Run(ctx, r.c, []string{r.key("lease", name)}, r.token, millis(ttl)).Int()
		held = n == 1
		return err
	})
	return held, err
}

// ReleaseLease gives up the lease called name if this client holds it, so
// that another replica takes over at once instead of after the TTL.
func (r *Redis) ReleaseLease(ctx context.Context, name string) error {
	if err := checkName("lease name", name); err != nil {
		return err
	}
	return r.call(ctx, "release_lease", func(ctx context.Context) error {
		return releaseScript.Run(ctx, r.c, []string{r.key("lease", name)}, r.token).Err()
	})
}

// millis rounds d up to whole milliseconds, the unit of PX: rounding down
// would turn a sub-millisecond TTL into PX 0, which Redis rejects.
func millis(d time.Duration) int64 { return int64((d + time.Millisecond - 1) / time.Millisecond) }

// micros rounds d up to whole microseconds, the unit of Redis TIME.
func micros(d time.Duration) int64 { return int64((d + time.Microsecond - 1) / time.Microsecond) }

func noop() {}

// once makes an unlock safe to call twice, e.g. by a defer after an
// explicit early release.
func once(f func()) func() {
	var o sync.Once
	return func() { o.Do(f) }
}

func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("%w: %s is empty", ErrInvalid, what)
	}
	return nil
}

func checkTTL(what string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("%w: %s must be positive, got %v", ErrInvalid, what, d)
	}
	return nil
}

func checkRate(key string, interval time.Duration, burst int) error {
	if err := checkName("rate key", key); err != nil {
		return err
	}
	if err := checkTTL("rate interval", interval); err != nil {
		return err
	}
	if burst < 1 {
		return fmt.Errorf("%w: rate burst must be at least 1, got %d", ErrInvalid, burst)
	}
	return nil
}

func checkTurns(conv string, maxTurns int, ttl time.Duration) error {
	if err := checkName("conversation", conv); err != nil {
		return err
	}
	if maxTurns < 1 {
		return fmt.Errorf("%w: max turns must be at least 1, got %d", ErrInvalid, maxTurns)
	}
	return checkTTL("conversation TTL", ttl)
}
