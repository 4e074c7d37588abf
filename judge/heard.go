package judge

import (
	"regexp"
	"strconv"
	"strings"
)

// Span is a range of amounts, both ends included.
type Span struct{ Lo, Hi float64 }

// Holds reports whether v is in the span.
func (s Span) Holds(v float64) bool { return v >= s.Lo && v <= s.Hi }

// heardRe finds an amount written in figures or Chinese numerals, with
// what may follow it: 多 or 几 (八百多: 800–899), a unit of money, or a
// year or an age that is no amount.
var heardRe = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?|[零一二两三四五六七八九十百千万]+)(多|几|来)?(块|元|岁|年|周岁|个月|月|号|级)?`)

// heardAmounts are the amounts a question names, leaving out years (with
// 年 or, in English, a number that reads as one), ages, months, days and
// grades, and numbers under 10 (几个人, 一个月), which
// say how many rather than how much.
func heardAmounts(core string) []Span {
	var out []Span
	for _, m := range heardRe.FindAllStringSubmatch(core, -1) {
		switch m[3] {
		case "岁", "年", "周岁", "个月", "月", "号", "级":
			continue
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

// parseAmount reads 850, 八百五十, 八百五 (850), 一千三 (1,300), 三万.
func parseAmount(s string) (float64, bool) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, true
	}
	var total, section, digit float64
	lastPlace := 0.0
	seen := false
	for _, r := range s {
		switch {
		case r == '万':
			total += (section + digit) * 10000
			section, digit, lastPlace = 0, 0, 10000
		case placeValue[r] > 0:
			if digit == 0 && r == '十' {
				digit = 1 // 十五 is 15
			}
			section += digit * placeValue[r]
			digit, lastPlace = 0, placeValue[r]
		default:
			d, ok := digitOf[r]
			if !ok {
				return 0, false
			}
			digit, seen = d, true
		}
	}
	if !seen && lastPlace == 0 {
		return 0, false
	}
	// 八百五 is 850: a digit after a place counts a tenth of it
	if digit > 0 && lastPlace >= 100 && !strings.ContainsRune(s, '零') {
		digit *= lastPlace / 10
	}
	return total + section + digit, true
}
