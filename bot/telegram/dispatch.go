package telegram

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

// Messages the bot sends besides answers live with everything else a
// resident reads, in bot/messages.go.
const (
	noticeTooFast   = bot.MsgTooFast
	noticeBusy      = bot.MsgOneAtATime
	busyText        = bot.MsgBusy
	restartText     = bot.MsgRestart
	unsupportedText = bot.MsgTextOnly
	expiredText     = bot.MsgExpired
)

// commandMenu is what /start, /help and Telegram's command menu offer.
var commandMenu = [][2]string{
	{"start", "介绍:能回答什么、依据哪些文件"},
	{"help", "使用帮助"},
	{"region", "选择地区"},
	{"sources", "查看收录的政策文件"},
	{"new", "开始新的对话(忘掉之前的问题)"},
}

// dispatch is the library's handler for every update. It runs in the
// library's worker, one update at a time, so it only decides and hands the
// slow part (anything that talks to Telegram) to a tracked goroutine; the
// rate limits therefore see messages in the order they arrived.
//
// An update is acted on once, however often it arrives (webhook and
// polling alike); it counts as seen only here, once it has parsed.
func (b *Bot) dispatch(_ context.Context, _ *tgbot.Bot, upd *models.Update) {
	defer b.recoverPanic("dispatch")
	if (upd.Message != nil || upd.CallbackQuery != nil) && !b.seen.first(upd.ID, b.now()) {
		b.log.Debug("duplicate update ignored", "update_id", upd.ID)
		return
	}
	done := func() {}
	if c := b.opt.Claims; c != nil && (upd.Message != nil || upd.CallbackQuery != nil) {
		if !c.Claim(upd.ID) {
			b.log.Debug("update handled by another replica", "update_id", upd.ID)
			return
		}
		id := upd.ID
		done = sync.OnceFunc(func() { c.Done(id) })
	}
	switch {
	case upd.Message != nil:
		if !b.onMessage(upd.ID, upd.Message, done) {
			done()
		}
	case upd.CallbackQuery != nil:
		cq := upd.CallbackQuery
		if !b.spawn("button", func(ctx context.Context) { defer done(); b.button(ctx, cq) }) {
			done()
		}
	default:
		// Edits, channel posts, member changes: nothing to answer. An
		// edited question is not answered again.
		b.log.Debug("update ignored", "update_id", upd.ID)
	}
}

// onMessage acts on a message; true when a question's answer is under way
// and will call done when it is delivered, false when done is the
// caller's to call (nothing slow was started, or only a short reply).
func (b *Bot) onMessage(updateID int64, msg *models.Message, done func()) bool {
	if msg.From != nil && msg.From.IsBot {
		return false // other bots, and echoes of this one: never a conversation
	}
	chat := msg.Chat.ID
	group := msg.Chat.Type == models.ChatTypeGroup || msg.Chat.Type == models.ChatTypeSupergroup
	if msg.Chat.Type != models.ChatTypePrivate && !group {
		return false
	}
	cmd, isCmd, forUs := parseCommand(msg.Text, b.username())
	if isCmd && !forUs {
		return false // /help@another_bot
	}
	replyTo := 0
	if group {
		// In a group the bot reads along; it speaks only when spoken to.
		if !isCmd && !b.addressed(msg) {
			return false
		}
		replyTo = msg.ID
	}
	var kind string
	switch {
	case isCmd:
		kind = "command"
	case strings.TrimSpace(msg.Text) != "":
		kind = "question"
	case hasMedia(msg):
		kind = "media"
	default:
		return false // service messages: members joining, pins, …
	}

	// A question takes the chat first, so that one refused for the
	// question under way costs the chat none of its rate.
	finish, busy := func() {}, false
	if kind == "question" {
		end, ok := b.gate.Begin(chat, b.busyTTL())
		if ok {
			// Once only: a late second call would free the chat while
			// its next question is under way.
			finish = sync.OnceFunc(end)
		}
		busy = !ok
	}
	limited := !busy && !b.gate.Allow(chat, b.opt.ChatInterval, b.opt.ChatBurst)
	if limited {
		finish()
	}
	now := b.now()
	st := b.chats.get(chat, now)
	switch st.verdict(now, busy || limited) {
	case drop:
		b.log.Debug("message dropped by the rate limit", "update_id", updateID)
		return false
	case notify:
		note := noticeTooFast
		if busy {
			note = noticeBusy
		}
		b.log.Info("chat throttled", "update_id", updateID, "busy", busy)
		b.spawn("notice", func(ctx context.Context) { b.reply(ctx, chat, replyTo, esc(note), nil) })
		return false
	}
	switch kind {
	case "command":
		b.spawn("command", func(ctx context.Context) { b.command(ctx, st, chat, replyTo, cmd, group) })
	case "media":
		b.spawn("media", func(ctx context.Context) { b.reply(ctx, chat, replyTo, esc(unsupportedText), nil) })
	case "question":
		q := msg.Text
		if group {
			q = stripMention(q, b.username())
		}
		started := b.spawn("question", func(ctx context.Context) {
			defer done()
			defer finish()
			b.answerQuestion(ctx, st, chat, replyTo, updateID, q, finish)
		})
		if !started {
			finish()
		}
		return started
	}
	return false
}

