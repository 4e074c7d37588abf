package retrieval

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cleaned is a scraped page reduced to the document's own lines, plus what
// the page chrome said about the document (issuer, date) before it was cut.
type Cleaned struct {
	Lines []string
	// Date is YYYY-MM-DD when the page stated one (发布日期, 稿源 …), else "".
	Date string
	// Issuer is the 发布机构 when the page stated one, else a public body
	// named as the 来源.
	Issuer string
	// Title is the 标题 of a metadata table, else "".
	Title string
	// Number is the document number (文号, 发文字号), else "".
	Number string

	explicitIssuer bool
	sourceOrg      string
}

// chromeMarkers are phrases that only occur in site chrome: menus, login
// boxes, footers, record numbers, share and print links. A line holding one
// of them is dropped if it is short enough to be chrome rather than prose.
var chromeMarkers = []string{
	"设为首页", "加入收藏", "繁体中文", "网站首页", "首页 >", "您现在的位置", "当前位置",
	"欢迎光临", "用户名", "密 码", "密码:", "忘记密码", "注册 |",
	"上一篇", "下一篇", "版权所有", "all rights reserved", "copyright", "icp备", "icp证",
	"公安备案", "网安备", "网站标识码", "技术支持", "免责声明", "二维码", "扫一扫",
	"打印此文", "关闭窗口", "刷新页面", "打印本页", "友情链接", "主办:", "承办:",
	"点击数", "浏览次数", "阅读次数", "分享到", "字号:", "返回顶部", "网站地图", "网站导航",
	"联系我们", "邮件:", "e-mail", "责任编辑", "【大 中 小】", "【字体",
}

// metaKeys are the labels of the metadata tables government sites print
// above a document (索引号, 发布机构 …).
var metaKeys = []string{
	"索引号", "文件编号", "发文字号", "文号", "成文日期", "发布机构", "发文机关", "发布日期",
	"有效性", "公开方式", "公开范围", "主题分类", "体裁分类", "来源", "稿源",
	"更新时间", "发布时间", "作者", "信息来源", "标题", "文件名称",
}

// metaKey finds the labels of metaKeys in a line, also where a table pads
// them with spaces (标　　题:), and where several share one line
// ("发布机构:X 发布日期:2024-03-01").
var metaKey = func() *regexp.Regexp {
	keys := make([]string, len(metaKeys))
	for i, k := range metaKeys {
		keys[i] = strings.Join(strings.Split(k, ""), ` ?`)
	}
	// Longer keys first, so that 发文字号 is not read as 文号.
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	return regexp.MustCompile(`(?:^|\s)(` + strings.Join(keys, "|") + `) ?:`)
}()

// maxMetaValue is the longest a metadata value may be: a line beyond it
// is prose that happens to start like a label.
const maxMetaValue = 60

var (
	timestampLine = regexp.MustCompile(`^\d{4}[/-]\d{1,2}[/-]\d{1,2}\s*(上午|下午|\d{1,2}:)`)
	anyDate       = regexp.MustCompile(`(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})`)
	emailOrPhone  = regexp.MustCompile(`[\w.]+@[\w.]+|0\d{2,3}-\d{7,8}`)
	blankRun      = regexp.MustCompile(` +`)
)

// Clean strips web boilerplate and pinyin notes from a scraped page and
// returns the document's own lines. It never drops a long line: prose that
// merely mentions a marker word (登录, 二维码) is kept.
func Clean(raw string) Cleaned {
	raw = strings.ToValidUTF8(raw, " ")
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.ReplaceAll(raw, "\r", "\n")
	var c Cleaned
	lines := strings.Split(raw, "\n")
	for i := 0; i < len(lines); i++ {
		line := tidy(lines[i])
		if line == "" {
			continue
		}
		// Metadata table: "- 发布机构:" followed by "- 大连市政府办公室", or
		// several labels with their values on one line.
		if pairs := metaPairs(line); pairs != nil {
			if last := &pairs[len(pairs)-1]; last.val == "" {
				// The value is the next line that is not blank: pages put
				// label and value in blocks of their own.
				j := i + 1
				for j < len(lines) && tidy(lines[j]) == "" {
					j++
				}
				if j < len(lines) {
					next := strings.TrimSpace(strings.TrimPrefix(tidy(lines[j]), "-"))
					if metaPairs(next) == nil {
						last.val = next
						i = j
					}
				}
			}
			for _, p := range pairs {
				c.noteMeta(p.key, p.val)
			}
			continue
		}
		if isChrome(line) {
			if m := anyDate.FindStringSubmatch(line); m != nil && c.Date == "" && strings.Contains(line, "更新时间") {
				c.Date = isoDate(m)
			}
			continue
		}
		c.Lines = append(c.Lines, StripPinyin(line))
	}
	if c.Issuer == "" {
		c.Issuer = c.sourceOrg
	}
	return c
}

