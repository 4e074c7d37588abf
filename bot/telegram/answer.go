package telegram

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/minsheng/minsheng/bot"
)

// answerQuestion answers one question in a chat: typing, a draft that
// grows while an LLM writes, then the verified answer with its sources and
// buttons in place of the draft. finish frees the chat for its next
// question; it is called once the answer is computed, so that a reply
// seen by the user means the chat may ask again.
//
// ctx is the delivery context (see spawn). The answer is computed under
// b.base, which a shutdown cancels first: the reply, or the apology for an
// answer cut short, then still goes out on ctx.
func (b *Bot) answerQuestion(ctx context.Context, st *chatState, chat int64, replyTo int, updateID int64, question string, finish func()) {
	start := time.Now()
	compute := b.base
	if !b.acquire(compute) {
		text := busyText
		err := &bot.Error{Kind: bot.KindUnavailable, Message: busyText, Err: errors.New("all answer slots busy")}
		if compute.Err() != nil {
			text, err = restartText, &bot.Error{Kind: bot.KindUnavailable, Message: restartText, Err: compute.Err()}
		}
		b.observe(bot.Answer{}, err)
		b.log.Warn("question refused", "update_id", updateID, "err", b.clean(err))
		finish()
		b.reply(ctx, chat, replyTo, esc(text), nil)
		return
	}
	// The slot is for computing; delivery (perhaps waiting out a 429)
	// should not hold it.
	release := sync.OnceFunc(b.release)
	defer release()

	stopTyping := b.typing(compute, chat)
	defer stopTyping()
	region, conversation := st.request()
	req := bot.Request{ID: "tg-" + strconv.FormatInt(updateID, 10), Question: question, Region: region,
		Conversation: conversation}
	s := b.newStream(compute, chat, replyTo)
	defer s.stop()
	actx, cancel := context.WithTimeout(compute, b.opt.AnswerTimeout)
	ans, err := b.safeAnswer(actx, req, s.delta)
	cancel()
	draft := s.stop()
	stopTyping()
	release()
	finish()
	b.observe(ans, err)

	if err != nil {
		reply := bot.Reply(err)
		if compute.Err() != nil {
			reply = restartText
		}
		b.logAnswerError(updateID, err)
		b.report(chat, b.deliver(ctx, chat, replyTo, esc(reply), nil, draft))
		return
	}
	// Only what the buttons need is kept: the quotes, and for 👍/👎 the
	// question (masked, as the feedback log keeps it) and the answer.
	kept := bot.Mask(question)
	if ans.Route == bot.RouteCrisis {
		kept = "" // a crisis message is counted, never kept: a 👍/👎 on it records no text
	}
	answerRegion := ans.Region
	if answerRegion == "" {
		answerRegion = region
	}
	id := b.answers.put(&answerEntry{chat: chat, question: kept, answer: bot.Mask(ans.Answer),
		citations: ans.Citations, region: answerRegion, route: ans.Route}, b.now())
	b.report(chat, b.deliver(ctx, chat, replyTo, renderAnswer(ans), answerKeyboard(id, ans.Citations), draft))
	b.log.Info("answered", "update_id", updateID, "mode", ans.Mode, "fallback", ans.Fallback, "abstained", ans.Abstained,
		"citations", len(ans.Citations), "streamed", draft != 0, "took", time.Since(start).Round(time.Millisecond))
}

