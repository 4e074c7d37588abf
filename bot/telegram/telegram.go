// Package telegram is the Telegram channel of 民生问答: it turns chat
// messages into bot.Requests and verified bot.Answers into Telegram
// messages with numbered sources and buttons.
//
// The go-telegram/bot library does the HTTP and the JSON. It leaves to its
// users what a public bot needs, so this package adds it: a webhook that
// refuses forged or oversized updates before the library sees them, one
// question at a time per chat and a bound on answers overall, each update
// answered once however often it is delivered, recovery from panics (the
// library runs handlers unguarded), 429s waited out up to a bound (a reply
// held longer is dropped, logged and counted, never silently), quiet
// handling of users who blocked the bot, and messages Telegram accepts
// (escaped HTML, split under 4096 characters, plain text when the
// formatting is refused). The token is scrubbed from every error and log,
// and an update that does not parse is logged by its ID, never its text.
package telegram

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

// Channel names this channel in feedback and metrics.
const Channel = "telegram"

// Answerer is what the channel needs from the answering side;
// *bot.Answerer is one.
type Answerer interface {
	AnswerStream(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error)
	Documents() []retrieval.DocumentInfo
	Regions() [][]string
}

// Claims share the updates being handled among replicas, so that a
// webhook redelivery reaching another replica is not answered twice.
// Claim is true for the one caller that takes the update: false when it
// is done or held by another. Done marks it answered for good; a claim
// never marked done (its replica died) lapses, and a redelivery is then
// answered by another replica.
type Claims interface {
	Claim(updateID int64) bool
	Done(updateID int64)
}

// ChatGate holds each chat's limits: the rate of its messages and its one
// question at a time. Without one, Options.Chats is this process's memory;
// replicas sharing one (serve's, over Redis) hold a chat to its limits
// wherever its messages arrive.
type ChatGate interface {
	// Allow takes one of the chat's tokens from a bucket of burst tokens
	// that regains one per interval; false when none is left.
	Allow(chat int64, interval time.Duration, burst int) bool
	// Begin marks a question of the chat under way, for at most ttl (a
	// replica that died must not hold its chats for ever); ok is false
	// while another is. end, called once, frees the chat.
	Begin(chat int64, ttl time.Duration) (end func(), ok bool)
}

// PollLease lets one replica of several long-poll Telegram, which answers
// a second client polling the same token with 409 Conflict. Hold and
// Release are called from one goroutine.
type PollLease interface {
	// Hold takes the lease or renews it, and reports whether this replica
	// holds it. Run calls it every Options.LeaseEvery and polls only while
	// it is true, so the lease must outlast a few of those.
	Hold(ctx context.Context) bool
	// Release gives the lease up, so that another replica polls at once
	// rather than once it expires.
	Release()
}

