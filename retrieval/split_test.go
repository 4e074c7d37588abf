package retrieval

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitHeadingPaths(t *testing.T) {
	lines := []string{
		"关于进一步保障和改善民生的实施意见",
		"一、总体要求",
		"(一)指导思想。以人民为中心。",
		"二、重点任务",
		"(六)扎实推进“品质养老”工程",
		"34.开展“舌尖上的幸福”老年人助餐暖心行动。建成社区食堂15个。",
		"(1)做好助餐补贴。对高龄老人给予补贴。",
		"附件",
		"2023年为群众办实事清单",
		"1.组织就业帮扶100场以上。",
		"2.有就业意愿的困难家庭高校毕业生100%就业。",
	}
	title, chunks := Split(lines, DefaultSplit)
	if title != "关于进一步保障和改善民生的实施意见" {
		t.Errorf("title %q", title)
	}
	want := []struct{ section, item, text string }{
		{"一、总体要求 › (一)指导思想", "", "(一)指导思想。以人民为中心。"},
		{"二、重点任务 › (六)扎实推进“品质养老”工程 › 34.开展“舌尖上的幸福”老年人助餐暖心行动", "34", "34.开展“舌尖上的幸福”老年人助餐暖心行动。建成社区食堂15个。"},
		{"二、重点任务 › (六)扎实推进“品质养老”工程 › 34.开展“舌尖上的幸福”老年人助餐暖心行动 › (1)做好助餐补贴", "1", "(1)做好助餐补贴。对高龄老人给予补贴。"},
		{"附件 › 2023年为群众办实事清单 › 1.组织就业帮扶100场以上", "1", "1.组织就业帮扶100场以上。"},
		{"附件 › 2023年为群众办实事清单 › 2.有就业意愿的困难家庭高校毕业生100%就业", "2", "2.有就业意愿的困难家庭高校毕业生100%就业。"},
	}
	if len(chunks) != len(want) {
		for _, c := range chunks {
			t.Logf("%s | %s | %s", strings.Join(c.Headings, " › "), c.Item, c.Text)
		}
		t.Fatalf("got %d chunks, want %d", len(chunks), len(want))
	}
	for i, w := range want {
		c := chunks[i]
		if got := strings.Join(c.Headings, " › "); got != w.section || c.Item != w.item || c.Text != w.text {
			t.Errorf("chunk %d: %q #%q %q\nwant %q #%q %q", i, got, c.Item, c.Text, w.section, w.item, w.text)
		}
	}
}

func TestSplitLongItemOverlaps(t *testing.T) {
	var b strings.Builder
	b.WriteString("5.实施综合改造。")
	for i := 0; i < 30; i++ {
		b.WriteString("第" + string(rune('一'+i%9)) + "项措施要求街道社区完善养老服务设施并按时足额发放补贴。")
	}
	_, chunks := Split([]string{b.String()}, SplitOptions{MaxRunes: 120})
	if len(chunks) < 3 {
		t.Fatalf("long item not split: %d chunks", len(chunks))
	}
	for i, c := range chunks {
		if n := utf8.RuneCountInString(c.Text); n > 120 {
			t.Errorf("chunk %d has %d runes", i, n)
		}
		if c.Item != "5" {
			t.Errorf("chunk %d lost its item number", i)
		}
		if i > 0 {
			prev := Sentences(chunks[i-1].Text)
			if !strings.HasPrefix(c.Text, prev[len(prev)-1]) {
				t.Errorf("chunk %d does not start with the last sentence of chunk %d", i, i-1)
			}
		}
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("一、总体\n(一)目标。到2025年达到850元。\n1.助餐。建成食堂15个。\n附件\n清单\n1.一项。")
	f.Add(strings.Repeat("很长的句子没有标点", 60))
	f.Add("(1)\n(二)\n附件:\n\n12.")
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		_, chunks := Split(c.Lines, SplitOptions{MaxRunes: 80})
		for _, ch := range chunks {
			if strings.TrimSpace(ch.Text) == "" {
				t.Fatalf("empty chunk from %q", s)
			}
			if n := utf8.RuneCountInString(ch.Text); n > 80 {
				t.Fatalf("chunk of %d runes > 80 from %q", n, s)
			}
			if !utf8.ValidString(ch.Text) {
				t.Fatalf("invalid UTF-8 chunk from %q", s)
			}
		}
	})
}