// acquire takes one of the global answer slots, waiting at most QueueWait.
func (b *Bot) acquire(ctx context.Context) bool {
	t := time.NewTimer(b.opt.QueueWait)
	defer t.Stop()
	select {
	case b.sem <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (b *Bot) release() { <-b.sem }

// safeAnswer calls the answerer, turning a panic into an internal error so
// that the user still gets a reply and the chat is freed.
func (b *Bot) safeAnswer(ctx context.Context, req bot.Request, onDelta func(string)) (ans bot.Answer, err error) {
	defer func() {
		if v := recover(); v != nil {
			stack := string(debug.Stack())
			if len(stack) > 4000 {
				stack = stack[:4000]
			}
			b.log.Error("answerer panicked", "request", req.ID, "panic", panicText(v), "stack", stack)
			ans, err = bot.Answer{ID: req.ID}, fmt.Errorf("answerer panicked: %s", panicText(v))
		}
	}()
	return b.a.AnswerStream(ctx, req, onDelta)
}

// observe reports to the metrics hook; a failing hook must not cost the
// user the answer.
func (b *Bot) observe(ans bot.Answer, err error) {
	if b.opt.Observe == nil {
		return
	}
	defer b.recoverPanic("Observe")
	b.opt.Observe(Channel, ans, err)
}

func (b *Bot) logAnswerError(updateID int64, err error) {
	if b.base.Err() != nil && errors.Is(err, context.Canceled) {
		b.log.Warn("answer cut by shutdown", "update_id", updateID)
		return
	}
	switch bot.KindOf(err) {
	case bot.KindBadInput:
		b.log.Info("question refused", "update_id", updateID, "err", b.clean(err))
	case bot.KindUnavailable:
		b.log.Warn("answering unavailable", "update_id", updateID, "err", b.clean(err))
	default:
		b.log.Error("answering failed", "update_id", updateID, "err", b.clean(err))
	}
}

// maxQuoteButtons keeps a keyboard well under Telegram's 100 buttons.
const maxQuoteButtons = 24

// answerKeyboard has a "[n] 原文" button per source and 👍/👎. Callback
// data refers to the stored answer by its short ID: "c:ID:n", "f:ID:1";
// 👎 ("f:ID:0") then offers reasonKeyboard.
func answerKeyboard(id string, cits []bot.Citation) *keyboard {
	kb := &keyboard{}
	var row []button
	for _, c := range cits[:min(len(cits), maxQuoteButtons)] {
		row = append(row, button{Text: "[" + strconv.Itoa(c.N) + "] 原文", CallbackData: "c:" + id + ":" + strconv.Itoa(c.N)})
		if len(row) == 4 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, row)
			row = nil
		}
	}
	if len(row) > 0 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	kb.InlineKeyboard = append(kb.InlineKeyboard, []button{
		{Text: "👍 有用", CallbackData: "f:" + id + ":1"},
		{Text: "👎 没用", CallbackData: "f:" + id + ":0"},
	})
	return kb
}

// stream shows an answer while it is written. Deltas arrive on the
// answerer's goroutine and only update a buffer; a separate goroutine
// sends and edits the draft no more often than editEvery, skipping
// unchanged text (Telegram refuses an edit that changes nothing). Without
// a second delta (extractive answers come whole) nothing is sent: the
// final answer goes out directly.
type stream struct {
	b       *Bot
	ctx     context.Context
	chat    int64
	replyTo int

	mu     sync.Mutex
	text   strings.Builder
	pieces int

	kick     chan struct{}
	done     chan struct{}
	finished chan struct{}
	once     sync.Once
	msg      int // the draft's message ID; read only after finished
}

func (b *Bot) newStream(ctx context.Context, chat int64, replyTo int) *stream {
	s := &stream{b: b, ctx: ctx, chat: chat, replyTo: replyTo,
		kick: make(chan struct{}, 1), done: make(chan struct{}), finished: make(chan struct{})}
	go s.run()
	return s
}

func (s *stream) delta(piece string) {
	s.mu.Lock()
	s.text.WriteString(piece)
	s.pieces++
	n := s.pieces
	s.mu.Unlock()
	if n >= 2 {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
}

// stop ends drafting and returns the draft's message ID (0 if none). After
// it returns no draft edit is in flight, so the final edit is the last.
func (s *stream) stop() int {
	s.once.Do(func() { close(s.done) })
	<-s.finished
	return s.msg
}

func (s *stream) run() {
	defer close(s.finished)
	defer s.b.recoverPanic("draft")
	var shown string
	var next time.Time
	for {
		select {
		case <-s.done:
			return
		case <-s.kick:
		}
		if wait := time.Until(next); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-s.done:
				t.Stop()
				return
			case <-t.C:
			}
		}
		s.mu.Lock()
		text := draftText(s.text.String())
		s.mu.Unlock()
		if text == shown {
			continue
		}
		pause, ok := s.show(text)
		next = time.Now().Add(max(pause, s.b.editEvery))
		if !ok {
			return
		}
		shown = text
	}
}

// show sends or edits the draft once, as plain text: it is unverified
// model output, and plain text cannot fail to parse. It returns how long
// to pause after a 429, and false when drafting should stop.
func (s *stream) show(text string) (time.Duration, bool) {
	ctx, cancel := context.WithTimeout(s.ctx, s.b.sendTimeout)
	defer cancel()
	var err error
	if s.msg == 0 {
		p := &tgbot.SendMessageParams{ChatID: s.chat, Text: text, LinkPreviewOptions: noPreview}
		if s.replyTo != 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: s.replyTo, AllowSendingWithoutReply: true}
		}
		var m *models.Message
		if m, err = s.b.tg.SendMessage(ctx, p); err == nil {
			s.msg = m.ID
		}
	} else {
		_, err = s.b.tg.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: s.chat, MessageID: s.msg,
			Text: text, LinkPreviewOptions: noPreview})
	}
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case err == nil || notModified(err):
		return 0, true
	case errors.As(err, &tooMany):
		return time.Duration(tooMany.RetryAfter) * time.Second, true
	case blocked(err):
		return 0, false
	default:
		s.b.log.Debug("draft update failed", "err", s.b.clean(err))
		return 0, true
	}
}