// Options configure the Telegram channel. Zero limits take the defaults
// given beside them.
type Options struct {
	// Token is the bot token from @BotFather (MINSHENG_TELEGRAM_TOKEN).
	Token string
	// APIURL is the Bot API server ("" = Telegram's own), e.g. a local
	// telegram-bot-api server (MINSHENG_TELEGRAM_API_URL).
	APIURL string
	// WebhookURL switches from long polling to a webhook: the public HTTPS
	// URL at which WebhookHandler is mounted (MINSHENG_TELEGRAM_WEBHOOK_URL).
	// A URL without a path gets DefaultWebhookPath; see WebhookPath.
	WebhookURL string
	// WebhookSecret is required with WebhookURL: Telegram sends it with
	// every update, and updates without it are refused
	// (MINSHENG_TELEGRAM_WEBHOOK_SECRET; 1–256 of A–Z a–z 0–9 _ -).
	WebhookSecret string
	// Username is the bot's @username, used to see that a group message is
	// addressed to the bot; "" asks Telegram (getMe) when Run starts.
	Username string
	// Claims, when set, makes an update acted on by one replica of several
	// (see Claims); without it each replica remembers the updates it saw.
	Claims Claims
	// Chats, when set, holds the chats' rate limits and their one question
	// at a time (see ChatGate); nil keeps them in this process.
	Chats ChatGate
	// Lease, when set, makes long polling wait for it (see PollLease), so
	// that of several replicas polling one token only its holder polls and
	// another takes over when that one stops. Webhooks do not use it.
	Lease PollLease
	// LeaseEvery is how often Run asks for the lease (default 2 s).
	LeaseEvery time.Duration
	// Feedback stores 👍/👎; nil only thanks the user.
	Feedback *bot.FeedbackLog
	// Queue, when set, also receives every 👎 with its reason, for the
	// staff's list of what residents could not get answered.
	Queue *bot.Queue
	// Logger receives the channel's logs; nil discards them. The channel
	// adds channel=telegram to every line itself.
	Logger *slog.Logger
	// Observe, when set, is called once per question answered (or failed),
	// with channel "telegram", for metrics.
	Observe func(channel string, ans bot.Answer, err error)
	// Dropped, when set, is called with channel "telegram" for every reply
	// that could not be delivered, for metrics, with the reason: one of
	// DropRateLimit, DropShutdown, DropFailed.
	Dropped func(channel, reason string)

	// ChatInterval is the average time one chat must leave between
	// messages the bot acts on (default 3 s); ChatBurst how many it may
	// send at once before that applies (default 3).
	ChatInterval time.Duration
	ChatBurst    int
	// MaxConcurrent bounds answers computed at once (default 4);
	// QueueWait is how long a question waits for a free slot before the
	// user is told the service is busy (default 30 s).
	MaxConcurrent int
	QueueWait     time.Duration
	// AnswerTimeout bounds one answer, LLM included (default 90 s).
	AnswerTimeout time.Duration
	// ShutdownGrace is how long work under way when Run's context ends may
	// take, delivery included (default 15 s); serve passes its shutdown
	// timeout. Answers not done by then less a reserve for delivery (a
	// third of it, at most 10 s) are cancelled and their askers told so.
	ShutdownGrace time.Duration
	// MaxRetryAfter is how long, in all, a reply may wait for Telegram's
	// 429 Too Many Requests to pass (default 5 min). A reply Telegram would
	// hold longer is dropped, logged by a hash of its chat and counted.
	MaxRetryAfter time.Duration
}

// Defaults of Options.
const (
	DefaultChatInterval  = 3 * time.Second
	DefaultChatBurst     = 3
	DefaultMaxConcurrent = 4
	DefaultQueueWait     = 30 * time.Second
	DefaultAnswerTimeout = 90 * time.Second
	DefaultShutdownGrace = 15 * time.Second
	DefaultLeaseEvery    = 2 * time.Second
	// DefaultMaxRetryAfter: a reply a few minutes late still answers a
	// resident who is waiting for it; much later, they have given up or
	// asked again, and the wait only holds a goroutine.
	DefaultMaxRetryAfter = 5 * time.Minute
	// DefaultWebhookPath is where updates arrive when the webhook URL names
	// no path.
	DefaultWebhookPath = "/telegram/webhook"
)

const (
	// maxWebhookBody bounds one webhook request; real updates are a few KiB.
	maxWebhookBody = 1 << 20
	// maxPending bounds goroutines working on updates, whatever the limits
	// per chat, so a flood from many chats cannot exhaust memory.
	maxPending = 1000
	// maxChats and chatTTL bound what is remembered per chat (region,
	// conversation, rate limit).
	maxChats = 100_000
	chatTTL  = 30 * 24 * time.Hour
	// maxAnswers and answerTTL bound the answers kept for their buttons.
	maxAnswers = 4096
	answerTTL  = 48 * time.Hour
	// maxSeenUpdates and seenTTL bound the update IDs remembered to answer
	// a redelivered update once; Telegram keeps an update for 24 hours.
	maxSeenUpdates = 100_000
	seenTTL        = 24 * time.Hour
	// pollTimeout bounds one getUpdates call, the long poll included (the
	// library's default).
	pollTimeout = time.Minute
)

// Reasons a reply was dropped (Options.Dropped).
const (
	// DropRateLimit: Telegram's 429 would have held it past MaxRetryAfter.
	DropRateLimit = "rate_limit"
	// DropShutdown: still being sent, or waiting out a 429, when the
	// shutdown grace ended.
	DropShutdown = "shutdown"
	// DropFailed: any other failure (network, Telegram refusing it).
	DropFailed = "failed"
)

