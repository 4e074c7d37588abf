package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The spool is a folder of segment files of JSON lines, one record each,
// fsynced before Append returns. A flush seals the segment being written,
// inserts each sealed segment's records (in batches, each batch one
// transaction, duplicates ignored by spool id) and only then deletes the
// segment. A crash at any point leaves either the segment, whose records
// a later flush inserts again harmlessly, or nothing.

// spoolRecord is one spooled journal line. Line is base64 in the file, so
// that any bytes survive, newlines included.
type spoolRecord struct {
	ID   string    `json:"id"`
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
	Line []byte    `json:"line"`
}

// newLineID gives each journal line the identity that makes storing it
// twice harmless: 128 random bits, so replicas need not coordinate.
func newLineID() string { return rand.Text() }

type segment struct {
	name  string
	size  int64
	lines int
}

type spool struct {
	dir string
	max int64
	log *slog.Logger

	flushMu sync.Mutex // one flush at a time

	mu     sync.Mutex
	segs   []*segment // oldest first; the last is cur's while cur != nil
	cur    *os.File
	next   uint64
	size   int64
	lines  int
	closed bool
}

var segmentName = regexp.MustCompile(`^[0-9]{20}\.spool$`)

// flushBatch bounds the lines inserted per transaction, so that a large
// spool drains in steps that each fit the statement deadline.
const flushBatch = 500

// spoolInterval is how often RunSpool retries: short enough that spooled
// feedback reaches the other replicas soon after PostgreSQL returns,
// long enough not to hammer a database that is still down.
const spoolInterval = 2 * time.Second

// openSpool reads what a previous run left, cutting a torn last line (a
// write that crashed before its fsync returned, so it was never
// acknowledged) so that the next line starts clean.
func openSpool(dir string, limit int64, log *slog.Logger) (*spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: spool: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("store: spool: %w", err)
	}
	s := &spool{dir: dir, max: limit, log: log, next: 1}
	for _, e := range entries { // ReadDir sorts by name, and names are zero-padded numbers
		if !e.Type().IsRegular() || !segmentName.MatchString(e.Name()) {
			continue
		}
		var n uint64
		fmt.Sscanf(e.Name(), "%d", &n)
		s.next = max(s.next, n+1)
		path := filepath.Join(dir, e.Name())
		recs, valid, damaged, err := readSegment(path)
		if err != nil {
			return nil, err
		}
		if fi, err := os.Stat(path); err == nil && fi.Size() > valid {
			log.Warn("store: spool: cutting a torn last line", "file", path, "bytes", fi.Size()-valid)
			if err := os.Truncate(path, valid); err != nil {
				return nil, fmt.Errorf("store: spool: %w", err)
			}
		}
		if damaged > 0 {
			log.Error("store: spool: damaged lines will be dropped at the next flush", "file", path, "lines", damaged)
		}
		if len(recs) == 0 && damaged == 0 {
			os.Remove(path)
			continue
		}
		s.segs = append(s.segs, &segment{name: e.Name(), size: valid, lines: len(recs)})
		s.size += valid
		s.lines += len(recs)
	}
	return s, nil
}

// readSegment returns a segment's records and the length of its complete
// lines. A last line without its newline is torn and left out; complete
// lines that do not parse are counted as damaged.
func readSegment(path string) (recs []spoolRecord, valid int64, damaged int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("store: spool: %w", err)
	}
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		var r spoolRecord
		if json.Unmarshal(data[off:off+i], &r) == nil && r.ID != "" && checkKind(r.Kind) == nil {
			recs = append(recs, r)
		} else {
			damaged++
		}
		off += i + 1
		valid = int64(off)
	}
	return recs, valid, damaged, nil
}

func (s *spool) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lines
}

