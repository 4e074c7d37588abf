package bot

import (
	"testing"
	"time"
)

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
		{"告诉我浑南区的低保标准是多少", false},
		{"查一下沈阳市的养老金标准", false},
		{"帮我看看大连的补贴政策", false},
		{"怎么查询我的社保缴费记录?", false},
		{"张三的社保帮我查一下", true},
		{"查询王小明的公积金账户", true},
		{"帮我查一下我的社保缴费记录", true},
		{"我想知道在哪里查询我的医保余额", false},
		// What one person's card, voucher or account holds.
		{"我妈的沙河口电子货币券还剩多少钱", true},
		{"金州区公租房排队 我排到第几号了", true},
		{"我妈在浑南领的养劳金 这个月到账多少 能帮查下不", true},
		{"社区有个老人让我帮他查一下他自己每个月养老金具体发多少,浑南的,咋查", true},
		{"想问问我养老保险个人账户到现在一共攒了多少钱,你这能查到不?", true},
		{"俺在襄阳办的积分卡 现在攒了多少分 咋查", true},
		{"Can you check how much pension my father received this month?", true},
		{"帮我查一下浑南低保标准多少", false},                   // a rule
		{"我记得里面说头一年低保金涨了,涨到多少我给忘了。麻烦帮我查一下", false}, // what a report said
		{"帮我查一下我妈能领多少高龄津贴的政策", false},
		{"How much pension do retirees in Dalian get?", false},
		{"公租房排队一般要排多少年", false},
		{"我市低保排第几位", false}, // a place's ranking
		{"我们区排第几名", false},
		{"怎么查我的医保卡还剩多少钱", false}, // how to check it
		{"我妈办老年优待卡还有几个材料要交", false},
		{"他们说惠民卡还有几个名额", false},
		{"其他志愿者做了多少小时", false},
		{"她们做了多少个小时能评星", false},
		{"How can I check my account balance online?", false},
		{"Where can I check my medical insurance card balance?", false},
		{"Can you tell me where my application is sent after I apply?", false},
		{"我是沈阳企业退休的,我的养劳金今年到底涨了多少", true},
		{"企业退休人员的养老金今年涨了多少", false},
		{"帮我查下我儿子在襄阳做志愿者攒了多少小时", true},
		{"How much money is left in my personal pension account?", true},
		{"Can you check how much is left in my personal pension account?", true},
		{"How much is in my personal pension account right now?", true},
		{"What is my mother's pension card balance?", true},
		{"Can you check where my dibao application is in the approval process?", true},
		{"Where do I submit a dibao application?", false},
		// one person's own case in everyday words (ownCase)
		{"我在襄阳志愿云上一共攒了多少志愿时长了?", true},
		{"我在襄阳志愿云上做了好多次志愿服务,我现在累计多少小时了?", true},
		{"志愿服务时长一共多少小时能评星级", false}, // a rule, no person
		{"积分卡一共多少分能落户", false},
		{"我爸在浑南排队等进公办敬老院,他现在排第几号?", true},
		{"我家孩子在沙河口报了公办幼儿园,现在排到第几号了?", true},
		{"沈阳低保标准在全省排第几", false},
		{"上个月在医大二院住院花了两万三,医保能给我报多少?", true},
		{"我上个月在浑南区医院住院,医保给我报了多少钱?", true},
		{"住院医保报销比例是多少", false},
		{"我们上个月在浑南给家里申请了适老化改造,现在审核通过了吗?", true},
		{"辖区王大爷问他家的适老化改造申请过没过", true},
		{"适老化改造申请通过了以后多久施工", false},
		{"Has my family's aging-friendly home renovation application in Hunnan been approved yet?", true},
		{"俺爸退休金一个月三千二,住沈阳皇姑区,今年调完他能拿到多少", true},
		{"你好,我姓赵,我爸刚办完退休,他一个月退休金能拿多少钱?", true},
		{"我在沈阳铁西区一家企业退休,今年我的退休金具体每月能涨多少钱?", true},
		{"有个退休老职工问他自己今年养老金每月能涨多少钱", true},
		{"How much pension will I personally get per month after I retire?", true},
		{"How much will my dad's own pension go up this year in Shenyang?", true},
		{"我爸在沈阳企业退休 养劳金今年能涨多少", false}, // this year's rise: the rule
		{"沈阳企业退休人员养老金今年具体涨多少钱?", false},
		{"老人们问我大连退休的养老钱每年调多少个百分点", false},
		{"我妈是城乡居民养老保险,基础养老金最低标准能领多少", false},
		{"襄阳志愿云 我的志愿时长 多少", true},
		{"襄阳志原云上我的志愿时常有多少小时了", true},
		{"How many volunteer hours have I logged on the Xiangyang Volunteer Cloud platform?", true},
		{"志愿服务时长多少小时能评为星级志愿者", false},
		{"我上个月在沈阳盛京医院住院花了两万多,看病报销能报多少?", true},
		{"住院费用超过1万元的部分能报多少", false}, // a rule's threshold, nothing spent
		{"我退休金每月3200,今年能涨多少钱?", true},
		{"社区有个老大爷让我帮他查他本人这个月养老金的到账金额,你能查吗?", true},
		// rules asked with a person near (review of ownCase)
		{"我想知道城乡居民养老金能领多少", false},
		{"我们这养老金一个月能领多少", false},
		{"除了企业职工,其他人的养老金能领多少", false},
		{"养老金调整挂钩本人缴费年限每多缴一年能涨多少", false},
		{"浑南低保标准在沈阳排第几", false},
		{"公租房轮候一般排到第几号能分到房", false},
		{"我听说低保申请审批通过了不用每年复核了,是真的吗", false},
		{"我想给我妈申请高龄津贴,她生日刚过了没几天,现在能申请吗", false},
		{"如果住院花了两万,城乡居民医保能报多少", false},
		{"比如我在三级医院住院花了1万元,职工医保能报销多少", false},
		{"我想问一下志愿者一年总共要服务多少小时", false},
		{"我妈每月一共能享受几个小时的居家上门服务", false},
		{"志愿者自己一共要做多少小时的服务才能评星", false},
		{"我的积分要达到多少才能申请公租房", false},
		{"养老服务时间银行里自己的积分能兑换多少服务", false},
		{"I personally want to know the dibao standard in Hunnan.", false},
		{"What materials are needed for my dibao application to be approved?", false},
		// one person's own case, missed before
		{"俺爸的退休工资一个月能拿多少", true},
		{"我爸退休工资3000,今年能涨多少", true},
		{"我住院花了12000,医保能报多少", true},
		{"我妈的护理补贴申请下来了没", true},
		{"我去年申请的公租房现在轮到没", true},
		{"我前面还有几个人在排队", true},
		{"我现在累计志愿服务时长是多少", true},
		{"My application for dibao, has it been approved?", true},
		{"how much volunteer time do i have", true},
		{"我爸上週在瀋陽住院花了多少錢,醫保能報多少?", true},
		{"My father was hospitalized in Shenyang and the bill was 30,000 yuan. How much will his medical insurance reimburse?", true},
		{"俺爸在浑南交了二十年社保,他养老钱账户里现在攒了多少钱啊", true},
		{"What's the current balance of my personal pension account?", true},
		{"住院花了多少钱能报销", false}, // no one's stay
		{"养老保险个人账户里的钱能继承吗", false},
		{"我这个月的养老金到账多少钱?", true},
		{"我这个月的养劳金打到卡上多少钱了", true},
		{"社区里的王大爷问我他这个月养老金到账多少,我是网格员,该怎么跟他说?", true},
		{"How much pension did I receive this month?", true},
		{"养老金一般每个月几号到账", false},
		{"我们这个月养老金到账多少是按什么标准", false},
		{"电子货币券还剩多少地方不能用", false},
		{"志愿者一年要服务多少小时", false},
		{"How much is paid into a personal pension account each year?", false},
		// Where one person's case stands, however asked.
		{"俺妈的养劳金这个月到没到账 咋查啊", true},
		{"我爸退休金查询 帮我看看到没到", true},
		{"我妈的低保这个月到没到", true},
		{"Can you check whether my mother's pension for this month has been paid into her bank account yet?", true},
		{"I want to know if my father (who is 80 years old) qualifies and what amount is paid", false}, // eligibility, no look-up
		{"退休金一般几号到,到了没人通知吗", false},                                                                    // no one's own payment
		{"我是金州区的网格员,有老人让我帮忙查他这个月养老金到没到账,怎么查?", true},
		{"帮我查查俺家老太太的低宝申请批下来没有", true},
		// a look-up and a case's state in one clause, the payment named anyhow
		{"查下俺老伴这个月养老钱到了没", true},
		// keywords, a balance, one's own points and building
		{"查一下 我 养老金 发放记录", true},
		{"我妈在大连的医保卡余额还有多少,咋查", true},
		{"襄阳流动人口积分卡,居民问他自己现在积了多少分", true},
		{"我家在沙河口,暖房子改造排到我们楼没有?", true},
		{"沙河口暖房子改造今年排到哪些小区了", false}, // the works list, no one's own
		{"养老金发放记录怎么查", false},
		{"我想问一下医保卡余额能不能取现", false}, // a rule, no one's balance
		{"其他城市的社保卡余额能转过来吗", false},
		{"帮我查下我家低保审批过了没 身份证后四位0312", true},
		{"我的身份证号码是2101121234,低保标准多少", true}, // an identity number is for a look-up only
		{"查一下浑南低保标准提高了没有", false},           // the rule, not a case
		{"身份证丢了怎么补办", false},
		{"查询本人养老金发放明细 浑南", true},
		{"帮我看看俺妈这个月养老钱", true},
		{"帮我查查我们小区有哪些补贴", false},
		{"看看我能领什么补助", false},
		{"帮我看看我家老人能领啥补贴", false},
		{"查一下他们区低保", false},
		{"帮忙查一下那个适老化改造审批过了没", true}, // statusLookup alone
		{"帮我查一下新的育儿补贴政策发了吗", false}, // a policy's state
		{"看看沈阳提高低保标准的方案通过了吗", false},
		{"帮我打印我的医保缴费明细", true}, // statusOwn alone
		{"居民让我帮他查下养老钱到账情况,你这能查到不", true},
		{"那我的这个月到了没", true},
		{"帮我查一下我家那栋楼排上暖房子改造没有", true},       // whether one's own building is on the list
		{"去年在大连交了低保申请材料,到现在没信,进度咋样了", true}, // an application not heard of since
		{"我一直没信心去申请低保,条件是什么", false},
		{"新的育儿补贴政策到现在没动静吗", false},   // a policy's state
		{"申请了一直没信,正常要多久能批下来", false}, // how long it takes: a procedure
		{"浑南适老化改造工程进度怎么样", false},    // a programme's progress, no case
		{"个人缴费记录断了还能领养老金吗", false},
		{"社保卡号2024年以后会换成身份证号吗", false},
		{"查一下我妈低保标准是多少", false}, // the rule, asked for a relative
		{"帮我查一下浑南低保标准", false},
		{"我妈的养劳金这个月到帐了没 帮查一下", true},
		{"养老金发放明细一般多久更新", false},
		{"我爸上个月交的低保材料现在审到哪了啥时候能批下来", true},
		{"How can I check whether my mother's pension has been paid this month?", true},
		{"Can you check whether my mother's dibao (minimum living allowance) was paid this month?", true},
		{"Can you check whether my mother-in-law's pension was paid into her account this month?", true},
		{"Can you check the status of my mother's dibao application in Dalian?", true},
		{"養老金這個月到賬了嗎", true},
		{"辖区王大爷想知道他在大连申请低保的进度,能帮忙查到吗", true},
		{"我家低保金这个月为啥还没到账?我在沙河口区春柳街道", true},
		{"养老金 本月 未到账 个人查询", true},
		{"沙河口 本人 低保金 本月 到账", true},
		{"养老金 到账 查询 本月", true},
		{"I'm retired in Dalian — can you check whether my pension arrived this month?", true},
		{"养老金按时足额到账是怎么规定的", false},
		{"低保金到账后需要本人去银行激活吗", false},
		{"养老金逾期未到账的怎么补发,有规定吗", false},
		{"Does my pension contribution history from another province count in Dalian?", false},
		{"How can I check my father's pension payment history in Shenyang?", true},
		{"My pension for this month still hasn't arrived in my bank account. Can you check?", true},
		{"Has the pension standard in Dalian not been raised this year?", false},
		{"浑南区低保审批要多少天", false},                 // how long, not where one case stands
		{"我是沙河口的低保户,刚批下来,家里能免费装煤气报警器不", false}, // the asker's situation
		{"What is the application process for dibao?", false},
		{"低保多久能批下来?", false},
		{"老旧小区改造的进度怎么样了", false}, // a programme's progress, not an application's
		{"什么条件低保能批下来", false},
		{"What documents do I need for my dibao application?", false},
		{"What is the status of the elderly care plan in Shenyang?", false},
		{"How much pension was paid in Dalian in 2023?", false},
		{"How are newly arrived migrant workers supported?", false},
		{"Has my father's pension been paid this month?", true},
		{"Is my dibao application approved yet?", true},
		{"俺在大连,帮俺看看俺的养劳金打到卡上了没", true},
		{"我妈的低保钱到卡里没有", true},
		{"俺爸的养劳金这个月发了没有,卡上没看见", true},
		{"你好,我姓赵,浑南的,去年退休的,养老金到底啥时候能打到我卡上?帮我查下。", true},
		{"Has my mother's pension for this month been paid into her account yet? She lives in Dalian.", true},
		{"养老金是打到社保卡上吗", false},
		{"我上个月申请的适老化改造,啥时候能派人来我家?", true},
		{"你好,我姓张,我去年住院的医保报销款啥时候能到账?", true},
		{"医保报销款一般多久能到账", false},
		{"我是网格员,辖区张大爷上个月递的低保申请啥时候能批,能帮我查下进度不", true},
		{"你好我姓刘 我的底保审批通过了吗", true},
		{"辖区居民张大爷在浑南申请的低保审批结果出来没有,能帮忙查一下吗", true},
		{"低保申请提交以后多久能批", false}, // the procedure
		{"我妈的低保申请交上去一个多月了 啥时候能批下来", true},
		{"俺家老爷子的退休金今天到了没 帮忙看看呗", true},
		{"那我现在积了多少分?", true},
		{"社区有个大爷说他养老金晚发了,让我帮他查下发放记录,能查到吗?", true},
		{"养老金发放记录在哪里能查", false}, // where one looks, no look-up asked of us
		{"我在襄阳的流动人口积分现在有多少分?", true},
		{"那我现在积分有多少 咋查", true},
		{"我在襄阳办的流动人口积分卡,现在积了多少分了?", true},
		{"查 养劳金 到帐 没", true},
		{"其他的积分卡积分是多少?", false}, // 他 of 其他 is no one
		{"沈阳皇姑区今年老旧小区改造名单里有没有我们小区?", true},
		{"沙河口暖房子工程今年改不改我家那栋楼?", true},
		{"沈阳铁西区我家那个小区在不在今年老旧小区改造名单里?", true},
		{"老旧小区改造名单怎么定的", false},    // how the list is made
		{"我们小区是老小区,能申请改造吗", false}, // whether such a building may apply
		{"我在樊城住了三年了,我现在积分多少了?够不够享受待遇?", true},
		{"襄阳流动人口积分多少分能享受待遇?", false},
		{"我在襄阳,积分多少分能让孩子上学?", false},
		{"积分卡积多少分能落户", false},
		{"我们社区的低保申请交了以后一般过了多久能批", false},
		{"申请低保的审批结果多久出来", false},
		{"低保审批通过了吗要看什么条件", false},
		{"我妈的养劳金这个月咋少发了两百", true},
		{"Can you check if my dibao application has been approved yet?", true},
		{"养老金少发了怎么办", true}, // still one person's payment
		{"我爸残急人护理补帖这个月没到 帮查一下", true},
		{"俺家老爷子退休金这个月少了两百块 是咋回事啊 帮忙查查", true},
		{"社区有个居民来问他家老爷子这个月退休金为啥少了两百块,我该怎么帮他查?", true},
		{"我是沈阳浑南的我那个养劳金这个月还没打过来是咋回事啊你给看看", true},
		{"When will my dad's disability certificate renewal be approved? His application was submitted last month.", true},
		{"When will the new pension standard be approved?", false},
		{"养老金这个月少了是因为政策调整吗", false},
		{"本月起养老金为什么扣了医保费", false},
		{"俺家老爷子的残疾人护理补贴咋还没打到卡上,帮俺查查", true},
		{"护理补贴这个月没发的话下个月补吗", false}, // a rule asked
		{"沈阳的养老床位为啥少了", false},
		{"我妈的退休金这个月咋少了两百块 浑南社保能帮查下她个人账户不", true},
		{"退休金这个月咋少了", true},
		{"养劳金这个月几号到账 我妈在沈阳", true},
		{"养老金一般每月几号到账", false},
		{"低保金每月几号发钱", false},
		{"沈阳养老床位这个月为啥少了", false},
		{"怎么查我的社保账户", false},
		{"他的养老金这个月到底打没打到卡上,帮我看看", true},
		{"养老金一般每月几号发", false}, // when it is paid, as a rule
		{"能帮我查下她个人账户吗", true},
		{"个人账户怎么查", false}, // how to, answered from the documents or refused by them
		{"浑南今年的床位怎么少了", false},
		{"Can you check if my dibao application got approved?", true},
		{"Can you check the status of the dibao application I submitted last month?", true},
		{"What is the status of the dibao application process in Dalian?", false},
		{"帮我查下我妈养老保险一共交了多少年", true},
		{"我是网格员,居民让我帮他查一下他在12345提交的诉求办结没有", true},
		{"养老保险要交多少年才能领", false},
		{"我是网格员,居民张大爷问他的养老金为啥这个月还没发,能帮他查一下他的发放记录吗?", true},
		{"申请适老化改造以后多久能派人来", false}, // how long it takes: the rule
		{"我妈申请了低保,一般多久能批", false},  // how long it takes, in general
		{"我想问下申请了低保以后多久能领到钱", false},
		{"俺妈交了十多年养老保险,现在六十了,啥时候能领", false},
		{"我交了15年社保,什么时候能领养老金", false},
		{"低保钱是打到我卡里还是发现金?", false},
		{"老人领不到卡没法坐公交怎么办", false},
		{"敬老卡社区发卡没有年龄限制吗", false},
		{"养老金打卡没有通知吗", false},
		{"Is my reading right that the elderly allowance is paid to everyone over 80?", false},
		{"低保金是打到卡上吗?每月几号发", false}, // how it is paid: a policy question
	}
	for _, tc := range tests {
		if got := refusesRecords(tc.q); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestAsksErrand(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"帮我挂个浑南区医院明天上午的专家号", true},
		{"您好,我想给俺妈在浑南找个住家保姆伺候她,能帮我介绍一个不?", true},
		{"能帮我妈报个名参加老年大学吗", true},
		{"Can you book me an appointment at the hospital?", true},
		{"Please find me a carer in Dalian", true},
		{"大连有没有好的国际学校推荐,孩子8岁", true},
		{"我交了15年社保,帮我算算退休后每月能领多少养劳金?", true},
		{"我交了15年社保 在沈阳退休 每月能领多少养老金", true},
		{"我在大连交了15年社保 退休能领多少养老金", true},
		{"我住院花了3万 职工医保能报多少", true},
		{"住院花了3万的人医保能报多少", false},     // no one's own bill
		{"我交了380元居民医保 住院能报多少", false}, // a premium, no bill
		{"我装修花了3万 适老化改造补贴能返多少", false},
		{"我妈花了2千块配助听器,残联能报多少", false},
		{"大连异地住院费用医保能报多少", false},
		{"我交了20年养老保险,按文件规定最低能领多少", false},  // what the rules say
		{"交了15年养老保险的人退休能领多少,文件怎么说", false}, // no one's own years
		{"低保金是怎么算的", false},                // how it is reckoned: a question
		{"每月600,一年给算下来多少", false},
		{"优秀志愿者是推荐个人还是集体", false},
		{"社区会推荐家庭医生吗", false},
		{"可以推荐所在社区的困难老人申请低保吗", false},
		{"给我推荐一家浑南的养老院", true},
		{"浑南推荐老年人参加哪些体育活动", false}, // what the documents recommend
		{"怎么给我妈挂专家号", false},       // how to do it: a question
		{"帮我查一下浑南低保标准", false},
		{"帮我看看大连有没有老年食堂", false},
		{"给老人找个吃饭的地方有没有补贴", false}, // 给 is whom the measure is for
		{"浑南区给老人介绍工作吗", false},
		{"大连给残疾人办证吗", false},
		{"How do I find a nursing home in Dalian?", false},
		{"社区有帮老人代办的服务吗", false},
		{"有没有志愿者帮老人挂号", false},
		{"社区帮老人报名老年大学吗", false},
		{"失业了政府能帮找个工作吗", false},
		{"Please find me the policy on the elderly allowance in Dalian", false},
		{"Can you find me a carer in Dalian?", true},
		{"帮我在浑南区医院挂个明天上午的号", true},
		{"帮我约个家庭医生明天上门给我爸量血压 我们住浑南", true},
		{"帮我在浑南看看有没有老年食堂", false},
		{"社区能帮老人约家庭医生吗", false},
		{"帮我在浑南看看有没有能预约的体检", false},
		{"Can you book me a doctor appointment at Dalian Central Hospital tomorrow?", true},
		{"Can you recommend a nursing home near Shahekou that has free beds right now?", true},
		{"How do I book a doctor appointment in Dalian?", false},
		{"能不能帮我约一下浑南区医院明天上午的号", true},
		{"我是社区的,有个独居老人要看病,你能直接帮他在浑南国际医院预约挂号吗?", true},
		{"帮我给我妈在浑南的社区食堂订一周的老年餐", true},
		{"社区能帮他预约挂号吗", false}, // whether a service does it
		{"老年食堂能订餐吗", false},
		{"帮我写一份低保申请书 我家在沙河口", true},
		{"低保申请书怎么写", false}, // how to: a question
		{"你能帮我直接打12345投诉我们小区物业不管事吗", true},
		{"物业不管事可以打12345投诉吗", false},
	}
	for _, tc := range tests {
		if got := asksErrand(tc.q); got != tc.want {
			t.Errorf("asksErrand(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"我的身份证210112199001011234,电话13912345678", "我的身份证[身份证号],电话[手机号]"},
		{"身份证21011219900101123X", "身份证[身份证号]"},
		{"老身份证210112900101123", "老身份证[身份证号]"},
		{"ID210112199001011234", "ID[身份证号]"},
		{"卡号6222 0212 3456 7890 123", "卡号[银行卡号]"},
		{"卡号6222021234567890123", "卡号[银行卡号]"},
		{"座机024-23456789", "座机[电话]"},
		{"座机(024)23456789", "座机[电话]"},
		{"座机024 2345 6789", "座机[电话]"},
		{"手机+8613812345678", "手机[手机号]"},
		{"手机8613812345678", "手机[手机号]"},
		{"tel13812345678", "tel[手机号]"},
		{"手机１３８１２３４５６７８", "手机[手机号]"},
		{"手机138-1234-5678", "手机[手机号]"},
		{"身份证１１０１０１１９９００１０１１２３４", "身份证[身份证号]"},
		// policy figures stay
		{"低保标准850元,2025年", "低保标准850元,2025年"},
		{"为4152户低保家庭", "为4152户低保家庭"},
		{"投入15000000000元", "投入15000000000元"},
		{"2021 2022 2023 2024年", "2021 2022 2023 2024年"},
		{"覆盖率100%", "覆盖率100%"},
		{"12345热线", "12345热线"},
	}
	for _, tc := range tests {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"13912345678", "２１０１１２", "+86 138", "(024", "850元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Mask(s)
		if len(out) > len(s)+64*len(s) {
			t.Fatalf("output grew without bound")
		}
		if Mask(out) != out {
			t.Fatalf("Mask is not idempotent: %q → %q → %q", s, out, Mask(out))
		}
	})
}

func TestBreakerHalfOpen(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := &breaker{threshold: 2, cooldown: time.Minute, now: func() time.Time { return now }}
	b.record(false)
	if !b.allow() {
		t.Fatal("one failure opened the breaker")
	}
	b.record(false)
	if b.allow() {
		t.Fatal("two failures did not open it")
	}
	now = now.Add(61 * time.Second)
	if !b.allow() {
		t.Fatal("no trial after the cooldown")
	}
	if b.allow() {
		t.Fatal("a second trial while the first runs")
	}
	b.record(false) // the trial fails
	if b.allow() {
		t.Fatal("a failed trial did not pause again")
	}
	now = now.Add(61 * time.Second)
	if !b.allow() {
		t.Fatal("no new trial")
	}
	b.record(true)
	if !b.allow() || !b.allow() {
		t.Fatal("a good trial did not close it")
	}
	// A trial whose asker vanished does not hold the breaker half-open.
	b.record(false)
	b.record(false)
	now = now.Add(61 * time.Second)
	b.allow()
	now = now.Add(61 * time.Second)
	if !b.allow() {
		t.Fatal("a lost trial kept the breaker stuck")
	}
}
