// Package web serves the bot over HTTP: the chat page residents open on
// their phones, a small JSON/SSE API for programs, and an OpenAI-compatible
// chat endpoint so that existing chat clients and SDKs can use the bot
// without new code.
//
// It is a thin adapter. Questions go to an Answerer unchanged and answers
// come back as the Answerer wrote them; nothing here decides what to say.
// What lives here is what HTTP needs: limits on bodies, errors as JSON,
// optional bearer-token auth and CORS for the API, access logs that never
// carry a resident's words, and request metrics.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

// Answerer is what the server needs of the bot; *bot.Answerer is one.
type Answerer interface {
	AnswerStream(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error)
	Documents() []retrieval.DocumentInfo
	Regions() [][]string
}

// Observer receives what the server counts; *metrics.Metrics is one.
type Observer interface {
	Observe(channel string, ans bot.Answer, err error)
	ObserveHTTP(route string, code int, d time.Duration)
}

// Channels under which answers are counted and feedback is recorded.
const (
	ChannelWeb    = "web"    // /v1/ask and /v1/feedback: the chat page and API clients
	ChannelOpenAI = "openai" // /v1/chat/completions
)

// Defaults of Options.
const (
	DefaultMaxBody       = 1 << 20
	DefaultAnswerTimeout = 2 * time.Minute
	DefaultMaxConcurrent = 64
	DefaultQueueWait     = 10 * time.Second
)

// Options configure a Server. Only Answerer is needed to answer; it may also
// be given later with SetAnswerer, so that the server can report liveness
// while the index loads.
type Options struct {
	Answerer Answerer
	// Feedback records 👍/👎; without it /v1/feedback answers 503.
	Feedback *bot.FeedbackLog
	// Queue, when set, also receives every 👎 (with its reason), for the
	// staff's list of what residents could not get answered.
	Queue   *bot.Queue
	Metrics Observer
	Logger  *slog.Logger
	// APIToken, when set, is required as "Authorization: Bearer <token>" on
	// every /v1/ route (the page then asks for it once per browser
	// session). The page itself, health checks and whatever is added with
	// Handle stay open: they carry no answers.
	APIToken string
	// CORSOrigins may call /v1/ from other sites' pages; "*" allows any.
	CORSOrigins []string
	// FrameAncestors are the origins whose pages may show the chat page in
	// a frame, e.g. a district government's site ("'self'" is this origin;
	// see ParseFrameAncestors). None, the default, lets no site frame it,
	// so that no page can dress it up to mislead residents. Entries that
	// are not origins are left out (and logged).
	FrameAncestors []string
	// Dependencies are checked by /readyz and reported in its body by
	// name ("redis", "postgres"); one that fails makes the status
	// "degraded" but never a 503, so that an outage of a shared
	// dependency does not drain every replica at once.
	Dependencies map[string]func(context.Context) error
	// Limiter bounds how often one client may vote; nil keeps the buckets
	// in this process.
	Limiter Limiter
	// Region is used when a request names none.
	Region string
	// AnswerTimeout bounds one answer (LLM included); it must stay below the
	// http.Server's WriteTimeout for streams to end cleanly.
	AnswerTimeout time.Duration
	// MaxBody bounds a request body; larger ones get 413.
	MaxBody int64
	// MaxConcurrent bounds answers computed at once over HTTP; a question
	// that finds no free slot within QueueWait gets 503 and Retry-After.
	// The bound keeps a burst from piling up LLM calls (and their bill) or
	// starving the CPU for everyone.
	MaxConcurrent int
	QueueWait     time.Duration
	// Admin, with tokens, serves the staff pages at /admin; nil or no
	// tokens leaves /admin a 404.
	Admin *Admin
}

// Server is the HTTP handler of the bot.
type Server struct {
	opt      Options
	mux      *http.ServeMux
	log      *slog.Logger
	obs      Observer
	answerer atomic.Pointer[answererBox]
	cors     map[string]bool
	corsAny  bool
	page     *assets
	slots    chan struct{}
	votes    Limiter
}

