package web

import (
	"encoding/json"
	"net/http"
	"sync"
)

// eventStream writes server-sent events. Headers go out with the first
// event, so an answer that fails before producing anything still gets a
// proper status code. Deltas arriving after finish (an Answerer's
// goroutine outliving AnswerStream) are dropped rather than written to a
// finished response.
type eventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	mu      sync.Mutex
	started bool
	done    bool
	failed  bool // the client went away; stop writing
}

func newEventStream(w http.ResponseWriter) *eventStream {
	return &eventStream{w: w, rc: http.NewResponseController(w)}
}

// delta sends an event unless the stream is finished.
func (s *eventStream) delta(event string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.write(event, v)
	}
}

// finish stops deltas; send still works, for the closing events.
func (s *eventStream) finish() {
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
}

// send sends an event; event "" writes a bare data line, as OpenAI streams do.
func (s *eventStream) send(event string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.write(event, v)
}

func (s *eventStream) sendRaw(data string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writeData("", []byte(data))
}

func (s *eventStream) write(event string, v any) {
	data, err := json.Marshal(v) // one line: Marshal never emits newlines
	if err != nil {
		return
	}
	s.writeData(event, data)
}

func (s *eventStream) writeData(event string, data []byte) {
	if s.failed {
		return
	}
	if !s.started {
		s.started = true
		h := s.w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		// nginx buffers responses by default, which would hold a stream back
		// until the answer is complete.
		h.Set("X-Accel-Buffering", "no")
		s.w.WriteHeader(http.StatusOK)
	}
	buf := make([]byte, 0, len(data)+len(event)+16)
	if event != "" {
		buf = append(buf, "event: "...)
		buf = append(buf, event...)
		buf = append(buf, '\n')
	}
	buf = append(buf, "data: "...)
	buf = append(buf, data...)
	buf = append(buf, "\n\n"...)
	if _, err := s.w.Write(buf); err != nil {
		s.failed = true
		return
	}
	if err := s.rc.Flush(); err != nil {
		s.failed = true
	}
}
