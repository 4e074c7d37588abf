// Package metrics counts what the bot does so that an operator can see, in
// Prometheus, whether residents get answers, how often the bot abstains,
// where the time goes (retrieval or the LLM) and when the LLM fails or falls
// back to extractive answers. Every channel (HTTP, Telegram) reports through
// the same *Metrics, so the numbers are comparable across channels.
//
// All methods are safe for concurrent use and do nothing on a nil *Metrics,
// so a channel can run without metrics in tests.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/minsheng/minsheng/bot"
)

// Outcomes of a question (label "outcome" of minsheng_questions_total).
const (
	OutcomeAnswered  = "answered"
	OutcomeAbstained = "abstained"
	OutcomeError     = "error"
)

// Error kinds (label "kind" of minsheng_errors_total). Canceled and timeout
// are told apart from internal errors because a resident closing the page
// is not a fault of the bot.
const (
	KindBadInput    = "bad_input"
	KindUnavailable = "unavailable"
	KindInternal    = "internal"
	KindCanceled    = "canceled"
	KindTimeout     = "timeout"
)

// answerBuckets span a cached extractive answer (milliseconds) to a slow
// LLM (a minute).
var answerBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60}

// Metrics holds the collectors.
type Metrics struct {
	questions    *prometheus.CounterVec
	abstentions  *prometheus.CounterVec
	errors       *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	llmFallbacks *prometheus.CounterVec
	llmErrors    *prometheus.CounterVec
	httpRequests *prometheus.CounterVec
	httpLatency  *prometheus.HistogramVec
	dropped      *prometheus.CounterVec
	routes       *prometheus.CounterVec
	stripped     *prometheus.CounterVec
	degraded     *prometheus.CounterVec
	spooled      prometheus.Gauge
	gatherer     prometheus.Gatherer
}

// New registers the bot's collectors with reg. A nil reg gets a fresh
// registry that also carries the Go runtime and process collectors, which is
// what a server wants. Handler serves reg when it is also a Gatherer (as a
// *prometheus.Registry is), otherwise prometheus.DefaultGatherer. New panics
// if the collectors are already registered with reg, like MustRegister.
func New(reg prometheus.Registerer) *Metrics {
	if reg == nil {
		r := prometheus.NewRegistry()
		r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		reg = r
	}
	g, ok := reg.(prometheus.Gatherer)
	if !ok {
		g = prometheus.DefaultGatherer
	}
	m := &Metrics{
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_questions_total",
			Help: "Questions handled, by channel and outcome (answered, abstained, error).",
		}, []string{"channel", "outcome"}),
		abstentions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_abstentions_total",
			Help: "Questions the documents did not cover, so the bot declined to answer.",
		}, []string{"channel"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_errors_total",
			Help: "Questions that failed, by kind (bad_input, unavailable, internal, canceled, timeout).",
		}, []string{"channel", "kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "minsheng_answer_duration_seconds",
			Help:    "Time to answer, by channel and stage (retrieval, llm, total).",
			Buckets: answerBuckets,
		}, []string{"channel", "stage"}),
		llmFallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_llm_fallbacks_total",
			Help: "Answers given extractively although an LLM is configured, by reason: an LLM failure (timeout, server, unverified …) or a limit (busy, budget, disabled, breaker_open).",
		}, []string{"channel", "reason"}),
		// Not by channel: one answerer, and one LLM client, serve every
		// channel, and it hears of a failure without knowing who asked.
		llmErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_llm_errors_total",
			Help: "LLM calls that failed (answers and follow-up rewrites, all channels), by reason (timeout, server, rate_limit, unverified …).",
		}, []string{"reason"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_http_requests_total",
			Help: "HTTP requests, by route pattern and status code.",
		}, []string{"route", "code"}),
		httpLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "minsheng_http_request_duration_seconds",
			Help:    "HTTP request duration, by route pattern (streams count until their last byte).",
			Buckets: answerBuckets,
		}, []string{"route"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_replies_dropped_total",
			Help: "Replies that never reached the resident, by channel and reason (rate_limit, shutdown, failed).",
		}, []string{"channel", "reason"}),
		// Not by channel either: the answerer decides the route and strips
		// the characters, and it serves every channel.
		routes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_routes_total",
			Help: "Messages answered by a fixed route instead of the documents, by kind (crisis, greeting, thanks). Crisis messages are counted here and never logged.",
		}, []string{"kind"}),
		stripped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_input_stripped_total",
			Help: "Questions from which invisible characters were stripped, by class (zero_width, bidi, tag).",
		}, []string{"class"}),
		// A shared dependency that failed one call, which was then served
		// from this replica alone: dedupe and limits hold per replica
		// while it grows.
		degraded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "minsheng_redis_degraded_total",
			Help: "Redis calls that failed and were served from this replica's memory instead, by operation (claim, lock, allow, turns …).",
		}, []string{"op"}),
		spooled: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "minsheng_spool_lines",
			Help: "Writes (feedback, queue, audit) kept in the local spool while PostgreSQL is away, waiting to be stored.",
		}),
		gatherer: g,
	}
	reg.MustRegister(m.questions, m.abstentions, m.errors, m.latency, m.llmFallbacks, m.llmErrors,
		m.httpRequests, m.httpLatency, m.dropped, m.routes, m.stripped, m.degraded, m.spooled)
	return m
}

