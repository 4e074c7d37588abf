package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrSpoolFull is returned by Append when PostgreSQL is unreachable and the
// local spool has reached Options.SpoolMaxBytes: the line was not stored,
// and the caller should answer 503 rather than claim it was.
var ErrSpoolFull = errors.New("store: PostgreSQL unreachable and the local spool is full")

// Journal is one append-only sequence of lines ("feedback", "queue",
// "audit"). Lines are stored verbatim (bytes, not parsed JSON), so a
// caller reads back exactly what it wrote.
type Journal struct {
	db   *DB
	kind string
}

// Journal returns the journal of the given kind. The kind is checked by
// each method, so that a typo fails loudly at the first write.
func (db *DB) Journal(kind string) *Journal {
	return &Journal{db: db, kind: kind}
}

// checkKind keeps kinds to short plain names: they are keys, and a stray
// space or an empty kind would hide lines from their readers.
func checkKind(kind string) error {
	if kind == "" || len(kind) > 64 {
		return fmt.Errorf("store: journal kind %q: want 1 to 64 characters", kind)
	}
	for _, r := range kind {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("store: journal kind %q: want only a-z, 0-9, '_' and '-'", kind)
		}
	}
	return nil
}

// Append stores line. It returns nil only once PostgreSQL has committed
// the line, or, when PostgreSQL fails and a spool is configured, once the
// line is fsynced to the spool (FlushSpool moves it later). While the
// spool holds lines, new lines join it rather than PostgreSQL, so that
// they reach the journal in the order they were acknowledged. With a full
// spool it returns ErrSpoolFull.
func (j *Journal) Append(line []byte) error {
	if err := checkKind(j.kind); err != nil {
		return err
	}
	db := j.db
	r := spoolRecord{ID: newLineID(), Kind: j.kind, At: time.Now(), Line: line}
	if db.spool == nil || db.spool.len() == 0 {
		err := j.insert(r)
		if err == nil || db.spool == nil {
			return err
		}
		db.log.Warn("store: journal write failed, spooling locally", "kind", j.kind, "err", err)
	}
	// The same id goes to the spool: if the failed insert did commit
	// (its answer was lost), the flush finds the line there and skips it.
	return db.spool.append(r)
}

func (j *Journal) insert(r spoolRecord) error {
	ctx, cancel := j.db.stmtCtx(context.Background())
	defer cancel()
	_, err := j.db.pool.Exec(ctx, `INSERT INTO journal (kind, line, at, line_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (line_id) DO NOTHING`, r.Kind, r.Line, r.At, r.ID)
	if err != nil {
		return fmt.Errorf("store: append to %s: %w", j.kind, err)
	}
	return nil
}

// Scan calls fn with each stored line, in the order PostgreSQL took them
// (spooled lines count from their flush). Lines still in the spool are not
// seen. fn runs while a pooled connection streams the rows, so it should
// not block for long; it may keep line.
func (j *Journal) Scan(fn func(line []byte)) error {
	if err := checkKind(j.kind); err != nil {
		return err
	}
	ctx, cancel := j.db.bulkCtx(context.Background())
	defer cancel()
	rows, err := j.db.pool.Query(ctx, `SELECT line FROM journal WHERE kind = $1 ORDER BY id`, j.kind)
	if err != nil {
		return fmt.Errorf("store: scan %s: %w", j.kind, err)
	}
	var line []byte
	_, err = pgx.ForEachRow(rows, []any{&line}, func() error {
		fn(line)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: scan %s: %w", j.kind, err)
	}
	return nil
}

// Prune deletes the lines for which keep returns false (for retention and
// compaction). Lines appended by any replica while it runs are kept: only
// lines keep was shown can be dropped.
func (j *Journal) Prune(keep func(line []byte) bool) (kept, dropped int, err error) {
	if err := checkKind(j.kind); err != nil {
		return 0, 0, err
	}
	ctx, cancel := j.db.bulkCtx(context.Background())
	defer cancel()
	rows, err := j.db.pool.Query(ctx, `SELECT id, line FROM journal WHERE kind = $1 ORDER BY id`, j.kind)
	if err != nil {
		return 0, 0, fmt.Errorf("store: prune %s: %w", j.kind, err)
	}
	var drop []int64
	var id int64
	var line []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &line}, func() error {
		if keep(line) {
			kept++
		} else {
			drop = append(drop, id)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: prune %s: %w", j.kind, err)
	}
	if len(drop) == 0 {
		return kept, 0, nil
	}
	tag, err := j.db.pool.Exec(ctx, `DELETE FROM journal WHERE id = ANY($1)`, drop)
	if err != nil {
		return 0, 0, fmt.Errorf("store: prune %s: %w", j.kind, err)
	}
	// Another replica's prune may have dropped some of the same lines.
	return kept, int(tag.RowsAffected()), nil
}
