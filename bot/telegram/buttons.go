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
		b.feedbackButton(ctx, cq, chat, rest)
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

// feedbackButton records 👍/👎, once per user and answer.
func (b *Bot) feedbackButton(ctx context.Context, cq *models.CallbackQuery, chat int64, data string) {
	id, vote, _ := strings.Cut(data, ":")
	e := b.entry(id, chat)
	if e == nil || vote != "1" && vote != "0" {
		b.answerCallback(ctx, cq.ID, expiredText, false)
		return
	}
	if !b.answers.vote(e, cq.From.ID) {
		b.answerCallback(ctx, cq.ID, "已经收到您的反馈,谢谢!", false)
		return
	}
	helpful := vote == "1"
	if b.opt.Feedback != nil {
		var sources []string
		seen := map[string]bool{}
		for _, c := range e.citations {
			if !seen[c.Source] {
				seen[c.Source] = true
				sources = append(sources, c.Source)
			}
		}
		err := b.opt.Feedback.Record(bot.Feedback{Channel: Channel, User: strconv.FormatInt(cq.From.ID, 10),
			Question: e.question, Answer: e.answer, Helpful: helpful, Sources: sources})
		if err != nil {
			b.log.Warn("feedback not recorded", "err", b.clean(err))
		}
	}
	b.log.Info("feedback", "helpful", helpful)
	if helpful {
		b.answerCallback(ctx, cq.ID, "谢谢反馈!", false)
	} else {
		b.answerCallback(ctx, cq.ID, "谢谢反馈,我们会改进。", false)
	}
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
