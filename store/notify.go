package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Backoff of Listen's reconnections: quick enough that a restarted
// database is heard from within seconds, slow enough not to flood its log.
const (
	listenBackoffMin = 100 * time.Millisecond
	listenBackoffMax = 5 * time.Second
)

// idleCheck is how long a listening or lock-holding connection may stay
// silent before it is pinged: a peer that vanished without closing TCP
// (a dead host, a dropped route) is then noticed within seconds, not
// after the kernel's keepalive of two hours.
const idleCheck = 15 * time.Second

// Listen calls fn with the payload of each notification on channel until
// ctx ends, then returns nil. It uses its own connection, outside the
// pool; when that connection breaks (PostgreSQL restarted, network cut),
// it reconnects with a backoff bounded at a few seconds. Notifications
// sent while it was away are lost, so fn is also called with "" after
// each connection, the first included: the caller then checks what it
// may have missed (for example FilesVersion). fn runs on Listen's
// goroutine; notifications wait while it runs. The only error is for an
// empty channel or a nil fn.
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload string)) error {
	if channel == "" || fn == nil {
		return errors.New("store: Listen needs a channel and a function")
	}
	backoff := listenBackoffMin
	for ctx.Err() == nil {
		start := time.Now()
		err := db.listenOnce(ctx, channel, fn)
		if ctx.Err() != nil {
			break
		}
		if time.Since(start) > listenBackoffMax {
			backoff = listenBackoffMin // it had been working: retry soon
		}
		db.log.Warn("store: listening connection lost, reconnecting", "channel", channel, "in", backoff, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, listenBackoffMax)
	}
	return nil
}

func (db *DB) listenOnce(ctx context.Context, channel string, fn func(string)) error {
	conn, err := db.connect(ctx)
	if err != nil {
		return err
	}
	defer db.closeConn(conn)
	lctx, cancel := db.stmtCtx(ctx)
	_, err = conn.Exec(lctx, "LISTEN "+pgx.Identifier{channel}.Sanitize())
	cancel()
	if err != nil {
		return err
	}
	fn("")
	for {
		wctx, cancel := context.WithTimeout(ctx, idleCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			fn(n.Payload)
			continue
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		pctx, cancel := db.stmtCtx(ctx)
		err = conn.Ping(pctx)
		cancel()
		if err != nil {
			return err
		}
	}
}

// Notify sends payload on channel to every listener of every replica. Sent
// through the pool, outside any transaction, it is delivered at once.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	if _, err := db.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, payload); err != nil {
		return fmt.Errorf("store: notify %s: %w", channel, err)
	}
	return nil
}

// closeConn ends a dedicated connection's session, within the statement
// deadline even when the server no longer answers.
func (db *DB) closeConn(conn *pgx.Conn) {
	ctx, cancel := db.stmtCtx(context.Background())
	defer cancel()
	conn.Close(ctx)
}

// heldLock is a session advisory lock and the connection that owns it.
type heldLock struct {
	db   *DB
	key  int64
	mu   sync.Mutex // the connection is not safe for concurrent use
	conn *pgx.Conn
	done chan struct{}
	once sync.Once
}

// TryLock takes the session advisory lock key if no session holds it. The
// lock lives on a connection of its own, so it is released when unlock is
// called, when the DB is closed, or when the process dies and PostgreSQL
// ends the session, letting another replica take over. If that
// connection breaks while held, PostgreSQL has released the lock; this is
// logged as an error, and the holder should stop acting as the only one.
// Each call uses its own session, so a second TryLock of a key this
// process already holds returns false: the lock is not re-entrant.
func (db *DB) TryLock(ctx context.Context, key int64) (unlock func(), ok bool, err error) {
	return db.lock(ctx, key, `SELECT pg_try_advisory_lock($1)`, db.opt.Timeout)
}

// Lock waits until it holds the session advisory lock key, or until ctx
// ends. The lock behaves as TryLock's.
func (db *DB) Lock(ctx context.Context, key int64) (unlock func(), err error) {
	unlock, _, err = db.lock(ctx, key, `SELECT true FROM pg_advisory_lock($1)`, 0)
	return unlock, err
}

func (db *DB) lock(ctx context.Context, key int64, query string, timeout time.Duration) (func(), bool, error) {
	db.mu.Lock()
	closed := db.closed
	db.mu.Unlock()
	if closed {
		return nil, false, errClosed
	}
	conn, err := db.connect(ctx)
	if err != nil {
		return nil, false, err
	}
	qctx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		qctx, cancel = context.WithTimeout(ctx, timeout)
	}
	var ok bool
	err = conn.QueryRow(qctx, query, key).Scan(&ok)
	cancel()
	if err != nil || !ok {
		// Closing ends the session, and with it a wait still queued on
		// the server.
		db.closeConn(conn)
		if err != nil {
			return nil, false, fmt.Errorf("store: advisory lock %d: %w", key, err)
		}
		return nil, false, nil
	}
	h := &heldLock{db: db, key: key, conn: conn, done: make(chan struct{})}
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		db.closeConn(conn)
		return nil, false, errClosed
	}
	db.held[h] = struct{}{}
	db.mu.Unlock()
	go h.watch()
	return h.unlock, true, nil
}

// watch pings the lock's connection so that losing the lock is reported
// while the holder still believes it has it.
func (h *heldLock) watch() {
	t := time.NewTicker(idleCheck)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		}
		h.mu.Lock()
		select {
		case <-h.done:
			h.mu.Unlock()
			return
		default:
		}
		ctx, cancel := h.db.stmtCtx(context.Background())
		err := h.conn.Ping(ctx)
		cancel()
		h.mu.Unlock()
		if err != nil {
			h.db.log.Error("store: advisory lock lost with its connection", "key", h.key, "err", err)
			return
		}
	}
}

// unlock releases the lock and closes its connection; calling it again
// does nothing.
func (h *heldLock) unlock() {
	h.once.Do(func() {
		h.mu.Lock()
		close(h.done)
		ctx, cancel := h.db.stmtCtx(context.Background())
		// Closing alone would release it; unlocking first is quicker to
		// be seen by a waiter when the close is slow.
		h.conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, h.key)
		h.conn.Close(ctx)
		cancel()
		h.mu.Unlock()
		h.db.mu.Lock()
		delete(h.db.held, h)
		h.db.mu.Unlock()
	})
}