// addressed reports whether a group message is for the bot: it mentions
// the bot's @username or replies to one of the bot's messages.
func (b *Bot) addressed(msg *models.Message) bool {
	if r := msg.ReplyToMessage; r != nil && r.From != nil && r.From.ID == b.botID() {
		return true
	}
	name := b.username()
	return name != "" && (len(mentions(msg.Text, name)) > 0 || len(mentions(msg.Caption, name)) > 0)
}

// mentions finds "@name" in text (case-insensitive, as Telegram usernames
// are), not as part of a longer name: @minsheng_bot is not in @minsheng_bot2.
func mentions(text, name string) [][2]int {
	var out [][2]int
	lower, at := strings.ToLower(text), "@"+strings.ToLower(name)
	for i := 0; i < len(lower); {
		k := strings.Index(lower[i:], at)
		if k < 0 {
			break
		}
		start, end := i+k, i+k+len(at)
		if end == len(lower) || !isNameByte(lower[end]) {
			out = append(out, [2]int{start, end})
		}
		i = end
	}
	return out
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// stripMention removes the bot's @username from a question.
func stripMention(text, name string) string {
	if name == "" {
		return text
	}
	spans := mentions(text, name)
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s[0]])
		b.WriteByte(' ')
		last = s[1]
	}
	b.WriteString(text[last:])
	return strings.TrimSpace(b.String())
}

// parseCommand reads "/name" or "/name@bot" at the start of text. A
// command for another bot is a command, but not for us.
func parseCommand(text, username string) (name string, isCmd, forUs bool) {
	if !strings.HasPrefix(text, "/") {
		return "", false, false
	}
	word := text[1:]
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word = word[:i]
	}
	name, target, hasTarget := strings.Cut(word, "@")
	if name == "" || len(name) > 32 {
		return "", false, false
	}
	for _, c := range []byte(name) {
		if !isNameByte(c) && !(c >= 'A' && c <= 'Z') {
			return "", false, false // "/低保" is a question, not a command
		}
	}
	if hasTarget && !strings.EqualFold(target, username) {
		return name, true, false
	}
	return strings.ToLower(name), true, true
}

// hasMedia reports content other than text the bot cannot read.
func hasMedia(m *models.Message) bool {
	return m.Photo != nil || m.Sticker != nil || m.Voice != nil || m.Audio != nil || m.Video != nil ||
		m.VideoNote != nil || m.Document != nil || m.Animation != nil || m.Location != nil ||
		m.Contact != nil || m.Poll != nil || m.Venue != nil || m.Dice != nil || m.Story != nil ||
		m.PaidMedia != nil || m.Checklist != nil || m.Game != nil
}

func (b *Bot) command(ctx context.Context, st *chatState, chat int64, replyTo int, name string, group bool) {
	switch name {
	case "start":
		b.reply(ctx, chat, replyTo, b.startText(st, group), nil)
	case "help":
		b.reply(ctx, chat, replyTo, b.helpText(group), nil)
	case "sources":
		b.reply(ctx, chat, replyTo, b.sourcesText(), nil)
	case "region":
		text, kb := b.regionMenu(st)
		b.reply(ctx, chat, replyTo, text, kb)
	case "new":
		if f, ok := b.a.(interface{ Forget(conversation string) }); ok {
			_, conv := st.request()
			f.Forget(conv)
		}
		b.reply(ctx, chat, replyTo, "好的,已开始新的对话:之前的问题不再作为上下文。", nil)
	default:
		b.reply(ctx, chat, replyTo, "没有这个命令。"+commandLine(), nil)
	}
}

func commandLine() string {
	var parts []string
	for _, c := range commandMenu[1:] {
		parts = append(parts, "/"+c[0]+" "+esc(c[1]))
	}
	return "\n" + strings.Join(parts, "\n")
}

