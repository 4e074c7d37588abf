package telegram

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

// button handles a pressed inline button. Every press is answered
// (answerCallbackQuery), or the user's client keeps spinning.
func (b *Bot) button(ctx context.Context, cq *models.CallbackQuery) {
	chat, msg := callbackMessage(cq)
	kind, rest, _ := strings.Cut(cq.Data, ":")
	if chat == 0 {
		b.answerCallback(ctx, cq.ID, expiredText, false)
		return
	}
	switch kind {
	case "c":
		b.quoteButton(ctx, cq, chat, msg, rest)
	case "f":
		b.feedbackButton(ctx, cq, chat, msg, rest)
	case "r":
		b.regionButton(ctx, cq, chat, msg)
	default:
		b.answerCallback(ctx, cq.ID, "这个按钮已失效。", false)
	}
}

// callbackMessage is the chat and message a button belongs to; (0, 0) for
// buttons on inline messages, which this bot does not send.
func callbackMessage(cq *models.CallbackQuery) (int64, int) {
	switch {
	case cq.Message.Message != nil:
		return cq.Message.Message.Chat.ID, cq.Message.Message.ID
	case cq.Message.InaccessibleMessage != nil:
		return cq.Message.InaccessibleMessage.Chat.ID, cq.Message.InaccessibleMessage.MessageID
	}
	return 0, 0
}

// entry finds the answer a button refers to, only in the chat it was sent to.
func (b *Bot) entry(id string, chat int64) *answerEntry {
	e := b.answers.get(id, b.now())
	if e == nil || e.chat != chat {
		return nil
	}
	return e
}

// quoteButton shows the passage behind citation n, under the answer.
func (b *Bot) quoteButton(ctx context.Context, cq *models.CallbackQuery, chat int64, msg int, data string) {
	id, num, _ := strings.Cut(data, ":")
	n, _ := strconv.Atoi(num)
	e := b.entry(id, chat)
	if e == nil {
		b.answerCallback(ctx, cq.ID, expiredText, false)
		return
	}
	var cit *bot.Citation
	for i := range e.citations {
		if e.citations[i].N == n {
			cit = &e.citations[i]
		}
	}
	if cit == nil {
		b.answerCallback(ctx, cq.ID, expiredText, false)
		return
	}
	if !b.chats.get(chat, b.now()).admitButton(b.now()) {
		b.answerCallback(ctx, cq.ID, "请稍候再点。", false)
		return
	}
	b.answerCallback(ctx, cq.ID, "", false)
	b.reply(ctx, chat, msg, renderQuote(*cit), nil)
}