// Limiter is the token bucket of votes per client (VoteBurst at once,
// then one per VoteInterval): Allow takes a token for key, or says how
// long until there is one. By default each replica keeps its own buckets;
// replicas behind one load balancer share them (Redis), so that a client
// cannot multiply its allowance by the number of replicas.
type Limiter interface {
	Allow(key string) (ok bool, retryAfter time.Duration)
}

// answererBox lets an interface value live in an atomic.Pointer.
type answererBox struct{ Answerer }

// New returns a server with its routes registered.
func New(opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.AnswerTimeout <= 0 {
		opt.AnswerTimeout = DefaultAnswerTimeout
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = DefaultMaxConcurrent
	}
	if opt.QueueWait <= 0 {
		opt.QueueWait = DefaultQueueWait
	}
	s := &Server{opt: opt, mux: http.NewServeMux(), log: opt.Logger, obs: opt.Metrics, cors: map[string]bool{},
		slots: make(chan struct{}, opt.MaxConcurrent),
		votes: opt.Limiter}
	if s.votes == nil {
		s.votes = newClientLimiter(VoteInterval, VoteBurst, maxFeedbackClients)
	}
	if s.obs == nil {
		s.obs = noObserver{}
	}
	for _, o := range opt.CORSOrigins {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		switch o {
		case "":
		case "*":
			s.corsAny = true
		default:
			s.cors[o] = true
		}
	}
	if opt.Answerer != nil {
		s.SetAnswerer(opt.Answerer)
	}
	var ancestors []string
	for _, o := range opt.FrameAncestors {
		if o, err := checkFrameAncestor(o); err != nil {
			s.log.Warn("frame ancestor ignored", "error", err)
		} else if o != "" {
			ancestors = append(ancestors, o)
		}
	}
	s.page = mustLoadAssets(ancestors)
	s.routes()
	return s
}

// SetAnswerer makes the server ready to answer.
func (s *Server) SetAnswerer(a Answerer) { s.answerer.Store(&answererBox{a}) }

// Ready reports whether the server can answer.
func (s *Server) Ready() bool { return s.current() != nil }

func (s *Server) current() Answerer {
	if b := s.answerer.Load(); b != nil {
		return b.Answerer
	}
	return nil
}

// Handle adds a route (e.g. /metrics, a Telegram webhook) behind the same
// access log, request metrics and panic recovery as the server's own. It
// is not behind the API token: such routes protect themselves.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.page.index)
	s.mux.Handle("GET /assets/", s.page)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)

	s.api("/v1/ask", http.MethodPost, jsonError, s.ask)
	s.api("/v1/feedback", http.MethodPost, jsonError, s.feedback)
	s.api("/v1/documents", http.MethodGet, jsonError, s.documents)
	s.api("/v1/regions", http.MethodGet, jsonError, s.regions)
	s.api("/v1/chat/completions", http.MethodPost, openAIError, s.chatCompletions)
	s.api("/v1/models", http.MethodGet, openAIError, s.models)
	s.api("/v1/models/{id}", http.MethodGet, openAIError, s.model)
	s.api("/v1/", "", jsonError, func(w http.ResponseWriter, r *http.Request) {
		jsonError(w, http.StatusNotFound, "没有这个接口。")
	})
	s.adminRoutes()
}

type noObserver struct{}

func (noObserver) Observe(string, bot.Answer, error)      {}
func (noObserver) ObserveHTTP(string, int, time.Duration) {}

// requestID is echoed in X-Request-ID and the access log, so a resident's
// complaint ("it failed at 10:32") can be matched to a log line without
// logging what they asked.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-ID"); id != "" && len(id) <= 64 && printableASCII(id) {
		return id
	}
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// errBusy is the answer when every slot stays taken for QueueWait.
var errBusy = &bot.Error{Kind: bot.KindUnavailable, Message: "现在提问的人比较多,请稍等一会儿再试。"}

// acquire waits for an answering slot; release gives it back.
func (s *Server) acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(s.opt.QueueWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errBusy
	}
}

func (s *Server) release() { <-s.slots }