// allowedUpdates are the update kinds the bot acts on; Telegram does not
// send the others (edits, channel posts, member changes), and any that
// still arrive are ignored.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}

// Bot is a running Telegram channel.
type Bot struct {
	a     Answerer
	opt   Options
	log   *slog.Logger
	tg    *tgbot.Bot
	token string

	me atomic.Pointer[identity]

	sem     chan struct{}
	chats   *chatStore
	answers *answerStore
	seen    *updateSet
	gate    ChatGate

	// base outlives Run's ctx for most of the grace period, so that answers
	// under way when shutdown starts can still finish; out, its parent,
	// lives until the end of the grace, so that what they came to (or an
	// apology, when they were cut) can still be sent.
	base    context.Context
	stop    context.CancelFunc
	out     context.Context
	stopOut context.CancelFunc
	wg      sync.WaitGroup
	pending atomic.Int64
	running atomic.Bool

	// chatKey keys the chat hashes in logs: random per process, so that
	// a log line can be matched with other lines of the same chat, but
	// not with a chat ID.
	chatKey [16]byte

	// Timings; tests shorten them.
	editEvery   time.Duration // between edits of a growing answer
	typingEvery time.Duration // between "typing…" actions
	sendTimeout time.Duration // per Bot API call
	grace       time.Duration // for answers under way at shutdown
	now         func() time.Time
}