// feedbackButton handles 👍 ("f:ID:1"), 👎 ("f:ID:0"), which asks what
// was wrong with one button per reason, and a reason ("f:ID:0:CODE"),
// which records the 👎. Each user's vote on an answer counts once.
func (b *Bot) feedbackButton(ctx context.Context, cq *models.CallbackQuery, chat int64, msg int, data string) {
	parts := strings.Split(data, ":")
	e := b.entry(parts[0], chat)
	reason := ""
	valid := len(parts) == 2 && (parts[1] == "1" || parts[1] == "0")
	if len(parts) == 3 && parts[1] == "0" {
		reason, valid = bot.ParseDownvoteReason(parts[2])
	}
	if e == nil || !valid {
		b.answerCallback(ctx, cq.ID, expiredText, false)
		return
	}
	helpful := parts[1] == "1"
	if !helpful && reason == "" {
		b.askReason(ctx, cq, chat, msg, parts[0], e)
		return
	}
	if !b.answers.vote(e, cq.From.ID) {
		b.answerCallback(ctx, cq.ID, "已经收到您的反馈,谢谢!", false)
		return
	}
	fb := bot.Feedback{Channel: Channel, User: strconv.FormatInt(cq.From.ID, 10), Question: e.question, Answer: e.answer,
		Helpful: helpful, Reason: reason, Region: e.region, Route: e.route}
	seen := map[string]bool{}
	for _, c := range e.citations {
		if !seen[c.Source] {
			seen[c.Source] = true
			fb.Sources = append(fb.Sources, c.Source)
		}
		fb.Shown = append(fb.Shown, bot.Shown{Source: c.Source, Section: c.Section})
	}
	if b.opt.Feedback != nil {
		if err := b.opt.Feedback.Record(fb); err != nil {
			// Nothing is acknowledged that was not stored: the vote is
			// taken back, so the resident can press again later.
			b.log.Warn("feedback not recorded", "err", b.clean(err))
			b.answers.unvote(e, cq.From.ID)
			b.answerCallback(ctx, cq.ID, bot.MsgFeedbackNotSaved, false)
			return
		}
	}
	if b.opt.Queue != nil {
		if err := b.opt.Queue.RecordVote(fb); err != nil {
			b.log.Warn("vote not queued", "err", b.clean(err))
		}
	}
	b.log.Info("feedback", "helpful", helpful, "reason", reason)
	if helpful {
		b.answerCallback(ctx, cq.ID, "谢谢反馈!", false)
		return
	}
	b.answerCallback(ctx, cq.ID, bot.MsgReasonThanks, false)
	// The question of reasons becomes a statement of the one chosen, and
	// its buttons go.
	if err := b.editHTML(ctx, chat, msg, esc(bot.MsgReasonThanks+"("+reason+")"), nil); err != nil {
		b.report(chat, err)
	}
}

// askReason answers a 👎 with the question of what was wrong, under the
// answer, with one button per reason; the vote is recorded with the
// reason chosen.
func (b *Bot) askReason(ctx context.Context, cq *models.CallbackQuery, chat int64, msg int, id string, e *answerEntry) {
	if b.answers.voted(e, cq.From.ID) {
		b.answerCallback(ctx, cq.ID, "已经收到您的反馈,谢谢!", false)
		return
	}
	if !b.chats.get(chat, b.now()).admitButton(b.now()) {
		b.answerCallback(ctx, cq.ID, "请稍候再点。", false)
		return
	}
	b.answerCallback(ctx, cq.ID, "", false)
	b.reply(ctx, chat, msg, esc(bot.MsgReasonAsk), reasonKeyboard(id))
}

// reasonKeyboard has a button per bot.DownvoteReasons, two to a row:
// "f:ID:0:CODE", at most 2+8+3+14 bytes, well within callback data's 64.
func reasonKeyboard(id string) *keyboard {
	kb := &keyboard{}
	var row []button
	for _, r := range bot.DownvoteReasons {
		row = append(row, button{Text: r.Label, CallbackData: "f:" + id + ":0:" + r.Code})
		if len(row) == 2 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, row)
			row = nil
		}
	}
	if len(row) > 0 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	return kb
}

// regionButton remembers the chat's region and turns the menu into a
// statement of the choice.
func (b *Bot) regionButton(ctx context.Context, cq *models.CallbackQuery, chat int64, msg int) {
	st := b.chats.get(chat, b.now())
	region := ""
	if cq.Data != allRegions {
		found := false
		for i, r := range b.regionChoices() {
			if name := retrieval.RegionName(r); regionKey(i, name) == cq.Data {
				region, found = name, true
			}
		}
		if !found {
			b.answerCallback(ctx, cq.ID, "地区列表已更新,请重新发送 /region。", false)
			return
		}
	}
	st.setRegion(region, region)
	label := regionLabel(region)
	b.answerCallback(ctx, cq.ID, "已选择:"+label, false)
	text := "当前地区:<b>" + esc(label) + "</b>\n"
	if region == "" {
		text += "之后的问题在所有收录的文件里查找(问题里提到的地名仍用来筛选)。"
	} else {
		text += "之后的问题只在这个地区(含下辖地区)的文件里查找。"
	}
	text += "发送 /region 可以更改。"
	if err := b.editHTML(ctx, chat, msg, text, nil); err != nil {
		b.report(chat, err)
	}
}
