package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/metrics"
	"github.com/minsheng/minsheng/bot/telegram"
	"github.com/minsheng/minsheng/bot/web"
	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/store"
)

// serveConfig is Config plus what only the server needs. Secrets (API
// token, feedback salt, Telegram token and webhook secret) come from the
// environment only: flags show up in ps.
type serveConfig struct {
	Config
	HTTPAddr        string
	LogJSON         bool
	LogLevel        slog.Level
	APIToken        string
	CORSOrigins     []string
	FrameAncestors  []string
	FeedbackPath    string
	FeedbackSalt    string
	ShutdownTimeout time.Duration
	// AdminTokens are the staff's tokens by name (MINSHENG_ADMIN_TOKENS);
	// none leaves /admin a 404.
	AdminTokens map[string]string

	// Telegram channel; read now, used where serve marks the hook point.
	TelegramToken         string
	TelegramAPIURL        string
	TelegramWebhookURL    string
	TelegramWebhookSecret string

	// Several replicas share state through these (see shared.go).
	RedisURL      string // MINSHENG_REDIS_URL: Redis, what expires
	RedisPrefix   string // MINSHENG_REDIS_PREFIX: keys' prefix, one per deployment sharing a Redis
	SpoolMaxBytes int64  // bound of the local spool used while PostgreSQL is away
}

// Server timeouts. Writes get the longest: a streamed answer with an LLM
// keeps the response open while it is produced, and the answer timeout
// (plus web.DefaultQueueWait for a free slot) must end it first so that the
// stream closes cleanly rather than being cut.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second // bodies are at most 1 MiB
	answerTimeout     = 2 * time.Minute
	writeTimeout      = answerTimeout + 30*time.Second
	idleTimeout       = 2 * time.Minute
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	bindCommon(fs, &cfg.Config)
	bindQueue(fs, &cfg.Config)
	bindDocuments(fs, &cfg.Config)
	fs.StringVar(&cfg.HTTPAddr, "http-addr", envOr("MINSHENG_HTTP_ADDR", "127.0.0.1:8080"), "address to serve HTTP on (MINSHENG_HTTP_ADDR)")
	logJSON, logJSONErr := strconv.ParseBool(envOr("MINSHENG_LOG_JSON", "false"))
	fs.BoolVar(&cfg.LogJSON, "log-json", logJSON, "log JSON lines instead of text (MINSHENG_LOG_JSON)")
	logLevel := fs.String("log-level", envOr("MINSHENG_LOG_LEVEL", "info"), "debug, info, warn or error (MINSHENG_LOG_LEVEL)")
	cors := fs.String("cors-origins", envOr("MINSHENG_CORS_ORIGINS", ""), "comma-separated origins whose pages may call /v1/, or * (MINSHENG_CORS_ORIGINS)")
	frames := fs.String("frame-ancestors", envOr("MINSHENG_FRAME_ANCESTORS", ""), "origins (space- or comma-separated, or 'self') whose pages may embed the chat page in a frame; default none (MINSHENG_FRAME_ANCESTORS)")
	fs.StringVar(&cfg.FeedbackPath, "feedback-log", envOr("MINSHENG_FEEDBACK_LOG", ""), "where 👍/👎 are appended (default <data-dir>/feedback.jsonl) (MINSHENG_FEEDBACK_LOG)")
	shutdown := fs.String("shutdown-timeout", envOr("MINSHENG_SHUTDOWN_TIMEOUT", "30s"), "how long in-flight answers may finish after SIGTERM (MINSHENG_SHUTDOWN_TIMEOUT)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if logJSONErr != nil {
		return usageError{fmt.Sprintf("MINSHENG_LOG_JSON=%q is not true or false", os.Getenv("MINSHENG_LOG_JSON"))}
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError{fmt.Sprintf("--log-level / MINSHENG_LOG_LEVEL: %q is not debug, info, warn or error", *logLevel)}
	}
	var err error
	if cfg.ShutdownTimeout, err = time.ParseDuration(*shutdown); err != nil || cfg.ShutdownTimeout <= 0 {
		return usageError{fmt.Sprintf("--shutdown-timeout / MINSHENG_SHUTDOWN_TIMEOUT: %q is not a duration such as 30s", *shutdown)}
	}
	for _, o := range strings.Split(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.CORSOrigins = append(cfg.CORSOrigins, o)
		}
	}
	if cfg.FrameAncestors, err = web.ParseFrameAncestors(*frames); err != nil {
		return usageError{fmt.Sprintf("--frame-ancestors / MINSHENG_FRAME_ANCESTORS: %v", err)}
	}
	cfg.APIToken = os.Getenv("MINSHENG_API_TOKEN")
	cfg.FeedbackSalt = os.Getenv("MINSHENG_FEEDBACK_SALT")
	if cfg.AdminTokens, err = web.ParseAdminTokens(os.Getenv("MINSHENG_ADMIN_TOKENS")); err != nil {
		return usageError{"MINSHENG_ADMIN_TOKENS: " + err.Error()}
	}
	cfg.TelegramToken = os.Getenv("MINSHENG_TELEGRAM_TOKEN")
	cfg.TelegramAPIURL = os.Getenv("MINSHENG_TELEGRAM_API_URL")
	cfg.TelegramWebhookURL = os.Getenv("MINSHENG_TELEGRAM_WEBHOOK_URL")
	cfg.TelegramWebhookSecret = os.Getenv("MINSHENG_TELEGRAM_WEBHOOK_SECRET")
	// Connection strings may hold passwords: environment only, like tokens.
	cfg.RedisURL = os.Getenv("MINSHENG_REDIS_URL")
	cfg.RedisPrefix = envOr("MINSHENG_REDIS_PREFIX", "minsheng:")
	cfg.SpoolMaxBytes = store.DefaultSpoolMaxBytes
	if v := os.Getenv("MINSHENG_SPOOL_MAX_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return usageError{fmt.Sprintf("MINSHENG_SPOOL_MAX_BYTES=%q is not a positive number of bytes", v)}
		}
		cfg.SpoolMaxBytes = n
	}

	// Configuration mistakes are reported now, as usage errors, rather than
	// after the server has started listening.
	if err := cfg.check(); err != nil {
		return err
	}
	if err := cfg.checkWebhook(); err != nil {
		return err
	}
	if _, err := cfg.llm(); err != nil {
		return err
	}
	if err := cfg.checkLLM(cfg.DatabaseURL == ""); err != nil {
		return err
	}

	log := newLogger(stderr, cfg.LogJSON, cfg.LogLevel)
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}
	open := func(ctx context.Context, hooks answererHooks) (*bot.Answerer, error) {
		c := cfg.Config
		m := hooks.Metrics
		c.OnLLMError, c.OnRoute, c.OnStripped = m.LLMError, m.Route, m.Stripped
		c.OnUnanswered = hooks.OnUnanswered
		c.Turns, c.CuratedDir, c.CuratedCounter, c.Snapshots = hooks.Turns, hooks.CuratedDir, hooks.CuratedCounter, hooks.Snapshots
		c.Switch, c.Tokens = hooks.Switch, hooks.Tokens
		c.OnBudgetError = func(err error) { log.Warn("llm budget", "error", err) }
		c.OnCuratedError = func(err error) { log.Warn("curated answers", "error", err) }
		return c.answerer(ctx, logLines{log})
	}
	return serve(ctx, cfg, ln, open, log)
}