// Observe records one question: its outcome, where the time went, and an
// LLM fallback when the answer reports one (Answer.Fallback). Call it once
// per question with what AnswerStream returned.
func (m *Metrics) Observe(channel string, ans bot.Answer, err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.questions.WithLabelValues(channel, OutcomeError).Inc()
		m.errors.WithLabelValues(channel, ErrorKind(err)).Inc()
		return
	}
	outcome := OutcomeAnswered
	if ans.Abstained {
		outcome = OutcomeAbstained
		m.abstentions.WithLabelValues(channel).Inc()
	}
	m.questions.WithLabelValues(channel, outcome).Inc()
	if ans.Fallback != "" {
		m.llmFallbacks.WithLabelValues(channel, ans.Fallback).Inc()
	}
	t := ans.Timing
	m.latency.WithLabelValues(channel, "retrieval").Observe(t.Retrieval.Seconds())
	// Extractive answers never call the LLM; a zero there would drag the
	// LLM latency quantiles towards nothing.
	if t.LLM > 0 {
		m.latency.WithLabelValues(channel, "llm").Observe(t.LLM.Seconds())
	}
	m.latency.WithLabelValues(channel, "total").Observe(t.Total.Seconds())
}

// ErrorKind is the label an error is counted under.
func ErrorKind(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	}
	switch bot.KindOf(err) {
	case bot.KindBadInput:
		return KindBadInput
	case bot.KindUnavailable:
		return KindUnavailable
	}
	return KindInternal
}

// LLMFallback counts an answer given extractively although an LLM is
// configured, for a fallback that does not reach Observe. Observe already
// counts every answer whose Fallback is set (with that reason), so do not
// call both for one answer.
func (m *Metrics) LLMFallback(channel string) {
	if m == nil {
		return
	}
	m.llmFallbacks.WithLabelValues(channel, "unspecified").Inc()
}

// LLMError counts a failed LLM call; it fits bot.Options.OnLLMError. reason
// must come from a small fixed set (bot.ReasonOf's: timeout, server,
// rate_limit, …): every distinct value is a new time series.
func (m *Metrics) LLMError(reason string) {
	if m == nil {
		return
	}
	m.llmErrors.WithLabelValues(reason).Inc()
}

// ReplyDropped counts a reply a channel could not deliver; it fits
// telegram.Options.Dropped. reason must come from the channel's small fixed
// set (rate_limit, shutdown, failed).
func (m *Metrics) ReplyDropped(channel, reason string) {
	if m == nil {
		return
	}
	m.dropped.WithLabelValues(channel, reason).Inc()
}

// Route counts an answer given by a fixed route; it fits
// bot.Options.OnRoute. kind is one of bot's Route… constants.
func (m *Metrics) Route(kind string) {
	if m == nil {
		return
	}
	m.routes.WithLabelValues(kind).Inc()
}

// Stripped counts a question that had invisible characters of a class
// stripped; it fits bot.Options.OnStripped. class is one of bot's Strip…
// constants.
func (m *Metrics) Stripped(class string) {
	if m == nil {
		return
	}
	m.stripped.WithLabelValues(class).Inc()
}

// ObserveHTTP records one HTTP request. route must be the matched pattern,
// not the raw path, to keep the number of series bounded.
func (m *Metrics) ObserveHTTP(route string, code int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.httpLatency.WithLabelValues(route).Observe(d.Seconds())
}

// Degraded counts a Redis call served from this replica's memory.
func (m *Metrics) Degraded(op string, _ error) { m.degraded.WithLabelValues(op).Inc() }

// Spooled sets how many writes wait in the local spool.
func (m *Metrics) Spooled(n int) { m.spooled.Set(float64(n)) }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.gatherer, promhttp.HandlerOpts{})
}
