package bot

import (
	"regexp"
	"strings"
	"unicode"
)

// Mask replaces resident ID-card, bank-card and phone numbers with
// placeholders. It is applied to everything that leaves the process: LLM
// prompts, logs and the feedback log.
//
// It reads runs of digits (full-width ones too, with single spaces or
// dashes between groups, a +86 prefix or a bracketed area code) and judges
// each run as a whole, so that a policy figure is left alone: 2025年,
// 4152户, 15000000000元 (a number followed by a unit is an amount, not a
// phone), 2021 2022 2023 (years, not a card).
func Mask(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); {
		start, end, digits := digitRun(rs, i)
		if end == start {
			b.WriteRune(rs[i])
			i++
			continue
		}
		var next rune
		if end < len(rs) {
			next = rs[end]
		}
		if label := numberKind(digits, rs[start:end], next); label != "" {
			b.WriteString(label)
		} else {
			b.WriteString(string(rs[start:end]))
		}
		i = end
	}
	return b.String()
}

func asciiDigit(r rune) (rune, bool) {
	switch {
	case r >= '0' && r <= '9':
		return r, true
	case r >= '０' && r <= '９':
		return r - '０' + '0', true
	}
	return 0, false
}

// digitRun reads the run of digits starting at i, if one starts there:
// digits with single spaces, dashes or a bracketed area code between, and
// an ID card's final X. A run never starts right after a digit.
func digitRun(rs []rune, i int) (start, end int, digits string) {
	if i > 0 {
		if _, ok := asciiDigit(rs[i-1]); ok {
			return i, i, ""
		}
	}
	j := i
	var d strings.Builder
	if rs[j] == '+' || rs[j] == '＋' { // +86
		j++
	}
	if j < len(rs) && (rs[j] == '(' || rs[j] == '（') { // (024)
		j++
	}
	if j >= len(rs) {
		return i, i, ""
	}
	if _, ok := asciiDigit(rs[j]); !ok {
		return i, i, ""
	}
	k := j
	for k < len(rs) {
		if c, ok := asciiDigit(rs[k]); ok {
			d.WriteRune(c)
			k++
			continue
		}
		// one separator between digit groups
		if isSep(rs[k]) && k+1 < len(rs) {
			if _, ok := asciiDigit(rs[k+1]); ok {
				k++
				continue
			}
		}
		break
	}
	// an ID card may end in X
	if d.Len() == 17 && k < len(rs) && (rs[k] == 'X' || rs[k] == 'x' || rs[k] == 'Ｘ') {
		d.WriteRune('X')
		k++
	}
	return i, k, d.String()
}

func isSep(r rune) bool {
	return r == ' ' || r == '-' || r == '－' || r == ')' || r == '）' || r == '\u3000'
}

var idCard = regexp.MustCompile(`^[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$`)

// numberKind names what a run of digits is, or "" for an ordinary number.
func numberKind(digits string, raw []rune, next rune) string {
	amount := unicode.Is(unicode.Han, next) && strings.ContainsRune("元万亿千百人户个名家所套张平米吨倍岁年月日天次项件辆座条%", next) || next == '%'
	n := len(digits)
	switch {
	case idCard.MatchString(digits):
		return "[身份证号]"
	case n == 15 && digits[0] != '0' && !amount && !strings.ContainsAny(string(raw), " -"):
		return "[身份证号]" // first-generation 15-digit ID
	}
	if amount {
		return ""
	}
	mobile := strings.TrimPrefix(digits, "86")
	if len(mobile) == 11 && mobile[0] == '1' && mobile[1] >= '3' && mobile[1] <= '9' {
		return "[手机号]"
	}
	if n >= 16 && n <= 19 && digits[0] >= '3' && digits[0] <= '6' {
		return "[银行卡号]"
	}
	if digits[0] == '0' && n >= 10 && n <= 12 {
		return "[电话]"
	}
	return ""
}

var clauseSep = regexp.MustCompile("[,\uff0c。;\uff1b!\uff01?\uff1f\n]+")

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
