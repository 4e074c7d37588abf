package retrieval

import (
	"strings"
	"testing"
)

// A government page as scraped: a login box and a menu before the notice,
// a metadata table, the notice, a footer.
const govPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%TITLE%</title></head><body>
<div class="topbar"><a href="/login">登录</a> <a href="/reg">注册</a></div>
<div class="menu"><a href="/">首页</a> | <a href="/gk">政务公开</a> | <a href="/bs">办事服务</a></div>
<div class="main">
%HEAD%
<div class="info">%META%</div>
<div class="article">
<p>各街道、各社区:</p>
<p>为做好某某社区老年人助餐服务,现将有关事项通知如下。社区老年食堂由街道统一规划,按照就近方便的原则设置,为辖区老年人提供安全、实惠的就餐服务。</p>
<p>一、补贴标准</p>
<p>1.某某社区助餐补贴每人每月123元,由社区老年食堂在就餐时直接抵扣,不发放现金。</p>
<p>2.年满80周岁的老年人每人每月再增加补贴45元,失能老年人可以申请送餐上门服务。</p>
<p>二、申请方式</p>
<p>1.老年人或家属持身份证、户口簿到某某社区服务站提出申请,社区服务站自受理之日起6个工作日内完成审核。</p>
</div></div>
<div class="footer">版权所有:沈阳市浑南区人民政府 辽ICP备12345678号</div>
</body></html>`

func govHTML(title, head, meta string) string {
	return strings.NewReplacer("%TITLE%", title, "%HEAD%", head, "%META%", meta).Replace(govPage)
}

// The title comes from the page's <h1>, its <title> or its metadata line,
// never from the navigation above it (the bug: 《登录 注册》 in every
// answer); the metadata line gives issuer, date and number, on one line
// or on several.
func TestParseHTMLTitleAndMeta(t *testing.T) {
	const title = "关于浑南区某某社区老年助餐补贴的通知"
	tests := []struct {
		name, page                  string
		title, issuer, date, number string
	}{
		{"h1, one-line metadata",
			govHTML("浑南区人民政府", "<h1>"+title+"</h1>", "<p>发布机构:沈阳市浑南区民政局 发布日期:2024-03-01</p>"),
			title, "沈阳市浑南区民政局", "2024-03-01", ""},
		{"no h1: <title> without the site's name, multi-line metadata",
			govHTML(title+" - 沈阳市浑南区人民政府", "", "<p>发布机构:</p><p>沈阳市浑南区民政局</p><p>发布日期:</p><p>2024-03-01</p><p>文号:</p><p>浑民发〔2024〕7号</p>"),
			title, "沈阳市浑南区民政局", "2024-03-01", "浑民发〔2024〕7号"},
		{"metadata table with 标题, padded labels",
			govHTML("浑南区人民政府", "", "<table><tr><td>标　　题:"+title+"</td></tr><tr><td>发文机关:沈阳市浑南区民政局</td><td>文　　号:浑民发〔2024〕7号</td></tr><tr><td>发布日期:2024年3月1日</td></tr></table>"),
			title, "沈阳市浑南区民政局", "2024-03-01", "浑民发〔2024〕7号"},
		{"logo in <h1>, title in <h2>",
			govHTML("沈阳市浑南区人民政府", "<h1>沈阳市浑南区人民政府</h1><h2>"+title+"</h2>", "<p>发布机构:沈阳市浑南区民政局 发布日期:2024-03-01 文号:浑民发〔2024〕7号</p>"),
			title, "沈阳市浑南区民政局", "2024-03-01", "浑民发〔2024〕7号"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseFile("notice.html", []byte(tc.page), Meta{}, knownRegions)
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != tc.title || d.Issuer != tc.issuer || d.Date != tc.date {
				t.Errorf("title %q issuer %q date %q, want %q %q %q", d.Title, d.Issuer, d.Date, tc.title, tc.issuer, tc.date)
			}
			if tc.number != "" {
				if n := Clean(readHTML(tc.page).whole).Number; n != tc.number {
					t.Errorf("number %q, want %q", n, tc.number)
				}
			}
			ps := d.Passages(DefaultSplit)
			found := false
			for _, p := range ps {
				for _, chrome := range []string{"登录", "注册", "首页", "政务公开", "版权所有", "发布机构", "发布日期"} {
					if strings.Contains(p.Text, chrome) || strings.Contains(p.Section, chrome) {
						t.Errorf("passage keeps %q: %s | %s", chrome, p.Section, p.Text)
					}
				}
				found = found || strings.Contains(p.Text, "123元")
			}
			if !found {
				t.Errorf("no passage holds 123元: %+v", ps)
			}
		})
	}
}

// A line of menu words is navigation wherever it stands; prose that
// mentions them is not.
func TestNavOnly(t *testing.T) {
	for _, tc := range []struct {
		line string
		nav  bool
	}{
		{"登录 注册", true}, {"登录 | 注册", true}, {"首页 / English / 繁體", true}, {"无障碍 长者模式", true},
		{"登录政务服务网申请补贴", false}, {"第一章 总则", false}, {"一、补贴标准", false}, {"", false},
	} {
		if got := navOnly(tc.line); got != tc.nav {
			t.Errorf("navOnly(%q) = %v", tc.line, got)
		}
	}
}

func FuzzReadHTML(f *testing.F) {
	f.Add(govHTML("浑南区人民政府", "<h1>关于助餐补贴的通知</h1>", "<p>发布机构:浑南区民政局 发布日期:2024-03-01</p>"))
	f.Add("<h1><h1>登录 注册</h1></h1><table><td>标 题:x")
	f.Fuzz(func(t *testing.T, page string) {
		p := readHTML(page) // must not panic
		if len(p.heading) > 0 && !titleLike(p.heading) {
			t.Errorf("heading %q is not title-like", p.heading)
		}
	})
}
