package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxAttempts bounds the tries of one Bot API call after 429s.
const maxAttempts = 3

// errRateLimited marks a call given up because Telegram's 429 Too Many
// Requests would have held it past Options.MaxRetryAfter.
var errRateLimited = errors.New("telegram's rate limit outlasts the wait allowed")

// call runs one Bot API call with a deadline per attempt, waiting out 429
// Too Many Requests as Telegram asks (retry_after), up to maxAttempts tries
// and MaxRetryAfter of waiting in all; past that it gives up with
// errRateLimited. The library never retries. Errors come back with the
// token scrubbed.
func (b *Bot) call(ctx context.Context, method string, f func(ctx context.Context) error) error {
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, b.sendTimeout)
		err := f(actx)
		cancel()
		if err == nil {
			return nil
		}
		var tooMany *tgbot.TooManyRequestsError
		if !errors.As(err, &tooMany) {
			return fmt.Errorf("%s: %w", method, b.scrub(err))
		}
		wait := max(time.Duration(tooMany.RetryAfter)*time.Second, time.Second)
		if attempt == maxAttempts || waited+wait > b.opt.MaxRetryAfter {
			return fmt.Errorf("%s: %w (asked to wait %v more after %v, %d tries): %w",
				method, errRateLimited, wait, waited, attempt, b.scrub(err))
		}
		b.log.Info("telegram asked to slow down", "method", method, "retry_after", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: waiting out retry_after: %w", method, ctx.Err())
		case <-t.C:
		}
		waited += wait
	}
}

// blocked reports an error meaning the bot may not write to the chat: the
// user blocked it, or it was removed from the group. Nothing is to be done.
func blocked(err error) bool {
	return errors.Is(err, tgbot.ErrorForbidden)
}

func badRequest(err error, what string) bool {
	return errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(strings.ToLower(err.Error()), what)
}

// parseError is Telegram refusing a message's formatting.
func parseError(err error) bool { return badRequest(err, "can't parse entities") }

// notModified is an edit that would not change the message.
func notModified(err error) bool { return badRequest(err, "message is not modified") }

// keyboard is an inline keyboard of callback buttons. The library's own
// InlineKeyboardButton always serialises an empty "copy_text" object
// (a struct field under omitempty), which Telegram may refuse as
// BUTTON_COPY_TEXT_INVALID; this type sends only what it sets.
type keyboard struct {
	InlineKeyboard [][]button `json:"inline_keyboard"`
}

type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

var noPreview = &models.LinkPreviewOptions{IsDisabled: tgbot.True()}

// sendHTML sends one message formatted as HTML, and again as plain text
// if Telegram refuses the formatting. replyTo (0 = none) threads it under
// the question, which matters in groups.
func (b *Bot) sendHTML(ctx context.Context, chat int64, replyTo int, text string, kb *keyboard) (int, error) {
	p := &tgbot.SendMessageParams{ChatID: chat, Text: text, ParseMode: models.ParseModeHTML, LinkPreviewOptions: noPreview}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	if replyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
	}
	var msg *models.Message
	send := func(ctx context.Context) error {
		var err error
		msg, err = b.tg.SendMessage(ctx, p)
		return err
	}
	err := b.call(ctx, "sendMessage", send)
	if parseError(err) {
		b.log.Warn("telegram refused the formatting; sending plain text", "err", b.clean(err))
		p.Text, p.ParseMode = plainText(text), ""
		err = b.call(ctx, "sendMessage", send)
	}
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

// editHTML replaces a message's text (and keyboard), with the same plain
// text fallback. An edit that changes nothing is not an error.
func (b *Bot) editHTML(ctx context.Context, chat int64, id int, text string, kb *keyboard) error {
	p := &tgbot.EditMessageTextParams{ChatID: chat, MessageID: id, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: noPreview}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	edit := func(ctx context.Context) error {
		_, err := b.tg.EditMessageText(ctx, p)
		return err
	}
	err := b.call(ctx, "editMessageText", edit)
	if parseError(err) {
		b.log.Warn("telegram refused the formatting; editing as plain text", "err", b.clean(err))
		p.Text, p.ParseMode = plainText(text), ""
		err = b.call(ctx, "editMessageText", edit)
	}
	if notModified(err) {
		return nil
	}
	return err
}

