package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// FilesChannel is the channel PushFiles notifies, with payload
// "<set>:<version>", so that every replica can pull the new files.
const FilesChannel = "minsheng_files"

// checkSet keeps set names usable in FilesChannel's payload.
func checkSet(set string) error {
	if set == "" || strings.Contains(set, ":") || !utf8.ValidString(set) {
		return fmt.Errorf("store: file set %q: want a non-empty UTF-8 name without ':'", set)
	}
	return nil
}

// isTemp reports names of files being written (ours are "<name>.tmp-*"),
// which are never part of a set or a snapshot.
func isTemp(name string) bool { return strings.Contains(name, ".tmp") }

// listFiles returns the regular files under dir as slash-separated paths
// relative to dir, sorted, without temporary files or symbolic links.
func listFiles(dir string) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	var out []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == dir {
			return nil
		}
		if isTemp(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !utf8.ValidString(rel) {
			return fmt.Errorf("file name %q is not UTF-8", rel)
		}
		out = append(out, rel)
		return nil
	})
	slices.Sort(out)
	return out, err
}

// localPath turns a stored slash path into a path under dir, refusing one
// that would land outside it.
func localPath(dir, rel string) (string, error) {
	p := filepath.FromSlash(rel)
	if !filepath.IsLocal(p) {
		return "", fmt.Errorf("path %q escapes the folder", rel)
	}
	return filepath.Join(dir, p), nil
}

// PushFiles makes the set hold exactly dir's regular files (recursively,
// by relative path; temporary files *.tmp* are skipped) in one
// transaction, bumps the set's version, and notifies FilesChannel with
// "<set>:<version>". The notification is sent at commit, so a replica
// that hears it always finds the new files.
func (db *DB) PushFiles(ctx context.Context, set, dir string) (version int64, err error) {
	if err := checkSet(set); err != nil {
		return 0, err
	}
	paths, err := listFiles(dir)
	if err != nil {
		return 0, fmt.Errorf("store: push %s: %w", set, err)
	}
	ctx, cancel := db.bulkCtx(ctx)
	defer cancel()
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The row lock taken here orders concurrent pushes of one set.
		err := tx.QueryRow(ctx, `INSERT INTO file_sets (name, version) VALUES ($1, 1)
			ON CONFLICT (name) DO UPDATE SET version = file_sets.version + 1, updated_at = now()
			RETURNING version`, set).Scan(&version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM files WHERE set_name = $1`, set); err != nil {
			return err
		}
		i := 0
		// Files are read one at a time as COPY asks for them, so memory
		// holds one file, not the library.
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"files"}, []string{"set_name", "path", "sha256", "data"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == len(paths) {
					return nil, nil
				}
				p := paths[i]
				i++
				data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
				if err != nil {
					return nil, err
				}
				sum := sha256.Sum256(data)
				return []any{set, p, sum[:], data}, nil
			}))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, FilesChannel, fmt.Sprintf("%s:%d", set, version))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: push %s: %w", set, err)
	}
	return version, nil
}

// PullFiles makes dir hold exactly the set's files: files that differ are
// written (temporary file, fsync, rename), files the set lacks are
// removed, identical files are left alone. It reads one consistent
// version, which it returns. A set never pushed returns 0 and leaves dir
// untouched, so a first replica keeps what it has until someone pushes.
// After an error dir may hold a mix of versions: pull again before use.
func (db *DB) PullFiles(ctx context.Context, set, dir string) (version int64, err error) {
	if err := checkSet(set); err != nil {
		return 0, err
	}
	ctx, cancel := db.bulkCtx(ctx)
	defer cancel()
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, fmt.Errorf("store: pull %s: %w", set, err)
	}
	defer tx.Rollback(ctx)
	version, err = pullFiles(ctx, tx, set, dir)
	if err != nil {
		return 0, fmt.Errorf("store: pull %s: %w", set, err)
	}
	return version, nil
}

func pullFiles(ctx context.Context, tx pgx.Tx, set, dir string) (int64, error) {
	var version int64
	err := tx.QueryRow(ctx, `SELECT version FROM file_sets WHERE name = $1`, set).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT path, sha256 FROM files WHERE set_name = $1`, set)
	if err != nil {
		return 0, err
	}
	want := map[string][]byte{}
	var p string
	var sum []byte
	if _, err := pgx.ForEachRow(rows, []any{&p, &sum}, func() error {
		if _, err := localPath(dir, p); err != nil {
			return err
		}
		want[p] = sum
		return nil
	}); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	// Stale files go first, so that a file the set now holds where a
	// folder of the same name used to be (or the reverse) can be written.
	if err := removeExcept(dir, want); err != nil {
		return 0, err
	}
	var need []string
	for p, sum := range want {
		local, _ := localPath(dir, p)
		data, err := os.ReadFile(local)
		if err == nil {
			got := sha256.Sum256(data)
			if bytes.Equal(got[:], sum) {
				continue
			}
		}
		need = append(need, p)
	}
	if len(need) == 0 {
		return version, nil
	}
	rows, err = tx.Query(ctx, `SELECT path, data FROM files WHERE set_name = $1 AND path = ANY($2)`, set, need)
	if err != nil {
		return 0, err
	}
	var data []byte
	if _, err := pgx.ForEachRow(rows, []any{&p, &data}, func() error {
		local, _ := localPath(dir, p)
		return writeFileAtomic(local, data)
	}); err != nil {
		return 0, err
	}
	return version, nil
}

// removeExcept removes the files under dir whose relative path is not in
// keep, then the folders left empty.
func removeExcept(dir string, keep map[string][]byte) error {
	var dirs []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == dir {
			return nil
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if _, ok := keep[filepath.ToSlash(rel)]; ok && d.Type().IsRegular() {
			return nil
		}
		return os.Remove(path)
	})
	if err != nil {
		return err
	}
	for _, d := range slices.Backward(dirs) {
		os.Remove(d) // fails, as it should, on folders still holding files
	}
	return nil
}

// writeFileAtomic replaces path by data so that a reader, or a crash,
// sees the old file or the new one, never a part.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	return syncDir(dir)
}

// FilesVersion returns the set's version, 0 when it was never pushed, so a
// replica can tell whether its cache is current without pulling.
func (db *DB) FilesVersion(ctx context.Context, set string) (int64, error) {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	var v int64
	err := db.pool.QueryRow(ctx, `SELECT version FROM file_sets WHERE name = $1`, set).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: version of %s: %w", set, err)
	}
	return v, nil
}
