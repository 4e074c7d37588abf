package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/bot"
)

// ServeHTTP runs every request through the access log, request metrics and
// panic recovery.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r)
	w.Header().Set("X-Request-ID", id)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	rec := &recorder{ResponseWriter: w}
	defer func() {
		p := recover()
		if p != nil && p != http.ErrAbortHandler {
			// The panic value may quote what a resident typed.
			s.log.Error("panic", "request_id", id, "panic", truncateRunes(bot.Mask(fmt.Sprint(p)), 300), "stack", string(debug.Stack()))
			if !rec.wrote {
				jsonError(rec, http.StatusInternalServerError, bot.Reply(errors.New("panic")))
			}
		}
		// The mux records the matched pattern on r; an unmatched request
		// gets one label so that scanners cannot create series at will.
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.obs.ObserveHTTP(route, rec.status(), d)
		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", rec.status()), slog.Float64("duration_ms", ms(d)),
			slog.Int64("bytes", rec.bytes), slog.String("request_id", id),
		}
		if route == "unmatched" {
			// The path is the only hint of what was asked for; it is masked
			// because anything can be typed into a URL. Queries are never
			// logged: they may carry tokens.
			attrs = append(attrs, slog.String("path", bot.Mask(truncate(r.URL.Path, 200))))
		}
		s.log.LogAttrs(r.Context(), accessLevel(route, rec.status()), "http", attrs...)
		if p == http.ErrAbortHandler {
			panic(p)
		}
	}()
	s.mux.ServeHTTP(rec, r)
}