// append writes r and fsyncs it; only then is the line acknowledged.
func (s *spool) append(r spoolRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: spool: %w", err)
	}
	b = append(b, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	if s.size+int64(len(b)) > s.max {
		return ErrSpoolFull
	}
	if s.cur == nil {
		name := fmt.Sprintf("%020d.spool", s.next)
		f, err := os.OpenFile(filepath.Join(s.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("store: spool: %w", err)
		}
		// The new name must survive a crash as well as the line in it.
		if err := syncDir(s.dir); err != nil {
			f.Close()
			os.Remove(f.Name())
			return fmt.Errorf("store: spool: %w", err)
		}
		s.next++
		s.cur = f
		s.segs = append(s.segs, &segment{name: name})
	}
	seg := s.segs[len(s.segs)-1]
	_, err = s.cur.Write(b)
	if err == nil {
		err = s.cur.Sync()
	}
	if err != nil {
		// Cut a partial write so that the next line is not glued to it.
		s.cur.Truncate(seg.size)
		return fmt.Errorf("store: spool: %w", err)
	}
	seg.size += int64(len(b))
	seg.lines++
	s.size += int64(len(b))
	s.lines++
	return nil
}

// flush hands every sealed segment's records to insert, oldest first, and
// deletes each segment once all its records are in.
func (s *spool) flush(ctx context.Context, insert func(context.Context, []spoolRecord) error) (int, error) {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	if s.cur != nil {
		// Seal it: lines appended during this flush go to a new segment,
		// after these.
		s.cur.Close()
		s.cur = nil
	}
	todo := slices.Clone(s.segs)
	s.mu.Unlock()

	moved := 0
	for _, seg := range todo {
		path := filepath.Join(s.dir, seg.name)
		recs, _, damaged, err := readSegment(path)
		if err != nil {
			return moved, err
		}
		for b := range slices.Chunk(recs, flushBatch) {
			if err := insert(ctx, b); err != nil {
				return moved, err
			}
			moved += len(b)
		}
		if damaged > 0 {
			s.log.Error("store: spool: dropped damaged lines", "file", path, "lines", damaged)
		}
		s.mu.Lock()
		err = os.Remove(path)
		if err == nil || errors.Is(err, os.ErrNotExist) {
			s.segs = slices.DeleteFunc(s.segs, func(x *segment) bool { return x == seg })
			s.size -= seg.size
			s.lines -= seg.lines
		}
		s.mu.Unlock()
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return moved, fmt.Errorf("store: spool: %w", err)
		}
	}
	if len(todo) > 0 {
		// Best effort: a deletion lost in a crash only means its lines are
		// offered again, and ignored.
		syncDir(s.dir)
	}
	return moved, nil
}

func (s *spool) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		s.cur.Close()
		s.cur = nil
	}
	s.closed = true
}

// FlushSpool moves the spooled lines into PostgreSQL, oldest first, and
// returns how many it handed over (lines already stored count too). Each
// spooled line carries a unique id and is
// inserted with ON CONFLICT DO NOTHING, so a flush repeated after a crash
// half-way stores no line twice. Without a spool it does nothing.
func (db *DB) FlushSpool(ctx context.Context) (int, error) {
	if db.spool == nil {
		return 0, nil
	}
	n, err := db.spool.flush(ctx, db.insertSpooled)
	if err != nil {
		return n, fmt.Errorf("store: flush spool: %w", err)
	}
	return n, nil
}

func (db *DB) insertSpooled(ctx context.Context, recs []spoolRecord) error {
	ctx, cancel := db.stmtCtx(ctx)
	defer cancel()
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, r := range recs {
			b.Queue(`INSERT INTO journal (kind, line, at, line_id) VALUES ($1, $2, $3, $4)
				ON CONFLICT (line_id) DO NOTHING`, r.Kind, r.Line, r.At, r.ID)
		}
		return tx.SendBatch(ctx, b).Close()
	})
}

// RunSpool flushes the spool every few seconds until ctx ends, logging
// when flushing starts failing and when it recovers, not at every try.
func (db *DB) RunSpool(ctx context.Context) {
	if db.spool == nil {
		return
	}
	t := time.NewTicker(spoolInterval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if db.SpoolLen() == 0 {
			continue
		}
		n, err := db.FlushSpool(ctx)
		switch {
		case err != nil && !failing && ctx.Err() == nil:
			failing = true
			db.log.Warn("store: spooled lines wait for PostgreSQL", "lines", db.SpoolLen(), "err", err)
		case err == nil:
			if failing || n > 0 {
				db.log.Info("store: spooled lines stored in PostgreSQL", "lines", n)
			}
			failing = false
		}
	}
}

// SpoolLen is the number of lines waiting in the spool, for metrics and
// /readyz.
func (db *DB) SpoolLen() int {
	if db.spool == nil {
		return 0
	}
	return db.spool.len()
}

// syncDir makes a folder's new or removed names durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