func (c *Cleaned) noteMeta(key, val string) {
	switch key {
	case "发布机构", "发文机关":
		if !c.explicitIssuer && val != "" {
			c.Issuer, c.explicitIssuer = val, true
		}
	case "标题", "文件名称":
		if c.Title == "" {
			c.Title = val
		}
	case "文号", "发文字号", "文件编号":
		if c.Number == "" {
			c.Number = val
		}
	case "发布日期", "成文日期", "稿源", "来源", "更新时间", "发布时间":
		if m := anyDate.FindStringSubmatch(val); m != nil && (c.Date == "" || key == "发布日期") {
			c.Date = isoDate(m)
		}
		// 来源: names the issuer when it is a public body (浑南区民政局),
		// not when it is a newspaper or a website (大连日报, 政府网). An
		// explicit 发布机构 wins over it, wherever it stands.
		if key == "来源" || key == "稿源" {
			if org := issuerOf(val); org != "" && c.sourceOrg == "" {
				c.sourceOrg = org
			}
		}
	}
}

var orgSuffixes = []string{"人民政府", "政府办公室", "办公室", "办公厅", "委员会", "局", "厅", "委", "部", "办", "中心", "政府"}

// issuerOf returns the first word of a source line when it ends like a
// public body's name.
func issuerOf(val string) string {
	name := strings.Fields(val)
	if len(name) == 0 {
		return ""
	}
	for _, media := range []string{"日报", "晚报", "报社", "新闻", "融媒体", "编辑部", "电视台", "广播", "网"} {
		if strings.Contains(name[0], media) {
			return ""
		}
	}
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(name[0], suf) && utf8.RuneCountInString(name[0]) <= 30 {
			return name[0]
		}
	}
	return ""
}

func isoDate(m []string) string {
	pad := func(s string) string {
		if len(s) == 1 {
			return "0" + s
		}
		return s
	}
	return m[1] + "-" + pad(m[2]) + "-" + pad(m[3])
}

// tidy folds full-width ASCII (brackets, colons, digits) to half-width and
// runs of blanks to one space, so that every later rule needs one spelling.
// 。“”、 are not in that range and stay as written.
func tidy(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000 || r == 0x00A0 || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	s = blankRun.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

type metaPair struct{ key, val string }

// metaPairs reads a metadata line such as "- 发布机构:", "稿源: 浑南区政府网
// 2023-10-30" or "发布机构:X 发布日期:2024-03-01 文号:Y" into its labels and
// values; nil when the line does not start with a label.
func metaPairs(line string) []metaPair {
	l := strings.TrimSpace(strings.TrimPrefix(line, "-"))
	if !strings.Contains(l, ":") { // every label ends with one
		return nil
	}
	locs := metaKey.FindAllStringSubmatchIndex(l, -1)
	if len(locs) == 0 || locs[0][0] != 0 || utf8.RuneCountInString(l) > maxMetaValue*len(locs) {
		return nil
	}
	pairs := make([]metaPair, len(locs))
	for i, m := range locs {
		end := len(l)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		pairs[i] = metaPair{key: strings.ReplaceAll(l[m[2]:m[3]], " ", ""), val: strings.TrimSpace(l[m[1]:end])}
	}
	return pairs
}

// navWords are the entries of a site's menus and account boxes. A line
// made of nothing else is navigation (登录 注册, 首页 | English), whatever
// its length; the words alone in prose are kept.
var navWords = map[string]bool{
	"登录": true, "注册": true, "退出": true, "登录/注册": true, "免费注册": true, "个人中心": true, "用户中心": true,
	"首页": true, "网站首页": true, "返回首页": true, "搜索": true, "高级搜索": true, "无障碍": true, "无障碍浏览": true,
	"长者模式": true, "关怀版": true, "适老化": true, "简体": true, "繁体": true, "繁體": true, "简体版": true,
	"繁体版": true, "english": true, "手机版": true, "移动版": true, "邮箱": true, "智能问答": true, "政务微博": true,
	"政务微信": true, "法人登录": true, "个人登录": true, "注册登录": true,
}

// navSeparators split the entries of a menu line.
var navSeparators = regexp.MustCompile(`[\s|/·•]+`)

func navOnly(line string) bool {
	words := 0
	for _, w := range navSeparators.Split(strings.ToLower(line), -1) {
		if w == "" {
			continue
		}
		if !navWords[w] {
			return false
		}
		words++
	}
	return words > 0
}

func isChrome(line string) bool {
	n := utf8.RuneCountInString(line)
	if n > 160 {
		return false
	}
	if navOnly(line) {
		return true
	}
	low := strings.ToLower(line)
	for _, m := range chromeMarkers {
		if strings.Contains(low, m) {
			return true
		}
	}
	if timestampLine.MatchString(line) {
		return true
	}
	if n < 80 && (strings.Count(line, "|") >= 2 || strings.Contains(line, " > ") || strings.Contains(line, " › ")) {
		return true
	}
	if n < 80 && emailOrPhone.MatchString(line) && !strings.ContainsAny(line, "。;") {
		return true
	}
	// Lines without a single Han character or digit-bearing word are menu
	// separators, stray punctuation or record numbers.
	han := 0
	for _, r := range line {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	return han == 0
}
