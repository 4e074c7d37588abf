package store

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"
)

// keepSnapshots is how many snapshot keys PutSnapshot keeps: the newest,
// plus a couple that replicas still on an older library may be loading.
const keepSnapshots = 3

// snapshotChunk is the size of one stored piece of a snapshot: large
// enough that a 500 MB index is a few hundred rows, small enough that
// each side holds only one piece in memory.
const snapshotChunk = 4 << 20

// PutSnapshot stores dir's files (recursively, temporary files skipped)
// as a tar archive under key, replacing an earlier snapshot of that key,
// and deletes all but the newest few keys. It streams: memory holds one
// chunk, not the index.
func (db *DB) PutSnapshot(ctx context.Context, key, dir string) error {
	if key == "" {
		return errors.New("store: snapshot key is empty")
	}
	paths, err := listFiles(dir)
	if err != nil {
		return fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	ctx, cancel := db.bulkCtx(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	written := make(chan struct{})
	go func() {
		defer close(written)
		pw.CloseWithError(writeTar(pw, dir, paths))
	}()
	defer func() {
		pr.Close() // stops the writer if the transaction failed first
		<-written  // and lets it close its file before we return
	}()
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The upsert locks the key's row, ordering two replicas that put
		// the same key.
		if _, err := tx.Exec(ctx, `INSERT INTO snapshots (key) VALUES ($1)
			ON CONFLICT (key) DO UPDATE SET bytes = 0, created_at = clock_timestamp()`, key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM snapshot_chunks WHERE key = $1`, key); err != nil {
			return err
		}
		buf := make([]byte, snapshotChunk)
		var total int64
		for seq := 0; ; seq++ {
			n, rerr := io.ReadFull(pr, buf)
			if n > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO snapshot_chunks (key, seq, data) VALUES ($1, $2, $3)`,
					key, seq, buf[:n]); err != nil {
					return err
				}
				total += int64(n)
			}
			if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
				break
			}
			if rerr != nil {
				return rerr
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE snapshots SET bytes = $2 WHERE key = $1`, key, total); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM snapshots WHERE key NOT IN
			(SELECT key FROM snapshots ORDER BY created_at DESC, key LIMIT $1)`, keepSnapshots)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	return nil
}

func writeTar(w io.Writer, dir string, paths []string) error {
	tw := tar.NewWriter(w)
	for _, p := range paths {
		if err := addToTar(tw, dir, p); err != nil {
			return err
		}
	}
	return tw.Close()
}

func addToTar(tw *tar.Writer, dir, rel string) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	h := &tar.Header{Typeflag: tar.TypeReg, Name: rel, Size: fi.Size(), Mode: 0o644, ModTime: fi.ModTime()}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	// A file that grew since Stat would overflow its header: copy only
	// what the header announced.
	_, err = io.CopyN(tw, f, fi.Size())
	return err
}

// GetSnapshot replaces dir by the snapshot stored under key and reports
// whether there was one. It extracts into a temporary folder beside dir
// and renames it into place, so dir is never half written; an archive
// entry that is not a plain file or folder, or whose path would leave
// dir, fails the whole extraction and leaves dir as it was.
func (db *DB) GetSnapshot(ctx context.Context, key, dir string) (bool, error) {
	ctx, cancel := db.bulkCtx(ctx)
	defer cancel()
	rows, err := db.pool.Query(ctx, `SELECT data FROM snapshot_chunks WHERE key = $1 ORDER BY seq`, key)
	if err != nil {
		return false, fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	defer rows.Close()
	r := &rowsReader{rows: rows}
	if !r.more() {
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("store: snapshot %s: %w", key, err)
		}
		return false, nil
	}
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return false, fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-*")
	if err != nil {
		return false, fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	if err := extractTar(r, tmp); err != nil {
		os.RemoveAll(tmp)
		return false, fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return false, fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	if err := replaceDir(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return false, fmt.Errorf("store: snapshot %s: %w", key, err)
	}
	return true, nil
}

// rowsReader reads the chunks of a snapshot as one stream.
type rowsReader struct {
	rows pgx.Rows
	buf  []byte
}

// more loads the next non-empty chunk; false at the end or on error.
func (r *rowsReader) more() bool {
	for len(r.buf) == 0 {
		if !r.rows.Next() {
			return false
		}
		if err := r.rows.Scan(&r.buf); err != nil {
			return false
		}
	}
	return true
}

func (r *rowsReader) Read(p []byte) (int, error) {
	if !r.more() {
		if err := r.rows.Err(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func extractTar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		path, err := localPath(dir, h.Name)
		if err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(path, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := extractFile(tr, path); err != nil {
				return err
			}
		default:
			// Links could point outside dir; an index holds none.
			return fmt.Errorf("entry %q is not a plain file or folder", h.Name)
		}
	}
}

func extractFile(r io.Reader, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// replaceDir puts the folder tmp at dir. When dir exists it is moved
// aside first and removed after; between the two renames dir is briefly
// absent, which a reader opening it sees as "no index yet".
func replaceDir(tmp, dir string) error {
	parent := filepath.Dir(dir)
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		o, err := os.MkdirTemp(parent, filepath.Base(dir)+".old-*")
		if err != nil {
			return err
		}
		old = filepath.Join(o, "x")
		if err := os.Rename(dir, old); err != nil {
			os.Remove(o)
			return err
		}
		defer os.RemoveAll(o)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return err
	}
	return syncDir(parent)
}
