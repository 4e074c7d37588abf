// Package coordtest gives tests a real Redis and a key prefix of their own,
// so that tests running in parallel (and the deployments sharing that Redis)
// never see each other's keys, and nothing ever needs FLUSHDB.
package coordtest

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultURL is the Redis the machine's documentation starts on loopback.
const DefaultURL = "redis://127.0.0.1:6379/0"

// URL returns MINSHENG_TEST_REDIS_URL, or DefaultURL, after checking that a
// Redis answers there. When none does, the test is skipped with the reason,
// unless MINSHENG_REQUIRE_SERVICES is set (as CI sets it), where a missing
// service must fail rather than pass silently.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("MINSHENG_TEST_REDIS_URL")
	if url == "" {
		url = DefaultURL
	}
	c, err := client(url)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = c.Ping(ctx).Err()
		cancel()
		c.Close()
	}
	if err != nil {
		msg := "no Redis for this test at MINSHENG_TEST_REDIS_URL (default " + DefaultURL + "): " + err.Error()
		if os.Getenv("MINSHENG_REQUIRE_SERVICES") != "" {
			t.Fatal(msg + " (MINSHENG_REQUIRE_SERVICES is set)")
		}
		t.Skip(msg + "; set MINSHENG_REQUIRE_SERVICES to make this a failure")
	}
	return url
}

// Prefix returns a key prefix unique to this test ("minsheng-test:" plus
// the test's name and a random part) and, when the test ends, deletes the
// keys under it and no others, with SCAN and DEL.
func Prefix(t testing.TB) string {
	t.Helper()
	url := URL(t)
	p := "minsheng-test:" + safe(t.Name()) + ":" + rand.Text() + ":"
	t.Cleanup(func() {
		c, err := client(url)
		if err != nil {
			t.Errorf("coordtest: clean up %s: %v", p, err)
			return
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// The prefix holds only safe characters, so no glob character in it
		// can widen the match to another test's keys.
		it := c.Scan(ctx, 0, p+"*", 500).Iterator()
		var batch []string
		flush := func() {
			if len(batch) > 0 {
				if err := c.Del(ctx, batch...).Err(); err != nil {
					t.Errorf("coordtest: delete keys under %s: %v", p, err)
				}
				batch = batch[:0]
			}
		}
		for it.Next(ctx) {
			batch = append(batch, it.Val())
			if len(batch) == 500 {
				flush()
			}
		}
		flush()
		if err := it.Err(); err != nil {
			t.Errorf("coordtest: scan keys under %s: %v", p, err)
		}
	})
	return p
}

func client(url string) (*redis.Client, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	// Redis 7.0 knows neither handshake; skipping them keeps test logs clean.
	o.DisableIdentity = true
	o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return redis.NewClient(o), nil
}

// safe keeps letters, digits, '-', '_' and '/', so a test's name stays
// readable in redis-cli without being a glob pattern.
func safe(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '/':
			return r
		}
		return '_'
	}, name)
}