type identity struct {
	id       int64
	username string
}

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// New checks opt and prepares the channel; nothing is sent until Run.
func New(a Answerer, opt Options) (*Bot, error) {
	if a == nil {
		return nil, errors.New("telegram: no answerer")
	}
	token := strings.TrimSpace(opt.Token)
	if token == "" {
		return nil, errors.New("telegram: the bot token is empty (set MINSHENG_TELEGRAM_TOKEN)")
	}
	if strings.ContainsAny(token, " \t\r\n/?#") {
		return nil, errors.New("telegram: the bot token contains characters a token cannot have")
	}
	if opt.WebhookURL != "" {
		u, _, err := WebhookPath(opt.WebhookURL)
		if err != nil {
			return nil, fmt.Errorf("telegram: webhook URL: %w", err)
		}
		opt.WebhookURL = u
		if opt.WebhookSecret == "" {
			return nil, errors.New("telegram: a webhook needs a secret (set MINSHENG_TELEGRAM_WEBHOOK_SECRET)")
		}
		if !secretPattern.MatchString(opt.WebhookSecret) {
			return nil, errors.New("telegram: the webhook secret must be 1–256 characters of A–Z, a–z, 0–9, _ and -")
		}
	}
	opt.APIURL = strings.TrimRight(strings.TrimSpace(opt.APIURL), "/")
	if opt.APIURL != "" {
		if err := checkURL(opt.APIURL); err != nil {
			return nil, fmt.Errorf("telegram: API URL: %w", err)
		}
	}
	opt.Username = strings.TrimPrefix(strings.TrimSpace(opt.Username), "@")
	if opt.ChatInterval <= 0 {
		opt.ChatInterval = DefaultChatInterval
	}
	if opt.ChatBurst <= 0 {
		opt.ChatBurst = DefaultChatBurst
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = DefaultMaxConcurrent
	}
	if opt.QueueWait <= 0 {
		opt.QueueWait = DefaultQueueWait
	}
	if opt.AnswerTimeout <= 0 {
		opt.AnswerTimeout = DefaultAnswerTimeout
	}
	if opt.ShutdownGrace <= 0 {
		opt.ShutdownGrace = DefaultShutdownGrace
	}
	if opt.LeaseEvery <= 0 {
		opt.LeaseEvery = DefaultLeaseEvery
	}
	if opt.MaxRetryAfter <= 0 {
		opt.MaxRetryAfter = DefaultMaxRetryAfter
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := &Bot{
		a: a, opt: opt, log: log.With("channel", Channel), token: token,
		sem:         make(chan struct{}, opt.MaxConcurrent),
		chats:       newChatStore(maxChats, chatTTL),
		answers:     newAnswerStore(maxAnswers, answerTTL),
		seen:        newUpdateSet(maxSeenUpdates, seenTTL),
		editEvery:   1200 * time.Millisecond,
		typingEvery: 4500 * time.Millisecond,
		sendTimeout: 15 * time.Second,
		grace:       opt.ShutdownGrace,
		now:         time.Now,
	}
	b.gate = opt.Chats
	if b.gate == nil {
		b.gate = localGate{b}
	}
	rand.Read(b.chatKey[:])
	b.out, b.stopOut = context.WithCancel(context.Background())
	b.base, b.stop = context.WithCancel(b.out)

	options := []tgbot.Option{
		// getMe is called by Run, with a deadline, not by the constructor.
		tgbot.WithSkipGetMe(),
		// The library's own dispatch runs each update in a fresh goroutine
		// with no bound and no recovery; dispatch here is synchronous and
		// quick, and starts the tracked goroutines itself.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(b.dispatch),
		// The library's own logs can quote whole updates: its errors go
		// through libraryError, its debug lines (off unless WithDebug) nowhere.
		tgbot.WithErrorsHandler(b.libraryError),
		tgbot.WithDebugHandler(func(string, ...any) {}),
		tgbot.WithHTTPClient(pollTimeout, &http.Client{Timeout: pollTimeout,
			Transport: &screen{next: http.DefaultTransport, log: b.log}}),
		tgbot.WithAllowedUpdates(allowedUpdates),
	}
	if opt.APIURL != "" {
		options = append(options, tgbot.WithServerURL(opt.APIURL))
	}
	tg, err := tgbot.New(token, options...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", b.scrub(err))
	}
	b.tg = tg
	if opt.Username != "" {
		b.me.Store(&identity{id: tg.ID(), username: opt.Username})
	}
	return b, nil
}

// plainSegment is a path segment that means the same to Telegram, to a
// proxy and to the HTTP server's router: no escapes, no pattern syntax.
var plainSegment = regexp.MustCompile(`^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$`)

// WebhookPath checks a webhook URL and returns it as it is to be given to
// Telegram, with DefaultWebhookPath when it names no path, and the path
// at which WebhookHandler must be mounted for the updates to arrive. The
// path must be plain (letters, digits, . _ ~ - between slashes), so that
// it is a valid route as it stands.
func WebhookPath(raw string) (webhookURL, path string, err error) {
	if err := checkURL(raw); err != nil {
		return "", "", err
	}
	u, _ := url.Parse(raw)
	if u.Path == "" {
		u.Path, u.RawPath = DefaultWebhookPath, ""
	}
	if u.RawPath != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("the path %q must be plain, with no escapes or fragment", u.EscapedPath())
	}
	if inner := strings.TrimSuffix(strings.TrimPrefix(u.Path, "/"), "/"); inner != "" {
		for _, seg := range strings.Split(inner, "/") {
			if !plainSegment.MatchString(seg) || seg == "." || seg == ".." {
				return "", "", fmt.Errorf("the path %q must be plain: letters, digits, . _ ~ - between single slashes, e.g. %s", u.Path, DefaultWebhookPath)
			}
		}
	}
	return u.String(), u.Path, nil
}

// WebhookPath is where the HTTP server must mount WebhookHandler; "" when
// the bot polls.
func (b *Bot) WebhookPath() string {
	if b.opt.WebhookURL == "" {
		return ""
	}
	_, p, _ := WebhookPath(b.opt.WebhookURL) // checked by New
	return p
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return errors.New("must be an absolute http(s) URL")
	}
	return nil
}

