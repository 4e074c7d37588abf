package judge

import (
	"reflect"
	"testing"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"850", 850}, {"八百五十", 850}, {"八百五", 850}, {"一千三", 1300}, {"一千三百", 1300},
		{"三万", 30000}, {"十五", 15}, {"三百", 300}, {"两千", 2000}, {"一千零五十", 1050},
		{"3万", 30000}, {"1.5万", 15000}, {"1,200", 1200}, {"十", 10},
	} {
		if got, ok := parseAmount(tc.in); !ok || got != tc.want {
			t.Errorf("parseAmount(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
	}
}

func TestParseAmountRejects(t *testing.T) {
	for _, in := range []string{"万", "千", "abc", ""} {
		if v, ok := parseAmount(in); ok {
			t.Errorf("parseAmount(%q) = %v, want no amount", in, v)
		}
	}
}

func TestHeardAmounts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Span
	}{
		{"听说以后一个月能涨到八百多,到底最低是多少", []Span{{800, 899}}},
		{"是不是300块", []Span{{300, 300}}},
		{"我妈78岁,2023年的标准是多少", nil},
		{"零就业家庭能保证几个人有活干", nil},
		{"一千三来块", []Span{{1250, 1350}}},
		{"八百五十多", []Span{{850, 859}}},
		{"how many jobs by 2025", nil},
		{"是3万元吗", []Span{{30000, 30000}}},
		{"打12345热线问的", nil},
		{"听说涨了15%", nil},
		{"是2000块吗", []Span{{2000, 2000}}},
	} {
		if got := heardAmounts(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("heardAmounts(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
