package bot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Queue keeps what residents could not get answered, for the staff who
// write curated answers: abstentions ("none"), "closest" answers and
// answers marked 👎, each with the masked question, the region, the
// passages shown and, for a 👎, the reason chosen. Messages that took
// another route (a crisis reply, a greeting) never enter it, nor does any
// question with crisis wording, nor refusals to look up someone's
// records: those are not gaps in the documents.
//
// Its entries are JSON lines of a Journal: a file of the data folder by
// default (OpenQueue), PostgreSQL when replicas share it (NewQueue).
// Entries older than the retention are never listed, and are dropped by
// Compact, which serve runs when it starts and daily after (and `minsheng
// unanswered` when it runs).
type Queue struct {
	j         Journal
	path      string // the file, when the journal is one
	retention time.Duration
	now       func() time.Time
}

// DefaultQueueRetention is how long queue entries are kept: half a year
// covers a policy's yearly cycle of questions (heating in winter, school
// places in summer) without keeping residents' words for longer than the
// staff need them.
const DefaultQueueRetention = 180 * 24 * time.Hour

// Decisions of a queue entry.
const (
	QueueNone     = ConfidenceNone    // the bot abstained
	QueueClosest  = ConfidenceClosest // it gave the closest it had
	QueueDownvote = "downvote"        // a resident marked the answer 👎
)

// QueueEntry is one question the bot could not answer well.
type QueueEntry struct {
	Time time.Time `json:"time"`
	// Channel is where a 👎 came from ("web", "telegram"); "" for entries
	// the answerer made, which do not know their channel.
	Channel  string `json:"channel,omitempty"`
	Question string `json:"question"` // masked
	// Region is the answer's region (as Answer.Region), or the one the
	// resident chose when the question named none.
	Region   string  `json:"region,omitempty"`
	Passages []Shown `json:"passages,omitempty"`
	Decision string  `json:"decision"`
	// Reason is the label of the DownvoteReason chosen with a 👎, "" when
	// none was given.
	Reason string `json:"reason,omitempty"`
}

// Shown is a passage an answer showed: its document and section.
type Shown struct {
	Source  string `json:"source"`
	Section string `json:"section,omitempty"`
}

// maxQueuePassages bounds the passages kept per entry: an answer cites a
// few, and an abstention's leading hits say where retrieval looked; the
// tenth hit says nothing more.
const maxQueuePassages = 5

// maxQueueLine bounds a line read back; a longer one (not written by
// Record, whose text is bounded) is skipped as damaged.
const maxQueueLine = 1 << 20

// OpenQueue opens the queue kept in the file at path (its folder created
// when needed), keeping entries for retention (DefaultQueueRetention when
// not positive).
func OpenQueue(path string, retention time.Duration) (*Queue, error) {
	return openQueue(path, retention, time.Now)
}

func openQueue(path string, retention time.Duration, now func() time.Time) (*Queue, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("unanswered queue: %w", err)
	}
	q := NewQueue(NewFileJournal(path), retention)
	q.path, q.now = path, now
	return q, nil
}

// NewQueue keeps the queue in j.
func NewQueue(j Journal, retention time.Duration) *Queue {
	if retention <= 0 {
		retention = DefaultQueueRetention
	}
	return &Queue{j: j, retention: retention, now: time.Now}
}

// Path is the queue's file; "" when it is not kept in a file.
func (q *Queue) Path() string { return q.path }

// Retention is how long entries are kept.
func (q *Queue) Retention() time.Duration { return q.retention }

// Unanswered reports whether an answer belongs in the queue: an
// abstention or a "closest" answer from the documents. A routed message
// (Answer.Route set: a crisis reply, a greeting) never does.
func Unanswered(ans Answer) bool {
	return ans.Route == "" && (ans.Confidence == ConfidenceNone || ans.Confidence == ConfidenceClosest)
}

// RecordAnswer puts an abstention or a "closest" answer in the queue;
// other answers are left out (see Unanswered).
func (q *Queue) RecordAnswer(req Request, ans Answer) error {
	if !Unanswered(ans) {
		return nil
	}
	question := ans.Question
	if question == "" {
		question = req.Question
	}
	region := ans.Region
	if region == "" {
		region = req.Region
	}
	var shown []Shown
	for _, c := range ans.Citations {
		shown = append(shown, Shown{Source: c.Source, Section: c.Section})
	}
	if len(shown) == 0 {
		// An abstention cites nothing; its best hits say where the search
		// looked, which tells staff whether a document is missing or
		// was missed.
		for _, p := range ans.Passages {
			shown = append(shown, Shown{Source: p.Source, Section: p.Section})
		}
	}
	return q.Record(QueueEntry{Question: question, Region: region, Passages: shown, Decision: ans.Confidence})
}