func (b *Bot) startText(st *chatState, group bool) string {
	var s strings.Builder
	s.WriteString("<b>您好!我是民生问答。</b>\n")
	s.WriteString(esc(bot.MsgIntro))
	docs := b.a.Documents()
	fmt.Fprintf(&s, "\n\n<b>收录的文件</b>(%d份)", len(docs))
	for i, d := range docs {
		fmt.Fprintf(&s, "\n%d. 《%s》(%s)", i+1, esc(d.Title), esc(joinNonEmpty(",", d.Issuer, d.Date)))
	}
	s.WriteString("\n\n<b>覆盖地区</b>\n")
	var names []string
	for _, r := range b.regionChoices() {
		names = append(names, esc(retrieval.RegionName(r)))
	}
	s.WriteString(strings.Join(names, ";"))
	s.WriteString("\n当前地区:" + esc(regionLabel(st.currentRegion())) + "(发送 /region 更改)")
	s.WriteString("\n\n<b>您的消息会怎样处理</b>" +
		"\n• 问题只用来在上面的文件里查找依据并生成回答。" +
		"\n• 运行日志不记录问题原文;记录的内容里身份证号、手机号、银行卡号会被遮盖。" +
		"\n• 点 👍/👎 时,这条问题和回答会遮盖上述号码后保存,用来改进服务;您的账号只以不可逆的哈希保存。" +
		"\n• 请不要发送身份证号、银行卡号等个人信息。")
	if group {
		s.WriteString("\n\n在群里,请 @" + esc(b.username()) + " 提问,或回复我的消息。")
	}
	s.WriteString("\n\n<b>命令</b>" + commandLine())
	return s.String()
}

func (b *Bot) helpText(group bool) string {
	var s strings.Builder
	s.WriteString("<b>怎么用</b>\n直接用文字提问,一次问一件事,例如:“老年食堂怎么申请?”“低保标准是多少?”\n" +
		"回答末尾列出来源;点“[1] 原文”查看引用的原文,点 👍/👎 告诉我们回答是否有用。\n" +
		"只能回答文字问题;图片、语音、文件暂不支持。")
	if name := b.username(); name != "" {
		s.WriteString("\n在群里:@" + esc(name) + " 提问,或回复我的消息。")
	}
	s.WriteString("\n\n<b>命令</b>" + commandLine())
	return s.String()
}

func (b *Bot) sourcesText() string {
	docs := b.a.Documents()
	if len(docs) == 0 {
		return "目前没有收录政策文件。"
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<b>收录的政策文件</b>(%d份)", len(docs))
	for i, d := range docs {
		fmt.Fprintf(&s, "\n\n%d. 《%s》", i+1, esc(d.Title))
		var details []string
		if d.Issuer != "" {
			details = append(details, "发文:"+esc(d.Issuer))
		}
		if d.Date != "" {
			details = append(details, "日期:"+esc(d.Date))
		}
		if len(d.Region) > 0 {
			details = append(details, "地区:"+esc(retrieval.RegionName(d.Region)))
		}
		if d.Kind != "" {
			details = append(details, "类别:"+esc(d.Kind))
		}
		if len(details) > 0 {
			s.WriteString("\n" + strings.Join(details, " · "))
		}
	}
	return s.String()
}

// regionChoices are the documents' regions in a stable order, so that an
// index in callback data means the same region when the button is pressed.
func (b *Bot) regionChoices() [][]string {
	regions := append([][]string(nil), b.a.Regions()...)
	sort.SliceStable(regions, func(i, j int) bool {
		return retrieval.RegionName(regions[i]) < retrieval.RegionName(regions[j])
	})
	return regions
}

// regionKey guards an index in callback data against a region list that
// changed since the keyboard was sent.
func regionKey(i int, name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	return "r:" + strconv.Itoa(i) + ":" + strconv.FormatUint(uint64(h.Sum32()&0xffff), 16)
}

const allRegions = "r:all"

func regionLabel(r string) string {
	if r == "" {
		return "全部地区"
	}
	return r
}

func (b *Bot) regionMenu(st *chatState) (string, *keyboard) {
	current := st.currentRegion()
	kb := &keyboard{}
	mark := func(label string, on bool) string {
		if on {
			return "✅ " + label
		}
		return label
	}
	kb.InlineKeyboard = append(kb.InlineKeyboard, []button{{Text: mark("全部地区", current == ""), CallbackData: allRegions}})
	for i, r := range b.regionChoices() {
		name := retrieval.RegionName(r)
		kb.InlineKeyboard = append(kb.InlineKeyboard, []button{{Text: mark(name, name == current), CallbackData: regionKey(i, name)}})
	}
	text := "请选择地区。之后的问题只在所选地区(含下辖地区)的文件里查找。\n当前:" + esc(regionLabel(current))
	return text, kb
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
