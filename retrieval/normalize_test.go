package retrieval

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"推進(jìn)社會轉(zhuǎn)型", "推进社会转型"},
		{"新增就業8.8萬人", "新增就业8.8万人"},
		{"(一)总体要求", "(一)总体要求"},
		{"覆盖率100%", "覆盖率100%"},
		{"开发“帮万家”APP平台", "开发“帮万家”app平台"},
		{"空气质量(PM2.5)", "空气质量(pm2.5)"},
		{"bad\xffbyte", "bad byte"},
		{"tab\there", "tab here"},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStripPinyin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"推進(jìn)", "推進"},
		{"社區(qū)為基本單元", "社區為基本單元"},
		{"全覆蓋(gài)", "全覆蓋"},
		{"开发APP(app)", "开发APP(app)"}, // no tone mark: not pinyin
		{"(一)加快", "(一)加快"},
		{"(jìn)", "(jìn)"}, // not after a Han character
	}
	for _, tc := range tests {
		if got := StripPinyin(tc.in); got != tc.want {
			t.Errorf("StripPinyin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"推進(jìn)社會", "(一)1.", "\xff\x00abc", "全角ABC123", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Fold(%q) is not valid UTF-8: %q", s, out)
		}
		if strings.ContainsAny(out, "\n\r\t") {
			t.Fatalf("Fold(%q) kept a line break or tab: %q", s, out)
		}
		if again := Fold(out); again != out {
			t.Fatalf("Fold is not idempotent: %q → %q → %q", s, out, again)
		}
	})
}