// Run serves until ctx is cancelled: by long polling (while it holds
// Options.Lease, when one is set), or with a webhook, which it registers
// (updates then arrive through WebhookHandler). Answers
// under way when ctx ends may finish, and be delivered, within
// Options.ShutdownGrace; Run returns once they are. It returns
// nil after a cancellation and an error when the bot cannot start (a wrong
// token, a webhook Telegram refuses).
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	defer b.drain()
	if err := b.identify(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	b.setCommands(ctx)
	if b.opt.WebhookURL != "" {
		err := b.startup(ctx, "setWebhook", func(ctx context.Context) error {
			_, err := b.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: b.opt.WebhookURL,
				SecretToken: b.opt.WebhookSecret, AllowedUpdates: allowedUpdates})
			return err
		})
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("telegram: register webhook: %w", err)
		}
		b.log.Info("telegram webhook registered", "bot", b.username())
		b.tg.StartWebhook(ctx)
		return nil
	}
	// A webhook left from an earlier deployment makes getUpdates fail with
	// 409 Conflict; polling needs it gone.
	err := b.call(ctx, "deleteWebhook", func(ctx context.Context) error {
		_, err := b.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
		return err
	})
	if err != nil && ctx.Err() == nil {
		b.log.Warn("could not remove an old webhook; polling may fail with 409", "err", b.clean(err))
	}
	if b.opt.Lease != nil {
		b.pollHolding(ctx)
		return nil
	}
	b.log.Info("telegram long polling started", "bot", b.username())
	b.tg.Start(ctx)
	return nil
}

