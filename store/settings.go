package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Setting returns the value stored under key; ok is false when there is none.
func (db *DB) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	err = db.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: setting %q: %w", key, err)
	}
	return value, true, nil
}

// SetSetting stores value under key, replacing any earlier value (the
// LLM switch: the last operator's word holds).
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	_, err := db.pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, key, value)
	if err != nil {
		return fmt.Errorf("store: set setting %q: %w", key, err)
	}
	return nil
}

// SettingOrCreate returns the value under key, storing newValue()'s result
// first if there is none. When replicas race, the first commit wins and
// every caller gets that value (the feedback salt must be one for all, or
// the same resident would count as several). newValue is called only when no
// value was found, and its result may be discarded.
func (db *DB) SettingOrCreate(ctx context.Context, key string, newValue func() string) (string, error) {
	v, ok, err := db.Setting(ctx, key)
	if err != nil || ok {
		return v, err
	}
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	// On a conflict, INSERT waits for the other writer's transaction and
	// then does nothing, so the SELECT after it sees the winner's value.
	if _, err := db.pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO NOTHING`, key, newValue()); err != nil {
		return "", fmt.Errorf("store: create setting %q: %w", key, err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v); err != nil {
		return "", fmt.Errorf("store: create setting %q: %w", key, err)
	}
	return v, nil
}

// AddCounter adds n to the counter under key (created at 0) in one atomic
// statement and returns the new total, so replicas adding at once lose
// nothing (the daily token count).
func (db *DB) AddCounter(ctx context.Context, key string, n int64) (total int64, err error) {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	err = db.pool.QueryRow(ctx, `INSERT INTO counters (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = counters.value + EXCLUDED.value, updated_at = now()
		RETURNING value`, key, n).Scan(&total)
	if err != nil {
		return 0, fmt.Errorf("store: add to counter %q: %w", key, err)
	}
	return total, nil
}

// Counter returns the counter under key, 0 when it was never added to.
func (db *DB) Counter(ctx context.Context, key string) (int64, error) {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	var v int64
	err := db.pool.QueryRow(ctx, `SELECT value FROM counters WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: counter %q: %w", key, err)
	}
	return v, nil
}

// Counters returns every counter whose key starts with prefix, by key
// without the prefix.
func (db *DB) Counters(ctx context.Context, prefix string) (map[string]int64, error) {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	rows, err := db.pool.Query(ctx, `SELECT key, value FROM counters WHERE starts_with(key, $1)`, prefix)
	if err != nil {
		return nil, fmt.Errorf("store: counters %q: %w", prefix, err)
	}
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: counters %q: %w", prefix, err)
		}
		out[strings.TrimPrefix(k, prefix)] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: counters %q: %w", prefix, err)
	}
	return out, nil
}
