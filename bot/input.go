package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionRunes bounds a question. Real questions are a sentence or two;
// a page of text is a paste by mistake or an attempt to flood the bot.
const MaxQuestionRunes = 500

// CleanQuestion checks a question and returns it trimmed, or a KindBadInput
// error whose message tells the person what to change.
func CleanQuestion(q string) (string, error) {
	if !utf8.ValidString(q) {
		return "", badInput("问题里有无法识别的字符(不是有效的UTF-8文本),请重新输入。")
	}
	for _, r := range q {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return "", badInput("问题里有控制字符,请只输入普通文字。")
		}
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return "", badInput("问题是空的。请输入想咨询的内容,例如:“浑南区有老年食堂吗?”")
	}
	if n := utf8.RuneCountInString(q); n > MaxQuestionRunes {
		return "", badInput("问题太长了(" + strconv.Itoa(n) + "字),请控制在" + strconv.Itoa(MaxQuestionRunes) + "字以内,一次问一件事。")
	}
	meaningful := false
	for _, r := range q {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			meaningful = true
			break
		}
	}
	if !meaningful {
		return "", badInput("问题里只有标点或符号。请用文字描述想咨询的内容。")
	}
	return q, nil
}