// checkWebhook checks the Telegram webhook URL, giving it the default path
// when it has none. The path becomes a route of the HTTP server, so it may
// not be one of the server's own: Telegram would then post to the chat
// page or the API and be refused, and a pattern that overlaps another
// makes the router panic.
func (c *serveConfig) checkWebhook() error {
	if c.TelegramToken == "" || c.TelegramWebhookURL == "" {
		return nil
	}
	u, p, err := telegram.WebhookPath(c.TelegramWebhookURL)
	if err != nil {
		return usageError{fmt.Sprintf("MINSHENG_TELEGRAM_WEBHOOK_URL: %v", err)}
	}
	trimmed := strings.TrimSuffix(p, "/")
	for _, own := range []string{"/v1", "/assets", "/admin"} {
		if trimmed == own || strings.HasPrefix(p, own+"/") {
			return usageError{fmt.Sprintf("MINSHENG_TELEGRAM_WEBHOOK_URL: the path %s is under %s/, which the server uses itself; use e.g. %s", p, own, telegram.DefaultWebhookPath)}
		}
	}
	switch trimmed {
	case "", "/healthz", "/readyz", "/metrics":
		return usageError{fmt.Sprintf("MINSHENG_TELEGRAM_WEBHOOK_URL: the path %s is the server's own route; use e.g. %s", p, telegram.DefaultWebhookPath)}
	}
	c.TelegramWebhookURL = u
	return nil
}

