package web

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

type askRequest struct {
	ID           string `json:"id"`
	Question     string `json:"question"`
	Region       string `json:"region"`
	Conversation string `json:"conversation"`
}

// Bounds on the identifiers a client sends; the question has its own
// (bot.MaxQuestionRunes).
const (
	maxIDLen     = 128
	maxRegionLen = 64
)

// ask answers one question, as JSON or, when the client accepts
// text/event-stream, as server-sent events: "delta" events while the
// answer is produced, then "answer" with the final Answer (which replaces
// the deltas), then "done".
func (s *Server) ask(w http.ResponseWriter, r *http.Request) {
	var in askRequest
	if e := s.readJSON(w, r, &in, true); e != nil {
		jsonError(w, e.status, e.msg)
		return
	}
	if msg := checkFields(in.ID, in.Region, in.Conversation); msg != "" {
		jsonError(w, http.StatusBadRequest, msg)
		return
	}
	// Checked before readiness: a resident who sent nothing learns that,
	// not that the server is starting.
	if _, err := bot.CleanQuestion(in.Question); err != nil {
		s.obs.Observe(ChannelWeb, bot.Answer{}, err)
		jsonError(w, http.StatusBadRequest, bot.Reply(err))
		return
	}
	a := s.current()
	if a == nil {
		s.unavailable(w, jsonError)
		return
	}
	req := bot.Request{ID: in.ID, Question: in.Question, Region: in.Region, Conversation: in.Conversation}
	if req.ID == "" {
		req.ID = reqID(r)
	}
	if req.Region == "" {
		req.Region = s.opt.Region
	}
	if err := s.acquire(r.Context()); err != nil {
		s.obs.Observe(ChannelWeb, bot.Answer{}, err)
		failAnswer(w, jsonError, err)
		return
	}
	defer s.release()
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.AnswerTimeout)
	defer cancel()

	if !acceptsEventStream(r) {
		ans, err := a.AnswerStream(ctx, req, nil)
		s.obs.Observe(ChannelWeb, ans, err)
		if err != nil {
			s.logAnswerError(r, ChannelWeb, err)
			failAnswer(w, jsonError, err)
			return
		}
		s.logAnswer(r, ChannelWeb, ans)
		writeJSON(w, http.StatusOK, ans)
		return
	}

	st := newEventStream(w)
	ans, err := a.AnswerStream(ctx, req, func(piece string) {
		if piece != "" {
			st.delta("delta", deltaEvent{Text: piece})
		}
	})
	st.finish()
	s.obs.Observe(ChannelWeb, ans, err)
	if err != nil {
		s.logAnswerError(r, ChannelWeb, err)
		if !st.started {
			// Nothing was sent yet, so the client still gets a real status.
			failAnswer(w, jsonError, err)
			return
		}
		_, msg := answerStatus(err)
		st.send("error", errorBody{msg})
		return
	}
	s.logAnswer(r, ChannelWeb, ans)
	st.send("answer", ans)
	st.send("done", struct{}{})
}

type deltaEvent struct {
	Text string `json:"text"`
}

func acceptsEventStream(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		if strings.Contains(v, "text/event-stream") {
			return true
		}
	}
	return false
}

func checkFields(id, region, conversation string) string {
	switch {
	case len(id) > maxIDLen || !utf8.ValidString(id):
		return "id 太长或不是有效文本。"
	case utf8.RuneCountInString(region) > maxRegionLen || !utf8.ValidString(region):
		return "地区名称太长或不是有效文本。"
	case len(conversation) > maxIDLen || !utf8.ValidString(conversation):
		return "conversation 太长或不是有效文本。"
	}
	return ""
}

type feedbackRequest struct {
	Question     string   `json:"question"`
	Answer       string   `json:"answer"`
	Helpful      *bool    `json:"helpful"`
	Sources      []string `json:"sources"`
	Conversation string   `json:"conversation"`
	// Reason, with a 👎, is what was wrong: a code or label of
	// bot.DownvoteReasons.
	Reason string `json:"reason"`
	// Region, Passages and Route describe the answer, as the answer's
	// JSON had them (region, citations' source and section, route), for
	// the unanswered queue.
	Region   string         `json:"region"`
	Passages []shownPassage `json:"passages"`
	Route    string         `json:"route"`
}

type shownPassage struct {
	Source  string `json:"source"`
	Section string `json:"section"`
}

