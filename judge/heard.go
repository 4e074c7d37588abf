package judge

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Span is a range of amounts, both ends included.
type Span struct{ Lo, Hi float64 }

// Holds reports whether v is in the span.
func (s Span) Holds(v float64) bool { return v >= s.Lo && v <= s.Hi }

// heardRe finds an amount written in figures or Chinese numerals, with
// what may follow it: 多 or 几 (八百多: 800–899), a unit of money, or a
// year or an age that is no amount.
var heardRe = regexp.MustCompile(`([0-9][0-9,]*(?:\.[0-9]+)?(?:万|千)?|[零一二两三四五六七八九十百千万]+)(多|几|来)?(块|元|岁|年|周岁|个月|月|号|级|%|％)?`)

// heardAmounts are the amounts a question names, leaving out years (with
// 年 or, in English, a number that reads as one), ages, months, days and
// grades, and numbers under 10 (几个人, 一个月), which
// say how many rather than how much.
func heardAmounts(core string) []Span {
	var out []Span
	for _, m := range heardRe.FindAllStringSubmatch(core, -1) {
		switch m[3] {
		case "岁", "年", "周岁", "个月", "月", "号", "级", "%", "％":
			continue
		case "":
			if m[2] == "" {
				continue // a bare number (12345热线, 几个人) is no amount heard
			}
		}
		v, ok := parseAmount(m[1])
		if !ok || v < 10 || (m[3] == "" && v >= 1949 && v <= 2100 && v == float64(int(v))) {
			continue // a year said without 年 ("by 2025") is no amount
		}
		sp := Span{v, v}
		if m[2] != "" {
			// 八百多 is 800 to 899, 一千三来 1,250 to 1,350: counted at the
			// place of the last digit said
			step := lastPlace(v)
			sp = Span{v - step/2, v + step/2}
			if m[2] == "多" || m[2] == "几" {
				sp = Span{v, v + step - 1}
			}
		}
		out = append(out, sp)
	}
	return out
}

// checkedClause is the clause of core that checks an amount of money the
// asker heard ("是不是一年发3600块", "每月给500块,是这个数不"): the clause
// naming it asks, or a short ask right after it points back at it. An
// amount in the asker's story ("让人骗了三千块,钱还能要回来不") is not
// checked. "" for none.
func checkedClause(core string) string {
	var cs []string
	for _, c := range clauseRe.Split(core, -1) {
		if c = strings.TrimSpace(c); c != "" {
			cs = append(cs, c)
		}
	}
	for i, c := range cs {
		if !namesSum(c) {
			continue
		}
		if asks(c) || (i+1 < len(cs) && utf8.RuneCountInString(cs[i+1]) <= checkBackRunes && containsAny(cs[i+1], checkBack)) {
			return c
		}
	}
	return ""
}

// checkBackRunes is the longest clause read as asking whether the one
// before is right ("是这个数不", "到底对不对啊"): longer, it asks its own.
const checkBackRunes = 7

// checkBack asks whether what was just said is right ("是这个数不", "对吗";
// not 对不, which is inside 对不起).
var checkBack = []string{"这个数", "这数", "是吗", "对吗", "对不对", "是真的", "真的吗", "真的假的", "没错", "准不准", "靠谱"}

// namesSum reports whether clause c names a sum of money: an amount with
// 块 or 元 as heardRe reads it (3600块, 五块钱; not 一块 "together" without
// 钱, nor a count under ten without it), or a sum said per month without
// its unit (每月800, 一个月给500; not 每月15号, a date).
func namesSum(c string) bool {
	for _, m := range heardRe.FindAllStringSubmatchIndex(c, -1) {
		unit := ""
		if m[6] >= 0 {
			unit = c[m[6]:m[7]]
		}
		if unit != "块" && unit != "元" {
			continue
		}
		if v, ok := parseAmount(c[m[2]:m[3]]); ok && (v >= 10 || strings.HasPrefix(c[m[1]:], "钱") || unit == "元") {
			return true
		}
	}
	for _, m := range perMonthSum.FindAllStringIndex(c, -1) {
		if r, _ := utf8.DecodeRuneInString(c[m[1]:]); !strings.ContainsRune("号日天次岁年月", r) {
			return true
		}
	}
	return false
}

// perMonthSum is a sum said per month without its unit (每月800).
var perMonthSum = regexp.MustCompile(`(?:每人每月|每月|每个月|一个月)(?:给|发|补|能拿|能领|是|有)?(?:[1-9][0-9]{1,4}|[一二两三四五六七八九][百千][零一二两三四五六七八九十百]*)`)

// lastPlace is the place of v's last digit that is not zero: 100 for 800
// and 1,300, 10 for 850 and 30.
func lastPlace(v float64) float64 {
	n, m := int64(v), 1.0
	for n >= 10 && n%10 == 0 {
		n /= 10
		m *= 10
	}
	return m
}

var digitOf = map[rune]float64{'零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var placeValue = map[rune]float64{'十': 10, '百': 100, '千': 1000}

// parseAmount reads 850, 1,200, 3万, 八百五十, 八百五 (850), 一千三 (1,300), 三万.
func parseAmount(s string) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	scale := 1.0
	if t, ok := strings.CutSuffix(s, "万"); ok && t != "" && t[len(t)-1] >= '0' && t[len(t)-1] <= '9' {
		s, scale = t, 10000
	} else if t, ok := strings.CutSuffix(s, "千"); ok && t != "" && t[len(t)-1] >= '0' && t[len(t)-1] <= '9' {
		s, scale = t, 1000
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v * scale, true
	}
	var total, section, digit float64
	place := 0.0 // the place of the last place character read
	seen := false
	for _, r := range s {
		switch {
		case r == '万':
			total += (section + digit) * 10000
			section, digit, place = 0, 0, 10000
		case placeValue[r] > 0:
			if digit == 0 && r == '十' {
				digit, seen = 1, true // 十五 is 15
			}
			section += digit * placeValue[r]
			digit, place = 0, placeValue[r]
		default:
			d, ok := digitOf[r]
			if !ok {
				return 0, false
			}
			digit, seen = d, true
		}
	}
	if !seen {
		return 0, false // 万 alone is no amount
	}
	// 八百五 is 850: a digit after a place counts a tenth of it
	if digit > 0 && place >= 100 && !strings.ContainsRune(s, '零') {
		digit *= place / 10
	}
	return total + section + digit, true
}
