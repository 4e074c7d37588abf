package store

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store/storetest"
)

// testTimeout keeps failures against a stopped proxy quick.
const testTimeout = 2 * time.Second

func openDB(t *testing.T, url string, opt Options) *DB {
	t.Helper()
	if opt.Timeout == 0 {
		opt.Timeout = testTimeout
	}
	if opt.Logger == nil {
		opt.Logger = testLogger(t)
	}
	db, err := Open(context.Background(), url, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// testLogger shows the package's warnings with the test that caused them.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

func newProxy(t *testing.T, dbURL string) (*storetest.Proxy, string) {
	return storetest.NewProxy(t, dbURL)
}

func TestOpenRacingMigratesOnce(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	const replicas = 3
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	start := make(chan struct{})
	for i := range replicas {
		wg.Go(func() {
			<-start
			db, err := Open(context.Background(), u, Options{Logger: testLogger(t)})
			errs[i] = err
			if err == nil {
				db.Close()
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations embedded: %v", err)
	}
	db := openDB(t, u, Options{})
	var rows, distinct, top int64
	err = db.pool.QueryRow(context.Background(),
		`SELECT count(*), count(DISTINCT version_id), max(version_id) FROM goose_db_version WHERE version_id > 0`).
		Scan(&rows, &distinct, &top)
	if err != nil {
		t.Fatal(err)
	}
	if rows != int64(len(files)) || distinct != rows || top != int64(len(files)) {
		t.Errorf("goose_db_version: %d rows, %d distinct, max %d; want %d of each", rows, distinct, top, len(files))
	}
	// A table made by the migration exists once and is usable.
	if _, err := db.AddCounter(context.Background(), "c", 1); err != nil {
		t.Errorf("schema unusable after racing Opens: %v", err)
	}
}

func TestOpenErrorNamesHostNotPassword(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(closed)
	tests := []struct {
		name, url, want string
	}{
		{"unreachable", "postgres://minsheng:s3cretpw@" + closed + "/x?sslmode=disable", closed},
		{"unreachable keyword form", "host=127.0.0.1 port=" + port + " user=minsheng password=s3cretpw dbname=x sslmode=disable", closed},
		{"bad port", "postgres://minsheng:s3cretpw@127.0.0.1:notaport/x", "database URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			db, err := Open(context.Background(), tc.url, Options{Timeout: testTimeout})
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			if strings.Contains(msg, "s3cretpw") {
				t.Errorf("error shows the password: %s", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not name %q", msg, tc.want)
			}
			if d := time.Since(start); d > 2*testTimeout {
				t.Errorf("Open took %v, over its deadline", d)
			}
		})
	}
}

func TestPing(t *testing.T) {
	t.Parallel()
	p, u := newProxy(t, storetest.URL(t))
	db := openDB(t, u, Options{})
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	p.Stop()
	err := db.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), p.Addr()) {
		t.Errorf("Ping with PostgreSQL away = %v, want an error naming %s", err, p.Addr())
	}
}
