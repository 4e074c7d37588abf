package bot

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Journal keeps a log of JSON lines: the feedback log, the unanswered
// queue and the staff's audit log. One replica keeps them in files of the
// data folder (FileJournal); several share them in PostgreSQL, behind the
// same three calls.
type Journal interface {
	// Append stores one line; nil means it is stored durably (a file
	// synced, a transaction committed, or a spool synced while the
	// database is away). An error of KindUnavailable means it was not
	// stored and may be tried again later.
	Append(line []byte) error
	// Scan calls fn with each line, in the order they were appended.
	Scan(fn func(line []byte)) error
	// Prune drops the lines keep refuses.
	Prune(keep func(line []byte) bool) (kept, dropped int, err error)
}

// maxJournalLine bounds a line read back from a file; a longer one was
// not written by this program and is handed over cut, for the reader to
// refuse as damaged.
const maxJournalLine = 1 << 20

// FileJournal is a Journal in one file, each line appended and synced
// before Append returns. A lock file beside it lets several processes on
// one data folder (serve, an operator's CLI) take turns; Prune rewrites
// the file whole (temporary file, fsync, rename).
type FileJournal struct {
	path string
	mu   sync.Mutex // orders this process's writers; the lock file the others
}

// NewFileJournal keeps the journal at path; its folder is made at the
// first write.
func NewFileJournal(path string) *FileJournal { return &FileJournal{path: path} }

// Path is the journal's file.
func (j *FileJournal) Path() string { return j.path }

func (j *FileJournal) lock() (func(), error) {
	j.mu.Lock()
	if err := os.MkdirAll(filepath.Dir(j.path), 0o755); err != nil {
		j.mu.Unlock()
		return nil, err
	}
	unlock, err := lockFile(j.path + ".lock")
	if err != nil {
		j.mu.Unlock()
		return nil, err
	}
	return func() { unlock(); j.mu.Unlock() }, nil
}

// Append implements Journal.
func (j *FileJournal) Append(line []byte) error {
	unlock, err := j.lock()
	if err != nil {
		return fmt.Errorf("lock %s: %w", filepath.Base(j.path), err)
	}
	defer unlock()
	if err := appendLine(j.path, line); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(j.path), err)
	}
	return nil
}

// Scan implements Journal. A missing file holds nothing.
func (j *FileJournal) Scan(fn func(line []byte)) error {
	f, err := os.Open(j.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", filepath.Base(j.path), err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			line = bytes.TrimRight(line, "\r\n")
			if len(bytes.TrimSpace(line)) > 0 {
				if len(line) > maxJournalLine {
					line = line[:maxJournalLine]
				}
				fn(line)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", filepath.Base(j.path), err)
		}
	}
}

// Prune implements Journal, rewriting the file only when something is
// dropped.
func (j *FileJournal) Prune(keep func(line []byte) bool) (kept, dropped int, err error) {
	unlock, err := j.lock()
	if err != nil {
		return 0, 0, fmt.Errorf("lock %s: %w", filepath.Base(j.path), err)
	}
	defer unlock()
	var buf bytes.Buffer
	err = j.Scan(func(line []byte) {
		if keep(line) {
			kept++
			buf.Write(line)
			buf.WriteByte('\n')
			return
		}
		dropped++
	})
	if err != nil || dropped == 0 {
		return kept, dropped, err
	}
	if err := writeFileAtomic(j.path, buf.Bytes()); err != nil {
		return kept, dropped, fmt.Errorf("rewrite %s: %w", filepath.Base(j.path), err)
	}
	return kept, dropped, nil
}
