package retrieval

import (
	"errors"
	"strings"
	"testing"
)

var knownRegions = [][]string{{"辽宁省", "沈阳市", "浑南区"}, {"辽宁省", "大连市"}}

func TestParseFile(t *testing.T) {
	html := `<html><head><title>浑南区养老通知</title><script>var x="菜单"</script></head><body>
<nav>网站首页 | 关于我们</nav><h1>关于做好浑南区老年人助餐服务的通知</h1>
<p>发布日期:2024-03-05</p><p>一、工作目标</p><p>1.建成社区食堂15个。</p>
<footer>版权所有 辽ICP备123号</footer></body></html>`
	md := "# 大连市托育服务实施方案\n\n发布时间:2024年1月8日\n\n## 一、目标\n\n1. **新增托位** 500个。\n- [链接](http://x) 说明"
	tests := []struct {
		name, file, body string
		meta             Meta
		title, date      string
		region           string
		err              error
	}{
		{"html", "notice.html", html, Meta{}, "关于做好浑南区老年人助餐服务的通知", "2024-03-05", "辽宁省 › 沈阳市 › 浑南区", nil},
		{"markdown", "plan.md", md, Meta{}, "大连市托育服务实施方案", "2024-01-08", "辽宁省 › 大连市", nil},
		{"flags win", "plan.md", md, Meta{Region: []string{"湖北省", "襄阳市"}, Date: "2023"}, "大连市托育服务实施方案", "2023", "湖北省 › 襄阳市", nil},
		{"no region", "x.txt", "关于养老的通知\n1.建成食堂。", Meta{Date: "2024"}, "", "", "", ErrNeedMeta},
		{"no date", "x.txt", "关于浑南区养老的通知\n1.建成食堂。", Meta{}, "", "", "", ErrNeedMeta},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseFile(tc.file, []byte(tc.body), tc.meta, knownRegions)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != tc.title || d.Date != tc.date || RegionName(d.Region) != tc.region {
				t.Errorf("got %q %q %q", d.Title, d.Date, RegionName(d.Region))
			}
			for _, p := range d.Passages(DefaultSplit) {
				if strings.Contains(p.Text, "菜单") || strings.Contains(p.Text, "ICP") || strings.Contains(p.Text, "**") {
					t.Errorf("markup or chrome left: %q", p.Text)
				}
			}
		})
	}
}

func TestParseFileRejects(t *testing.T) {
	if _, err := ParseFile("a.pdf", []byte("x"), Meta{}, nil); err == nil {
		t.Error("pdf: want error")
	}
	if _, err := ParseFile("a.txt", []byte("\xff\xfe"), Meta{}, nil); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("GBK bytes: %v", err)
	}
	if _, err := ParseFile("a.txt", []byte("设为首页 | 加入收藏"), Meta{}, nil); err == nil {
		t.Error("chrome only: want error")
	}
}

func TestLibraryRoundTrip(t *testing.T) {
	lib := Library{Dir: t.TempDir()}
	raw := []byte("<p>关于浑南区养老的通知</p><p>1.建成食堂15个。</p>")
	d, err := ParseFile("n.html", raw, Meta{Date: "2024-05-01"}, knownRegions)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Add(d, raw); err != nil {
		t.Fatal(err)
	}
	docs, err := lib.Load()
	if err != nil || len(docs) != 1 {
		t.Fatalf("load: %v %d", err, len(docs))
	}
	if docs[0].Title != d.Title || docs[0].Date != "2024-05-01" || len(docs[0].Passages(DefaultSplit)) == 0 {
		t.Errorf("round trip lost facts: %+v", docs[0])
	}
	empty, err := Library{Dir: t.TempDir() + "/none"}.Load()
	if err != nil || len(empty) != 0 {
		t.Errorf("missing folder: %v %d", err, len(empty))
	}
}
