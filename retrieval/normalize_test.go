package retrieval

import (
	"math/rand/v2"
	"slices"
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
		{"(jìn)", "(jìn)"},                // not after a Han character
		{"社区(合成1市)推進(jìn)", "社区(合成1市)推進"}, // a reading after another bracket
		{"服务(ǎo)", "服务"},
		{"推进\uFF08jìn\uFF09", "推进"},
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

// TestCCTableMatchesOpenCC checks the fast converter against opencc's own
// Convert, both ways, on the seed documents, on traditional text, and on
// strings made of dictionary keys run together, where overlapping and
// nested keys decide which one wins.
func TestCCTableMatchesOpenCC(t *testing.T) {
	docs, err := SeedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range docs {
		texts = append(texts, d.Text, d.Title)
	}
	texts = append(texts, "推進社會養老服務體系建設", "一目瞭然的乾隆皇帝著作", "於是他們瞭解了頭髮和發展", "",
		"abc 123", "\u3000全角")
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sc := range []*script{t2s, s2t} {
		sc.convert("推進") // builds both
		var keys []string
		for _, g := range sc.tab.chain {
			for _, d := range g {
				for k := range d.words {
					keys = append(keys, k)
				}
			}
		}
		slices.Sort(keys)
		for range 2000 {
			var b strings.Builder
			for range 1 + rng.IntN(8) {
				k := keys[rng.IntN(len(keys))]
				if rng.IntN(3) == 0 { // a key cut short, or run into the next
					rs := []rune(k)
					k = string(rs[:1+rng.IntN(len(rs))])
				}
				b.WriteString(k)
			}
			texts = append(texts, b.String())
		}
		for _, s := range texts {
			want, err := sc.cc.Convert(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.tab.convert(s); got != want {
				t.Fatalf("%s(%q) = %q, opencc gives %q", sc.name, s, got, want)
			}
		}
	}
}