// webhookPattern is the route of a webhook path: exactly that path, also
// when it ends in a slash (which alone would match everything below it).
func webhookPattern(path string) string {
	if strings.HasSuffix(path, "/") {
		return "POST " + path + "{$}"
	}
	return "POST " + path
}

// serve runs the HTTP server on ln until ctx ends, then shuts down
// gracefully. The server answers /healthz at once and /readyz once open has
// built or loaded the index, so an orchestrator can tell "starting" from
// "stuck". A SIGHUP re-reads the LLM's limits (watchLLM) and drops nothing;
// only ctx (SIGINT, SIGTERM) stops the server.
//
// open builds the answerer; it is given the metrics its hooks (failed LLM
// calls, crisis routes, stripped characters) count into and the hook that
// queues what could not be answered.
func serve(ctx context.Context, cfg serveConfig, ln net.Listener, open func(ctx context.Context, hooks answererHooks) (*bot.Answerer, error), log *slog.Logger) error {
	// Caught from the start: a SIGHUP while the index loads must not end
	// the process (its default); it is acted on once the answerer is up.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if err := cfg.checkWebhook(); err != nil {
		ln.Close()
		return err
	}
	m := metrics.New(nil)
	sh, err := cfg.openShared(ctx, m, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer sh.close()
	var fb *bot.FeedbackLog
	var queue *bot.Queue
	if sh.db == nil {
		if fb, err = cfg.feedbackLog(); err == nil {
			queue, err = cfg.queue()
		}
	} else {
		salt := cfg.FeedbackSalt
		if salt == "" {
			salt, err = sh.salt(ctx)
		}
		fb = bot.NewFeedbackJournal(sh.journal("feedback", ""), salt)
		queue = bot.NewQueue(sh.journal("queue", ""), cfg.QueueRetention)
	}
	if err != nil {
		ln.Close()
		return err
	}
	if sh.kv != nil {
		cfg.Turns = redisTurns{sh.kv}
	}
	// With PostgreSQL, the library and the curated answers are mirrored
	// folders (see mirror); live is filled in below, before any change
	// can arrive.
	live := &liveAnswerer{}
	var library, answers *mirror
	if sh.db != nil {
		library = &mirror{set: "library", dir: cfg.library().Dir, lock: libraryLock}
		cfg.CuratedDir = filepath.Join(cfg.DataDir, "curated")
		cfg.CuratedCounter = hitCounter{sh.db}
		// The curated store re-reads its file when it changes.
		answers = &mirror{set: "curated", dir: cfg.CuratedDir, lock: curatedLock}
		for _, m := range []*mirror{library, answers} {
			if err := sh.start(ctx, m); err != nil {
				ln.Close()
				return fmt.Errorf("%s in PostgreSQL: %w", m.set, err)
			}
		}
	}
	share := func(m *mirror) func() {
		if m == nil {
			return func() {}
		}
		return func() {
			pctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := sh.publish(pctx, m); err != nil {
				log.Error("change not shared with the other replicas", "set", m.set, "error", err)
			}
		}
	}
	hooks := answererHooks{Metrics: m, OnUnanswered: func(req bot.Request, ans bot.Answer) {
		if err := queue.RecordAnswer(req, ans); err != nil {
			log.Warn("question not queued", "request_id", req.ID, "error", bot.Mask(err.Error()))
		}
	}, Turns: cfg.Turns, CuratedDir: cfg.CuratedDir, CuratedCounter: cfg.CuratedCounter}
	// switchChanged wakes watchLLM when another process changed the switch.
	var switchChanged chan struct{}
	var llmSwitch *dbSwitch
	if sh.db != nil {
		llmSwitch = &dbSwitch{db: sh.db}
		if err := llmSwitch.reload(ctx); err != nil {
			ln.Close()
			return err
		}
		switchChanged = make(chan struct{}, 1)
		cfg.Switch, hooks.Switch, hooks.Tokens = llmSwitch, llmSwitch, dbTokens{sh.db}
	}
	if sh.db != nil {
		hooks.Snapshots = sh.db
	}
	adminOpt, err := cfg.adminOptions(live, func(ctx context.Context) (*bot.Answerer, error) { return open(ctx, hooks) },
		func(err error) { log.Warn("curated answers", "error", err) }, sh.journal("audit", filepath.Join(cfg.DataDir, auditLogName)), share(library), share(answers))
	if err != nil {
		ln.Close()
		return err
	}
	site := web.New(web.Options{Feedback: fb, Queue: queue, Metrics: m, Logger: log, APIToken: cfg.APIToken,
		CORSOrigins: cfg.CORSOrigins, FrameAncestors: cfg.FrameAncestors, Region: cfg.Region, AnswerTimeout: answerTimeout,
		Admin: adminOpt, Dependencies: sh.dependencies(), Limiter: sh.voteLimiter()})
	site.Handle("GET /metrics", m.Handler())
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	// The server's long-lived parts (HTTP, Telegram, the settings watch):
	// the first to fail stops the others.
	run, ctx := errgroup.WithContext(ctx)
	task := func(name string, fn func(context.Context) error) {
		run.Go(func() error {
			if err := fn(ctx); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	fail := func(err error) error {
		run.Go(func() error { return err })
		return run.Wait()
	}
	task("http", func(ctx context.Context) error { return serveHTTP(ctx, srv, ln, cfg.ShutdownTimeout, log) })
	task("queue", func(ctx context.Context) error { compactQueue(ctx, queue, log); return nil })
	if sh.db != nil {
		task("spool", func(ctx context.Context) error {
			go func() {
				t := time.NewTicker(5 * time.Second)
				defer t.Stop()
				for {
					m.Spooled(sh.db.SpoolLen())
					select {
					case <-ctx.Done():
						return
					case <-t.C:
					}
				}
			}()
			sh.db.RunSpool(ctx)
			return nil
		})
	}
	log.Info("listening", "addr", ln.Addr().String(), "page", "http://"+ln.Addr().String()+"/",
		"api_token", cfg.APIToken != "", "cors_origins", len(cfg.CORSOrigins), "frame_ancestors", len(cfg.FrameAncestors),
		"telegram", cfg.TelegramToken != "", "admin_staff", len(cfg.AdminTokens))

	first, err := open(ctx, hooks)
	if err != nil {
		if ctx.Err() == nil {
			return fail(fmt.Errorf("prepare answerer: %w", err))
		}
		return run.Wait()
	}
	live.start(first)
	a := live
	site.SetAnswerer(a)
	log.Info("ready", "documents", len(a.Documents()), "admin", len(cfg.AdminTokens) > 0)
	task("settings", func(ctx context.Context) error { watchLLM(ctx, cfg.Config, a, hup, switchChanged, log); return nil })
	if sh.db != nil {
		// `minsheng llm off|on` against the database reaches this
		// replica through a notification.
		task("llm switch", func(ctx context.Context) error { return llmSwitch.follow(ctx, switchChanged, log) })
		// Documents changed through another replica (or the CLI against
		// the database) are pulled and swapped in without a pause.
		library.changed = func(ctx context.Context, v int64) {
			b, err := open(ctx, hooks)
			if err != nil {
				log.Error("library changed elsewhere; index not rebuilt", "version", v, "error", err)
				return
			}
			live.swap(b)
			log.Info("library changed elsewhere; index swapped", "version", v, "documents", len(b.Documents()))
		}
		task("shared folders", func(ctx context.Context) error {
			if err := sh.follow(ctx, log, library, answers); err != nil && ctx.Err() == nil {
				return err
			}
			return nil
		})
	}

	// The Telegram channel shares the metrics, the feedback log and the
	// shutdown with the HTTP server.
	if cfg.TelegramToken != "" {
		// Answers under way at shutdown get as long as HTTP requests do.
		tg, err := telegram.New(a, telegram.Options{Token: cfg.TelegramToken,
			APIURL: cfg.TelegramAPIURL, WebhookURL: cfg.TelegramWebhookURL,
			WebhookSecret: cfg.TelegramWebhookSecret, Feedback: fb, Queue: queue, Claims: tgClaims(sh),
			Chats: tgChats(sh), Lease: tgLease(cfg, sh, log), LeaseEvery: pollLeaseEvery,
			Logger: log, Observe: m.Observe, Dropped: m.ReplyDropped, ShutdownGrace: cfg.ShutdownTimeout})
		if err != nil {
			return fail(usageError{err.Error()})
		}
		if p := tg.WebhookPath(); p != "" {
			site.Handle(webhookPattern(p), tg.WebhookHandler()) // checked by checkWebhook
		}
		task("telegram", tg.Run) // Run(ctx) returns when ctx ends
	}

	return run.Wait()
}

// tgClaims shares Telegram updates among replicas when Redis is
// configured; nil leaves each replica its own memory of them.
func tgClaims(sh *shared) telegram.Claims {
	if sh.kv == nil {
		return nil
	}
	return claims{sh.kv}
}

// tgChats shares Telegram chats' limits among replicas when Redis is
// configured; nil leaves each replica its own.
func tgChats(sh *shared) telegram.ChatGate {
	if sh.kv == nil {
		return nil
	}
	return chatGate{sh.kv}
}

// tgLease makes replicas long-poll Telegram one at a time when Redis is
// configured. A webhook needs none: its updates reach whichever replica
// the load balancer picks, and the claims answer each once.
func tgLease(cfg serveConfig, sh *shared, log *slog.Logger) telegram.PollLease {
	switch {
	case cfg.TelegramWebhookURL != "":
		return nil
	case sh.redis != nil:
		return &pollLease{r: sh.redis, ttl: pollLeaseTTL}
	case sh.db != nil:
		log.Warn("telegram long polling without MINSHENG_REDIS_URL: replicas sharing this database all poll, " +
			"which Telegram refuses with 409 Conflict; run one replica, set MINSHENG_REDIS_URL or use the webhook")
	}
	return nil
}

// answererHooks are what serve hears from the answerer: what the metrics
// count (failed LLM calls, routes, stripped characters), and abstentions
// and "closest" answers, for the unanswered queue; and where the LLM's
// switch and token count are kept when the replicas share them.
type answererHooks struct {
	Metrics      *metrics.Metrics
	OnUnanswered func(bot.Request, bot.Answer)
	// What several replicas share (see shared.go): conversations, and
	// where the curated answers are kept and counted.
	Turns          bot.TurnStore
	CuratedDir     string
	CuratedCounter curated.Counter
	Snapshots      Snapshots
	// The LLM switch and the token count in PostgreSQL; nil without one.
	Switch switchSource
	Tokens bot.TokenCounter
}

// queueCompactEvery is how often serve drops queue entries past their
// retention: the retention is counted in days, so daily keeps it to the
// day.
const queueCompactEvery = 24 * time.Hour

// compactQueue drops expired queue entries now and every
// queueCompactEvery until ctx ends.
func compactQueue(ctx context.Context, q *bot.Queue, log *slog.Logger) {
	t := time.NewTicker(queueCompactEvery)
	defer t.Stop()
	for {
		res, err := q.Compact()
		switch {
		case err != nil:
			log.Error("unanswered queue not compacted", "error", bot.Mask(err.Error()))
		case res.Expired+res.Damaged > 0:
			log.Info("unanswered queue compacted", "kept", res.Kept, "expired", res.Expired, "damaged", res.Damaged)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// serveHTTP serves until ctx ends, then lets in-flight requests (streamed
// answers included) finish within timeout before closing what is left.
// Request contexts do not derive from ctx, so a SIGTERM does not cut an
// answer that is being written.
func serveHTTP(ctx context.Context, srv *http.Server, ln net.Listener, timeout time.Duration, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", timeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		<-errc
		return fmt.Errorf("requests still running after %v were cut: %w", timeout, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// feedbackLog is kept next to the index unless told otherwise. The salt
// that hashes voters is made once and kept beside the log, so that repeat
// votes stay recognisable across restarts without an operator choosing one.
func (c serveConfig) feedbackLog() (*bot.FeedbackLog, error) {
	path := c.FeedbackPath
	if path == "" {
		path = filepath.Join(c.DataDir, "feedback.jsonl")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("feedback log: %w", err)
	}
	salt := c.FeedbackSalt
	if salt == "" {
		var err error
		if salt, err = loadOrCreateSalt(filepath.Join(filepath.Dir(path), "feedback.salt")); err != nil {
			return nil, fmt.Errorf("feedback salt: %w", err)
		}
	}
	return bot.NewFeedbackLog(path, salt), nil
}

func loadOrCreateSalt(path string) (string, error) {
	if raw, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(raw))) >= 16 {
		return strings.TrimSpace(string(raw)), nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	salt := hex.EncodeToString(b)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another process made it first, or it is too short: use what is there
		// if it is usable, otherwise replace it.
		if raw, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(raw))) >= 16 {
			return strings.TrimSpace(string(raw)), nil
		}
		return salt, os.WriteFile(path, []byte(salt+"\n"), 0o600)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(salt + "\n"); err != nil {
		f.Close()
		return "", err
	}
	return salt, f.Close()
}

func newLogger(w io.Writer, asJSON bool, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if asJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logLines turns the index's progress lines into log records, so that
// JSON logs stay JSON.
type logLines struct{ log *slog.Logger }

func (l logLines) Write(p []byte) (int, error) {
	for _, line := range strings.Split(string(p), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			l.log.Info(line)
		}
	}
	return len(p), nil
}