// pollHolding long-polls while this replica holds the lease, until ctx
// ends. It asks for the lease every LeaseEvery, starts polling when it gets
// it and stops when it loses it, so that two replicas do not poll at once
// for longer than one renewal; at the end it stops polling before giving
// the lease up. Updates this replica fetched but had not confirmed when it
// stopped are fetched again by the next holder (Telegram confirms an update
// only with the next getUpdates), and Claims keeps them from being
// answered twice.
func (b *Bot) pollHolding(ctx context.Context) {
	lease := b.opt.Lease
	var halt func() // set while polling
	defer func() {
		if halt != nil {
			halt()
		}
		lease.Release()
	}()
	waiting := false
	t := time.NewTicker(b.opt.LeaseEvery)
	defer t.Stop()
	for {
		held := lease.Hold(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case held && halt == nil:
			b.log.Info("telegram long polling started: this replica holds the poll lease", "bot", b.username())
			halt, waiting = b.startPolling(ctx), false
		case !held && halt != nil:
			b.log.Warn("telegram long polling stopped: another replica holds the poll lease")
			halt()
			halt, waiting = nil, true
		case !held && !waiting:
			b.log.Info("telegram long polling waits: another replica holds the poll lease")
			waiting = true
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// startPolling long-polls until halt is called (or ctx ends); halt returns
// once the library has stopped asking and handing out updates.
func (b *Bot) startPolling(ctx context.Context) (halt func()) {
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.tg.Start(pctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// identify learns the bot's user ID and @username, which group mentions
// and replies are recognised by. It fails on a wrong token.
func (b *Bot) identify(ctx context.Context) error {
	if b.me.Load() != nil {
		return nil
	}
	var me *models.User
	err := b.startup(ctx, "getMe", func(ctx context.Context) error {
		var err error
		me, err = b.tg.GetMe(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram: getMe (is the token right?): %w", err)
	}
	b.me.Store(&identity{id: me.ID, username: me.Username})
	return nil
}

// startup makes a call the bot cannot start without. Telegram being
// unreachable or failing (network errors, 5xx) is waited out with backoff
// until ctx ends; a refusal (wrong token, bad webhook URL) is returned at
// once, since retrying cannot fix it.
func (b *Bot) startup(ctx context.Context, method string, f func(ctx context.Context) error) error {
	wait := time.Second
	for {
		err := b.call(ctx, method, f)
		if err == nil || ctx.Err() != nil || refused(err) {
			return err
		}
		b.log.Warn("telegram unreachable at start; retrying", "method", method, "in", wait, "err", b.clean(err))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// refused is an answer from Telegram that retrying will not change.
func refused(err error) bool {
	for _, e := range []error{tgbot.ErrorBadRequest, tgbot.ErrorUnauthorized, tgbot.ErrorForbidden,
		tgbot.ErrorNotFound, tgbot.ErrorConflict} {
		if errors.Is(err, e) {
			return true
		}
	}
	var tooMany *tgbot.TooManyRequestsError
	return errors.As(err, &tooMany) // call already waited as long as it should
}

func (b *Bot) username() string {
	if me := b.me.Load(); me != nil {
		return me.username
	}
	return ""
}

func (b *Bot) botID() int64 {
	if me := b.me.Load(); me != nil && me.id != 0 {
		return me.id
	}
	return b.tg.ID()
}

// setCommands fills the command menu Telegram shows; the bot works without it.
func (b *Bot) setCommands(ctx context.Context) {
	cmds := make([]models.BotCommand, 0, len(commandMenu))
	for _, c := range commandMenu {
		cmds = append(cmds, models.BotCommand{Command: c[0], Description: c[1]})
	}
	err := b.call(ctx, "setMyCommands", func(ctx context.Context) error {
		_, err := b.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds})
		return err
	})
	if err != nil && ctx.Err() == nil {
		b.log.Warn("could not set the command menu", "err", b.clean(err))
	}
}

// maxDeliveryReserve bounds the part of the grace kept for delivery.
const maxDeliveryReserve = 10 * time.Second

// drain waits for work under way within the grace period. Answers still
// being computed when only the delivery reserve is left are cancelled, so
// that their askers can be told before the end; what is still being sent
// at the end is cut.
func (b *Bot) drain() {
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	defer b.stopOut()
	reserve := min(maxDeliveryReserve, b.grace/3)
	compute := time.NewTimer(b.grace - reserve)
	defer compute.Stop()
	select {
	case <-done:
		b.stop()
		return
	case <-compute.C:
	}
	b.log.Warn("shutdown: cancelling answers still under way", "left_to_deliver", reserve)
	b.stop()
	deliver := time.NewTimer(reserve)
	defer deliver.Stop()
	select {
	case <-done:
		return
	case <-deliver.C:
		b.log.Warn("shutdown: cutting replies still being sent")
	}
	b.stopOut()
	<-done
}

// spawn runs f in a tracked goroutine that recovers from panics. f gets
// the delivery context, which ends at the end of the shutdown grace;
// computing an answer uses b.base, which ends earlier. It refuses (and
// returns false) when too much work is already pending.
func (b *Bot) spawn(what string, f func(ctx context.Context)) bool {
	if b.pending.Add(1) > maxPending {
		b.pending.Add(-1)
		b.log.Warn("too much pending work; update dropped", "what", what)
		return false
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer b.pending.Add(-1)
		defer b.recoverPanic(what)
		f(b.out)
	}()
	return true
}

// recoverPanic keeps one bad update from taking the process down: the
// library does not recover its handlers.
func (b *Bot) recoverPanic(what string) {
	if v := recover(); v != nil {
		b.log.Error("panic recovered", "in", what, "panic", panicText(v))
	}
}

// panicText is a panic value fit for a log: masked and short, since it may
// quote user text.
func panicText(v any) string {
	s := bot.Mask(fmt.Sprint(v))
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

// scrubbed is an error whose message had the token removed; errors.Is and
// errors.As still see the original.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// scrub removes the token from err's message: the library's errors can
// carry the request URL, which contains it.
func (b *Bot) scrub(err error) error {
	if err == nil {
		return nil
	}
	msg := b.scrubText(err.Error())
	if msg == err.Error() {
		return err
	}
	return &scrubbed{msg: msg, err: err}
}

func (b *Bot) scrubText(s string) string {
	if b.token == "" {
		return s
	}
	s = strings.ReplaceAll(s, b.token, "<token>")
	if esc := url.PathEscape(b.token); esc != b.token {
		s = strings.ReplaceAll(s, esc, "<token>")
	}
	return s
}

// clean is an error as it may be logged: no token, personal numbers
// masked, bounded length (library errors can quote response bodies).
func (b *Bot) clean(err error) string {
	if err == nil {
		return ""
	}
	s := bot.Mask(b.scrubText(err.Error()))
	if r := []rune(s); len(r) > 500 {
		s = string(r[:500]) + "…"
	}
	return s
}

// chatHash names a chat in logs: a keyed hash, never the chat ID, which
// identifies a resident.
func (b *Bot) chatHash(chat int64) string {
	h := hmac.New(sha256.New, b.chatKey[:])
	fmt.Fprint(h, chat)
	return hex.EncodeToString(h.Sum(nil)[:6])
}
