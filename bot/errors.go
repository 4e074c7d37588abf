package bot

import (
	"errors"
	"fmt"
)

// Kind sorts errors into the few cases a channel answers differently.
type Kind int

const (
	// KindInternal is anything unexpected; the person gets a generic apology.
	KindInternal Kind = iota
	// KindBadInput means the question itself cannot be used; the message
	// says why, in words meant for the person who asked.
	KindBadInput
	// KindUnavailable means a dependency (index, LLM) is not there now.
	KindUnavailable
)

// Error carries a kind and a message fit to show to the person who asked.
type Error struct {
	Kind Kind
	// Message is in Chinese, for the person asking.
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

func badInput(msg string) error { return &Error{Kind: KindBadInput, Message: msg} }

// KindOf returns the kind of err (KindInternal when it has none).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Reply is the canned reply for err, fit to send to a resident.
func Reply(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != KindInternal {
		return e.Message
	}
	return MsgInternal
}
