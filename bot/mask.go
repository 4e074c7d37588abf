package bot

import (
	"regexp"
	"strings"
)

// Patterns of personal numbers that must never reach an LLM or a log:
// resident ID cards (18 digits, last may be X), mainland mobile numbers,
// landlines with area code, and bank card numbers (16–19 digits, possibly
// grouped by spaces or dashes).
var (
	idCard   = regexp.MustCompile(`(?i)\b[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dx]\b`)
	bankCard = regexp.MustCompile(`\b(?:\d[ -]?){15,18}\d\b`)
	mobile   = regexp.MustCompile(`(?:\+?86[ -]?)?\b1[3-9]\d[ -]?\d{4}[ -]?\d{4}\b`)
	landline = regexp.MustCompile(`\b0\d{2,3}-?\d{7,8}\b`)
)

// Mask replaces ID-card, bank-card and phone numbers with placeholders. It
// is applied to everything that leaves the process: LLM prompts, logs and
// the feedback log.
func Mask(s string) string {
	s = idCard.ReplaceAllString(s, "[身份证号]")
	s = bankCard.ReplaceAllString(s, "[银行卡号]")
	s = mobile.ReplaceAllString(s, "[手机号]")
	s = landline.ReplaceAllString(s, "[电话]")
	return s
}

var clauseSep = regexp.MustCompile(`[,,。;;!!??\n]+`)

// withoutPersonalClauses drops the clauses of a question that carry
// personal numbers ("我身份证…,电话…,低保标准多少?"): they are context
// about the asker, not words to search the documents for.
func withoutPersonalClauses(q string) string {
	masked := Mask(q)
	if masked == q {
		return q
	}
	var keep []string
	for _, c := range clauseSep.Split(masked, -1) {
		if c = strings.TrimSpace(c); c != "" && !strings.Contains(c, "[身份证号]") && !strings.Contains(c, "[银行卡号]") &&
			!strings.Contains(c, "[手机号]") && !strings.Contains(c, "[电话]") {
			keep = append(keep, c)
		}
	}
	if len(keep) == 0 {
		return masked
	}
	return strings.Join(keep, ",")
}