// deliver sends formatted text, split into messages Telegram accepts; the
// keyboard goes under the last one. With draft (≠ 0) the first part
// replaces that message, which showed the answer growing.
func (b *Bot) deliver(ctx context.Context, chat int64, replyTo int, text string, kb *keyboard, draft int) error {
	parts := splitHTML(text, maxMessage)
	for i, part := range parts {
		var k *keyboard
		if i == len(parts)-1 {
			k = kb
		}
		if i == 0 && draft != 0 {
			err := b.editHTML(ctx, chat, draft, part, k)
			if err == nil {
				continue
			}
			if blocked(err) || errors.Is(err, errRateLimited) || ctx.Err() != nil {
				return err // a new message would fare no better
			}
			// The draft may have been deleted: send the answer anew.
			b.log.Warn("could not edit the draft; sending a new message", "err", b.clean(err))
		}
		if _, err := b.sendHTML(ctx, chat, replyTo, part, k); err != nil {
			return err
		}
		replyTo = 0
	}
	return nil
}

// reply delivers a short message and logs what went wrong, if anything.
func (b *Bot) reply(ctx context.Context, chat int64, replyTo int, text string, kb *keyboard) {
	b.report(chat, b.deliver(ctx, chat, replyTo, text, kb, 0))
}

// report logs a failed delivery. A chat that blocked the bot is forgotten
// quietly: there is no one to tell. Any other reply that did not arrive is
// dropped, never silently: logged by its chat's hash and counted.
func (b *Bot) report(chat int64, err error) {
	switch {
	case err == nil:
	case blocked(err):
		b.log.Debug("chat does not accept messages from the bot", "err", b.clean(err))
		b.chats.remove(chat)
	case errors.Is(err, errRateLimited):
		b.dropped(chat, DropRateLimit, err)
	case b.out.Err() != nil:
		b.dropped(chat, DropShutdown, err)
	default:
		b.dropped(chat, DropFailed, err)
	}
}

func (b *Bot) dropped(chat int64, reason string, err error) {
	b.log.Warn("reply dropped", "chat", b.chatHash(chat), "reason", reason, "err", b.clean(err))
	if b.opt.Dropped == nil {
		return
	}
	defer b.recoverPanic("Dropped")
	b.opt.Dropped(Channel, reason)
}

// answerCallback stops the spinner on a pressed button, with a short toast.
func (b *Bot) answerCallback(ctx context.Context, id, text string, alert bool) {
	err := b.call(ctx, "answerCallbackQuery", func(ctx context.Context) error {
		_, err := b.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text, ShowAlert: alert})
		return err
	})
	if err != nil {
		b.log.Debug("answerCallbackQuery failed", "err", b.clean(err))
	}
}

// typing shows "typing…" until stop is called, renewing it before
// Telegram's five seconds run out. stop does not cut a request in flight
// (the first one is usually still in flight for a quick answer), it waits
// for it, so no "typing…" arrives after the answer.
func (b *Bot) typing(ctx context.Context, chat int64) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer b.recoverPanic("typing")
		t := time.NewTicker(b.typingEvery)
		defer t.Stop()
		for {
			actx, cancel := context.WithTimeout(ctx, b.sendTimeout)
			_, err := b.tg.SendChatAction(actx, &tgbot.SendChatActionParams{ChatID: chat, Action: models.ChatActionTyping})
			cancel()
			if err != nil {
				b.log.Debug("sendChatAction failed", "err", b.clean(err))
				if blocked(err) {
					return
				}
			}
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}