// RecordVote puts a 👎 in the queue, with its reason; a 👍, and a 👎 on a
// routed answer, are left out.
func (q *Queue) RecordVote(f Feedback) error {
	if f.Helpful || f.Route != "" {
		return nil
	}
	shown := f.Shown
	if len(shown) == 0 {
		for _, s := range f.Sources {
			shown = append(shown, Shown{Source: s})
		}
	}
	return q.Record(QueueEntry{Channel: f.Channel, Question: f.Question, Region: f.Region, Passages: shown,
		Decision: QueueDownvote, Reason: f.Reason})
}

// Record appends one entry, masked and bounded, stamped now when it has
// no time, and syncs it to disk. A question with crisis wording is never
// kept, whatever a client said of its route.
func (q *Queue) Record(e QueueEntry) error {
	if isCrisis(e.Question) {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = q.now()
	}
	e.Time = e.Time.UTC()
	e.Question = truncate(Mask(e.Question), MaxFeedbackText)
	e.Region = truncate(Mask(e.Region), maxEntryFieldRunes)
	e.Passages = dedupShown(e.Passages)
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := q.j.Append(line); err != nil {
		return fmt.Errorf("unanswered queue: %w", err)
	}
	return nil
}

// maxEntryFieldRunes bounds a source, section or region kept in an entry.
const maxEntryFieldRunes = 200

func dedupShown(in []Shown) []Shown {
	var out []Shown
	seen := map[Shown]bool{}
	for _, s := range in {
		s.Source, s.Section = truncate(s.Source, maxEntryFieldRunes), truncate(s.Section, maxEntryFieldRunes)
		if s.Source == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		if len(out) == maxQueuePassages {
			break
		}
	}
	return out
}

// appendLine appends line and a newline to path and syncs the file. A
// file whose last line was cut short (a crash mid-write) first gets the
// newline it lacks, so the damage stays on that one line.
func appendLine(path string, line []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, len(line)+2)
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			buf = append(buf, '\n')
		}
	}
	buf = append(append(buf, line...), '\n')
	_, err = f.Write(buf)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// CompactResult says what a compaction dropped.
type CompactResult struct {
	Kept, Expired, Damaged int
}

// Compact drops the entries older than the retention, and lines that
// cannot be read (a line cut short by a crash), rewriting the file only
// when something was dropped.
func (q *Queue) Compact() (CompactResult, error) {
	cutoff := q.now().Add(-q.retention)
	var res CompactResult
	_, _, err := q.j.Prune(func(line []byte) bool {
		e := parseQueueLine(line)
		switch {
		case e == nil:
			res.Damaged++
		case e.Time.Before(cutoff):
			res.Expired++
		default:
			res.Kept++
			return true
		}
		return false
	})
	if err != nil {
		return res, fmt.Errorf("compact unanswered queue: %w", err)
	}
	return res, nil
}

// Entries returns the entries kept from since on (and within the
// retention), oldest first as they were recorded.
func (q *Queue) Entries(since time.Time) ([]QueueEntry, error) {
	if cutoff := q.now().Add(-q.retention); since.Before(cutoff) {
		since = cutoff
	}
	var out []QueueEntry
	err := q.scan(func(_ []byte, e *QueueEntry) {
		if e != nil && !e.Time.Before(since) {
			out = append(out, *e)
		}
	})
	return out, err
}

// scan calls fn for each line of the queue, with the entry it holds or
// nil for a line that cannot be read.
func (q *Queue) scan(fn func(line []byte, e *QueueEntry)) error {
	if err := q.j.Scan(func(line []byte) { fn(line, parseQueueLine(line)) }); err != nil {
		return fmt.Errorf("unanswered queue: %w", err)
	}
	return nil
}

// parseQueueLine reads one entry; nil for a damaged line.
func parseQueueLine(line []byte) *QueueEntry {
	var e QueueEntry
	if len(line) > maxQueueLine || json.Unmarshal(line, &e) != nil || e.Time.IsZero() || e.Decision == "" {
		return nil
	}
	return &e
}

// writeFileAtomic replaces path with data so that a reader, or the next
// start after a crash, sees the old content or the new and never a part.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
