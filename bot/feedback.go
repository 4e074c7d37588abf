package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Feedback is a 👍/👎 on an answer.
type Feedback struct {
	// Channel is where it came from: "telegram", "web", "api".
	Channel string `json:"channel"`
	// User identifies the person within the channel; it is stored only as
	// a salted hash, so votes can be told apart but not traced back.
	User     string   `json:"user"`
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Helpful  bool     `json:"helpful"`
	Sources  []string `json:"sources,omitempty"`
	// Reason is why an answer did not help, the label of one of
	// DownvoteReasons; "" when none was given (and always for a 👍).
	Reason string `json:"reason,omitempty"`
	// Region, Shown and Route describe the answer voted on, for the
	// unanswered queue (Queue.RecordVote): the region it was about, the
	// passages it cited and its Answer.Route. The log keeps none of them.
	Region string  `json:"-"`
	Shown  []Shown `json:"-"`
	Route  string  `json:"-"`
}

// FeedbackLog appends feedback as JSON lines to a Journal, with question
// and answer masked and the user hashed.
type FeedbackLog struct {
	j    Journal
	salt string
	now  func() time.Time
}

// NewFeedbackLog writes to the file at path (created when needed). salt
// keys the user hash; keep it secret and stable to count repeat voters.
func NewFeedbackLog(path, salt string) *FeedbackLog {
	if path == "" {
		return &FeedbackLog{salt: salt, now: time.Now}
	}
	return NewFeedbackJournal(NewFileJournal(path), salt)
}

// NewFeedbackJournal writes to j, hashing voters with salt.
func NewFeedbackJournal(j Journal, salt string) *FeedbackLog {
	return &FeedbackLog{j: j, salt: salt, now: time.Now}
}

type feedbackRecord struct {
	Time     time.Time `json:"time"`
	Channel  string    `json:"channel"`
	UserHash string    `json:"user_hash"`
	Question string    `json:"question"`
	Answer   string    `json:"answer"`
	Helpful  bool      `json:"helpful"`
	Sources  []string  `json:"sources,omitempty"`
	Reason   string    `json:"reason,omitempty"`
}

// MaxFeedbackText bounds what one record keeps of a question or answer.
const MaxFeedbackText = 4000

// Record appends one feedback line.
func (l *FeedbackLog) Record(f Feedback) error {
	if l == nil || l.j == nil {
		return errors.New("feedback log is not configured")
	}
	h := sha256.Sum256([]byte(l.salt + "\x00" + f.Channel + "\x00" + f.User))
	rec := feedbackRecord{Time: l.now().UTC(), Channel: f.Channel, UserHash: hex.EncodeToString(h[:8]),
		Question: truncate(Mask(f.Question), MaxFeedbackText), Answer: truncate(Mask(f.Answer), MaxFeedbackText),
		Helpful: f.Helpful, Sources: f.Sources, Reason: f.Reason}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := l.j.Append(line); err != nil {
		return fmt.Errorf("feedback log: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// DownvoteReason is one answer to "what was wrong?" after a 👎: Code is
// what clients send (an API field, Telegram's callback data), Label what
// residents see and the logs keep.
type DownvoteReason struct {
	Code, Label string
}

// DownvoteReasons are offered after a 👎, in this order.
var DownvoteReasons = []DownvoteReason{
	{"outdated", MsgReasonOutdated},
	{"off_topic", MsgReasonOffTopic},
	{"wrong_citation", MsgReasonWrongCitation},
	{"other", MsgReasonOther},
}

// ParseDownvoteReason reads a reason given by its code or its label and
// returns its label; false when it is neither.
func ParseDownvoteReason(s string) (string, bool) {
	for _, r := range DownvoteReasons {
		if s == r.Code || s == r.Label {
			return r.Label, true
		}
	}
	return "", false
}

// Downvote is a 👎 as the log keeps it: question and answer masked, the
// voter hashed.
type Downvote struct {
	Time     time.Time `json:"time"`
	Channel  string    `json:"channel"`
	Question string    `json:"question"`
	Answer   string    `json:"answer"`
	Sources  []string  `json:"sources,omitempty"`
	Reason   string    `json:"reason,omitempty"`
}

// Downvotes returns the latest 👎 of the log, newest first, at most limit
// of them. A log not yet written has none; damaged lines are skipped.
func (l *FeedbackLog) Downvotes(limit int) ([]Downvote, error) {
	if l == nil || l.j == nil {
		return nil, errors.New("feedback log is not configured")
	}
	var all []Downvote
	err := l.j.Scan(func(line []byte) {
		var rec feedbackRecord
		if json.Unmarshal(line, &rec) != nil || rec.Helpful {
			return
		}
		all = append(all, Downvote{Time: rec.Time, Channel: rec.Channel, Question: rec.Question,
			Answer: rec.Answer, Sources: rec.Sources, Reason: rec.Reason})
		if len(all) > 2*limit+64 {
			// Only the newest limit are wanted: drop the oldest in bulk.
			all = append(all[:0], all[len(all)-limit:]...)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("read feedback log: %w", err)
	}
	var out []Downvote
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, all[i])
	}
	return out, nil
}
