package bot

import "regexp"

// personalRecord matches requests to look up a named person's records:
// a look-up verb, someone's name or relation followed by 的, and a kind of
// personal record. The bot has no access to any records and must not
// pretend to; a question about how such records work is not matched.
var personalRecord = regexp.MustCompile(
	`(查|查询|调取|调出|查看|查一下|查查|看看|看一下|告诉我|打听|找出)[^,。?!]{0,6}?` +
		`(\p{Han}{1,4}|[a-zA-Z]+)的` +
		`(社保|医保|低保|养老金|退休金|公积金|缴费|档案|记录|信息|账户|存款|住址|地址|电话|手机号|身份证|工资|病历|补贴|救助金)`)

// refusesRecords reports whether q asks for someone's personal records.
func refusesRecords(q string) bool { return personalRecord.MatchString(q) }

const recordsRefusal = "抱歉,我不能查询任何人的社保、医保、低保、养老金等个人记录,也不处理个人信息。" +
	"我只能解答公开政策文件中的内容。个人业务请本人携带有效证件到社区服务中心或相关窗口办理," +
	"也可以拨打12345政务服务便民热线咨询。"
