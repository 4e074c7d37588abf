package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestAnswerShapes(t *testing.T) {
	seedAnswerer(t)
	a := NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents(),
		Now: func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) }})
	tests := []struct {
		name      string
		q         string
		abstained bool
		has       []string
		hasNot    []string
	}{
		{"plain answer names place, document and date", "浑南区家庭医生团队有多少个?", false,
			[]string{"沈阳市浑南区", "2023年10月30日发布", "179", "[1]"}, []string{partialNote}},
		{"old document is flagged as a plan of its time", "沈阳要建成多少套保障房?", false,
			[]string{"2016年的文件", "不一定是现行标准"}, nil},
		{"one clause of a compound question", "我妈住浑南,七十多了,听说社区有吃饭的地方,在哪儿吃?要花钱吗?", false,
			[]string{partialNote, "助餐"}, nil},
		{"compound question whose weight is elsewhere", "我是浑南的低保户,社保卡丢了怎么补办?", true,
			[]string{"12345", "目前收录的文件有"}, nil},
		{"procedure with a one-word clause", "老年优待证在哪里办,要带什么材料?", true, []string{"12345"}, nil},
		{"topic there, figure not", "大连今年养老金每人具体涨多少元?", true, []string{"具体数字", "养老金"}, nil},
		{"place not covered", "北京的养老金标准是多少?", true, []string{"北京"}, nil},
		{"a compound question's figure is checked too", "大连基础养老金标准是多少?公积金怎么提取?", true, []string{"12345"}, nil},
		{"figure clause without a noun", "大连养老金今年调整了吗?每人具体涨多少元?", true, []string{"12345"}, []string{"300元"}},
		{"list number not in the answer text", "浑南今年新建几个区域性居家养老服务中心?", false,
			[]string{"新建区域性居家养老服务中心3个"}, []string{"\n17.增加"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := a.Answer(context.Background(), Request{Question: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Abstained != tc.abstained {
				t.Errorf("abstained %v, want %v:\n%s", ans.Abstained, tc.abstained, ans.Answer)
			}
			for _, h := range tc.has {
				if !strings.Contains(ans.Answer, h) {
					t.Errorf("answer lacks %q:\n%s", h, ans.Answer)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(ans.Answer, h) {
					t.Errorf("answer has %q:\n%s", h, ans.Answer)
				}
			}
			if !ans.Abstained && len(ans.Citations) == 0 {
				t.Error("answer without citations")
			}
			if ans.Abstained && len(ans.Citations) != 0 {
				t.Error("abstention with citations")
			}
		})
	}
}
