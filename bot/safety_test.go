package bot

import "testing"

func TestRefusesRecords(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"帮我查张三的社保", true},
		{"查一下我妈的养老金到账没有", true},
		{"能不能查询李四的低保记录", true},
		{"告诉我王五的住址", true},
		{"浑南区低保标准是多少?", false},
		{"怎么查询社保缴费记录?", false},
		{"大连的养老金会涨吗", false},
		{"查看浑南区的养老政策", false}, // 政策 is not a personal record
	}
	for _, tc := range tests {
		if got := refusesRecords(tc.q); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"我的身份证210112199001011234,电话13912345678", "我的身份证[身份证号],电话[手机号]"},
		{"卡号6222 0212 3456 7890 123", "卡号[银行卡号]"},
		{"座机024-23456789", "座机[电话]"},
		{"低保标准850元,2025年", "低保标准850元,2025年"},
	}
	for _, tc := range tests {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
