package coord

import (
	"context"
	"errors"
	"time"
)

// Shared asks Redis and, when Redis fails or is known to be down, answers
// from Local instead and reports the fallback through Options.OnDegraded:
// with Redis away answers go on, and de-duplication, locks and limits hold
// per replica. While Redis.Healthy is false Shared does not wait on Redis at
// all; the background ping brings it back.
//
// What degrades, and how:
//   - Claim, TryLock, Allow: per replica. An update redelivered to two
//     replicas may be answered twice; a chat's limit is per replica.
//   - Turns written during an outage stay on the replica that wrote them
//     and are not in Redis when it returns.
//   - ForgetTurns also clears Local, so turns kept there during an outage
//     are forgotten too.
//   - Lease: Local grants every lease, so with Redis away every replica
//     believes it holds it (e.g. several Telegram pollers, which Telegram
//     answers with 409 Conflict). A caller that would rather have no holder
//     than several should use Redis.Lease directly.
//
// Errors for bad arguments (ErrInvalid) are returned, not degraded; a
// cancelled caller's context returns its error. Otherwise Shared returns no
// error: Local does not fail. A nil Redis means none was configured, and
// Shared is Local without degradation reports. Shared is safe for
// concurrent use.
type Shared struct {
	// Redis is the shared store; nil when the deployment has none.
	Redis *Redis
	// Local answers while Redis is away; it must not be nil.
	Local *Local
}

// Claim is Redis.Claim, or Local.Claim while Redis is away.
func (s *Shared) Claim(ctx context.Context, id string, claimTTL time.Duration) (bool, error) {
	return degrade(s, ctx, "claim",
		func(r *Redis) (bool, error) { return r.Claim(ctx, id, claimTTL) },
		func() (bool, error) { return s.Local.Claim(ctx, id, claimTTL) })
}

// Done is Redis.Done, or Local.Done while Redis is away.
func (s *Shared) Done(ctx context.Context, id string, doneTTL time.Duration) error {
	_, err := degrade(s, ctx, "done",
		func(r *Redis) (struct{}, error) { return struct{}{}, r.Done(ctx, id, doneTTL) },
		func() (struct{}, error) { return struct{}{}, s.Local.Done(ctx, id, doneTTL) })
	return err
}

// TryLock is Redis.TryLock, or Local.TryLock while Redis is away; unlock
// releases the lock where it was taken.
func (s *Shared) TryLock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error) {
	type lock struct {
		unlock func()
		ok     bool
	}
	l, err := degrade(s, ctx, "lock",
		func(r *Redis) (lock, error) { u, ok, err := r.TryLock(ctx, key, ttl); return lock{u, ok}, err },
		func() (lock, error) { u, ok, err := s.Local.TryLock(ctx, key, ttl); return lock{u, ok}, err })
	if l.unlock == nil {
		l.unlock = noop
	}
	return l.unlock, l.ok, err
}

// Allow is Redis.Allow, or Local.Allow while Redis is away.
func (s *Shared) Allow(ctx context.Context, key string, interval time.Duration, burst int) (ok bool, retryAfter time.Duration, err error) {
	type verdict struct {
		ok    bool
		after time.Duration
	}
	v, err := degrade(s, ctx, "allow",
		func(r *Redis) (verdict, error) {
			ok, d, err := r.Allow(ctx, key, interval, burst)
			return verdict{ok, d}, err
		},
		func() (verdict, error) {
			ok, d, err := s.Local.Allow(ctx, key, interval, burst)
			return verdict{ok, d}, err
		})
	return v.ok, v.after, err
}

// AppendTurn is Redis.AppendTurn, or Local.AppendTurn while Redis is away.
func (s *Shared) AppendTurn(ctx context.Context, conv string, turn []byte, maxTurns int, ttl time.Duration) error {
	_, err := degrade(s, ctx, "append_turn",
		func(r *Redis) (struct{}, error) { return struct{}{}, r.AppendTurn(ctx, conv, turn, maxTurns, ttl) },
		func() (struct{}, error) { return struct{}{}, s.Local.AppendTurn(ctx, conv, turn, maxTurns, ttl) })
	return err
}

// Turns is Redis.Turns, or Local.Turns while Redis is away.
func (s *Shared) Turns(ctx context.Context, conv string) ([][]byte, error) {
	return degrade(s, ctx, "turns",
		func(r *Redis) ([][]byte, error) { return r.Turns(ctx, conv) },
		func() ([][]byte, error) { return s.Local.Turns(ctx, conv) })
}

// ForgetTurns forgets the conversation in Redis and in Local both, so that
// turns kept locally during an outage do not come back.
func (s *Shared) ForgetTurns(ctx context.Context, conv string) error {
	if err := s.Local.ForgetTurns(ctx, conv); err != nil {
		return err
	}
	_, err := degrade(s, ctx, "forget_turns",
		func(r *Redis) (struct{}, error) { return struct{}{}, r.ForgetTurns(ctx, conv) },
		func() (struct{}, error) { return struct{}{}, nil })
	return err
}

// Lease is Redis.Lease, or Local.Lease (always held) while Redis is away.
func (s *Shared) Lease(ctx context.Context, name string, ttl time.Duration) (bool, error) {
	return degrade(s, ctx, "lease",
		func(r *Redis) (bool, error) { return r.Lease(ctx, name, ttl) },
		func() (bool, error) { return s.Local.Lease(ctx, name, ttl) })
}

// ReleaseLease is Redis.ReleaseLease, or Local.ReleaseLease while Redis is
// away.
func (s *Shared) ReleaseLease(ctx context.Context, name string) error {
	_, err := degrade(s, ctx, "release_lease",
		func(r *Redis) (struct{}, error) { return struct{}{}, r.ReleaseLease(ctx, name) },
		func() (struct{}, error) { return struct{}{}, s.Local.ReleaseLease(ctx, name) })
	return err
}

// degrade runs remote on s.Redis and falls back to local as Shared's doc
// says. Go methods cannot be generic, hence a function.
func degrade[T any](s *Shared, ctx context.Context, op string, remote func(*Redis) (T, error), local func() (T, error)) (T, error) {
	r := s.Redis
	if r == nil {
		return local()
	}
	if !r.Healthy() {
		r.degraded(op, ErrUnavailable)
		return local()
	}
	v, err := remote(r)
	if err == nil || errors.Is(err, ErrInvalid) {
		return v, err
	}
	if ctx.Err() != nil {
		var zero T
		return zero, err
	}
	r.degraded(op, err)
	return local()
}

// degraded reports one fallback to the server's hook.
func (r *Redis) degraded(op string, err error) {
	if r.degrade != nil {
		r.degrade(op, err)
	}
}
