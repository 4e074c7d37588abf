// Package coord holds the short-lived state that several `serve` replicas
// must share: Telegram update de-duplication, per-chat in-flight locks, rate
// limits, conversation turns and leases. Redis keeps it; Local keeps the same
// state per process, and Shared falls back from the first to the second, so
// that a Redis outage degrades these guarantees to one replica instead of
// stopping answers.
//
// The package knows nothing of the bot: callers pass ids, keys and bytes, and
// adapters in the server translate.
package coord

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultTimeout bounds one call (with its single retry) when Options.Timeout
// is zero: long enough for a loaded Redis on the same network, short enough
// that an answer never waits noticeably on it.
const DefaultTimeout = 300 * time.Millisecond

// DefaultHealthInterval is how often a Redis client pings in the background
// when Options.HealthInterval is zero, so that Healthy recovers after an
// outage even when Shared has stopped sending it calls.
const DefaultHealthInterval = time.Second

// ErrInvalid marks a call refused for its arguments (an empty key, a TTL that
// is not positive). Shared returns it instead of falling back, because Local
// would refuse the same arguments.
var ErrInvalid = errors.New("coord: invalid argument")

// ErrUnavailable is what Shared reports to OnDegraded when it skips a Redis
// that its last call or ping found unreachable, rather than waiting for
// another timeout.
var ErrUnavailable = errors.New("coord: redis unavailable")

// Options configures Open.
type Options struct {
	// Prefix starts every key, e.g. "minsheng:", so that deployments and tests
	// sharing one Redis never touch each other's keys. It must not be empty.
	Prefix string
	// Timeout bounds each call, its single retry included. Zero means
	// DefaultTimeout.
	Timeout time.Duration
	// HealthInterval is the period of the background ping that keeps Healthy
	// current. Zero or less means DefaultHealthInterval.
	HealthInterval time.Duration
	// Logger receives one line when Redis becomes unreachable and one when it
	// comes back; nil means slog.Default().
	Logger *slog.Logger
	// OnDegraded is called by Shared each time it answers from Local because
	// Redis failed or is known to be down (op names the method, e.g.
	// "claim"). The server counts it in minsheng_redis_degraded_total{op}.
	// It must be cheap and safe for concurrent use; nil means no report.
	OnDegraded func(op string, err error)
}

// Redis keeps the shared state in one Redis server. It is safe for
// concurrent use.
type Redis struct {
	c       *redis.Client
	prefix  string
	timeout time.Duration
	log     *slog.Logger
	degrade func(op string, err error)
	// token names this client as a lease holder: a lease is "ours" when its
	// value is this token, so replicas never renew each other's leases.
	token   string
	healthy atomic.Bool

	stop      context.CancelFunc
	pinger    sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Open connects to the Redis at url (redis://[user:pass@]host:port/db or
// rediss:// for TLS) and pings it. A malformed URL or an empty prefix is an
// error. An unreachable server is not: Open returns a client whose Healthy is
// false, and the server decides whether to run degraded.
//
// Timeouts and retries given in the URL's query are overridden by
// opt.Timeout and a single retry, because a slow Redis must never hold up an
// answer.
func Open(ctx context.Context, url string, opt Options) (*Redis, error) {
	if opt.Prefix == "" {
		return nil, fmt.Errorf("%w: a key prefix is required so that deployments sharing a Redis do not collide", ErrInvalid)
	}
	ro, err := redis.ParseURL(url)
	if err != nil {
		// The URL may hold a password: report the parser's reason, not the URL.
		return nil, fmt.Errorf("coord: parse redis URL: %w", err)
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ro.DialTimeout = timeout
	ro.ReadTimeout = timeout
	ro.WriteTimeout = timeout
	ro.PoolTimeout = timeout
	ro.ContextTimeoutEnabled = true
	// One command retry and one dial attempt per try: with Redis down, a call
	// costs at most two connection refusals, never go-redis's default of
	// three retries of five dials each.
	ro.MaxRetries = 1
	ro.DialerRetries = 1
	ro.MinRetryBackoff = 5 * time.Millisecond
	ro.MaxRetryBackoff = 50 * time.Millisecond
	// Self-hosted Redis 7.0 knows neither CLIENT SETINFO nor maintenance
	// notifications; skipping them saves two failing round trips per dial.
	ro.DisableIdentity = true
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}

	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	r := &Redis{
		c:       redis.NewClient(ro),
		prefix:  opt.Prefix,
		timeout: timeout,
		log:     log,
		degrade: opt.OnDegraded,
		token:   rand.Text(),
	}
	// Assume Redis is there until the first ping says otherwise, so that
	// the log shows one line at start only when it is not.
	r.healthy.Store(true)
	_ = r.Ping(ctx)
	interval := opt.HealthInterval
	if interval <= 0 {
		interval = DefaultHealthInterval
	}
	pctx, stop := context.WithCancel(context.Background())
	r.stop = stop
	r.pinger.Add(1)
	go r.ping(pctx, interval)
	return r, nil
}

// ping keeps Healthy current while no call is made, e.g. while Shared is
// skipping an unreachable Redis.
func (r *Redis) ping(ctx context.Context, every time.Duration) {
	defer r.pinger.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = r.Ping(ctx)
		}
	}
}

// Close stops the background ping and closes the connections. Later calls
// fail; Close itself may be called more than once.
func (r *Redis) Close() error {
	r.closeOnce.Do(func() {
		r.stop()
		r.pinger.Wait()
		r.closeErr = r.c.Close()
		r.healthy.Store(false)
	})
	return r.closeErr
}

// Healthy reports whether the last call or background ping reached Redis.
// It reads one atomic value, so /readyz and every Shared call may ask.
func (r *Redis) Healthy() bool { return r.healthy.Load() }

// Ping checks that Redis answers within the timeout.
func (r *Redis) Ping(ctx context.Context) error {
	return r.call(ctx, "ping", func(ctx context.Context) error {
		return r.c.Ping(ctx).Err()
	})
}

// call runs f under the client's deadline, records whether Redis was reached
// and wraps the error with the operation's name.
func (r *Redis) call(ctx context.Context, op string, f func(ctx context.Context) error) error {
	cctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	err := f(cctx)
	var reply redis.Error
	switch {
	case err == nil, errors.As(err, &reply):
		// A reply, even an error reply, means the server is there.
		r.setHealthy(true, op, nil)
	case ctx.Err() != nil:
		// The caller gave up: that says nothing about Redis.
	default:
		r.setHealthy(false, op, err)
	}
	if err != nil {
		return fmt.Errorf("coord: redis %s: %w", op, err)
	}
	return nil
}

// setHealthy logs only the transitions, so an outage costs two log lines
// rather than one per call.
func (r *Redis) setHealthy(ok bool, op string, err error) {
	if r.healthy.Swap(ok) == ok {
		return
	}
	if ok {
		r.log.Info("redis reachable again; shared state is shared again", "op", op)
	} else {
		r.log.Warn("redis unreachable; shared state degrades to this replica", "op", op, "err", err)
	}
}

// key puts the deployment's prefix before a kind and a name.
func (r *Redis) key(kind, name string) string { return r.prefix + kind + ":" + name }
