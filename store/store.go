// Package store keeps in PostgreSQL what several Minsheng replicas must
// share: append-only journals (feedback, the unanswered queue, the audit
// log), settings and counters, mirrored folders (the library, curated
// answers), index snapshots, and notifications and locks between replicas.
//
// PostgreSQL is the source of truth; folders on disk are caches of it. A
// journal line is acknowledged only once PostgreSQL committed it, or once
// it was fsynced to a bounded local spool while PostgreSQL is away, so
// that a replica keeps taking feedback through a database outage without
// ever claiming to have stored what it has not.
//
// The package knows nothing of the bot's types: callers hand it bytes and
// folders, and adapters in cmd/ translate.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure Open. The zero value is usable: no spool, default
// deadlines, the default logger.
type Options struct {
	// SpoolDir is a local folder that takes journal lines while
	// PostgreSQL is unreachable; "" disables the spool, and Append then
	// fails when PostgreSQL does. It must belong to this process alone:
	// two processes flushing one spool would fight over its files.
	SpoolDir string
	// SpoolMaxBytes bounds the spool so that a long outage fills a known
	// amount of disk, after which Append answers ErrSpoolFull (the caller
	// answers 503). Zero means DefaultSpoolMaxBytes.
	SpoolMaxBytes int64
	// Timeout is the deadline of each ordinary statement and of
	// connecting, so that a database that stops answering costs a request
	// seconds, not forever. Zero means DefaultTimeout.
	Timeout time.Duration
	// BulkTimeout is the deadline of whole transfers (a journal scan, a
	// folder push or pull, a snapshot), which move far more than one row.
	// Zero means DefaultBulkTimeout.
	BulkTimeout time.Duration
	// Logger receives the spool's and the listeners' warnings; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Defaults of Options.
const (
	DefaultTimeout       = 5 * time.Second
	DefaultBulkTimeout   = 2 * time.Minute
	DefaultSpoolMaxBytes = 64 << 20
)

// migrateTimeout bounds Open's migrations, including the wait for another
// replica that holds the migration lock: long enough for any migration
// this package ships, short enough that a stuck start is reported.
const migrateTimeout = 2 * time.Minute

// DB is a connection pool to the shared database, plus the local spool.
// Its methods are safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
	opt  Options
	log  *slog.Logger
	host string // host:port for messages, never the password

	spool *spool // nil without Options.SpoolDir

	mu     sync.Mutex
	held   map[*heldLock]struct{} // closed by Close, so that a closed DB holds nothing
	closed bool
}

// Open connects to the database at url (a postgres:// URL or a
// keyword=value string, as pgx accepts), checks it answers, and applies
// the embedded migrations. Replicas starting together are serialised by
// goose's PostgreSQL session lock, so each migration runs once. An
// unreachable server gives an error naming its host, never the password.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.BulkTimeout <= 0 {
		opt.BulkTimeout = DefaultBulkTimeout
	}
	if opt.SpoolMaxBytes <= 0 {
		opt.SpoolMaxBytes = DefaultSpoolMaxBytes
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx redacts the password from its parse errors.
		return nil, fmt.Errorf("store: database URL: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > opt.Timeout {
		cfg.ConnConfig.ConnectTimeout = opt.Timeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		// Lets an operator tell Minsheng's sessions apart in pg_stat_activity.
		cfg.ConnConfig.RuntimeParams["application_name"] = "minsheng"
	}
	db := &DB{
		opt:  opt,
		log:  opt.Logger,
		host: net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port))),
		held: map[*heldLock]struct{}{},
	}
	db.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL at %s: %w", db.host, err)
	}
	pctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	err = db.pool.Ping(pctx)
	cancel()
	if err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("store: PostgreSQL at %s is unreachable or refused the connection: %w", db.host, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("store: migrations on %s: %w", db.host, err)
	}
	if opt.SpoolDir != "" {
		db.spool, err = openSpool(opt.SpoolDir, opt.SpoolMaxBytes, db.log)
		if err != nil {
			db.pool.Close()
			return nil, err
		}
	}
	return db, nil
}

// migrate applies the embedded migrations under goose's session advisory
// lock. goose checks for the lock every second (its floor), so a replica
// that starts while another migrates waits about a second, not five.
func (db *DB) migrate(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, migrateTimeout)
	defer cancel()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, uint64(migrateTimeout/time.Second)))
	if err != nil {
		return err
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close() // does not close the pool
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithSessionLocker(locker),
		// Only this package's SQL files: a Go migration registered
		// globally by some other import must not run here.
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return err
	}
	defer p.Close()
	_, err = p.Up(ctx)
	return err
}

// Close releases the held locks and the pool. Spooled lines stay on disk
// for the next Open to flush.
func (db *DB) Close() {
	db.mu.Lock()
	db.closed = true
	held := make([]*heldLock, 0, len(db.held))
	for h := range db.held {
		held = append(held, h)
	}
	db.mu.Unlock()
	for _, h := range held {
		h.unlock()
	}
	db.pool.Close()
	if db.spool != nil {
		db.spool.close()
	}
}

// Ping checks that PostgreSQL answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("store: PostgreSQL at %s: %w", db.host, err)
	}
	return nil
}

// stmtCtx bounds one ordinary statement.
func (db *DB) stmtCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, db.opt.Timeout)
}

// bulkCtx bounds one transfer of many rows or bytes.
func (db *DB) bulkCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, db.opt.BulkTimeout)
}

// connect opens a connection outside the pool, for what must own a
// session (LISTEN, advisory locks) without starving the pool.
func (db *DB) connect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	c, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL at %s: %w", db.host, err)
	}
	return c, nil
}

// errClosed is returned by methods that would start a session on a closed DB.
var errClosed = errors.New("store: database closed")
