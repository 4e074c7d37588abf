// Package storetest gives each test a database of its own on the
// PostgreSQL server the tests share, so that tests running in parallel
// (in one package or several) never see each other's rows.
package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server used when MINSHENG_TEST_DATABASE_URL is unset:
// the machine's PostgreSQL with trust authentication.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// adminTimeout bounds creating and dropping a database, so a hung server
// fails a test instead of the whole run's deadline.
const adminTimeout = 30 * time.Second

// URL creates a fresh database (minsheng_test_<random>) on the server at
// MINSHENG_TEST_DATABASE_URL (default DefaultURL), drops it when the test
// ends, and returns a URL to it. When the server cannot be reached the
// test is skipped, unless MINSHENG_REQUIRE_SERVICES is set (as in CI),
// where it fails: a missing database must not turn a CI run green.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("MINSHENG_TEST_DATABASE_URL")
	if admin == "" {
		admin = DefaultURL
	}
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatalf("storetest: MINSHENG_TEST_DATABASE_URL: %v", err)
	}
	host := net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		msg := fmt.Sprintf("storetest: PostgreSQL at %s is not reachable (set MINSHENG_TEST_DATABASE_URL to another server): %v", host, err)
		if os.Getenv("MINSHENG_REQUIRE_SERVICES") != "" {
			t.Fatal(msg + "; MINSHENG_REQUIRE_SERVICES is set, so this fails instead of skipping")
		}
		t.Skip(msg + "; set MINSHENG_REQUIRE_SERVICES=1 to fail instead of skipping")
	}
	defer conn.Close(context.Background())
	name := "minsheng_test_" + strings.ToLower(rand.Text())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("storetest: create database on %s: %v", host, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		defer cancel()
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("storetest: drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		// FORCE ends sessions the test left open (a listener, a lock).
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop %s: %v", name, err)
		}
	})
	u, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return u
}

// withDatabase returns the connection string admin pointing at database
// name, in either form pgx accepts.
func withDatabase(admin, name string) (string, error) {
	if strings.HasPrefix(admin, "postgres://") || strings.HasPrefix(admin, "postgresql://") {
		u, err := url.Parse(admin)
		if err != nil {
			return "", fmt.Errorf("MINSHENG_TEST_DATABASE_URL is not a valid URL")
		}
		u.Path = "/" + name
		u.RawPath = ""
		q := u.Query()
		q.Del("dbname") // a dbname parameter would override the path
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	// keyword=value form: a later keyword overrides an earlier one.
	return admin + " dbname=" + name, nil
}
