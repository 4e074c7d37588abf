package retrieval

import (
	"strings"
	"testing"
)

func TestCleanDropsChrome(t *testing.T) {
	page := strings.Join([]string{
		"设为首页 | 加入收藏 | 繁体中文",
		"你好,欢迎光临某某协会网站",
		"您现在的位置:协会 > 新闻中心 > 政府动态",
		"用户名:",
		"密 码:",
		"2021/8/16 上午9:31:36 星期一",
		"- 索引号:",
		"- 2102000003/2016-07601",
		"- 发布机构:",
		"- 大连市政府办公室",
		"- 发布日期:",
		"- 2016-08-18",
		"关于做好老年人助餐服务的通知",
		"一、总体要求",
		"推進(jìn)社區(qū)老年食堂建設(shè)。",
		"更多精彩内容欢迎扫描下方二维码关注!",
		"上一篇:速看! 下一篇:即日起",
		"版权所有:某某区人民政府 辽ICP备08100350号 公安备案号:21011202000218",
		"免责声明:以上内容源自网络,版权归原作者所有。",
		"邮件:someone@qq.com 电话:0411-85595991",
		"|",
	}, "\n")
	c := Clean(page)
	want := []string{"关于做好老年人助餐服务的通知", "一、总体要求", "推進社區老年食堂建設。"}
	if strings.Join(c.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(c.Lines, "\n"), strings.Join(want, "\n"))
	}
	if c.Date != "2016-08-18" || c.Issuer != "大连市政府办公室" {
		t.Errorf("date %q issuer %q, want 2016-08-18 and 大连市政府办公室", c.Date, c.Issuer)
	}
}

func TestCleanKeepsProseMentioningMarkers(t *testing.T) {
	long := "依托政务服务平台,推行扫描二维码登录办理养老待遇资格认证,实现“不见面”服务。" + strings.Repeat("持续优化经办服务流程,提高办事效率。", 8)
	c := Clean(long)
	if len(c.Lines) != 1 {
		t.Fatalf("long prose line was dropped: %v", c.Lines)
	}
}

func TestCleanDateFromSourceLine(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"稿源: 浑南区政府网 2023-10-30", "2023-10-30"},
		{"来源:大连日报 点击数:2239次 更新时间:2023/9/17 10:41:03", "2023-09-17"},
		{"发布时间:2024年3月5日", "2024-03-05"},
	} {
		if got := Clean(tc.line + "\n正文。").Date; got != tc.want {
			t.Errorf("%q: date %q, want %q", tc.line, got, tc.want)
		}
	}
}

// The seed documents must come out of cleaning without any chrome.
func TestSeedPassagesAreClean(t *testing.T) {
	docs, err := SeedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	bad := []string{"ICP", "版权所有", "上一篇", "下一篇", "二维码", "设为首页", "用户名", "(jìn)", "(qū)", "点击数", "免责声明", "公安备案"}
	for _, d := range docs {
		ps := d.Passages(DefaultSplit)
		if len(ps) < 5 {
			t.Errorf("%s: only %d passages", d.Source, len(ps))
		}
		for _, p := range ps {
			for _, b := range bad {
				if strings.Contains(p.Text, b) || strings.Contains(p.Section, b) {
					t.Errorf("%s: passage %s still holds %q: %.60s", d.Source, p.ID, b, p.Text)
				}
			}
		}
	}
}

func TestCleanIssuerFromSource(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"来源:浑南区民政局 2024-03-05", "浑南区民政局"},
		{"来源:大连日报 点击数:2239次", ""},
		{"稿源: 浑南区政府网 2023-10-30", ""},
		{"来源:沈阳市人民政府办公室", "沈阳市人民政府办公室"},
		{"来源:沈阳市融媒体中心", ""},
		{"来源:大连日报编辑部", ""},
		{"来源:浑南区民政局\n- 发布机构:\n- 沈阳市浑南区人民政府", "沈阳市浑南区人民政府"},
	} {
		if got := Clean(tc.line + "\n正文。").Issuer; got != tc.want {
			t.Errorf("%q: issuer %q, want %q", tc.line, got, tc.want)
		}
	}
}

// Metadata labels are read one to a line, several on one line, or with
// their values on the next line (the bug: "发布机构:X 发布日期:2024-03-01"
// gave the issuer "X 发布日期:2024-03-01" and no date).
func TestCleanMetadataLines(t *testing.T) {
	tests := []struct {
		name, text                  string
		issuer, date, number, title string
	}{
		{"one line", "发布机构:沈阳市浑南区民政局 发布日期:2024-03-01", "沈阳市浑南区民政局", "2024-03-01", "", ""},
		{"one line, three labels", "发布机构:浑南区民政局 发布日期:2024-03-01 文号:浑民发〔2024〕7号", "浑南区民政局", "2024-03-01", "浑民发〔2024〕7号", ""},
		{"full-width colons and spaces", "发布机构:浑南区民政局　发布日期:2024年3月1日", "浑南区民政局", "2024-03-01", "", ""},
		{"multi-line", "发布机构:\n沈阳市浑南区民政局\n发布日期:\n2024-03-01\n文号:\n浑民发〔2024〕7号", "沈阳市浑南区民政局", "2024-03-01", "浑民发〔2024〕7号", ""},
		{"dashed table", "- 发布机构:\n- 沈阳市浑南区民政局\n- 发文字号:\n- 浑民发〔2024〕7号", "沈阳市浑南区民政局", "", "浑民发〔2024〕7号", ""},
		{"padded labels", "标　　题:关于助餐补贴的通知\n文　　号:浑民发〔2024〕7号\n成文日期:2024-02-27", "", "2024-02-27", "浑民发〔2024〕7号", "关于助餐补贴的通知"},
		{"index number is not the document number", "索引号:11210112/2024-00123 发布机构:浑南区民政局", "浑南区民政局", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Clean(tc.text + "\n一、补贴标准\n1.每人每月123元。")
			if c.Issuer != tc.issuer || c.Date != tc.date || c.Number != tc.number || c.Title != tc.title {
				t.Errorf("issuer %q date %q number %q title %q, want %q %q %q %q", c.Issuer, c.Date, c.Number, c.Title, tc.issuer, tc.date, tc.number, tc.title)
			}
			if strings.Join(c.Lines, "\n") != "一、补贴标准\n1.每人每月123元。" {
				t.Errorf("lines %q", c.Lines)
			}
		})
	}
}