// accessLevel keeps probes and scrapes, which arrive every few seconds, out
// of the default log.
func accessLevel(route string, status int) slog.Level {
	switch {
	case route == "GET /healthz" || route == "GET /readyz" || strings.HasSuffix(route, "/metrics"):
		return slog.LevelDebug
	case status >= 500:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// recorder remembers the status and size of a response. Unwrap lets
// http.ResponseController reach the connection (flush, deadlines) through
// it.
type recorder struct {
	http.ResponseWriter
	code  int
	wrote bool
	bytes int64
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.code, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Flush is here, and not only through Unwrap, for handlers that still
// type-assert http.Flusher.
func (r *recorder) Flush() {
	if !r.wrote {
		r.code, r.wrote = http.StatusOK, true
	}
	http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) status() int {
	if !r.wrote {
		return http.StatusOK
	}
	return r.code
}

// errorWriter writes an error in the dialect of a route family: ours
// ({"error":"…"}) or OpenAI's, which its SDKs parse.
type errorWriter func(w http.ResponseWriter, status int, msg string)

// api registers an API route: CORS, preflight, method check, then auth.
// method "" accepts any method (the catch-all).
func (s *Server) api(pattern, method string, fail errorWriter, h http.HandlerFunc) {
	allow := method + ", OPTIONS"
	if method == http.MethodGet {
		allow = "GET, HEAD, OPTIONS"
	}
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := origin != "" && s.allowOrigin(origin)
		if len(s.cors) > 0 || s.corsAny {
			w.Header().Add("Vary", "Origin")
		}
		if allowed {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Expose-Headers", "X-Request-ID")
		}
		if r.Method == http.MethodOptions && method != "" {
			// A preflight carries no credentials, so it is answered before
			// auth; a browser then sends the real request with them.
			w.Header().Set("Allow", allow)
			if allowed && r.Header.Get("Access-Control-Request-Method") != "" {
				w.Header().Set("Access-Control-Allow-Methods", allow)
				w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, X-Request-ID")
				w.Header().Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if method != "" && r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", allow)
			fail(w, http.StatusMethodNotAllowed, "不支持 "+r.Method+" 方法,请用 "+method+"。")
			return
		}
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="minsheng"`)
			fail(w, http.StatusUnauthorized, "需要访问口令:请在请求头中加上 Authorization: Bearer <口令>。")
			return
		}
		if r.Method == http.MethodPost && !isJSON(r.Header.Get("Content-Type")) {
			fail(w, http.StatusUnsupportedMediaType, "请求体需要是JSON:请加上请求头 Content-Type: application/json。")
			return
		}
		h(w, r)
	})
}

// isJSON reports whether a Content-Type is JSON in UTF-8. Only JSON is
// taken on POST: a form or text/plain post is one a page of any site can
// make without a CORS preflight, so accepting it would let any page ask,
// and vote, in its visitors' name when no API token is set.
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

func (s *Server) allowOrigin(origin string) bool {
	return s.corsAny || s.cors[origin]
}

// authorized compares hashes in constant time, so that neither the token
// nor its length leaks through timing.
func (s *Server) authorized(r *http.Request) bool {
	if s.opt.APIToken == "" {
		return true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	want := sha256.Sum256([]byte(s.opt.APIToken))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// httpError is a request the server refuses, with the status and the
// message for the caller.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// readJSON decodes a size-limited body into v. strict rejects unknown
// fields, which catches typos ("q" for "question") in our own API; the
// OpenAI route is lenient because clients send many fields we ignore.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any, strict bool) *httpError {
	return readJSONLimit(w, r, v, strict, s.opt.MaxBody)
}

// readJSONLimit is readJSON with a route's own bound on the body.
func readJSONLimit(w http.ResponseWriter, r *http.Request, v any, strict bool, limit int64) *httpError {
	tooLarge := &httpError{http.StatusRequestEntityTooLarge,
		fmt.Sprintf("请求太大了(上限 %d 字节)。", limit)}
	if r.ContentLength > limit {
		return tooLarge
	}
	// The body is read whole before decoding because Go's JSON decoder
	// turns bytes that are not UTF-8 into U+FFFD without a word: a
	// question would be changed, not refused.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge
	case err != nil:
		return &httpError{http.StatusBadRequest, "请求体没有读完整:" + err.Error()}
	case !utf8.Valid(body):
		return &httpError{http.StatusBadRequest, bot.MsgInvalidUTF8}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	err = dec.Decode(v)
	if err == nil {
		// One JSON value only: trailing data means the client sent something
		// else than it thinks.
		if err = dec.Decode(&json.RawMessage{}); err == io.EOF {
			return nil
		} else if err == nil {
			err = errors.New("请求体里有多余的内容")
		}
	}
	if errors.Is(err, io.EOF) {
		return &httpError{http.StatusBadRequest, "请求体是空的,需要一个JSON对象。"}
	}
	return &httpError{http.StatusBadRequest, "请求体不是有效的JSON:" + err.Error()}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

type errorBody struct {
	Error string `json:"error"`
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{msg})
}

// answerStatus maps an answering error to a status and a message fit for a
// resident; internal details stay in the log.
func answerStatus(err error) (int, string) {
	switch {
	case bot.KindOf(err) == bot.KindBadInput:
		return http.StatusBadRequest, bot.Reply(err)
	case bot.KindOf(err) == bot.KindUnavailable:
		return http.StatusServiceUnavailable, bot.Reply(err)
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, bot.MsgTimeout
	case errors.Is(err, context.Canceled):
		// Nobody reads this; the status (nginx's "client closed request")
		// keeps a resident closing the page out of the 5xx count.
		return statusClientClosed, "请求已取消。"
	}
	return http.StatusInternalServerError, bot.Reply(err)
}

const statusClientClosed = 499

// failAnswer writes the error of a failed answer; a 503 says when to come
// back, so that clients and proxies retry politely.
func failAnswer(w http.ResponseWriter, fail errorWriter, err error) {
	status, msg := answerStatus(err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	fail(w, status, msg)
}

// notReady is the answer while the index is loading.
const notReady = "服务正在启动,正在加载政策文件,请稍后再试。"

func (s *Server) unavailable(w http.ResponseWriter, fail errorWriter) {
	w.Header().Set("Retry-After", "5")
	fail(w, http.StatusServiceUnavailable, notReady)
}

// logAnswerError logs a failed answer. Errors are masked because a wrapped
// error may quote what the resident typed.
func (s *Server) logAnswerError(r *http.Request, channel string, err error) {
	level := slog.LevelError
	switch {
	case errors.Is(err, context.Canceled), bot.KindOf(err) == bot.KindBadInput:
		level = slog.LevelInfo
	case bot.KindOf(err) == bot.KindUnavailable, errors.Is(err, context.DeadlineExceeded):
		level = slog.LevelWarn
	}
	s.log.Log(r.Context(), level, "answer failed", "channel", channel,
		"request_id", reqID(r), "error", bot.Mask(err.Error()))
}

// logAnswer logs one answer; the question only masked and at debug level,
// and never a crisis message's: that is counted, not kept. fallback says
// why an LLM answer was replaced by the extractive one (an LLM failure such
// as "timeout", or a limit such as "busy"), so that a line in the log
// explains an answer a resident complains about.
func (s *Server) logAnswer(r *http.Request, channel string, ans bot.Answer) {
	s.log.Info("answer", "channel", channel, "request_id", reqID(r), "mode", ans.Mode,
		"fallback", ans.Fallback, "abstained", ans.Abstained, "citations", len(ans.Citations), "route", ans.Route,
		"retrieval_ms", ms(ans.Timing.Retrieval), "llm_ms", ms(ans.Timing.LLM), "total_ms", ms(ans.Timing.Total))
	if ans.Route != bot.RouteCrisis {
		s.log.Debug("question", "channel", channel, "request_id", reqID(r), "question", bot.Mask(ans.Question))
	}
}

type requestIDKey struct{}

// reqID is the request ID the middleware chose for r.
func reqID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// ms is a duration in milliseconds, rounded to microseconds: readable in
// text logs and summable in JSON ones.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
