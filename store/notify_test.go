package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store/storetest"
)

func TestListenReconnects(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	p, viaProxy := newProxy(t, u)
	listener, sender := openDB(t, viaProxy, Options{}), openDB(t, u, Options{})
	ctx := context.Background()
	heard := listen(t, listener, "minsheng_test")
	expectPayload(t, heard, "") // the first connection
	if err := sender.Notify(ctx, "minsheng_test", "one"); err != nil {
		t.Fatal(err)
	}
	expectPayload(t, heard, "one")

	p.Stop()
	if err := sender.Notify(ctx, "minsheng_test", "missed"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // a few failed reconnections
	p.Start()
	expectPayload(t, heard, "") // reconnected: time to catch up
	if err := sender.Notify(ctx, "minsheng_test", "two"); err != nil {
		t.Fatal(err)
	}
	expectPayload(t, heard, "two")
}

func TestListenStopsWithContext(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	if err := db.Listen(context.Background(), "", func(string) {}); err == nil {
		t.Error("Listen without a channel succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- db.Listen(ctx, "c", func(string) { cancel() }) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Listen = %v after its context ended", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Listen did not return after its context ended")
	}
}

// backendOf returns the PostgreSQL process holding advisory lock key.
func backendOf(t *testing.T, db *DB, key int64) int32 {
	t.Helper()
	var pid int32
	err := db.pool.QueryRow(context.Background(), `SELECT pid FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objid = $1 AND database =
		(SELECT oid FROM pg_database WHERE datname = current_database())`, key).Scan(&pid)
	if err != nil {
		t.Fatalf("holder of lock %d: %v", key, err)
	}
	return pid
}

func TestTryLock(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	a, b := openDB(t, u, Options{}), openDB(t, u, Options{})
	ctx := context.Background()
	const key = 42

	tryLock := func(db *DB) (func(), bool) {
		t.Helper()
		unlock, ok, err := db.TryLock(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return unlock, ok
	}
	releases := []struct {
		name    string
		release func(t *testing.T, holder *DB, unlock func())
	}{
		{"unlock", func(_ *testing.T, _ *DB, unlock func()) { unlock(); unlock() }},
		{"holder closed", func(_ *testing.T, holder *DB, _ func()) { holder.Close() }},
		{"holder's session killed", func(t *testing.T, _ *DB, _ func()) {
			// As when the holder's process dies: PostgreSQL ends its session.
			if _, err := a.pool.Exec(ctx, `SELECT pg_terminate_backend($1)`, backendOf(t, a, key)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, r := range releases {
		t.Run(r.name, func(t *testing.T) {
			holder := openDB(t, u, Options{})
			unlock, ok := tryLock(holder)
			if !ok {
				t.Fatal("TryLock on a free lock failed")
			}
			if u2, ok := tryLock(b); ok {
				u2()
				t.Fatal("a second DB took a held lock")
			}
			if u2, ok := tryLock(holder); ok {
				u2()
				t.Fatal("the holder took its held lock again on another session")
			}
			r.release(t, holder, unlock)
			deadline := time.Now().Add(5 * time.Second)
			for {
				u2, ok := tryLock(b)
				if ok {
					u2()
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("lock not released")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

func TestLockWaits(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	a, b, c := openDB(t, u, Options{}), openDB(t, u, Options{}), openDB(t, u, Options{})
	ctx := context.Background()
	const key = 7
	unlockA, err := a.Lock(ctx, key)
	if err != nil {
		t.Fatal(err)
	}

	// A wait that times out gives up without leaving a waiter behind.
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = b.Lock(short, key)
	cancel()
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock on a held lock with a short deadline = %v", err)
	}

	got := make(chan func())
	go func() {
		unlock, err := c.Lock(ctx, key)
		if err != nil {
			t.Error(err)
			close(got)
			return
		}
		got <- unlock
	}()
	select {
	case <-got:
		t.Fatal("Lock returned while another DB held the lock")
	case <-time.After(300 * time.Millisecond):
	}
	unlockA()
	select {
	case unlockC, ok := <-got:
		if !ok {
			t.Fatal("Lock failed")
		}
		if backendOf(t, a, key) == 0 {
			t.Error("no holder")
		}
		unlockC()
	case <-time.After(5 * time.Second):
		t.Fatal("waiting Lock not granted after unlock")
	}
}