// Feedback is appended to a file on disk, so what one vote may write and
// how often a client may vote are bounded: a vote is a question, an answer
// and the documents it cited, a few KiB at most, and a person votes at
// most once per answer.
// How often one client may vote: VoteBurst at once, then one every
// VoteInterval.
const (
	VoteBurst    = 10
	VoteInterval = 3 * time.Second
)

const (
	maxFeedbackBody    = 16 << 10
	maxSources         = 10
	maxFeedbackClients = 10_000
	// maxSectionRunes bounds a section name a vote names; real ones are
	// a heading of a line.
	maxSectionRunes = 200
	maxRouteLen     = 32
)

// feedback records a 👍/👎. The user is the conversation when the client
// has one, else the remote address; the log stores only a salted hash.
// Sources must name documents of the catalog, so the log holds nothing a
// client made up there.
func (s *Server) feedback(w http.ResponseWriter, r *http.Request) {
	// Checked before the body is read: refusing is then almost free.
	if ok, wait := s.votes.Allow(remoteHost(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		jsonError(w, http.StatusTooManyRequests, "反馈太频繁了,请稍后再试。")
		return
	}
	var in feedbackRequest
	if e := readJSONLimit(w, r, &in, true, maxFeedbackBody); e != nil {
		jsonError(w, e.status, e.msg)
		return
	}
	switch {
	case in.Helpful == nil:
		jsonError(w, http.StatusBadRequest, `缺少字段 "helpful"(true 表示有帮助,false 表示没帮助)。`)
		return
	case strings.TrimSpace(in.Question) == "":
		jsonError(w, http.StatusBadRequest, `缺少字段 "question"。`)
		return
	case len(in.Sources) > maxSources || len(in.Passages) > maxSources:
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("来源太多了(最多 %d 个)。", maxSources))
		return
	}
	reason, msg := checkReason(in.Reason, *in.Helpful)
	if msg == "" {
		msg = checkFields("", in.Region, in.Conversation)
	}
	if msg == "" && (len(in.Route) > maxRouteLen || !printableASCII(in.Route)) {
		msg = `"route" 不是有效的值。`
	}
	for _, p := range in.Passages {
		if msg == "" && (utf8.RuneCountInString(p.Section) > maxSectionRunes || !utf8.ValidString(p.Section)) {
			msg = "章节名称太长或不是有效文本。"
		}
	}
	if msg != "" {
		jsonError(w, http.StatusBadRequest, msg)
		return
	}
	if s.opt.Feedback == nil {
		jsonError(w, http.StatusServiceUnavailable, "反馈功能没有开启。")
		return
	}
	a := s.current()
	if a == nil {
		s.unavailable(w, jsonError)
		return
	}
	cited := append([]string(nil), in.Sources...)
	for _, p := range in.Passages {
		cited = append(cited, p.Source)
	}
	sources, ok := catalogSources(a, cited)
	if !ok {
		jsonError(w, http.StatusBadRequest, `"sources" 或 "passages" 里有不是收录文件的来源(应为 /v1/documents 列出的 source)。`)
		return
	}
	user := in.Conversation
	if user == "" {
		user = remoteHost(r)
	}
	var shown []bot.Shown
	for _, p := range in.Passages {
		shown = append(shown, bot.Shown{Source: p.Source, Section: p.Section})
	}
	fb := bot.Feedback{Channel: ChannelWeb, User: user, Question: in.Question, Answer: in.Answer,
		Helpful: *in.Helpful, Sources: sources, Reason: reason, Region: in.Region, Shown: shown, Route: in.Route}
	if err := s.opt.Feedback.Record(fb); err != nil {
		s.log.Error("feedback not recorded", "request_id", reqID(r), "error", bot.Mask(err.Error()))
		code := http.StatusInternalServerError
		if bot.KindOf(err) == bot.KindUnavailable {
			// Not stored, and the store says so (its spool is full): the
			// client may try again later.
			code = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "30")
		}
		jsonError(w, code, bot.MsgFeedbackNotSaved)
		return
	}
	if s.opt.Queue != nil {
		// The vote is in the feedback log; a queue that fails is logged,
		// not answered with an error the page would retry into a second
		// vote.
		if err := s.opt.Queue.RecordVote(fb); err != nil {
			s.log.Error("vote not queued", "request_id", reqID(r), "error", bot.Mask(err.Error()))
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkReason reads the reason of a vote: its label, or a message for a
// reason that is none of bot.DownvoteReasons or comes with a 👍.
func checkReason(in string, helpful bool) (label, msg string) {
	if in == "" {
		return "", ""
	}
	label, ok := bot.ParseDownvoteReason(in)
	if !ok {
		var labels, codes []string
		for _, r := range bot.DownvoteReasons {
			labels, codes = append(labels, r.Label), append(codes, r.Code)
		}
		return "", fmt.Sprintf(`"reason" 应为 %s 之一(或 %s)。`, strings.Join(labels, "、"), strings.Join(codes, "、"))
	}
	if helpful {
		return "", `"reason" 只用于没帮助("helpful": false)的反馈。`
	}
	return label, ""
}

// catalogSources checks that every source names a document answers come
// from, and drops repeats; false when one does not.
func catalogSources(a Answerer, sources []string) ([]string, bool) {
	if len(sources) == 0 {
		return nil, true
	}
	known := map[string]bool{}
	for _, d := range a.Documents() {
		known[d.Source] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, src := range sources {
		if !known[src] {
			return nil, false
		}
		if !seen[src] {
			seen[src] = true
			out = append(out, src)
		}
	}
	return out, true
}

func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

type documentJSON struct {
	Title      string   `json:"title"`
	Issuer     string   `json:"issuer"`
	Region     string   `json:"region"`
	RegionPath []string `json:"region_path"`
	Date       string   `json:"date"`
	Kind       string   `json:"kind"`
	Source     string   `json:"source"`
	Passages   int      `json:"passages"`
	// SourceURL is where the document was published, when the catalog
	// knows it.
	SourceURL string `json:"source_url,omitempty"`
	// Validity: 文号, dates in force, the replacing document; in_force is
	// false once it expired or was superseded.
	Number       string `json:"number,omitempty"`
	Effective    string `json:"effective,omitempty"`
	Expires      string `json:"expires,omitempty"`
	SupersededBy string `json:"superseded_by,omitempty"`
	InForce      bool   `json:"in_force"`
}

func (s *Server) documents(w http.ResponseWriter, r *http.Request) {
	a := s.current()
	if a == nil {
		s.unavailable(w, jsonError)
		return
	}
	out := []documentJSON{}
	for _, d := range a.Documents() {
		out = append(out, documentJSON{Title: d.Title, Issuer: d.Issuer, Region: retrieval.RegionName(d.Region),
			RegionPath: d.Region, Date: d.Date, Kind: d.Kind, Source: d.Source, Passages: d.Passages, SourceURL: d.SourceURL,
			Number: d.Number, Effective: d.Effective, Expires: d.Expires, SupersededBy: d.SupersededBy, InForce: d.InForce(time.Now())})
	}
	writeJSON(w, http.StatusOK, struct {
		Documents []documentJSON `json:"documents"`
	}{out})
}

type regionJSON struct {
	// Name is what to send back as "region" (the search resolves it).
	Name  string   `json:"name"`
	Label string   `json:"label"`
	Path  []string `json:"path"`
	Depth int      `json:"depth"`
}

// regions lists every level the documents cover (province, city,
// district), parents before children in the catalog's order, for a picker.
func (s *Server) regions(w http.ResponseWriter, r *http.Request) {
	a := s.current()
	if a == nil {
		s.unavailable(w, jsonError)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Regions []regionJSON `json:"regions"`
	}{regionTree(a.Regions())})
}

func regionTree(paths [][]string) []regionJSON {
	type node struct {
		path     []string
		children []*node
	}
	root := &node{}
	index := map[string]*node{}
	for _, p := range paths {
		parent := root
		for i := range p {
			key := retrieval.RegionName(p[:i+1])
			n, ok := index[key]
			if !ok {
				n = &node{path: append([]string(nil), p[:i+1]...)}
				index[key] = n
				parent.children = append(parent.children, n)
			}
			parent = n
		}
	}
	out := []regionJSON{}
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			out = append(out, regionJSON{Name: c.path[len(c.path)-1], Label: retrieval.RegionName(c.path),
				Path: c.path, Depth: len(c.path) - 1})
			walk(c)
		}
	}
	walk(root)
	return out
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	deps := map[string]string{}
	degraded := false
	for name, check := range s.opt.Dependencies {
		if err := check(r.Context()); err != nil {
			deps[name] = "down: " + bot.Mask(err.Error())
			degraded = true
		} else {
			deps[name] = "ok"
		}
	}
	a := s.current()
	if a == nil {
		// Only a replica without an index is taken out of the pool: a
		// dependency that is down leaves it answering from what it loaded.
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "loading", "dependencies": deps})
		return
	}
	status := "ready"
	if degraded {
		status = "degraded"
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": status, "documents": len(a.Documents()), "dependencies": deps})
}
